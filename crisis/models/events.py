"""Events, their actors and their countries; TIMELINE_ORDER, the order of every timeline."""

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    CharField,
    Count,
    Max,
    Min,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Cast, Coalesce, Substr
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from crisis.models.actors import Actor, Tag
from crisis.models.base import (
    Category,
    DatePrecision,
    EventRole,
    Importance,
    PublishableQuerySet,
    Status,
    VersionedSave,
    edit_version_field,
    format_date_span,
    page_url,
    search_vector_field,
)
from crisis.models.sources import Citation


def timeline_card_prefetches():
    """The related rows a timeline card shows, into plain lists.

    ``actor_links``, ``tag_list`` and ``citation_list`` hold only the columns a card
    shows. Reading a prefetched ``.all()`` builds a new QuerySet each time, which on a
    page of cards cost more than the queries themselves.
    """
    return [
        Prefetch(
            "event_actors",
            queryset=EventActor.objects.select_related("actor")
            .only("event", "role", "actor", "actor__slug", "actor__name")
            .order_by("role", "actor__name"),
            to_attr="actor_links",
        ),
        Prefetch("tags", queryset=Tag.objects.only("slug", "name"), to_attr="tag_list"),
        Prefetch(
            "citations",
            queryset=Citation.objects.select_related("source")
            .only("event", "excerpt", "source", "source__slug", "source__title")
            .order_by("pk"),
            to_attr="citation_list",
        ),
    ]


class EventQuerySet(PublishableQuerySet):
    def for_timeline(self):
        """Everything a timeline card shows, in a fixed number of queries."""
        return self.prefetch_related(*timeline_card_prefetches())

    def in_range(self, start=None, end=None, *, by_date_index=True):
        """Events that overlap the closed interval [start, end].

        An event that starts before ``start`` may still run into it, so the start date
        alone does not bound the rows to read. The month counts do: no event starts
        before the first day of the earliest month whose events reach ``start``
        (``EventMonth.last_end``). With that lower bound the date index reads the
        range's own months, not every event before ``end``.

        ``by_date_index=False`` writes the same conditions so that no index can serve
        them (``COALESCE(start_date, start_date)``): for a range holding many more
        events than another filter picks, which the database should read first.
        """
        queryset = self
        if not (start or end):
            return queryset
        starts = "start_date"
        if not by_date_index:
            queryset = queryset.alias(
                start_unindexed=Coalesce("start_date", "start_date")
            )
            starts = "start_unindexed"
        if start:
            reaching = EventMonth.objects.filter(last_end__gte=start)
            earliest = reaching.order_by("first_day").values("first_day")[:1]
            queryset = queryset.filter(
                Q(end_date__gte=start)
                | Q(end_date__isnull=True, **{f"{starts}__gte": start}),
                **{f"{starts}__gte": Subquery(earliest)},
            )
        if end:
            queryset = queryset.filter(**{f"{starts}__lte": end})
        return queryset


def counted_per_month(events, *by):
    """``(month, *by, count, importance, first_day, last_day)`` for each month of
    ``events`` and value of the fields ``by``: how many start in it, the highest
    importance and the first and last start date.

    One aggregate query over any QuerySet of events (a migration passes its historical
    model's). A month is its start date's first seven characters (``"2022-01"``), read
    from the date index on both databases: SQLite would truncate dates with a Python
    function called for every row.
    """
    return (
        events.order_by()
        .annotate(month=Substr(Cast("start_date", CharField()), 1, 7))
        .values_list("month", *by)
        .annotate(
            count=Count("*"),
            top=Max("importance"),
            first_day=Min("start_date"),
            last_day=Max("start_date"),
        )
    )


# The order of the timeline, and of anything listed like it: one total order.
TIMELINE_ORDER = ("start_date", "date_precision", "-importance", "title", "pk")


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def get_queryset(self):
        # The search document is for the database's eyes only; never load it.
        return super().get_queryset().defer("search_vector")


class Event(VersionedSave, models.Model):
    Category = Category

    Importance = Importance

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.TextField(
        help_text="A neutral account in our words, faithful to the sources."
    )
    start_date = models.DateField(help_text="When it happened or began.")
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="Leave empty for a single-day or ongoing event.",
    )
    date_precision = models.CharField(
        max_length=12,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How precisely the sources date it. Use “reported” when a source only "
        "says it had happened by its publication date.",
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    countries = CountryField(multiple=True, blank=True, help_text="Countries involved.")
    place = models.CharField(
        max_length=200, blank=True, help_text="City or place, if any."
    )
    importance = models.PositiveSmallIntegerField(
        choices=Importance.choices,
        default=Importance.NOTABLE,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published events are public.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="events")
    actors = models.ManyToManyField(
        "Actor", through="EventActor", related_name="events"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = edit_version_field()

    search_vector = search_vector_field("index_events")
    quote_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Derived: how many published quotes the event has, written by "
        "crisis.services.recount_event_quotes.",
    )

    history = HistoricalRecords(
        m2m_fields=[tags], excluded_fields=["search_vector", "quote_count"]
    )
    objects = EventManager()

    class Meta:
        ordering = list(TIMELINE_ORDER)
        permissions = [("publish_event", "Can publish and unpublish events")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="event_end_not_before_start",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="event_date_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(category__in=Category.values),
                name="event_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=3),
                name="event_importance_valid",
            ),
        ]
        indexes = [
            # The density strip counts events per day from this index alone.
            models.Index(fields=["status", "start_date", "date_precision"]),
            models.Index(fields=["category", "start_date"]),
            models.Index(fields=["importance", "start_date"]),
            # Timeline order (selectors.TIMELINE_ORDER), for a page without a sort step.
            models.Index(
                fields=[
                    "status",
                    "start_date",
                    "date_precision",
                    "-importance",
                    "title",
                    "id",
                ],
                name="event_published_order_idx",
            ),
            models.Index(
                fields=["start_date", "date_precision", "-importance", "title", "id"],
                name="event_timeline_order_idx",
            ),
            # The events table sorted by title (``tables.EventTable``): read in this
            # order, a page stops after its rows instead of sorting every event.
            models.Index(fields=["title", "id"], name="event_title_order_idx"),
            # ...and by its number of quotes, among the published events.
            models.Index(
                fields=["status", "quote_count", "start_date", "id"],
                name="event_quote_count_order_idx",
            ),
            # The binned time axis counts events per category, day or month and
            # precision from this index alone, without reading the rows.
            models.Index(
                fields=[
                    "status",
                    "category",
                    "start_date",
                    "date_precision",
                    "importance",
                ],
                name="event_axis_counts_idx",
            ),
            # Created on PostgreSQL only (migration 0009); SQLite has its FTS5 table.
            GinIndex(fields=["search_vector"], name="event_search_vector_gin"),
        ]

    def __str__(self):
        return f"{self.title} ({self.display_date})"

    def get_absolute_url(self):
        return page_url("crisis:event_detail", self.slug)

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": "The end date cannot be before the start date."}
            )

    @property
    def display_date(self):
        return format_date_span(self.start_date, self.end_date, self.date_precision)

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED


class EventActor(VersionedSave, models.Model):
    Role = EventRole

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="event_actors"
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="event_roles"
    )
    role = models.CharField(
        max_length=12, choices=Role.choices, default=Role.PARTICIPANT
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save, so a stale inline row on an event's "
        "page is merged rather than written back.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "role", "actor__name"]
        verbose_name = "actor in event"
        verbose_name_plural = "actors in event"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "actor", "role"], name="event_actor_role_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=EventRole.values),
                name="event_actor_role_valid",
            ),
        ]
        indexes = [
            # An actor's events (with or without a role) from the index alone: the
            # filter reads event ids, so no link row is visited.
            models.Index(
                fields=["actor", "role", "event"], name="event_actor_role_event_idx"
            )
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display().lower()})"


class EventCountry(models.Model):
    """One row per country of an event, so the country filter reads an index.

    Derived data: ``crisis.services.events_reindex`` writes these rows from
    ``Event.countries`` whenever the code that writes events saves one (signals for
    single saves, the generator, the archive and the seed loader for bulk writes).
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="country_rows"
    )
    country = models.CharField(max_length=2)

    class Meta:
        constraints = [
            # Country first: the filter looks events up by country.
            models.UniqueConstraint(
                fields=["country", "event"], name="event_country_unique"
            )
        ]

    def __str__(self):
        return f"{self.event_id}: {self.country}"


class EventMonth(models.Model):
    """How many events start in a month, by status, category and date precision.

    The unfiltered timeline's count, its time axis and the stretch it spans read these
    few hundred rows instead of every event (at 1,000,000 events that scan took
    seconds). Derived data, like ``EventCountry``: ``crisis.services.events_reindex``
    rewrites the months an event left and entered whenever the code that writes events
    saves or deletes one.
    """

    month = models.DateField(help_text="The month's first day.")
    status = models.CharField(max_length=10, choices=Status.choices)
    category = models.CharField(max_length=20, choices=Category.choices)
    date_precision = models.CharField(max_length=12, choices=DatePrecision.choices)
    count = models.PositiveIntegerField()
    importance = models.PositiveSmallIntegerField(help_text="The highest importance.")
    first_day = models.DateField(help_text="The earliest start date in the month.")
    last_day = models.DateField(help_text="The latest start date in the month.")
    last_end = models.DateField(
        help_text="The latest end date of the month's events (an event without one "
        "ends on the day it starts): how far they reach."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "status", "category", "date_precision"],
                name="event_month_unique",
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.status} {self.category}: {self.count}"


class ActorEventCount(models.Model):
    """How many events of a status an actor takes part in (once per event, whatever
    their roles in it).

    The actor list shows and sorts by these rows instead of counting each actor's
    links on every page (at 1,000,000 events a page of 50 actors read 33,000 links and
    their events). Derived data, like ``EventMonth``: ``crisis.services`` recounts an
    actor whenever a link of theirs, or the status of one of their events, changes.
    """

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="event_counts"
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "status"], name="actor_event_count_unique"
            )
        ]

    def __str__(self):
        return f"{self.actor_id} {self.status}: {self.count}"
