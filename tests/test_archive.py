"""Backup and restore: the round trip is exact, and bad archives are refused unwritten."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import CommandError, call_command

from crisis.archive import (
    FORMAT,
    _checksum,
    _signature,
    archived_models,
    database_is_empty,
    dump_objects,
)
from crisis.models import Event
from tests.factories import make_event

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def populated(seeded):
    """The seed, plus an editor in a group who has edited an event (in its history)."""
    editors = Group.objects.create(name="Editors of record")
    editors.permissions.set(Permission.objects.filter(codename__endswith="_event"))
    editor = User.objects.create_user("editor", password="s3cret-pass-phrase")
    editor.groups.add(editors)
    event = Event.objects.published().first()
    event.title = "Edited by an editor"
    event._history_user = editor
    event.save()
    return editor


def export(path):
    call_command("export_archive", str(path), stdout=StringIO())
    return json.loads(path.read_text())


def wipe():
    for model in reversed(archived_models()):
        model._default_manager.all().delete()
    assert database_is_empty()


def import_(path, *args):
    out = StringIO()
    call_command("import_archive", str(path), "--yes", *args, stdout=out)
    return out.getvalue()


def rewrite(path, change):
    """Edit an archive and re-seal it with the key, so only the edit itself is wrong."""
    archive = json.loads(path.read_text())
    change(archive)
    archive["checksum"] = _checksum(archive)
    archive["signature"] = _signature(archive)
    path.write_text(json.dumps(archive))


def test_round_trip_into_an_empty_database_is_identical(populated, tmp_path):
    path = tmp_path / "backup.json"
    archive = export(path)
    before = dump_objects()
    assert archive["objects"] == before
    wipe()

    report = import_(path)

    assert dump_objects() == before
    assert f"Imported {len(before)} records" in report
    editor = User.objects.get(username="editor")
    assert editor.check_password("s3cret-pass-phrase")
    assert editor.has_perm("crisis.change_event")
    assert Event.history.filter(history_user=editor).exists()


def test_an_archive_covers_every_crisis_model_with_its_history(populated, tmp_path):
    labels = set(export(tmp_path / "backup.json")["counts"])
    assert {"crisis.event", "crisis.historicalevent", "crisis.quote"} <= labels
    assert {"auth.user", "auth.group"} <= labels


def test_records_added_after_a_restore_get_fresh_ids(populated, tmp_path):
    path = tmp_path / "backup.json"
    export(path)
    highest = Event.objects.order_by("-pk").first().pk
    wipe()
    import_(path)
    assert make_event().pk > highest


def assert_refused(path, message):
    with pytest.raises(CommandError) as refusal:
        import_(path)
    assert "nothing was written" in str(refusal.value)
    assert message in str(refusal.value)
    assert database_is_empty()


@pytest.fixture
def archive_path(populated, tmp_path):
    path = tmp_path / "backup.json"
    export(path)
    wipe()
    return path


def test_invalid_json_is_refused(archive_path):
    archive_path.write_text("{not json")
    assert_refused(archive_path, "is not valid JSON")


def test_a_truncated_archive_is_refused(archive_path):
    raw = archive_path.read_bytes()
    archive_path.write_bytes(raw[: len(raw) * 2 // 3])
    assert_refused(archive_path, "damaged or truncated")


def test_a_changed_archive_fails_its_checksum(archive_path):
    archive = json.loads(archive_path.read_text())
    archive["objects"][-1]["fields"]["title"] = "Tampered"
    archive_path.write_text(json.dumps(archive))
    assert_refused(archive_path, "fails its checksum")


def test_another_format_is_refused(archive_path):
    rewrite(archive_path, lambda archive: archive.update(format="something-else"))
    assert_refused(archive_path, "is not a Crisis Timeline archive")


def test_another_version_is_refused(archive_path):
    rewrite(archive_path, lambda archive: archive.update(version=99))
    assert_refused(archive_path, "archive format version 99")


def test_another_migration_state_is_refused(archive_path):
    def older_schema(archive):
        archive["migrations"]["crisis"] = archive["migrations"]["crisis"][:-1]

    rewrite(archive_path, older_schema)
    assert_refused(archive_path, "different database schema")


def test_an_unknown_record_type_is_refused(archive_path):
    def foreign_record(archive):
        archive["objects"].append({"model": "auth.permission", "pk": 1, "fields": {}})
        archive["counts"]["auth.permission"] = 1

    rewrite(archive_path, foreign_record)
    assert_refused(archive_path, "unknown type 'auth.permission'")


def test_counts_that_disagree_with_the_records_are_refused(archive_path):
    rewrite(archive_path, lambda archive: archive["objects"].pop())
    assert_refused(archive_path, "counts do not match")


def test_a_record_failing_to_save_midway_leaves_nothing_written(archive_path):
    def duplicate_slug(archive):
        event = next(o for o in archive["objects"] if o["model"] == "crisis.event")
        archive["objects"].append({**event, "pk": 999_999})
        archive["counts"]["crisis.event"] += 1

    rewrite(archive_path, duplicate_slug)
    assert_refused(archive_path, "could not be loaded")


def test_a_non_empty_database_is_refused_without_force(populated, tmp_path):
    path = tmp_path / "backup.json"
    export(path)
    with pytest.raises(CommandError, match="already holds data"):
        import_(path)


def test_force_replaces_what_the_database_holds(populated, tmp_path):
    path = tmp_path / "backup.json"
    export(path)
    before = dump_objects()
    make_event(title="Added after the backup")
    import_(path, "--force")
    assert dump_objects() == before


@pytest.mark.slow
def test_round_trip_between_two_fresh_databases_through_the_commands(tmp_path):
    def manage(database, *args):
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / database}"}
        env.pop("DJANGO_ENV", None)
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return result.stdout

    manage("first.sqlite3", "migrate", "--noinput")
    manage("first.sqlite3", "load_seed")
    manage("first.sqlite3", "export_archive", str(tmp_path / "first.json"))
    manage("second.sqlite3", "migrate", "--noinput")
    manage("second.sqlite3", "import_archive", str(tmp_path / "first.json"), "--yes")
    manage("second.sqlite3", "export_archive", str(tmp_path / "second.json"))

    first = json.loads((tmp_path / "first.json").read_text())
    second = json.loads((tmp_path / "second.json").read_text())
    assert first["format"] == FORMAT
    assert second["objects"] == first["objects"]
    assert second["counts"] == first["counts"]


# Signature, privileges, duplicates, field lengths and the admin log


def records(archive, model):
    return [obj for obj in archive["objects"] if obj["model"] == model]


def make_viewer_superuser(archive):
    viewer = next(
        obj
        for obj in records(archive, "auth.user")
        if obj["fields"]["username"] == "viewer"
    )
    viewer["fields"].update(is_superuser=True, is_staff=True)


@pytest.fixture
def with_viewer(populated):
    User.objects.create_user("viewer", password="just-reading-here")


def test_an_edited_and_rechecksummed_archive_making_a_viewer_superuser_is_refused(
    with_viewer, tmp_path
):
    """Whoever can edit the file can recompute its SHA-256, but not its HMAC."""
    path = tmp_path / "backup.json"
    export(path)
    wipe()
    archive = json.loads(path.read_text())
    make_viewer_superuser(archive)
    archive["checksum"] = _checksum(archive)
    path.write_text(json.dumps(archive))
    assert_refused(path, "wrong signature")
    assert not User.objects.filter(is_superuser=True).exists()


def test_an_archive_signed_with_another_key_is_refused(archive_path, settings):
    settings.ARCHIVE_KEY = "another deployment's key"
    assert_refused(archive_path, "wrong signature")


def test_an_unsigned_archive_is_refused_unless_allowed(archive_path):
    archive = json.loads(archive_path.read_text())
    del archive["signature"]
    archive_path.write_text(json.dumps(archive))
    assert_refused(archive_path, "is not signed")
    import_(archive_path, "--allow-unsigned")
    assert User.objects.filter(username="editor").exists()


def restore_over(path, *args):
    """import_archive --force without --yes, its output and refusal if any."""
    out = StringIO()
    try:
        call_command("import_archive", str(path), "--force", *args, stdout=out)
    except CommandError as error:
        return out.getvalue(), str(error)
    return out.getvalue(), None


def test_a_restore_shows_the_privileges_it_grants_and_waits_for_a_yes(
    with_viewer, tmp_path
):
    path = tmp_path / "backup.json"
    export(path)
    rewrite(path, make_viewer_superuser)
    output, refusal = restore_over(path)
    assert "user viewer: becomes a superuser" in output
    assert "user viewer: gains staff status" in output
    assert "not confirmed" in refusal
    assert not User.objects.get(username="viewer").is_superuser

    with mock.patch("sys.stdin.isatty", return_value=True):
        with mock.patch("builtins.input", return_value="n"):
            assert "not confirmed" in restore_over(path)[1]
        assert not User.objects.get(username="viewer").is_superuser
        with mock.patch("builtins.input", return_value="y"):
            assert restore_over(path)[1] is None
    assert User.objects.get(username="viewer").is_superuser


def test_a_restore_granting_nothing_new_needs_no_confirmation(populated, tmp_path):
    path = tmp_path / "backup.json"
    export(path)
    output, refusal = restore_over(path)
    assert refusal is None
    assert "privileges" not in output


def test_group_changes_are_shown(with_viewer, tmp_path):
    path = tmp_path / "backup.json"
    export(path)

    def viewer_joins_editors(archive):
        viewer = next(
            obj
            for obj in records(archive, "auth.user")
            if obj["fields"]["username"] == "viewer"
        )
        viewer["fields"]["groups"].append(["Editors of record"])

    rewrite(path, viewer_joins_editors)
    output, refusal = restore_over(path)
    assert "user viewer: joins Editors of record" in output
    assert refusal


def test_duplicate_ids_are_refused(archive_path):
    def duplicate_event(archive):
        event = records(archive, "crisis.event")[0]
        archive["objects"].append(
            {**event, "fields": {**event["fields"], "slug": "another"}}
        )
        archive["counts"]["crisis.event"] += 1

    rewrite(archive_path, duplicate_event)
    assert_refused(archive_path, "repeats crisis.event id")


def test_a_field_longer_than_its_column_is_refused_on_every_database(archive_path):
    """SQLite stores a 61-character tag name in a 60-character column without a word."""

    def long_tag(archive):
        records(archive, "crisis.tag")[0]["fields"]["name"] = "x" * 61

    rewrite(archive_path, long_tag)
    assert_refused(archive_path, "at most 60 characters")


def test_the_admin_action_log_is_archived_and_restored(populated, tmp_path):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    event = Event.objects.first()
    LogEntry.objects.create(
        user=populated,
        content_type=ContentType.objects.get_for_model(Event),
        object_id=str(event.pk),
        object_repr=str(event),
        action_flag=CHANGE,
        change_message="Changed title.",
    )
    path = tmp_path / "backup.json"
    archive = export(path)
    assert archive["counts"]["admin.logentry"] == 1
    wipe()
    assert not LogEntry.objects.exists()
    import_(path)
    entry = LogEntry.objects.get()
    assert (entry.user.username, entry.object_id) == ("editor", str(event.pk))
    assert entry.change_message == "Changed title."


def test_search_finds_restored_events_by_their_actors(populated, tmp_path):
    """The search document is derived, not archived: the database rebuilds it on load."""
    from crisis.search import search_events

    path = tmp_path / "backup.json"
    assert "search_vector" not in json.dumps(export(path)["objects"])
    wipe()
    import_(path)
    found = search_events(Event.objects.all(), "Michel")
    assert found.filter(slug="zelenskyy-urges-eu-unity-to-michel").exists()
