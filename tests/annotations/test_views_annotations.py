"""Annotating in place through the real views: who sees and changes what, HTMX and no-JS."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation, Visibility
from tests.factories import (
    make_analyst,
    make_annotation,
    make_event,
    make_quote,
    make_source,
    make_team,
    make_viewer,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PRIVATE_NOTE = "Private note of analyst A"
TEAM_NOTE = "Team note of analyst A"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def world():
    """Analysts A and B share a team, C is in another; a viewer and the public."""
    team, other_team = make_team("Kyiv desk"), make_team("Moscow desk")
    a = make_analyst("analyst_a", teams=[team])
    b = make_analyst("analyst_b", teams=[team])
    c = make_analyst("analyst_c", teams=[other_team])
    viewer = make_viewer("viewer")
    event = make_event(title="Troops put on alert")
    private = make_annotation(author=a, target=event, body=PRIVATE_NOTE)
    shared = make_annotation(
        author=a,
        target=event,
        body=TEAM_NOTE,
        visibility=Visibility.TEAM,
        team=team,
    )
    return {
        "anonymous": None,
        "viewer": viewer,
        "a": a,
        "b": b,
        "c": c,
        "event": event,
        "team": team,
        "private": private,
        "team_note": shared,
    }


def client_for(world, who):
    client = Client()
    if world[who] is not None:
        client.force_login(world[who])
    return client


READS = {
    "anonymous": set(),
    "viewer": set(),
    "a": {"private", "team_note"},
    "b": {"team_note"},
    "c": set(),
}


@pytest.mark.parametrize("who", list(READS))
@pytest.mark.parametrize("url", ["event", "timeline"])
def test_visibility_matrix_read(world, who, url):
    page = world["event"].get_absolute_url() if url == "event" else "/"
    html = client_for(world, who).get(page).content.decode()
    assert (PRIVATE_NOTE in html) == ("private" in READS[who])
    assert (TEAM_NOTE in html) == ("team_note" in READS[who])


# Expected status of GET edit / POST edit / POST delete for each user and annotation:
# the public is sent to sign in, a viewer is refused, someone who cannot see the
# annotation gets a 404, a team member who can see it a 403, the author succeeds.
CHANGES = {
    ("anonymous", "private"): 302,
    ("anonymous", "team_note"): 302,
    ("viewer", "private"): 403,
    ("viewer", "team_note"): 403,
    ("b", "private"): 404,
    ("b", "team_note"): 403,
    ("c", "private"): 404,
    ("c", "team_note"): 404,
}


@pytest.mark.parametrize(("who", "which"), list(CHANGES))
def test_visibility_matrix_nobody_edits_or_deletes_anothers_annotation(
    world, who, which
):
    client = client_for(world, who)
    annotation = world[which]
    edit = reverse("annotations:annotation_update", args=[annotation.pk])
    delete = reverse("annotations:annotation_delete", args=[annotation.pk])
    expected = CHANGES[(who, which)]

    assert client.get(edit).status_code == expected
    response = client.post(edit, {"body": "Hijacked", "confidence": "low"})
    assert response.status_code == expected
    assert client.get(delete).status_code == expected
    assert client.post(delete).status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("login"))
    annotation.refresh_from_db()
    assert annotation.body != "Hijacked"


@pytest.mark.parametrize("which", ["private", "team_note"])
def test_visibility_matrix_author_edits_and_deletes_own(world, which):
    client = client_for(world, "a")
    annotation = world[which]
    edit = reverse("annotations:annotation_update", args=[annotation.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "body": "Revised",
            "body_format": "plain",
            "confidence": "high",
            "share_with": (
                f"team:{annotation.team_id}" if annotation.team_id else "private"
            ),
        },
    )
    assert response.status_code == 302
    annotation.refresh_from_db()
    assert annotation.body == "Revised"
    delete = reverse("annotations:annotation_delete", args=[annotation.pk])
    assert client.post(delete).status_code == 302
    assert not Annotation.objects.filter(pk=annotation.pk).exists()


def test_leaving_the_team_hides_its_annotations(world):
    client = client_for(world, "b")
    page = world["event"].get_absolute_url()
    assert TEAM_NOTE in client.get(page).content.decode()
    world["b"].groups.remove(world["team"])
    assert TEAM_NOTE not in client.get(page).content.decode()
    edit = reverse("annotations:annotation_update", args=[world["team_note"].pk])
    assert client.get(edit).status_code == 404


def test_the_public_sees_no_annotation_controls(world):
    html = Client().get(world["event"].get_absolute_url()).content.decode()
    assert "Annotate" not in html
    assert 'class="annotations"' not in html


def test_a_viewer_cannot_create_an_annotation(world):
    response = client_for(world, "viewer").post(
        reverse("annotations:annotation_create"),
        {"target": f"event:{world['event'].pk}", "body": "Hello", "confidence": "low"},
    )
    assert response.status_code == 403
    assert Annotation.objects.count() == 2


# HTMX and no-JS paths


def form_data(target, **fields):
    return {
        "target": f"{target._meta.model_name}:{target.pk}",
        "body": "Looks coordinated.",
        "body_format": "plain",
        "confidence": "medium",
        "source_reliability": "B",
        "information_credibility": "2",
        "share_with": "private",
        "tag_names": "troops, alert",
        **fields,
    }


@pytest.fixture
def analyst_client(client):
    analyst = make_analyst("ana", teams=[make_team("Desk")])
    client.force_login(analyst)
    client.analyst = analyst
    return client


def test_htmx_annotate_opens_the_form_inline(analyst_client):
    event = make_event()
    response = analyst_client.get(
        reverse("annotations:annotation_create"),
        {"target": f"event:{event.pk}"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="annotations-event-{event.pk}"' in html
    assert 'hx-post="/annotations/new/"' in html
    assert "csrfmiddlewaretoken" in html


def test_htmx_create_returns_the_block_with_the_new_annotation(analyst_client):
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"), form_data(event), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Looks coordinated." in html
    assert "Grade B2" in html
    assert "Annotation saved." in html
    annotation = Annotation.objects.get()
    assert annotation.event == event
    assert annotation.author == analyst_client.analyst
    assert sorted(tag.name for tag in annotation.tags.all()) == ["alert", "troops"]


def test_htmx_create_with_errors_shows_them_inline_and_stores_nothing(
    analyst_client,
):
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"), form_data(event, body="  "), **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "<html" not in html
    assert "errorlist" in html
    assert "This field is required." in html
    assert not Annotation.objects.exists()


def test_no_js_create_redirects_back_to_the_page(analyst_client):
    event = make_event()
    page = "/?q=alert"
    response = analyst_client.post(
        reverse("annotations:annotation_create"), form_data(event, next=page)
    )
    assert response.status_code == 302
    assert response["Location"] == f"{page}#annotations-event-{event.pk}"
    html = analyst_client.get(event.get_absolute_url()).content.decode()
    assert "Looks coordinated." in html


def test_no_js_annotate_link_opens_a_full_page_form(analyst_client):
    event = make_event(title="A summit")
    response = analyst_client.get(
        reverse("annotations:annotation_create"),
        {"target": f"event:{event.pk}", "next": event.get_absolute_url()},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert "A summit" in html
    assert 'method="post"' in html


def test_no_js_create_refuses_an_offsite_next(analyst_client):
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"),
        form_data(event, next="https://evil.example/"),
    )
    assert response["Location"] == (
        f"{event.get_absolute_url()}#annotations-event-{event.pk}"
    )


def test_htmx_edit_opens_the_form_and_saves_in_place(analyst_client):
    annotation = make_annotation(author=analyst_client.analyst, body="First take")
    url = reverse("annotations:annotation_update", args=[annotation.pk])
    opened = analyst_client.get(url, **HTMX).content.decode()
    assert "<html" not in opened
    assert "First take</textarea>" in opened
    response = analyst_client.post(
        url,
        {
            "body": "Second take",
            "body_format": "plain",
            "confidence": "high",
            "share_with": "private",
        },
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Second take" in html
    assert "Confidence high" in html
    annotation.refresh_from_db()
    assert annotation.body == "Second take"
    assert annotation.history.count() == 2


def test_htmx_delete_asks_to_confirm_then_removes_in_place(analyst_client):
    annotation = make_annotation(author=analyst_client.analyst, body="Remove me")
    url = reverse("annotations:annotation_delete", args=[annotation.pk])
    confirm = analyst_client.get(url, **HTMX).content.decode()
    assert "<html" not in confirm
    assert "Delete this annotation?" in confirm
    assert Annotation.objects.filter(pk=annotation.pk).exists()
    response = analyst_client.post(url, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Remove me" not in html
    assert "Annotation deleted." in html
    assert not Annotation.objects.exists()


def test_no_js_delete_has_a_confirmation_page_then_redirects(analyst_client):
    event = make_event()
    annotation = make_annotation(author=analyst_client.analyst, target=event)
    url = reverse("annotations:annotation_delete", args=[annotation.pk])
    page = analyst_client.get(url).content.decode()
    assert "<html" in page
    assert "Delete this annotation?" in page
    response = analyst_client.post(url, {"next": event.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"].startswith(event.get_absolute_url())
    assert not Annotation.objects.exists()


def test_cancel_returns_the_block_without_the_form(analyst_client):
    event = make_event()
    response = analyst_client.get(
        reverse("annotations:annotation_block"), {"target": f"event:{event.pk}"}, **HTMX
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert ">Annotate</a>" in html


def test_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["a"])
    response = client.post(
        reverse("annotations:annotation_create"), form_data(world["event"])
    )
    assert response.status_code == 403
    assert Annotation.objects.count() == 2


def test_post_with_csrf_header_is_accepted(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["a"])
    client.get(world["event"].get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("annotations:annotation_create"),
        form_data(world["event"]),
        HTTP_X_CSRFTOKEN=token,
        **HTMX,
    )
    assert response.status_code == 200
    assert Annotation.objects.count() == 3


def test_a_one_megabyte_body_is_refused_and_not_stored(analyst_client):
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"),
        form_data(event, body="x" * 1_000_000),
        **HTMX,
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_body_over_ten_thousand_characters_is_a_form_error(analyst_client):
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"), form_data(event, body="x" * 10_001)
    )
    assert response.status_code == 422
    assert "at most 10000 characters" in response.content.decode()
    assert not Annotation.objects.exists()


def test_writes_are_rate_limited_per_user(analyst_client, settings):
    # Per hour, not per minute: the limit counts in fixed windows, and four requests
    # on a busy machine could straddle a minute's end (then the fourth passed).
    settings.ANNOTATION_WRITE_RATE = "3/h"
    event = make_event()
    statuses = [
        analyst_client.post(
            reverse("annotations:annotation_create"), form_data(event), **HTMX
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert Annotation.objects.count() == 3


def test_sharing_with_a_team_one_is_not_in_is_refused(analyst_client):
    event = make_event()
    stranger_team = make_team("Elsewhere")
    response = analyst_client.post(
        reverse("annotations:annotation_create"),
        form_data(event, share_with=f"team:{stranger_team.pk}"),
    )
    assert response.status_code == 422
    assert not Annotation.objects.exists()


def test_sharing_names_the_team_in_one_menu(analyst_client):
    """No second menu to pair up: "Team: Desk" is a choice of "Who can see it"."""
    event = make_event()
    html = analyst_client.get(
        reverse("annotations:annotation_create"), {"target": f"event:{event.pk}"}
    ).content.decode()
    assert ">Team: Desk</option>" in html
    assert 'name="team"' not in html


def test_sharing_with_the_team_from_the_one_menu_saves_it_as_a_team_note(
    analyst_client,
):
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"),
        form_data(event, share_with=f"team:{Group.objects.get(name='Desk').pk}"),
    )
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert (annotation.visibility, annotation.team.name) == ("team", "Desk")


def test_a_refused_share_is_explained_once(analyst_client):
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"), form_data(event, share_with="team:")
    )
    assert response.status_code == 422
    assert response.content.decode().count("Select a valid choice") == 1


def test_role_groups_are_not_offered_as_teams(analyst_client):
    event = make_event()
    html = analyst_client.get(
        reverse("annotations:annotation_create"), {"target": f"event:{event.pk}"}
    ).content.decode()
    assert ">Team: Desk</option>" in html
    assert ">Team: Analyst</option>" not in html


@pytest.mark.parametrize("target", ["", "event", "event:abc", "planet:1", "event:1:2"])
def test_a_malformed_target_is_a_400(analyst_client, target):
    response = analyst_client.get(
        reverse("annotations:annotation_create"), {"target": target}
    )
    assert response.status_code == 400
    assert "Unknown annotation target." in response.content.decode()


def test_an_unknown_target_is_a_404(analyst_client):
    response = analyst_client.get(
        reverse("annotations:annotation_create"), {"target": "event:999999"}
    )
    assert response.status_code == 404


def test_a_draft_event_cannot_be_annotated_by_a_non_staff_analyst(analyst_client):
    draft = make_event(status="draft")
    response = analyst_client.post(
        reverse("annotations:annotation_create"), form_data(draft)
    )
    assert response.status_code == 404
    assert not Annotation.objects.exists()


# Passages of quotes and sources


def test_quote_selection_round_trips_offsets_and_exact_text(analyst_client):
    quote = make_quote(text="We want calm, and we want talks, not tanks.")
    response = analyst_client.post(
        reverse("annotations:annotation_create"),
        form_data(
            quote, exact="we want talks", prefix="We want calm, and ", suffix=", not"
        )
        | {"start": "18"},
        **HTMX,
    )
    assert response.status_code == 200
    # The highlight lies in the text, outside the block: htmx reloads the page.
    assert response["HX-Refresh"] == "true"
    annotation = Annotation.objects.get()
    assert (annotation.start, annotation.end) == (18, 31)
    assert annotation.exact == "we want talks"
    assert quote.text[annotation.start : annotation.end] == annotation.exact
    assert annotation.prefix == "We want calm, and "
    html = analyst_client.get(quote.get_absolute_url()).content.decode()
    assert (
        f'We want calm, and <mark class="annotation-mark" '
        f'data-annotations="annotation-{annotation.pk}">we want talks</mark>'
    ) in html


def test_quote_passage_still_resolves_after_the_text_is_edited_elsewhere(
    analyst_client,
):
    quote = make_quote(text="We want calm, and we want talks, not tanks.")
    analyst_client.post(
        reverse("annotations:annotation_create"),
        form_data(quote, exact="we want talks") | {"start": "18"},
    )
    annotation = Annotation.objects.get()
    quote.text = (
        "Today: we want talks first. We want calm, and we want talks, not tanks!"
    )
    quote.save()
    html = analyst_client.get(quote.get_absolute_url()).content.decode()
    assert (
        'We want calm, and <mark class="annotation-mark" '
        f'data-annotations="annotation-{annotation.pk}">we want talks</mark>, not'
    ) in html


def test_a_passage_that_is_not_in_the_text_is_a_form_error(analyst_client):
    quote = make_quote()
    response = analyst_client.post(
        reverse("annotations:annotation_create"), form_data(quote, exact="never said")
    )
    assert response.status_code == 422
    assert "These words were not found in the text." in response.content.decode()


def test_source_passage_pasted_without_javascript_is_found_and_highlighted(
    analyst_client,
):
    source = make_source()
    response = analyst_client.post(
        reverse("annotations:annotation_create"),
        form_data(
            source, exact="Markets  fell sharply", next=source.get_absolute_url()
        ),
    )
    assert response.status_code == 302
    annotation = Annotation.objects.get()
    assert annotation.exact == "Markets fell sharply"
    assert source.text[annotation.start : annotation.end] == "Markets fell sharply"
    html = analyst_client.get(source.get_absolute_url()).content.decode()
    assert ">Markets fell sharply</mark> after the ruble tumbled." in html


def test_a_source_can_only_be_annotated_by_passage(analyst_client):
    source = make_source()
    response = analyst_client.post(
        reverse("annotations:annotation_create"), form_data(source)
    )
    assert response.status_code == 422
    assert not Annotation.objects.exists()


def test_annotate_selection_prefills_the_passage(analyst_client):
    quote = make_quote(text="We want calm, and we want talks, not tanks.")
    html = analyst_client.get(
        reverse("annotations:annotation_create"),
        {
            "target": f"quote:{quote.pk}",
            "exact": "want talks",
            "prefix": "and we ",
            "start": "21",
        },
        **HTMX,
    ).content.decode()
    assert ">\nwant talks</textarea>" in html
    assert 'name="start" value="21"' in html


# Hostile bodies

HOSTILE = [
    '<script>alert("x")</script>',
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">link</a>',
    "[a](JaVaScRiPt:alert(1))",
]


@pytest.mark.parametrize("body_format", ["plain", "markdown"])
@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_bodies_are_stored_as_text_and_rendered_inert(
    analyst_client, body, body_format
):
    event = make_event()
    analyst_client.post(
        reverse("annotations:annotation_create"),
        form_data(event, body=body, body_format=body_format),
    )
    assert Annotation.objects.get().body == body
    html = analyst_client.get(event.get_absolute_url()).content.decode()
    tags = elements_and_attributes(html[html.index('class="annotations"') :])
    assert not {"script", "img", "svg", "iframe"} & {tag for tag, _ in tags}
    for _, attributes in tags:
        for name, value in attributes:
            assert not name.startswith("on")
            assert not (value or "").strip().lower().startswith("javascript:")


def elements_and_attributes(html):
    """Every start tag in ``html`` with its attributes, as a browser would parse them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_editing_a_team_note_after_leaving_the_team_is_refused_with_a_message(
    world,
):
    """The model's check (a team the author belongs to) shows on the sharing menu."""
    world["a"].groups.remove(world["team"])
    client = client_for(world, "a")
    note = world["team_note"]
    response = client.post(
        reverse("annotations:annotation_update", args=[note.pk]),
        {
            "body": "Revised",
            "body_format": "plain",
            "confidence": "high",
            "share_with": f"team:{world['team'].pk}",
        },
    )
    assert response.status_code == 422
    note.refresh_from_db()
    assert note.body == TEAM_NOTE


def test_an_annotation_error_from_the_model_lands_on_the_sharing_menu(world):
    from annotations.forms import AnnotationForm

    note = world["team_note"]
    form = AnnotationForm(instance=note, user=world["a"], target=note.event)
    form.cleaned_data = {}
    form.add_error(
        None, ValidationError({"team": "You can only share with your own team."})
    )
    assert form.errors["share_with"] == ["You can only share with your own team."]


def test_a_team_note_can_be_made_private_after_leaving_the_team(world):
    world["a"].groups.remove(world["team"])
    note = world["team_note"]
    response = client_for(world, "a").post(
        reverse("annotations:annotation_update", args=[note.pk]),
        {
            "body": "Now mine alone",
            "body_format": "plain",
            "confidence": "high",
            "share_with": "private",
        },
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.visibility, note.team, note.body) == (
        "private",
        None,
        "Now mine alone",
    )
