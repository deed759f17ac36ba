"""The admin as editors use it all day: buttons, search ranking, widgets, dates, pages."""

import pytest
from django.urls import reverse

from crisis.models import Source
from tests.factories import make_actor, make_event

pytestmark = pytest.mark.django_db


def _autocomplete(client, term):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": term,
            "app_label": "crisis",
            "model_name": "eventactor",
            "field_name": "actor",
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_event_list_shows_import_and_export_once(admin_client):
    text = admin_client.get(reverse("admin:crisis_event_changelist")).content.decode()
    assert text.count('class="import_link"') == 1
    assert text.count('class="export_link"') == 1
    assert text.count("Deleted events") == 1


def test_actor_autocomplete_puts_the_exact_name_first(admin_client):
    make_actor(name="Armed Forces of Russia")
    make_actor(name="Central Bank of Russia", aliases="Bank of Russia")
    make_actor(name="Russia", aliases="Moscow\nRussian Federation")
    assert _autocomplete(admin_client, "Russia")[0] == "Russia"
    assert _autocomplete(admin_client, "russia")[0] == "Russia"


def test_actor_autocomplete_puts_an_exact_alias_before_partial_names(admin_client):
    make_actor(name="Bank of Russia Museum")
    make_actor(
        name="Central Bank of Russia", aliases="the central bank\nBank of Russia"
    )
    assert _autocomplete(admin_client, "Bank of Russia")[0] == "Central Bank of Russia"


def test_event_countries_and_tags_are_filterable_lists(admin_client):
    text = admin_client.get(reverse("admin:crisis_event_add")).content.decode()
    assert 'name="countries"' in text
    assert text.count('class="selectfilter"') == 2  # countries and tags


def test_event_slug_is_prepopulated_from_the_title(admin_client):
    text = admin_client.get(reverse("admin:crisis_event_add")).content.decode()
    assert "django-admin-prepopulated-fields-constants" in text
    assert "&quot;#id_title&quot;" in text


def test_admin_dates_are_iso_in_forms_and_lists(admin_client):
    event = make_event(title="Talks")
    page = admin_client.get(reverse("admin:crisis_event_change", args=[event.pk]))
    assert 'value="2022-01-24"' in page.content.decode()
    listing = admin_client.get(reverse("admin:crisis_event_changelist"))
    assert "2022-01-24" in listing.content.decode()
    assert "24/01/2022" not in listing.content.decode()


def test_history_page_has_no_inline_style_and_never_says_none(admin_client):
    event = make_event()
    event.title = "Renamed"
    event.save()
    text = admin_client.get(
        reverse("admin:crisis_event_history", args=[event.pk])
    ).content.decode()
    assert "style=" not in text
    assert ">None<" not in text and "None\n" not in text
    assert "—" in text


def test_source_page_lists_cited_passages_read_only_and_stays_small(
    admin_client, seeded
):
    source = max(Source.objects.all(), key=lambda source: source.citations.count())
    assert source.citations.count() > 10
    response = admin_client.get(reverse("admin:crisis_source_change", args=[source.pk]))
    text = response.content.decode()
    assert len(response.content) < 120_000
    assert text.count('class="passages-cited"') == 1
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "citations"
    )
    assert formset.initial_form_count() == 0  # existing passages are not editable here
    first = source.citations.first()
    assert reverse("admin:crisis_citation_change", args=[first.pk]) in text


def test_admin_pages_load_their_own_stylesheet(admin_client):
    text = admin_client.get(reverse("admin:index")).content.decode()
    assert "crisis/css/admin.css" in text
    assert "crisis/favicon.svg" in text
