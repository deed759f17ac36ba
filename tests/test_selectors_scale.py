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
