"""Sources, actors, events, quotes and the citations that tie every fact to its source."""

import datetime

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import CharField, Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Substr
from django.urls import reverse
from django.utils.text import slugify
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from crisis.text import occurs_verbatim


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


class Source(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    publisher = models.CharField(max_length=200, blank=True)
    author = models.CharField(
        max_length=200, blank=True, help_text="Who wrote it, as the source names them."
    )
    url = models.URLField("URL", max_length=500, blank=True)
    published_on = models.DateField(
        "publication date", help_text="The date the document was published."
    )
    language = models.CharField(
        max_length=16, default="en", help_text="BCP 47 language tag, e.g. en, uk, ru."
    )
    text = models.TextField(
        help_text="The full text, exactly as published. Citations and quotes must occur in it."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self):
        return f"{self.title} ({self.publisher or 'unknown publisher'}, {self.published_on:%d %b %Y})"

    def get_absolute_url(self):
        return reverse("crisis:source_detail", kwargs={"slug": self.slug})

    @property
    def web_url(self):
        """The URL if it is a web address, else "": never a javascript: link on a page."""
        scheme = self.url.split(":", 1)[0].strip().lower()
        return self.url if scheme in {"http", "https"} else ""


class ActorQuerySet(models.QuerySet):
    def matching(self, term):
        """Actors whose name, title or any alias contains ``term`` (case-insensitive)."""
        term = (term or "").strip()
        if not term:
            return self
        return self.filter(
            Q(name__icontains=term)
            | Q(aliases__icontains=term)
            | Q(title__icontains=term)
        )


class Actor(models.Model):
    Kind = ActorKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    title = models.CharField(
        "role or title",
        max_length=200,
        blank=True,
        help_text='What the actor is, e.g. "NATO Secretary General".',
    )
    country = CountryField(blank=True, help_text="ISO 3166 country, where one applies.")
    aliases = models.TextField(
        blank=True,
        help_text="Other names and spellings found in sources, one per line "
        '(e.g. "Olf Scholz", "Kiev"). Search finds the actor by any of them.',
    )
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActorKind.values),
                name="actor_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["kind", "country"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("crisis:actor_detail", kwargs={"slug": self.slug})

    @property
    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


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


def date_from_prefix(text):
    """An ISO date's first 4, 7 or 10 characters as the first day they name:
    ``"2022"`` is 1 January 2022, ``"2022-03"`` 1 March 2022."""
    return datetime.date.fromisoformat(f"{text}-01-01"[:10])


class PublishableQuerySet(models.QuerySet):
    """Rows with a draft/published status: the public sees published ones only."""

    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        """Published rows, plus drafts for staff who preview them."""
        if user is not None and user.is_active and user.is_staff:
            return self
        return self.published()

    def dates(self, field_name, kind, order="ASC"):
        """The distinct years, months or days of a date field, as a sorted list.

        The admin's date drill-down asks for these. Django's own version truncates
        every row's date, which SQLite runs as a Python function per row (170 ms over
        100,000 events); grouping by the ISO date's first 4, 7 or 10 characters reads
        them from an index instead.
        """
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


class EventQuerySet(PublishableQuerySet):
    def for_timeline(self):
        """Everything a timeline card shows, in a fixed number of queries."""
        return self.with_quote_count().prefetch_related(*timeline_card_prefetches())

    def with_quote_count(self):
        """Each event's number of published quotes, as ``quote_count``."""
        return self.annotate(
            # A correlated subquery, not a JOIN + GROUP BY: it runs only for the rows a
            # page returns, so the ordered index scan can stop after one page.
            quote_count=Coalesce(
                Subquery(
                    Quote.objects.filter(event=OuterRef("pk"), status=Status.PUBLISHED)
                    .order_by()
                    .values("event")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )

    def in_range(self, start=None, end=None):
        """Events that overlap the closed interval [start, end]."""
        queryset = self
        if start:
            queryset = queryset.filter(
                Q(end_date__gte=start) | Q(end_date__isnull=True, start_date__gte=start)
            )
        if end:
            queryset = queryset.filter(start_date__lte=end)
        return queryset


# The order of the timeline, and of anything listed like it: one total order.
TIMELINE_ORDER = ("start_date", "date_precision", "-importance", "title", "pk")


class EventManager(models.Manager.from_queryset(EventQuerySet)):
    def get_queryset(self):
        # The search document is for the database's eyes only; never load it.
        return super().get_queryset().defer("search_vector")


class Event(models.Model):
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
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save; the admin refuses a save made from an "
        "older version, so two editors never silently overwrite each other.",
    )

    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="PostgreSQL only: the indexed search document, written by "
        "crisis.search.index_events (SQLite keeps an FTS5 table instead).",
    )

    history = HistoricalRecords(m2m_fields=[tags], excluded_fields=["search_vector"])
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

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("crisis:event_detail", kwargs={"slug": self.slug})

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


class EventActor(models.Model):
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
        indexes = [models.Index(fields=["actor", "role"])]

    def __str__(self):
        return f"{self.actor} ({self.get_role_display().lower()})"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)


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


class QuoteQuerySet(PublishableQuerySet):
    def published(self):
        """Published quotes whose event, if any, is published too."""
        return (
            super()
            .published()
            .filter(Q(event__isnull=True) | Q(event__status=Status.PUBLISHED))
        )


class QuoteManager(models.Manager.from_queryset(QuoteQuerySet)):
    def get_queryset(self):
        # The search document is for the database's eyes only; never load it.
        return super().get_queryset().defer("search_vector")


class Quote(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    text = models.TextField(
        help_text="Only the words inside the quotation marks, exactly as the source prints them."
    )
    speaker = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="Who said it. A spokesperson's office is an actor too.",
    )
    said_on = models.DateField("date said")
    date_precision = models.CharField(
        max_length=12, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        help_text="The event this was said in or about, if any.",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="quotes",
        help_text="The document that prints these words.",
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save; the admin refuses a save made from an "
        "older version, so two editors never silently overwrite each other.",
    )

    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="PostgreSQL only: the indexed search document, written by "
        "crisis.search.index_quotes (SQLite keeps an FTS5 table instead).",
    )

    history = HistoricalRecords(excluded_fields=["search_vector"])
    objects = QuoteManager()

    class Meta:
        ordering = ["said_on", "pk"]
        permissions = [("publish_quote", "Can publish and unpublish quotes")]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_precision__in=DatePrecision.values),
                name="quote_date_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="quote_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "said_on"]),
            models.Index(fields=["speaker", "said_on"]),
            # The admin's list, in Meta.ordering, without sorting every quote.
            models.Index(fields=["said_on", "id"], name="quote_said_on_order_idx"),
            # Created on PostgreSQL only (migration 0014); SQLite has its FTS5 table.
            GinIndex(fields=["search_vector"], name="quote_search_vector_gin"),
        ]

    def __str__(self):
        words = self.text if len(self.text) <= 60 else f"{self.text[:57]}…"
        return f"{self.speaker}: “{words}”"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("crisis:quote_detail", kwargs={"slug": self.slug})

    def clean(self):
        if (
            self.source_id
            and self.text
            and not occurs_verbatim(self.text, self.source.text)
        ):
            raise ValidationError(
                {
                    "text": f"The quote is not verbatim: these words do not occur in the source "
                    f"“{self.source.title}”. Copy them exactly as printed."
                }
            )

    @property
    def display_date(self):
        return format_partial_date(self.said_on, self.date_precision)


class Citation(models.Model):
    """A verbatim passage of a source that supports an event or a quote."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations"
    )
    excerpt = models.TextField(
        help_text="The passage that supports the fact, copied exactly from the source's text."
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    quote = models.ForeignKey(
        Quote, on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by one on every save, so a stale inline row on an event, "
        "quote or source page is merged rather than written back.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(event__isnull=False) & Q(quote__isnull=True))
                | (Q(event__isnull=True) & Q(quote__isnull=False)),
                name="citation_cites_event_or_quote",
                violation_error_message="A citation supports exactly one event or one quote.",
            ),
        ]

    def __str__(self):
        excerpt = self.excerpt if len(self.excerpt) <= 60 else f"{self.excerpt[:57]}…"
        return f"“{excerpt}” — {self.source.title}"

    def save(self, *args, **kwargs):
        self.version = next_version(self)
        super().save(*args, **kwargs)

    def clean(self):
        # An inline on a new source sets the (unsaved) source object, not its id.
        has_source = self.source_id or Citation.source.is_cached(self)
        if (
            has_source
            and self.source
            and self.excerpt
            and not occurs_verbatim(self.excerpt, self.source.text)
        ):
            raise ValidationError(
                {
                    "excerpt": f"This excerpt was not found in the source “{self.source.title}”. "
                    "Copy the passage exactly as the source prints it."
                }
            )

    @property
    def target(self):
        return self.event or self.quote
