"""The timeline in a real browser: htmx swaps, pushed URLs, history, and no-JS forms."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CARD = "#timeline-list article.card"


@pytest.fixture
def timeline_url(live_server, transactional_db):
    call_command("load_seed", stdout=StringIO())
    return live_server.url + "/"


def card_count(page):
    return page.locator(CARD).count()


def test_typing_a_search_swaps_the_list_pushes_the_url_and_back_restores_it(
    page, timeline_url
):
    page.goto(timeline_url)
    all_cards = card_count(page)
    page.evaluate("window.notReloaded = true")
    page.fill("#id_q", "Olf Scholz")
    page.wait_for_url(re.compile(r"\?q=Olf(\+|%20)Scholz$"))
    expect(page.locator(CARD)).not_to_have_count(all_cards)
    assert page.evaluate("window.notReloaded") is True
    assert "Olaf Scholz" in page.locator("#timeline-list").inner_text()
    filtered = card_count(page)

    page.go_back()
    page.wait_for_url(timeline_url)
    expect(page.locator(CARD)).to_have_count(all_cards)
    assert page.input_value("#id_q") == ""

    page.go_forward()
    expect(page.locator(CARD)).to_have_count(filtered)
    assert page.input_value("#id_q") == "Olf Scholz"


def test_reload_keeps_the_view_and_the_form_controls(page, timeline_url):
    page.goto(timeline_url)
    page.check("input[name=category][value=military]")
    page.wait_for_url(re.compile(r"category=military"))
    page.reload()
    assert page.is_checked("input[name=category][value=military]")
    assert "Military" in page.locator(".chips").inner_text()


def test_clicking_an_axis_stretch_narrows_to_it_in_place(page, timeline_url):
    page.goto(timeline_url + "?from=2022-01-25&to=2022-01-26")
    page.evaluate("window.notReloaded = true")
    stretch = page.locator(".axis__zoom a[href$='from=2022-01-26&to=2022-01-26']")
    stretch.click()
    page.wait_for_url(re.compile(r"from=2022-01-26&to=2022-01-26"))
    expect(page.locator("#results-head")).to_have_text("1 event")
    assert page.input_value("#id_from") == "2022-01-26"
    assert page.evaluate("window.notReloaded") is True


def test_opening_an_event_from_the_list(page, timeline_url):
    page.goto(timeline_url)
    first = page.locator(f"{CARD} > h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/events/[\w-]+/$"))
    assert page.locator("h1").inner_text() == title


def test_scrolling_loads_more_events(page, timeline_url):
    page.goto(timeline_url)
    assert card_count(page) == settings.TIMELINE_PAGE_SIZE
    total = int(page.locator("#results-head").inner_text().split()[0])
    pages = -(-total // settings.TIMELINE_PAGE_SIZE)
    assert pages > 2, "the seed fills more than two pages"
    for _ in range(pages - 1):  # each scroll to the end brings the next page
        shown = card_count(page)
        page.locator("#load-more").scroll_into_view_if_needed()
        expect(page.locator(CARD)).not_to_have_count(shown)
    expect(page.locator(CARD)).to_have_count(total)
    expect(page.locator("#load-more")).to_have_count(0)
    assert page.url == timeline_url  # loading more does not change the view's URL


def test_without_javascript_the_plain_form_filters(browser, timeline_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(timeline_url)
        page.fill("#id_q", "Olf Scholz")
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"q=Olf\+Scholz"))
        assert "Olaf Scholz" in page.locator("#timeline-list").inner_text()
        assert card_count(page) < settings.TIMELINE_PAGE_SIZE
        page.click("a.chip--clear")
        page.wait_for_url(timeline_url)
        assert card_count(page) == settings.TIMELINE_PAGE_SIZE
    finally:
        context.close()


def test_timeline_fits_a_360_pixel_screen(browser, timeline_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(timeline_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_the_folded_filters_count_follows_an_htmx_filter_change(browser, timeline_url):
    """At 360 px the filters fold behind "Filters (n)", which counts what is in use."""
    context = browser.new_context(viewport={"width": 360, "height": 780})
    page = context.new_page()
    try:
        page.goto(timeline_url)
        summary = page.locator(".filters-fold__summary")
        expect(summary).to_have_text("Filters (0)")
        summary.click()
        page.evaluate("window.notReloaded = true")
        page.check("input[name=category][value=military]")
        page.wait_for_url(re.compile(r"category=military"))
        expect(summary).to_have_text("Filters (1)")
        page.fill("#id_q", "troops")
        page.wait_for_url(re.compile(r"q=troops"))
        expect(summary).to_have_text("Filters (2)")
        assert page.evaluate("window.notReloaded") is True
    finally:
        context.close()
