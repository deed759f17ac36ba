"""Signing in and out with Django's auth views, styled like the site."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, make_analyst, make_event

pytestmark = pytest.mark.django_db


def test_sign_in_link_carries_the_current_page(client):
    event = make_event()
    html = client.get(event.get_absolute_url()).content.decode()
    assert f'href="/accounts/login/?next={event.get_absolute_url()}"' in html


def test_login_page_is_styled_like_the_site(client):
    html = client.get(reverse("login"), {"next": "/"}).content.decode()
    assert "site.css" in html
    assert '<label for="id_username">Username</label>' in html
    assert 'name="next" value="/"' in html


def test_login_returns_the_user_to_the_page_they_were_on(client):
    analyst = make_analyst()
    event = make_event()
    response = client.post(
        reverse("login"),
        {
            "username": analyst.username,
            "password": PASSWORD,
            "next": event.get_absolute_url(),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Sign out" in html
    assert 'href="/workspace/"' in html


def test_wrong_password_shows_an_error(client):
    analyst = make_analyst()
    response = client.post(
        reverse("login"), {"username": analyst.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_login_refuses_an_offsite_next(client):
    analyst = make_analyst()
    response = client.post(
        reverse("login"),
        {
            "username": analyst.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == reverse("crisis:timeline")


def test_sign_out_is_a_post(client):
    client.force_login(make_analyst())
    response = client.post(reverse("logout"), {"next": "/"})
    assert response.status_code == 302
    assert "Sign in" in client.get("/").content.decode()


def test_password_change_page_renders(client):
    client.force_login(make_analyst())
    html = client.get(reverse("password_change")).content.decode()
    assert "Change your password" in html
    assert "site.css" in html
