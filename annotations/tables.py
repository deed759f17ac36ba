"""The analyst workspace table."""

import django_tables2 as tables
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from annotations.models import Annotation, AnnotationTargetType


class AnnotationTable(tables.Table):
    created_at = tables.DateTimeColumn(verbose_name="Written", format="j M Y, H:i")
    target = tables.Column(verbose_name="On", empty_values=(), orderable=False)
    body = tables.Column(verbose_name="Note", orderable=False)
    tags = tables.Column(verbose_name="Tags", empty_values=(), orderable=False)
    grade = tables.Column(
        verbose_name="Grade",
        empty_values=(),
        order_by=("source_reliability", "information_credibility"),
    )
    confidence = tables.Column(verbose_name="Confidence")
    author = tables.Column(verbose_name="Author", order_by=("author__username",))
    visibility = tables.Column(verbose_name="Shared with", empty_values=())

    class Meta:
        model = Annotation
        fields = [
            "created_at",
            "target",
            "body",
            "tags",
            "grade",
            "confidence",
            "author",
            "visibility",
        ]
        order_by = "-created_at"
        empty_text = "No annotations match these filters."
        attrs = {"class": "data-table"}

    def render_target(self, record):
        target = record.target
        kind = AnnotationTargetType(record.target_type).label
        if record.event_id:
            title = target.title
        elif record.quote_id:
            title = f"{target.speaker.name}: “{truncatechars(target.text, 60)}”"
        else:
            title = target.title
        link = format_html(
            '<span class="muted">{}</span><br><a href="{}">{}</a>',
            kind,
            record.get_absolute_url(),
            title,
        )
        if record.exact:
            return format_html(
                "{}<br><mark>{}</mark>", link, truncatechars(record.exact, 80)
            )
        return link

    def render_body(self, record):
        """The note as the event page draws it (sanitised), cut short."""
        return mark_safe(Truncator(record.body_html).chars(240, html=True))  # noqa: S308 - sanitised HTML, cut at tag boundaries

    def render_tags(self, record):
        return format_html_join(
            " ",
            '<span class="tag">#{}</span>',
            ((tag.name,) for tag in record.tags.all()),
        )

    def render_grade(self, record):
        return record.grade or "—"

    def render_author(self, value):
        return value.get_full_name() or value.username

    def render_visibility(self, record):
        if record.visibility == Annotation.Visibility.TEAM and record.team:
            return record.team.name
        return "Only me"
