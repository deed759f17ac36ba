"""A reader's journey, at 1366 px and at 360 px: filter the timeline by words, actor and
dates, share the view, go Back and Forward, open an event, follow its citation to the
highlighted passage, and download the view in every format the page offers."""

import csv
import html
import io
import json
import re
from collections import Counter
from io import StringIO

import icalendar
import pytest
from django.core.management import call_command
from django.db.models import Q
from playwright.sync_api import expect

from crisis.models import Citation, Event, Quote
from tests.journeys.visitor import DESKTOP, MOBILE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# In the seed, "Ukraine" with Germany involved gives five events: one on 26 January.
WORDS, ACTOR, DAY = "Ukraine", "Germany", "2022-01-25"
ON_THE_DAY = {
    "baerbock-promises-clear-response",
    "france-announces-paris-talks",
    "germany-refuses-to-send-weapons-to-ukraine",
    "ukraine-criticises-german-government",
}
NEXT_DAY = "paris-talks-russia-ukraine-france-germany"


@pytest.fixture
def seeded(transactional_db):
    call_command("load_seed", stdout=StringIO())


def titles(*slugs):
    return set(Event.objects.filter(slug__in=slugs).values_list("title", flat=True))


def listed(page):
    """The titles of the events the timeline lists, as the reader sees them."""
    cards = page.get_by_role("main").get_by_role("article")
    return {card.get_by_role("heading").first.inner_text() for card in cards.all()}


def settled(page):
    """Wait until htmx has no request in flight and nothing left to swap or settle."""
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(
        0
    )


def filters(page):
    """The filter form, opened first if the layout folds it away (small screens)."""
    form = page.get_by_role("search", name="Filter events")
    if not form.get_by_label("Search").is_visible():
        page.get_by_text(re.compile(r"^\s*Filter", re.I)).first.click()
    expect(form.get_by_label("Search")).to_be_visible()
    return form


def choose_actor(form, name, scripted=True):
    """Type the actor's name into the picker; with JavaScript, tick the suggestion that
    comes up (without it, the typed name goes with the form)."""
    form.get_by_role("combobox", name="Actors").press_sequentially(name, delay=30)
    if scripted:
        form.get_by_role("checkbox", name=name, exact=True).check()


def narrow(reader, act, url_part):
    """Do one filter step and wait for the view it pushes to the address bar."""
    act()
    reader.page.wait_for_url(re.compile(re.escape(url_part)))
    settled(reader.page)
    reader.check()
    return reader.page.url, listed(reader.page)


def read_the_timeline(visitor, viewport):
    reader = visitor(viewport=viewport)
    page = reader.page
    reader.goto("/")
    everything = listed(page)

    form = filters(page)
    steps = [
        narrow(reader, lambda: form.get_by_label("Search").fill(WORDS), f"q={WORDS}"),
        narrow(reader, lambda: choose_actor(form, ACTOR), "actor=germany"),
        narrow(
            reader, lambda: form.get_by_label("From", exact=True).fill(DAY), "from="
        ),
        narrow(reader, lambda: form.get_by_label("To", exact=True).fill(DAY), "to="),
    ]
    assert len(steps[0][1]) > len(steps[1][1]) and steps[0][1] != everything
    assert steps[1][1] == steps[2][1] == titles(*ON_THE_DAY, NEXT_DAY)
    view_url, view = steps[-1]
    assert view == titles(*ON_THE_DAY)
    expect(page.get_by_role("heading", name="4 events", exact=True)).to_be_visible()

    # The address is the view: someone else opening it sees the same events.
    friend = visitor(viewport=viewport)
    friend.goto(view_url.removeprefix(reader.base_url))
    assert listed(friend.page) == view
    assert filters(friend.page).get_by_label("Search").input_value() == WORDS

    # Back and Forward walk the views, the list and the form in step.
    for url, expected in reversed(steps[:-1]):
        page.go_back()
        page.wait_for_url(url)
        expect(page.get_by_role("main").get_by_role("article")).to_have_count(
            len(expected)
        )
        settled(page)
        reader.check()
        assert listed(page) == expected
    page.go_forward()
    page.wait_for_url(steps[1][0])
    settled(page)
    reader.check()
    for url, _ in steps[2:]:
        page.go_forward()
        page.wait_for_url(url)
        settled(page)
        reader.check()
    expect(page.get_by_role("main").get_by_role("article")).to_have_count(len(view))
    assert listed(page) == view
    assert filters(page).get_by_label("To", exact=True).input_value() == DAY

    download_every_format(reader, view)
    follow_quotes_and_citation(reader)


def download_every_format(reader, view):
    """Each export link of the page gives a file holding exactly the listed events."""
    page = reader.page
    readers = {
        "CSV": csv_titles,
        "JSON": json_titles,
        "TimelineJS": timelinejs_titles,
        "iCalendar": ical_titles,
    }
    for name, read in readers.items():
        with page.expect_download() as download:
            page.get_by_role("link", name=name, exact=True).click()
        content = download.value.path().read_bytes()
        assert read(content) == view, name


def csv_titles(content):
    rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    return {row["title"] for row in rows}


def _events_of(document):
    if isinstance(document, dict):
        document = document["events"]
    return document


def json_titles(content):
    return {event["title"] for event in _events_of(json.loads(content))}


def timelinejs_titles(content):
    events = _events_of(json.loads(content))
    return {
        html.unescape(re.sub(r"<[^>]+>", "", event["text"]["headline"]))
        for event in events
    }


def ical_titles(content):
    calendar = icalendar.Calendar.from_ical(content)
    return {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}


def follow_quotes_and_citation(reader):
    """From a card's quote count to the event's quotes, then from its citation to the
    highlighted passage of the source."""
    page = reader.page
    event = Event.objects.get(slug="baerbock-promises-clear-response")
    card = page.get_by_role("main").get_by_role("article", name=event.title)
    card.get_by_role("link", name="1 quote").click()
    page.wait_for_url(re.compile(re.escape(event.get_absolute_url()) + "#quotes"))
    reader.check()
    quotes = page.get_by_role("region", name="Quotes")
    expect(quotes).to_be_in_viewport()
    expect(quotes.get_by_role("figure")).to_have_count(1)

    citation = event.citations.select_related("source").first()
    sources = page.get_by_role("region", name="Sources")
    sources.get_by_role("link", name=citation.source.title).first.click()
    page.wait_for_url(re.compile(r"/sources/[\w-]+/#passage-\d+$"))
    reader.check()
    target = page.locator(":target")
    expect(target).to_have_count(1)
    anchor = page.url.rsplit("#", 1)[1]
    assert target.get_attribute("id") == anchor
    assert " ".join(citation.excerpt.split()) in " ".join(target.inner_text().split())
    expect(target).to_be_in_viewport()
    # Highlighted beyond the other cited passages: its own colour and an outline.
    style = "element => [getComputedStyle(element).backgroundColor, getComputedStyle(element).outlineStyle]"
    other = page.locator(f"mark.cited:not(#{anchor})").first
    (background, outline), (other_background, _) = (
        target.evaluate(style),
        other.evaluate(style),
    )
    assert outline != "none" and background != other_background


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1366px", "360px"])
def test_reader_filters_shares_goes_back_reads_a_source_and_exports(
    visitor, seeded, viewport
):
    read_the_timeline(visitor, viewport)


def test_reader_without_javascript_filters_with_the_form(visitor, seeded):
    reader = visitor(java_script_enabled=False)
    page = reader.page
    reader.goto("/")
    form = filters(page)
    form.get_by_label("Search").fill(WORDS)
    choose_actor(form, ACTOR, scripted=False)
    form.get_by_label("From", exact=True).fill(DAY)
    form.get_by_label("To", exact=True).fill(DAY)
    form.get_by_role("button", name="Show events").click()
    page.wait_for_url(re.compile(rf"q={WORDS}.*actor=germany", re.IGNORECASE))
    reader.check()
    assert listed(page) == titles(*ON_THE_DAY)


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1366px", "360px"])
def test_every_public_page_passes_axe_and_logs_nothing(visitor, seeded, viewport):
    """The pages a reader can reach, at both widths: no serious axe-core violation, no
    console error (the visitor fixture fails the test on any)."""
    reader = visitor(viewport=viewport)
    event = Event.objects.published().filter(quotes__isnull=False).first()
    quote = event.quotes.first()
    for path in [
        "/",
        "/table/",
        "/actors/",
        "/quotes/",
        "/sources/",
        event.get_absolute_url(),
        quote.get_absolute_url(),
        quote.speaker.get_absolute_url(),
        quote.source.get_absolute_url(),
    ]:
        assert reader.goto(path).status == 200, path


def quote_rows(page):
    """The speakers of the quotes the table lists, as the reader sees them."""
    rows = page.locator("#list-results tbody tr")
    return [row.locator("td").nth(1).inner_text().strip() for row in rows.all()]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1366px", "360px"])
def test_reader_finds_who_said_what_by_typing_a_speaker(visitor, seeded, viewport):
    """Type part of a name in the quote list's speaker picker, tick the speaker it
    suggests, read only their quotes; Back gives every quote again."""
    reader = visitor(viewport=viewport)
    page = reader.page
    reader.goto("/quotes/")
    everyone = quote_rows(page)
    assert len(set(everyone)) > 2

    form = page.get_by_role("search", name="Filter quotes")
    if not form.get_by_role("combobox", name="Speakers").is_visible():
        page.get_by_text(re.compile(r"^\s*Filter", re.I)).first.click()
    form.get_by_role("combobox", name="Speakers").press_sequentially("kirb", delay=30)
    form.get_by_role("checkbox", name="John Kirby", exact=True).check()
    page.wait_for_url(re.compile("speaker=john-kirby"))
    settled(page)
    reader.check()
    kirby = quote_rows(page)
    assert kirby and set(kirby) == {"John Kirby"}
    assert len(kirby) < len(everyone)

    page.go_back()
    page.wait_for_url(re.compile(r"/quotes/$"))
    settled(page)
    expect(page.locator("#list-results tbody tr")).to_have_count(len(everyone))
    reader.check()


def test_reader_without_javascript_types_a_speaker_and_shows(visitor, seeded):
    reader = visitor(java_script_enabled=False)
    page = reader.page
    reader.goto("/quotes/")
    form = page.get_by_role("search", name="Filter quotes")
    form.get_by_role("combobox", name="Speakers").fill("Jens Stoltenberg")
    form.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile("speaker=Jens"))
    reader.check()
    assert set(quote_rows(page)) == {"Jens Stoltenberg"}
    # The typed name is now the speaker it found, ticked.
    expect(form.get_by_role("checkbox", name="Jens Stoltenberg")).to_be_checked()


def cells(page, column):
    """The cells of one column of the table the page lists."""
    return page.locator(f"#list-results tbody tr > td:nth-child({column + 1})")


def column_cells(page, column):
    """The cells of one column of the table the page lists, as the reader sees them."""
    return [cell.strip() for cell in cells(page, column).all_inner_texts()]


@pytest.mark.parametrize("viewport", [DESKTOP, MOBILE], ids=["1366px", "360px"])
def test_reader_sorts_the_sources_and_events_by_their_counts(visitor, seeded, viewport):
    """Click a count's column heading once for fewest first, again for most first (the
    stored counts, read from an index); Back gives the order before."""
    reader = visitor(viewport=viewport)
    page = reader.page
    published = Quote.objects.published()
    quotes = Counter(published.values_list("event_id", flat=True))
    public = Citation.objects.filter(
        Q(event__status="published") | Q(quote__in=published)
    )
    citations = Counter(public.values_list("source_id", flat=True))
    for path, heading, column, most_counted in [
        ("/sources/", "Cited passages", 4, max(citations.values())),
        ("/table/", "Quotes", 5, max(quotes.values())),
    ]:
        reader.goto(path)
        first_order = column_cells(page, 0)
        page.locator("#list-results thead").get_by_role("link", name=heading).click()
        page.wait_for_url(re.compile(r"sort=\w+"))
        settled(page)
        reader.check()
        fewest = [int(cell) for cell in column_cells(page, column)]
        assert fewest == sorted(fewest)

        page.locator("#list-results thead").get_by_role("link", name=heading).click()
        page.wait_for_url(re.compile(r"sort=-\w+"))
        settled(page)
        reader.check()
        most = [int(cell) for cell in column_cells(page, column)]
        assert most == sorted(most, reverse=True)
        assert most[0] == most_counted

        # Back restores each order (htmx asks the server again: wait for its rows).
        page.go_back()
        page.wait_for_url(re.compile(r"sort=\w+"))
        expect(cells(page, column)).to_have_text([str(count) for count in fewest])
        page.go_back()
        page.wait_for_url(re.compile(rf"{path}$"))
        expect(cells(page, 0)).to_have_text(first_order)
        reader.check()
