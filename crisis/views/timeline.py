"""The timeline and the event page."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from crisis.annotation_selectors import attach_annotations
from crisis.cache import related_version
from crisis.cards import attach_cards
from crisis.filters import EventFilter, parse_page
from crisis.models import Event, Quote, is_analyst
from crisis.passages import attach_passage_urls
from crisis.selectors import (
    cached_event_density,
    cached_timeline_page,
    event_for_page,
    grouping_for,
    neighbours,
    timeline_count,
    timeline_groups,
)
from crisis.views.push import push_filled_fields_url

# When nothing matches, say what removing each of the first few filters would give.
EMPTY_STATE_SUGGESTIONS = 6


def _partial_for(request, page_number):
    """The fragment an htmx request asks for: a page of events, the results, or all."""
    if not request.htmx or request.htmx.history_restore_request:
        return ""
    if request.htmx.target == "timeline-app":
        return "#app"
    if request.htmx.target == "timeline-results":
        return "#results"
    return "#more" if page_number > 1 else "#results"


def _empty_state_suggestions(filterset, queryset):
    """For an empty result: how many events each filter's removal would bring back."""
    return [
        (chip, timeline_count(EventFilter(QueryDict(chip.remove_query), queryset).qs))
        for chip in filterset.chips()[:EMPTY_STATE_SUGGESTIONS]
    ]


def _density_links(density, params):
    """``(bar, URL)`` for each slot of the strip, the URL narrowing the timeline to the
    bar with the other filters kept; ``(None, None)`` for a stretch without events."""
    if density is None:
        return []
    base = reverse("crisis:timeline")
    kept = [pair for pair in params if pair[0] not in ("from", "to")]

    def link(bar):
        narrowed = [*kept, ("from", bar.start.isoformat()), ("to", bar.end.isoformat())]
        return f"{base}?{urlencode(narrowed)}"

    return [(bar, link(bar) if bar else None) for bar in density.slots]


@vary_on_headers("HX-Request", "HX-Target")
def timeline(request):
    partial = _partial_for(request, parse_page(request.GET.get("page"))[0])
    context, status = timeline_context(request, partial)
    response = render(request, f"crisis/timeline.html{partial}", context, status=status)
    if partial in ("#app", "#results"):
        push_filled_fields_url(request, response)
    return response


def timeline_context(request, partial=""):
    """``(context, status)`` of the timeline for this query: the page and the embed."""
    visible = Event.objects.visible_to(request.user)
    filterset = EventFilter(request.GET, visible, request=request)
    page_number, page_error = parse_page(request.GET.get("page"))
    valid = filterset.is_valid() and page_error is None
    params = filterset.params
    events = filterset.qs
    size = settings.TIMELINE_PAGE_SIZE

    context = {
        "filter": filterset,
        "form": filterset.form,
        "page_error": page_error,
        "query": urlencode(params),
        "oob_errors": partial == "#results",
        # The filter form depends only on the query, the actors and tags it offers and
        # whether the reader annotates (the "annotated" filter): its HTML is cached under
        # those, and survives edits of events.
        "fragment_key": (
            related_version(),
            is_analyst(request.user),
            request.GET.urlencode(),
        ),
        "fragment_timeout": settings.TIMELINE_CACHE_TIMEOUT,
    }
    status = 200 if valid else 400

    if partial != "#more":
        cleaned = filterset.form.cleaned_data
        density = cached_event_density(events, cleaned.get("from"), cleaned.get("to"))
        span_days = (density.end - density.start).days + 1 if density else 1
        count = timeline_count(events)
        context.update(
            density=density,
            density_links=_density_links(density, params),
            grouping=grouping_for(span_days),
            count=count,
            chips=filterset.chips(),
            suggestions=(
                _empty_state_suggestions(filterset, visible)
                if count == 0 and params
                else []
            ),
        )
    else:
        context["grouping"] = request.GET.get("grouping", "")

    page = cached_timeline_page(events.with_quote_count(), page_number, size)
    attach_cards(page.events)
    attach_annotations(page.events, request.user)
    if page_number > 1 and not page.events and partial != "#more":
        status = 404
        context["page_error"] = (
            f"There is no page {page_number} of these results: "
            f"{context['count']:,} events make {max(1, -(-context['count'] // size))} page(s)."
        )
    if context["grouping"] not in ("day", "week", "month"):
        context["grouping"] = "day"
    context.update(
        page=page,
        groups=timeline_groups(page.events, context["grouping"], page.previous),
        next_query=urlencode([*params, ("page", page_number + 1)]),
        # Pages loaded in place keep the first page's grouping instead of recomputing it.
        more_query=urlencode(
            [*params, ("grouping", context["grouping"]), ("page", page_number + 1)]
        ),
        previous_query=urlencode([*params, ("page", page_number - 1)]),
    )
    return context, status


def event_detail(request, slug):
    visible = Event.objects.visible_to(request.user)
    event = event_for_page(visible, slug, quotes=Quote.objects.visible_to(request.user))
    if event is None:
        raise Http404("No such event.")
    attach_annotations([event], request.user)
    attach_annotations(event.quotes.all(), request.user)
    attach_passage_urls([*event.citations.all(), *event.quotes.all()], request.user)
    previous_event, next_event = neighbours(visible.filter(status=event.status), event)
    return render(
        request,
        "crisis/event_detail.html",
        {"event": event, "previous_event": previous_event, "next_event": next_event},
    )
