"""The sortable tables: events, quotes, actors and sources."""

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from crisis.models import TIMELINE_ORDER, Actor, Event, Quote, Source

# Cell links open pages; only sorting and paging links inside a table swap in place.
TABLE_ATTRS = {
    "class": "data-table data-table--stacked",
    "tbody": {"hx-boost": "false"},
}


class StackedTable(tables.Table):
    """A table whose cells carry their column's name (``data-label``): on a phone a row
    stacks as one labelled line per cell (site.css, "data-table--stacked").

    The name is written into each column's cell attributes once per table, which
    django-tables2 renders with every cell anyway.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for bound in self.columns:
            attrs = bound.column.attrs
            attrs["td"] = {**attrs.get("td", {}), "data-label": str(bound.header)}


def _date_cell(value, text):
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), text)


class EventTable(StackedTable):
    start_date = tables.Column("Date", order_by=TIMELINE_ORDER)
    title = tables.Column("Event", linkify=True, order_by=("title", "pk"))
    # Every order ends with the id, so that ties never make a page repeat or skip a
    # row, and is read from an index (``Event.Meta.indexes``; SQLite's hold the id).
    category = tables.Column("Category", order_by=("category", "start_date", "pk"))
    importance = tables.Column(
        "Importance", order_by=("importance", "start_date", "pk")
    )
    actors = tables.Column("Actors", accessor="pk", orderable=False)
    quote_count = tables.Column(
        "Quotes",
        attrs={"td": {"class": "num"}},
        # Read from an index among published events (``Event.Meta.indexes``).
        order_by=("quote_count", "start_date", "pk"),
    )

    class Meta:
        model = Event
        fields = ()
        sequence = (
            "start_date",
            "title",
            "category",
            "importance",
            "actors",
            "quote_count",
        )
        attrs = TABLE_ATTRS
        empty_text = "No events match these filters."
        per_page = 50

    def render_start_date(self, record):
        return _date_cell(record.start_date, record.display_date)

    def render_category(self, record):
        return format_html(
            '<span class="badge badge--{}">{}</span>',
            record.category,
            record.get_category_display(),
        )

    def render_importance(self, record):
        return record.get_importance_display()

    def render_actors(self, record):
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> <span class="role">{}</span>',
            (
                (
                    link.actor.get_absolute_url(),
                    link.actor.name,
                    link.get_role_display().lower(),
                )
                for link in record.event_actors.all()
            ),
        )


class QuoteTable(StackedTable):
    said_on = tables.Column("Date", order_by=("said_on", "pk"))
    speaker = tables.Column(
        "Speaker", linkify=True, order_by=("speaker__name", "speaker", "said_on", "pk")
    )
    # Not sortable: no index can serve these orders (a quote's text, its event's date
    # through a join), so each sorted every quote (a third of a second at 100,000
    # events, on both databases). The date orders chronologically, the speaker filter
    # finds a speaker's quotes and an event's page lists its own.
    text = tables.Column("Quote", orderable=False)
    event = tables.Column("Event", linkify=True, orderable=False)

    class Meta:
        model = Quote
        fields = ()
        sequence = ("said_on", "speaker", "text", "event")
        attrs = TABLE_ATTRS
        empty_text = "No quotes match these filters."
        per_page = 50

    def render_said_on(self, record):
        return _date_cell(record.said_on, record.display_date)

    def render_text(self, record):
        return format_html(
            '<a href="{}">“{}”</a>', record.get_absolute_url(), record.text
        )


class ActorTable(StackedTable):
    name = tables.Column("Name", linkify=True, order_by=("name", "pk"))
    kind = tables.Column("Kind", order_by=("kind", "name", "pk"))
    title = tables.Column("Role or title", order_by=("title", "name", "pk"))
    country = tables.Column("Country", order_by=("country", "name", "pk"))
    event_count = tables.Column(
        "Events", attrs={"td": {"class": "num"}}, order_by=("event_count", "name", "pk")
    )
    timeline = tables.Column("", accessor="slug", orderable=False)

    class Meta:
        model = Actor
        fields = ()
        sequence = ("name", "kind", "title", "country", "event_count", "timeline")
        attrs = TABLE_ATTRS
        empty_text = "No actors match these filters."
        per_page = 50

    def render_country(self, record):
        return record.country.name

    def render_timeline(self, record):
        url = reverse("crisis:timeline") + "?" + urlencode({"actor": record.slug})
        return format_html('<a href="{}">on the timeline</a>', url)


class SourceTable(StackedTable):
    # Each order ends with the id, so that pages never repeat or skip a row, and each
    # is read from an index (``Source.Meta.indexes``).
    title = tables.Column("Source", linkify=True, order_by=("title", "pk"))
    publisher = tables.Column("Publisher", order_by=("publisher", "pk"))
    published_on = tables.Column("Published", order_by=("published_on", "title", "pk"))
    language = tables.Column("Language", order_by=("language", "pk"))
    citation_count = tables.Column(
        "Cited passages",
        attrs={"td": {"class": "num"}},
        order_by=("citation_count", "pk"),
    )

    class Meta:
        model = Source
        fields = ()
        sequence = ("title", "publisher", "published_on", "language", "citation_count")
        attrs = TABLE_ATTRS
        empty_text = "No sources yet."
        per_page = 50

    def render_published_on(self, record):
        return _date_cell(record.published_on, f"{record.published_on:%-d %B %Y}")
