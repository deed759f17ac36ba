"""The inlines of the editors' admin: actor links, citations and quotes, each row
versioned and merged like its parent (``ConcurrentEditForm``)."""

from django.contrib import admin

from crisis.admin.forms import (
    ConcurrentEditForm,
    EventActorFormSet,
    EventCitationFormSet,
    VersionedInlineFormSet,
)
from crisis.models import Citation, EventActor, Quote


class EventActorInline(admin.StackedInline):
    model = EventActor
    form = ConcurrentEditForm
    formset = EventActorFormSet
    fields = ["actor", "role", "loaded_version"]
    extra = 1
    autocomplete_fields = ["actor"]


class CitationInline(admin.StackedInline):
    model = Citation
    form = ConcurrentEditForm
    formset = VersionedInlineFormSet
    fields = ["source", "excerpt", "loaded_version"]
    extra = 1
    autocomplete_fields = ["source"]


class EventCitationInline(CitationInline):
    fk_name = "event"
    formset = EventCitationFormSet


class QuoteCitationInline(CitationInline):
    fk_name = "quote"


class SourceCitationInline(admin.StackedInline):
    """Passages of this source, each supporting an event or a quote."""

    model = Citation
    form = ConcurrentEditForm
    formset = VersionedInlineFormSet
    fk_name = "source"
    fields = ["excerpt", "event", "quote", "loaded_version"]
    extra = 1
    autocomplete_fields = ["event", "quote"]
    verbose_name = "passage cited"
    verbose_name_plural = "cite a new passage (copied from the text above)"

    def get_queryset(self, request):
        # The passages already cited are listed, read-only, in "Passages cited" above
        # (a source may have dozens): each is edited on its own page.
        return super().get_queryset(request).none()


class EventQuoteInline(admin.StackedInline):
    model = Quote
    form = ConcurrentEditForm
    formset = VersionedInlineFormSet
    fk_name = "event"
    fields = [
        "slug",
        "text",
        "speaker",
        "said_on",
        "date_precision",
        "source",
        "status",
        "loaded_version",
    ]
    extra = 0
    autocomplete_fields = ["speaker", "source"]
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("crisis.publish_quote"):
            readonly.append("status")
        return readonly
