"""Error pages that say what went wrong in plain words and reveal nothing else."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(request):
    """The 503 page, rendered without the request so that it needs no database."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    return response


def query_string_too_long(request):
    html = loader.render_to_string(
        "414.html", {"limit": settings.MAX_QUERY_STRING_LENGTH}
    )
    return HttpResponse(html, status=414)


def too_many_writes(request):
    minutes = max(1, settings.USER_WRITE_WINDOW // 60)
    html = loader.render_to_string(
        "429_writes.html",
        {"limit": settings.USER_WRITE_LIMIT, "minutes": minutes},
        request,
    )
    response = HttpResponse(html, status=429)
    response["Retry-After"] = str(settings.USER_WRITE_WINDOW)
    return response


@requires_csrf_token
def server_error(request):
    """handler500: a database outage anywhere in the stack is a 503, the rest a 500."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    return HttpResponseServerError(loader.render_to_string("500.html"))
