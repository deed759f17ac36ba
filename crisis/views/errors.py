"""Error pages that say what went wrong in plain words and reveal nothing else."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import requires_csrf_token

DATABASE_ERRORS = (OperationalError, InterfaceError)

# Used when even the error template cannot render (say, a missing static manifest).
BARE_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
    "</head><body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
)


def _render_or_bare(template_name, title, text, context=None):
    try:
        return loader.render_to_string(template_name, context)
    except Exception:
        return BARE_PAGE.format(title=title, text=text)


def resendable_fields(request):
    """A refused form's fields, to send again from the 503 page: nothing typed is lost.

    Passwords are left out (they are never written into a page) and so are files.
    """
    if request.method != "POST":
        return []
    try:
        fields = list(request.POST.lists())
    except Exception:
        return []
    return [
        (name, value)
        for name, values in fields
        if "password" not in name.lower()
        for value in values
    ]


def database_unavailable(request):
    """The 503 page, rendered without the request so that it needs no database.

    A refused POST comes back as a form holding what was sent, with a button that sends
    it again to the same address (CSRF token included), so a busy database never eats
    an editor's work.
    """
    resend = resendable_fields(request)
    html = _render_or_bare(
        "503.html",
        "Temporarily unavailable",
        "Our database cannot be reached right now. Please try again in a minute.",
        {"resend": resend, "resend_to": request.get_full_path() if resend else ""},
    )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    patch_cache_control(response, no_store=True)
    return response


def query_string_too_long(request):
    html = loader.render_to_string(
        "414.html", {"limit": settings.MAX_QUERY_STRING_LENGTH}
    )
    return HttpResponse(html, status=414)


@requires_csrf_token
def server_error(request):
    """handler500: a database outage anywhere in the stack is a 503, the rest a 500."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    html = _render_or_bare(
        "500.html",
        "Server error",
        "Something went wrong on our side. Please try again in a moment.",
    )
    return HttpResponseServerError(html)
