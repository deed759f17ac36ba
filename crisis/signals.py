"""Receivers that retire the cached public pages when the facts change (crisis/cache.py).

Annotations and team membership are absent on purpose: only signed-in analysts see
them, and their pages are never cached.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from crisis.cache import data_changed
from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Tag

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
