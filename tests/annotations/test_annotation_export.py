"""The W3C Web Annotation export, expanded by a JSON-LD processor (PyLD) against a local
copy of the W3C context: what a consumer of the file would understand from it."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from pyld import jsonld

from annotations.exports import W3C_CONTEXT
from annotations.models import Visibility
from tests.factories import (
    make_analyst,
    make_annotation,
    make_event,
    make_source,
    make_team,
)

pytestmark = pytest.mark.django_db

OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
CONTEXT_FILE = Path(settings.BASE_DIR) / "annotations" / "jsonld" / "anno.jsonld"


def offline_loader(url, options=None):
    """Serves the W3C context from the project; any other URL fails the test."""
    assert url == W3C_CONTEXT, f"the export needs {url}, which is not vendored"
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXT_FILE.read_text()),
    }


def expand(document):
    return jsonld.expand(document, {"documentLoader": offline_loader})


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture
def desk():
    team = make_team("Kyiv desk")
    anna = make_analyst("anna", teams=[team], first_name="Anna", last_name="K")
    source = make_source(
        title="Wire report", text="Markets fell sharply after the ruble tumbled."
    )
    event = make_event(title="Troops on alert")
    passage = make_annotation(
        author=anna, target=source, body="Plain note", passage="the ruble tumbled"
    )
    graded = make_annotation(
        author=anna,
        target=event,
        body="**Bold** claim <script>alert(1)</script>",
        body_format="markdown",
        source_reliability="B",
        information_credibility="2",
        visibility=Visibility.TEAM,
        team=team,
        tags=["troops"],
    )
    return {"anna": anna, "source": source, "passage": passage, "graded": graded}


def _export(client, desk):
    client.force_login(desk["anna"])
    response = client.get(reverse("annotations:annotations_export_jsonld"))
    assert response.status_code == 200
    return json.loads(response.content)


def _expanded_items(collection):
    [expanded] = expand(collection)
    [first] = expanded["http://www.w3.org/ns/activitystreams#first"]
    [items] = first["http://www.w3.org/ns/activitystreams#items"]
    return {
        item[f"{OA}hasBody"][0]["http://www.w3.org/1999/02/22-rdf-syntax-ns#value"][0][
            "@value"
        ]: item
        for item in items["@list"]
    }


def _value(node, term):
    return node[term][0]["@value"]


def test_export_expands_to_w3c_annotations_with_targets_and_motivations(client, desk):
    items = _expanded_items(_export(client, desk))
    plain = items["Plain note"]
    assert plain["@type"] == [f"{OA}Annotation"]
    assert plain[f"{OA}motivatedBy"] == [{"@id": f"{OA}commenting"}]
    [target] = plain[f"{OA}hasTarget"]
    assert target[f"{OA}hasSource"][0]["@id"].endswith(
        desk["source"].get_absolute_url()
    )
    graded = next(item for key, item in items.items() if key.startswith("<p>"))
    assert graded[f"{OA}motivatedBy"] == [{"@id": f"{OA}assessing"}]
    purposes = {body[f"{OA}hasPurpose"][0]["@id"] for body in graded[f"{OA}hasBody"]}
    assert purposes == {f"{OA}commenting", f"{OA}tagging", f"{OA}assessing"}


def test_creator_has_an_id_and_team_notes_name_their_audience(client, desk):
    items = _expanded_items(_export(client, desk))
    graded = next(item for key, item in items.items() if key.startswith("<p>"))
    [creator] = graded[f"{DCTERMS}creator"]
    assert creator["@id"] == f"urn:crisis-timeline:user:{desk['anna'].pk}"
    assert creator["@type"] == ["http://xmlns.com/foaf/0.1/Person"]
    [audience] = graded["http://schema.org/audience"]
    assert audience["@id"] == f"urn:crisis-timeline:team:{desk['graded'].team_id}"
    assert _value(audience, "http://xmlns.com/foaf/0.1/name") == "Team: Kyiv desk"
    [private] = items["Plain note"]["http://schema.org/audience"]
    assert private["@id"] == creator["@id"]


def test_markdown_body_is_exported_as_sanitised_html_with_its_format(client, desk):
    collection = _export(client, desk)
    items = collection["first"]["items"]
    note = next(i for i in items if i["body"][0]["format"] == "text/html")["body"][0]
    assert note["value"].startswith("<p><strong>Bold</strong> claim")
    assert "<script" not in note["value"]
    plain = next(i for i in items if i["body"][0]["value"] == "Plain note")["body"][0]
    assert plain["format"] == "text/plain"


def test_position_selector_follows_the_passage_after_the_text_changed(client, desk):
    source = desk["source"]
    source.text = "Overnight, in Moscow: " + source.text
    source.save()
    items = _expanded_items(_export(client, desk))
    [target] = items["Plain note"][f"{OA}hasTarget"]
    selectors = {node["@type"][0]: node for node in target[f"{OA}hasSelector"]}
    position = selectors[f"{OA}TextPositionSelector"]
    start, end = int(_value(position, f"{OA}start")), int(_value(position, f"{OA}end"))
    assert source.text[start:end] == "the ruble tumbled"
    assert start != desk["passage"].start
    quote = selectors[f"{OA}TextQuoteSelector"]
    assert _value(quote, f"{OA}exact") == "the ruble tumbled"


def test_position_selector_is_left_out_when_the_passage_is_gone(client, desk):
    source = desk["source"]
    source.text = "Markets recovered."
    source.save()
    items = _expanded_items(_export(client, desk))
    [target] = items["Plain note"][f"{OA}hasTarget"]
    types = [node["@type"][0] for node in target[f"{OA}hasSelector"]]
    assert types == [f"{OA}TextQuoteSelector"]
