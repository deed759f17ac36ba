"""Annotation reads: visibility in the query, badges, the timeline filter, query budgets."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Visibility
from annotations.selectors import (
    attach_annotations,
    events_annotated_for,
    with_annotation_counts,
)
from crisis.models import Event
from tests.factories import (
    make_analyst,
    make_annotation,
    make_event,
    make_quote,
    make_team,
    make_viewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_setup():
    team = make_team()
    a, b = make_analyst(teams=[team]), make_analyst(teams=[team])
    c = make_analyst(teams=[make_team()])
    return team, a, b, c


def test_visible_to_is_own_plus_team_shared(team_setup):
    team, a, b, c = team_setup
    mine = make_annotation(author=a)
    shared = make_annotation(author=a, visibility=Visibility.TEAM, team=team)
    assert set(Annotation.objects.visible_to(a)) == {mine, shared}
    assert set(Annotation.objects.visible_to(b)) == {shared}
    assert set(Annotation.objects.visible_to(c)) == set()
    assert set(Annotation.objects.visible_to(make_viewer())) == set()
    assert set(Annotation.objects.visible_to(AnonymousUser())) == set()


def test_author_keeps_own_team_annotations_after_leaving_the_team(team_setup):
    team, a, b, _ = team_setup
    shared = make_annotation(author=a, visibility=Visibility.TEAM, team=team)
    a.groups.remove(team)
    assert list(Annotation.objects.visible_to(a)) == [shared]
    assert list(Annotation.objects.visible_to(b)) == [shared]


def test_events_annotated_for_counts_event_and_quote_annotations(team_setup):
    team, a, b, c = team_setup
    on_event, via_quote, untouched = make_event(), make_event(), make_event()
    make_annotation(author=a, target=on_event, visibility="team", team=team)
    make_annotation(author=b, target=make_quote(event=via_quote))
    assert set(events_annotated_for(b)) == {on_event, via_quote}
    assert set(events_annotated_for(a)) == {on_event}
    assert set(events_annotated_for(c)) == set()
    assert untouched not in events_annotated_for(b)


def test_with_annotation_counts_counts_only_what_the_user_sees(team_setup):
    team, a, b, _ = team_setup
    event = make_event()
    make_annotation(author=a, target=event)
    make_annotation(author=a, target=event, visibility="team", team=team)

    def count_for(user):
        events = with_annotation_counts(Event.objects.filter(pk=event.pk), user)
        return events.get().annotation_count

    assert count_for(a) == 2
    assert count_for(b) == 1
    assert count_for(AnonymousUser()) == 0


def test_attach_annotations_costs_two_queries_for_any_number_of_targets(team_setup):
    _, a, _, _ = team_setup
    events = [make_event() for _ in range(5)]
    for event in events:
        make_annotation(author=a, target=event, tags=["x", "y"])
    a = type(a).objects.get(pk=a.pk)
    a.has_perm("annotations.add_annotation")  # permissions are cached once per request
    with CaptureQueriesContext(connection) as queries:
        attach_annotations(events, a)
        for event in events:
            assert [tag.name for tag in event.visible_annotations[0].tags.all()] == [
                "x",
                "y",
            ]
    assert len(queries) == 2


def test_attach_annotations_costs_nothing_for_the_public():
    events = [make_event() for _ in range(3)]
    with CaptureQueriesContext(connection) as queries:
        attach_annotations(events, AnonymousUser())
    assert len(queries) == 0
    assert all(event.visible_annotations == [] for event in events)


def test_timeline_with_annotations_query_count_is_fixed(
    client, django_assert_max_num_queries, settings
):
    """Guards against N+1 queries on the timeline of an analyst with annotations.

    The first request also fills the cache (picker actors, their countries, count,
    axis rows and group counts); the second, with seven times the annotations, may not
    cost more.
    """
    settings.TIMELINE_PAGE_SIZE = 30  # every annotated event on the first page
    analyst = make_analyst(teams=[make_team()])
    client.force_login(analyst)
    for _ in range(3):
        make_annotation(author=analyst, target=make_event(), tags=["t"])
    with django_assert_max_num_queries(17) as few:
        client.get("/")
    for _ in range(20):
        make_annotation(author=analyst, target=make_event(), tags=["t", "u"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/")
    assert response.content.decode().count('class="annotation"') == 23


def test_event_page_with_annotated_quotes_query_count_is_fixed(
    client, django_assert_max_num_queries
):
    """Guards against N+1 queries on an event page with annotated quotes.

    The first budget counts the citations' passage numbers (two queries, whatever the
    number of sources); the second request, with nine times the quotes, may not cost more.
    """
    analyst = make_analyst()
    client.force_login(analyst)
    event = make_event()
    make_annotation(author=analyst, target=event)
    quote = make_quote(event=event)
    make_annotation(author=analyst, target=quote, passage="We want calm")
    with django_assert_max_num_queries(18) as few:
        client.get(event.get_absolute_url())
    for _ in range(8):
        quote = make_quote(event=event)
        make_annotation(author=analyst, target=quote, passage="calm", tags=["q"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(event.get_absolute_url()).content.decode()
    assert html.count('<mark class="annotation-mark"') == 9


def test_public_pages_run_no_annotation_queries(client):
    event = make_event()
    make_annotation(author=make_analyst(), target=event)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
        client.get(event.get_absolute_url())
    assert not [q for q in queries if "crisis_annotation" in q["sql"]]


def test_timeline_annotated_filter_shows_only_my_and_my_teams_events(client):
    team = make_team()
    analyst, colleague = make_analyst(teams=[team]), make_analyst(teams=[team])
    mine = make_event(title="Mine annotated")
    theirs = make_event(title="Team annotated")
    make_event(title="Nobody annotated")
    make_annotation(author=analyst, target=mine)
    make_annotation(author=colleague, target=theirs, visibility="team", team=team)
    client.force_login(analyst)
    html = client.get("/", {"annotated": "1"}).content.decode()
    assert "Mine annotated" in html
    assert "Team annotated" in html
    assert "Nobody annotated" not in html
    assert "Nobody annotated" in client.get("/").content.decode()
