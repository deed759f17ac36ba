"""Backup and restore: a versioned, signed JSON archive of everything we hold.

The archive holds every model of the crisis app (facts, their history, and whatever the
app gains later) and of the annotations app, plus the groups and users those records refer to
and the admin's action log. It carries a SHA-256 checksum (damage) and an HMAC-SHA256
signature keyed by ``ARCHIVE_KEY`` (tampering: whoever can edit a file can recompute a
checksum, not the signature). ``import_archive`` validates the whole file, shows what
the restore would change in users' privileges and asks before it writes anything, then
writes it in one transaction, so a damaged or mismatched archive leaves the database
untouched.
"""

import datetime
import hashlib
import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from crisis.roles import ROLES
from crisis.services import (
    events_reindex,
    quotes_reindex,
    recount_actor_events,
    recount_event_months,
    recount_event_quotes,
    recount_source_citations,
)

FORMAT = "crisis-timeline-archive"
VERSION = 1
MIGRATION_APPS = ("admin", "auth", "crisis", "annotations")
# Archives written before the admin log was archived hold none of its records.
OPTIONAL_MIGRATION_APPS = {"admin"}
HEADER_KEYS = {"format", "version", "created_at", "migrations", "counts", "objects"}
SEALS = ("checksum", "signature")
# Derived from other rows (crisis.search's documents, the quote and citation
# counts): recomputed on load.
DERIVED_FIELDS = {"search_vector", "quote_count", "citation_count"}


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
    """Groups, users, every crisis and annotations model and the admin log, each before
    the models that refer to it.

    Not the event countries, month counts and actors' event counts: they are derived
    from the events, rebuilt on load.
    """
    user_model = apps.get_model("auth", "User")
    crisis = apps.get_app_config("crisis")
    annotations = apps.get_app_config("annotations")
    derived = {
        apps.get_model("crisis", name)
        for name in ("EventCountry", "EventMonth", "ActorEventCount")
    }
    return serializers.sort_dependencies(
        [
            (apps.get_app_config("auth"), [Group, user_model]),
            (crisis, [m for m in crisis.get_models() if m not in derived]),
            (annotations, list(annotations.get_models())),
            (apps.get_app_config("admin"), [LogEntry]),
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


def _canonical(archive):
    body = {key: value for key, value in archive.items() if key not in SEALS}
    return json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


def _checksum(archive):
    return "sha256:" + hashlib.sha256(_canonical(archive)).hexdigest()


def _signature(archive):
    """HMAC-SHA256 of the archive, keyed by ARCHIVE_KEY (by default the SECRET_KEY)."""
    digest = salted_hmac(
        "crisis.archive",
        _canonical(archive),
        secret=settings.ARCHIVE_KEY,
        algorithm="sha256",
    )
    return "hmac-sha256:" + digest.hexdigest()


def dump_objects():
    """Every archived record as Django's serialised dicts, in a stable order."""
    objects = []
    for model in archived_models():
        records = model._default_manager.order_by("pk")
        serialised = serializers.serialize(
            "python",
            records,
            use_natural_foreign_keys=True,
            fields=_archived_fields(model),
        )
        objects.extend(json.loads(json.dumps(serialised, cls=_ExactJSONEncoder)))
    return objects


def _archived_fields(model):
    """Every field but those derived from other rows (``DERIVED_FIELDS``)."""
    return [
        field.name
        for field in model._meta.get_fields()
        if field.concrete and not field.primary_key and field.name not in DERIVED_FIELDS
    ]


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
    archive["signature"] = _signature(archive)
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


def read_archive(path, *, allow_unsigned=False):
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
    _check_signature(path, archive, allow_unsigned)
    _check_migrations(archive["migrations"])
    _check_objects(archive)
    return archive


def _check_signature(path, archive, allow_unsigned):
    signature = archive.get("signature")
    if signature is None:
        if allow_unsigned:
            return
        raise ArchiveError(
            f"{path} is not signed, so nothing shows who made it. Restore it only if "
            "you trust where it came from, with --allow-unsigned."
        )
    if not isinstance(signature, str) or not constant_time_compare(
        signature, _signature(archive)
    ):
        raise ArchiveError(
            f"{path} has a wrong signature: it was edited after export, or signed "
            "with another ARCHIVE_KEY (or SECRET_KEY)."
        )


def _check_migrations(archived):
    current = migration_state()
    if not isinstance(archived, dict):
        raise ArchiveError("the archive's migration state is malformed.")
    if archived == current:
        return
    differences = []
    for app in MIGRATION_APPS:
        if app in OPTIONAL_MIGRATION_APPS and app not in archived:
            continue
        theirs, ours = archived.get(app, []), current[app]
        if theirs != ours:
            differences.append(
                f"{app}: archive at {theirs[-1] if theirs else 'nothing'}, "
                f"database at {ours[-1] if ours else 'nothing'}"
            )
    if not differences:
        return
    raise ArchiveError(
        "The archive was made with a different database schema ("
        + "; ".join(differences)
        + "). Import it into a database migrated to the same state."
    )


def _check_objects(archive):
    known = {model._meta.label_lower: model for model in archived_models()}
    counts = Counter()
    seen = set()
    if not isinstance(archive["objects"], list):
        raise ArchiveError("the archive's records are malformed.")
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
        key = (obj["model"], json.dumps(obj["pk"]))
        if key in seen:
            raise ArchiveError(
                f"record {index} repeats {obj['model']} id {obj['pk']!r}: "
                "an archive holds each record once."
            )
        seen.add(key)
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


def privilege_changes(archive):
    """What restoring ``archive`` would grant users, compared with this database.

    Superuser and staff status, group memberships, direct permissions, and permissions
    an archived group holds beyond the group of that name here: one line each.
    """
    user_model = apps.get_model("auth", "User")
    current = {
        user.get_username(): user
        for user in user_model.objects.prefetch_related("groups", "user_permissions")
    }
    current_groups = {
        group.name: {tuple(p.natural_key()) for p in group.permissions.all()}
        for group in Group.objects.prefetch_related("permissions__content_type")
    }
    lines = []
    for obj in archive["objects"]:
        fields = obj["fields"]
        if obj["model"] == "auth.group":
            gained = {tuple(p) for p in fields.get("permissions", [])} - (
                current_groups.get(fields.get("name"), set())
            )
            if gained:
                lines.append(
                    f"group {fields.get('name')}: gains permissions "
                    + ", ".join(sorted(codename for codename, *_ in gained))
                )
            continue
        if obj["model"] != "auth.user":
            continue
        name = fields.get("username")
        user = current.get(name)
        who = f"user {name}" if user else f"new user {name}"
        if fields.get("is_superuser") and not (user and user.is_superuser):
            lines.append(f"{who}: becomes a superuser (every permission)")
        if fields.get("is_staff") and not (user and user.is_staff):
            lines.append(f"{who}: gains staff status (admin access)")
        groups = {name for name, *_ in fields.get("groups", [])}
        groups -= {group.name for group in user.groups.all()} if user else set()
        if groups:
            lines.append(f"{who}: joins {', '.join(sorted(groups))}")
        permissions = {codename for codename, *_ in fields.get("user_permissions", [])}
        if user:
            permissions -= {p.codename for p in user.user_permissions.all()}
        if permissions:
            lines.append(f"{who}: gains permissions {', '.join(sorted(permissions))}")
    return lines


def _unchecked_fields(record):
    """Relations (the database checks them on save) and nulls the column allows."""
    return [
        field.name
        for field in record._meta.fields
        if field.is_relation or (field.null and getattr(record, field.attname) is None)
    ]


def _check_fields(index, record):
    """Field lengths, choices and formats, which SQLite does not enforce by itself.

    Relations are checked by the database when the records are saved.
    """
    try:
        record.clean_fields(exclude=_unchecked_fields(record))
    except ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
        raise ArchiveError(
            f"record {index} ({record._meta.label_lower} id {record.pk}) is invalid: "
            f"{problems}"
        ) from error


def import_archive(path, *, replace=False, allow_unsigned=False, confirm=None):
    """Restore an archive into an empty database (or replace everything with it).

    ``confirm`` is called with the privilege changes (``privilege_changes``) when there
    are any, and the restore goes ahead only if it returns true.
    """
    archive = read_archive(path, allow_unsigned=allow_unsigned)
    if not replace and not database_is_empty():
        raise ArchiveError(
            "The database already holds data. Import into an empty, migrated database, "
            "or pass --force to replace all facts, history, users and groups."
        )
    changes = privilege_changes(archive)
    if changes and not (confirm and confirm(changes)):
        raise ArchiveError(
            "The restore would change users' privileges and was not confirmed."
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
            for index, deserialized in enumerate(
                serializers.deserialize(
                    "python", archive["objects"], handle_forward_references=True
                )
            ):
                _check_fields(index, deserialized.object)
                # The history is restored as archived, so saving must not add to it.
                deserialized.object.skip_history_when_saving = True
                deserialized.save()
            _reset_sequences(models)
            # Raw saves skip the signals that reindex: the restored events, at once.
            event_model = apps.get_model("crisis", "Event")
            events_reindex(
                ids=event_model.objects.values_list("pk", flat=True), recount=False
            )
            recount_event_months()  # every month: a replaced month may have none now
            recount_actor_events()
            recount_event_quotes()
            recount_source_citations()
            quote_model = apps.get_model("crisis", "Quote")
            quotes_reindex(ids=quote_model.objects.values_list("pk", flat=True))
    except (DeserializationError, DatabaseError, ValueError, LookupError) as error:
        raise ArchiveError(f"The archive could not be loaded ({error}).") from error
    return ImportReport(counts=archive["counts"])


def _reset_sequences(models):
    """Records came with their ids; the next record an editor adds must not clash."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
