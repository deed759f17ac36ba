"""The editors' admin: every model, the publishing workflow, full history, import/export.

Forms live in ``admin_forms``, inlines in ``admin_inlines``, history and restore pages
in ``admin_history``, the import/export formats in ``resources``, and the writes they
trigger in ``services``.
"""

import re

from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db import models
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django_countries.filters import CountryFilter

from crisis.admin.exchange import FileExchangeAdmin
from crisis.admin.filters import (
    EventCountryFilter,
    SourceFilter,
    SpeakerFilter,
    UsedRelatedFilter,
)
from crisis.admin.forms import (
    ActorAdminForm,
    EventAdminForm,
    QuoteAdminForm,
    SourceAdminForm,
)
from crisis.admin.history_pages import FullHistoryAdmin
from crisis.admin.inlines import (
    EventActorInline,
    EventCitationInline,
    EventQuoteInline,
    QuoteCitationInline,
    SourceCitationInline,
)
from crisis.admin.paging import CappedCountAdmin
from crisis.models import (
    Actor,
    Citation,
    DatePrecision,
    Event,
    EventActor,
    Quote,
    Source,
    Status,
    Tag,
)
from crisis.resources import ActorResource, EventResource
from crisis.search import search_events, search_quotes
from crisis.services import PublishError, records_set_status

# The side bar repeats the index page and took a third of every list's width.
admin.site.enable_nav_sidebar = False


def _is_changelist(request, model):
    match = request.resolver_match
    return (
        bool(match) and match.url_name == f"crisis_{model._meta.model_name}_changelist"
    )


def _int_param(request, name):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


class ImportNothingUnlessAllValid:
    """Confirming an import re-checks every row; one invalid row rolls back them all."""

    def get_import_data_kwargs(self, **kwargs):
        return {
            **super().get_import_data_kwargs(**kwargs),
            "rollback_on_validation_errors": True,
        }


class PublishableAdmin(FullHistoryAdmin):
    """Draft/published records: publish actions and a status only publishers may set."""

    publish_permission = None  # "crisis.publish_event"

    def has_publish_permission(self, request):
        return request.user.has_perm(self.publish_permission)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly.append("status")
        return readonly

    def save_model(self, request, obj, form, change):
        if not self.has_publish_permission(request):
            # Also covers a revert, whose copy carries the old status.
            stored = type(obj).objects.filter(pk=obj.pk).values_list("status").first()
            obj.status = stored[0] if change and stored else Status.DRAFT
        super().save_model(request, obj, form, change)

    def _apply_status(self, request, queryset, status):
        verbose = self.model._meta.verbose_name_plural
        try:
            changed = records_set_status(
                records=queryset, status=status, user=request.user
            )
        except PublishError as error:
            self.message_user(
                request,
                f"Nothing was published: {'; '.join(error.problems)}. Add the missing "
                "actors and citations, then publish again.",
                messages.ERROR,
            )
            return
        word = "Published" if status == Status.PUBLISHED else "Unpublished"
        self.message_user(request, f"{word} {changed} {verbose}.", messages.SUCCESS)

    @admin.action(
        description="Publish selected (checks each first)", permissions=["publish"]
    )
    def publish_selected(self, request, queryset):
        self._apply_status(request, queryset, Status.PUBLISHED)

    @admin.action(
        description="Unpublish selected (back to draft)", permissions=["publish"]
    )
    def unpublish_selected(self, request, queryset):
        self._apply_status(request, queryset, Status.DRAFT)

    actions = ["publish_selected", "unpublish_selected"]


@admin.register(Source)
class SourceAdmin(FullHistoryAdmin):
    form = SourceAdminForm
    change_list_template = "admin/crisis/source/change_list.html"  # "Import an article"
    # Addresses typed without a scheme are https (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "publisher", "published_on", "language", "citation_count"]
    list_filter = ["language", "published_on"]
    search_fields = ["title", "publisher", "url", "text"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_on"
    readonly_fields = ["next_steps", "passages_cited"]
    inlines = [SourceCitationInline]

    class Media:
        js = ["crisis/js/excerpt_picker.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                "The article",
                {
                    "fields": [
                        "title",
                        "slug",
                        "publisher",
                        "author",
                        "url",
                        "published_on",
                        "language",
                    ]
                },
            ),
            (
                "Its text",
                {
                    "fields": ["text"],
                    "description": "Paste the full text exactly as published. Every "
                    "excerpt and quote citing this source must occur in it word for word.",
                },
            ),
        ]
        if obj is not None:
            fieldsets.append(("What next", {"fields": ["next_steps"]}))
            fieldsets.append(
                (
                    "Passages cited",
                    {"fields": ["passages_cited"], "classes": ["collapse"]},
                )
            )
        return fieldsets

    @admin.display(description="Passages cited from this source")
    def passages_cited(self, source):
        citations = source.citations.select_related("event", "quote__speaker")
        return render_to_string(
            "admin/crisis/includes/passages_cited.html", {"citations": citations}
        )

    def get_inlines(self, request, obj):
        # A new source is saved first; its passages are picked on the next page.
        return self.inlines if obj is not None else []

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _is_changelist(request, Source):
            queryset = queryset.prefetch_related(
                Prefetch("citations", Citation.objects.only("pk", "source_id"))
            )
        return queryset

    @admin.display(description="citations")
    def citation_count(self, source):
        return len(source.citations.all())

    @admin.display(description="Add what this source supports")
    def next_steps(self, source):
        if not source.pk:
            return "—"
        return format_html(
            '<a class="button" href="{}?cite_source={}">Add an event citing it</a> '
            '<a class="button" href="{}?source={}">Add a quote from it</a> '
            "— or cite a passage for an existing event or quote below.",
            reverse("admin:crisis_event_add"),
            source.pk,
            reverse("admin:crisis_quote_add"),
            source.pk,
        )

    def add_view(self, request, form_url="", extra_context=None):
        context = {"title": "Import a new source", **(extra_context or {})}
        return super().add_view(request, form_url, context)

    def response_add(self, request, obj, post_url_continue=None):
        if "_popup" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            f"Source “{obj.title}” saved. Now add the events and quotes it supports.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse("admin:crisis_source_change", args=[obj.pk])
        )


def actor_match_rank(term):
    """0 for the actor named ``term``, 1 for one with it as an alias, 2 for a name that
    starts with it, 3 for the rest: typing "Russia" picks Russia, not its army."""
    alias_line = rf"(^|\n)\s*{re.escape(term)}\s*(\r?\n|$)"
    return Case(
        When(name__iexact=term, then=Value(0)),
        When(Q(aliases__iregex=alias_line), then=Value(1)),
        When(name__istartswith=term, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


@admin.register(Actor)
class ActorAdmin(ImportNothingUnlessAllValid, FileExchangeAdmin, FullHistoryAdmin):
    form = ActorAdminForm
    resource_classes = [ActorResource]
    list_display = ["name", "kind", "title", "country"]
    list_filter = ["kind", ("country", CountryFilter)]
    search_fields = ["name", "aliases", "title"]
    prepopulated_fields = {"slug": ["name"]}

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        term = search_term.strip()
        if term:
            queryset = queryset.annotate(match_rank=actor_match_rank(term)).order_by(
                "match_rank", "name"
            )
        return queryset, may_have_duplicates


@admin.register(Tag)
class TagAdmin(FullHistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Event)
class EventAdmin(
    CappedCountAdmin, ImportNothingUnlessAllValid, FileExchangeAdmin, PublishableAdmin
):
    form = EventAdminForm
    resource_classes = [EventResource]
    publish_permission = "crisis.publish_event"
    list_display = [
        "title",
        "when",
        "category",
        "importance",
        "status",
        "actor_names",
        "citation_count",
    ]
    list_filter = [
        "status",
        "category",
        "date_precision",
        "importance",
        ("countries", EventCountryFilter),
        ("tags", UsedRelatedFilter),
        "start_date",
    ]
    # Searched by get_search_results: the site's full-text search over the title,
    # summary, actors and published quotes (the last word may be its start), or an
    # exact slug. No search_help_text: it leaves the search box described but not
    # labelled (axe-core's label-title-only).
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    # A filterable pair of lists rather than a 250-row Ctrl-click list.
    filter_horizontal = ["tags"]
    date_hierarchy = "start_date"
    list_per_page = 50
    # A filtered list says how many it found, not also how many there are in all: a
    # second count of the whole table on every page.
    show_full_result_count = False
    inlines = [EventActorInline, EventCitationInline, EventQuoteInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _is_changelist(request, Event):
            queryset = queryset.prefetch_related(
                Prefetch(
                    "event_actors",
                    EventActor.objects.select_related("actor").order_by("role"),
                ),
                Prefetch("citations", Citation.objects.only("pk", "event_id")),
            )
        return queryset

    def get_search_results(self, request, queryset, search_term):
        """The timeline's full-text search (crisis.search), not LIKE over each field."""
        term = search_term.strip()
        if not term:
            return queryset, False
        found = search_events(queryset, term, ranked=False)
        return found | queryset.filter(slug=term), False

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "countries":
            kwargs["widget"] = FilteredSelectMultiple("countries", is_stacked=False)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_export_queryset(self, request):
        return (
            super()
            .get_export_queryset(request)
            .prefetch_related("tags", "event_actors__actor")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if getattr(request, "crisis_reverting", False):
            form = type(form.__name__, (form,), {"check_stored_links": True})
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        source_id = _int_param(request, "cite_source")
        if (
            request.method == "GET"
            and source_id
            and isinstance(inline, EventCitationInline)
        ):
            kwargs["initial"] = [{"source": source_id}]
        return kwargs

    @admin.display(description="date", ordering="start_date")
    def when(self, event):
        """The start date in ISO, as precise as it is known: 2022-01, c. 2022-01-25."""
        start = event.start_date
        return {
            DatePrecision.YEAR: f"{start:%Y}",
            DatePrecision.MONTH: f"{start:%Y-%m}",
            DatePrecision.APPROXIMATE: f"c. {start:%Y-%m-%d}",
            DatePrecision.REPORTED: f"by {start:%Y-%m-%d}",
        }.get(event.date_precision, f"{start:%Y-%m-%d}")

    @admin.display(description="actors")
    def actor_names(self, event):
        names = [link.actor.name for link in event.event_actors.all()]
        if len(names) > 3:
            return ", ".join(names[:3]) + f" +{len(names) - 3}"
        return ", ".join(names) or "—"

    @admin.display(description="citations")
    def citation_count(self, event):
        return len(event.citations.all())


@admin.register(Quote)
class QuoteAdmin(CappedCountAdmin, PublishableAdmin):
    form = QuoteAdminForm
    publish_permission = "crisis.publish_quote"
    list_display = ["__str__", "speaker_quotes", "said_on", "event", "source", "status"]
    list_filter = [
        "status",
        "date_precision",
        "speaker__kind",
        SpeakerFilter,
        "said_on",
    ]
    list_select_related = ["speaker", "event", "source"]
    # Searched by get_search_results: the quotes' full-text search over the words and
    # the speaker's names (the last word may be its start), or an exact slug.
    search_fields = ["text"]
    prepopulated_fields = {"slug": ["text"]}
    autocomplete_fields = ["speaker", "event", "source"]
    date_hierarchy = "said_on"
    list_per_page = 50
    # A filtered list says how many it found, not also how many there are in all: a
    # second count of the whole table on every page.
    show_full_result_count = False
    inlines = [QuoteCitationInline]

    def get_search_results(self, request, queryset, search_term):
        """The quotes' full-text search (crisis.search), not LIKE over each field."""
        term = search_term.strip()
        if not term:
            return queryset, False
        return search_quotes(queryset, term) | queryset.filter(slug=term), False

    @admin.display(description="speaker", ordering="speaker__name")
    def speaker_quotes(self, quote):
        """The speaker's name, linking to their quotes."""
        return format_html(
            '<a href="?{}={}" title="Only {}’s quotes">{}</a>',
            SpeakerFilter.parameter_name,
            quote.speaker_id,
            quote.speaker.name,
            quote.speaker.name,
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        source_id = _int_param(request, "source")
        if request.method == "GET" and source_id and obj.pk is None:
            kwargs["initial"] = [{"source": source_id}]
        return kwargs


@admin.register(Citation)
class CitationAdmin(CappedCountAdmin, FullHistoryAdmin):
    list_display = ["__str__", "source", "event", "quote"]
    list_select_related = ["source", "event", "quote__speaker"]
    list_filter = [SourceFilter]
    show_full_result_count = False  # as for events and quotes
    search_fields = ["excerpt", "source__title", "event__title", "quote__text"]
    autocomplete_fields = ["source", "event", "quote"]


@admin.register(EventActor)
class EventActorAdmin(FullHistoryAdmin):
    list_display = ["event", "actor", "role"]
    list_select_related = ["event", "actor"]
    list_filter = ["role", "actor__kind"]
    search_fields = ["event__title", "actor__name", "actor__aliases"]
    autocomplete_fields = ["event", "actor"]
