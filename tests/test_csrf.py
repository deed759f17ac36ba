"""Every endpoint that accepts POST refuses a request without a valid CSRF token.

The POST endpoints are the access table's entries that accept POST, so a view merged
later is covered as soon as it has its line in tests/access_table.py.
"""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.access_table import ANONYMOUS, SUPERUSER, probe_targets, url_for

POST_VIEWS = [view for view, entry in probe_targets() if entry.accepts_post]


def test_the_admin_login_is_among_the_post_endpoints():
    assert "admin:login" in {view.key for view in POST_VIEWS}


def client_allowed_to_post(view, role_users):
    """A client whose role may use the view (the superuser for views closed to all)."""
    role = ANONYMOUS if ANONYMOUS in view.entry.allowed else SUPERUSER
    client = Client(enforce_csrf_checks=True)
    if role_users[role] is not None:
        client.force_login(role_users[role])
    return client


def csrf_refusal(response):
    return response.status_code == 403 and "security token" in response.content.decode()


def test_every_post_endpoint_refuses_a_missing_or_forged_token(seeded, role_users):
    accepted = []
    for view in POST_VIEWS:
        client = client_allowed_to_post(view, role_users)
        url = url_for(view)
        if not csrf_refusal(client.post(url, {"username": "someone", "password": "x"})):
            accepted.append(f"{view.key}: accepted without a token")
        client.cookies[settings.CSRF_COOKIE_NAME] = "a" * 32
        if not csrf_refusal(client.post(url, {"csrfmiddlewaretoken": "b" * 32})):
            accepted.append(f"{view.key}: accepted a forged token")
    assert not accepted, "\n".join(accepted)


def test_every_post_endpoint_accepts_the_token_its_pages_hand_out(seeded, role_users):
    """The control: a refusal above is the CSRF check, not the view saying no."""
    refused = []
    for view in POST_VIEWS:
        if not view.entry.allowed:
            continue
        client = client_allowed_to_post(view, role_users)
        # Signed-in pages hand out the token for htmx requests; the sign-in page its own.
        client.get("/" if "_auth_user_id" in client.session else reverse("login"))
        token = client.cookies[settings.CSRF_COOKIE_NAME].value
        response = client.post(url_for(view), {"csrfmiddlewaretoken": token})
        if response.status_code == 403 or response.status_code >= 500:
            refused.append(f"{view.key}: {response.status_code}")
    assert not refused, "\n".join(refused)
