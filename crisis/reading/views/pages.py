"""Actor, quote and source pages."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from annotations.selectors import attach_annotations
from crisis.cache import cached_response
from crisis.models import Actor, Citation, Event, Quote, Source
from crisis.reading.passages import attach_passage_urls, citers_visible_to
from crisis.reading.selectors import actor_events_by_role, source_pieces


@cached_response
def actor_detail(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    quotes = attach_annotations(
        Quote.objects.visible_to(request.user)
        .filter(speaker=actor)
        .select_related("speaker", "event", "source"),
        request.user,
    )
    attach_passage_urls(quotes, request.user)
    context = {
        "actor": actor,
        "events_by_role": actor_events_by_role(
            actor, Event.objects.visible_to(request.user)
        ),
        "quotes": quotes,
    }
    return render(request, "crisis/actor_detail.html", context)


@cached_response
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
    attach_passage_urls([quote, *quote.citations.all()], request.user)
    return render(request, "crisis/quote_detail.html", {"quote": quote})


@cached_response
def source_detail(request, slug):
    source = get_object_or_404(Source, slug=slug)
    citations, quotes = citers_visible_to(request.user)
    attach_annotations([source], request.user)
    pieces = source_pieces(
        source.text,
        list(citations.filter(source=source)),
        list(quotes.filter(source=source)),
    )
    cited = [piece for piece in pieces if piece.spans]
    return render(
        request,
        "crisis/source_detail.html",
        {"source": source, "pieces": pieces, "cited": cited},
    )


def citation_passage(request, pk):
    """A citation's passage, highlighted on its source page: where cards link to.

    Cards are shared by every reader and cached, while passage numbers depend on who
    reads (staff see drafts' passages too), so the number is found when followed.
    """
    citations, _ = citers_visible_to(request.user)
    citation = get_object_or_404(citations.select_related("source"), pk=pk)
    attach_passage_urls([citation], request.user)
    return redirect(citation.passage_url)
