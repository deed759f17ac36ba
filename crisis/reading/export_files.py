"""How each export file is written from ``exports.ExportRow``s: CSV, JSON, TimelineJS3
JSON and iCalendar, each a generator of text that ``exports.in_pieces`` sends on."""

import csv
import json

import icalendar
from django.utils.html import escape

from crisis import event_columns
from crisis.csv_safety import neutralise_cell
from crisis.models import Category, DatePrecision
from crisis.reading.calendar_units import unit_next, unit_start

CALENDAR_PRODID = "-//Crisis Timeline//Filtered events//EN"


class _Line:
    """A file for ``csv.writer`` whose ``write`` returns the line instead of keeping it."""

    def write(self, line):
        return line


def stream_csv(rows, columns=event_columns.COLUMNS):
    """CSV for spreadsheets, line by line: UTF-8 with a byte order mark (Excel reads
    ’ “ ” right), the header, then each row with no cell a spreadsheet would run as a
    formula (``neutralise_cell``)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        record = row.as_record()
        yield writer.writerow([neutralise_cell(record[column]) for column in columns])


def stream_json(rows):
    """A JSON array of ``ExportRow.as_json()`` objects, one per line."""
    yield "["
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(row.as_json(), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


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


def timelinejs_event(row):
    """One event as a TimelineJS3 slide."""
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
    return event


def stream_timelinejs(rows, title, description, note=""):
    """Knight Lab TimelineJS3 JSON: ``{"title": ..., "events": [...]}``; ``note`` (e.g.
    what a capped file leaves out) is a second paragraph of the title slide."""
    text = f"<p>{escape(description)}</p>"
    if note:
        text += f"<p>{escape(note)}</p>"
    title_slide = {"text": {"headline": escape(title), "text": text}}
    yield '{"title": ' + json.dumps(title_slide, ensure_ascii=False)
    yield ',\n"events": ['
    separator = "\n"
    for row in rows:
        yield separator + json.dumps(timelinejs_event(row), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def calendar_span(start, end, precision):
    """All-day ``(first day, day after the last)`` covering what the dating allows.

    A year-dated event spans its whole year(s) and a month-dated one its month(s),
    rather than being pinned to their first day.
    """
    unit = {DatePrecision.YEAR: "year", DatePrecision.MONTH: "month"}.get(precision)
    return unit_start(start, unit or "day"), unit_next(end or start, unit or "day")


def calendar():
    """The iCalendar file's ``VCALENDAR``, without events."""
    shell = icalendar.Calendar()
    shell.add("prodid", CALENDAR_PRODID)
    shell.add("version", "2.0")
    shell.add("x-wr-calname", "Crisis Timeline")
    return shell


def calendar_entry(row, host):
    """One event as an all-day ``VEVENT`` (DTEND is exclusive, per RFC 5545)."""
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
    return entry


def stream_icalendar(rows, host):
    """The calendar of ``calendar()`` holding every row's ``calendar_entry``, written
    one ``VEVENT`` at a time: the same bytes as the whole calendar's ``to_ical()``."""
    end = b"END:VCALENDAR\r\n"
    shell = calendar().to_ical()
    yield shell.removesuffix(end).decode()
    for row in rows:
        yield calendar_entry(row, host).to_ical().decode()
    yield end.decode()
