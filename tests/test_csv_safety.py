"""Formula injection: every CSV the app writes neutralises cells a spreadsheet would run."""

import csv
import io

import pytest
from django.urls import reverse

from crisis.csv_safety import FORMULA_STARTS, neutralise_cell, restore_cell
from tests.factories import make_analyst, make_annotation, make_event

DANGEROUS = [f'{start}HYPERLINK("http://evil.example")' for start in FORMULA_STARTS]


@pytest.mark.parametrize("value", DANGEROUS, ids=repr)
def test_a_cell_starting_like_a_formula_gets_an_apostrophe(value):
    assert neutralise_cell(value) == f"'{value}"


@pytest.mark.parametrize(
    "value", ["plain", "", "'", "'=x", "''", "it's", "2022-01-21", 3, *DANGEROUS]
)
def test_restore_gives_back_exactly_what_was_neutralised(value):
    assert restore_cell(neutralise_cell(value)) == str(value)


def test_restore_leaves_an_apostrophe_it_did_not_add():
    assert restore_cell("'quoted'") == "'quoted'"


@pytest.mark.django_db
def test_the_public_csv_neutralises_formulas_for_anonymous_readers(client):
    make_event(
        title='=HYPERLINK("http://evil.example","click")',
        summary="+1 more",
        place="@home",
        slug="evil",
    )
    body = client.get("/export/events.csv").getvalue().decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(body))
    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["summary"] == "'+1 more"
    assert row["place"] == "'@home"


@pytest.mark.django_db
@pytest.mark.parametrize("start", FORMULA_STARTS, ids=repr)
def test_the_annotation_csv_neutralises_every_formula_start(client, start):
    analyst = make_analyst()
    make_annotation(author=analyst, body=f"{start}cmd|' /C calc'!A0")
    client.force_login(analyst)
    content = client.get(reverse("annotations:annotations_export_csv")).content.decode()
    (row,) = csv.DictReader(io.StringIO(content))
    assert row["body"] == f"'{start}cmd|' /C calc'!A0"
