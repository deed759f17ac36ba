"""Request logging as JSON lines; the query-string limit is in test_hostile_input.py."""

import json
import logging
import sys

import pytest
from pythonjsonlogger.json import JsonFormatter

pytestmark = pytest.mark.django_db


def test_every_request_is_logged_once_with_its_outcome(client, caplog):
    with caplog.at_level(logging.INFO, logger="crisis.requests"):
        client.get("/no-such-page/", QUERY_STRING="q=secret+words")
    (record,) = [r for r in caplog.records if r.name == "crisis.requests"]
    assert record.getMessage() == "GET /no-such-page/ 404"
    assert record.method == "GET"
    assert record.path == "/no-such-page/"
    assert record.status == 404
    assert record.query_length == len("q=secret+words")
    assert record.duration_ms >= 0
    assert record.user_id is None


def test_a_signed_in_request_logs_the_user_id_only(client, caplog, django_user_model):
    user = django_user_model.objects.create_user("maria.kowalska", is_staff=True)
    client.force_login(user)
    with caplog.at_level(logging.INFO, logger="crisis.requests"):
        client.get("/admin/")
    (record,) = [r for r in caplog.records if r.name == "crisis.requests"]
    assert record.user_id == user.pk
    assert "maria" not in json.dumps(record.__dict__, default=str)


def stdout_handler():
    (handler,) = [
        h
        for h in logging.getLogger().handlers
        if isinstance(h.formatter, JsonFormatter)
    ]
    return handler


def test_logs_go_to_stdout_as_one_json_object_per_line():
    handler = stdout_handler()
    assert handler.stream is sys.stdout or handler.stream.name == "<stdout>"
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
            ("/",), sys.exc_info(),
        )  # fmt: skip
    line = handler.formatter.format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "django.request"
    assert entry["message"] == "Internal Server Error: /"
    assert "ValueError: boom" in entry["exc_info"]
