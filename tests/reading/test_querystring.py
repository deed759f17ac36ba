"""The query-string helpers every list view builds its links from."""

import datetime
from urllib.parse import parse_qsl

from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from crisis.htmx import partial_for
from crisis.reading.querystring import chips_for, filled_pairs


def test_filled_pairs_skip_empty_fields_and_give_iso_dates_in_the_order_asked():
    cleaned = {
        "q": "",
        "to": datetime.date(2022, 1, 26),
        "actor": ["olaf-scholz", "nato"],
        "role": None,
        "from": datetime.date(2022, 1, 20),
        "category": [],
    }
    assert filled_pairs(cleaned, ["from", "to", "actor", "q"]) == [
        ("from", "2022-01-20"),
        ("to", "2022-01-26"),
        ("actor", "olaf-scholz"),
        ("actor", "nato"),
    ]
    assert [name for name, _value in filled_pairs(cleaned)] == [
        "to",
        "actor",
        "actor",
        "from",
    ]


def test_each_chip_removes_its_own_value_and_keeps_the_others():
    pairs = [("actor", "olaf-scholz"), ("actor", "nato"), ("category", "military")]
    chips = chips_for(pairs, str.title, lambda name, value: value.upper())
    assert [(chip.label, chip.value) for chip in chips] == [
        ("Actor", "OLAF-SCHOLZ"),
        ("Actor", "NATO"),
        ("Category", "MILITARY"),
    ]
    for chip, removed in zip(chips, pairs, strict=True):
        kept = parse_qsl(chip.remove_query)
        assert removed not in kept and len(kept) == len(pairs) - 1


def _request(**headers):
    request = RequestFactory().get("/", **headers)
    request.htmx = HtmxDetails(request)
    return request


def test_the_partial_follows_the_htmx_target_and_a_plain_request_gets_the_page():
    targets = {"timeline-app": "#app"}
    assert partial_for(_request(), targets, default="#results") == ""
    htmx = {"HTTP_HX_REQUEST": "true"}
    assert partial_for(_request(**htmx), targets, default="#results") == "#results"
    app = _request(**htmx, HTTP_HX_TARGET="timeline-app")
    assert partial_for(app, targets, default="#results") == "#app"
    restore = _request(**htmx, HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert partial_for(restore, targets, default="#results") == ""
