"""Reads that span several models: timeline rows, the event page, the actor page."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Prefetch, Q

from crisis.models import (
    Citation,
    DatePrecision,
    EventActor,
    Quote,
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


def event_for_page(queryset, slug, quotes=None):
    """The event with everything its page shows, in a fixed number of queries.

    ``quotes`` are the quotes the reader may see (published ones unless given; staff
    previewing drafts pass ``Quote.objects.visible_to(user)``).
    """
    quotes = (
        (quotes if quotes is not None else Quote.objects.published())
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
    return condition


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
