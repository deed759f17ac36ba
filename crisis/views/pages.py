"""Actor, quote and source pages."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from crisis.annotation_selectors import attach_annotations
from crisis.models import Actor, Citation, Event, Quote, Source, Status
from crisis.selectors import actor_events_by_role, source_pieces


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
            .select_related("speaker", "event", "source"),
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
    user = request.user
    citations = source.citations.select_related("event", "quote__speaker")
    quotes = source.quotes.select_related("speaker")
    if not (user.is_active and user.is_staff):
        # The public sees the passages of published events and quotes only.
        published_quotes = Quote.objects.published().values("pk")
        citations = citations.filter(
            Q(event__status=Status.PUBLISHED) | Q(quote__in=published_quotes)
        )
        quotes = quotes.filter(pk__in=published_quotes)
    attach_annotations([source], user)
    pieces = source_pieces(source.text, list(citations), list(quotes))
    cited = [piece for piece in pieces if piece.spans]
    return render(
        request,
        "crisis/source_detail.html",
        {"source": source, "pieces": pieces, "cited": cited},
    )
