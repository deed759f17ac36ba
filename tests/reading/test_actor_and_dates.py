"""An actor and a date range together: the filter reads whichever side holds fewer
events first (``EventFilter.read_first``), from the stored counts, and the answer is
the same either way."""

import datetime
import random

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from crisis.models import Event, Status
from crisis.reading.filters import EventFilter
from crisis.reading.selectors import axis_rows
from tests.factories import make_actor, make_event

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 1, 10)


def on(day_offset, **fields):
    return make_event(start_date=DAY + datetime.timedelta(days=day_offset), **fields)


@pytest.fixture
def busy_and_rare():
    """A busy actor in events across two years; a rare one in a single event; and other
    events filling January 2022."""
    busy, rare, other = make_actor(slug="busy"), make_actor(slug="rare"), make_actor()
    made = [
        *(({"actors": [busy]}, offset) for offset in range(0, 720, 30)),  # monthly
        ({"actors": [busy, rare], "end_date": DAY + datetime.timedelta(days=40)}, 3),
        ({"actors": [busy], "status": Status.DRAFT}, 5),
        *(({"actors": [other]}, offset) for offset in range(12)),
    ]
    random.Random(3).shuffle(made)  # ids interleave, so no id arithmetic can pass
    for fields, offset in made:
        on(offset, **fields)
    return busy, rare


def overlapping(actor_slug, start=None, end=None):
    """What the filter must find, worked out here from the event rows."""
    found = set()
    for event in Event.objects.published().filter(event_actors__actor__slug=actor_slug):
        last = event.end_date or event.start_date
        if (start is None or last >= start) and (
            end is None or event.start_date <= end
        ):
            found.add(event.title)
    return found


def filtered(query):
    filterset = EventFilter(QueryDict(query), Event.objects.published())
    with CaptureQueriesContext(connection) as queries:
        titles = set(filterset.qs.values_list("title", flat=True))
    return filterset, titles, queries.captured_queries[-1]["sql"]


def test_the_filter_counts_the_range_months_and_the_actors_events(busy_and_rare):
    busy, rare = busy_and_rare
    published = Event.objects.published()
    query = "actor=busy&actor=rare&from=2022-01-10&to=2022-01-31"
    filterset, _titles, _sql = filtered(query)
    january = published.filter(start_date__year=2022, start_date__month=1)
    assert filterset._counts["range"] == january.count()
    links = published.filter(event_actors__actor__in=[busy, rare])
    assert filterset._counts["actors"] == links.count()  # once per actor


def test_a_busy_actor_in_a_short_range_is_read_by_the_dates(busy_and_rare):
    query = "actor=busy&from=2022-01-10&to=2022-01-20"
    filterset, titles, sql = filtered(query)
    assert filterset.read_first == "dates"
    assert '"crisis_event"."id" + 0) IN' in sql
    assert "COALESCE" not in sql
    assert titles == overlapping("busy", DAY, datetime.date(2022, 1, 20))


def test_a_rare_actor_in_a_long_range_is_read_by_the_actor(busy_and_rare):
    filterset, titles, sql = filtered("actor=rare&from=2022-01-01&to=2023-12-31")
    assert filterset.read_first == "actors"
    assert "COALESCE" in sql and "+ 0" not in sql
    assert titles == overlapping(
        "rare", datetime.date(2022, 1, 1), datetime.date(2023, 12, 31)
    )
    assert titles  # the long event starting on 13 January


# Both ways are taken: each query, and which side its range makes the filter read first.
READ_FIRST = {
    "actor=busy&from=2022-02-01": "dates",  # the long event runs into February
    "actor=busy&to=2022-01-12": "dates",
    "actor=busy&from=2022-01-12&to=2022-02-15": "dates",
    "actor=busy&actor=rare&from=2022-01-01&to=2022-01-31": "dates",
    "actor=busy&from=2023-06-01&to=2023-06-30": "dates",
    "actor=busy&from=2022-01-01&to=2023-12-31": "actors",
    "actor=rare&from=2022-02-01&to=2022-02-28": "actors",
    "actor=rare&to=2022-01-31": "actors",
    "actor=rare&actor=busy&from=2021-01-01": "actors",
}


@pytest.mark.parametrize("query", READ_FIRST)
def test_either_way_the_events_are_those_of_the_actors_in_the_range(
    busy_and_rare, query
):
    filterset, titles, _sql = filtered(query)
    cleaned = filterset.form.cleaned_data
    expected = set().union(
        *(
            overlapping(slug, cleaned.get("from"), cleaned.get("to"))
            for slug in cleaned["actor"]
        )
    )
    assert filterset.read_first == READ_FIRST[query]
    assert titles == expected


def test_without_dates_or_actors_nothing_is_chosen(busy_and_rare):
    assert filtered("actor=busy")[0].read_first is None
    assert filtered("from=2022-01-01")[0].read_first is None


@pytest.mark.parametrize("counted_per", [None, "month"])
def test_the_actor_lanes_are_the_same_whichever_side_leads(busy_and_rare, counted_per):
    busy, rare = busy_and_rare
    filterset, _titles, _sql = filtered(
        "actor=busy&actor=rare&from=2022-01-01&to=2022-03-31"
    )
    actors = {"busy": busy.pk, "rare": rare.pk}
    lanes = {
        dates_first: sorted(
            axis_rows(
                filterset.qs,
                actors=actors,
                dates_first=dates_first,
                counted_per=counted_per,
                limit=100,
            ),
            key=repr,
        )
        for dates_first in (True, False)
    }
    assert lanes[True] == lanes[False]
    assert {row[0] for row in lanes[True]} == {"busy", "rare"}


def test_a_timeline_of_an_actor_and_dates_runs_a_fixed_number_of_queries(
    client, busy_and_rare, django_assert_max_num_queries
):
    """Under ten: the stored counts that choose the way come with the form's options."""
    query = {"actor": "busy", "from": "2022-01-01", "to": "2022-03-31"}
    with django_assert_max_num_queries(9) as few:
        assert client.get("/", query).status_code == 200
    busy, _rare = busy_and_rare
    for offset in range(40):
        on(offset, actors=[busy, make_actor()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/", query).status_code == 200
