import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from crisis.models import Actor, Event, Status
from tests.factories import make_actor, make_event

pytestmark = pytest.mark.django_db

ACTORS_CSV = (
    "slug,name,kind,title,country,aliases,description\n"
    "olaf-scholz,Olaf Scholz,person,Chancellor of Germany,DE,Olf Scholz,\n"
    "nato,NATO,alliance,,,North Atlantic Treaty Organization,\n"
)
BAD_ACTORS_CSV = ACTORS_CSV + "wizard,The Wizard,wizard,,,,\n"

EVENTS_CSV = (
    "slug,title,summary,start_date,end_date,date_precision,category,countries,place,"
    "importance,tags,status\n"
    'talks-geneva,Talks in Geneva,They met.,2022-01-21,,day,diplomacy,"US,RU",Geneva,'
    "3,,published\n"
    "troops-alert,Troops on alert,8500 troops.,2022-01-24,,day,military,US,,2,,draft\n"
)


def _format_index(response, title):
    choices = response.context["form"].fields["format"].choices
    return next(value for value, label in choices if label == title)


def _preview(client, model_name, content, filename="data.csv", title="csv"):
    url = reverse(f"admin:crisis_{model_name}_import")
    page = client.get(url)
    return client.post(
        url,
        {
            "resource": "0",
            "format": _format_index(page, title),
            "import_file": SimpleUploadedFile(filename, content.encode()),
        },
    )


def _confirm(client, model_name, preview):
    return client.post(
        reverse(f"admin:crisis_{model_name}_process_import"),
        preview.context["confirm_form"].initial,
        follow=True,
    )


def test_a_valid_file_is_previewed_without_writing_then_imported(admin_client):
    preview = _preview(admin_client, "actor", ACTORS_CSV)
    assert preview.status_code == 200
    assert "Olaf Scholz" in preview.content.decode()
    assert not Actor.objects.exists()  # the preview is a dry run
    _confirm(admin_client, "actor", preview)
    assert set(Actor.objects.values_list("slug", flat=True)) == {"olaf-scholz", "nato"}
    scholz = Actor.objects.get(slug="olaf-scholz")
    assert scholz.history.count() == 1


def test_a_file_with_one_bad_row_imports_nothing_and_reports_that_row(admin_client):
    preview = _preview(admin_client, "actor", BAD_ACTORS_CSV)
    text = preview.content.decode()
    assert "Some rows failed to validate" in text
    assert "Value &#x27;wizard&#x27; is not a valid choice." in text
    assert [row.number for row in preview.context["result"].invalid_rows] == [3]
    assert 'action="/admin/crisis/actor/process_import/"' not in text  # no confirm
    assert not Actor.objects.exists()


def test_confirming_a_file_whose_rows_went_bad_still_writes_nothing(admin_client):
    preview = _preview(admin_client, "actor", ACTORS_CSV)
    form = preview.context["confirm_form"].initial
    # The stored file changes between preview and confirmation.
    TempFolderStorage(name=form["import_file_name"], encoding="utf-8").save(
        BAD_ACTORS_CSV
    )
    admin_client.post(reverse("admin:crisis_actor_process_import"), form)
    assert not Actor.objects.exists()


def test_imported_events_arrive_as_drafts_with_countries(admin_client):
    preview = _preview(admin_client, "event", EVENTS_CSV)
    assert not preview.context["result"].has_validation_errors()
    _confirm(admin_client, "event", preview)
    talks = Event.objects.get(slug="talks-geneva")
    assert talks.status == Status.DRAFT
    assert [country.code for country in talks.countries] == ["RU", "US"] or [
        country.code for country in talks.countries
    ] == ["US", "RU"]
    assert Event.objects.count() == 2


def test_an_event_row_ending_before_it_starts_is_reported(admin_client):
    bad = EVENTS_CSV + (
        "backwards,Backwards,Oops.,2022-01-24,2022-01-20,day,military,,,2,,draft\n"
    )
    preview = _preview(admin_client, "event", bad)
    assert "The end date cannot be before the start date." in preview.content.decode()
    assert [row.number for row in preview.context["result"].invalid_rows] == [3]
    assert not Event.objects.exists()


def test_json_import_works_too(admin_client):
    rows = [{"slug": "kremlin", "name": "Kremlin", "kind": "office"}]
    preview = _preview(
        admin_client, "actor", json.dumps(rows), filename="actors.json", title="json"
    )
    _confirm(admin_client, "actor", preview)
    assert Actor.objects.get(slug="kremlin").kind == "office"


def test_events_export_with_their_actors(admin_client):
    actor = make_actor(name="Exported Actor")
    make_event(title="Exported event", actors=[actor])
    url = reverse("admin:crisis_event_export")
    page = admin_client.get(url)
    columns = [name for name in page.context["form"].fields if "resource_" in name]
    response = admin_client.post(
        url,
        {
            "resource": "0",
            "format": _format_index(page, "csv"),
            "export_items": [
                str(pk) for pk in Event.objects.values_list("pk", flat=True)
            ],
            **dict.fromkeys(columns, "on"),
        },
    )
    text = response.content.decode()
    assert "Exported event" in text
    assert "Exported Actor (participant)" in text
