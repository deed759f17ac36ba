"""Reads that span several models: timeline rows, the event page, the actor page."""

import datetime
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django_countries import countries

from crisis.cache import cached_timeline_read
from crisis.models import (
    Category,
    Citation,
    DatePrecision,
    Event,
    EventActor,
    Importance,
    Quote,
    Tag,
    format_partial_date,
)

TIMELINE_ORDER = ("start_date", "date_precision", "-importance", "title", "pk")


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

    @property
    def anchor(self):
        return f"day-{self.date:%Y-%m-%d}-{self.precision}"


def timeline_days(events):
    """Group events, ordered by ``TIMELINE_ORDER``, into one ``TimelineDay`` per date."""
    return [
        TimelineDay(date, precision, list(items))
        for (date, precision), items in groupby(
            events, key=lambda event: (event.start_date, event.date_precision)
        )
    ]


def event_for_page(queryset, slug):
    """The event with everything its page shows, in a fixed number of queries."""
    quotes = (
        Quote.objects.published()
        .select_related("speaker", "source")
        .prefetch_related(
            Prefetch("citations", queryset=Citation.objects.select_related("source"))
        )
    )
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


@dataclass
class TimelinePage:
    """One page of a list, found without counting the whole list."""

    events: list
    number: int
    size: int
    has_next: bool

    @property
    def has_previous(self):
        return self.number > 1

    @property
    def next_number(self):
        return self.number + 1 if self.has_next else None


def timeline_page(queryset, page=1, size=None):
    """Page ``page`` (from 1) of ``queryset``: one query fetching ``size + 1`` rows.

    The extra row tells whether a next page exists, so no ``COUNT(*)`` runs per page turn.
    """
    size = size or settings.TIMELINE_PAGE_SIZE
    if page < 1:
        raise ValueError("Pages are numbered from 1.")
    start = (page - 1) * size
    rows = list(queryset[start : start + size + 1])
    return TimelinePage(
        events=rows[:size], number=page, size=size, has_next=len(rows) > size
    )


def _cache_parts(queryset):
    sql, params = queryset.query.sql_with_params()
    return (queryset.db, sql, tuple(str(param) for param in params))


def timeline_count(queryset):
    """How many rows ``queryset`` holds, cached per query until the data changes."""
    return cached_timeline_read(
        "count", queryset.order_by().count, parts=_cache_parts(queryset.order_by())
    )


def density_by_day(queryset):
    """``[(date, events)]`` per start date, oldest first, in one aggregate query.

    Pass the filtered queryset before ``for_timeline()``: its annotations are not needed.
    """
    return [
        (row["start_date"], row["events"])
        for row in queryset.order_by()
        .values("start_date")
        .annotate(events=Count("pk"))
        .order_by("start_date")
    ]


@dataclass
class Facets:
    """Counts per filter value, for labels such as "Military (1,204)"."""

    categories: list
    importance: list
    countries: list
    tags: list
    actors: list


def facet_counts(queryset, top=20):
    """Counts of ``queryset``'s events per category, importance, country, tag and actor.

    Three aggregate queries; tags and actors are limited to the ``top`` most used.
    """
    ids = queryset.order_by().values("pk")
    # Category, importance and countries in one scan: count the few distinct
    # combinations in SQL, then sum per facet here. Countries are one comma-separated
    # column, so they are split here too.
    per_category, per_importance, per_country = Counter(), Counter(), Counter()
    for row in (
        queryset.order_by()
        .values("category", "importance", "countries")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        per_category[row["category"]] += row["n"]
        per_importance[row["importance"]] += row["n"]
        for code in filter(None, str(row["countries"] or "").split(",")):
            per_country[code] += row["n"]
    categories, importance = dict(Category.choices), dict(Importance.choices)
    by_category = [
        (value, categories.get(value, value), n)
        for value, n in sorted(
            per_category.items(), key=lambda item: (-item[1], item[0])
        )
    ]
    by_importance = [
        (value, importance.get(value), per_importance[value])
        for value in sorted(per_importance, reverse=True)
    ]
    by_country = [
        (code, str(countries.name(code)), n)
        for code, n in sorted(per_country.items(), key=lambda item: (-item[1], item[0]))
    ]
    by_tag = [
        (row["slug"], row["name"], row["n"])
        for row in Tag.objects.filter(events__in=ids)
        .values("slug", "name")
        .annotate(n=Count("events"))
        .order_by("-n", "name")[:top]
    ]
    by_actor = [
        (row["actor__slug"], row["actor__name"], row["n"])
        for row in EventActor.objects.filter(event__in=ids)
        .values("actor__slug", "actor__name")
        .annotate(n=Count("event", distinct=True))
        .order_by("-n", "actor__name")[:top]
    ]
    return Facets(by_category, by_importance, by_country, by_tag, by_actor)


@dataclass
class TimelineOverview:
    """What the unfiltered public timeline shows around its list, shared by everyone."""

    count: int
    density: list
    facets: Facets


def published_overview():
    """Count, density strip and facets of all published events, cached until a change."""

    def compute():
        published = Event.objects.published()
        return TimelineOverview(
            count=published.count(),
            density=density_by_day(published),
            facets=facet_counts(published),
        )

    return cached_timeline_read("published-overview", compute)
