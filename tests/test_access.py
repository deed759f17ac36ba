"""The access-control table covers the whole URLconf and matches what the views do."""

import fnmatch

import pytest
from django.test import Client

from tests.access_table import (
    ACCESS,
    ANONYMOUS,
    ROLES,
    all_views,
    probe_targets,
    url_for,
)


def test_every_view_in_the_urlconf_has_an_access_entry():
    missing = [
        f"{view.key} ({view.route})" for view in all_views() if view.entry is None
    ]
    assert not missing, (
        "Views without an entry in tests/access_table.py (say who may use them): "
        + ", ".join(missing)
    )


def test_every_access_entry_matches_a_view():
    keys = [view.key for view in all_views()]
    stale = [
        pattern
        for pattern in ACCESS
        if not any(fnmatch.fnmatchcase(key, pattern) for key in keys)
    ]
    assert not stale, f"Access entries matching no view: {stale}"


def test_public_views_include_the_timeline_and_exclude_the_admin():
    public = {view.key for view, entry in probe_targets() if entry.public_get}
    assert "crisis:timeline" in public
    assert "admin:login" in public
    assert not {
        key for key in public if key.startswith("admin:") and key != "admin:login"
    }


def is_shut_out(response):
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code in (301, 302) and "login" in response.get(
        "Location", ""
    )


def request_as(user, method, url):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.generic(method, url)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_access_the_table_gives(role, seeded, role_users):
    user = role_users[role]
    wrong = []
    for view, entry in probe_targets():
        method = "GET" if "GET" in entry.methods else "POST"
        url = url_for(view)
        response = request_as(user, method, url)
        shut_out = is_shut_out(response)
        allowed = role in entry.allowed
        if response.status_code >= 500 or response.status_code == 405:
            wrong.append(f"{method} {url} ({view.key}): {response.status_code}")
        elif allowed and shut_out:
            wrong.append(f"{role} is shut out of {view.key} ({response.status_code})")
        elif not allowed and not shut_out:
            wrong.append(f"{role} gets into {view.key} ({response.status_code})")
    assert not wrong, "\n".join(wrong)


def test_anonymous_visitors_are_sent_to_sign_in_for_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert ANONYMOUS not in ACCESS["admin:*"].allowed
