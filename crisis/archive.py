"""Backup and restore: a versioned, checksummed JSON archive of everything we hold.

The archive holds every model of the crisis app (facts, their history, and whatever the
app gains later, such as annotations) plus the groups and users those records refer to.
``import_archive`` validates the whole file before it writes anything, then writes it in
one transaction, so a damaged or mismatched archive leaves the database untouched.
"""

import datetime
import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from crisis.roles import ROLES

FORMAT = "crisis-timeline-archive"
VERSION = 1
MIGRATION_APPS = ("auth", "crisis")
HEADER_KEYS = {"format", "version", "created_at", "migrations", "counts", "objects"}


class ArchiveError(Exception):
    """The archive cannot be written or read; the message says why, for a person."""


@dataclass(frozen=True)
class ImportReport:
    counts: dict

    def lines(self):
        total = sum(self.counts.values())
        yield f"Imported {total} records:"
        for label, count in sorted(self.counts.items()):
            yield f"  {label}: {count}"


def archived_models():
    """Groups, users and every crisis model, each before the models that refer to it.

    Not the event countries: the database derives them from the events it is given.
    """
    user_model = apps.get_model("auth", "User")
    crisis = apps.get_app_config("crisis")
    derived = {apps.get_model("crisis", "EventCountry")}
    return serializers.sort_dependencies(
        [
            (apps.get_app_config("auth"), [Group, user_model]),
            (crisis, [m for m in crisis.get_models() if m not in derived]),
        ],
        allow_cycles=True,
    )


def migration_state():
    """The applied migrations of the archived apps, which fix the archive's shape."""
    applied = MigrationRecorder(connection).applied_migrations()
    return {
        app: sorted(name for app_label, name in applied if app_label == app)
        for app in MIGRATION_APPS
    }


class _ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, but keeping microseconds: history times must survive exactly."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _checksum(archive):
    body = {key: value for key, value in archive.items() if key != "checksum"}
    canonical = json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def dump_objects():
    """Every archived record as Django's serialised dicts, in a stable order."""
    objects = []
    for model in archived_models():
        records = model._default_manager.order_by("pk")
        serialised = serializers.serialize(
            "python", records, use_natural_foreign_keys=True
        )
        objects.extend(json.loads(json.dumps(serialised, cls=_ExactJSONEncoder)))
    return objects


def build_archive():
    objects = dump_objects()
    archive = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "migrations": migration_state(),
        "counts": dict(sorted(Counter(obj["model"] for obj in objects).items())),
        "objects": objects,
    }
    archive["checksum"] = _checksum(archive)
    return archive


def export_archive(path):
    """Write the archive to ``path`` atomically: a crash never leaves half a file."""
    archive = build_archive()
    directory = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, suffix=".partial", delete=False
    ) as partial:
        json.dump(archive, partial, ensure_ascii=False, indent=1)
    os.replace(partial.name, path)
    return archive["counts"]


def read_archive(path):
    """Parse and fully validate an archive; raise ArchiveError on any problem."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise ArchiveError(f"cannot read {path}: {error.strerror}") from error
    try:
        archive = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArchiveError(
            f"{path} is not valid JSON, so it is damaged or truncated ({error})."
        ) from error
    if not isinstance(archive, dict) or archive.get("format") != FORMAT:
        raise ArchiveError(f"{path} is not a Crisis Timeline archive.")
    if archive.get("version") != VERSION:
        raise ArchiveError(
            f"{path} is archive format version {archive.get('version')!r}; "
            f"this version of Crisis Timeline reads version {VERSION}."
        )
    missing = HEADER_KEYS - archive.keys()
    if missing or not isinstance(archive.get("checksum"), str):
        raise ArchiveError(f"{path} lacks {sorted(missing) or ['checksum']}.")
    if archive["checksum"] != _checksum(archive):
        raise ArchiveError(
            f"{path} fails its checksum: it was changed or damaged after export."
        )
    _check_migrations(archive["migrations"])
    _check_objects(archive)
    return archive


def _check_migrations(archived):
    current = migration_state()
    if archived == current:
        return
    differences = []
    for app in MIGRATION_APPS:
        theirs, ours = archived.get(app, []), current[app]
        if theirs != ours:
            differences.append(
                f"{app}: archive at {theirs[-1] if theirs else 'nothing'}, "
                f"database at {ours[-1] if ours else 'nothing'}"
            )
    raise ArchiveError(
        "The archive was made with a different database schema ("
        + "; ".join(differences)
        + "). Import it into a database migrated to the same state."
    )


def _check_objects(archive):
    known = {model._meta.label_lower: model for model in archived_models()}
    counts = Counter()
    for index, obj in enumerate(archive["objects"]):
        if not isinstance(obj, dict) or not {"model", "pk", "fields"} <= obj.keys():
            raise ArchiveError(f"record {index} is malformed.")
        model = known.get(obj["model"])
        if model is None:
            raise ArchiveError(f"record {index} is of unknown type {obj['model']!r}.")
        names = {field.name for field in model._meta.get_fields()}
        unknown = set(obj["fields"]) - names
        if unknown:
            raise ArchiveError(
                f"record {index} ({obj['model']}) has unknown fields {sorted(unknown)}."
            )
        counts[obj["model"]] += 1
    if dict(counts) != archive["counts"]:
        raise ArchiveError("the record counts do not match the records: truncated?")


def _migrate_made_groups():
    """The role groups every ``migrate`` creates (crisis.roles): not data of their own."""
    return Group.objects.filter(name__in=ROLES)


def database_is_empty():
    """Nothing archived is present but the role groups a fresh ``migrate`` creates."""
    others = [model for model in archived_models() if model is not Group]
    return not any(model._default_manager.exists() for model in others) and not (
        Group.objects.exclude(pk__in=_migrate_made_groups()).exists()
    )


def import_archive(path, *, replace=False):
    """Restore an archive into an empty database (or replace everything with it)."""
    archive = read_archive(path)
    if not replace and not database_is_empty():
        raise ArchiveError(
            "The database already holds data. Import into an empty, migrated database, "
            "or pass --force to replace all facts, history, users and groups."
        )
    models = archived_models()
    try:
        with transaction.atomic():
            if replace:
                for model in reversed(models):
                    model._default_manager.all().delete()
            else:
                # The archive brings its own role groups, with their ids and members.
                _migrate_made_groups().delete()
            for deserialized in serializers.deserialize(
                "python", archive["objects"], handle_forward_references=True
            ):
                # The history is restored as archived, so saving must not add to it.
                deserialized.object.skip_history_when_saving = True
                deserialized.save()
            _reset_sequences(models)
    except (DeserializationError, DatabaseError, ValueError, LookupError) as error:
        raise ArchiveError(f"The archive could not be loaded ({error}).") from error
    return ImportReport(counts=archive["counts"])


def _reset_sequences(models):
    """Records came with their ids; the next record an editor adds must not clash."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
