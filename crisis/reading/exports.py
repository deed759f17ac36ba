"""Exports of exactly the listed events: CSV, JSON, TimelineJS3 JSON and iCalendar.

Every file is streamed: events are read in chunks of ``CHUNK_SIZE`` (one query for the
events, three per chunk for their actors, tags and citations), written as they come and
sent in pieces of about ``PIECE_BYTES``, so memory stays flat whatever the number of
events. The CSV's columns are ``event_columns``: the admin's import reads them back.

Each format has a largest export (``ExportFormat.max_events``) that finishes well inside
the worker timeout; TimelineJS, which renders a few hundred slides at most, is cut at
``TIMELINEJS_MAX_EVENTS`` instead, with a note saying so in the file.
"""

import datetime
import itertools
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from crisis import event_columns
from crisis.models import (
    Citation,
    Event,
    EventActor,
    Tag,
    format_date_span,
)
from crisis.models.sources import web_url
from crisis.reading.selectors import TIMELINE_ORDER

CHUNK_SIZE = 1000
PIECE_BYTES = 64 * 1024
TIMELINEJS_MAX_EVENTS = 500


# The longest an export may take: half of gunicorn's 30 s worker timeout, room for a
# slower or busier machine than the one measured.
EXPORT_SECONDS = 15


@dataclass(frozen=True)
class ExportFormat:
    """A download of the timeline.

    ``events_per_second``: how fast it is written, measured by bench/exports.py on
    SQLite with 100,000 events (bench/results.md, "Exports"); an export that would take
    longer than ``EXPORT_SECONDS`` is refused. ``cap``: the most events a file holds,
    the rest left out with a note (``None``: no cap, no refusal either).
    """

    label: str
    url_name: str
    content_type: str
    filename: str
    events_per_second: int | None = None
    cap: int | None = None

    @property
    def max_events(self):
        if self.events_per_second is None:
            return None
        return int(self.events_per_second * EXPORT_SECONDS)

    def refusal(self, count):
        """Why an export of ``count`` events is not offered, or ``""`` if it is."""
        if self.max_events is None or count <= self.max_events:
            return ""
        return (
            f"{count:,} events are more than one {self.label} file holds "
            f"({self.max_events:,}): narrow the filters, e.g. to a shorter date range."
        )

    def cap_note(self, count):
        """What a capped file of ``count`` events leaves out (``None``: not known)."""
        if self.cap is None or (count is not None and count <= self.cap):
            return ""
        return f"the first {self.cap:,} events"


FORMATS = {
    "csv": ExportFormat(
        "CSV",
        "crisis:export_csv",
        "text/csv; charset=utf-8",
        "crisis-timeline-events.csv",
        events_per_second=7_500,
    ),
    "json": ExportFormat(
        "JSON",
        "crisis:export_json",
        "application/json",
        "crisis-timeline-events.json",
        events_per_second=10_000,
    ),
    "timelinejs": ExportFormat(
        "TimelineJS",
        "crisis:export_timelinejs",
        "application/json",
        "crisis-timeline-timelinejs.json",
        cap=TIMELINEJS_MAX_EVENTS,
    ),
    "ics": ExportFormat(
        "iCalendar",
        "crisis:export_ics",
        "text/calendar; charset=utf-8",
        "crisis-timeline-events.ics",
        events_per_second=3_000,
    ),
}


@dataclass
class ExportRow:
    """One event, as exported: plain values, its actors, tags and citations as dicts."""

    pk: int
    slug: str
    title: str
    summary: str
    start_date: datetime.date
    end_date: datetime.date | None
    date_precision: str
    category: str
    importance: int
    countries: list
    place: str
    quote_count: int
    updated_at: datetime.datetime
    status: str
    url: str = ""
    actors: list = field(default_factory=list)  # {name, slug, role}
    tags: list = field(default_factory=list)  # {name, slug}
    citations: list = field(default_factory=list)  # see _citation()

    @classmethod
    def from_event(cls, event, url):
        """An ``Event`` (with the ``export_prefetches()``) as a row."""
        return cls(
            **{name: getattr(event, name) for name in _EVENT_VALUES},
            countries=[country.code for country in event.countries],
            quote_count=event.quote_count,
            url=url,
            actors=[
                _actor(link.actor.name, link.actor.slug, link.role)
                for link in _related(event, "export_actor_links", "event_actors")
            ],
            tags=[
                _tag(tag.name, tag.slug)
                for tag in _related(event, "export_tags", "tags")
            ],
            citations=[
                _citation(
                    citation.excerpt,
                    *(getattr(citation.source, name) for name in _SOURCE_VALUES),
                )
                for citation in _related(event, "export_citations", "citations")
            ],
        )

    @property
    def display_date(self):
        return format_date_span(self.start_date, self.end_date, self.date_precision)

    def as_record(self):
        """A flat dict of ``event_columns.COLUMNS``, the lists encoded as that module says."""
        return {
            "slug": self.slug,
            "title": self.title,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat() if self.end_date else "",
            "date_precision": self.date_precision,
            "display_date": self.display_date,
            "category": self.category,
            "importance": self.importance,
            "countries": event_columns.join_list(self.countries),
            "place": self.place,
            "actors": event_columns.format_actors(
                (actor["slug"], actor["role"]) for actor in self.actors
            ),
            "tags": event_columns.join_list(tag["slug"] for tag in self.tags),
            "quote_count": self.quote_count,
            "summary": self.summary,
            "url": self.url,
            "status": self.status,
            "citations": event_columns.format_citations(
                (citation["source"], citation["excerpt"]) for citation in self.citations
            ),
            "citation_sources": "\n".join(
                event_columns.format_citation_source(citation)
                for citation in self.citations
            ),
        }

    def as_json(self):
        """The record with its lists as lists (actors, tags, citations as objects)."""
        record = self.as_record()
        del record["citation_sources"]  # each citation object names its source
        return record | {
            "countries": self.countries,
            "actors": self.actors,
            "tags": self.tags,
            "citations": self.citations,
        }


_EVENT_VALUES = (
    "pk",
    "slug",
    "title",
    "summary",
    "start_date",
    "end_date",
    "date_precision",
    "category",
    "importance",
    "place",
    "updated_at",
    "status",
)
_SOURCE_VALUES = ("slug", "title", "publisher", "url", "published_on")


def _actor(name, slug, role):
    return {"name": name, "slug": slug, "role": role}


def _tag(name, slug):
    return {"name": name, "slug": slug}


def _citation(excerpt, slug, title, publisher, url, published_on):
    return {
        "excerpt": excerpt,
        "source": slug,
        "title": title,
        "publisher": publisher,
        # Only a web address leaves in a file (never a javascript: link).
        "url": web_url(url),
        "published_on": published_on.isoformat(),
    }


def _related(event, prefetched, manager):
    """The prefetched list ``export_prefetches()`` made, or else a query."""
    if hasattr(event, prefetched):
        return getattr(event, prefetched)
    return list(getattr(event, manager).all())


def export_prefetches():
    """What ``ExportRow.from_event`` reads, in three queries for any number of events."""
    return [
        Prefetch(
            "event_actors",
            EventActor.objects.select_related("actor").order_by("role", "actor__name"),
            to_attr="export_actor_links",
        ),
        Prefetch("tags", Tag.objects.order_by("name"), to_attr="export_tags"),
        Prefetch(
            "citations",
            Citation.objects.select_related("source").order_by("pk"),
            to_attr="export_citations",
        ),
    ]


def event_url_builder(request):
    """``slug -> absolute URL`` of the event page, reversed once rather than per row.

    Slugs are URL-safe, so every other URL is the first one with its slug swapped.
    """
    marker = "event-slug-marker"
    url = request.build_absolute_uri(
        reverse("crisis:event_detail", kwargs={"slug": marker})
    )
    before, after = url.split(marker)
    return lambda slug: f"{before}{slug}{after}"


def export_rows(events, build_url, limit=None, chunk_size=None):
    """``events`` (the first ``limit`` of them) as ``ExportRow``s in timeline order.

    A generator: the events are read ``chunk_size`` at a time through one streamed
    query, and each chunk's actors, tags and citations in three more, looked up by the
    chunk's ids. The caller picks the events (the view: exactly what the timeline lists
    to the same person, drafts included for staff).
    """
    chunk_size = chunk_size or CHUNK_SIZE
    ordered = events.order_by(*TIMELINE_ORDER)
    if limit is not None:
        ordered = ordered[:limit]
    records = ordered.values(*_EVENT_VALUES, "countries", "quote_count")
    for chunk in _batched(records.iterator(chunk_size=chunk_size), chunk_size):
        rows = {}
        for record in chunk:
            codes = record.pop("countries").split(",")
            rows[record["pk"]] = ExportRow(**record, countries=[c for c in codes if c])
        _add_related(rows)
        for row in rows.values():
            row.url = build_url(row.slug)
            yield row


def _batched(iterable, size):
    iterator = iter(iterable)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _add_related(rows):
    """Fill the actors, tags and citations of ``rows`` (``{pk: row}``), three queries."""
    ids = list(rows)
    for event_id, *actor in (
        EventActor.objects.filter(event__in=ids)
        .order_by("role", "actor__name")
        .values_list("event_id", "actor__name", "actor__slug", "role")
    ):
        rows[event_id].actors.append(_actor(*actor))
    for event_id, *tag in (
        Event.tags.through.objects.filter(event__in=ids)
        .order_by("tag__name")
        .values_list("event_id", "tag__name", "tag__slug")
    ):
        rows[event_id].tags.append(_tag(*tag))
    for event_id, *citation in (
        Citation.objects.filter(event__in=ids)
        .order_by("pk")
        .values_list(
            "event_id", "excerpt", *(f"source__{name}" for name in _SOURCE_VALUES)
        )
    ):
        rows[event_id].citations.append(_citation(*citation))


def in_pieces(texts, size=None):
    """``texts`` joined and encoded as UTF-8 in pieces of about ``size`` bytes: few
    writes to the socket, and the first soon after the first rows are read."""
    size = size or PIECE_BYTES
    pending, length = [], 0
    for text in texts:
        pending.append(text)
        length += len(text)
        if length >= size:
            yield "".join(pending).encode()
            pending, length = [], 0
    if pending:
        yield "".join(pending).encode()
