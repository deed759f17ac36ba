"""A newcomer reads the timeline: narrows it on the time axis (links, and a brush with
JavaScript), goes back, switches to headlines and back, picks an actor by an alias and a
country by typing, and on a phone sees events first."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.journeys.visitor import MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNT = "#results-head"


@pytest.fixture
def seeded_site(transactional_db):
    call_command("load_seed", stdout=StringIO())


def _zoom(page):
    return page.get_by_role("navigation", name="Zoom and pan the time axis")


@pytest.mark.parametrize("java_script", [True, False], ids=["htmx", "no-js"])
def test_a_reader_narrows_the_axis_with_its_range_links_and_back_restores_it(
    visitor, seeded_site, java_script
):
    reader = visitor(site_scripts=java_script)
    page = reader.page
    reader.goto("/")
    expect(page.locator(COUNT)).to_have_text("45 events")
    _zoom(page).get_by_role("link", name="25 Jan – 26 Jan 2022").click()
    page.wait_for_url(re.compile(r"\?from=2022-01-25&to=2022-01-26$"))
    expect(page.locator(COUNT)).to_have_text("44 events")
    reader.check()
    _zoom(page).get_by_role("link", name="26 January 2022").click()
    page.wait_for_url(re.compile(r"\?from=2022-01-26&to=2022-01-26$"))
    expect(page.locator(COUNT)).to_have_text("1 event")
    expect(page.get_by_label("From", exact=True)).to_have_value("2022-01-26")
    reader.check()
    page.go_back()
    page.wait_for_url(re.compile(r"\?from=2022-01-25&to=2022-01-26$"))
    expect(page.locator(COUNT)).to_have_text("44 events")
    reader.check()


def test_a_reader_drags_across_the_axis_to_choose_a_stretch(visitor, seeded_site):
    reader = visitor()
    page = reader.page
    reader.goto("/?from=2022-01-20&to=2022-01-29")
    expect(page.locator(COUNT)).to_have_text("44 events")
    box = page.locator(".axis__svg").bounding_box()
    # The plot runs from 150 to 990 of the 1,000 units of the SVG: 84 a day over ten days.
    unit = box["width"] / 1000

    def day_x(index):
        return box["x"] + (150 + 84 * (index + 0.5)) * unit

    y = box["y"] + 12 * unit  # along the tick labels, above every lane
    page.mouse.move(day_x(6), y)  # 26 January
    page.mouse.down()
    page.mouse.move(day_x(8), y, steps=6)  # 28 January
    page.mouse.up()
    page.wait_for_url(re.compile(r"from=2022-01-26&to=2022-01-28"))
    expect(page.locator(COUNT)).to_have_text("1 event")
    expect(page.get_by_label("To", exact=True)).to_have_value("2022-01-28")
    reader.check()
    page.go_back()
    page.wait_for_url(re.compile(r"\?from=2022-01-20&to=2022-01-29$"))
    expect(page.locator(COUNT)).to_have_text("44 events")
    reader.check()


def test_a_reader_switches_to_headlines_and_back(visitor, seeded_site):
    reader = visitor()
    page = reader.page
    reader.goto("/?category=military")
    modes = page.get_by_role("navigation", name="Reading mode")
    modes.get_by_role("link", name="Headlines").click()
    page.wait_for_url(re.compile(r"\?category=military&view=headlines$"))
    expect(page.locator("#timeline-list .headline")).to_have_count(8)
    expect(page.locator("#timeline-list article.card")).to_have_count(0)
    reader.check()
    # The mode survives a filter change made in the form.
    page.get_by_label("Economy & markets").check()
    page.wait_for_url(re.compile(r"category=economy.*view=headlines"))
    expect(page.locator("#timeline-list .headline")).to_have_count(12)
    reader.check()
    modes.get_by_role("link", name="Cards").click()
    page.wait_for_url(re.compile(r"\?category=military&category=economy$"))
    expect(page.locator("#timeline-list article.card")).to_have_count(12)
    reader.check()
    page.go_back()
    page.wait_for_url(re.compile(r"view=headlines$"))
    expect(page.locator("#timeline-list .headline")).to_have_count(12)
    reader.check()


def test_a_reader_picks_an_actor_by_typing_an_alias(visitor, seeded_site):
    reader = visitor()
    page = reader.page
    reader.goto("/")
    page.get_by_role("combobox", name="Actors").press_sequentially(
        "NATO chief", delay=30
    )
    suggestion = page.get_by_role("checkbox", name=re.compile("Jens Stoltenberg"))
    suggestion.check()
    page.wait_for_url(re.compile(r"\?actor=jens-stoltenberg$"))
    expect(
        page.get_by_role("link", name="Remove filter Actors: Jens Stoltenberg")
    ).to_be_visible()
    expect(page.locator(".axis .lane__label")).to_have_text(["Jens Stoltenberg"])
    reader.check()


@pytest.mark.parametrize(
    ("picker", "typed", "found"),
    [("Actors", "Scholz", "Olaf Scholz"), ("Countries", "ukraine", "Ukraine")],
    ids=["actor", "country"],
)
def test_without_javascript_a_typed_name_finds_its_match(
    visitor, seeded_site, picker, typed, found
):
    reader = visitor(site_scripts=False)
    page = reader.page
    reader.goto("/")
    page.get_by_role("combobox", name=picker).fill(typed)
    page.get_by_role("combobox", name=picker).press("Enter")
    page.wait_for_url(re.compile(f"={typed}(&|$)"))
    expect(
        page.get_by_role("link", name=f"Remove filter {picker}: {found}")
    ).to_be_visible()
    expect(page.get_by_role("checkbox", name=found)).to_be_checked()
    reader.check()


def test_a_reader_picks_a_country_by_typing_and_removes_its_chip(visitor, seeded_site):
    reader = visitor()
    page = reader.page
    reader.goto("/")
    everything = page.locator(COUNT).inner_text()
    page.get_by_role("combobox", name="Countries").press_sequentially("Pol", delay=30)
    page.get_by_role("checkbox", name="Poland").check()
    page.wait_for_url(re.compile(r"\?country=PL$"))
    chip = page.get_by_role("link", name="Remove filter Countries: Poland")
    expect(chip).to_be_visible()
    expect(page.get_by_role("checkbox", name="Poland")).to_be_checked()
    narrowed = page.locator(COUNT).inner_text()
    assert narrowed != everything and int(narrowed.split()[0]) > 0
    reader.check()
    chip.click()
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator(COUNT)).to_have_text(everything)
    expect(page.get_by_role("checkbox", name="Poland")).to_have_count(0)
    reader.check()
    page.go_back()
    page.wait_for_url(re.compile(r"\?country=PL$"))
    expect(page.locator(COUNT)).to_have_text(narrowed)
    reader.check()


def test_on_a_phone_events_come_first_and_filters_fold(visitor, seeded_site):
    reader = visitor(viewport=MOBILE)
    page = reader.page
    reader.goto("/?category=military")
    first = page.locator("#timeline-list article.card").first
    assert first.bounding_box()["y"] < MOBILE["height"], "an event in the first screen"
    expect(page.get_by_label("Search")).to_be_hidden()
    expect(
        page.get_by_role("link", name="Remove filter Categories: Military")
    ).to_be_visible()
    page.get_by_text("Filters (1)").click()
    expect(page.get_by_label("Search")).to_be_visible()
    # The axis stays usable: its zoom links are there to tap.
    _zoom(page).get_by_role("link", name="Zoom out").click()
    page.wait_for_url(re.compile(r"from=.*&to="))
    reader.check()


def test_a_keyboard_reaches_the_results_through_the_skip_link(visitor, seeded_site):
    reader = visitor()
    page = reader.page
    reader.goto("/")
    presses = 0
    while presses < 15:
        presses += 1
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith(
            "Skip to the r"
        ):
            break
    assert presses <= 12
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.activeElement.closest('#timeline-results') !== null"
    ), "the next stop is in the results: the chips, the axis, then events"
    reader.check()


def test_on_a_phone_a_table_comes_first_and_its_filters_fold(visitor, seeded_site):
    """The tables fold their filters behind "Filters (n)" as the timeline does; the
    count follows an htmx search, and the results are swapped, not reloaded."""
    reader = visitor(viewport=MOBILE)
    page = reader.page
    reader.goto("/quotes/")
    first_row = page.locator("#list-results tbody tr").first
    assert first_row.bounding_box()["y"] < MOBILE["height"], (
        "a quote in the first screen"
    )
    # A row stacks: one line per cell, each named by its column, nothing off screen.
    cells = first_row.locator("td")
    assert cells.first.evaluate("td => getComputedStyle(td).display") == "flow-root"
    named = cells.first.evaluate("td => getComputedStyle(td, '::before').content")
    assert named == '"Date"'
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    everyone = page.locator("#list-results tbody tr").count()
    search = page.get_by_role("search", name="Filter quotes").get_by_label("Search")
    expect(search).to_be_hidden()
    summary = page.locator(".filters-fold__summary")
    expect(summary).to_have_text("Filters (0)")
    summary.click()
    expect(search).to_be_visible()
    page.evaluate("window.notReloaded = true")
    search.fill("Stoltenberg")
    page.wait_for_url(re.compile(r"\?q=Stoltenberg$"))
    expect(summary).to_have_text("Filters (1)")
    expect(page.locator("#list-results tbody tr")).not_to_have_count(everyone)
    assert page.evaluate("window.notReloaded") is True
    reader.check()
