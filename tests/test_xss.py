"""Stored XSS: payloads in every editable text are rendered as inert text everywhere."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client

from tests.access_table import ANALYST, probe_targets
from tests.hostile_records import (
    ESCAPED,
    PAYLOAD,
    inertness_problems,
    make_hostile_records,
)

pytestmark = pytest.mark.django_db


def list_pages_for(role):
    """Every probed GET view the role may use that needs no URL argument."""
    return [
        view.name
        for view, entry in probe_targets()
        if role in entry.allowed and "GET" in entry.methods and not view.kwargs
    ]


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    if not response["Content-Type"].startswith("text/html"):
        return None
    return response.content.decode()


def test_the_checker_catches_live_script():
    assert inertness_problems(PAYLOAD)
    assert inertness_problems('<a href=" JavaScript:alert(1)">x</a>')
    assert not inertness_problems('<script src="/static/htmx.min.js" defer></script>')


@pytest.mark.parametrize("record", ["event", "actor", "quote", "source"])
def test_payloads_on_a_detail_page_are_shown_as_text(client, record):
    records = make_hostile_records()
    html = html_of(client, records[record].get_absolute_url())
    assert ESCAPED in html
    assert inertness_problems(html) == []


def test_payloads_on_the_timeline_and_every_public_list_are_inert(client):
    from django.urls import reverse

    make_hostile_records()
    for name in list_pages_for("anonymous"):
        html = html_of(client, reverse(name))
        if html is not None:
            assert inertness_problems(html) == [], name
    assert ESCAPED in html_of(client, reverse("crisis:timeline"))


def test_a_javascript_source_url_is_never_linked(client):
    records = make_hostile_records()
    html = html_of(client, records["source"].get_absolute_url())
    assert "javascript:" not in html


@pytest.mark.parametrize(
    "model", ["event", "actor", "quote", "source", "citation", "tag"]
)
def test_payloads_in_the_admin_are_inert(admin_client, model):
    records = make_hostile_records()
    html = html_of(admin_client, f"/admin/crisis/{model}/")
    assert ESCAPED in html
    assert inertness_problems(html) == []
    if model in records:
        change = f"/admin/crisis/{model}/{records[model].pk}/change/"
        assert inertness_problems(html_of(admin_client, change)) == []


ANNOTATION_MARKER = "Annotation by the analyst "


def annotation_model():
    try:
        return apps.get_model("crisis", "Annotation")
    except LookupError:
        return None


def make_hostile_annotation(model, author, records):
    """Fill every required field: texts with the payload, links with hostile records."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.choices:
            values[field.name] = field.choices[0][0]
        elif isinstance(field, models.ForeignKey):
            target = field.related_model
            if target is get_user_model():
                values[field.name] = author
            else:
                matching = [r for r in records.values() if isinstance(r, target)]
                if not matching:
                    pytest.fail(
                        f"Annotation.{field.name}: no hostile {target.__name__}"
                    )
                values[field.name] = matching[0]
        elif isinstance(field, models.CharField | models.TextField):
            values[field.name] = (ANNOTATION_MARKER + PAYLOAD)[
                : field.max_length or None
            ]
        else:
            pytest.fail(f"Annotation.{field.name}: teach this test to fill it")
    for field in model._meta.concrete_fields:
        # Optional links still point at the hostile event, so it shows there.
        if isinstance(field, models.ForeignKey) and field.name not in values:
            matching = [
                r for r in records.values() if isinstance(r, field.related_model)
            ]
            if matching:
                values[field.name] = matching[0]
    return model.objects.create(**values)


def test_annotation_bodies_are_inert_where_they_appear(role_users):
    model = annotation_model()
    if model is None:
        pytest.skip("No Annotation model on this branch yet; this runs once it exists.")
    from django.urls import reverse

    records = make_hostile_records()
    author = role_users[ANALYST]
    make_hostile_annotation(model, author, records)
    client = Client()
    client.force_login(author)
    urls = [reverse(name) for name in list_pages_for(ANALYST)]
    urls += [record.get_absolute_url() for record in records.values()]
    shown = False
    for url in urls:
        html = html_of(client, url)
        if html is None:
            continue
        assert inertness_problems(html) == [], url
        shown = shown or ANNOTATION_MARKER in html
    assert shown, "the annotation appears on none of its author's pages"
