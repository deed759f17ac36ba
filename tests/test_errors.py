"""Custom error pages: a plain explanation, and no debug detail, stack or settings."""

from unittest import mock

import pytest
from django.conf import settings

from crisis.models import Event

pytestmark = pytest.mark.django_db

LEAKS = ("Traceback", "SECRET_KEY", "DATABASES", "URLconf", "crisis/views", "Django")


def assert_leaks_nothing(html, *secrets):
    for leak in (*LEAKS, settings.SECRET_KEY, *secrets):
        assert leak not in html


def test_404_page_explains_and_lists_no_urls(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is nothing at this address" in html
    assert_leaks_nothing(html, "admin/", "events/<slug")


def test_500_page_hides_the_exception(client):
    client.raise_request_exception = False
    with mock.patch(
        "crisis.reading.views.timeline.timeline_groups",
        side_effect=RuntimeError("internal detail 7c1f"),
    ):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert_leaks_nothing(html, "internal detail 7c1f", "RuntimeError")


def test_400_page_for_a_forged_host_header(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This request could not be understood" in html
    assert_leaks_nothing(html, "ALLOWED_HOSTS", "evil.example")


def test_403_page_for_a_missing_permission(client, role_users):
    client.force_login(role_users["editor"])
    response = client.get("/admin/auth/user/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You are not allowed to see this" in html
    assert_leaks_nothing(html)


def test_error_pages_use_the_site_layout(client):
    html = client.get("/no/such/page/").content.decode()
    assert '<main id="main"' in html
    assert 'href="/"' in html


def test_a_draft_is_a_plain_404(client):
    event = Event.objects.create(
        title="Secret draft", slug="secret-draft", start_date="2022-01-20",
        category="diplomacy", status="draft",
    )  # fmt: skip
    response = client.get(event.get_absolute_url())
    assert response.status_code == 404
    assert "Secret draft" not in response.content.decode()


def test_the_500_page_survives_a_broken_template(client):
    """Even when the site layout cannot render, the visitor gets a plain error page."""
    client.raise_request_exception = False
    broken = ValueError("Missing staticfiles manifest entry for 'crisis/css/site.css'")
    with (
        mock.patch("crisis.reading.views.timeline.timeline_groups", side_effect=broken),
        mock.patch("crisis.views.errors.loader.render_to_string", side_effect=broken),
    ):
        response = client.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert_leaks_nothing(html, "manifest")
