"""The analyst workspace, its filters and its exports."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse

from annotations.models import Visibility
from tests.factories import (
    make_analyst,
    make_annotation,
    make_event,
    make_quote,
    make_source,
    make_team,
    make_viewer,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def desk():
    team = make_team("Kyiv desk")
    a = make_analyst("anna", teams=[team])
    b = make_analyst("boris", teams=[team])
    c = make_analyst("chloe", teams=[make_team("Other desk")])
    event = make_event(title="Troops on alert")
    quote = make_quote(text="We want calm, and we want talks.", event=event)
    source = make_source(title="Wire report")
    notes = {
        "event": make_annotation(
            author=a,
            target=event,
            body="Event note",
            tags=["troops"],
            source_reliability="B",
            information_credibility="2",
            confidence="high",
            visibility=Visibility.TEAM,
            team=team,
        ),
        "quote": make_annotation(
            author=b,
            target=quote,
            body="Quote note",
            passage="we want talks",
            confidence="low",
            visibility=Visibility.TEAM,
            team=team,
        ),
        "source": make_annotation(
            author=a,
            target=source,
            body="Source note",
            passage="Markets fell sharply",
            tags=["markets"],
        ),
        "other": make_annotation(author=c, target=event, body="Other desk note"),
    }
    return {"a": a, "b": b, "c": c, "team": team, "notes": notes}


def test_workspace_lists_own_and_team_annotations(client, desk):
    client.force_login(desk["a"])
    response = client.get(reverse("annotations:workspace"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    for body in ("Event note", "Quote note", "Source note"):
        assert body in html
    assert "Other desk note" not in html


def test_workspace_htmx_request_gets_only_the_results(client, desk):
    client.force_login(desk["a"])
    response = client.get(
        reverse("annotations:workspace"), {"confidence": "low"}, **HTMX
    )
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="workspace-results"' in html
    assert "Quote note" in html
    assert "Event note" not in html
    assert response["Vary"].count("HX-Request") == 1


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tag": "troops"}, {"Event note"}),
        ({"source_reliability": "B"}, {"Event note"}),
        ({"information_credibility": "2"}, {"Event note"}),
        ({"confidence": "low"}, {"Quote note"}),
        ({"target_type": "event"}, {"Event note"}),
        ({"target_type": "quote_passage"}, {"Quote note"}),
        ({"target_type": "source_passage"}, {"Source note"}),
        ({"target_type": "quote"}, set()),
        ({"author": "boris"}, {"Quote note"}),
        ({"visibility": "private"}, {"Source note"}),
        ({"text": "source"}, {"Source note"}),
        ({"created_after": "2000-01-01"}, {"Event note", "Quote note", "Source note"}),
        ({"created_before": "2000-01-01"}, set()),
    ],
)
def test_workspace_filters(client, desk, params, expected):
    client.force_login(desk["a"])
    params = dict(params)
    if "tag" in params:
        params["tag"] = desk["notes"]["event"].tags.get().pk
    if "author" in params:
        params["author"] = desk["b"].pk
    html = client.get(reverse("annotations:workspace"), params, **HTMX).content.decode()
    shown = {
        body for body in ("Event note", "Quote note", "Source note") if body in html
    }
    assert shown == expected


def test_workspace_bad_date_is_a_message_not_a_crash(client, desk):
    client.force_login(desk["a"])
    response = client.get(
        reverse("annotations:workspace"), {"created_after": "31/31/2022"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Check the filters" in html
    assert "Enter a valid date." in html


def test_workspace_query_count_is_fixed(client, desk, django_assert_max_num_queries):
    """Guards against N+1 queries in the workspace table."""
    client.force_login(desk["a"])
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("annotations:workspace"))
    for _ in range(15):
        make_annotation(
            author=desk["a"], target=make_quote(), passage="calm", tags=["x"]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("annotations:workspace")).status_code == 200


def test_workspace_requires_sign_in_and_the_analyst_role(client):
    response = client.get(reverse("annotations:workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(make_viewer())
    assert client.get(reverse("annotations:workspace")).status_code == 403


def test_csv_export_parses_back_with_the_visible_rows(client, desk):
    client.force_login(desk["b"])
    response = client.get(reverse("annotations:annotations_export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["body"] for row in rows} == {"Event note", "Quote note"}
    quote_row = next(row for row in rows if row["body"] == "Quote note")
    assert quote_row["exact"] == "we want talks"
    assert (quote_row["start"], quote_row["end"]) == ("18", "31")
    assert quote_row["target_type"] == "quote_passage"
    event_row = next(row for row in rows if row["body"] == "Event note")
    assert event_row["grade"] == "B2"
    assert event_row["tags"] == "troops"
    assert event_row["team"] == "Kyiv desk"
    assert event_row["target_url"].startswith("http://testserver/events/")


def test_csv_export_follows_the_filters(client, desk):
    client.force_login(desk["a"])
    response = client.get(
        reverse("annotations:annotations_export_csv"), {"confidence": "high"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["body"] for row in rows] == ["Event note"]


def test_csv_export_neutralises_spreadsheet_formulas(client, desk):
    make_annotation(author=desk["a"], body='=HYPERLINK("http://x")')
    client.force_login(desk["a"])
    content = client.get(reverse("annotations:annotations_export_csv")).content.decode()
    rows = list(csv.DictReader(io.StringIO(content)))
    assert '\'=HYPERLINK("http://x")' in {row["body"] for row in rows}


def test_jsonld_export_is_a_w3c_annotation_collection(client, desk):
    client.force_login(desk["a"])
    response = client.get(reverse("annotations:annotations_export_jsonld"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    collection = json.loads(response.content)
    assert collection["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert collection["type"] == "AnnotationCollection"
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == 3
    for item in items:
        assert item["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert item["type"] == "Annotation"
        assert item["id"].startswith("http://testserver/")
        assert item["target"]["source"].startswith("http://testserver/")
        assert any(body["purpose"] == "commenting" for body in item["body"])
    source_item = next(i for i in items if i["body"][0]["value"] == "Source note")
    quote_selector, position_selector = source_item["target"]["selector"]
    assert quote_selector == {
        "type": "TextQuoteSelector",
        "exact": "Markets fell sharply",
        "prefix": desk["notes"]["source"].prefix,
        "suffix": " after the ruble tumbled.",
    }
    source = desk["notes"]["source"].source
    assert position_selector["type"] == "TextPositionSelector"
    assert (
        source.text[position_selector["start"] : position_selector["end"]]
        == "Markets fell sharply"
    )
    event_item = next(i for i in items if i["body"][0]["value"] == "Event note")
    assert {"type": "TextualBody", "purpose": "tagging", "value": "troops"} in (
        event_item["body"]
    )
    assessing = next(b for b in event_item["body"] if b["purpose"] == "assessing")
    assert "Admiralty grade B2" in assessing["value"]


def test_exports_are_for_analysts_only(client, desk):
    assert client.get(reverse("annotations:annotations_export_csv")).status_code == 302
    client.force_login(make_viewer())
    assert (
        client.get(reverse("annotations:annotations_export_jsonld")).status_code == 403
    )


def test_export_with_a_bad_filter_is_a_400(client, desk):
    client.force_login(desk["a"])
    response = client.get(
        reverse("annotations:annotations_export_csv"), {"created_after": "nope"}
    )
    assert response.status_code == 400
    assert "Check the filters." in response.content.decode()


def test_workspace_shows_notes_sanitised_as_the_event_page_does(client, desk):
    note = desk["notes"]["event"]
    note.body = "**matches** <script>alert(1)</script>"
    note.body_format = "markdown"
    note.save()
    client.force_login(desk["a"])
    html = client.get(reverse("annotations:workspace")).content.decode()
    assert "<strong>matches</strong>" in html
    assert "**matches**" not in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" not in html


def test_workspace_date_boxes_each_have_a_label(client, desk):
    client.force_login(desk["a"])
    html = client.get(reverse("annotations:workspace")).content.decode()
    assert '<label for="id_created_after">Written from:</label>' in html
    assert '<label for="id_created_before">Written until:</label>' in html
