"""Sign-in throttling (django-axes), tested on the admin login with axes switched on."""

import pytest
from django.contrib.auth.models import User

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
