"""Events' quote counts (``Event.quote_count``) and sources' citation counts
(``Source.citation_count``): kept true by every path that writes quotes, citations or
the statuses that make them public, and read by the tables that sort by them."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.models import Citation, Event, Quote, Source, Status
from crisis.services import (
    records_set_status,
    recount_event_quotes,
    recount_source_citations,
)
from devdata.events import clear_generated, generate
from tests.factories import make_event, make_quote, make_source
from tests.overlapping import at_once, overlapping_writes

pytestmark = pytest.mark.django_db


def quotes_from_the_rows():
    """Each event's published quotes, worked out here from every quote row."""
    counts = dict.fromkeys(Event.objects.values_list("pk", flat=True), 0)
    for event, status in Quote.objects.values_list("event_id", "status"):
        if event is not None and status == Status.PUBLISHED:
            counts[event] += 1
    return counts


def citations_from_the_rows():
    """Each source's public citations: of a published event, or of a published quote
    whose event, if any, is published."""
    events = dict(Event.objects.values_list("pk", "status"))
    quotes = {
        pk: (status, event)
        for pk, status, event in Quote.objects.values_list("pk", "status", "event_id")
    }
    counts = dict.fromkeys(Source.objects.values_list("pk", flat=True), 0)
    for source, event, quote in Citation.objects.values_list(
        "source_id", "event_id", "quote_id"
    ):
        if event is not None:
            public = events[event] == Status.PUBLISHED
        else:
            status, quote_event = quotes[quote]
            public = status == Status.PUBLISHED and (
                quote_event is None or events[quote_event] == Status.PUBLISHED
            )
        counts[source] += public
    return counts


def stored_quotes():
    return dict(Event.objects.values_list("pk", "quote_count"))


def stored_citations():
    return dict(Source.objects.values_list("pk", "citation_count"))


def assert_true_counts():
    assert stored_quotes() == quotes_from_the_rows()
    assert stored_citations() == citations_from_the_rows()


def test_the_seed_is_counted(seeded):
    assert any(stored_quotes().values()) and any(stored_citations().values())
    assert_true_counts()


def test_quote_counts_follow_quotes_added_moved_unpublished_and_deleted():
    first, second = make_event(), make_event()
    quote = make_quote(event=first)
    make_quote(event=first)
    assert stored_quotes()[first.pk] == 2
    quote.event = second  # moved to another event
    quote.save()
    assert_true_counts()
    assert stored_quotes()[second.pk] == 1
    records_set_status(
        records=Quote.objects.filter(pk=quote.pk), status=Status.DRAFT, user=None
    )
    assert stored_quotes()[second.pk] == 0
    Quote.objects.filter(event=first).delete()
    assert_true_counts()
    assert stored_quotes()[first.pk] == 0


def test_an_event_saved_from_a_form_loaded_before_a_quote_keeps_the_true_count():
    event = make_event()
    loaded = Event.objects.get(pk=event.pk)  # an editor opens the event
    make_quote(event=event)  # meanwhile a quote of it is published
    loaded.summary = "Edited."
    loaded.save()  # writes every column, the count it was loaded with too
    assert Event.objects.get(pk=event.pk).quote_count == 1
    assert_true_counts()


def test_citation_counts_follow_statuses_moves_and_deletes():
    source, other = make_source(), make_source()
    event = make_event(source=source)
    quote = make_quote(source=source, event=event)
    make_quote(source=source)  # a quote of no event
    assert stored_citations()[source.pk] == 3

    # An event's status decides its citations and those of its quotes.
    records_set_status(
        records=Event.objects.filter(pk=event.pk), status=Status.DRAFT, user=None
    )
    assert stored_citations()[source.pk] == 1
    assert_true_counts()
    records_set_status(
        records=Event.objects.filter(pk=event.pk), status=Status.PUBLISHED, user=None
    )
    assert stored_citations()[source.pk] == 3

    quote.status = Status.DRAFT
    quote.save()
    assert stored_citations()[source.pk] == 2

    citation = Citation.objects.get(event=event)
    citation.source = other  # the passage is found in another source
    citation.save()
    assert (stored_citations()[source.pk], stored_citations()[other.pk]) == (1, 1)

    event.delete()  # its citations go with it, its quote stays (without an event)
    assert stored_citations()[other.pk] == 0
    assert_true_counts()


def test_a_full_recount_mends_any_count():
    """The migration, the generator and a restore recount every row at once."""
    event = make_event(source=make_source())
    make_quote(event=event)
    Event.objects.update(quote_count=7)
    Source.objects.update(citation_count=7)
    recount_event_quotes()
    recount_source_citations()
    assert_true_counts()


def test_counts_follow_the_generator_its_clearing_and_a_restore(seeded, tmp_path):
    generate(events=60, seed=5)
    assert_true_counts()
    clear_generated()
    assert_true_counts()

    path = tmp_path / "backup.json"
    call_command("export_archive", str(path), stdout=StringIO())
    archived = json.loads(path.read_text())["objects"]
    fields = {
        name
        for record in archived
        if record["model"] in ("crisis.event", "crisis.source")
        for name in record["fields"]
    }
    assert not fields & {"quote_count", "citation_count"}  # derived: not archived
    expected = (quotes_from_the_rows(), citations_from_the_rows())
    Event.objects.update(quote_count=0)
    Source.objects.update(citation_count=0)
    call_command("import_archive", str(path), "--yes", "--force", stdout=StringIO())
    assert (stored_quotes(), stored_citations()) == expected


@pytest.mark.parametrize("sort", ["quote_count", "-quote_count"])
def test_the_events_table_sorts_by_the_stored_quote_count(client, sort):
    counts = [2, 0, 3, 1, 1]
    for number in counts:
        event = make_event()
        for _ in range(number):
            make_quote(event=event)
    make_quote(event=make_event(status=Status.DRAFT))  # not listed to the public
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/table/", {"sort": sort})
    assert page.status_code == 200
    listed = [row.record for row in page.context["table"].page.object_list]
    expected = sorted(
        (event for event in Event.objects.published()),
        key=lambda event: (
            quotes_from_the_rows()[event.pk],
            event.start_date,
            event.pk,
        ),
        reverse=sort.startswith("-"),
    )
    assert [event.pk for event in listed] == [event.pk for event in expected]
    assert [event.quote_count for event in listed] == sorted(
        counts, reverse=sort.startswith("-")
    )
    events_query = next(
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "crisis_event"' in q["sql"] and "LIMIT" in q["sql"]
    )
    assert "crisis_quote" not in events_query  # the stored column, no count per row


@pytest.mark.parametrize("sort", ["citation_count", "-citation_count"])
def test_the_source_list_sorts_by_the_stored_citation_count(client, sort):
    for number in (2, 0, 3):
        source = make_source()
        for _ in range(number):
            make_event(source=source)
    make_event(source=source, status=Status.DRAFT)  # not public: not counted
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/sources/", {"sort": sort})
    assert page.status_code == 200
    listed = [row.record for row in page.context["table"].page.object_list]
    counted = citations_from_the_rows()
    expected = sorted(
        Source.objects.all(),
        key=lambda source: (counted[source.pk], source.pk),
        reverse=sort.startswith("-"),
    )
    assert [source.pk for source in listed] == [source.pk for source in expected]
    assert [source.citation_count for source in listed] == [
        counted[s.pk] for s in expected
    ]
    assert not any("crisis_citation" in q["sql"] for q in queries.captured_queries)


@at_once
@pytest.mark.parametrize("first", ["quote", "event"])
def test_an_editor_saving_an_event_while_a_quote_of_it_is_added(first):
    """Both are counted and neither save fails: each recount locks the rows it counts
    before counting (a lock taken after writing the event's row could deadlock)."""
    source = make_source()
    event = make_event(source=source)
    loaded = Event.objects.get(pk=event.pk)

    def add_quote():
        make_quote(event=event, source=source)

    def save_event():
        loaded.summary = "Edited at the same time."
        loaded.save()

    writes = (add_quote, save_event) if first == "quote" else (save_event, add_quote)
    failures = overlapping_writes(*writes)
    assert failures == []
    assert stored_quotes()[event.pk] == 1
    assert_true_counts()


@at_once
def test_two_quotes_of_one_event_and_source_added_at_once_are_both_counted():
    source = make_source()
    event = make_event(source=source)
    failures = overlapping_writes(
        lambda: make_quote(event=event, source=source),
        lambda: make_quote(event=event, source=source),
    )
    assert failures == []
    assert stored_quotes()[event.pk] == 2
    assert stored_citations()[source.pk] == 3
    assert_true_counts()


@at_once
def test_two_citations_of_one_source_added_at_once_are_both_counted():
    """Nothing else they write is shared (an event's save would take the month
    counts' lock first): only the locked source row makes the second recount wait and
    count again. Without it, the second rechecks the row against its older count."""
    source = make_source()
    first, second = make_event(), make_event()

    def cite(event):
        return lambda: Citation.objects.create(
            source=source, event=event, excerpt="Leaders met in Paris on Wednesday."
        )

    failures = overlapping_writes(cite(first), cite(second))
    assert failures == []
    assert stored_citations()[source.pk] == 2
    assert_true_counts()
