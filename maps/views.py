"""The map of involved countries: a page of its own, its fragment, and its embed."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from crisis.cache import cached_response
from crisis.htmx import partial_for
from crisis.models import Event
from crisis.reading.filters import EventFilter
from maps.geometry import HEIGHT, WIDTH
from maps.selectors import country_counts, legend, map_countries
from sharing.framing import embeddable


def _map_context(request):
    visible = Event.objects.visible_to(request.user)
    filterset = EventFilter(request.GET, visible, request=request, ranked=False)
    valid = filterset.is_valid()
    counts = country_counts(filterset.qs)
    shapes, most = map_countries(counts, filterset.params)
    listed = sorted(
        (shape for shape in shapes if shape.count),
        key=lambda shape: (-shape.count, shape.name),
    )
    context = {
        "filter": filterset,
        "form": filterset.form,
        "chips": filterset.chips(),
        "query": urlencode(filterset.params),
        "shapes": shapes,
        "listed": listed,
        "legend": legend(most),
        "width": WIDTH,
        "height": HEIGHT,
    }
    return context, 200 if valid else 400


@vary_on_headers("HX-Request")
@cached_response
def country_map(request):
    context, status = _map_context(request)
    partial = partial_for(request, {}, default="#figure")
    return render(request, f"maps/country_map.html{partial}", context, status=status)


@embeddable
@cached_response
def embed_country_map(request):
    context, status = _map_context(request)
    return render(request, "maps/embed_country_map.html", context, status=status)
