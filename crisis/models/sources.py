"""Sources and the citations that tie every fact to a verbatim passage of one."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from crisis.models.base import VersionedSave, page_url
from crisis.text import occurs_verbatim


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
    citation_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Derived: how many of its passages a public event or quote cites, "
        "written by crisis.services.recount_source_citations.",
    )

    history = HistoricalRecords(excluded_fields=["citation_count"])

    class Meta:
        ordering = ["-published_on", "title", "pk"]
        # The source list's orders (``tables.SourceTable``), each read from an index so
        # that a page stops after its rows: sorted, every source's citation count was
        # worked out before the sort.
        indexes = [
            models.Index(
                fields=["-published_on", "title", "id"], name="source_list_order_idx"
            ),
            models.Index(
                fields=["published_on", "title", "id"], name="source_published_idx"
            ),
            models.Index(fields=["title", "id"], name="source_title_idx"),
            models.Index(fields=["publisher", "id"], name="source_publisher_idx"),
            models.Index(fields=["language", "id"], name="source_language_idx"),
            models.Index(fields=["citation_count", "id"], name="source_cited_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.publisher or 'unknown publisher'}, {self.published_on:%d %b %Y})"

    def get_absolute_url(self):
        return page_url("crisis:source_detail", self.slug)

    @property
    def web_url(self):
        """The URL if it is a web address, else "": never a javascript: link on a page."""
        return web_url(self.url)


def web_url(url):
    """``url`` if it is a web address (http or https), else ""."""
    scheme = url.split(":", 1)[0].strip().lower()
    return url if scheme in {"http", "https"} else ""


class Citation(VersionedSave, models.Model):
    """A verbatim passage of a source that supports an event or a quote."""

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations"
    )
    excerpt = models.TextField(
        help_text="The passage that supports the fact, copied exactly from the source's text."
    )
    event = models.ForeignKey(
        "Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
    )
    quote = models.ForeignKey(
        "Quote",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
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

    def get_passage_url(self):
        """The page showing this passage in its source."""
        return page_url("crisis:citation_passage", self.pk)

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
