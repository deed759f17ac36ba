"""What views do the same way for htmx: which partial of the page a request asks for
(timeline, tables, map, stories, the annotation workspace, the extraction assistant),
and the address bar after a filter request."""

from urllib.parse import urlencode

from django_htmx.http import push_url


def partial_for(request, targets, default):
    """The template partial (``"#results"``…) an htmx request asks for; "" for a page.

    ``targets`` maps an element's id (the request's ``HX-Target``) to its partial;
    other htmx requests get ``default``. A history restore (the browser's cache of the
    page is gone) and a plain request get the whole page.
    """
    if not request.htmx or request.htmx.history_restore_request:
        return ""
    return targets.get(request.htmx.target, default)


def push_filled_fields_url(request, response):
    """Push the URL of the fields in use, so it reads ?actor=olaf-scholz, not ?q=&actor=…

    A filter form submits every field, empty ones too; the server knows which are in use,
    so no script is needed to trim them. Invalid values stay in the URL, as typed.
    """
    query = urlencode(
        [
            (name, value)
            for name, values in request.GET.lists()
            for value in values
            if value
        ]
    )
    return push_url(response, f"{request.path}?{query}" if query else request.path)
