"""The issue's "done when", end to end through the real admin as a new editor would."""

import pytest
from django.test import Client
from django.urls import reverse

from crisis.models import Actor, Event, Quote, Source, Status
from crisis.roles import EDITOR
from tests.admin_forms import admin_form_data
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Foreign ministers met in Geneva on Friday. Blinken said: “We are on a clear "
    "path in terms of understanding each other's concerns.” Lavrov called the talks "
    "useful. Separately, NATO put troops on standby and sent more ships to the "
    "Baltic region on Monday."
)

EVENTS = [
    (
        "geneva-talks",
        "Talks in Geneva",
        "2022-01-21",
        "blinken",
        "Foreign ministers met in Geneva on Friday.",
    ),
    (
        "lavrov-useful",
        "Lavrov calls talks useful",
        "2022-01-21",
        "lavrov",
        "Lavrov called the talks useful.",
    ),
    (
        "nato-standby",
        "NATO puts troops on standby",
        "2022-01-24",
        "nato",
        "NATO put troops on standby",
    ),
]


def _inline_management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _add_actor(client, slug, name, kind):
    response = client.post(
        reverse("admin:crisis_actor_add"),
        {
            "name": name,
            "slug": slug,
            "kind": kind,
            "title": "",
            "country": "",
            "aliases": "",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Actor.objects.get(slug=slug)


def _add_event(client, source, slug, title, date, actor, excerpt, status="draft"):
    data = {
        "title": title,
        "slug": slug,
        "summary": f"{title}.",
        "start_date": date,
        "end_date": "",
        "date_precision": "day",
        "category": "diplomacy",
        "place": "",
        "importance": "2",
        "status": status,
        "loaded_version": "",
        **_inline_management("event_actors", 1),
        "event_actors-0-actor": str(actor.pk),
        "event_actors-0-role": "initiator",
        **_inline_management("citations", 1),
        "citations-0-source": str(source.pk),
        "citations-0-excerpt": excerpt,
        **_inline_management("quotes", 0),
    }
    return client.post(reverse("admin:crisis_event_add"), data)


def test_an_editor_builds_publishes_and_repairs_a_story_from_a_new_source(
    client, django_capture_on_commit_callbacks
):
    """Each of the editor's saves commits (as a request does), so readers see it."""
    user = make_user(EDITOR, username="new-editor")
    login = client.post(
        reverse("admin:login"),
        {
            "username": "new-editor",
            "password": PASSWORD,
            "next": reverse("admin:index"),
        },
    )
    assert login.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200

    # A new source article, pasted in.
    response = client.post(
        reverse("admin:crisis_source_add"),
        {
            "title": "Geneva talks and NATO standby",
            "slug": "geneva-nato",
            "publisher": "Wire",
            "url": "https://example.org/geneva",
            "published_on": "2022-01-24",
            "language": "en",
            "text": ARTICLE,
        },
        follow=True,
    )
    source = Source.objects.get(slug="geneva-nato")
    assert "Now add the events and quotes it supports" in response.content.decode()

    actors = {
        "blinken": _add_actor(client, "blinken", "Antony Blinken", "person"),
        "lavrov": _add_actor(client, "lavrov", "Sergey Lavrov", "person"),
        "nato": _add_actor(client, "nato", "NATO", "alliance"),
    }

    # A published event with no actor is refused as a whole.
    refused = client.post(
        reverse("admin:crisis_event_add"),
        {
            "title": "Half",
            "slug": "half",
            "summary": "x",
            "start_date": "2022-01-21",
            "end_date": "",
            "date_precision": "day",
            "category": "diplomacy",
            "place": "",
            "importance": "2",
            "status": "published",
            "loaded_version": "",
            **_inline_management("event_actors", 0),
            **_inline_management("citations", 0),
            **_inline_management("quotes", 0),
        },
    )
    assert "A published event needs at least one actor" in refused.content.decode()
    assert not Event.objects.filter(slug="half").exists()

    for slug, title, date, actor, excerpt in EVENTS:
        response = _add_event(client, source, slug, title, date, actors[actor], excerpt)
        assert response.status_code == 302, response.content.decode()[:3000]

    # A quote citing the source, on the first event.
    response = client.post(
        reverse("admin:crisis_quote_add"),
        {
            "slug": "clear-path",
            "text": "We are on a clear path in terms of understanding "
            "each other's concerns.",
            "speaker": str(actors["blinken"].pk),
            "said_on": "2022-01-21",
            "date_precision": "day",
            "event": str(Event.objects.get(slug="geneva-talks").pk),
            "source": str(source.pk),
            "status": "draft",
            "loaded_version": "",
            **_inline_management("citations", 1),
            "citations-0-source": str(source.pk),
            "citations-0-excerpt": "Blinken said: “We are on a clear path",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    # Nothing is public yet.
    assert "Talks in Geneva" not in Client().get("/").content.decode()

    events = Event.objects.filter(slug__in=[slug for slug, *_ in EVENTS])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:crisis_event_changelist"),
            {"action": "publish_selected", "_selected_action": [e.pk for e in events]},
        )
        client.post(
            reverse("admin:crisis_quote_changelist"),
            {
                "action": "publish_selected",
                "_selected_action": [Quote.objects.get(slug="clear-path").pk],
            },
        )
    assert set(events.values_list("status", flat=True)) == {Status.PUBLISHED}

    client.logout()
    timeline = client.get("/").content.decode()
    for _, title, *_ in EVENTS:
        assert title in timeline
    event_page = client.get(reverse("crisis:event_detail", args=["geneva-talks"]))
    assert "We are on a clear path" in event_page.content.decode()

    # A bad edit, then a revert through the history page.
    client.force_login(user)
    event = Event.objects.get(slug="geneva-talks")
    url = reverse("admin:crisis_event_change", args=[event.pk])
    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        edited = client.post(url, admin_form_data(page, title="Talks colapsed!!"))
    assert edited.status_code == 302
    client.logout()
    assert "Talks colapsed!!" in client.get("/").content.decode()

    client.force_login(user)
    good = event.history.filter(title="Talks in Geneva").latest("history_date")
    revert_url = reverse(
        "admin:crisis_event_simple_history", args=[event.pk, good.history_id]
    )
    revert_page = client.get(revert_url)
    assert "Talks colapsed!!" in revert_page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        reverted = client.post(revert_url, admin_form_data(revert_page))
    assert reverted.status_code == 302
    client.logout()
    timeline = client.get("/").content.decode()
    assert "Talks in Geneva" in timeline
    assert "Talks colapsed!!" not in timeline
    reasons = list(
        event.history.order_by("history_date").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == [None, "Published", None, "Reverted to an earlier version"]
