"""Exports of exactly the filtered events: CSV, JSON, TimelineJS3 JSON and iCalendar.

Rows are read as plain values in three queries (events, their actors, their tags) whatever
the number of events, so an export costs the same queries for ten events or ten thousand.
"""

import datetime
import json
from dataclasses import dataclass, field

import icalendar
import tablib
from django.utils.html import escape

from crisis.models import (
    Category,
    DatePrecision,
    Event,
    EventActor,
    Status,
    format_partial_date,
)
from crisis.selectors import TIMELINE_ORDER

# The column names are a public contract: add columns at the end, never rename.
COLUMNS = (
    "slug",
    "title",
    "start_date",
    "end_date",
    "date_precision",
    "display_date",
    "category",
    "importance",
    "countries",
    "place",
    "actors",
    "tags",
    "quote_count",
    "summary",
    "url",
)
LIST_SEPARATOR = "; "
MAX_LISTED_IDS = 2000
CALENDAR_PRODID = "-//Crisis Timeline//Filtered events//EN"


@dataclass
class ExportRow:
    """One event, as exported."""

    pk: int
    slug: str
    title: str
    summary: str
    start_date: datetime.date
    end_date: datetime.date | None
    date_precision: str
    category: str
    importance: int
    countries: str
    place: str
    quote_count: int
    updated_at: datetime.datetime
    url: str = ""
    actors: list = field(default_factory=list)  # (name, role)
    tags: list = field(default_factory=list)

    @property
    def display_date(self):
        start = format_partial_date(self.start_date, self.date_precision)
        if self.end_date and self.end_date != self.start_date:
            return (
                f"{start} – {format_partial_date(self.end_date, self.date_precision)}"
            )
        return start

    def as_record(self):
        """A flat dict with ``COLUMNS`` as keys, dates as ISO 8601 strings."""
        return {
            "slug": self.slug,
            "title": self.title,
            "start_date": self.start_date.isoformat(),
            "end_date": self.end_date.isoformat() if self.end_date else "",
            "date_precision": self.date_precision,
            "display_date": self.display_date,
            "category": self.category,
            "importance": self.importance,
            "countries": LIST_SEPARATOR.join(
                code for code in self.countries.split(",") if code
            ),
            "place": self.place,
            "actors": LIST_SEPARATOR.join(
                f"{name} ({role})" for name, role in self.actors
            ),
            "tags": LIST_SEPARATOR.join(self.tags),
            "quote_count": self.quote_count,
            "summary": self.summary,
            "url": self.url,
        }


def export_rows(events, build_url):
    """The filtered ``events`` as ``ExportRow``s in timeline order, published data only."""
    published = events.filter(status=Status.PUBLISHED)
    rows = {
        values["pk"]: ExportRow(**values)
        for values in published.with_quote_count()
        .order_by(*TIMELINE_ORDER)
        .values(
            "pk",
            "slug",
            "title",
            "summary",
            "start_date",
            "end_date",
            "date_precision",
            "category",
            "importance",
            "countries",
            "place",
            "quote_count",
            "updated_at",
        )
    }
    # The ids themselves when there are few (PostgreSQL then looks each up in the index
    # rather than scanning every actor link); the filter as a subquery otherwise.
    ids = list(rows) if len(rows) <= MAX_LISTED_IDS else published.values("pk")
    for event_id, name, role in (
        EventActor.objects.filter(event__in=ids)
        .order_by("role", "actor__name")
        .values_list("event_id", "actor__name", "role")
    ):
        rows[event_id].actors.append((name, role))
    for event_id, tag in (
        Event.tags.through.objects.filter(event__in=ids)
        .order_by("tag__name")
        .values_list("event_id", "tag__name")
    ):
        rows[event_id].tags.append(tag)
    for row in rows.values():
        row.url = build_url(row.slug)
    return list(rows.values())


def as_dataset(rows):
    dataset = tablib.Dataset(headers=list(COLUMNS))
    for row in rows:
        record = row.as_record()
        dataset.append([record[column] for column in COLUMNS])
    return dataset


def to_csv(rows):
    return as_dataset(rows).export("csv")


def to_json(rows):
    return json.dumps([row.as_record() for row in rows], ensure_ascii=False, indent=1)


def _timelinejs_date(value, precision):
    """A TimelineJS date object, no more precise than the event's dating."""
    date = {"year": value.year}
    if precision != DatePrecision.YEAR:
        date["month"] = value.month
    if precision not in (DatePrecision.YEAR, DatePrecision.MONTH):
        date["day"] = value.day
    return date


def to_timelinejs(rows, title, description):
    """Knight Lab TimelineJS3 JSON: ``{"title": ..., "events": [...]}``."""
    events = []
    for row in rows:
        start = _timelinejs_date(row.start_date, row.date_precision)
        start["display_date"] = row.display_date
        actors = ", ".join(f"{name} ({role})" for name, role in row.actors)
        text = f"<p>{escape(row.summary)}</p>"
        if actors:
            text += f"<p>Actors: {escape(actors)}</p>"
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
        entry.add("dtstart", row.start_date)
        entry.add(
            "dtend", (row.end_date or row.start_date) + datetime.timedelta(days=1)
        )
        description = row.summary
        if row.date_precision != DatePrecision.DAY:
            description = (
                f"Dated {row.display_date} "
                f"({DatePrecision(row.date_precision).label.lower()}).\n\n{description}"
            )
        entry.add("description", description)
        entry.add("url", row.url)
        entry.add("categories", [Category(row.category).label])
        if row.place:
            entry.add("location", row.place)
        calendar.add_component(entry)
    return calendar.to_ical()
