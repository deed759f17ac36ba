"""Headings and groups of the timeline's list: by day, week or month, with category
sub-headings in crowded ones.

No queries here: the selectors fetch the rows and counts (``selectors.group_counts``),
this module arranges them, and ``crisis/timeline.html`` draws them.
"""

import datetime
from dataclasses import dataclass, field
from itertools import groupby

from crisis.models import Category, DatePrecision, format_partial_date
from crisis.reading.calendar_units import unit_end

DAY = datetime.timedelta(days=1)

# The list: headings by day, week or month, and category sub-headings in crowded ones.

GROUP_BY_DAY_UP_TO_DAYS = 62
GROUP_BY_WEEK_UP_TO_DAYS = 366
# A heading with this many events on the page is split into one sub-heading per category.
SUBGROUP_FROM_EVENTS = 8


@dataclass
class TimelineDay:
    """Events sharing a date and a precision, with a heading as honest as the dating."""

    date: datetime.date
    precision: str
    events: list

    @property
    def label(self):
        if self.precision == DatePrecision.DAY:
            return f"{self.date:%A} {self.date.day} {self.date:%B %Y}"
        if self.precision == DatePrecision.REPORTED:
            return (
                f"Reported by {self.date.day} {self.date:%B %Y} (exact date not given)"
            )
        if self.precision == DatePrecision.APPROXIMATE:
            return f"Around {self.date.day} {self.date:%B %Y}"
        return format_partial_date(self.date, self.precision)


def grouping_for(span_days):
    """Group by day for a range up to two months, by week up to a year, else by month."""
    if span_days <= GROUP_BY_DAY_UP_TO_DAYS:
        return "day"
    if span_days <= GROUP_BY_WEEK_UP_TO_DAYS:
        return "week"
    return "month"


@dataclass
class Subgroup:
    """The events of one category under a crowded heading; ``total`` over all pages."""

    category: str
    label: str
    events: list
    total: int


@dataclass
class TimelineGroup:
    """Consecutive events under one heading; ``continued`` when a page splits the group."""

    key: tuple
    label: str
    date: datetime.date
    events: list
    continued: bool = False
    total: int = 0
    subgroups: list = field(default_factory=list)

    @property
    def machine(self):
        """The heading's ``<time datetime>`` value: a day, an ISO week, a month or a year."""
        kind = self.key[0]
        if kind == "year":
            return f"{self.date:%Y}"
        if kind == "month":
            return f"{self.date:%Y-%m}"
        if kind == "week":
            year, week, _ = self.date.isocalendar()
            return f"{year:04d}-W{week:02d}"
        return self.date.isoformat()

    @property
    def anchor(self):
        return "-".join(str(part) for part in self.key)


def group_key(date, precision, grouping):
    """Heading of a date: its day, week or month, but never more precise than the date."""
    if precision == DatePrecision.YEAR:
        return ("year", date.year), str(date.year), date.replace(month=1, day=1)
    if precision == DatePrecision.MONTH or grouping == "month":
        first = date.replace(day=1)
        return ("month", f"{date:%Y-%m}"), f"{date:%B %Y}", first
    if grouping == "week":
        monday = date - datetime.timedelta(days=date.weekday())
        return (
            ("week", monday.isoformat()),
            f"Week of {monday.day} {monday:%B %Y}",
            monday,
        )
    day = TimelineDay(date, precision, [])
    return ("day", date.isoformat(), precision), day.label, date


def timeline_groups(events, grouping, previous=None):
    """Group ``events`` (in ``TIMELINE_ORDER``); ``previous`` is the event before this page."""
    groups = []
    previous_key = group_key(*_dating(previous), grouping)[0] if previous else None
    for event in events:
        key, label, date = group_key(*_dating(event), grouping)
        if groups and groups[-1].key == key:
            groups[-1].events.append(event)
        else:
            groups.append(
                TimelineGroup(key, label, date, [event], continued=key == previous_key)
            )
        previous_key = None
    return groups


def group_bounds(groups):
    """The first and last day the headings of a page cover (for ``group_counts``)."""
    last = groups[-1]
    end = unit_end(last.date, last.key[0])  # a heading's kind is its unit
    return groups[0].date, end


def count_groups(groups, grouping, counts):
    """Set each heading's ``total`` from ``counts`` (``selectors.group_counts``: rows
    ``(start_date, precision, category, n)`` over every page), and split a crowded
    heading into one sub-heading per category, each with its count."""
    totals, by_category = {}, {}
    for date, precision, category, n in counts:
        key = group_key(date, precision, grouping)[0]
        totals[key] = totals.get(key, 0) + n
        by_category[key, category] = by_category.get((key, category), 0) + n
    labels = dict(Category.choices)
    for group in groups:
        group.total = totals.get(group.key, len(group.events))
        if len(group.events) < SUBGROUP_FROM_EVENTS:
            continue
        ordered = sorted(group.events, key=lambda event: _category_rank(event.category))
        for category, items in groupby(ordered, key=lambda event: event.category):
            items = list(items)
            total = by_category.get((group.key, category), len(items))
            label = labels.get(category, category)
            group.subgroups.append(Subgroup(category, label, items, total))
    return groups


def _dating(event):
    return event.start_date, event.date_precision


def _category_rank(category):
    return Category.values.index(category) if category in Category.values else 99
