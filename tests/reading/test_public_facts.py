"""Drafts leak nothing through public options and counts."""

import re

import pytest
from django.urls import reverse

from crisis.models import EventActor, Status, Tag
from tests.factories import (
    make_actor,
    make_event,
    make_quote,
    make_source,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    public_tag = Tag.objects.create(name="Troop movements")
    draft_tag = Tag.objects.create(name="Secret sauce")
    make_event(title="Public one").tags.add(public_tag)
    make_event(title="Draft one", status=Status.DRAFT).tags.add(draft_tag, public_tag)
    return public_tag, draft_tag


@pytest.mark.parametrize("staff", [False, True])
def test_a_tag_used_only_by_drafts_is_not_a_timeline_filter_option(
    client, tagged, staff
):
    """The filter form is public: its options are the same for staff previewing drafts."""
    if staff:
        client.force_login(make_user(is_staff=True))
    html = client.get(reverse("crisis:timeline")).content.decode()
    tag_select = html.split('name="tag"', 1)[1].split("</select>", 1)[0]
    assert "Troop movements" in tag_select
    assert "Secret sauce" not in tag_select
    if not staff:
        assert "Secret sauce" not in html


def test_filtering_by_a_draft_only_tag_is_refused_like_an_unknown_tag(client, tagged):
    response = client.get(reverse("crisis:timeline"), {"tag": "secret-sauce"})
    assert response.status_code == 400
    assert "Secret sauce" not in response.content.decode()


def row_count(html, title):
    row = html.split(f">{title}</a>", 1)[1].split("</tr>", 1)[0]
    return int(re.findall(r'class="num"[^>]*>([^<]*)<', row)[-1])


@pytest.mark.parametrize("sort", ["", "-citation_count", "citation_count"])
@pytest.mark.parametrize("staff", [False, True])
def test_source_citation_counts_count_only_public_events_and_quotes(
    client, staff, sort
):
    source = make_source(title="The article")
    make_event(source=source)
    make_event(source=source, status=Status.DRAFT)
    make_quote(source=source)
    make_quote(source=source, status=Status.DRAFT)
    # A published quote of a draft event is not public either.
    make_quote(source=source, event=make_event(status=Status.DRAFT, source=source))
    if staff:
        client.force_login(make_user(is_staff=True))
    make_event(source=make_source(title="Cited more"))  # two public passages
    make_event(source=make_source(title="Cited more"))
    uncited = make_source(title="Never cited")
    query = {"sort": sort} if sort else {}
    html = client.get(reverse("crisis:source_list"), query).content.decode()
    assert row_count(html, "The article") == 2
    assert row_count(html, "Never cited") == 0
    if sort == "-citation_count":
        assert html.index(">The article<") < html.index(f">{uncited.title}<")


@pytest.mark.parametrize("sort", ["", "-event_count"])
@pytest.mark.parametrize("staff", [False, True])
def test_actor_event_counts_count_each_visible_event_once(client, staff, sort):
    actor = make_actor(name="Aleksandr Busy")
    idle = make_actor(name="Aaron Idle")
    twice = make_event(actors=[actor])
    EventActor.objects.create(event=twice, actor=actor, role=EventActor.Role.INITIATOR)
    make_event(actors=[actor])
    make_event(actors=[actor, idle], status=Status.DRAFT)
    if staff:
        client.force_login(make_user(is_staff=True))
    query = {"sort": sort} if sort else {}
    html = client.get(reverse("crisis:actor_list"), query).content.decode()
    assert row_count(html, "Aleksandr Busy") == (3 if staff else 2)
    assert row_count(html, "Aaron Idle") == (1 if staff else 0)
    if sort:
        assert html.index(">Aleksandr Busy<") < html.index(">Aaron Idle<")
