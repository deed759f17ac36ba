"""Journeys through stories and embeds: a newsroom page on another origin embeds the
timeline, readers step through a story by keyboard and, without JavaScript, by links."""

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from crisis.models import Event
from stories.models import Story
from tests.journeys.visitor import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "nato-puts-forces-on-standby"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def other_origin(tmp_path):
    """Serves ``tmp_path`` on a second local port: a site that is not ours."""
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=tmp_path)
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def newsroom_page(folder, name, frame_src):
    (folder / name).write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<title>A newsroom article</title><link rel="icon" href="data:,"></head>'
        "<body><main><h1>What NATO did</h1><p>Our reporting, with the timeline:</p>"
        f'<iframe src="{frame_src}" title="NATO on the Crisis Timeline" '
        'width="900" height="700"></iframe></main></body></html>',
        encoding="utf-8",
    )


@pytest.fixture
def seed(transactional_db):
    call_command("load_seed", verbosity=0)


def test_a_page_on_another_origin_embeds_the_timeline_of_one_actor(
    seed, visitor, other_origin, live_server
):
    folder, origin = other_origin
    nato_titles = list(
        Event.objects.filter(actors__slug="nato").values_list("title", flat=True)
    )
    other_title = Event.objects.exclude(actors__slug="nato").first().title
    newsroom_page(folder, "article.html", f"{live_server.url}/embed/?actor=nato")

    reader = visitor()
    reader.page.goto(f"{origin}/article.html")
    reader.check()
    frame = reader.page.frame_locator("iframe[title='NATO on the Crisis Timeline']")
    expect(
        frame.get_by_role("heading", name=re.compile(r"^\d+ events$"))
    ).to_be_visible()
    expect(frame.get_by_text(nato_titles[0], exact=True)).to_be_visible()
    expect(frame.get_by_text(other_title, exact=True)).to_have_count(0)
    expect(
        frame.get_by_role("link", name=re.compile("Open this view"))
    ).to_have_attribute("href", "/?actor=nato")
    # The embed page itself, as a reader of our site sees it, passes axe too.
    reader.goto("/embed/?actor=nato")


def test_the_timeline_page_itself_cannot_be_framed_elsewhere(
    seed, page, other_origin, live_server
):
    folder, origin = other_origin
    newsroom_page(folder, "copy.html", f"{live_server.url}/?actor=nato")
    refused = []
    page.on("console", lambda message: refused.append(message.text))
    page.goto(f"{origin}/copy.html")
    page.wait_for_timeout(500)
    frame = page.frames[1]
    assert "Filter the timeline" not in frame.content()
    assert any("frame" in text.lower() for text in refused)


def test_a_reader_steps_through_a_story_by_keyboard(seed, visitor):
    story = Story.objects.get(slug=STORY)
    titles = [step.event.title for step in story.steps.select_related("event")]
    reader = visitor()
    page = reader.page
    reader.goto("/stories/")
    page.get_by_role("link", name=story.title).click()
    page.wait_for_url(reader.url(f"/stories/{STORY}/"))
    reader.check()
    expect(page.get_by_text(f"{len(titles)} steps", exact=True)).to_be_visible()

    page.keyboard.press("ArrowRight")
    page.wait_for_url(reader.url(f"/stories/{STORY}/1/"))
    reader.check()
    expect(page.get_by_role("heading", name=titles[0])).to_be_visible()
    expect(page.get_by_text(f"Step 1 of {len(titles)}")).to_be_visible()

    page.keyboard.press("ArrowRight")
    page.wait_for_url(reader.url(f"/stories/{STORY}/2/"))
    reader.check()
    expect(page.get_by_role("heading", name=titles[1])).to_be_visible()
    expect(page).to_have_title(re.compile(re.escape(titles[1])))

    page.keyboard.press("ArrowLeft")
    page.wait_for_url(reader.url(f"/stories/{STORY}/1/"))
    reader.check()
    expect(page.get_by_role("heading", name=titles[0])).to_be_visible()

    page.reload()
    reader.check()
    expect(page.get_by_role("heading", name=titles[0])).to_be_visible()

    page.go_back()
    page.wait_for_url(reader.url(f"/stories/{STORY}/2/"))
    reader.check()
    expect(page.get_by_role("heading", name=titles[1])).to_be_visible()

    # Typing in the embed code box does not step the story.
    page.get_by_text("Embed", exact=True).click()
    code = page.get_by_label(re.compile("Paste this code"))
    expect(code).to_have_value(
        re.compile(
            rf'<iframe src="{re.escape(reader.url(f"/embed/stories/{STORY}/2/"))}"'
        )
    )
    code.press("ArrowRight")
    expect(page).to_have_url(reader.url(f"/stories/{STORY}/2/"))


def test_a_phone_reader_without_javascript_steps_through_by_links(seed, visitor):
    story = Story.objects.get(slug=STORY)
    titles = [step.event.title for step in story.steps.select_related("event")]
    reader = visitor(viewport=MOBILE, java_script_enabled=False)
    page = reader.page
    reader.goto(f"/stories/{STORY}/")
    page.get_by_role("link", name="Begin →").click()
    page.wait_for_url(reader.url(f"/stories/{STORY}/1/"))
    reader.check()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url(reader.url(f"/stories/{STORY}/2/"))
    reader.check()
    expect(page.get_by_role("heading", name=titles[1])).to_be_visible()
    page.get_by_role("link", name="← Previous").click()
    page.wait_for_url(reader.url(f"/stories/{STORY}/1/"))
    reader.check()
    expect(page.get_by_role("heading", name=titles[0])).to_be_visible()
