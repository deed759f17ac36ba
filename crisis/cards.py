"""Timeline cards, rendered once per data version and then read from the cache.

A card shows its event's own fields and related rows, the same for every reader
(annotations are drawn outside it), so its HTML can be shared: a page of cached cards is
one cache read, and the related rows are fetched only for the cards not cached yet.
Rendering 25 cards through the template engine cost more than all of a page's queries.
A card is found by its event's own version number, which every save of the event raises,
and by the related version, which a change to actors, their links, tags, quotes,
citations or sources bumps (crisis/signals.py), retiring every cached card at once.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import mark_safe

from crisis.cache import related_version
from crisis.models import timeline_card_prefetches

CARD_TEMPLATE = "crisis/includes/_event_card.html"


def attach_cards(events, template_name=CARD_TEMPLATE):
    """Set ``event.card`` to the HTML of each event's card; render only what is missing.

    ``template_name`` is the card's or the headline's (the reading mode): it is part of
    the cache key, so the two never share HTML. ``events`` must carry ``quote_count``
    (``Event.objects.with_quote_count()``).
    """
    version = related_version()
    keys = {
        f"crisis:card:{template_name}:{version}:{event.pk}:{event.version}": event
        for event in events
    }
    cards = cache.get_many(keys) if keys else {}
    missing = {key: event for key, event in keys.items() if key not in cards}
    if missing:
        prefetch_related_objects(list(missing.values()), *timeline_card_prefetches())
        template = get_template(template_name)
        context = {"timeline_url": reverse("crisis:timeline")}
        fresh = {
            key: template.render({**context, "event": event})
            for key, event in missing.items()
        }
        cache.set_many(fresh, timeout=settings.TIMELINE_CACHE_TIMEOUT)
        cards.update(fresh)
    for key, event in keys.items():
        # Rendered by the autoescaping template above; the cache holds nothing else.
        event.card = mark_safe(cards[key])
    return events
