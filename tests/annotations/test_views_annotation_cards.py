"""Annotating from a timeline card, and where the analyst is sent back to (``next``)."""

import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation
from tests.factories import make_analyst, make_event, make_team

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def analyst_client():
    client = Client()
    client.force_login(make_analyst("ana", teams=[make_team("Desk")]))
    return client


def _note(event, **fields):
    return {
        "target": f"event:{event.pk}",
        "body": "Seen from the card.",
        "body_format": "plain",
        "confidence": "medium",
        "share_with": "private",
        **fields,
    }


def test_analyst_timeline_cards_offer_annotate_not_the_filter_form(analyst_client):
    """Each card's block is the Annotate control; the filter form appears once."""
    call_command("load_seed", verbosity=0)
    anonymous = Client().get(reverse("crisis:timeline")).content.decode()
    html = analyst_client.get(reverse("crisis:timeline")).content.decode()
    cards = html.count('<article class="card')
    assert cards >= 20
    assert len(re.findall(r'name="q"', html)) == 1
    assert html.count(">Annotate</a>") == cards
    assert "Save annotation" not in html
    # A small block per card (about 0.7 kB), not a copy of the filter form (7 kB).
    assert len(html) < len(anonymous) * 1.5


def test_annotating_from_a_card_with_htmx_saves_and_returns_the_block(analyst_client):
    event = make_event()
    opened = analyst_client.get(
        reverse("annotations:annotation_create"),
        {"target": f"event:{event.pk}", "next": "/?q=alert"},
        **HTMX,
    ).content.decode()
    assert 'name="next" value="/?q=alert"' in opened
    response = analyst_client.post(
        reverse("annotations:annotation_create"), _note(event, next="/?q=alert"), **HTMX
    )
    assert response.status_code == 200
    assert "Annotation saved." in response.content.decode()
    assert Annotation.objects.get().event == event


def test_annotating_from_a_card_without_javascript_returns_to_the_card(
    analyst_client,
):
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"), _note(event, next="/?q=alert")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/?q=alert#annotations-event-{event.pk}"
    assert Annotation.objects.count() == 1


@pytest.mark.parametrize(
    "unsafe", ["foo", "https://evil.example/", "//evil.example/", "/\\evil.example"]
)
def test_an_unsafe_next_falls_back_to_the_target(analyst_client, unsafe):
    event = make_event()
    block = analyst_client.get(
        reverse("annotations:annotation_block"),
        {"target": f"event:{event.pk}", "next": unsafe},
    )
    assert block.status_code == 302
    assert (
        block["Location"] == f"{event.get_absolute_url()}#annotations-event-{event.pk}"
    )


@pytest.mark.parametrize("unsafe", ["foo", "https://evil.example/x"])
def test_saving_with_an_unsafe_next_saves_once_and_redirects_to_the_target(
    analyst_client, unsafe
):
    """The save is not followed by a 500 (which made a retry save it twice)."""
    event = make_event()
    response = analyst_client.post(
        reverse("annotations:annotation_create"), _note(event, next=unsafe)
    )
    assert response.status_code == 302
    assert response["Location"].startswith(event.get_absolute_url())
    assert Annotation.objects.count() == 1


def test_an_unsafe_next_is_not_written_into_the_form(analyst_client):
    event = make_event()
    html = analyst_client.get(
        reverse("annotations:annotation_create"),
        {"target": f"event:{event.pk}", "next": "foo"},
    ).content.decode()
    assert 'value="foo"' not in html
    assert f'name="next" value="{event.get_absolute_url()}"' in html
