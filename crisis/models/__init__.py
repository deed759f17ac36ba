"""The facts: sources, actors, events, quotes and the citations that tie every fact to
its source. One module per kind of fact; everything is importable from here."""

from crisis.models.actors import Actor, ActorQuerySet, Tag
from crisis.models.base import (
    ActorKind,
    Category,
    DatePrecision,
    EventRole,
    Importance,
    PublishableQuerySet,
    Status,
    date_from_prefix,
    format_date_span,
    format_partial_date,
    most_common_of_latest,
    next_version,
    with_one_of,
)
from crisis.models.events import (
    TIMELINE_ORDER,
    ActorEventCount,
    Event,
    EventActor,
    EventCountry,
    EventManager,
    EventMonth,
    EventQuerySet,
    counted_per_month,
    timeline_card_prefetches,
)
from crisis.models.quotes import Quote, QuoteManager, QuoteQuerySet, published_quote
from crisis.models.sources import Citation, Source

__all__ = [
    "TIMELINE_ORDER",
    "Actor",
    "ActorEventCount",
    "ActorKind",
    "ActorQuerySet",
    "Category",
    "Citation",
    "DatePrecision",
    "Event",
    "EventActor",
    "EventCountry",
    "EventManager",
    "EventMonth",
    "EventQuerySet",
    "EventRole",
    "Importance",
    "PublishableQuerySet",
    "Quote",
    "QuoteManager",
    "QuoteQuerySet",
    "published_quote",
    "Source",
    "Status",
    "Tag",
    "counted_per_month",
    "date_from_prefix",
    "format_date_span",
    "format_partial_date",
    "next_version",
    "timeline_card_prefetches",
    "most_common_of_latest",
    "with_one_of",
]
