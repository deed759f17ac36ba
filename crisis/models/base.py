"""What every fact model shares: the choices, partial dates, the version an edit
writes, and the draft/published QuerySet."""

import datetime
import functools

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import connection, models
from django.db.models import CharField, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Substr
from django.urls import get_script_prefix, get_urlconf, reverse


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"
    APPROXIMATE = "approximate", "Approximate (around this date)"
    REPORTED = "reported", "Reported by this date (the source gives no date)"


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    STATE = "state", "State or government"
    ORGANISATION = "organisation", "Organisation"
    ALLIANCE = "alliance", "Alliance or union"
    OFFICE = "office", "Office or spokesperson's office"
    MILITARY = "military", "Military force or unit"
    GROUP = "group", "Armed or informal group"


class Category(models.TextChoices):
    DIPLOMACY = "diplomacy", "Diplomacy"
    MILITARY = "military", "Military"
    ECONOMY = "economy", "Economy & markets"
    SANCTIONS = "sanctions", "Sanctions"
    EVACUATION = "evacuation", "Evacuation & travel"
    STATEMENT = "statement", "Statement"
    BACKGROUND = "background", "Background"


class Importance(models.IntegerChoices):
    MINOR = 1, "Minor"
    NOTABLE = 2, "Notable"
    MAJOR = 3, "Major"


class EventRole(models.TextChoices):
    INITIATOR = "initiator", "Initiator"
    TARGET = "target", "Target"
    PARTICIPANT = "participant", "Participant"
    MENTIONED = "mentioned", "Mentioned"


def format_partial_date(value, precision):
    """Render a date as precisely as it is known: "January 2022", "c. 2014"..."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return value.strftime("%B %Y")
    day = f"{value.day} {value:%B %Y}"
    if precision == DatePrecision.APPROXIMATE:
        return f"c. {day}"
    if precision == DatePrecision.REPORTED:
        return f"by {day}"
    return day


def format_date_span(start, end, precision):
    """A span as precisely as it is known ("2014 – 2015"); one date if it is one day."""
    first = format_partial_date(start, precision)
    if end and end != start:
        return f"{first} – {format_partial_date(end, precision)}"
    return first


def next_version(instance):
    """The version a save writes: one past the stored one, whatever this copy holds.

    Reading the stored value (not ``instance.version``) keeps versions rising even when
    an old copy is saved, e.g. a revert to an earlier version from history.
    """
    if instance._state.adding:
        return instance.version or 1
    stored = (
        type(instance)
        .objects.filter(pk=instance.pk)
        .values_list("version", flat=True)
        .first()
    )
    return (stored if stored is not None else instance.version) + 1


def date_from_prefix(text):
    """An ISO date's first 4, 7 or 10 characters as the first day they name:
    ``"2022"`` is 1 January 2022, ``"2022-03"`` 1 March 2022."""
    return datetime.date.fromisoformat(f"{text}-01-01"[:10])


# The first day of the year after a date, in each database's SQL.
_NEXT_YEAR = {
    "postgresql": "make_date(CAST(extract(year FROM {}) AS integer) + 1, 1, 1)",
    "sqlite": "date({}, 'start of year', '+1 year')",
}


def _years_by_index(model, field_name):
    """The first day of every year some row's ``field_name`` falls in, one index probe
    a year: a recursive query asks the date index for the first date on or after the
    next year's first day. ``SELECT DISTINCT`` would read every row (60 ms over 475,000
    quotes on PostgreSQL)."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field_name).column)
    following = _NEXT_YEAR[connection.vendor].format("found.day")
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE found(day) AS ("
            f" SELECT MIN({column}) FROM {table}"
            " UNION ALL"
            f" SELECT (SELECT MIN({column}) FROM {table} WHERE {column} >= {following})"
            # The calendar's last year has no next one (SQLite's would be "10000-…",
            # which sorts before it as text).
            " FROM found WHERE found.day IS NOT NULL AND found.day < %s"
            ") SELECT day FROM found WHERE day IS NOT NULL",
            [datetime.date(9999, 1, 1)],
        )
        days = [day for (day,) in cursor.fetchall()]
    return [date_from_prefix(str(day)[:4]) for day in days]


def with_one_of(queryset, rows):
    """``queryset`` kept to the rows for which ``rows`` (a QuerySet tied to the outer
    row by ``OuterRef``) holds at least one.

    A scalar subquery with a LIMIT, probed once per outer row and stopping at the first
    match. PostgreSQL turns an ``EXISTS`` into a semi-join that reads every row of
    ``rows`` first: 300 ms for the tags in use at 100,000 events, against 2 ms.
    """
    first = Subquery(rows.order_by().values("pk")[:1])
    return queryset.alias(one_of=first).filter(one_of__isnull=False)


def most_common_of_latest(model, field, *, latest, limit, newest_by="pk"):
    """SQL for a ``__in`` filter: the ``limit`` values of ``field`` most frequent among
    the ``latest`` rows of ``model`` (newest first by ``newest_by``).

    The latest rows come from the end of an index in a derived table, then are
    counted. Written as ``pk__in`` a sliced QuerySet, PostgreSQL hashed the latest rows
    and read the whole table against them: 30 ms over the 260,000 links of 100,000
    events, against 2 ms. Django has no derived tables, hence the raw SQL (portable).
    """
    quote = connection.ops.quote_name
    meta = model._meta
    column = quote(meta.get_field(field).column)
    newest = quote(
        meta.pk.column if newest_by == "pk" else meta.get_field(newest_by).column
    )
    return RawSQL(
        f"SELECT {column} FROM (SELECT {column} FROM {quote(meta.db_table)} "
        f"ORDER BY {newest} DESC LIMIT %s) latest "
        f"GROUP BY {column} ORDER BY COUNT(*) DESC, {column} LIMIT %s",
        (latest, limit),
    )


class PublishableQuerySet(models.QuerySet):
    """Rows with a draft/published status: the public sees published ones only."""

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Published rows, plus drafts for staff who preview them."""
        if self.statuses_visible_to(user) == (Status.PUBLISHED,):
            return self.published()
        return self

    @staticmethod
    def statuses_visible_to(user):
        """The statuses whose rows ``user`` sees: all for staff, published for others."""
        if user is not None and user.is_active and user.is_staff:
            return tuple(Status.values)
        return (Status.PUBLISHED,)

    def aggregate(self, *args, **kwargs):
        """Django's, except for several MIN and MAX over a whole table (the admin
        drill-down's first and last date): each is asked alone, so that each reads one
        end of its index. Asked together, SQLite reads every row (7 ms over 100,000).
        """
        whole_table = not (
            args
            or self.query.where
            or self.query.annotations
            or self.query.distinct
            or self.query.is_sliced
        )
        ends_only = all(
            type(value) in (models.Min, models.Max) for value in kwargs.values()
        )
        if whole_table and len(kwargs) > 1 and ends_only:
            whole = super()
            return {
                name: whole.aggregate(**{name: value})[name]
                for name, value in kwargs.items()
            }
        return super().aggregate(*args, **kwargs)

    def dates(self, field_name, kind, order="ASC"):
        """The distinct years, months or days of a date field, as a sorted list.

        The admin's date drill-down asks for these. Django's own version truncates
        every row's date, which SQLite runs as a Python function per row (170 ms over
        100,000 events); grouping by the ISO date's first 4, 7 or 10 characters reads
        them from an index instead.
        """
        if kind == "year" and not self.query.where:
            found = _years_by_index(self.model, field_name)
            return found[::-1] if order == "DESC" else found
        width = {"year": 4, "month": 7, "day": 10}[kind]
        prefixes = (
            self.order_by()
            .filter(**{f"{field_name}__isnull": False})
            .annotate(date_prefix=Substr(Cast(field_name, CharField()), 1, width))
            .values_list("date_prefix", flat=True)
            .distinct()
        )
        found = sorted(date_from_prefix(prefix) for prefix in prefixes)
        return found[::-1] if order == "DESC" else found


class VersionedSave:
    """For a model with an ``edit_version_field``: every save writes ``next_version``."""

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


def edit_version_field():
    """The version an edit was made from, checked on save (``next_version``)."""
    return models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save; the admin refuses a save made from an "
        "older version, so two editors never silently overwrite each other.",
    )


def search_vector_field(writer):
    """The PostgreSQL search document of a model, written by ``crisis.search.writer``."""
    return SearchVectorField(
        null=True,
        editable=False,
        help_text="PostgreSQL only: the indexed search document, written by "
        f"crisis.search.{writer} (SQLite keeps an FTS5 table instead).",
    )


# A timeline page links every card's event, actors and passage: a hundred reverse()
# calls, 2 of its 5 ms of cards. A URL depends only on its name, its argument and the URL
# configuration, so each is worked out once per process and kept (a memo of a pure
# function, not a cache of data: nothing in it can go stale).
@functools.lru_cache(maxsize=50_000)
def _reversed(name, argument, urlconf, script_prefix, root_urlconf):
    return reverse(name, args=[argument], urlconf=urlconf)


def page_url(name, argument):
    """``reverse(name, args=[argument])``, remembered (``_reversed``)."""
    return _reversed(
        name, argument, get_urlconf(), get_script_prefix(), settings.ROOT_URLCONF
    )
