"""Reads that span several models: timeline rows, the event page, the actor page."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import (
    CharField,
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, Substr
from django_countries import countries

from crisis.models import (
    TIMELINE_ORDER,
    Actor,
    ActorEventCount,
    Citation,
    DatePrecision,
    EventActor,
    Quote,
    date_from_prefix,
    with_one_of,
)
from crisis.reading.calendar_units import unit_end, unit_start
from crisis.text import locate


def event_for_page(queryset, slug, quotes=None):
    """The event with everything its page shows, in a fixed number of queries.

    ``quotes`` are the quotes the reader may see (published ones unless given; staff
    previewing drafts pass ``Quote.objects.visible_to(user)``).
    """
    quotes = (
        quotes if quotes is not None else Quote.objects.published()
    ).select_related("speaker", "source")
    return (
        queryset.prefetch_related(
            Prefetch(
                "event_actors",
                queryset=EventActor.objects.select_related("actor").order_by(
                    "role", "actor__name"
                ),
            ),
            "tags",
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
            Prefetch("quotes", queryset=quotes),
        )
        .filter(slug=slug)
        .first()
    )


def _beyond(event, forward):
    """Q for events after (or before) ``event`` in ``TIMELINE_ORDER``: keyset comparison."""
    keys = [
        ("start_date", event.start_date, forward),
        ("date_precision", event.date_precision, forward),
        ("importance", event.importance, not forward),  # ordered descending
        ("title", event.title, forward),
        ("pk", event.pk, forward),
    ]
    condition = Q(pk__in=[])
    equal = Q()
    for field, value, greater in keys:
        condition |= equal & Q(**{f"{field}__{'gt' if greater else 'lt'}": value})
        equal &= Q(**{field: value})
    # The redundant bound on the leading key lets the database range-scan the timeline
    # index; the OR chain alone makes SQLite scan the whole table.
    bound = (
        Q(start_date__gte=event.start_date)
        if forward
        else Q(start_date__lte=event.start_date)
    )
    return bound & condition


def neighbours(queryset, event):
    """The events just before and after ``event`` in timeline order."""
    columns = ("slug", "title", "start_date", "date_precision", "end_date")
    ordered = queryset.order_by(*TIMELINE_ORDER).only(*columns)
    earlier = ordered.filter(_beyond(event, forward=False)).reverse().first()
    later = ordered.filter(_beyond(event, forward=True)).first()
    return earlier, later


def actor_events_by_role(actor, events_queryset):
    """The actor's published events, grouped by the role the actor played in them."""
    links = (
        EventActor.objects.filter(actor=actor, event__in=events_queryset)
        .select_related("event")
        .order_by("role", "event__start_date", "event__title")
    )
    return [
        (EventActor.Role(role).label, [link.event for link in items])
        for role, items in groupby(links, key=lambda link: link.role)
    ]


# The filtered timeline: paging, the density strip, the axis and heading counts.

# Precisions that place an event on one day; month- and year-dated events stay off the
# density strip rather than pretend to a day.
DAY_PRECISIONS = (DatePrecision.DAY, DatePrecision.APPROXIMATE, DatePrecision.REPORTED)


@dataclass
class TimelinePage:
    number: int
    size: int
    events: list
    previous: object
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1


def timeline_page(queryset, number, size, months=None):
    """One page of events in ``TIMELINE_ORDER`` without counting the whole result.

    Fetches one row either side of the page in the same query: the row before tells
    whether the first group continues the previous page, the row after whether there is
    a next page. ``months``: the set's month counts, when known
    (``month_counts.CountedMonths``): then only the months the page falls in are read.
    """
    start = (number - 1) * size
    lead = 1 if start else 0
    window = months.window(start - lead, start + size) if months else None
    if window:
        queryset = queryset.filter(start_date__gte=window.first_day)
        if window.last_day:
            queryset = queryset.filter(start_date__lte=window.last_day)
        start -= window.skipped
    rows = list(queryset.order_by(*TIMELINE_ORDER)[start - lead : start + size + 1])
    previous = rows[0] if lead and rows else None
    events = rows[lead : lead + size]
    return TimelinePage(
        number=number,
        size=size,
        events=events,
        previous=previous,
        has_next=len(rows) > lead + size,
    )


@dataclass
class DensityBar:
    start: datetime.date
    end: datetime.date
    count: int
    # Height in sixteenths of the strip (1-16), so the page can draw it with a class.
    level: int

    @property
    def label(self):
        noun = "event" if self.count == 1 else "events"
        if self.start == self.end:
            span = f"{self.start.day} {self.start:%B %Y}"
        else:
            span = (
                f"{self.start.day} {self.start:%b %Y} – {self.end.day} {self.end:%b %Y}"
            )
        return f"{span}: {self.count} {noun}"


@dataclass
class Density:
    start: datetime.date
    end: datetime.date
    unit: str
    # One entry per day, week, month or year of the range: a DensityBar, or None for a
    # stretch without events (it keeps its place, so the strip is a true time axis).
    slots: list
    dated_count: int

    levels = 16

    @property
    def bars(self):
        return [slot for slot in self.slots if slot is not None]


def event_density(queryset, start=None, end=None):
    """Events per day of the filtered set, for the overview strip: one aggregate query.

    Days become weeks past two months, months past sixty weeks and years past five
    years, so the strip keeps at most about sixty bars (readable, and a small page).
    Returns None when no event is dated to a day.
    """
    per_day = list(
        queryset.filter(date_precision__in=DAY_PRECISIONS)
        .order_by()
        .values_list("start_date")
        # COUNT(*), not COUNT(id): the id is not in the index the count is read from.
        .annotate(count=Count("*"))
        .order_by("start_date")
    )
    if not per_day:
        return None
    return density_of(per_day, start or per_day[0][0], end or per_day[-1][0])


def density_unit(first, last):
    """The strip's bar: a day up to two months, a week up to sixty weeks, a month up
    to five years, else a year."""
    span = (last - first).days + 1
    if span <= 62:
        return "day"
    if span <= 60 * 7:
        return "week"
    return "month" if span <= 5 * 366 else "year"


def density_of(per_day, first, last):
    """The ``Density`` of ``(day, count)`` rows in [first, last]: counts binned by
    ``density_unit``. A day may stand for its whole month when the bars are months or
    years (``month_counts.stored_density``)."""
    unit = density_unit(first, last)
    counts = {}
    for day, count in per_day:
        bin_start = unit_start(min(max(day, first), last), unit)
        counts[bin_start] = counts.get(bin_start, 0) + count
    bins = []
    cursor = unit_start(first, unit)
    while True:
        bins.append(cursor)
        end = unit_end(cursor, unit)
        if end >= last:
            break
        cursor = end + datetime.timedelta(days=1)

    tallest = max(counts.values())
    slots = [
        DensityBar(
            start=max(bin_start, first),
            end=min(unit_end(bin_start, unit), last),
            count=counts[bin_start],
            level=max(1, round(counts[bin_start] / tallest * Density.levels)),
        )
        if bin_start in counts
        else None
        for bin_start in bins
    ]
    return Density(
        start=first,
        end=last,
        unit=unit,
        slots=slots,
        dated_count=sum(counts.values()),
    )


def axis_rows(queryset, *, actors=(), dates_first=False, counted_per=None, limit=None):
    """The time axis's rows, in one query for the whole lane set.

    Lanes are categories, or the chosen ``actors`` (``{slug: pk}``; by id, so the
    database's statistics tell how many events each has). ``dates_first``: the filter
    reads the events of its dates first (``EventFilter.read_first``), so the actors'
    links are only checked, never read as a whole. Without ``counted_per``: one
    row per event (``lane, start_date, precision, end_date, importance, slug, title``),
    at most ``limit``. With it (``"day"``, ``"month"`` or ``"year"``): one aggregate row
    per lane, day, month or year and precision (``lane, date, precision, None,
    importance, count``), the date the day or the period's first, which the axis folds
    into its slots. A month or a year is the date text's first seven or four
    characters, not a date truncation: SQLite truncates dates with a Python function
    called for every row.
    """
    if actors:
        # One row per link of a chosen actor: the filtered events joined to their
        # links (one join, used by the filter and the values), not links checked
        # against a subquery of the filtered events, which PostgreSQL hashed whole.
        ids = list(actors.values())
        if dates_first:  # ``actor_id + 0``: no index, so the dates' events lead
            source = queryset.alias(lane_actor=F("event_actors__actor_id") + 0)
            source = source.filter(lane_actor__in=ids)
        else:
            source = queryset.filter(event_actors__actor__in=ids)
        lane = "event_actors__actor__slug"
    else:
        source, lane = queryset, "category"
    if counted_per is None:
        rows = source.order_by("start_date", lane).values_list(
            lane,
            "start_date",
            "date_precision",
            "end_date",
            "importance",
            "slug",
            "title",
        )
        return list(rows[:limit])
    width = {"month": 7, "year": 4}.get(counted_per)
    slot = (
        Substr(Cast("start_date", CharField()), 1, width) if width else F("start_date")
    )
    rows = (
        source.order_by()
        .annotate(axis_lane=F(lane), axis_slot=slot, axis_precision=F("date_precision"))
        .values_list("axis_lane", "axis_slot", "axis_precision")
        .annotate(importance=Max("importance"), count=Count("*"))
    )
    return [
        (lane, date_from_prefix(slot) if width else slot, precision, None, top, n)
        for lane, slot, precision, top, n in rows
    ]


ACTOR_SUGGESTIONS = 8
COUNTRY_SUGGESTIONS = 8


def actor_suggestions_for(term, *, speakers=False):
    """Up to eight actors whose name, title or alias holds ``term``, with the alias that
    matched (``alias_hit``) when the name does not show why they are suggested.
    ``speakers``: only actors quoted at least once."""
    if "\x00" in term:
        return []
    found = Actor.objects.matching(term)
    if speakers:
        found = with_one_of(found, Quote.objects.filter(speaker=OuterRef("pk")))
    actors = list(
        found.order_by("name").only("slug", "name", "aliases")[:ACTOR_SUGGESTIONS]
    )
    wanted = term.casefold()
    for actor in actors:
        actor.alias_hit = (
            ""
            if wanted in actor.name.casefold()
            else next((a for a in actor.alias_list if wanted in a.casefold()), "")
        )
    return actors


def country_suggestions_for(term):
    """``(code, name)`` of up to eight countries whose name holds ``term`` or whose
    code it is: that code first, then names starting with it, then the others."""
    wanted = term.casefold()
    found = sorted(
        (code.casefold() != wanted, not name.casefold().startswith(wanted), name, code)
        for code, name in countries
        if code.casefold() == wanted or wanted in name.casefold()
    )
    return [(code, name) for *_rank, name, code in found[:COUNTRY_SUGGESTIONS]]


def group_counts(queryset, first, last):
    """``(start_date, precision, category, n)`` of the events starting in [first, last]:
    one aggregate query, for the counts beside the headings of a page."""
    return list(
        queryset.order_by()
        .filter(start_date__gte=first, start_date__lte=last)
        .values_list("start_date", "date_precision", "category")
        .annotate(n=Count("*"))
    )


@dataclass
class CitedSpan:
    """A passage of a source's text and the event or quote that cites it."""

    start: int
    end: int
    target: object
    kind: str  # "event" or "quote"


@dataclass
class SourcePiece:
    """A run of a source's text: plain, or highlighted with everything that cites it."""

    text: str
    spans: list
    number: int = 0
    start: int = 0

    @property
    def end(self):
        return self.start + len(self.text)


def source_pieces(text, citations, quotes):
    """Split ``text`` into plain and cited runs, from published citations and quotes.

    Overlapping passages merge into one highlighted run that links to each of its
    citers, so every character of the text appears exactly once.
    """
    spans = []
    for citation in citations:
        where = locate(citation.excerpt, text)
        if where:
            kind = "event" if citation.event_id else "quote"
            spans.append(CitedSpan(*where, citation.target, kind))
    for quote in quotes:
        where = locate(quote.text, text)
        if where:
            spans.append(CitedSpan(*where, quote, "quote"))
    spans.sort(key=lambda span: (span.start, span.end))
    pieces, cursor, number = [], 0, 0
    index = 0
    while index < len(spans):
        start, end = spans[index].start, spans[index].end
        run = [spans[index]]
        index += 1
        while index < len(spans) and spans[index].start < end:
            end = max(end, spans[index].end)
            run.append(spans[index])
            index += 1
        if start > cursor:
            pieces.append(SourcePiece(text[cursor:start], [], start=cursor))
        number += 1
        unique = list({(span.kind, span.target.pk): span for span in run}.values())
        pieces.append(SourcePiece(text[start:end], unique, number, start=start))
        cursor = end
    if cursor < len(text):
        pieces.append(SourcePiece(text[cursor:], [], start=cursor))
    return pieces


def timeline_count(queryset):
    """How many rows ``queryset`` holds (no ordering: counting needs none)."""
    return queryset.order_by().count()


# The actor list: each row's count is a correlated subquery, so a page counts for its
# own 50 rows only (a JOIN and GROUP BY counted every link of every row before the
# LIMIT: 300-400 ms at 100,000 events on PostgreSQL), and the paginator's count reads
# the plain table. A list sorted by the count needs every row's count: then the JOIN
# and GROUP BY of the stored counts is the cheaper way. (The source list's counts are
# a column of its own: ``Source.citation_count``.)


def _count_per_row(rows, link, counted):
    """How many ``counted`` of ``rows`` point by ``link`` to the outer row (0: none)."""
    per_row = rows.filter(**{link: OuterRef("pk")}).order_by().values(link)
    return Coalesce(Subquery(per_row.annotate(n=counted).values("n")), 0)


def actors_with_event_counts(statuses, *, sorted_by_count=False):
    """Every actor by name, with ``event_count``: their events of ``statuses``, from
    the stored counts (``ActorEventCount``)."""
    if sorted_by_count:
        visible = Q(event_counts__status__in=statuses)
        count = Coalesce(Sum("event_counts__count", filter=visible), 0)
    else:
        rows = ActorEventCount.objects.filter(status__in=statuses)
        count = _count_per_row(rows, "actor", Sum("count"))
    return Actor.objects.annotate(event_count=count).order_by("name")
