"""htmx under the CSP: one configuration it actually reads, and 400 forms as content."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def timeline(page, live_server, transactional_db):
    call_command("load_seed", stdout=StringIO())
    messages = []
    page.on("console", lambda message: messages.append(message))
    page.goto(live_server.url + "/")
    return page, messages


def test_htmx_reads_every_setting_of_the_one_config_meta(timeline):
    page, _ = timeline
    config = page.evaluate(
        "({indicator: htmx.config.includeIndicatorStyles,"
        " settle: htmx.config.attributesToSettle,"
        " history: htmx.config.historyCacheSize,"
        " handling: htmx.config.responseHandling})"
    )
    assert config["indicator"] is False
    assert "style" not in config["settle"]
    assert config["history"] == 0
    assert {"code": "400", "swap": True, "error": False} in config["handling"]


def test_a_refused_filter_is_swapped_in_with_its_message_and_htmx_logs_nothing(
    timeline,
):
    page, messages = timeline
    page.get_by_label("From", exact=True).fill("2022-01-26")
    page.wait_for_url(re.compile(r"from=2022-01-26$"))
    page.get_by_label("To", exact=True).fill("2022-01-01")
    expect(page.get_by_text("“To” is before “From”")).to_be_visible()
    assert page.get_by_label("Search").is_visible()  # the page is still whole
    # Chromium itself notes the 400 of the request; htmx must add nothing.
    from_htmx = [m.text for m in messages if "htmx" in m.location["url"]]
    assert from_htmx == []
    assert [m.text for m in messages if m.type == "error" and "400" not in m.text] == []


def test_a_busy_server_leaves_the_form_as_typed_and_says_so(timeline):
    """A 503 (the database busy) swaps nothing away: the input stays and a notice shows."""
    page, _ = timeline
    alert = page.locator("#request-error")
    assert alert.is_hidden()
    page.route(
        re.compile(r".*/\?.*q=.*"),
        lambda route: route.fulfill(status=503, body="Busy", content_type="text/html"),
    )
    page.get_by_label("Search").fill("troops on alert")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("busy")
    assert page.get_by_label("Search").input_value() == "troops on alert"
    assert page.locator("#timeline-list article").count() > 0
