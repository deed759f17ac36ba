"""Sign-in throttling (django-axes), tested on the admin login with axes switched on."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def editor(db):
    return User.objects.create_user(
        username="editor", password="correct horse battery staple", is_staff=True
    )


def sign_in(client, password, username="editor"):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )


def test_five_failures_lock_the_account_out_even_with_the_right_password(
    client, axes_on, editor
):
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "0:15:00" in html
    assert sign_in(client, "correct horse battery staple").status_code == 429
    assert "_auth_user_id" not in client.session


def test_fewer_failures_still_let_the_user_in(client, axes_on, editor):
    for _ in range(4):
        sign_in(client, "wrong")
    response = sign_in(client, "correct horse battery staple")
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_lockout_is_per_user_name_so_others_can_still_sign_in(
    client, axes_on, editor
):
    for _ in range(5):
        sign_in(client, "wrong", username="someone-else")
    assert sign_in(client, "correct horse battery staple").status_code == 302


def test_the_lockout_lifts_after_the_cool_off(client, axes_on, editor, settings):
    from axes.models import AccessAttempt

    for _ in range(5):
        sign_in(client, "wrong")
    assert sign_in(client, "correct horse battery staple").status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.first().attempt_time
        - settings.AXES_COOLOFF_TIME
    )
    assert sign_in(client, "correct horse battery staple").status_code == 302


PROXY = "10.0.0.1"
ATTACKER = "203.0.113.7"
VICTIM = "198.51.100.20"


def settings_for_environment(**environ):
    """The AXES_/IPWARE_ settings crisis/settings.py derives from this environment."""
    import os
    import runpy
    from pathlib import Path
    from unittest import mock

    import crisis.settings

    with mock.patch.dict(os.environ, environ):
        values = runpy.run_path(Path(crisis.settings.__file__))
    return {
        name: value
        for name, value in values.items()
        if name.startswith(("AXES_IPWARE_", "IPWARE_"))
    }


@pytest.fixture
def behind_one_proxy(axes_on, settings):
    for name, value in settings_for_environment(AXES_PROXY_COUNT="1").items():
        setattr(settings, name, value)


def sign_in_through_proxy(client, password, forwarded_for, username="editor"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_proxy_an_attacker_locks_out_only_themselves(behind_one_proxy, editor):
    """Both come through one proxy: the attacker's failures must not lock the victim."""
    attacker, victim = Client(), Client()
    for _ in range(5):
        sign_in_through_proxy(attacker, "wrong", ATTACKER)
    assert sign_in_through_proxy(attacker, "wrong", ATTACKER).status_code == 429
    response = sign_in_through_proxy(victim, "correct horse battery staple", VICTIM)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_a_forged_forwarded_for_cannot_lock_out_or_escape_as_another_address(
    behind_one_proxy, editor
):
    """Whatever the client writes left of the proxy's entry is ignored."""
    attacker, victim = Client(), Client()
    for number in range(5):
        # The proxy appends the real address to the attacker's forged header.
        forged = f"{VICTIM}, 192.0.2.{number}, {ATTACKER}"
        sign_in_through_proxy(attacker, "wrong", forged)
    assert (
        sign_in_through_proxy(attacker, "wrong", f"192.0.2.99, {ATTACKER}").status_code
        == 429
    )
    response = sign_in_through_proxy(victim, "correct horse battery staple", VICTIM)
    assert response.status_code == 302


def test_without_a_proxy_the_forwarded_header_is_not_believed(
    axes_on, settings, editor
):
    for name, value in settings_for_environment(AXES_PROXY_COUNT="0").items():
        setattr(settings, name, value)
    attacker = Client()
    for number in range(5):
        sign_in_through_proxy(attacker, "wrong", f"192.0.2.{number}")
    assert sign_in_through_proxy(attacker, "wrong", "192.0.2.200").status_code == 429


def change_password(client, old_password, url="/accounts/password/"):
    new = "a brand new passphrase 42"
    return client.post(
        url,
        {"old_password": old_password, "new_password1": new, "new_password2": new},
    )


@pytest.mark.parametrize("url", ["/accounts/password/", "/admin/password_change/"])
def test_wrong_current_passwords_lock_the_password_change(client, axes_on, editor, url):
    """A stolen session cannot guess the password behind it without limit."""
    client.force_login(editor)
    for _ in range(4):
        response = change_password(client, "wrong", url)
        assert response.status_code == 200
        assert "Your old password was entered incorrectly" in response.content.decode()
    locked = change_password(client, "wrong", url)
    assert locked.status_code == 429
    assert "Too many failed" in locked.content.decode()
    assert (
        change_password(client, "correct horse battery staple", url).status_code == 429
    )
    editor.refresh_from_db()
    assert editor.check_password("correct horse battery staple")


def test_a_right_current_password_still_changes_it(client, axes_on, editor):
    client.force_login(editor)
    change_password(client, "wrong")
    response = change_password(client, "correct horse battery staple")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/done/"
    editor.refresh_from_db()
    assert editor.check_password("a brand new passphrase 42")
