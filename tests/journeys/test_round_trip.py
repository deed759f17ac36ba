"""Round trip: an editor exports every event and imports the file into an empty database.

"Empty" means the facts are gone: events, their actor links and citations, and quotes
(with their citations) are deleted, while actors, tags and sources stay. Those are the
vocabulary an event row names by slug (the import looks them up and refuses a row naming
one that does not exist), and are exported and imported on their own pages. Facts are
compared field by field with what was exported.
"""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command

from crisis.models import Citation, Event, EventActor, Quote
from tests.factories import event_facts, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _all_facts():
    return {event.slug: event_facts(event) for event in Event.objects.all()}


def test_every_event_exported_from_the_admin_imports_back_the_same(visitor, tmp_path):
    call_command("load_seed", stdout=StringIO())
    make_user("Editor", username="editor")
    exported = _all_facts()
    assert any(facts["precision"] == "year" for facts in exported.values())

    editor = visitor()
    editor.sign_in_to_admin("editor", next_path="/admin/crisis/event/")
    page = editor.page
    page.get_by_role("link", name="Export").first.click()
    editor.check()
    assert page.get_by_label("Format").input_value() == "0"  # CSV, not "---"
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    path = tmp_path / "events.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert sorted(row["slug"] for row in rows) == sorted(exported)

    Quote.objects.all().delete()
    Event.objects.all().delete()
    assert not (Event.objects.exists() or Citation.objects.exists())
    assert not EventActor.objects.exists()

    editor.goto("/admin/crisis/event/")
    page.get_by_role("link", name="Import").first.click()
    editor.check()
    page.get_by_label("File to import").set_input_files(path)
    assert page.get_by_label("Format").input_value() == "0"
    page.get_by_role("button", name="Submit").click()
    editor.check()
    # The dry run shows every row as new, with its actors, and writes nothing.
    preview = page.locator("table.import-preview")
    assert preview.get_by_text("New", exact=True).count() == len(rows)
    some = rows[0]
    assert preview.get_by_text(some["title"], exact=False).count() >= 1
    assert not Event.objects.exists()

    page.get_by_role("button", name="Confirm import").click()
    page.wait_for_url("**/admin/crisis/event/")
    editor.check()
    assert page.get_by_text(f"{len(rows)} new").count() >= 1

    imported = _all_facts()
    assert imported.keys() == exported.keys()
    for slug, facts in exported.items():
        for name, value in facts.items():
            assert imported[slug][name] == value, f"{slug}: {name}"
