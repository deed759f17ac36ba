"""CSV/JSON import and export of actors and events (django-import-export).

Rows are matched by slug and validated with the models' own rules (``full_clean``). The
admin previews every import as a dry run, row by row, and writes nothing unless every
row is valid. Imported events arrive as drafts: publishing needs actors and citations,
which are added in the admin and checked by the publish action.
"""

from import_export import fields, resources, widgets

from crisis.models import Actor, Event, Status, Tag


class CountriesWidget(widgets.Widget):
    """ISO 3166 codes separated by commas, e.g. ``UA,RU``."""

    def clean(self, value, row=None, **kwargs):
        return [code.strip().upper() for code in str(value or "").split(",") if code]

    def render(self, value, obj=None, **kwargs):
        return ",".join(country.code for country in value or [])


class ActorResource(resources.ModelResource):
    class Meta:
        model = Actor
        import_id_fields = ["slug"]
        fields = ["slug", "name", "kind", "title", "country", "aliases", "description"]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True


class EventResource(resources.ModelResource):
    countries = fields.Field(
        attribute="countries", column_name="countries", widget=CountriesWidget()
    )
    tags = fields.Field(
        attribute="tags",
        column_name="tags",
        widget=widgets.ManyToManyWidget(Tag, field="slug", separator=";"),
    )
    status = fields.Field(attribute="status", column_name="status", readonly=True)
    actors = fields.Field(column_name="actors", readonly=True)

    class Meta:
        model = Event
        import_id_fields = ["slug"]
        fields = [
            "slug",
            "title",
            "summary",
            "start_date",
            "end_date",
            "date_precision",
            "category",
            "countries",
            "place",
            "importance",
            "tags",
            "status",
            "actors",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_actors(self, event):
        return "; ".join(
            f"{link.actor.name} ({link.get_role_display().lower()})"
            for link in event.event_actors.all()
        )

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is None:
            instance.status = Status.DRAFT
