"""Annotations where they meet the public pages: the timeline filter and cited sources."""

import re
from html import unescape

import pytest

from annotations.models import Visibility
from crisis.models import Source
from tests.factories import (
    make_analyst,
    make_annotation,
    make_event,
    make_source,
    make_team,
)

pytestmark = pytest.mark.django_db


def test_annotated_filter_keeps_only_events_i_or_my_team_annotated(client):
    team = make_team()
    me, colleague = make_analyst(teams=[team]), make_analyst(teams=[team])
    mine = make_event(title="Annotated by me")
    shared = make_event(title="Shared by my colleague")
    make_event(title="Nobody annotated this")
    make_annotation(author=me, target=mine)
    make_annotation(
        author=colleague, target=shared, visibility=Visibility.TEAM, team=team
    )
    client.force_login(me)
    html = client.get("/", {"annotated": "1"}).content.decode()
    assert "Annotated by me" in html
    assert "Shared by my colleague" in html
    assert "Nobody annotated this" not in html


def test_the_public_has_no_annotated_filter_and_it_is_ignored(client):
    make_event(title="Public event")
    response = client.get("/", {"annotated": "1"})
    assert response.status_code == 200
    assert 'name="annotated"' not in response.content.decode()
    assert "Public event" in response.content.decode()


def test_source_text_keeps_its_exact_text_with_citations_and_annotation_marks(client):
    source = make_source()
    make_event(source=source, excerpt="Leaders met in Paris on Wednesday.")
    analyst = make_analyst()
    make_annotation(author=analyst, target=source, passage="Paris on Wednesday. “We")
    client.force_login(analyst)
    html = client.get(source.get_absolute_url()).content.decode()
    block = re.search(r'data-annotatable="source-\d+">(.*?)</div>', html, re.S).group(1)
    assert '<mark class="cited"' in block and "annotation-mark" in block
    text_only = unescape(re.sub(r"<[^>]+>", "", block))
    assert text_only == Source.objects.get(pk=source.pk).text
