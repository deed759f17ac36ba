"""The timeline's layout: the time axis (lanes, precision, binning, zoom links), reading
modes and headings with counts."""

import datetime
import re

import pytest
from django.core.management import call_command

from crisis.models import Event
from crisis.reading import axis as axis_layout
from crisis.reading.axis import (
    axis_stretch,
    bin_unit,
    build_axis,
    counted_per,
    tick_unit,
)
from crisis.reading.month_counts import extent_of, month_counts
from crisis.reading.selectors import axis_rows
from crisis.services import recount_event_months
from tests.factories import make_actor, make_event

pytestmark = pytest.mark.django_db

D = datetime.date


def _row(lane, date, precision="day", end=None, importance=2, slug="e", title="E"):
    return (lane, date, precision, end, importance, slug, title)


def _axis(rows, **options):
    options.setdefault("lanes", [("military", "Military"), ("diplomacy", "Diplomacy")])
    return build_axis(rows, **options)


def _marks(axis, lane=0):
    return axis.lanes[lane].marks


def test_a_day_is_a_point_and_a_month_or_year_a_span():
    axis = _axis(
        [
            _row("military", D(2022, 1, 10)),
            _row("military", D(2022, 1, 1), "month"),
            _row("military", D(2022, 1, 1), "year"),
        ],
        start=D(2021, 7, 1),
        end=D(2022, 6, 30),
    )
    point, month, year = _marks(axis)
    assert point.shape == "point"
    assert month.shape == "span" and year.shape == "span"
    assert month.width < year.width
    scale = axis_layout._Scale(axis.start, axis.end)
    assert month.x == scale.x(D(2022, 1, 1)) and month.x2 == scale.x(D(2022, 2, 1))
    assert year.x == scale.x(D(2022, 1, 1)) and year.x2 == scale.x(
        D(2022, 6, 30) + axis_layout.DAY
    )


def test_approximate_is_a_faded_span_around_the_date():
    axis = _axis(
        [_row("military", D(2022, 1, 20), "approximate")],
        start=D(2022, 1, 1),
        end=D(2022, 1, 31),
    )
    (mark,) = _marks(axis)
    scale = axis_layout._Scale(axis.start, axis.end)
    assert mark.shape == "approximate"
    assert mark.x == scale.x(D(2022, 1, 17)) and mark.x2 == scale.x(D(2022, 1, 24))


def test_reported_by_is_a_bracket_that_ends_at_the_report_date():
    axis = _axis(
        [_row("military", D(2022, 1, 25), "reported")],
        start=D(2022, 1, 1),
        end=D(2022, 1, 31),
    )
    (mark,) = _marks(axis)
    scale = axis_layout._Scale(axis.start, axis.end)
    assert mark.shape == "reported"
    assert mark.x2 == scale.x(D(2022, 1, 26)), "ends with the report day"
    assert mark.x < mark.x2


def test_lanes_keep_their_order_and_events_their_lane():
    axis = _axis(
        [
            _row("diplomacy", D(2022, 1, 3), slug="talks"),
            _row("military", D(2022, 1, 4)),
        ],
        start=D(2022, 1, 1),
        end=D(2022, 1, 31),
    )
    assert [lane.label for lane in axis.lanes] == ["Military", "Diplomacy"]
    assert [lane.count for lane in axis.lanes] == [1, 1]
    assert axis.lanes[1].marks[0].href == "/events/talks/"
    assert axis.lanes[0].y < axis.lanes[1].y


def test_mark_size_follows_importance():
    axis = _axis(
        [
            _row("military", D(2022, 1, 3), importance=1),
            _row("military", D(2022, 1, 9), importance=3),
        ],
        start=D(2022, 1, 1),
        end=D(2022, 1, 31),
    )
    minor, major = _marks(axis)
    assert minor.size < major.size


@pytest.mark.parametrize(
    ("days", "unit", "label"),
    [
        (10, "day", "3 Jan"),
        (60, "week", "3 Jan"),
        (300, "month", "Jan 2022"),
        (2000, "year", "2022"),
    ],
)
def test_tick_labels_adapt_from_days_to_years(days, unit, label):
    start = D(2022, 1, 1) if unit != "year" else D(2021, 1, 1)
    axis = _axis([], start=start, end=start + datetime.timedelta(days=days))
    assert tick_unit(axis.days) == unit == axis.unit
    assert label in [tick.label for tick in axis.ticks]
    assert len(axis.ticks) <= 12


def test_zoom_links_keep_the_other_filters():
    axis = _axis(
        [_row("military", D(2022, 1, 10))],
        start=D(2022, 1, 1),
        end=D(2022, 1, 31),
        params=[("category", "military"), ("from", "2022-01-01"), ("page", "3")],
    )
    assert axis.zoom_out.href == "/?category=military&from=2021-12-16&to=2022-02-16"
    assert axis.earlier.href == "/?category=military&from=2021-12-01&to=2021-12-31"
    assert axis.later.href == "/?category=military&from=2022-02-01&to=2022-03-03"
    first = axis.stretches[0]
    assert (first.start, first.end) == (D(2022, 1, 1), D(2022, 1, 2)), (
        "to the first Monday"
    )
    assert axis.stretches[-1].end == D(2022, 1, 31)
    assert all("category=military" in stretch.href for stretch in axis.stretches)


def test_zoom_links_stay_inside_the_calendar():
    axis = _axis([], start=D(1, 1, 2), end=D(9999, 12, 30))
    assert (
        axis.zoom_out.start >= datetime.date.min and axis.later.end <= datetime.date.max
    )


def test_default_stretch_is_the_dated_days_and_at_least_two_weeks():
    make_event(start_date="2022-01-25", date_precision="reported")
    make_event(start_date="2014-01-01", date_precision="year")
    make_event(start_date="2022-01-20", date_precision="day", status="draft")
    extent = extent_of(month_counts(Event.objects.published()))
    assert (extent.count, extent.first, extent.last) == (
        2,
        D(2022, 1, 25),
        D(2022, 1, 25),
    )
    assert axis_stretch(None, None, extent) == (D(2022, 1, 12), D(2022, 1, 25))
    assert axis_stretch(D(2022, 1, 1), D(2022, 1, 3), extent) == (
        D(2022, 1, 1),
        D(2022, 1, 3),
    )
    # From a given day, two weeks on; with no event dated to a day, as asked.
    assert axis_stretch(D(2022, 1, 1), None, extent)[1] == D(2022, 1, 25)
    undated = extent_of(month_counts(Event.objects.filter(date_precision="year")))
    assert (undated.count, undated.first) == (1, None)
    assert axis_stretch(None, None, undated) == (None, None)


def test_axis_rows_are_one_query_per_lane_set(django_assert_num_queries):
    scholz, biden = make_actor(slug="scholz"), make_actor(slug="biden")
    make_event(actors=[scholz, biden], start_date="2022-01-03")
    make_event(actors=[scholz], start_date="2022-01-04", category="military")
    events = Event.objects.published()
    with django_assert_num_queries(1):
        rows = axis_rows(events, counted_per="day")
    assert sum(row[5] for row in rows) == 2
    with django_assert_num_queries(1):
        both = {"scholz": scholz.pk, "biden": biden.pk}
        rows = axis_rows(events, actors=both, counted_per="month")
    per_lane = {}
    for row in rows:
        per_lane[row[0]] = per_lane.get(row[0], 0) + row[5]
    assert per_lane == {"biden": 1, "scholz": 2}
    with django_assert_num_queries(1):
        rows = axis_rows(events, actors={"scholz": scholz.pk})
    assert [row[0] for row in rows] == ["scholz", "scholz"]


def test_bin_unit_keeps_slots_few():
    assert [bin_unit(days) for days in (20, 100, 600, 1500, 3300)] == [
        "day",
        "week",
        "month",
        "quarter",
        "year",
    ]


def test_binned_axis_counts_per_lane_and_slot_and_stays_small(client, settings):
    """Past MARKS_MAX events the axis counts per lane and slot: an SVG under 20 kB."""
    settings.TIMELINE_PAGE_SIZE = 5
    call_command("generate_events", events=1500, no_progress=True, stdout=None)
    total = Event.objects.published().count()
    assert total > axis_layout.MARKS_MAX
    html = client.get("/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    assert "axis__svg--binned" in svg
    assert len(svg.encode()) < 20_000
    counted = [int(n) for n in _bin_counts(svg)]
    assert sum(counted) <= total and max(counted) > 1
    assert "/events/" not in svg, "bins link to their stretch, not to one event"


def _bin_counts(svg):
    return re.findall(r"<circle [^>]*/><text [^>]*>(\d+)<", svg)


def test_the_benchmarks_timeline_pages_stay_within_the_page_budget(client):
    """The three pages ``make bench`` holds to 60 kB, at 1,000 generated events.

    At this size a search or an actor's month matches a few dozen events, which the axis
    draws one by one beside a page of cards: the heaviest mix, and the one that first
    outgrew the budget.
    """
    from bench.measure import requests_for, scenario
    from bench.run import TARGET_HTML_BYTES, TIMELINE_PAGES

    call_command("generate_events", events=1000, seed=1, no_progress=True, stdout=None)
    pages = [r for r in requests_for(scenario()) if r[0] in TIMELINE_PAGES]
    assert [label for label, _url, _headers in pages] == list(TIMELINE_PAGES)
    drawn = 0
    for label, url, _headers in pages:
        response = client.get(url)
        assert response.status_code == 200, label
        html = response.content.decode()
        assert len(response.content) < TARGET_HTML_BYTES, (label, len(response.content))
        svg = html[html.index("<svg") : html.index("</svg>")]
        drawn += svg.count('<a href="/events/')
    assert drawn > 0, "one of the pages draws each event on the axis"


def test_at_100000_events_the_axis_counts_in_one_query_and_stays_small(
    client, settings, django_assert_num_queries
):
    """The issue's size: rows written in bulk (no search index, no signals), then the
    axis query on its own and the page around it."""
    settings.TIMELINE_PAGE_SIZE = 5
    categories = [value for value, _label in Event.Category.choices]
    precisions = ["day", "day", "day", "month", "approximate", "reported", "year"]
    first = D(2021, 1, 1)
    Event.objects.bulk_create(
        (
            Event(
                title=f"Event {n}",
                slug=f"bulk-{n}",
                summary="",
                start_date=first + datetime.timedelta(days=n % 390),
                date_precision=precisions[n % len(precisions)],
                category=categories[n % len(categories)],
                importance=1 + n % 3,
                status="published",
            )
            for n in range(100_000)
        ),
        batch_size=5_000,
    )
    recount_event_months()  # what every bulk writer does: the page reads the counts
    events = Event.objects.published()
    with django_assert_num_queries(1):
        rows = axis_rows(events, counted_per="month")
    assert sum(row[5] for row in rows) == 100_000
    assert len(rows) <= len(categories) * 14 * len(set(precisions)), (
        "per month, not event"
    )

    response = client.get("/")
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + 6]
    assert "axis__svg--binned" in svg and len(svg.encode()) < 20_000
    assert len(response.content) < 60_000
    lanes = html[html.index("</svg>") : html.index('aria-label="Zoom and pan')]
    per_lane = [
        int(n.replace(",", "")) for n in re.findall(r": ([\d,]+) events?</li>", lanes)
    ]
    assert len(per_lane) == len(categories) and sum(per_lane) == 100_000
    bins = re.findall(r"<circle [^>]*/><text [^>]*>([\d.]+k)<", svg)
    assert len(bins) > len(categories), "thousands per lane and month, shown as 1.1k"


def test_a_stretch_starting_mid_month_counts_that_months_events():
    """Binned by month, a row stands for its month: events after the 15th of the first
    month are inside a stretch that starts on the 15th, not "outside" it."""
    rows = [("military", D(2021, 1, 1), "day", None, 1, 5)]  # as axis_rows counts them
    axis = build_axis(
        rows,
        lanes=[("military", "Military")],
        start=D(2021, 1, 15),
        end=D(2022, 6, 30),
        binned="month",
    )
    assert axis.outside == 0
    assert axis.lanes[0].count == 5


def test_a_stretch_of_years_is_counted_per_year_in_one_query(
    django_assert_num_queries,
):
    """Over years, the axis reads one row per lane, year and precision, and a row
    stands for its whole year: a stretch starting mid-year still counts it."""
    for year in range(2015, 2023):
        for month in (2, 7, 11):
            make_event(start_date=f"{year}-{month:02}-10", category="military")
    make_event(start_date="2018-01-01", date_precision="year", category="military")
    events = Event.objects.published()
    with django_assert_num_queries(1):
        rows = axis_rows(events, counted_per=counted_per("year"))
    assert len(rows) == 8 + 1  # eight years of day-dated events, one year-dated
    assert sum(row[5] for row in rows) == events.count()
    assert {row[1] for row in rows} == {D(year, 1, 1) for year in range(2015, 2023)}
    axis = build_axis(
        rows,
        lanes=[("military", "Military")],
        start=D(2015, 6, 15),
        end=D(2022, 12, 31),
        binned="year",
    )
    assert axis.outside == 0
    assert axis.lanes[0].count == events.count()
    assert sum(slot.count for slot in axis.slots) == events.count()


def test_the_axis_writes_machine_numbers_whatever_the_number_format(client, settings):
    """SVG coordinates are never localised: with thousands separators on, the viewBox
    and every coordinate stay plain numbers a browser can read."""
    settings.USE_THOUSAND_SEPARATOR = True
    make_event(title="A day", start_date=D(2022, 1, 20))
    make_event(title="Another day", start_date=D(2022, 1, 24))
    html = client.get("/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    width, height = re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups()
    assert int(width) >= 1000, "a width that a separator would split"
    assert int(height) > 0
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height)="([^"]*)"', svg)
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d+)?", n) for n in numbers)
