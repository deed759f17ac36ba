"""Receivers that keep derived data honest: the cached public pages (crisis/cache.py),
the search indexes of events and quotes, the country rows of events (crisis/search.py)
and the month, actor, quote and citation counts (crisis/services.py).

Annotations and team membership do not retire cached pages: only signed-in analysts see
them, and their pages are never cached.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from crisis.cache import data_changed
from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Tag
from crisis.services import (
    events_reindex,
    quotes_reindex,
    recount_actor_events,
    recount_event_quotes,
    recount_source_citations,
    sources_cited_by,
)

FACT_MODELS = (Event, EventActor, Quote, Actor, Tag, Citation, Source)


def connect(models=FACT_MODELS):
    for model in models:
        label = model._meta.label
        post_save.connect(data_changed, sender=model, dispatch_uid=f"changed-{label}")
        post_delete.connect(
            data_changed, sender=model, dispatch_uid=f"changed-del-{label}"
        )
    if Event in models:
        m2m_changed.connect(
            data_changed, sender=Event.tags.through, dispatch_uid="changed-event-tags"
        )


# The search indexes and the country rows of events, rebuilt by events_reindex and
# quotes_reindex. Raw saves (fixtures, the archive) are skipped: their loaders reindex
# once they are done.


def _remember_stored(sender, instance, raw=False, **_kwargs):
    """Keep the stored values a save may change, so post_save knows what moved."""
    if raw or instance.pk is None:
        return
    fields = {
        Actor: ["name", "aliases", "title"],
        Event: ["start_date"],
        EventActor: ["event_id", "actor_id"],
        Citation: ["source_id"],
    }.get(sender, ["event_id"])
    instance._stored_for_index = (
        sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    )


def _reindex_event(sender, instance, raw=False, **_kwargs):
    """A saved or deleted event; its month counts are recounted for the month it is in
    now and the one it was stored in before (or deleted from)."""
    if not raw:
        stored = getattr(instance, "_stored_for_index", None) or {}
        months = [instance.start_date, stored.get("start_date")]
        events_reindex(ids=[instance.pk], months=months)


def _reindex_child_event(sender, instance, raw=False, origin=None, **_kwargs):
    """A quote or actor link changed: its event, and the one it left, if any."""
    if raw or (isinstance(origin, Event) and origin.pk == instance.event_id):
        return  # deleted with its event, which drops its own index row
    stored = getattr(instance, "_stored_for_index", None) or {}
    ids = {instance.event_id, stored.get("event_id")} - {None}
    if ids:
        events_reindex(ids=ids, recount=False)  # an event's month is its own field
        if sender is Quote:
            recount_event_quotes(ids)


def _recount_linked_actors(sender, instance, raw=False, **_kwargs):
    """An actor link saved or deleted (also with its event): the event counts of its
    actor, and of the actor it was moved from."""
    if not raw:
        stored = getattr(instance, "_stored_for_index", None) or {}
        recount_actor_events({instance.actor_id, stored.get("actor_id")})


def _reindex_quote(sender, instance, raw=False, **_kwargs):
    """A saved or deleted quote; its status decides whether its citations are public.
    (A deleted quote's citations went first, each recounting its source.)"""
    if not raw:
        quotes_reindex(ids=[instance.pk])
        recount_source_citations(sources_cited_by(quotes=[instance.pk]))


def _recount_cited_source(sender, instance, raw=False, **_kwargs):
    """A citation saved or deleted (also with its event or quote): the citation counts
    of its source, and of the source it was moved from."""
    if not raw:
        stored = getattr(instance, "_stored_for_index", None) or {}
        recount_source_citations({instance.source_id, stored.get("source_id")})


def _reindex_actor_events(sender, instance, raw=False, created=False, **_kwargs):
    """A renamed actor: the events they take part in, and their quotes."""
    stored = getattr(instance, "_stored_for_index", None)
    if raw or created or stored is None:
        return
    if stored == {name: getattr(instance, name) for name in stored}:
        return
    events_reindex(
        ids=EventActor.objects.filter(actor=instance).values_list(
            "event_id", flat=True
        ),
        recount=False,
    )
    quotes_reindex(ids=instance.quotes.values_list("pk", flat=True))


def connect_reindex():
    post_save.connect(_reindex_event, sender=Event, dispatch_uid="reindex-event")
    post_delete.connect(_reindex_event, sender=Event, dispatch_uid="reindex-del-event")
    for model in (Event, Quote, EventActor, Actor, Citation):
        pre_save.connect(
            _remember_stored, sender=model, dispatch_uid=f"reindex-pre-{model}"
        )
    for model in (Quote, EventActor):
        post_save.connect(
            _reindex_child_event, sender=model, dispatch_uid=f"reindex-{model}"
        )
        post_delete.connect(
            _reindex_child_event, sender=model, dispatch_uid=f"reindex-del-{model}"
        )
    post_save.connect(
        _recount_linked_actors, sender=EventActor, dispatch_uid="recount-actor-link"
    )
    post_delete.connect(
        _recount_linked_actors, sender=EventActor, dispatch_uid="recount-del-actor-link"
    )
    post_save.connect(
        _recount_cited_source, sender=Citation, dispatch_uid="recount-cited-source"
    )
    post_delete.connect(
        _recount_cited_source, sender=Citation, dispatch_uid="recount-del-cited-source"
    )
    post_save.connect(_reindex_quote, sender=Quote, dispatch_uid="reindex-quote")
    post_delete.connect(_reindex_quote, sender=Quote, dispatch_uid="reindex-del-quote")
    post_save.connect(_reindex_actor_events, sender=Actor, dispatch_uid="reindex-actor")
