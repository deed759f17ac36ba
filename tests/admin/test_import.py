import csv
import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.tmp_storages import TempFolderStorage

from crisis.event_columns import COLUMNS
from crisis.models import Actor, Citation, Event, EventActor, Status, Tag
from tests.factories import (
    SOURCE_TEXT,
    event_facts,
    make_actor,
    make_event,
    make_source,
)

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


def _admin_export(client, title="csv", ids=None):
    """Every event (or those ``ids``) through the admin's export page, all columns."""
    if ids is None:
        ids = Event.objects.values_list("pk", flat=True)
    url = reverse("admin:crisis_event_export")
    page = client.get(url)
    columns = [name for name in page.context["form"].fields if "resource_" in name]
    return client.post(
        url,
        {
            "resource": "0",
            "format": _format_index(page, title),
            "export_items": [str(pk) for pk in ids],
            **dict.fromkeys(columns, "on"),
        },
    )


def _records(content):
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return {
        row["slug"]: row
        for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    }


@pytest.fixture
def cited_events():
    scholz = make_actor(name="Olaf Scholz", slug="olaf-scholz")
    nato = make_actor(name="NATO", slug="nato")
    source = make_source(slug="wire", text=SOURCE_TEXT + "\nA second line.")
    talks = make_event(
        title='=HYPERLINK("http://evil.example","click")',
        slug="talks",
        summary="-5 degrees in Paris; “calm”, he said.",
        countries=["FR", "UA"],
        actors=[scholz],
        source=source,
        excerpt="Wednesday. “We want calm,”",
        place="@Paris",
    )
    EventActor.objects.create(event=talks, actor=nato, role="target")
    Citation.objects.create(
        event=talks, source=source, excerpt="tumbled.\nA second line."
    )
    talks.tags.add(Tag.objects.create(name="Peace talks", slug="talks"))
    make_event(
        title="Crimea",
        slug="crimea",
        start_date=datetime.date(2014, 1, 1),
        end_date=datetime.date(2015, 1, 1),
        date_precision="year",
        category="background",
        actors=[nato],
        status="draft",
    )


def test_the_admin_export_has_the_public_exports_columns_and_values(
    admin_client, cited_events
):
    """One schema: every event, the admin's CSV and the public CSV say the same."""
    admin_rows = _records(_admin_export(admin_client).content)
    public_rows = _records(admin_client.get("/export/events.csv").getvalue())
    assert list(next(iter(admin_rows.values()))) == list(COLUMNS)
    assert admin_rows == public_rows
    talks = admin_rows["talks"]
    assert talks["actors"] == "olaf-scholz:participant; nato:target"
    assert talks["countries"] == "FR; UA"
    assert talks["tags"] == "talks"
    assert talks["citations"] == (
        "wire: Wednesday. “We want calm,”\nwire: tumbled.\\nA second line."
    )


def test_the_admin_csv_export_neutralises_formulas(admin_client, cited_events):
    talks = _records(_admin_export(admin_client).content)["talks"]
    assert talks["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert talks["summary"] == "'-5 degrees in Paris; “calm”, he said."
    assert talks["place"] == "'@Paris"


def test_the_admin_json_export_is_not_neutralised(admin_client, cited_events):
    records = json.loads(_admin_export(admin_client, "json").content)
    assert {r["slug"]: r["title"] for r in records}["talks"].startswith("=HYPERLINK")


@pytest.mark.parametrize("exporter", ["public", "admin"])
def test_every_event_exported_imports_back_into_an_empty_database(
    admin_client, cited_events, exporter
):
    """Round trip: events, links and citations deleted, actors, tags, sources kept."""
    if exporter == "public":
        content = admin_client.get("/export/events.csv").getvalue()
    else:
        content = _admin_export(admin_client).content
    before = {event.slug: event_facts(event) for event in Event.objects.all()}
    Event.objects.all().delete()
    assert not Citation.objects.exists() and not EventActor.objects.exists()

    preview = _preview(admin_client, "event", content.decode("utf-8"))
    assert not preview.context["result"].has_errors()
    assert not preview.context["result"].has_validation_errors()
    assert "olaf-scholz:participant; nato:target" in preview.content.decode()
    assert not Event.objects.exists()  # a dry run
    _confirm(admin_client, "event", preview)
    after = {event.slug: event_facts(event) for event in Event.objects.all()}
    assert after == before
    assert set(Event.objects.values_list("status", flat=True)) == {Status.DRAFT}


def test_importing_the_same_file_again_changes_nothing(admin_client, cited_events):
    content = _admin_export(admin_client).content.decode("utf-8")
    versions = dict(Event.objects.values_list("slug", "version"))
    preview = _preview(admin_client, "event", content)
    assert preview.context["result"].totals["skip"] == 2
    _confirm(admin_client, "event", preview)
    assert dict(Event.objects.values_list("slug", "version")) == versions


def test_an_import_replaces_the_actors_of_an_existing_event(admin_client, cited_events):
    content = _admin_export(admin_client).content.decode("utf-8")
    content = content.replace("olaf-scholz:participant; nato:target", "nato:initiator")
    _confirm(admin_client, "event", _preview(admin_client, "event", content))
    talks = Event.objects.get(slug="talks")
    assert list(talks.event_actors.values_list("actor__slug", "role")) == [
        ("nato", "initiator")
    ]


def _event_row(**cells):
    row = {
        "slug": "new-event",
        "title": "New event",
        "summary": "It happened.",
        "start_date": "2022-01-21",
        "date_precision": "day",
        "category": "diplomacy",
        "importance": "2",
        "actors": "",
        "citations": "",
        **cells,
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row))
    writer.writeheader()
    writer.writerow({**row, **dict.fromkeys(cells, ""), "slug": "fine"})
    writer.writerow(row)
    return out.getvalue()


@pytest.mark.parametrize(
    "cells, message",
    [
        (
            {"actors": "xyz:initiator"},
            "Row 2: actor &#x27;xyz&#x27; does not exist — add it under Actors first "
            "or fix the slug",
        ),
        (
            {"citations": "no-such-source: Leaders met"},
            "Row 2: source &#x27;no-such-source&#x27; does not exist — add it under "
            "Sources first or fix the slug",
        ),
        (
            {"tags": "no-such-tag"},
            "Row 2: tag &#x27;no-such-tag&#x27; does not exist — add it under Tags "
            "first or fix the slug",
        ),
        (
            {"actors": "olaf-scholz:boss"},
            "Row 2: actor &#x27;olaf-scholz&#x27; has the role &#x27;boss&#x27;",
        ),
        (
            {"citations": "wire: words the source never printed"},
            "Row 2: This excerpt was not found in the source",
        ),
    ],
    ids=["actor", "source", "tag", "role", "excerpt"],
)
def test_a_row_naming_what_does_not_exist_says_which_row_and_what_to_do(
    admin_client, cited_events, cells, message
):
    preview = _preview(admin_client, "event", _event_row(**cells))
    assert message in preview.content.decode()
    assert [row.number for row in preview.context["result"].invalid_rows] == [2]
    assert not Event.objects.filter(slug__in=["fine", "new-event"]).exists()


def test_the_format_menu_offers_importable_formats_csv_first(admin_client):
    for name in ("import", "export"):
        form = admin_client.get(reverse(f"admin:crisis_event_{name}")).context["form"]
        labels = [label for _, label in form.fields["format"].choices]
        assert labels == ["csv", "tsv", "json", "yaml"]
        assert form.fields["format"].initial == "0"


def test_exporting_selected_events_exports_those_only_and_warns_nothing(
    admin_client, cited_events, recwarn
):
    """The "export selected" action posts ids; they are checked against what the admin
    would export (not against a list of every id, the library's deprecated default)."""
    talks = Event.objects.get(slug="talks")
    response = _admin_export(admin_client, ids=[talks.pk])
    assert list(_records(response.content)) == ["talks"]
    assert not [w for w in recwarn if issubclass(w.category, DeprecationWarning)]

    missing = Event.objects.order_by("-pk").first().pk + 1
    refused = _admin_export(admin_client, ids=[talks.pk, missing, "x"])
    assert refused.status_code == 200
    assert "export_items" in refused.context["form"].errors


def test_admin_export_query_count_is_fixed(admin_client, django_assert_max_num_queries):
    """Guards against N+1 queries in the admin's export: the same for 2 or 30 events."""
    for _ in range(2):
        make_event(countries=["UA"])
    with django_assert_max_num_queries(40) as few:
        _admin_export(admin_client)
    for _ in range(28):
        make_event(countries=["UA"]).tags.add(
            Tag.objects.get_or_create(name="t", slug="t")[0]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = _admin_export(admin_client)
    assert len(_records(response.content)) == 30


def test_an_import_cannot_leave_a_published_event_without_actors(
    admin_client, cited_events
):
    content = _admin_export(admin_client).content.decode("utf-8")
    content = content.replace("olaf-scholz:participant; nato:target", "")
    preview = _preview(admin_client, "event", content)
    assert "has no actor — a published event needs both" in preview.content.decode()
    assert Event.objects.get(slug="talks").event_actors.count() == 2


def test_the_import_page_lists_only_the_columns_it_reads(admin_client):
    page = admin_client.get(reverse("admin:crisis_event_import"))
    ((_, columns),) = page.context["fields_list"]
    assert "actors" in columns and "citations" in columns
    assert "url" not in columns and "quote_count" not in columns
    export_page = admin_client.get(reverse("admin:crisis_event_export"))
    ((_, exported),) = export_page.context["fields_list"]
    assert exported == list(COLUMNS)
