"""Which pages other sites may frame: the embed pages, by the configured origins."""

from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    """Let ``EMBED_ALLOWED_ORIGINS`` frame this view's pages; every other page keeps
    ``X-Frame-Options: DENY`` and ``frame-ancestors 'none'``. The rest of the CSP is
    unchanged. The origins are read per request, so settings can change in tests."""

    @wraps(view)
    @xframe_options_exempt
    def framed(request, *args, **kwargs):
        origins = list(settings.EMBED_ALLOWED_ORIGINS) or ["'none'"]
        return csp_replace({"frame-ancestors": origins})(view)(request, *args, **kwargs)

    return framed
