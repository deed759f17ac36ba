"""Actor, quote and source pages."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from crisis.annotation_selectors import attach_annotations
from crisis.models import Actor, Citation, Event, Quote, Source
from crisis.selectors import actor_events_by_role


def actor_detail(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    context = {
        "actor": actor,
        "events_by_role": actor_events_by_role(
            actor, Event.objects.visible_to(request.user)
        ),
        "quotes": attach_annotations(
            Quote.objects.visible_to(request.user)
            .filter(speaker=actor)
            .select_related("event", "source"),
            request.user,
        ),
    }
    return render(request, "crisis/actor_detail.html", context)


def quote_detail(request, slug):
    quote = get_object_or_404(
        Quote.objects.visible_to(request.user)
        .select_related("speaker", "event", "source")
        .prefetch_related(
            Prefetch("citations", Citation.objects.select_related("source"))
        ),
        slug=slug,
    )
    attach_annotations([quote], request.user)
    return render(request, "crisis/quote_detail.html", {"quote": quote})


def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    attach_annotations([source], request.user)
    return render(request, "crisis/source_detail.html", {"source": source})
