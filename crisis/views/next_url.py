"""The one place a ``next`` parameter is trusted: a local path of this site, or nothing."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, default):
    """``next`` from the form or query (or the page an htmx request came from) when it is
    a path of this site, else ``default``.

    A bare word such as ``foo`` is refused too: ``redirect()`` would take it for a view
    name and fail after the work was done.
    """
    candidate = request.POST.get("next") or request.GET.get("next")
    if not candidate and request.htmx and request.htmx.current_url_abs_path:
        candidate = request.htmx.current_url_abs_path
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
    ):
        return candidate
    return default
