"""Cached timeline cards: rendered once, and never shown stale."""

import re

import pytest
from django.core import serializers
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.cards import attach_cards
from crisis.models import Event
from tests.factories import make_actor, make_event

pytestmark = pytest.mark.django_db


def cards(*events):
    """The cards of ``events``, as the timeline asks for them."""
    pks = [event.pk for event in events]
    fresh = list(Event.objects.filter(pk__in=pks).with_quote_count().order_by("pk"))
    with CaptureQueriesContext(connection) as queries:
        found = attach_cards(fresh)
    return [str(event.card) for event in found], len(queries)


def test_a_card_is_rendered_once_then_read_from_the_cache():
    event = make_event(title="Talks in Paris")
    first, queries = cards(event)
    assert "Talks in Paris" in first[0] and queries > 0
    again, queries = cards(event)
    assert again == first and queries == 0


def test_editing_an_event_renders_its_card_again_and_keeps_the_others(
    django_capture_on_commit_callbacks,
):
    edited, other = make_event(title="Before"), make_event(title="Untouched")
    cards(edited, other)
    with django_capture_on_commit_callbacks(execute=True):
        edited.title = "After"
        edited.save()
    with CaptureQueriesContext(connection) as queries:
        html, _ = cards(edited, other)
    assert "After" in html[0] and "Untouched" in html[1]
    links = [q["sql"] for q in queries if 'FROM "crisis_eventactor"' in q["sql"]]
    assert len(links) == 1
    assert re.findall(r"\d+", links[0].rsplit(" IN ", 1)[-1]) == [str(edited.pk)]


def test_renaming_an_actor_renders_every_card_again(django_capture_on_commit_callbacks):
    actor = make_actor(name="Old name")
    events = [make_event(actors=[actor]) for _ in range(2)]
    cards(*events)
    with django_capture_on_commit_callbacks(execute=True):
        actor.name = "New name"
        actor.save()
    html, _ = cards(*events)
    assert all("New name" in card and "Old name" not in card for card in html)


def test_an_event_loaded_with_its_stored_version_is_not_shown_stale(
    django_capture_on_commit_callbacks,
):
    """An archive or fixture writes the version number it holds, maybe a cached one's."""
    event = make_event(title="Cached title")
    dump = serializers.serialize("json", [event])
    cards(event)
    with django_capture_on_commit_callbacks(execute=True):
        for loaded in serializers.deserialize("json", dump.replace("Cached", "Loaded")):
            loaded.save()
    html, _ = cards(event)
    assert "Loaded title" in html[0]
