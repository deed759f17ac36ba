"""Receivers that keep cached timeline reads honest: changes bump the cache versions."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from annotations.models import Annotation
from crisis.cache import (
    bump_actors_version,
    bump_related_version,
    bump_timeline_version,
)
from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Tag


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
