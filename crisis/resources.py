"""CSV/JSON import and export of actors and events (django-import-export).

Events are read and written in the columns of ``event_columns``, the same as the public
``/export/events.csv``: a file exported from either imports back here. Rows are matched
by slug and validated with the models' own rules (``full_clean``); actors, tags and the
sources of citations are looked up by slug, and a row naming one that does not exist is
refused with what to do. The admin previews every import as a dry run, row by row, and
writes nothing unless every row is valid. New events arrive as drafts.

CSV and TSV leave with every cell neutralised against formula injection and a byte order
mark, and come back with the neutralising prefix removed (``csv_safety``).
"""

from diff_match_patch import diff_match_patch
from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import mark_safe
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from crisis import event_columns
from crisis.csv_safety import neutralised, restored
from crisis.models import Actor, Citation, Event, EventActor, Source, Status, Tag
from crisis.reading.exports import ExportRow, export_prefetches
from crisis.services import event_publication_problems


class SpreadsheetFormatMixin:
    """A text table for spreadsheets: neutralised cells and a BOM out, restored in."""

    def export_data(self, dataset, **kwargs):
        return "\ufeff" + super().export_data(neutralised(dataset), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return restored(super().create_dataset(in_stream, **kwargs))


class SpreadsheetCSV(SpreadsheetFormatMixin, base_formats.CSV):
    pass


class SpreadsheetTSV(SpreadsheetFormatMixin, base_formats.TSV):
    pass


# Only formats that import back what they export (no HTML); CSV first, the default.
FORMATS = [SpreadsheetCSV, SpreadsheetTSV, base_formats.JSON, base_formats.YAML]


class CountriesWidget(widgets.Widget):
    """ISO 3166 codes, e.g. ``UA; RU``."""

    def clean(self, value, row=None, **kwargs):
        return [code.upper() for code in event_columns.split_list(value)]

    def render(self, value, obj=None, **kwargs):
        return event_columns.join_list(country.code for country in value or [])


class TagsWidget(widgets.ManyToManyWidget):
    """Tag slugs, e.g. ``talks; crimea`` (unknown slugs are refused before this)."""

    def clean(self, value, row=None, **kwargs):
        slugs = event_columns.split_list(value)
        return self.model.objects.filter(slug__in=slugs) if slugs else []

    def render(self, value, obj=None, **kwargs):
        return event_columns.join_list(tag.slug for tag in value.all()) if value else ""


class ActorResource(resources.ModelResource):
    class Meta:
        model = Actor
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "title", "country", "aliases", "description"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class RecordDiff(resources.Diff):
    """The import preview: each row as the event exports, actors and citations too."""

    def __init__(self, resource, instance, new):
        self.left = self._values(resource, instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = self._values(resource, instance)

    def as_html(self):
        """Each cell's change as ``<ins>``/``<del>`` (the library's own HTML carries
        inline styles, which the Content Security Policy refuses)."""
        return [
            _diff_html("" if self.new else old, new)
            for old, new in zip(self.left, self.right, strict=True)
        ]

    @staticmethod
    def _values(resource, instance):
        columns = [field.column_name for field in resource.get_import_fields()]
        if instance is None or instance.pk is None:
            return [""] * len(columns)
        record = resource.record(instance)
        return [record[column] for column in columns]


def _diff_html(old, new):
    matcher = diff_match_patch()
    changes = matcher.diff_main(force_str(old), force_str(new))
    matcher.diff_cleanupSemantic(changes)
    html = []
    for operation, text in changes:
        text = escape(text).replace("\n", "<br>")
        tag = _DIFF_TAGS[operation]
        html.append(f"<{tag}>{text}</{tag}>" if tag else text)
    return mark_safe("".join(html))


_DIFF_TAGS = {
    diff_match_patch.DIFF_INSERT: "ins",
    diff_match_patch.DIFF_DELETE: "del",
    diff_match_patch.DIFF_EQUAL: "",
}


def _missing(row_number, kind, slug, where):
    return (
        f"Row {row_number}: {kind} '{slug}' does not exist — add it under {where} "
        "first or fix the slug"
    )


class EventResource(resources.ModelResource):
    """Events in ``event_columns.COLUMNS``; ``event_url(slug)`` fills the url column."""

    display_date = fields.Field(column_name="display_date", readonly=True)
    countries = fields.Field(
        attribute="countries", column_name="countries", widget=CountriesWidget()
    )
    actors = fields.Field(column_name="actors")
    tags = fields.Field(
        attribute="tags", column_name="tags", widget=TagsWidget(Tag, field="slug")
    )
    quote_count = fields.Field(column_name="quote_count", readonly=True)
    url = fields.Field(column_name="url", readonly=True)
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    citations = fields.Field(column_name="citations")
    citation_sources = fields.Field(column_name="citation_sources", readonly=True)

    class Meta:
        model = Event
        import_id_fields = ["slug"]
        fields = list(event_columns.COLUMNS)
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, event_url=None, importing=False, **kwargs):
        super().__init__(**kwargs)
        self.importing = importing
        self.event_url = event_url or (lambda slug: Event(slug=slug).get_absolute_url())
        # The actor links and citations of the row being imported (None: no column).
        self.pending = (None, None)

    # Export: each row is the public export's record of the event.

    def filter_export(self, queryset, **kwargs):
        return queryset.prefetch_related(*export_prefetches())

    def record(self, event):
        return ExportRow.from_event(event, self.event_url(event.slug)).as_record()

    def export_resource(self, instance, selected_fields=None, **kwargs):
        record = self.record(instance)
        return [
            record[field.column_name]
            for field in self.get_export_fields(selected_fields)
        ]

    def get_diff_class(self):
        return RecordDiff

    def get_user_visible_fields(self):
        """The columns the import page says it reads: not the derived ones."""
        fields = super().get_user_visible_fields()
        if not self.importing:
            return fields
        return [
            f for f in fields if f.column_name not in event_columns.READ_ONLY_COLUMNS
        ]

    # Import: look every slug up before the row is written, then write its links.

    def before_import_row(self, row, row_number=None, **kwargs):
        self.pending = (None, None)
        errors = []
        actors = citations = None
        try:
            if "actors" in row:
                actors = self._actor_links(row["actors"], row_number, errors)
            if "citations" in row:
                citations = self._citations(row["citations"], row_number, errors)
        except ValueError as error:
            errors.append(f"Row {row_number}: {error}")
        if "tags" in row:
            slugs = event_columns.split_list(row["tags"])
            known = set(
                Tag.objects.filter(slug__in=slugs).values_list("slug", flat=True)
            )
            errors += [
                _missing(row_number, "tag", slug, "Tags")
                for slug in slugs
                if slug not in known
            ]
        if errors:
            raise ValidationError(errors)
        self.pending = (actors, citations)

    def _actor_links(self, cell, row_number, errors):
        links = event_columns.parse_actors(cell)
        found = Actor.objects.in_bulk([slug for slug, _ in links], field_name="slug")
        errors += [
            _missing(row_number, "actor", slug, "Actors")
            for slug, _ in links
            if slug not in found
        ]
        return [(found[slug], role) for slug, role in links if slug in found]

    def _citations(self, cell, row_number, errors):
        pairs = event_columns.parse_citations(cell)
        found = Source.objects.in_bulk([slug for slug, _ in pairs], field_name="slug")
        citations = []
        for slug, excerpt in pairs:
            if slug not in found:
                errors.append(_missing(row_number, "source", slug, "Sources"))
                continue
            citation = Citation(source=found[slug], excerpt=excerpt)
            try:
                citation.clean()
            except ValidationError as error:
                errors += [f"Row {row_number}: {message}" for message in error.messages]
            citations.append(citation)
        return citations

    def skip_row(self, instance, original, row, import_validation_errors=None):
        actors, citations = self.pending
        if original.pk is not None and (
            (actors is not None and _link_keys(actors) != _stored_actor_keys(original))
            or (
                citations is not None
                and _citation_keys(citations) != _stored_citation_keys(original)
            )
        ):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.status = Status.DRAFT

    def after_save_instance(self, instance, row, row_number=None, **kwargs):
        actors, citations = self.pending
        if actors is not None:
            _replace_actor_links(instance, actors)
        if citations is not None:
            _replace_citations(instance, citations)
        if instance.status == Status.PUBLISHED:
            # A published event keeps what publishing required; the whole import
            # rolls back with this row.
            problems = event_publication_problems(instance)
            if problems:
                raise ValidationError(
                    [
                        f"Row {row_number}: {problem} — a published event needs "
                        "both; unpublish it first or fill in the column"
                        for problem in problems
                    ]
                )


def _link_keys(links):
    return sorted((actor.pk, role) for actor, role in links)


def _stored_actor_keys(event):
    return sorted(event.event_actors.values_list("actor_id", "role"))


def _citation_keys(citations):
    return sorted((citation.source.pk, citation.excerpt) for citation in citations)


def _stored_citation_keys(event):
    return sorted(event.citations.values_list("source_id", "excerpt"))


def _replace_actor_links(event, links):
    """Make ``event``'s actor links exactly ``links``, one save or delete per change
    (so history records each)."""
    wanted = {(actor.pk, role): actor for actor, role in links}
    for link in event.event_actors.all():
        if wanted.pop((link.actor_id, link.role), None) is None:
            link.delete()
    for (_, role), actor in wanted.items():
        EventActor.objects.create(event=event, actor=actor, role=role)


def _replace_citations(event, citations):
    wanted = {
        (citation.source.pk, citation.excerpt): citation for citation in citations
    }
    for citation in event.citations.all():
        if wanted.pop((citation.source_id, citation.excerpt), None) is None:
            citation.delete()
    for citation in wanted.values():
        citation.event = event
        citation.save()
