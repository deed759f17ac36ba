"""The one cache: whole public pages for readers who are not signed in (crisis/cache.py)."""

import pytest
from django.test.utils import CaptureQueriesContext

from crisis.cache import data_version
from tests.factories import make_analyst, make_annotation, make_event, make_team

pytestmark = pytest.mark.django_db

HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "timeline-results"}


def queries_of(client, url, **kwargs):
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    return response, len(queries.captured_queries)


def test_a_reader_asking_again_is_served_without_a_query(client):
    make_event(title="Troops move")
    first, first_queries = queries_of(client, "/")
    again, again_queries = queries_of(client, "/")
    assert first_queries > 0 and again_queries == 0
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_each_address_and_each_partial_is_its_own_page(client):
    make_event(title="Troops move")
    queries_of(client, "/")
    assert queries_of(client, "/?q=troops")[1] > 0
    partial, partial_queries = queries_of(client, "/", headers=HTMX_RESULTS)
    assert partial_queries > 0
    assert b"<html" not in partial.content
    cached, cached_queries = queries_of(client, "/", headers=HTMX_RESULTS)
    assert cached_queries == 0 and cached.content == partial.content


def test_a_cached_partial_keeps_its_htmx_headers(client):
    make_event(title="Troops move")
    url = "/?q=troops&from="
    first = client.get(url, headers=HTMX_RESULTS)
    again = client.get(url, headers=HTMX_RESULTS)
    assert first["HX-Push-Url"] == "/?q=troops"
    assert again["HX-Push-Url"] == first["HX-Push-Url"]
    assert "HX-Target" in again["Vary"]


def test_a_committed_edit_shows_on_the_next_request(
    client, django_capture_on_commit_callbacks
):
    event = make_event(title="Troops move")
    assert "Troops move" in client.get("/").content.decode()
    event.title = "Troops withdraw"
    event.save()
    # Not committed yet: readers still see the committed page.
    assert "Troops move" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        event.save()
    html = client.get("/").content.decode()
    assert "Troops withdraw" in html and "Troops move" not in html


def test_annotations_and_teams_leave_the_public_pages_alone(
    django_capture_on_commit_callbacks,
):
    event = make_event(title="Troops move")
    analyst = make_analyst("an-analyst")
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        make_annotation(author=analyst, target=event, body="Check this")
        analyst.groups.add(make_team("Desk"))
    assert data_version() == before


def test_a_fact_change_retires_every_page(django_capture_on_commit_callbacks):
    event = make_event(title="Troops move")
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        event.tags.create(slug="troops", name="troops")
    assert data_version() != before


def test_signed_in_people_are_never_served_nor_fill_the_cache(client):
    make_event(title="Troops move")
    queries_of(client, "/")  # cached for readers
    client.force_login(make_analyst("an-analyst"))
    signed_in, signed_in_queries = queries_of(client, "/")
    assert signed_in_queries > 0
    assert "X-CSRFToken" in signed_in.content.decode()
    client.logout()
    reader, _ = queries_of(client, "/")
    assert "X-CSRFToken" not in reader.content.decode()
    assert "csrftoken" not in reader.cookies


def test_a_page_seen_first_by_a_signed_in_person_is_built_again_for_readers(client):
    make_event(title="Troops move")
    client.force_login(make_analyst("an-analyst"))
    client.get("/?q=troops")
    client.logout()
    assert queries_of(client, "/?q=troops")[1] > 0


def test_an_error_is_not_cached(client):
    first, _ = queries_of(client, "/?from=2022-02-30")
    again, again_queries = queries_of(client, "/?from=2022-02-30")
    assert first.status_code == again.status_code == 400
    assert again_queries > 0


def test_a_reader_with_a_session_is_not_served_from_the_cache(client):
    """A session may hold a message for this reader alone."""
    make_event(title="Troops move")
    queries_of(client, "/")
    client.cookies["sessionid"] = "some-session"
    assert queries_of(client, "/")[1] > 0
