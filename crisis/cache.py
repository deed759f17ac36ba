"""Shared, expensive timeline reads cached under version numbers.

Every change to events, their actors or quotes bumps the timeline version (see
crisis/signals.py, and the generator for its bulk writes), which orphans every cached
page, count, strip and export at once instead of hunting for the keys a change affects.
What shows an event's related rows but no counts (its card, the filter form) is cached
under the related version instead, which an edit of an event's own fields leaves alone:
the edited card is found anew by the event's own version number. With the default
local-memory cache each process keeps its own copy, so other processes see a change when
their entries expire (``TIMELINE_CACHE_TIMEOUT``); set ``REDIS_URL`` to share one cache
and see it at once.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "crisis:timeline:version"
RELATED_VERSION_KEY = "crisis:related:version"
ACTORS_VERSION_KEY = "crisis:actors:version"
_MISSING = object()


def _version(key):
    version = cache.get(key)
    if version is None:
        cache.add(key, 1, timeout=None)
        version = cache.get(key, 1)
    return version


def _bump(key):
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 2, timeout=None)


def timeline_version():
    return _version(VERSION_KEY)


def bump_timeline_version(**_signal_kwargs):
    """Invalidate every cached timeline read; usable as a signal receiver."""
    _bump(VERSION_KEY)


def related_version():
    """Bumped by changes to actors, their links, tags, citations, sources and quotes."""
    return _version(RELATED_VERSION_KEY)


def bump_related_version(**_signal_kwargs):
    _bump(RELATED_VERSION_KEY)


def actors_version():
    """Bumped only when an actor itself changes (see ``cached_actor_read``)."""
    return _version(ACTORS_VERSION_KEY)


def bump_actors_version(**_signal_kwargs):
    _bump(ACTORS_VERSION_KEY)


def cached_actor_read(name, compute, *, timeout):
    """``compute()``, cached until an actor changes or ``timeout`` seconds pass.

    For reads about actors that may lag behind their events (which actors are the most
    involved) but must show an actor's own change, such as a new name, at once.
    """
    return cache.get_or_set(
        f"crisis:actors:{actors_version()}:{name}", compute, timeout=timeout
    )


def cached_timeline_read(name, compute, *, parts=(), keep=None):
    """``compute()``, cached under ``name`` and ``parts`` for the current data version.

    ``keep(value)``, when given, decides whether a computed value is worth caching.
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"crisis:timeline:{timeline_version()}:{name}:{digest}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:  # None is a value too: a strip with no dated events
        value = compute()
        if keep is None or keep(value):
            cache.set(key, value, timeout=settings.TIMELINE_CACHE_TIMEOUT)
    return value
