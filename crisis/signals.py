"""Receivers that keep derived data honest: cache versions, search index, countries."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from crisis.cache import (
    bump_actors_version,
    bump_related_version,
    bump_timeline_version,
)
from crisis.models import (
    Actor,
    Annotation,
    Citation,
    Event,
    EventActor,
    Quote,
    Source,
    Tag,
)
from crisis.services import events_reindex


def _bump_after_commit(**_kwargs):
    transaction.on_commit(bump_timeline_version)


def _bump_related_after_commit(**_kwargs):
    transaction.on_commit(bump_related_version)


def _bump_actors_after_commit(**_kwargs):
    transaction.on_commit(bump_actors_version)


def _bump_related_after_raw_event_save(raw=False, **_kwargs):
    # A fixture or an archive writes an event with its stored version number, which may
    # be the number of a card cached before; an editor's save always raises it.
    if raw:
        transaction.on_commit(bump_related_version)


def connect():
    # Citations and sources show on timeline cards; annotations and team membership
    # change what the "annotated" filter counts.
    for model in (Event, EventActor, Quote, Actor, Tag, Citation, Source, Annotation):
        post_save.connect(
            _bump_after_commit, sender=model, dispatch_uid=f"bump-{model}"
        )
        post_delete.connect(
            _bump_after_commit, sender=model, dispatch_uid=f"bump-del-{model}"
        )
    # What cards and the filter form show of an event's related rows.
    for model in (EventActor, Quote, Actor, Tag, Citation, Source):
        post_save.connect(
            _bump_related_after_commit, sender=model, dispatch_uid=f"related-{model}"
        )
        post_delete.connect(
            _bump_related_after_commit,
            sender=model,
            dispatch_uid=f"related-del-{model}",
        )
    post_save.connect(
        _bump_related_after_raw_event_save, sender=Event, dispatch_uid="related-raw"
    )
    post_save.connect(
        _bump_actors_after_commit, sender=Actor, dispatch_uid="bump-actors"
    )
    post_delete.connect(
        _bump_actors_after_commit, sender=Actor, dispatch_uid="bump-del-actors"
    )
    for receiver, uid in (
        (_bump_after_commit, "bump-tags"),
        (_bump_related_after_commit, "related-tags"),
    ):
        m2m_changed.connect(receiver, sender=Event.tags.through, dispatch_uid=uid)
    m2m_changed.connect(
        _bump_after_commit,
        sender=get_user_model().groups.through,
        dispatch_uid="bump-teams",
    )


# The search index and the country rows of events, rebuilt by events_reindex. Raw saves
# (fixtures, the archive) are skipped: their loaders reindex once they are done.


def _remember_stored(sender, instance, raw=False, **_kwargs):
    """Keep the stored values a save may change, so post_save knows what moved."""
    if raw or instance.pk is None:
        return
    fields = ["name", "aliases"] if sender is Actor else ["event_id"]
    instance._stored_for_index = (
        sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    )


def _reindex_event(sender, instance, raw=False, **_kwargs):
    if not raw:
        events_reindex(ids=[instance.pk])


def _reindex_child_event(sender, instance, raw=False, origin=None, **_kwargs):
    """A quote or actor link changed: its event, and the one it left, if any."""
    if raw or (isinstance(origin, Event) and origin.pk == instance.event_id):
        return  # deleted with its event, which drops its own index row
    stored = getattr(instance, "_stored_for_index", None) or {}
    ids = {instance.event_id, stored.get("event_id")} - {None}
    if ids:
        events_reindex(ids=ids)


def _reindex_actor_events(sender, instance, raw=False, created=False, **_kwargs):
    stored = getattr(instance, "_stored_for_index", None)
    if raw or created or stored is None:
        return
    if stored == {"name": instance.name, "aliases": instance.aliases}:
        return
    events_reindex(
        ids=EventActor.objects.filter(actor=instance).values_list("event_id", flat=True)
    )


def connect_reindex():
    post_save.connect(_reindex_event, sender=Event, dispatch_uid="reindex-event")
    post_delete.connect(_reindex_event, sender=Event, dispatch_uid="reindex-del-event")
    for model in (Quote, EventActor, Actor):
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
    post_save.connect(_reindex_actor_events, sender=Actor, dispatch_uid="reindex-actor")
