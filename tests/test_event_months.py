"""Month counts (EventMonth): kept true by every path that writes events, and read by
the unfiltered timeline instead of a scan of every event."""

import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.models import Event, EventMonth, Status
from crisis.reading.month_counts import (
    Extent,
    extent_of,
    month_axis_rows,
    month_counts,
    stored_axis_rows,
    stored_density,
    stored_extent,
)
from crisis.reading.selectors import DAY_PRECISIONS, axis_rows, event_density
from crisis.services import records_set_status
from devdata.events import clear_generated, generate
from tests.factories import make_event
from tests.overlapping import at_once, overlapping_writes

pytestmark = pytest.mark.django_db


def counted_from_the_events():
    """What the month counts must say, worked out here from every event row."""
    expected = {}
    for event in Event.objects.all():
        key = (
            event.start_date.replace(day=1),
            event.status,
            event.category,
            event.date_precision,
        )
        ends = event.end_date or event.start_date
        count, top, first, last, reach = expected.get(
            key, (0, 0, event.start_date, event.start_date, ends)
        )
        expected[key] = (
            count + 1,
            max(top, event.importance),
            min(first, event.start_date),
            max(last, event.start_date),
            max(reach, ends),
        )
    return expected


def stored_counts():
    return {
        (row.month, row.status, row.category, row.date_precision): (
            row.count,
            row.importance,
            row.first_day,
            row.last_day,
            row.last_end,
        )
        for row in EventMonth.objects.all()
    }


def test_the_seed_is_counted(seeded):
    assert EventMonth.objects.exists()
    assert stored_counts() == counted_from_the_events()


def test_counts_follow_saves_moves_status_changes_and_deletes():
    january = make_event(start_date=datetime.date(2022, 1, 24), importance=3)
    make_event(start_date=datetime.date(2022, 1, 3), importance=1)
    assert stored_counts() == counted_from_the_events()
    assert EventMonth.objects.get(month=datetime.date(2022, 1, 1)).count == 2

    january.start_date = datetime.date(2022, 2, 14)  # moved to another month
    january.save()
    assert stored_counts() == counted_from_the_events()
    assert EventMonth.objects.get(month=datetime.date(2022, 1, 1)).importance == 1

    records_set_status(
        records=Event.objects.filter(pk=january.pk), status=Status.DRAFT, user=None
    )
    assert stored_counts() == counted_from_the_events()
    assert EventMonth.objects.get(month=datetime.date(2022, 2, 1)).status == "draft"

    january.delete()
    assert stored_counts() == counted_from_the_events()
    assert not EventMonth.objects.filter(month=datetime.date(2022, 2, 1)).exists()


def test_counts_follow_an_end_date_that_moves():
    event = make_event(start_date=datetime.date(2020, 3, 2))
    event.end_date = datetime.date(2022, 1, 30)
    event.save()
    assert stored_counts() == counted_from_the_events()
    assert EventMonth.objects.get().last_end == datetime.date(2022, 1, 30)


def test_a_range_finds_events_that_started_long_before_it_and_run_into_it():
    """The lower bound on start dates comes from the months whose events reach the
    range: an event that began years earlier and is still running is found, and it
    stops being found when its end date is moved back."""
    make_event(slug="same-month", start_date=datetime.date(2022, 1, 24))
    make_event(slug="short-before", start_date=datetime.date(2021, 6, 1))
    long = make_event(
        slug="long-running",
        start_date=datetime.date(2014, 2, 20),
        end_date=datetime.date(2022, 2, 24),
    )
    january = (datetime.date(2022, 1, 1), datetime.date(2022, 1, 31))

    def found():
        return set(Event.objects.in_range(*january).values_list("slug", flat=True))

    assert found() == {"same-month", "long-running"}
    long.end_date = datetime.date(2021, 12, 31)
    long.save()
    assert found() == {"same-month"}
    assert (
        set(
            Event.objects.in_range(start=datetime.date(2030, 1, 1)).values_list(
                "slug", flat=True
            )
        )
        == set()
    )


def test_a_range_reads_the_date_index_from_the_earliest_reaching_month():
    make_event(start_date=datetime.date(2022, 1, 24))
    with CaptureQueriesContext(connection) as queries:
        list(Event.objects.in_range(start=datetime.date(2022, 1, 1)))
    (sql,) = [query["sql"] for query in queries.captured_queries]
    assert '"crisis_eventmonth"' in sql and '"last_end" >=' in sql


def test_a_date_assigned_as_text_still_moves_the_count():
    event = make_event(start_date=datetime.date(2022, 1, 24))
    event.start_date = "2021-12-31"
    event.save()
    assert stored_counts() == counted_from_the_events()


def test_the_calendars_first_and_last_months_are_counted():
    last = make_event(start_date=datetime.date(9999, 12, 31))
    make_event(start_date=datetime.date(1, 1, 1))
    assert stored_counts() == counted_from_the_events()
    last.delete()
    assert stored_counts() == counted_from_the_events()


def test_counts_follow_the_generator_and_its_clearing():
    make_event(start_date=datetime.date(2022, 1, 24))
    generate(events=60, seed=5)
    assert len(stored_counts()) > 3
    assert stored_counts() == counted_from_the_events()
    clear_generated()
    assert stored_counts() == counted_from_the_events()


def test_counts_are_rebuilt_by_a_restore_not_archived(seeded, tmp_path):
    path = tmp_path / "backup.json"
    call_command("export_archive", str(path), stdout=StringIO())
    labels = set(json.loads(path.read_text())["counts"])
    assert "crisis.eventmonth" not in labels
    expected = counted_from_the_events()
    make_event(start_date=datetime.date(1999, 5, 1), title="Added after the backup")
    call_command("import_archive", str(path), "--yes", "--force", stdout=StringIO())
    assert stored_counts() == expected


@pytest.mark.parametrize("statuses", [("published",), ("draft", "published")])
def test_stored_and_counted_months_give_what_a_scan_of_the_events_gives(
    seeded, statuses
):
    generate(events=120, seed=9)
    events = Event.objects.filter(status__in=statuses)
    dated = sorted(
        day
        for day, precision in events.values_list("start_date", "date_precision")
        if precision in DAY_PRECISIONS
    )
    scanned = Extent(events.count(), dated[0], dated[-1])
    counted = month_counts(events)
    assert stored_extent(statuses) == extent_of(counted) == scanned
    for unit in ("month", "year"):
        per_event = sorted(axis_rows(events, counted_per=unit))
        assert sorted(stored_axis_rows(statuses, unit)) == per_event
        assert sorted(month_axis_rows(counted, unit)) == per_event


def test_the_stored_density_is_the_density_of_every_event(seeded):
    """Bars of months or years (a long timeline) come from the month counts; a short
    timeline is read from its events. Either way the strip is the same."""
    assert stored_density((Status.PUBLISHED,)) == event_density(
        Event.objects.published()
    )  # the seed: weeks of 2022 and one event in 2014, so bars of years
    for year in (2015, 2018, 2019, 2019, 2023):  # years of events: bars of years
        make_event(start_date=datetime.date(year, 3, 9))
    make_event(start_date=datetime.date(2016, 5, 1), status=Status.DRAFT)
    make_event(start_date=datetime.date(2017, 5, 1), date_precision="year")
    for statuses in [("published",), ("draft", "published")]:
        events = Event.objects.filter(status__in=statuses)
        stored = stored_density(statuses)
        assert stored.unit in ("month", "year")
        assert stored == event_density(events)


def test_the_unfiltered_timeline_reads_the_month_counts_not_every_event(client, seeded):
    generate(events=400, seed=2)  # past the axis's drawn-marks limit: counts per slot
    published = Event.objects.published().count()
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200
    assert f"{published:,} event" in page.content.decode()
    sql = [query["sql"] for query in queries.captured_queries]
    # One row for the count and the stretch, one query for the axis's slots and one
    # for the counts beside the month headings.
    assert sum("crisis_eventmonth" in statement for statement in sql) == 3
    # No aggregate over the events table at all.
    assert not [s for s in sql if "COUNT(*)" in s and 'FROM "crisis_event" ' in s]
    filtered = client.get("/?category=military")  # a filter: the events are read
    assert filtered.status_code == 200
    military = Event.objects.published().filter(category="military").count()
    assert f"{military:,} event" in filtered.content.decode()


@pytest.mark.parametrize("query", [{}, {"category": "diplomacy"}])
def test_month_headings_count_the_whole_month_from_the_month_counts(client, query):
    """More events than a page holds in one month: its heading counts all of them,
    from the stored month counts (unfiltered) or the page's own (filtered)."""
    make_event(start_date=datetime.date(2020, 6, 1))  # a long stretch: month headings
    for day in range(1, 26):
        make_event(start_date=datetime.date(2022, 1, day))
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/", query).content.decode()
    assert 'January 2022</time> <span class="day__count">25 events</span>' in page
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if "COUNT(*)" in s and '"start_date" >=' in s]


def test_staff_count_drafts_on_the_unfiltered_timeline(client, seeded):
    make_event(status=Status.DRAFT, title="Not yet public")
    staff = get_user_model().objects.create_user("desk", is_staff=True)
    client.force_login(staff)
    page = client.get("/")
    assert f"{Event.objects.count():,} event" in page.content.decode()


@at_once
def test_two_editors_adding_events_to_one_month_at_once_are_both_counted():
    """The first editor's transaction has recounted the month but not committed when
    the second saves: the second waits, then counts both, and neither save fails."""
    failures = overlapping_writes(
        lambda: make_event(start_date=datetime.date(2031, 3, 4), slug="first-editor"),
        lambda: make_event(start_date=datetime.date(2031, 3, 20), slug="second-editor"),
    )
    assert failures == []
    assert EventMonth.objects.get(month=datetime.date(2031, 3, 1)).count == 2
    assert stored_counts() == counted_from_the_events()
