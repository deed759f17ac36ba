"""The address bar after an htmx filter request."""

from urllib.parse import urlencode

from django_htmx.http import push_url


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
