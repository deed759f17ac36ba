"""Request-level guards: request logging, query-string limit, per-user write limit,
database outages."""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.functional import empty

from crisis.views.errors import (
    database_unavailable,
    query_string_too_long,
)

request_logger = logging.getLogger("crisis.requests")

DATABASE_ERRORS = (OperationalError, InterfaceError)


class RequestLogMiddleware:
    """Logs one structured line per request: method, path, status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        response = self.get_response(request)
        status = response.status_code
        level = logging.ERROR if status >= 500 else logging.INFO
        # Read the user only if the request already loaded it: no extra query, and
        # none at all while the database is down.
        user = getattr(request, "user", None)
        loaded = user is not None and getattr(user, "_wrapped", None) is not empty
        request_logger.log(
            level,
            "%s %s %s",
            request.method,
            request.path,
            status,
            extra={
                "method": request.method,
                "path": request.path,
                "query_length": len(request.META.get("QUERY_STRING", "")),
                "status": status,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
                # Only an id, never a name: logs leave the server.
                "user_id": user.pk if loaded else None,
                "remote_addr": request.META.get("REMOTE_ADDR"),
            },
        )
        return response


class QueryStringLimitMiddleware:
    """Refuses over-long query strings with a 414 before any view parses them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > settings.MAX_QUERY_STRING_LENGTH:
            return query_string_too_long(request)
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection in a view into a 503 page instead of a 500.

    Errors raised outside views (in other middleware) reach ``handler500``, which makes
    the same decision.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logging.getLogger("crisis.database").error(
                "database unavailable", exc_info=exception
            )
            return database_unavailable(request)
        return None
