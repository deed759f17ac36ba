"""Stored XSS: payloads in every editable text are rendered as inert text everywhere."""

import pytest
from django.test import Client

from annotations.models import BodyFormat
from tests.access_table import ANALYST, probe_targets
from tests.factories import make_annotation
from tests.hostile_records import (
    ESCAPED,
    PAYLOAD,
    inertness_problems,
    make_hostile_records,
)

pytestmark = pytest.mark.django_db


# Fragments that answer only for a target named in the query; the pages of the
# hostile records below show the same annotation block.
NEEDS_A_TARGET = {"annotations:annotation_block", "annotations:annotation_create"}
# Redirects to a static file, which the test client does not serve: not a page.
NOT_A_PAGE = {"favicon"}


def list_pages_for(role):
    """Every probed GET view the role may use that needs no URL argument."""
    return [
        view.name
        for view, entry in probe_targets()
        if role in entry.allowed
        and "GET" in entry.methods
        and not view.kwargs
        and view.name not in NEEDS_A_TARGET | NOT_A_PAGE
    ]


def html_of(client, url):
    response = client.get(url, follow=True)  # e.g. sign-in sends the signed-in home
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


def make_hostile_annotations(author, records):
    """Markdown and plain annotations on the hostile event, quote and source."""
    body = ANNOTATION_MARKER + PAYLOAD + " [x](javascript:alert(1)) ![i](javascript:x)"
    targets = [
        (records["event"], None),
        (records["quote"], None),
        (records["source"], PAYLOAD),  # a source is annotated passage by passage
    ]
    for target, passage in targets:
        for body_format in (BodyFormat.MARKDOWN, BodyFormat.PLAIN):
            make_annotation(
                author=author,
                target=target,
                passage=passage,
                body=body,
                body_format=body_format,
            )


def test_annotation_bodies_are_inert_where_they_appear(role_users):
    from django.urls import reverse

    records = make_hostile_records()
    author = role_users[ANALYST]
    make_hostile_annotations(author, records)
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
