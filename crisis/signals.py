"""Receivers that keep cached timeline reads honest: any change bumps the cache version."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from crisis.cache import bump_actors_version, bump_timeline_version
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


def _bump_after_commit(**_kwargs):
    transaction.on_commit(bump_timeline_version)


def _bump_actors_after_commit(**_kwargs):
    transaction.on_commit(bump_actors_version)


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
    post_save.connect(
        _bump_actors_after_commit, sender=Actor, dispatch_uid="bump-actors"
    )
    post_delete.connect(
        _bump_actors_after_commit, sender=Actor, dispatch_uid="bump-del-actors"
    )
    m2m_changed.connect(
        _bump_after_commit, sender=Event.tags.through, dispatch_uid="bump-tags"
    )
    m2m_changed.connect(
        _bump_after_commit,
        sender=get_user_model().groups.through,
        dispatch_uid="bump-teams",
    )
