"""A timeline's counts per month: its count, the stretch it spans, its counted time axis
and the counts beside month headings.

They come from one aggregate query over a filtered set (``CountedMonths``), or from the
stored month counts (``EventMonth``) when nothing filters the timeline
(``StoredMonths``): either way, no second scan of the events.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.db.models import CharField, Max, Min, Q, Sum
from django.db.models.functions import Cast, Coalesce, Substr

from crisis.models import Event, EventMonth, counted_per_month, date_from_prefix
from crisis.reading.selectors import (
    DAY_PRECISIONS,
    density_of,
    density_unit,
    event_density,
)


@dataclass
class Extent:
    """How many events a filtered set holds, and the first and last day any of them is
    dated to (both None when none is dated to a day)."""

    count: int
    first: datetime.date | None
    last: datetime.date | None


class MonthCount(NamedTuple):
    """One month's events of one category and date precision. A tuple: a timeline
    builds thousands (a frozen dataclass took a tenth of the page's time)."""

    month: datetime.date
    category: str
    precision: str
    count: int
    importance: int
    first_day: datetime.date
    last_day: datetime.date


class PageWindow(NamedTuple):
    """Where a page's rows lie: after ``skipped`` rows, from ``first_day`` to
    ``last_day`` (None: to the end) by start date."""

    skipped: int
    first_day: datetime.date
    last_day: datetime.date | None


def month_counts(queryset):
    """The ``MonthCount``s of a filtered set of events, in one aggregate query."""
    return [
        MonthCount(date_from_prefix(month), *rest)
        for month, *rest in counted_per_month(queryset, "category", "date_precision")
    ]


def stored_extent(statuses):
    """The ``Extent`` of every event of ``statuses``, from the stored month counts in
    one aggregate row (reading the few thousand month rows into Python took longer
    than the rest of the page's data)."""
    rows = EventMonth.objects.filter(status__in=statuses)
    dated = Q(date_precision__in=DAY_PRECISIONS)
    found = rows.aggregate(
        count=Coalesce(Sum("count"), 0),
        first=Min("first_day", filter=dated),
        last=Max("last_day", filter=dated),
    )
    return Extent(found["count"], found["first"], found["last"])


def stored_axis_rows(statuses, counted_per):
    """``axis_rows`` of every event of ``statuses`` counted per ``"month"`` or
    ``"year"``, summed from the stored month counts by the database."""
    width = 7 if counted_per == "month" else 4
    rows = (
        EventMonth.objects.filter(status__in=statuses)
        .order_by()
        .annotate(slot=Substr(Cast("month", CharField()), 1, width))
        .values_list("category", "slot", "date_precision")
        .annotate(top=Max("importance"), n=Sum("count"))
    )
    return [
        (lane, date_from_prefix(slot), precision, None, top, count)
        for lane, slot, precision, top, count in rows
    ]


def extent_of(months):
    """The ``Extent`` of the events the ``MonthCount``s count."""
    dated = [month for month in months if month.precision in DAY_PRECISIONS]
    return Extent(
        sum(month.count for month in months),
        min((month.first_day for month in dated), default=None),
        max((month.last_day for month in dated), default=None),
    )


def month_axis_rows(months, counted_per):
    """``axis_rows`` counted per ``"month"`` or ``"year"``, from ``MonthCount``s."""
    slots = {}
    for month in months:
        slot = month.month if counted_per == "month" else month.month.replace(month=1)
        key = (month.category, slot, month.precision)
        count, top = slots.get(key, (0, 0))
        slots[key] = (count + month.count, max(top, month.importance))
    return [
        (lane, slot, precision, None, top, count)
        for (lane, slot, precision), (count, top) in slots.items()
    ]


class StoredMonths:
    """The month counts of every event of ``statuses``, read from ``EventMonth``."""

    def __init__(self, statuses):
        self.statuses = statuses

    @cached_property
    def extent(self):
        return stored_extent(self.statuses)

    def axis_rows(self, counted_per):
        return stored_axis_rows(self.statuses, counted_per)

    def window(self, first_row, last_row):
        """None: a page of the whole timeline is read in index order already."""
        return None

    def group_counts(self, first, last):
        """``(month, precision, category, n)`` of the months from ``first`` to
        ``last``: the counts beside month headings (``grouping.count_groups``)."""
        rows = (
            EventMonth.objects.filter(
                status__in=self.statuses,
                month__gte=first.replace(day=1),
                month__lte=last,
            )
            .order_by()
            .values_list("month", "date_precision", "category")
            .annotate(n=Sum("count"))
        )
        return list(rows)


class CountedMonths:
    """The month counts of a filtered set of ``events``, in one aggregate query."""

    def __init__(self, events):
        self.months = month_counts(events)

    @cached_property
    def extent(self):
        return extent_of(self.months)

    def axis_rows(self, counted_per):
        return month_axis_rows(self.months, counted_per)

    def window(self, first_row, last_row):
        """The ``PageWindow`` of the rows ``first_row`` to ``last_row`` (0-based, in
        ``TIMELINE_ORDER``), or None when the set has no row ``first_row``.

        ``TIMELINE_ORDER`` begins with the start date, so those rows lie in the months
        whose counts reach them: a page is read from those months instead of sorting
        every match (a search matching 20,000 events sorted them all for each page).
        """
        totals = {}  # month: (events, first start date, last start date)
        for month in self.months:
            count, first, last = totals.get(
                month.month, (0, month.first_day, month.last_day)
            )
            totals[month.month] = (
                count + month.count,
                min(first, month.first_day),
                max(last, month.last_day),
            )
        before, window = 0, None
        for _, (count, first, last) in sorted(totals.items()):
            if window is None and before + count > first_row:
                window = PageWindow(skipped=before, first_day=first, last_day=None)
            if window is not None and before + count > last_row:
                return window._replace(last_day=last)
            before += count
        return window

    def group_counts(self, first, last):
        """As ``StoredMonths.group_counts``, from the months already counted."""
        first = first.replace(day=1)
        return [
            (month.month, month.precision, month.category, month.count)
            for month in self.months
            if first <= month.month <= last
        ]


def timeline_months(statuses, events):
    """``StoredMonths(statuses)`` when ``statuses`` says nothing filters the timeline,
    else ``CountedMonths(events)``."""
    return StoredMonths(statuses) if statuses else CountedMonths(events)


def stored_density(statuses):
    """``event_density`` of every event of ``statuses``: from the month counts when
    its bars are months or years (a share image of any event drew it by reading every
    event), else from the events themselves (a short timeline is a small one)."""
    extent = stored_extent(statuses)
    if extent.first is None:
        return None
    if density_unit(extent.first, extent.last) not in ("month", "year"):
        return event_density(Event.objects.filter(status__in=statuses))
    rows = (
        EventMonth.objects.filter(
            status__in=statuses, date_precision__in=DAY_PRECISIONS
        )
        .order_by()
        .values_list("month")
        .annotate(n=Sum("count"))
    )
    return density_of(sorted(rows), extent.first, extent.last)
