"""The admin's import and export pages: formats that import back, CSV chosen first.

``FileExchangeAdmin`` is django-import-export's mixin with this project's choices: the
formats of ``resources.FORMATS`` (no HTML, which cannot be imported), CSV preselected
instead of "---", every column in an export, and event URLs as absolute as the public
export's.
"""

from import_export.admin import ImportExportMixin
from import_export.forms import ExportForm, ImportForm

from crisis.reading.exports import event_url_builder
from crisis.resources import FORMATS, EventResource


class FirstFormatChosen:
    """The format menu without the empty "---" choice: the first format is chosen."""

    def _init_formats(self, formats):
        super()._init_formats(formats)
        field = self.fields["format"]
        field.choices = [(value, label) for value, label in field.choices if value]
        field.initial = field.choices[0][0]


class ExchangeImportForm(FirstFormatChosen, ImportForm):
    pass


class ExchangeExportForm(FirstFormatChosen, ExportForm):
    """Every column, always: a file that leaves out actors or citations would import
    back as events without them. (The column picker also needs inline script.)"""


class FileExchangeAdmin(ImportExportMixin):
    formats = FORMATS
    import_form_class = ExchangeImportForm
    export_form_class = ExchangeExportForm

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        if EventResource in self.get_import_resource_classes(request):
            resource_kwargs["importing"] = True
        return resource_kwargs

    def get_valid_export_item_pks(self, request):
        """Of the items posted by the "export selected" action, those this admin would
        export. The library's default lists every id in the table (one choice per row,
        each posted id compared with all of them) and is deprecated."""
        posted = [pk for pk in request.POST.getlist("export_items") if pk.isdigit()]
        return (
            self.get_export_queryset(request)
            .filter(pk__in=posted)
            .values_list("pk", flat=True)
        )

    def get_export_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_export_resource_kwargs(request, **kwargs)
        if EventResource in self.get_export_resource_classes(request):
            resource_kwargs["event_url"] = event_url_builder(request)
        return resource_kwargs
