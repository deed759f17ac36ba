"""Faults: the database going away gives a 503 page and the app recovers; a failed
write leaves no partial rows."""

import contextlib
from io import BytesIO, StringIO
from unittest import mock
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import CommandError, call_command
from django.db import IntegrityError, OperationalError, connection, connections
from django.db.backends.utils import CursorWrapper

from crisis.models import Actor, Citation, Event, Quote, Source
from crisis.reading.selectors import neighbours
from tests.factories import make_event


def wsgi_get(path):
    """A GET through the real WSGI handler, with its connection housekeeping
    (request_started/request_finished), which the test client switches off."""
    environ = {"PATH_INFO": path, "HTTP_HOST": "127.0.0.1", "wsgi.input": BytesIO()}
    setup_testing_defaults(environ)
    started = {}

    def start_response(status, headers):
        started["status"] = int(status.split()[0])
        started["headers"] = dict(headers)

    result = WSGIHandler()(environ, start_response)
    try:
        body = b"".join(result).decode()
    finally:
        result.close()
    return started["status"], started["headers"], body


def cut_the_database_connection():
    """Kill this thread's database session from outside (PostgreSQL), or make every
    query fail (SQLite, which has no server to lose)."""
    if connection.vendor == "postgresql":
        backend_pid = connection.connection.info.backend_pid
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [backend_pid])
        finally:
            other.close()
        return contextlib.nullcontext()
    return mock.patch.object(
        CursorWrapper,
        "execute",
        side_effect=OperationalError("disk I/O error"),
    )


@pytest.mark.django_db(transaction=True)
def test_losing_the_database_mid_request_gives_503_and_the_app_recovers():
    event = make_event(title="Still here after the outage")
    url = event.get_absolute_url()
    assert wsgi_get(url)[0] == 200
    cache.clear()  # the page is built again, not served from the cache

    # The event page has read the event when the connection goes: a health check at
    # the start of the request cannot save this one.
    def neighbours_during_an_outage(*args):
        with cut_the_database_connection():
            return neighbours(*args)

    with mock.patch(
        "crisis.reading.views.timeline.neighbours", neighbours_during_an_outage
    ):
        status, headers, body = wsgi_get(url)
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert "The timeline is temporarily unavailable" in body
    assert "Traceback" not in body

    status, _, body = wsgi_get(url)
    assert status == 200
    assert event.title in body
    assert wsgi_get("/")[0] == 200
    assert wsgi_get("/healthz")[0] == 200


@pytest.mark.django_db
def test_a_database_error_outside_any_view_is_also_a_503(client, admin_user):
    client.force_login(admin_user)
    client.raise_request_exception = False
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.get("/admin/")
    assert response.status_code == 503
    assert "temporarily unavailable" in response.content.decode()


@pytest.mark.django_db
def test_a_failed_seed_load_leaves_no_partial_rows():
    calls = {"n": 0}
    create = Citation.objects.create

    def create_then_fail(**fields):
        calls["n"] += 1
        if calls["n"] == 3:
            raise IntegrityError("simulated failure half-way through the load")
        return create(**fields)

    with (
        mock.patch.object(Citation.objects, "create", side_effect=create_then_fail),
        pytest.raises((IntegrityError, CommandError)),
    ):
        call_command("load_seed", stdout=StringIO())
    assert calls["n"] == 3
    for model in (Source, Actor, Event, Quote, Citation):
        assert not model.objects.exists(), model.__name__
        assert not model.history.exists(), model.__name__
