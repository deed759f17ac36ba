"""Shared, expensive timeline reads cached under one version number.

Every change to events, their actors or quotes bumps the version (see crisis/signals.py,
and the generator for its bulk writes), which orphans every cached entry at once instead
of hunting for the keys a change affects. With the default local-memory cache each
process keeps its own copy, so other processes see a change when their entries expire
(``TIMELINE_CACHE_TIMEOUT``); set ``REDIS_URL`` to share one cache and see it at once.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "crisis:timeline:version"


def timeline_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_timeline_version(**_signal_kwargs):
    """Invalidate every cached timeline read; usable as a signal receiver."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def cached_timeline_read(name, compute, *, parts=(), keep=None):
    """``compute()``, cached under ``name`` and ``parts`` for the current data version.

    ``keep(value)``, when given, decides whether a computed value is worth caching.
    """
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"crisis:timeline:{timeline_version()}:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if keep is None or keep(value):
            cache.set(key, value, timeout=settings.TIMELINE_CACHE_TIMEOUT)
    return value
