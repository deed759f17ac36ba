"""Embeds, framing headers, oEmbed, OpenGraph tags and share images."""

import io
import json
import re
from unittest import mock

import pytest
from PIL import Image

from crisis.models import Status
from sharing import selectors as sharing_selectors
from stories.models import Story, StoryStep
from tests.factories import make_actor, make_event, make_user

pytestmark = pytest.mark.django_db


def csp(response):
    """The response's CSP as {directive: value}."""
    return dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
    )


@pytest.fixture
def story():
    story = Story.objects.create(
        title="Allies “on standby”", slug="standby", intro="How.", status="published"
    )
    for position in (1, 2):
        StoryStep.objects.create(story=story, event=make_event(), position=position)
    return story


EMBED_PAGES = ["/embed/", "/embed/?actor=someone", "/embed/stories/standby/"]
OTHER_PAGES = ["/", "/stories/", "/stories/standby/", "/map/", "/stories/standby/1/"]


@pytest.mark.parametrize("path", EMBED_PAGES + ["/embed/map/"])
def test_embed_pages_may_be_framed_by_the_configured_origins_only(
    client, settings, story, path
):
    settings.EMBED_ALLOWED_ORIGINS = ["https://news.example", "https://blog.example"]
    response = client.get(path)
    assert response.status_code in (200, 400)
    assert "X-Frame-Options" not in response
    policy = csp(response)
    assert policy["frame-ancestors"] == "https://news.example https://blog.example"
    strict = csp(client.get("/"))
    del policy["frame-ancestors"], strict["frame-ancestors"]
    assert policy == strict  # no inline script or style, nothing else loosened


def test_embed_pages_may_be_framed_anywhere_by_default(client, story):
    assert csp(client.get("/embed/"))["frame-ancestors"] == "*"


@pytest.mark.parametrize("path", OTHER_PAGES + ["/oembed?url=x", "/healthz"])
def test_every_other_page_refuses_to_be_framed(client, settings, story, path):
    settings.EMBED_ALLOWED_ORIGINS = ["https://news.example"]
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    if "Content-Security-Policy" in response:
        assert csp(response)["frame-ancestors"] == "'none'"


def test_the_timeline_embed_filters_like_the_timeline_without_site_chrome(client):
    actor = make_actor(name="Jens Stoltenberg", slug="jens-stoltenberg")
    make_event(title="Stoltenberg warns", actors=[actor])
    make_event(title="Someone else acts")
    body = client.get("/embed/?actor=jens-stoltenberg").content.decode()
    assert "Stoltenberg warns" in body
    assert "Someone else acts" not in body
    assert "site-header" not in body and 'aria-label="Main"' not in body
    assert 'href="/?actor=jens-stoltenberg" target="_blank"' in body  # the full view
    assert '<base target="_top">' in body


def test_the_story_embed_steps_inside_the_frame(client, story):
    body = client.get("/embed/stories/standby/1/").content.decode()
    assert 'target="_self" href="/embed/stories/standby/2/"' in body
    assert 'href="/stories/standby/1/" target="_blank"' in body
    assert client.get("/embed/stories/standby/3/").status_code == 404


def test_the_embed_control_gives_the_iframe_of_the_current_view(client, story):
    make_event(countries=["UA"])
    body = client.get("/?country=UA").content.decode()
    assert "<summary>Embed</summary>" in body
    assert "&lt;iframe src=&quot;http://testserver/embed/?country=UA&quot;" in body, (
        "the escaped iframe code with this view's filter"
    )
    story_body = client.get("/stories/standby/2/").content.decode()
    assert "&lt;iframe src=&quot;http://testserver/embed/stories/standby/2/" in (
        story_body
    )
    assert "title=&quot;Allies “on standby”&quot;" in story_body


def test_oembed_describes_a_story_as_a_rich_iframe(client, story):
    response = client.get(
        "/oembed",
        {"url": "http://testserver/stories/standby/2/", "format": "json"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["title"] == "Allies “on standby”"
    assert isinstance(data["width"], int) and isinstance(data["height"], int)
    assert data["provider_name"] == "Crisis Timeline"
    assert re.fullmatch(
        r'<iframe src="http://testserver/embed/stories/standby/2/" width="\d+" '
        r'height="\d+" title="Allies “on standby”" loading="lazy"></iframe>',
        data["html"],
    )


def test_oembed_keeps_the_timeline_filters_and_respects_maxwidth(client):
    data = client.get(
        "/oembed",
        {"url": "http://testserver/?actor=nato&country=UA", "maxwidth": "500"},
    ).json()
    assert 'src="http://testserver/embed/?actor=nato&amp;country=UA"' in data["html"]
    assert data["width"] == 500 and 'width="500"' in data["html"]


@pytest.mark.parametrize(
    "params, status",
    [
        ({}, 400),
        ({"url": "http://testserver/stories/standby/", "format": "xml"}, 501),
        ({"url": "https://elsewhere.example/stories/standby/"}, 404),
        ({"url": "http://testserver/actors/"}, 404),
        ({"url": "http://testserver/stories/no-such-story/"}, 404),
        ({"url": "javascript:alert(1)"}, 404),
    ],
)
def test_oembed_refuses_what_it_cannot_embed_with_a_message(
    client, story, params, status
):
    response = client.get("/oembed", params)
    assert response.status_code == status
    assert response.json()["error"]


def test_oembed_does_not_offer_a_draft_story(client, story):
    Story.objects.filter(pk=story.pk).update(status=Status.DRAFT)
    response = client.get("/oembed", {"url": "http://testserver/stories/standby/"})
    assert response.status_code == 404


def meta_tags(body):
    return dict(
        re.findall(
            r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)"',
            body,
        )
    )


def test_the_oembed_discovery_link_is_on_the_pages_it_serves(client, story):
    for path in ("/", "/stories/standby/"):
        body = client.get(path).content.decode()
        assert 'type="application/json+oembed"' in body
    event = story.steps.first().event
    assert "json+oembed" not in client.get(event.get_absolute_url()).content.decode()


def test_every_public_page_has_opengraph_and_twitter_tags(client, story):
    event = story.steps.first().event
    actor = event.event_actors.first().actor
    for path in (
        "/",
        "/stories/",
        "/stories/standby/",
        event.get_absolute_url(),
        actor.get_absolute_url(),
        "/actors/",
        "/quotes/",
        "/sources/",
        "/map/",
    ):
        tags = meta_tags(client.get(path).content.decode())
        for name in ("og:title", "og:description", "og:url", "og:image"):
            assert tags.get(name), (path, name)
        assert tags["twitter:card"] == "summary_large_image"
        assert tags["og:url"].startswith("http://testserver/")
        assert tags["og:image"].startswith("http://testserver/share/")


def test_a_page_previews_its_own_title_description_address_and_image(client, story):
    event = make_event(title="Ruble tumbles", summary="The ruble fell.")
    tags = meta_tags(client.get(event.get_absolute_url()).content.decode())
    assert tags["og:title"] == "Ruble tumbles"
    assert tags["og:description"] == "The ruble fell."
    assert tags["og:url"] == f"http://testserver{event.get_absolute_url()}"
    assert tags["og:image"] == f"http://testserver/share/events/{event.slug}.png"
    story_tags = meta_tags(client.get("/stories/standby/").content.decode())
    assert story_tags["og:title"] == "Allies “on standby”"
    assert story_tags["og:image"] == "http://testserver/share/stories/standby.png"
    make_event(countries=["UA"])
    timeline = meta_tags(client.get("/?country=UA").content.decode())
    assert timeline["og:url"] == "http://testserver/?country=UA"
    assert timeline["og:image"] == "http://testserver/share/timeline.png?country=UA"
    assert "Ukraine" in timeline["og:title"]


def test_a_draft_events_title_does_not_leak_into_the_404_preview(client):
    draft = make_event(title="Secret draft", status=Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404
    assert "Secret draft" not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/share/timeline.png",
        "/share/timeline.png?actor=nobody-at-all",
        "/share/stories/standby.png",
        "EVENT",
    ],
)
def test_share_images_are_valid_pngs_of_1200_by_630(client, story, path):
    if path == "EVENT":
        path = f"/share/events/{story.steps.first().event.slug}.png"
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(response.content))
    image.verify()
    assert image.format == "PNG" and image.size == (1200, 630)


def test_share_images_are_drawn_once_then_read_from_the_cache(client, story):
    with mock.patch.object(
        sharing_selectors, "share_png", wraps=sharing_selectors.share_png
    ) as drawn:
        first = client.get("/share/stories/standby.png").content
        second = client.get("/share/stories/standby.png").content
    assert drawn.call_count == 1 and first == second


def test_share_images_of_drafts_are_for_staff_only(client):
    draft = make_event(status=Status.DRAFT)
    assert client.get(f"/share/events/{draft.slug}.png").status_code == 404
    client.force_login(make_user(is_staff=True))
    response = client.get(f"/share/events/{draft.slug}.png")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("private")


def test_a_draft_story_is_not_embedded_for_the_public(client, story):
    Story.objects.filter(pk=story.pk).update(status=Status.DRAFT)
    assert client.get("/embed/stories/standby/").status_code == 404
    assert client.get("/share/stories/standby.png").status_code == 404


def test_embed_page_queries_stay_flat(client, story, django_assert_max_num_queries):
    """Guards against N+1 on the embedded timeline's cards and the story's steps."""
    for _ in range(5):
        make_event()
    with django_assert_max_num_queries(20):
        client.get("/embed/")
    with django_assert_max_num_queries(8):
        client.get("/embed/stories/standby/2/")
