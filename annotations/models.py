"""Analyst annotations: private or team judgement attached to events, quotes and passages.

The tables keep the names they had when annotations lived in the crisis app
(``crisis_annotation`` and the rest), so moving the code moved no data.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from annotations.markup import render_body
from crisis.models import Event, Quote, Source

ANNOTATION_BODY_MAX_LENGTH = 10_000


class AnnotationTargetType(models.TextChoices):
    EVENT = "event", "Event"
    QUOTE = "quote", "Quote"
    QUOTE_PASSAGE = "quote_passage", "Passage of a quote"
    SOURCE_PASSAGE = "source_passage", "Passage of a source"


class BodyFormat(models.TextChoices):
    PLAIN = "plain", "Plain text"
    MARKDOWN = "markdown", "Markdown"


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class SourceReliability(models.TextChoices):
    """NATO/Admiralty grading of the source (STANAG 2511)."""

    A = "A", "A – Completely reliable"
    B = "B", "B – Usually reliable"
    C = "C", "C – Fairly reliable"
    D = "D", "D – Not usually reliable"
    E = "E", "E – Unreliable"
    F = "F", "F – Reliability cannot be judged"


class InformationCredibility(models.TextChoices):
    """NATO/Admiralty grading of the information itself (STANAG 2511)."""

    CONFIRMED = "1", "1 – Confirmed by other sources"
    PROBABLY_TRUE = "2", "2 – Probably true"
    POSSIBLY_TRUE = "3", "3 – Possibly true"
    DOUBTFUL = "4", "4 – Doubtful"
    IMPROBABLE = "5", "5 – Improbable"
    CANNOT_JUDGE = "6", "6 – Truth cannot be judged"


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private (only me)"
    TEAM = "team", "Team"


def is_analyst(user):
    """Analysts may read and write annotations; the Analyst group grants this."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("annotations.add_annotation")
    )


class AnnotationTag(models.Model):
    """An analyst's own label, kept apart from the editorial tags of events."""

    name = models.CharField(max_length=60, unique=True)

    class Meta:
        db_table = "crisis_annotationtag"
        ordering = ["name"]

    def __str__(self):
        return self.name


class HistoryInCrisisTables(HistoricalRecords):
    """History kept in the ``crisis_`` tables it was written to before the move.

    ``table_name`` names the history table; this names the history of each tracked
    many-to-many field too (``crisis_historicalannotation_tags``), which
    django-simple-history would otherwise put under this app's label.
    """

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        name = self.get_history_model_name(through_model)
        options["db_table"] = f"crisis_{name.lower()}"
        return options


class AnnotationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The user's own annotations and those shared with a team they belong to.

        Team membership is read in the query, so leaving a group hides its annotations
        at once. Anyone who is not an analyst sees none.
        """
        if not is_analyst(user):
            return self.none()
        return self.filter(
            Q(author=user)
            | Q(visibility=Visibility.TEAM, team__in=user.groups.values("pk"))
        )

    def for_display(self):
        return self.select_related("author", "team").prefetch_related("tags")

    def of_type(self, target_type):
        conditions = {
            AnnotationTargetType.EVENT: Q(event__isnull=False),
            AnnotationTargetType.QUOTE: Q(quote__isnull=False, exact=""),
            AnnotationTargetType.QUOTE_PASSAGE: Q(quote__isnull=False) & ~Q(exact=""),
            AnnotationTargetType.SOURCE_PASSAGE: Q(source__isnull=False),
        }
        return self.filter(conditions[target_type])


class Annotation(models.Model):
    """An analyst's note on an event, a quote, or a passage of a quote or source.

    A passage is kept the way the W3C Web Annotation model does it: the exact words with
    a little text either side (TextQuoteSelector) and their offsets (TextPositionSelector),
    so it can be found again after the text is edited elsewhere.
    """

    TargetType = AnnotationTargetType
    Confidence = Confidence
    Reliability = SourceReliability
    Credibility = InformationCredibility
    Visibility = Visibility
    BodyFormat = BodyFormat

    author = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="annotations"
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annotations",
    )
    quote = models.ForeignKey(
        Quote,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annotations",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="annotations",
    )
    exact = models.TextField(
        blank=True, help_text="The annotated passage, exactly as the text prints it."
    )
    prefix = models.CharField(max_length=64, blank=True)
    suffix = models.CharField(max_length=64, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField(max_length=ANNOTATION_BODY_MAX_LENGTH)
    body_format = models.CharField(
        max_length=10, choices=BodyFormat.choices, default=BodyFormat.PLAIN
    )
    tags = models.ManyToManyField(AnnotationTag, blank=True, related_name="annotations")
    confidence = models.CharField(
        max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    source_reliability = models.CharField(
        max_length=1, choices=SourceReliability.choices, blank=True
    )
    information_credibility = models.CharField(
        max_length=1, choices=InformationCredibility.choices, blank=True
    )
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    team = models.ForeignKey(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="annotations",
        # Deleting a group leaves its annotations to their authors alone.
        help_text="The group it is shared with, when visibility is “team”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoryInCrisisTables(
        table_name="crisis_historicalannotation", m2m_fields=[tags]
    )
    objects = AnnotationQuerySet.as_manager()

    class Meta:
        db_table = "crisis_annotation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(event__isnull=False, quote__isnull=True, source__isnull=True)
                    | Q(event__isnull=True, quote__isnull=False, source__isnull=True)
                    | Q(event__isnull=True, quote__isnull=True, source__isnull=False)
                ),
                name="annotation_has_one_target",
                violation_error_message="An annotation has exactly one target.",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=True) | ~Q(exact=""),
                name="annotation_source_needs_passage",
                violation_error_message="A source is annotated by passage.",
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=True) | Q(exact=""),
                name="annotation_event_has_no_passage",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values),
                name="annotation_visibility_valid",
            ),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values),
                name="annotation_confidence_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["visibility", "team"]),
        ]

    def __str__(self):
        words = self.body if len(self.body) <= 60 else f"{self.body[:57]}…"
        return f"{self.author}: {words}"

    def get_absolute_url(self):
        return f"{self.target.get_absolute_url()}#annotation-{self.pk}"

    def clean(self):
        if self.visibility == Visibility.TEAM:
            if self.team_id is None:
                raise ValidationError({"team": "Choose the team to share with."})
            if (
                self.author_id
                and not self.author.groups.filter(pk=self.team_id).exists()
            ):
                raise ValidationError(
                    {"team": "You can only share with your own team."}
                )

    @property
    def target(self):
        return self.event or self.quote or self.source

    @property
    def target_type(self):
        if self.event_id:
            return AnnotationTargetType.EVENT
        if self.source_id:
            return AnnotationTargetType.SOURCE_PASSAGE
        if self.exact:
            return AnnotationTargetType.QUOTE_PASSAGE
        return AnnotationTargetType.QUOTE

    @property
    def target_text(self):
        """The text a passage lives in: the quote's words or the source's text."""
        if self.quote_id:
            return self.quote.text
        if self.source_id:
            return self.source.text
        return ""

    @property
    def body_html(self):
        return render_body(self.body, self.body_format)

    @property
    def grade(self):
        """The Admiralty code, e.g. "B2" ("B–" when half graded), or "" when ungraded."""
        if not (self.source_reliability or self.information_credibility):
            return ""
        return f"{self.source_reliability or '–'}{self.information_credibility or '–'}"
