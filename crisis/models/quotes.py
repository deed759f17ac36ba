"""Quotes: verbatim words, their speaker, when they were said and where printed."""

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from crisis.models.actors import Actor
from crisis.models.base import (
    DatePrecision,
    PublishableQuerySet,
    Status,
    VersionedSave,
    edit_version_field,
    format_partial_date,
    page_url,
    search_vector_field,
)
from crisis.models.sources import Source
from crisis.text import occurs_verbatim


def published_quote(prefix="", *, status="status"):
    """Q for a published quote whose event, if any, is published too.

    ``prefix`` reaches the quote through a relation (``"quote__"`` from a citation), so
    the rule is joined where it is needed rather than restated. ``status`` names the
    status field or an alias of it.
    """
    return Q(**{f"{prefix}{status}": Status.PUBLISHED}) & (
        Q(**{f"{prefix}event__isnull": True})
        | Q(**{f"{prefix}event__status": Status.PUBLISHED})
    )


def public_citation(prefix=""):
    """Q for a citation the public sees: of a published event, or of a published quote
    (``published_quote``). ``prefix`` reaches the citation through a relation."""
    return Q(**{f"{prefix}event__status": Status.PUBLISHED}) | published_quote(
        f"{prefix}quote__"
    )


class QuoteQuerySet(PublishableQuerySet):
    def published(self):
        """Published quotes whose event, if any, is published too."""
        return self.filter(published_quote())

    def visible_to(self, user, *, by_status_index=True):
        """As for every kind, with ``by_status_index=False`` to write the status so
        that no index can serve it (``COALESCE(status, status)``).

        For the quote list sorted by speaker: SQLite then reads speaker by speaker (the
        actors' name index, then each one's quotes from the (speaker, date) index) and
        a page stops after its rows. By the status index it read every published quote
        and sorted them all (a quarter of a second at 100,000 events). SQLite only:
        PostgreSQL's statistics already choose that way, and the rewritten status
        misleads them (5 ms to 100).
        """
        if (
            by_status_index
            or connection.vendor != "sqlite"
            or self.statuses_visible_to(user) != (Status.PUBLISHED,)
        ):
            return super().visible_to(user)
        return self.alias(status_unindexed=Coalesce("status", "status")).filter(
            published_quote(status="status_unindexed")
        )


class QuoteManager(models.Manager.from_queryset(QuoteQuerySet)):
    def get_queryset(self):
        # The search document is for the database's eyes only; never load it.
        return super().get_queryset().defer("search_vector")


class Quote(VersionedSave, models.Model):
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
        "Event",
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
    version = edit_version_field()

    search_vector = search_vector_field("index_quotes")

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

    def get_absolute_url(self):
        return page_url("crisis:quote_detail", self.slug)

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
