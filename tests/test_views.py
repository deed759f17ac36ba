import pytest
from django.urls import reverse

from crisis.models import Event
from tests.factories import make_event, make_quote

pytestmark = pytest.mark.django_db


def test_timeline_shows_published_seed_events_grouped_by_day(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<time datetime="2022-01-26">Wednesday 26 January 2022</time>' in html
    first = Event.objects.published().first()
    assert first.title in html


def test_timeline_hides_drafts(client):
    make_event(title="A published event")
    make_event(title="A draft event", status="draft")
    html = client.get("/").content.decode()
    assert "A published event" in html
    assert "A draft event" not in html


def test_timeline_query_count_does_not_grow_with_events(
    client, django_assert_max_num_queries
):
    """Guards against N+1 queries on the timeline: same budget for 3 or 30 events."""
    for _ in range(3):
        make_quote(event=make_event())
    with django_assert_max_num_queries(6) as few:
        client.get("/")
    for _ in range(27):
        make_quote(event=make_event())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/").status_code == 200


def test_event_page_shows_quotes_and_cited_excerpts(client, seeded):
    event = Event.objects.published().filter(quotes__isnull=False).first()
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert event.title in html
    assert event.quotes.first().speaker.name in html
    assert "<blockquote" in html


def test_event_page_query_count_is_fixed(client, django_assert_max_num_queries):
    """Guards against N+1 queries on the event page: actors, quotes, citations prefetched."""
    event = make_event()
    for _ in range(10):
        make_quote(event=event)
    with django_assert_max_num_queries(9):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_draft_event_page_is_404_for_the_public_and_visible_to_staff(
    client, admin_user
):
    event = make_event(status="draft")
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(admin_user)
    assert "Draft" in client.get(event.get_absolute_url()).content.decode()


def test_unknown_event_is_a_404(client):
    assert (
        client.get(reverse("crisis:event_detail", args=["no-such-event"])).status_code
        == 404
    )


def test_actor_quote_and_source_pages_render(client, seeded):
    event = Event.objects.published().filter(quotes__isnull=False).first()
    quote = event.quotes.first()
    for url in (
        quote.speaker.get_absolute_url(),
        quote.get_absolute_url(),
        quote.source.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


def test_previous_and_next_links_walk_the_timeline(client):
    first, second, third = (
        make_event(title=f"E{i}", start_date=f"2022-01-2{i}") for i in range(3)
    )
    html = client.get(second.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html
