"""Exports of exactly the listed events: CSV, JSON, TimelineJS3 JSON and iCalendar.

Rows are read as plain values in five queries (events, their actors, tags and citations)
whatever the number of events, so an export costs the same for ten events or ten
thousand. The CSV's columns are ``event_columns``: the admin's import reads them back.
"""

import datetime
import json
from dataclasses import dataclass, field

import icalendar
import tablib
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import escape

from crisis import event_columns
from crisis.csv_safety import neutralised
from crisis.models import (
    Category,
    Citation,
    DatePrecision,
    Event,
    EventActor,
    Source,
    Status,
    Tag,
    format_partial_date,
)
from crisis.selectors import TIMELINE_ORDER

MAX_LISTED_IDS = 2000
CALENDAR_PRODID = "-//Crisis Timeline//Filtered events//EN"


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
        quote_count = getattr(event, "quote_count", None)
        if quote_count is None:
            quote_count = event.quotes.filter(status=Status.PUBLISHED).count()
        return cls(
            **{name: getattr(event, name) for name in _EVENT_VALUES},
            countries=[country.code for country in event.countries],
            quote_count=quote_count,
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
        start = format_partial_date(self.start_date, self.date_precision)
        if self.end_date and self.end_date != self.start_date:
            return (
                f"{start} – {format_partial_date(self.end_date, self.date_precision)}"
            )
        return start

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
        "url": Source(url=url).web_url,
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


def export_rows(events, build_url):
    """``events`` as ``ExportRow``s in timeline order, in four queries.

    The caller picks the events (the view: exactly what the timeline lists to the same
    person, drafts included for staff).
    """
    rows = {}
    for values in (
        events.with_quote_count()
        .order_by(*TIMELINE_ORDER)
        .values(*_EVENT_VALUES, "countries", "quote_count")
    ):
        codes = values.pop("countries").split(",")
        rows[values["pk"]] = ExportRow(**values, countries=[c for c in codes if c])
    # The ids themselves when there are few (PostgreSQL then looks each up in the index
    # rather than scanning every actor link); the filter as a subquery otherwise.
    ids = list(rows) if len(rows) <= MAX_LISTED_IDS else events.values("pk")
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
    for row in rows.values():
        row.url = build_url(row.slug)
    return list(rows.values())


def as_dataset(rows, columns=event_columns.COLUMNS):
    dataset = tablib.Dataset(headers=list(columns))
    for row in rows:
        record = row.as_record()
        dataset.append([record[column] for column in columns])
    return dataset


def spreadsheet_csv(dataset):
    """CSV for spreadsheets: UTF-8 with a byte order mark (Excel reads ’ “ ” right),
    no cell a spreadsheet would run as a formula."""
    return "\ufeff" + neutralised(dataset).export("csv")


def to_csv(rows):
    return spreadsheet_csv(as_dataset(rows))


def to_json(rows):
    return json.dumps([row.as_json() for row in rows], ensure_ascii=False, indent=1)


def _citation_line(citation):
    return f"“{citation['excerpt']}” — {event_columns.format_citation_source(citation)}"


def _timelinejs_date(value, precision):
    """A TimelineJS date object, no more precise than the event's dating."""
    date = {"year": value.year}
    if precision != DatePrecision.YEAR:
        date["month"] = value.month
    if precision not in (DatePrecision.YEAR, DatePrecision.MONTH):
        date["day"] = value.day
    return date


def _timelinejs_citation(citation):
    """A citation as HTML: the excerpt quoted, its source linked when it has a URL."""
    source = escape(event_columns.format_citation_source(citation | {"url": ""}))
    if citation["url"]:
        source = f'<a href="{escape(citation["url"])}">{source}</a>'
    return f"<blockquote>“{escape(citation['excerpt'])}”</blockquote><p>— {source}</p>"


def to_timelinejs(rows, title, description):
    """Knight Lab TimelineJS3 JSON: ``{"title": ..., "events": [...]}``."""
    events = []
    for row in rows:
        start = _timelinejs_date(row.start_date, row.date_precision)
        start["display_date"] = row.display_date
        actors = ", ".join(f"{actor['name']} ({actor['role']})" for actor in row.actors)
        text = f"<p>{escape(row.summary)}</p>"
        if actors:
            text += f"<p>Actors: {escape(actors)}</p>"
        text += "".join(_timelinejs_citation(citation) for citation in row.citations)
        text += f'<p><a href="{escape(row.url)}">Sources and quotes</a></p>'
        event = {
            "unique_id": row.slug,
            "start_date": start,
            "text": {"headline": escape(row.title), "text": text},
            "group": Category(row.category).label,
        }
        if row.end_date and row.end_date != row.start_date:
            event["end_date"] = _timelinejs_date(row.end_date, row.date_precision)
        events.append(event)
    return json.dumps(
        {
            "title": {
                "text": {
                    "headline": escape(title),
                    "text": f"<p>{escape(description)}</p>",
                }
            },
            "events": events,
        },
        ensure_ascii=False,
        indent=1,
    )


def calendar_span(start, end, precision):
    """All-day ``(first day, day after the last)`` covering what the dating allows.

    A year-dated event spans its whole year(s) and a month-dated one its month(s),
    rather than being pinned to their first day.
    """
    last = end or start
    if precision == DatePrecision.YEAR:
        return start.replace(month=1, day=1), datetime.date(last.year + 1, 1, 1)
    if precision == DatePrecision.MONTH:
        following = datetime.date(last.year + last.month // 12, last.month % 12 + 1, 1)
        return start.replace(day=1), following
    return start, last + datetime.timedelta(days=1)


def to_icalendar(rows, host):
    """An iCalendar file of all-day events (DTEND is exclusive, per RFC 5545)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", CALENDAR_PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Crisis Timeline")
    for row in rows:
        entry = icalendar.Event()
        entry.add("uid", f"{row.slug}@{host}")
        entry.add("dtstamp", row.updated_at)
        entry.add("summary", row.title)
        start, end = calendar_span(row.start_date, row.end_date, row.date_precision)
        entry.add("dtstart", start)
        entry.add("dtend", end)
        description = row.summary
        if row.date_precision != DatePrecision.DAY:
            description = (
                f"Dated {row.display_date} "
                f"({DatePrecision(row.date_precision).label.lower()}).\n\n{description}"
            )
        if row.citations:
            description += "\n\nSources:\n" + "\n".join(
                _citation_line(citation) for citation in row.citations
            )
        entry.add("description", description)
        entry.add("url", row.url)
        entry.add("categories", [Category(row.category).label])
        if row.place:
            entry.add("location", row.place)
        calendar.add_component(entry)
    return calendar.to_ical()
