"""Links to the highlighted passage of a source page (``/sources/<slug>/#passage-N``).

A source page numbers its highlighted runs in text order, counting only the citations
and quotes its reader may see (``source_pieces``), so a link to a passage is numbered the
same way, for the same reader: what a draft cites shifts the numbers for staff only.
"""

from collections import defaultdict

from django.db.models import Q

from crisis.models import Citation, Quote, Status, published_quote
from crisis.reading.selectors import source_pieces
from crisis.text import locate


def citers_visible_to(user):
    """The citations and quotes whose passages ``user`` sees highlighted in sources.

    The public sees the passages of published events and quotes only; staff see drafts'.
    """
    citations = Citation.objects.select_related("event", "quote__speaker")
    quotes = Quote.objects.select_related("speaker")
    if not (user.is_active and user.is_staff):
        # Joins, not ``quote IN (every published quote)``: at 1,000,000 events that
        # subquery made PostgreSQL read every quote for a source's dozen citations (7 s).
        citations = citations.filter(
            Q(event__status=Status.PUBLISHED) | published_quote("quote__")
        )
        quotes = quotes.published()
    return citations, quotes


def _cited_words(item):
    return item.excerpt if isinstance(item, Citation) else item.text


def attach_passage_urls(items, user):
    """Set ``passage_url`` on each citation (its excerpt) and quote (its words).

    It is the source page at the highlighted passage holding them, numbered as that page
    numbers passages for ``user``, or the top of the page if the words are not found
    there. Two queries whatever the number of items and sources; ``item.source`` must be
    loaded with its text.
    """
    items = [item for item in items if item.source_id]
    sources = {item.source_id: item.source for item in items}
    if not sources:
        return items
    citations, quotes = citers_visible_to(user)
    citers = defaultdict(lambda: ([], []))
    for citation in citations.filter(source__in=list(sources)):
        citers[citation.source_id][0].append(citation)
    for quote in quotes.filter(source__in=list(sources)):
        citers[quote.source_id][1].append(quote)
    passages = {
        source_id: [
            piece
            for piece in source_pieces(source.text, *citers[source_id])
            if piece.spans
        ]
        for source_id, source in sources.items()
    }
    for item in items:
        source = sources[item.source_id]
        item.passage_url = source.get_absolute_url()
        where = locate(_cited_words(item), source.text)
        if where is None:
            continue
        for piece in passages[item.source_id]:
            if piece.start <= where[0] < piece.end:
                item.passage_url += f"#passage-{piece.number}"
                break
    return items
