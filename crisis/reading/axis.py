"""The time axis: lanes, marks, bins, ticks and zoom links, drawn by
``crisis/includes/_axis.html`` as an SVG.

No queries here: ``selectors.axis_rows`` fetches the rows (one query per lane set) and
this module lays them out.
"""

import bisect
import datetime
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from crisis.models import Category, DatePrecision, format_partial_date, page_url
from crisis.reading.calendar_units import (
    DAY,
    dating_period,
    day_label,
    shift,
    stretch_label,
    unit_label,
    unit_next,
    unit_start,
)

# The time axis: one lane per category (or per chosen actor), one mark per event, or
# counts per lane and slot when there are too many events to draw one by one.

WIDTH = 1000
PLOT_LEFT = 150
PLOT_RIGHT = 990
LANE_HEIGHT = 30
TICKS_HEIGHT = 24
# Up to this many marks the axis draws each event (the seed's 45 fit); beyond, it counts
# per slot. Each drawn mark is a link of about 250 bytes, so this keeps the axis near 12 kB
# and the page within its 60 kB budget beside a page of cards.
MARKS_MAX = 48
SLOTS = 24
MIN_DEFAULT_DAYS = 14
APPROXIMATE_DAYS = 3
REPORTED_LEAD_DAYS = 7
MAX_STRETCHES = 12
EARLIEST, LATEST = datetime.date(2, 1, 1), datetime.date(9998, 12, 31)
POINT_PRECISIONS = (
    DatePrecision.DAY,
    DatePrecision.APPROXIMATE,
    DatePrecision.REPORTED,
)


@dataclass
class AxisMark:
    """One event (or, ``count`` set, the events of a lane in one slot)."""

    shape: str  # point, span, approximate, reported, bin
    x: float
    x2: float
    y: float
    size: float
    label: str
    href: str = ""
    count: int = 0
    importance: int = 1

    @property
    def width(self):
        return round(max(self.x2 - self.x, 2), 1)

    @property
    def top(self):
        return round(self.y - self.size, 1)

    @property
    def height(self):
        return round(self.size * 2, 1)

    @property
    def bottom(self):
        return round(self.y + self.size, 1)

    @property
    def text_y(self):
        return round(self.y + 4, 1)

    @property
    def count_label(self):
        if self.count < 1000:
            return str(self.count)
        return (
            f"{self.count / 1000:.0f}k"
            if self.count >= 10_000
            else (f"{self.count / 1000:.1f}k")
        )


@dataclass
class Lane:
    key: str
    label: str
    y: float
    marks: list
    count: int = 0
    category: str = ""

    @property
    def label_y(self):
        return self.y + 4


@dataclass
class Tick:
    x: float
    label: str
    date: datetime.date


@dataclass
class AxisLink:
    label: str
    href: str
    start: datetime.date
    end: datetime.date
    x: float = 0
    x2: float = 0
    count: int = 0
    key: datetime.date = None
    unit: str = ""

    @property
    def width(self):
        return round(self.x2 - self.x, 1)


@dataclass
class Axis:
    start: datetime.date
    end: datetime.date
    unit: str
    lanes: list
    ticks: list
    binned: bool
    stretches: list
    zoom_out: AxisLink
    earlier: AxisLink
    later: AxisLink
    outside: int
    slots: list = field(default_factory=list)

    width = WIDTH
    plot_left = PLOT_LEFT
    plot_right = PLOT_RIGHT

    @property
    def height(self):
        return TICKS_HEIGHT + LANE_HEIGHT * len(self.lanes) + 6

    @property
    def plot_top(self):
        return TICKS_HEIGHT

    @property
    def plot_height(self):
        return LANE_HEIGHT * len(self.lanes)

    @property
    def days(self):
        return (self.end - self.start).days + 1

    @property
    def label(self):
        return f"{day_label(self.start)} to {day_label(self.end)}"


def axis_range(rows, start=None, end=None):
    """The stretch the axis shows: the one asked for, else the days the events are dated
    to (at least two weeks, so a "reported by" bracket has room), else every period."""
    if start and end:
        return start, end
    point_days = [row[1] for row in rows if row[2] in POINT_PRECISIONS]
    periods = [dating_period(row[1], row[2], row[3]) for row in rows]
    if point_days:
        first = min(point_days)
        last = max(dating_period(*r[1:4])[1] for r in rows if r[2] in POINT_PRECISIONS)
    elif periods:
        first, last = min(p[0] for p in periods), max(p[1] for p in periods)
    else:
        return None
    first, last = start or first, end or last
    if not start and (last - first).days + 1 < MIN_DEFAULT_DAYS:
        first = last - datetime.timedelta(days=MIN_DEFAULT_DAYS - 1)
    if last < first:
        first, last = last, first
    return first, last


def tick_unit(days):
    """Labels adapt to the stretch: days, weeks, months or years."""
    if days <= 21:
        return "day"
    if days <= 120:
        return "week"
    if days <= 3 * 366:
        return "month"
    return "year"


class _Scale:
    def __init__(self, start, end):
        self.start, self.days = start, (end - start).days + 1

    def x(self, date):
        """The left edge of ``date``'s day on the plot, clipped to it."""
        offset = min(max((date - self.start).days, 0), self.days)
        x = PLOT_LEFT + offset / self.days * (PLOT_RIGHT - PLOT_LEFT)
        # Whole units on wide axes, where a day is less than one: a smaller SVG.
        return round(x) if self.days > 365 else round(x, 1)

    def centre(self, date):
        return round((self.x(date) + self.x(date + DAY)) / 2, 1)


def build_axis(rows, *, lanes, start=None, end=None, binned=None, params=()):
    """Lay out the axis from ``selectors.axis_rows``.

    ``rows`` are ``(lane, start_date, precision, end_date, importance, slug, title)``
    for each event, or, ``binned`` the unit of the slots (``bin_unit``),
    ``(lane, slot_date, precision, None, importance, count)`` per group. ``lanes`` are ``(key, label)`` in display order;
    ``params`` the other filters, kept by every link.
    """
    stretch = axis_range(rows, start, end)
    if stretch is None:
        return None
    # A year's margin either side of the calendar, so no step of the axis overflows it.
    first, last = max(stretch[0], EARLIEST), min(stretch[1], LATEST)
    scale = _Scale(first, last)
    unit = tick_unit(scale.days)
    link = _linker(params)
    by_lane = {key: [] for key, _label in lanes}
    outside = 0
    for row in rows:
        if row[0] not in by_lane:
            continue
        period = dating_period(row[1], row[2], row[3])
        counted = binned and COUNTED_PRECISION.get(counted_per(binned))
        if counted:  # the row stands for its whole month or year
            period = (
                period[0],
                max(period[1], dating_period(row[1], counted, None)[1]),
            )
        if period[1] < first or period[0] > last:
            outside += row[5] if binned else 1
            continue
        by_lane[row[0]].append(row)
    slots = _slots(first, last, binned, link, scale) if binned else []
    for slot in slots:
        slot.unit = binned
    drawn = []
    for index, (key, label) in enumerate(lanes):
        y = TICKS_HEIGHT + LANE_HEIGHT * index + LANE_HEIGHT // 2
        lane_rows = by_lane[key]
        marks = (
            _bins(lane_rows, y, scale, slots, label)
            if binned
            else _marks(lane_rows, y, scale)
        )
        count = sum(row[5] for row in lane_rows) if binned else len(lane_rows)
        category = key if key in Category.values else ""
        drawn.append(Lane(key, label, y, marks, count, category))
    ticks = _ticks(first, last, unit, scale)
    span = datetime.timedelta(days=scale.days)
    centre = shift(first, span / 2)
    return Axis(
        start=first,
        end=last,
        unit=unit,
        lanes=drawn,
        ticks=ticks,
        binned=binned,
        stretches=_stretches(first, last, unit, link, scale),
        zoom_out=link("Zoom out", shift(centre, -span), shift(centre, span)),
        earlier=link("Earlier", shift(first, -span), shift(first, -DAY)),
        later=link("Later", shift(last, DAY), shift(last, span)),
        outside=outside,
        slots=slots,
    )


def axis_stretch(start, end, extent):
    """The range the axis shows: ``from``/``to`` when given, else the first to the last
    day the events are dated to (``extent``, a ``month_counts.Extent``), at least two weeks
    so that a "reported by" bracket has room. ``(None, None)`` when neither says."""
    if start and end:
        return start, end
    if extent.first is None:
        return start, end
    first, last = start or extent.first, end or extent.last
    if last < first:
        return start, end
    if (last - first).days + 1 < MIN_DEFAULT_DAYS:
        if start:
            last = shift(first, datetime.timedelta(days=MIN_DEFAULT_DAYS - 1))
        else:
            first = shift(last, -datetime.timedelta(days=MIN_DEFAULT_DAYS - 1))
    return first, last


def _linker(params):
    base = reverse("crisis:timeline")
    kept = [pair for pair in params if pair[0] not in ("from", "to", "page")]

    def link(label, start, end):
        query = urlencode([*kept, ("from", start.isoformat()), ("to", end.isoformat())])
        return AxisLink(label, f"{base}?{query}", start, end)

    return link


def _marks(rows, y, scale):
    """One mark per event, drawn as precisely as it is dated; events of one day stack."""
    marks, seen = [], {}
    for _lane, date, precision, end_date, importance, slug, title in rows:
        first, last = dating_period(date, precision, end_date)
        size = 3 + 1.5 * importance
        stack = seen[date, precision] = seen.get((date, precision), -1) + 1
        dy = ((stack % 5) - 2) * 4 if stack else 0
        shape = "span"
        if precision == DatePrecision.APPROXIMATE:
            shape = "approximate"
            first -= datetime.timedelta(days=APPROXIMATE_DAYS)
            last += datetime.timedelta(days=APPROXIMATE_DAYS)
        elif precision == DatePrecision.REPORTED:
            shape = "reported"
            first = date - datetime.timedelta(days=REPORTED_LEAD_DAYS)
        elif first == last:
            shape = "point"
        dating = format_partial_date(date, precision)
        marks.append(
            AxisMark(
                shape=shape,
                x=scale.centre(first) if shape == "point" else scale.x(first),
                x2=scale.x(last + DAY),
                y=y + dy,
                size=size if shape == "point" else 2 + importance,
                label=f"{title}, {dating}",
                href=page_url("crisis:event_detail", slug),
                importance=importance,
            )
        )
    return marks


# The dating whose period a counted row stands for.
COUNTED_PRECISION = {"month": DatePrecision.MONTH, "year": DatePrecision.YEAR}


def counted_per(unit):
    """What ``selectors.axis_rows`` counts per for slots of ``unit``: the largest
    calendar unit that fits in a slot whole (a quarter holds whole months)."""
    return {"day": "day", "week": "day", "year": "year"}.get(unit, "month")


def bin_unit(days):
    """The calendar unit the axis counts in: at most ``SLOTS`` slots across the range."""
    for unit, unit_days in (("day", 1), ("week", 7), ("month", 31), ("quarter", 92)):
        if days <= SLOTS * unit_days:
            return unit
    return "year"


def _slots(first, last, unit, link, scale):
    """The range cut at calendar ``unit`` boundaries, each slot a link narrowing to it."""
    slots, cursor = [], unit_start(first, unit)
    while cursor <= last:
        following = unit_next(cursor, unit)
        start, end = max(cursor, first), min(following - DAY, last)
        slot = link(stretch_label(start, end, unit), start, end)
        slot.x, slot.x2 = scale.x(start), scale.x(end + DAY)
        slot.key = cursor
        slots.append(slot)
        cursor = following
    return slots


def _bins(rows, y, scale, slots, lane_label):
    """Counts per slot; events dated to a period longer than a slot keep their span."""
    starts = [slot.key for slot in slots]
    slot_days = (unit_next(starts[0], slots[0].unit) - starts[0]).days
    per_slot, spans = {}, {}
    for _lane, date, precision, end_date, _importance, count in rows:
        first, last = dating_period(date, precision, end_date)
        if precision not in POINT_PRECISIONS and (last - first).days + 1 > slot_days:
            spans[first, last] = spans.get((first, last), 0) + count
            continue
        index = max(0, bisect.bisect_right(starts, date) - 1)
        per_slot[index] = per_slot.get(index, 0) + count
    tallest = max([*per_slot.values(), 1])
    marks = []
    for index, count in sorted(per_slot.items()):
        slot = slots[index]
        slot.count += count
        marks.append(
            AxisMark(
                shape="bin",
                x=round((slot.x + slot.x2) / 2),
                x2=0,
                y=y,
                size=round(3 + 8 * math.sqrt(count / tallest)),
                label=f"{lane_label}, {slot.label}: {count:,} events",
                count=count,
            )
        )
    for (first, last), count in sorted(spans.items()):
        marks.append(
            AxisMark(
                shape="span",
                x=scale.x(first),
                x2=scale.x(last + DAY),
                y=y,
                size=4,
                label=f"{lane_label}, {day_label(first)} – {day_label(last)}: {count:,} events",
                count=count,
            )
        )
    return marks


def _ticks(first, last, unit, scale):
    dates, cursor = [], unit_start(first, unit)
    while cursor <= last:
        if cursor >= first:
            dates.append(cursor)
        cursor = unit_next(cursor, unit)
    step = max(1, math.ceil(len(dates) / 12))
    return [Tick(scale.x(date), unit_label(date, unit), date) for date in dates[::step]]


def _stretches(first, last, unit, link, scale):
    """Range links that zoom in without JavaScript: one per tick interval, at most 12."""
    bounds, cursor = [first], unit_next(unit_start(first, unit), unit)
    while cursor <= last:
        bounds.append(cursor)
        cursor = unit_next(cursor, unit)
    step = max(1, math.ceil(len(bounds) / MAX_STRETCHES))
    starts = bounds[::step]
    if len(starts) < 2:
        return []
    stretches = []
    for index, start in enumerate(starts):
        end = starts[index + 1] - DAY if index + 1 < len(starts) else last
        label = day_label(start) if start == end else stretch_label(start, end, unit)
        stretch = link(label, start, end)
        stretch.x, stretch.x2 = scale.x(start), scale.x(end + DAY)
        stretches.append(stretch)
    return stretches
