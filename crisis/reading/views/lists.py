"""The filterable, sortable tables: events, quotes, actors and sources."""

from urllib.parse import urlencode

from django.db.models import Prefetch
from django.utils.decorators import method_decorator
from django.views.decorators.vary import vary_on_headers
from django.views.generic import ListView
from django_filters.views import FilterView
from django_tables2 import LazyPaginator, SingleTableMixin

from crisis.htmx import partial_for, push_filled_fields_url
from crisis.models import (
    TIMELINE_ORDER,
    Event,
    EventActor,
    Quote,
    Source,
)
from crisis.reading.filter_fields import parse_page
from crisis.reading.filters import ActorFilter, EventFilter, QuoteFilter
from crisis.reading.querystring import filled_pairs
from crisis.reading.selectors import actors_with_event_counts
from crisis.reading.tables import ActorTable, EventTable, QuoteTable, SourceTable


class HtmxTableMixin:
    """Full page, or for htmx the results (form requests) or the whole region (links)."""

    template_name = "crisis/table_page.html"

    @method_decorator(vary_on_headers("HX-Request", "HX-Target"))
    def dispatch(self, request, *args, **kwargs):
        self.page_error = parse_page(request.GET.get("page"))[1]
        # django-tables2 reads "page", "per_page" and "sort" from the query itself;
        # values it cannot serve (negative pages, a sort by no column) are dropped
        # here, the page's message kept above.
        sort = request.GET.get("sort")
        unknown_sort = sort is not None and (
            sort.removeprefix("-") not in self.table_class.base_columns
        )
        if self.page_error or unknown_sort or "per_page" in request.GET:
            request.GET = request.GET.copy()
            request.GET.pop("per_page", None)
            if self.page_error:
                request.GET.pop("page", None)
            if unknown_sort:
                request.GET.pop("sort", None)
        return super().dispatch(request, *args, **kwargs)

    def get_template_names(self):
        partial = partial_for(
            self.request, {"list-results": "#results"}, default="#app"
        )
        return [f"{self.template_name}{partial}"]


class TablePage(HtmxTableMixin, SingleTableMixin, FilterView):
    """A table beside its filter form. Bad parameters render the page with the message
    beside the field and a 400.
    """

    page_title = ""
    lede = ""
    export_links = False
    strict = False  # an invalid filter is left out (and reported), not the whole list

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.page_error or self.filterset.errors:
            response.status_code = 400
        if request.htmx and not request.htmx.history_restore_request:
            push_filled_fields_url(request, response)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        # cleaned_data then holds the valid fields only; an unbound form has none.
        cleaned = filterset.form.cleaned_data if filterset.is_bound else {}
        params = filled_pairs(cleaned)
        context.update(
            page_title=self.page_title,
            lede=self.lede,
            page_error=self.page_error,
            form=filterset.form,
            filter_errors=bool(filterset.errors),
            query=urlencode(params),
            filters_in_use=len(params),  # "Filters (n)" when they fold on a phone
            export_links=self.export_links,
            oob_errors=self.request.htmx.target == "list-results"
            if self.request.htmx
            else False,
        )
        return context


class EventTablePage(TablePage):
    filterset_class = EventFilter
    table_class = EventTable
    paginator_class = LazyPaginator  # no COUNT over every event on each page turn
    page_title = "Events table"
    lede = "The timeline's events as a sortable table, with the same filters."
    export_links = True

    def get_queryset(self):
        return (
            Event.objects.visible_to(self.request.user)
            .prefetch_related(
                Prefetch(
                    "event_actors",
                    queryset=EventActor.objects.select_related("actor").order_by(
                        "role", "actor__name"
                    ),
                )
            )
            .order_by(*TIMELINE_ORDER)
        )


def _sorted_by(request, column):
    """Whether the table is sorted by ``column``, either way."""
    return request.GET.get("sort", "").removeprefix("-") == column


class QuoteTablePage(TablePage):
    filterset_class = QuoteFilter
    table_class = QuoteTable
    paginator_class = LazyPaginator  # no COUNT over every quote on each page turn
    page_title = "Quotes"
    lede = "Who said what, and when. Every quote is printed verbatim in its source."

    def get_queryset(self):
        # Sorted by speaker, the list is read speaker by speaker (``visible_to``).
        by_speaker = _sorted_by(self.request, "speaker")
        return (
            Quote.objects.visible_to(self.request.user, by_status_index=not by_speaker)
            .select_related("speaker", "event")
            .order_by("said_on", "pk")
        )


class ActorTablePage(TablePage):
    filterset_class = ActorFilter
    table_class = ActorTable
    page_title = "Actors"
    lede = "People, states and organisations in the timeline. Search finds them by any spelling the sources use."

    def get_queryset(self):
        statuses = Event.objects.statuses_visible_to(self.request.user)
        return actors_with_event_counts(
            statuses, sorted_by_count=_sorted_by(self.request, "event_count")
        )


class SourceListPage(HtmxTableMixin, SingleTableMixin, ListView):
    table_class = SourceTable

    def get_queryset(self):
        return Source.objects.all()  # citation_count: stored (Source.citation_count)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title="Sources",
            lede="The documents every event and quote is cited from.",
        )
        return context
