"""In Chromium, under the real CSP: stored payloads never run, pages log no errors."""

import pytest
from django.conf import settings
from django.test import Client

from crisis.models import Event
from tests.hostile_records import make_hostile_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(context, url, expected_status=200):
    """Open the URL in a fresh tab; return the tab, the response and console errors."""
    tab = context.new_page()
    errors = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exception: errors.append(str(exception)))
    response = tab.goto(url)
    assert response.status == expected_status, url
    tab.wait_for_load_state("load")
    return tab, response, errors


def test_stored_payloads_do_not_run_in_the_browser(page, live_server):
    records = make_hostile_records()
    for path in ["/", *(record.get_absolute_url() for record in records.values())]:
        tab, _, errors = visit(page.context, live_server.url + path)
        assert tab.evaluate("typeof window.__xss") == "undefined", path
        assert errors == [], f"{path}: {errors}"


def test_pages_load_htmx_and_log_no_errors_under_the_csp(page, live_server, seeded):
    event = Event.objects.published().filter(quotes__isnull=False).first()
    quote = event.quotes.first()
    for path in [
        "/",
        event.get_absolute_url(),
        quote.get_absolute_url(),
        quote.speaker.get_absolute_url(),
        quote.source.get_absolute_url(),
    ]:
        tab, response, errors = visit(page.context, live_server.url + path)
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "'unsafe-inline'" not in csp
        assert tab.evaluate("typeof window.htmx") == "object", path
        assert tab.evaluate("htmx.config.includeIndicatorStyles") is False
        assert errors == [], f"{path}: {errors}"


def test_the_error_page_logs_no_csp_violation(page, live_server, db):
    _, _, errors = visit(page.context, live_server.url + "/no-such-page/", 404)
    # Chromium always logs the failed main request itself; nothing else may appear.
    assert [e for e in errors if "404" not in e] == []


def test_the_admin_works_under_the_csp(page, live_server, seeded, admin_user):
    client = Client()
    client.force_login(admin_user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    event = Event.objects.first()
    for path in [
        "/admin/",
        "/admin/crisis/event/",
        f"/admin/crisis/event/{event.pk}/change/",
        "/admin/crisis/event/add/",
    ]:
        _, _, errors = visit(page.context, live_server.url + path)
        assert errors == [], f"{path}: {errors}"
