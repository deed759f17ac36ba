"""Calendar units: the arithmetic the axis, the density strip, the headings and the
iCalendar export share."""

import datetime

import pytest

from crisis.reading.calendar_units import (
    dating_period,
    shift,
    stretch_label,
    unit_end,
    unit_next,
    unit_start,
)

D = datetime.date


@pytest.mark.parametrize(
    ("unit", "inside", "start", "following", "end"),
    [
        ("day", D(2022, 1, 24), D(2022, 1, 24), D(2022, 1, 25), D(2022, 1, 24)),
        ("week", D(2022, 1, 26), D(2022, 1, 24), D(2022, 1, 31), D(2022, 1, 30)),
        ("month", D(2022, 2, 14), D(2022, 2, 1), D(2022, 3, 1), D(2022, 2, 28)),
        ("quarter", D(2022, 11, 5), D(2022, 10, 1), D(2023, 1, 1), D(2022, 12, 31)),
        ("year", D(2022, 7, 1), D(2022, 1, 1), D(2023, 1, 1), D(2022, 12, 31)),
    ],
)
def test_units_start_step_and_end(unit, inside, start, following, end):
    assert unit_start(inside, unit) == start
    assert unit_next(inside, unit) == following
    assert unit_end(inside, unit) == end


def test_the_calendars_end_is_an_end_not_an_error():
    last = datetime.date.max
    for unit in ("day", "week", "month", "quarter", "year"):
        assert unit_next(last, unit) == last
        assert unit_end(last, unit) == last
    assert shift(last, datetime.timedelta(days=3)) == last
    assert shift(datetime.date.min, -datetime.timedelta(days=3)) == datetime.date.min


def test_a_dating_covers_its_month_or_year_or_its_own_end():
    assert dating_period(D(2022, 2, 10), "month", None) == (
        D(2022, 2, 1),
        D(2022, 2, 28),
    )
    assert dating_period(D(2022, 2, 10), "year", None) == (
        D(2022, 1, 1),
        D(2022, 12, 31),
    )
    assert dating_period(D(2022, 2, 10), "day", D(2022, 3, 1)) == (
        D(2022, 2, 10),
        D(2022, 3, 1),
    )


def test_stretches_are_named_briefly():
    assert stretch_label(D(2022, 1, 1), D(2022, 12, 31), "year") == "2022"
    assert stretch_label(D(2022, 4, 1), D(2022, 6, 30), "quarter") == "Q2 2022"
    assert stretch_label(D(2022, 1, 1), D(2022, 1, 31), "month") == "January 2022"
    assert stretch_label(D(2022, 1, 3), D(2022, 1, 9), "week") == "3 Jan – 9 Jan 2022"
