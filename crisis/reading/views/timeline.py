"""The timeline and the event page."""

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import Http404, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.vary import vary_on_headers

from annotations.selectors import attach_annotations
from crisis.cache import cached_response
from crisis.htmx import partial_for, push_filled_fields_url
from crisis.models import Category, Event, Quote
from crisis.reading.axis import (
    MARKS_MAX,
    axis_stretch,
    bin_unit,
    build_axis,
    counted_per,
)
from crisis.reading.filter_fields import MAX_SEARCH_LENGTH, parse_page
from crisis.reading.filters import EventFilter
from crisis.reading.grouping import (
    count_groups,
    group_bounds,
    grouping_for,
    timeline_groups,
)
from crisis.reading.month_counts import timeline_months
from crisis.reading.passages import attach_passage_urls
from crisis.reading.selectors import (
    actor_suggestions_for,
    axis_rows,
    country_suggestions_for,
    event_for_page,
    group_counts,
    neighbours,
    timeline_count,
    timeline_page,
)

# When nothing matches, say what removing each of the first few filters would give.
EMPTY_STATE_SUGGESTIONS = 6
# Reading modes (``?view=``): the first is the default and stays out of URLs.
VIEWS = ("cards", "headlines")
ROW_TEMPLATES = {
    "cards": "crisis/includes/_event_card.html",
    "headlines": "crisis/includes/_event_headline.html",
}


def _empty_state_suggestions(filterset, queryset):
    """For an empty result: how many events each filter's removal would bring back."""
    return [
        (
            chip,
            timeline_count(
                EventFilter(QueryDict(chip.remove_query), queryset, ranked=False).qs
            ),
        )
        for chip in filterset.chips()[:EMPTY_STATE_SUGGESTIONS]
    ]


def _reading_mode(request):
    """``(view, error)``: the reading mode asked for, or cards and a message."""
    view = request.GET.get("view") or VIEWS[0]
    if view in VIEWS:
        return view, None
    return VIEWS[0], "Unknown view: choose view=cards or view=headlines."


def _keep_view(query, view_pairs):
    """A chip's query string with the reading mode kept."""
    return urlencode([*parse_qsl(query), *view_pairs])


def _axis(events, filterset, counted_rows, extent, params):
    """The time axis: each event drawn when there are few, else counts per slot
    (``counted_rows(unit)``, from the month counts, unless its lanes are actors)."""
    cleaned = filterset.form.cleaned_data
    actors = cleaned.get("actor") or []
    start, end = axis_stretch(cleaned.get("from"), cleaned.get("to"), extent)
    if actors:
        picked = {slug: (name, pk) for slug, name, pk in filterset.actor_rows}
        lanes = [(slug, picked[slug][0]) for slug in actors]
        actors = {slug: picked[slug][1] for slug in actors}
    else:
        lanes = list(Category.choices)
    binned = None
    if extent.count > MARKS_MAX:
        binned = bin_unit((end - start).days + 1) if start and end else "year"
    counted = binned and counted_per(binned)
    if not actors and counted in ("month", "year"):
        rows = counted_rows(counted)
    else:
        rows = axis_rows(
            events,
            actors=actors,
            dates_first=bool(actors) and filterset.read_first == "dates",
            counted_per=counted,
            limit=MARKS_MAX * len(lanes),
        )
    if not actors:  # a lane per category that has events in the filtered set
        present = {row[0] for row in rows}
        lanes = [lane for lane in lanes if lane[0] in present]
    return build_axis(
        rows, lanes=lanes, start=start, end=end, binned=binned, params=params
    )


def _whole_timeline(request, filterset):
    """The statuses the reader sees when nothing filters the timeline, else None.

    Then the count and the axis come from the stored month counts (``EventMonth``)
    instead of every event.
    """
    if filterset.params or not filterset.is_valid():
        return None
    return Event.objects.statuses_visible_to(request.user)


@vary_on_headers("HX-Request", "HX-Target")
@cached_response
def timeline(request):
    # The whole filter region, the results, or (load more) a further page of events.
    more = parse_page(request.GET.get("page"))[0] > 1
    partial = partial_for(
        request,
        {"timeline-app": "#app", "timeline-results": "#results"},
        default="#more" if more else "#results",
    )
    context, status = timeline_context(request, partial)
    response = render(request, f"crisis/timeline.html{partial}", context, status=status)
    if partial in ("#app", "#results"):
        push_filled_fields_url(request, response)
    return response


def timeline_context(request, partial=""):
    """``(context, status)`` of the timeline for this query: the page and the embed."""
    visible = Event.objects.visible_to(request.user)
    # The timeline orders by date: a search's ranking would go unused.
    filterset = EventFilter(request.GET, visible, request=request, ranked=False)
    page_number, page_error = parse_page(request.GET.get("page"))
    view, view_error = _reading_mode(request)
    page_error = page_error or view_error
    valid = filterset.is_valid() and page_error is None
    # Links keep the reading mode; exports and the table read only the filters.
    view_pairs = [("view", view)] if view != VIEWS[0] else []
    params = [*filterset.params, *view_pairs]
    events = filterset.qs
    size = settings.TIMELINE_PAGE_SIZE

    context = {
        "filter": filterset,
        "form": filterset.form,
        "page_error": page_error,
        "query": urlencode(filterset.params),
        "view": view,
        "views": [
            (
                mode,
                urlencode(
                    [*filterset.params, *([("view", mode)] if mode != VIEWS[0] else [])]
                ),
            )
            for mode in VIEWS
        ],
        "oob_errors": partial == "#results",
        "row_template": ROW_TEMPLATES[view],
        "timeline_url": reverse("crisis:timeline"),
    }
    status = 200 if valid else 400

    if partial != "#more":
        cleaned = filterset.form.cleaned_data
        months = timeline_months(_whole_timeline(request, filterset), events)
        extent = months.extent
        count = extent.count
        start, end = cleaned.get("from"), cleaned.get("to")
        first, last = start or extent.first, end or extent.last
        span_days = (last - first).days + 1 if extent.first else 1
        chips = [
            replace(chip, remove_query=_keep_view(chip.remove_query, view_pairs))
            for chip in filterset.chips()
        ]
        context.update(
            axis=_axis(events, filterset, months.axis_rows, extent, params)
            if count
            else None,
            grouping=grouping_for(span_days),
            count=count,
            chips=chips,
            suggestions=(
                _empty_state_suggestions(filterset, visible)
                if count == 0 and params
                else []
            ),
        )
    else:
        months = None  # a further page: its headings are counted from the events
        context["grouping"] = request.GET.get("grouping", "")

    page = timeline_page(events.for_timeline(), page_number, size, months)
    attach_annotations(page.events, request.user)
    if page_number > 1 and not page.events and partial != "#more":
        status = 404
        context["page_error"] = (
            f"There is no page {page_number} of these results: "
            f"{context['count']:,} events make {max(1, -(-context['count'] // size))} page(s)."
        )
    if context["grouping"] not in ("day", "week", "month"):
        context["grouping"] = "day"
    groups = timeline_groups(page.events, context["grouping"], page.previous)
    if groups:
        bounds = group_bounds(groups)
        # Month headings are counted with the page's month counts, at no cost.
        by_month = context["grouping"] == "month" and months is not None
        counts = (
            months.group_counts(*bounds) if by_month else group_counts(events, *bounds)
        )
        count_groups(groups, context["grouping"], counts)
    context.update(
        page=page,
        groups=groups,
        next_query=urlencode([*params, ("page", page_number + 1)]),
        # Pages loaded in place keep the first page's grouping instead of recomputing it.
        more_query=urlencode(
            [*params, ("grouping", context["grouping"]), ("page", page_number + 1)]
        ),
        previous_query=urlencode([*params, ("page", page_number - 1)]),
    )
    return context, status


def _suggestions(request, name, find, plural, missing):
    """What the picker for ``name`` suggests for the typed text, as boxes to tick."""
    term = request.GET.get(name, "").strip()
    options = find(term) if 2 <= len(term) <= MAX_SEARCH_LENGTH else []
    return render(
        request,
        "crisis/includes/_picker_suggestions.html",
        {
            "name": name,
            "options": options,
            "plural": plural,
            "missing": missing.format(term) if len(term) > 1 else "",
        },
    )


def actor_suggestions(request):
    """Actors whose name or alias holds what was typed in the picker."""
    return _suggestions(
        request,
        "actor",
        lambda term: [
            (actor.slug, actor.name, actor.alias_hit and f"“{actor.alias_hit}”")
            for actor in actor_suggestions_for(term)
        ],
        plural="actors",
        missing="No actor’s name or alias holds “{}”.",
    )


def speaker_suggestions(request):
    """Speakers (actors quoted at least once) whose name or alias holds what was typed
    in the quote list's picker."""
    return _suggestions(
        request,
        "speaker",
        lambda term: [
            (actor.slug, actor.name, actor.alias_hit and f"“{actor.alias_hit}”")
            for actor in actor_suggestions_for(term, speakers=True)
        ],
        plural="speakers",
        missing="No speaker’s name or alias holds “{}”.",
    )


def country_suggestions(request):
    """Countries whose name holds what was typed in the picker, or whose code it is."""
    return _suggestions(
        request,
        "country",
        lambda term: [
            (code, name, code) for code, name in country_suggestions_for(term)
        ],
        plural="countries",
        missing="No country’s name holds “{}”, nor is it a country code.",
    )


@cached_response
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
