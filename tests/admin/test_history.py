import pytest
from django.urls import reverse

from crisis.history import changes_between, deleted_records, word_diff
from crisis.models import Citation, Event, EventActor, Quote, Status, Tag
from crisis.services import RestoreError, record_restore
from tests.admin_forms import admin_form_data
from tests.factories import make_actor, make_event, make_quote

pytestmark = pytest.mark.django_db


def _edit(client, event, **changes):
    url = reverse("admin:crisis_event_change", args=[event.pk])
    page = client.get(url)
    response = client.post(url, admin_form_data(page, **changes))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_changes_between_two_versions_read_as_labels_and_names():
    event = make_event(title="Before", category=Event.Category.DIPLOMACY)
    event.title = "After"
    event.category = Event.Category.MILITARY
    event.save()
    first, second = event.history.order_by("history_date")
    changes = {
        change.label: (change.old, change.new)
        for change in changes_between(first, second)
    }
    assert changes == {
        "Title": ("Before", "After"),
        "Category": ("Diplomacy", "Military"),
    }


def test_a_long_text_change_is_shown_word_by_word():
    segments = word_diff(
        "the talks ended without agreement", "the talks ended with agreement"
    )
    assert [(s.change, s.text) for s in segments] == [
        ("same", "the talks ended"),
        ("removed", "without"),
        ("added", "with"),
        ("same", "agreement"),
    ]


def test_the_history_page_shows_who_changed_what(admin_client, admin_user):
    event = make_event(title="Original")
    _edit(admin_client, event, title="Edited")
    page = admin_client.get(reverse("admin:crisis_event_history", args=[event.pk]))
    text = page.content.decode()
    assert "Original" in text and "Edited" in text
    assert admin_user.username in text


def test_revert_through_the_admin_shows_the_diff_and_restores_the_old_version(
    admin_client,
):
    event = make_event(title="Good title", summary="Careful summary.")
    _edit(admin_client, event, title="Bad title", summary="Vandalised.")
    good = event.history.filter(title="Good title").latest("history_date")
    url = reverse("admin:crisis_event_simple_history", args=[event.pk, good.history_id])
    page = admin_client.get(url)
    text = page.content.decode()
    assert "What reverting changes" in text
    assert "Bad title" in text and "Good title" in text
    response = admin_client.post(url, admin_form_data(page))
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Good title", "Careful summary.")
    latest = event.history.latest("history_date")
    assert latest.history_change_reason == "Reverted to an earlier version"
    assert event.version == 3


def test_revert_is_refused_when_someone_saved_in_between(admin_client):
    event = make_event(title="One")
    _edit(admin_client, event, title="Two")
    one = event.history.filter(title="One").latest("history_date")
    url = reverse("admin:crisis_event_simple_history", args=[event.pk, one.history_id])
    page = admin_client.get(url)
    _edit(admin_client, event, title="Three")
    response = admin_client.post(url, admin_form_data(page))
    assert response.status_code == 200
    assert "Not saved" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Three"


def test_deleting_an_event_keeps_its_history(admin_client):
    event = make_event(title="Soon gone")
    pk = event.pk
    admin_client.post(reverse("admin:crisis_event_delete", args=[pk]), {"post": "yes"})
    assert not Event.objects.filter(pk=pk).exists()
    assert Event.history.filter(id=pk).count() == 2
    assert [record.id for record in deleted_records(Event)] == [pk]


def test_a_deleted_event_is_restored_with_its_actors_citations_tags_and_quotes(
    admin_client,
):
    actor = make_actor(name="Restored Actor")
    event = make_event(title="Deleted by mistake", actors=[actor])
    event.tags.add(Tag.objects.create(name="talks", slug="talks"))
    quote = make_quote(event=event)
    pk = event.pk
    admin_client.post(reverse("admin:crisis_event_delete", args=[pk]), {"post": "yes"})
    quote.refresh_from_db()
    assert quote.event is None

    deleted_page = admin_client.get(reverse("admin:crisis_event_deleted"))
    assert "Deleted by mistake" in deleted_page.content.decode()
    record = Event.history.get(id=pk, history_type="-")
    response = admin_client.post(
        reverse("admin:crisis_event_restore", args=[record.history_id]), follow=True
    )
    assert "Restored" in response.content.decode()

    event = Event.objects.get(pk=pk)
    assert event.status == Status.PUBLISHED
    assert [link.actor for link in event.event_actors.all()] == [actor]
    assert event.citations.count() == 1
    assert [tag.slug for tag in event.tags.all()] == ["talks"]
    quote.refresh_from_db()
    assert quote.event == event
    assert event.history.latest("history_date").history_change_reason == (
        "Restored from history"
    )


def test_a_restored_event_whose_actor_is_gone_comes_back_as_a_draft(admin_user):
    actor = make_actor()
    event = make_event(actors=[actor])
    pk = event.pk
    event.delete()
    actor.delete()
    record = Event.history.get(id=pk, history_type="-")
    report = record_restore(model=Event, history_id=record.history_id, user=admin_user)
    assert Event.objects.get(pk=pk).status == Status.DRAFT
    assert any("actor in event" in line for line in report.skipped)
    assert not EventActor.objects.filter(event_id=pk).exists()
    assert Citation.objects.filter(event_id=pk).count() == 1


def test_restore_is_refused_when_the_slug_is_taken_again(admin_user):
    event = make_event(slug="reused")
    record_pk = event.pk
    event.delete()
    make_event(slug="reused")
    record = Event.history.get(id=record_pk, history_type="-")
    with pytest.raises(RestoreError, match="slug"):
        record_restore(model=Event, history_id=record.history_id, user=admin_user)


def test_a_deleted_quote_is_restored_with_its_citations(admin_client):
    quote = make_quote()
    pk = quote.pk
    quote.delete()
    record = Quote.history.get(id=pk, history_type="-")
    admin_client.post(reverse("admin:crisis_quote_restore", args=[record.history_id]))
    assert Quote.objects.get(pk=pk).citations.count() == 1


def test_an_analyst_sees_deleted_records_but_cannot_restore_them(client):
    from crisis.roles import ANALYST
    from tests.factories import make_user

    event = make_event()
    pk = event.pk
    event.delete()
    client.force_login(make_user(ANALYST))
    page = client.get(reverse("admin:crisis_event_deleted"))
    assert page.status_code == 200
    assert "Restore" not in page.content.decode().split("<table")[-1]
    record = Event.history.get(id=pk, history_type="-")
    response = client.post(
        reverse("admin:crisis_event_restore", args=[record.history_id])
    )
    assert response.status_code == 403
    assert not Event.objects.filter(pk=pk).exists()
