from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from crisis.models import Event, Status
from crisis.roles import ANALYST, EDITOR, VIEWER, sync_roles
from tests.admin_forms import admin_form_data
from tests.factories import make_event, make_user

pytestmark = pytest.mark.django_db


def codenames(role):
    return set(
        Group.objects.get(name=role).permissions.values_list("codename", flat=True)
    )


def signed_in(client, role):
    user = make_user(role)
    client.force_login(user)
    return client


def test_migrate_creates_the_three_roles_with_their_permissions():
    assert {"publish_event", "publish_quote", "change_event", "add_source"} <= (
        codenames(EDITOR)
    )
    facts = ("event", "actor", "quote", "source", "citation", "eventactor", "tag")
    facts += ("story", "storystep")
    annotations = {
        f"{action}_{model}"
        for model in ("annotation", "annotationtag")
        for action in ("add", "change", "delete", "view")
    }
    assert codenames(ANALYST) == {f"view_{model}" for model in facts} | annotations
    assert codenames(VIEWER) == set()


def test_syncing_roles_again_changes_nothing():
    before = {role: codenames(role) for role in (EDITOR, ANALYST, VIEWER)}
    sync_roles()
    sync_roles()
    assert Group.objects.filter(name__in=[EDITOR, ANALYST, VIEWER]).count() == 3
    assert before == {role: codenames(role) for role in (EDITOR, ANALYST, VIEWER)}


def test_assign_role_command_gives_the_role_and_staff_status():
    user = make_user()
    call_command("assign_role", user.username, EDITOR, stdout=StringIO())
    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [EDITOR]
    call_command("assign_role", user.username, VIEWER, stdout=StringIO())
    user.refresh_from_db()
    assert not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [VIEWER]


def test_anonymous_users_are_redirected_to_the_admin_login(client):
    response = client.get(reverse("admin:crisis_event_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_viewer_cannot_enter_the_admin(client):
    signed_in(client, VIEWER)
    response = client.get(reverse("admin:crisis_event_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_an_analyst_reads_events_without_save_button_or_publish_action(client):
    event = make_event(status=Status.DRAFT)
    signed_in(client, ANALYST)
    changelist = client.get(reverse("admin:crisis_event_changelist"))
    assert changelist.status_code == 200
    assert event.title in changelist.content.decode()
    assert "publish_selected" not in changelist.content.decode()
    change = client.get(reverse("admin:crisis_event_change", args=[event.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()


def test_an_analyst_cannot_change_add_or_publish_an_event(client):
    event = make_event(status=Status.DRAFT)
    signed_in(client, ANALYST)
    url = reverse("admin:crisis_event_change", args=[event.pk])
    response = client.post(url, {"title": "Changed by an analyst"})
    assert response.status_code == 403
    assert client.get(reverse("admin:crisis_event_add")).status_code == 403
    client.post(
        reverse("admin:crisis_event_changelist"),
        {"action": "publish_selected", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert event.status == Status.DRAFT
    assert event.title != "Changed by an analyst"


def test_an_analyst_cannot_revert_through_the_history_page(client):
    event = make_event(title="Original")
    event.title = "Edited"
    event.save()
    first = event.history.earliest("history_date")
    signed_in(client, ANALYST)
    url = reverse("admin:crisis_event_simple_history", args=[event.pk, first.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    assert client.post(url, {"title": "Original"}).status_code == 403
    event.refresh_from_db()
    assert event.title == "Edited"


def test_an_analyst_cannot_import(client):
    signed_in(client, ANALYST)
    assert client.get(reverse("admin:crisis_actor_import")).status_code == 403


def test_an_editor_can_change_and_publish_an_event(client):
    event = make_event(status=Status.DRAFT)
    signed_in(client, EDITOR)
    url = reverse("admin:crisis_event_change", args=[event.pk])
    page = client.get(url)
    assert 'name="_save"' in page.content.decode()
    response = client.post(url, admin_form_data(page, title="Edited by an editor"))
    assert response.status_code == 302
    response = client.post(
        reverse("admin:crisis_event_changelist"),
        {"action": "publish_selected", "_selected_action": [event.pk]},
        follow=True,
    )
    assert "Published 1 events" in response.content.decode()
    event.refresh_from_db()
    assert (event.title, event.status) == ("Edited by an editor", Status.PUBLISHED)
    assert Event.objects.published().filter(pk=event.pk).exists()
