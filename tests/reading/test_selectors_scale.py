"""Selectors for large timelines: cheap pages, one-query density, counts."""

import datetime

import pytest

from crisis.models import Event
from crisis.reading.selectors import (
    TIMELINE_ORDER,
    event_density,
    neighbours,
    timeline_page,
)
from crisis.search import search_events
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def ordered():
    return Event.objects.published().order_by(*TIMELINE_ORDER)


def test_timeline_page_fetches_one_extra_row_instead_of_counting(
    django_assert_num_queries,
):
    for day in range(1, 6):
        make_event(start_date=datetime.date(2022, 1, day))
    with django_assert_num_queries(1) as captured:
        page = timeline_page(ordered(), 1, 2)
    sql = captured.captured_queries[0]["sql"]
    assert "COUNT(" not in sql.upper()
    assert "LIMIT 3" in sql.upper()
    assert [e.start_date.day for e in page.events] == [1, 2]
    assert page.has_next and page.previous is None


def test_last_timeline_page_knows_there_is_no_next():
    for day in range(1, 6):
        make_event(start_date=datetime.date(2022, 1, day))
    page = timeline_page(ordered(), 3, 2)
    assert [e.start_date.day for e in page.events] == [5]
    assert page.previous.start_date.day == 4, "the row before tells a continued day"
    assert not page.has_next
    assert timeline_page(ordered(), 9, 2).events == []


def test_density_is_one_aggregate_query(django_assert_num_queries):
    make_event(start_date=datetime.date(2022, 1, 24))
    make_event(start_date=datetime.date(2022, 1, 24))
    make_event(start_date=datetime.date(2022, 1, 26))
    make_event(start_date=datetime.date(2022, 1, 26), status="draft")
    with django_assert_num_queries(1):
        density = event_density(Event.objects.published())
    assert [(bar.start, bar.count) for bar in density.bars] == [
        (datetime.date(2022, 1, 24), 2),
        (datetime.date(2022, 1, 26), 1),
    ]


def test_density_of_a_search_counts_only_matches():
    make_event(title="Gas talks", start_date=datetime.date(2022, 1, 24))
    make_event(title="Troops", start_date=datetime.date(2022, 1, 25))
    density = event_density(search_events(Event.objects.published(), "gas"))
    assert [(bar.start, bar.count) for bar in density.bars] == [
        (datetime.date(2022, 1, 24), 1)
    ]


def test_neighbours_follow_timeline_order_across_ties_and_days():
    day = datetime.date(2022, 1, 24)
    before = make_event(title="Earlier day", start_date=day - datetime.timedelta(1))
    major = make_event(title="Zeta", start_date=day, importance=3)
    middle = make_event(title="Alpha", start_date=day, importance=2)
    later_title = make_event(title="Beta", start_date=day, importance=2)
    after = make_event(title="Next day", start_date=day + datetime.timedelta(1))
    published = Event.objects.published()
    assert neighbours(published, major) == (before, middle)
    assert neighbours(published, middle) == (major, later_title)
    assert neighbours(published, later_title) == (middle, after)
    assert neighbours(published, before) == (None, major)
    assert neighbours(published, after) == (later_title, None)


def _spread_events():
    """Events over five months, unevenly, with several on one day and other categories
    and precisions mixed in: pages cut through months and days."""
    days = [
        datetime.date(2021, 11, 3),
        *[datetime.date(2021, 12, 1 + n % 28) for n in range(7)],
        datetime.date(2022, 1, 24),
        datetime.date(2022, 1, 24),
        datetime.date(2022, 1, 24),
        *[datetime.date(2022, 2, 1 + n) for n in range(5)],
        datetime.date(2022, 4, 30),
    ]
    for index, day in enumerate(days):
        make_event(
            start_date=day,
            title=f"Talks {index:02d}" if index % 3 else f"Exercise {index:02d}",
            category="military" if index % 2 else "diplomacy",
            date_precision="month" if index == 4 else "day",
            importance=1 + index % 3,
            actors=(),
        )
    make_event(start_date=datetime.date(2022, 1, 10), status="draft", actors=())


@pytest.mark.parametrize("query", ["", "talks", "exercise"])
@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_a_page_read_from_its_months_is_the_page_of_the_whole_sort(query, size):
    from crisis.reading.month_counts import CountedMonths

    _spread_events()
    events = search_events(Event.objects.published(), query, ranked=False)
    months = CountedMonths(events)
    pages = -(-months.extent.count // size) + 1  # and one past the end
    assert pages > 2
    for number in range(1, pages + 1):
        whole = timeline_page(events, number, size)
        windowed = timeline_page(events, number, size, months)
        assert [e.pk for e in windowed.events] == [e.pk for e in whole.events]
        assert windowed.previous == whole.previous
        assert windowed.has_next == whole.has_next


def test_a_page_with_month_counts_reads_only_its_months(django_assert_num_queries):
    from crisis.reading.month_counts import CountedMonths

    _spread_events()
    events = Event.objects.published()
    months = CountedMonths(events)
    window = months.window(6, 9)  # the 7th to the 10th row: December to January
    assert window.skipped == 1, "November's one event comes before"
    assert window.first_day == datetime.date(2021, 12, 1)
    assert window.last_day == datetime.date(2022, 1, 24)
    # Page 3 of 4 reads its rows 9-12 and the row either side: December to February.
    with django_assert_num_queries(1) as captured:
        page = timeline_page(events, 3, 4, months)
    sql = captured.captured_queries[0]["sql"]
    assert "2021-12-01" in sql and "2022-02-05" in sql
    assert [e.start_date for e in page.events] == [datetime.date(2022, 1, 24)] * 3 + [
        datetime.date(2022, 2, 1)
    ]
    assert months.window(99, 102) is None, "past the end: no row to find"
    assert months.window(16, 20).last_day is None, "the last page reads to the end"


def test_the_timeline_orders_a_search_by_date_without_ranking_it(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _spread_events()
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/", {"q": "talks"})
    assert response.status_code == 200
    page_sql = [q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"]]
    assert page_sql and not any("search_rank" in sql for sql in page_sql)
    titles = [
        event.title for group in response.context["groups"] for event in group.events
    ]
    starts = [
        event.start_date
        for group in response.context["groups"]
        for event in group.events
    ]
    assert titles and all(title.startswith("Talks") for title in titles)
    assert starts == sorted(starts), "by date, not best match first"
    # The event table still lists a search best match first.
    ranked = search_events(Event.objects.published(), "talks")
    assert "search_rank" in str(ranked.query)


def test_page_urls_are_remembered_per_script_prefix():
    from django.urls import get_script_prefix, set_script_prefix

    event = make_event(slug="troops-move")
    before = get_script_prefix()
    assert event.get_absolute_url() == "/events/troops-move/"
    try:
        set_script_prefix("/timeline/")
        assert event.get_absolute_url() == "/timeline/events/troops-move/"
    finally:
        set_script_prefix(before)
    assert event.get_absolute_url() == "/events/troops-move/"
    event.slug = "troops-moved"
    assert event.get_absolute_url() == "/events/troops-moved/"
