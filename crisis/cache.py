"""One cache: the public pages that readers who are not signed in are shown.

``@cached_response`` keeps a view's answer (status 200, not streamed) under the current
data version, the full address and the htmx headers that pick a partial, and serves it
again until the version changes or ``TIMELINE_CACHE_TIMEOUT`` seconds pass.
``data_changed()`` draws a new version once the transaction commits; crisis/signals.py
calls it for every change to the facts (events, actors, their links, tags, quotes,
citations, sources, stories), so every page cached before retires at once and nothing
has to be found and deleted. Signed-in people are never served from it and never fill
it, so annotations and teams, which only they see, leave the version alone.

Where the cache lives decides who shares it (``CACHES`` in settings): one Redis
(``REDIS_URL``) for several servers, the database for the workers of one production
server, local memory for the one process of development. Nothing else is kept between
requests: every page is fast to build without it (bench/ measures both paths).
"""

import hashlib
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

VERSION_KEY = "crisis:data-version"
# The request headers a view may answer differently to (the partial htmx asks for).
VARY_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")
# Headers that describe the content; everything else is the middleware's to add again.
KEPT_HEADERS = (
    "Content-Type",
    "Vary",
    "HX-Push-Url",
    "Cache-Control",
    "Content-Language",
)


def data_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _new_version():
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def data_changed(**_signal_kwargs):
    """Retire every cached page once the current transaction commits; a signal receiver."""
    transaction.on_commit(_new_version)


def _cacheable_request(request):
    # A session or a message waiting to be shown makes the page someone's own.
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        # A page that holds a CSRF token holds this reader's token.
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _key(request):
    parts = [
        request.get_full_path(),
        *(request.headers.get(h, "") for h in VARY_HEADERS),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"crisis:page:{data_version()}:{digest}"


def cached_response(view):
    """Serve ``view``'s public answer from the cache to readers who are not signed in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = view(request, *args, **kwargs)
        if _cacheable_response(request, response):
            headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
            cache.set(
                key,
                (response.content, headers),
                timeout=settings.TIMELINE_CACHE_TIMEOUT,
            )
        return response

    return wrapper
