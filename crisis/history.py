"""Reading history: field-by-field differences between versions, and deleted records.

Built on django-simple-history's ``diff_against``; the admin's revert page, the
concurrent-edit conflict message and the deleted-records page all read through here.
"""

import difflib
from dataclasses import dataclass

from django.db import models

# Longer texts are shown as a word diff rather than two whole copies.
WORD_DIFF_FROM = 80


@dataclass
class Segment:
    text: str
    change: str  # "same", "removed" or "added"


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str

    @property
    def segments(self):
        """Word-level diff of a long text; empty for short values shown whole."""
        if max(len(self.old), len(self.new)) < WORD_DIFF_FROM:
            return []
        return word_diff(self.old, self.new)


def word_diff(old, new):
    old_words, new_words = old.split(), new.split()
    segments = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment(" ".join(old_words[a_start:a_end]), "same"))
            continue
        if a_end > a_start:
            segments.append(Segment(" ".join(old_words[a_start:a_end]), "removed"))
        if b_end > b_start:
            segments.append(Segment(" ".join(new_words[b_start:b_end]), "added"))
    return segments


def display_value(model, field_name, value):
    """A value as an editor reads it: choice labels, names of related records."""
    field = model._meta.get_field(field_name)
    if value in (None, "", []):
        return "—"
    if isinstance(field, models.ManyToManyField):
        target = field.remote_field.model
        reverse_name = field.m2m_reverse_field_name()
        ids = [row[reverse_name] for row in value]
        names = {obj.pk: str(obj) for obj in target._default_manager.filter(pk__in=ids)}
        return ", ".join(sorted(names.get(pk, f"deleted #{pk}") for pk in ids))
    if isinstance(field, models.ForeignKey):
        target = field.remote_field.model
        obj = target._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else f"deleted #{value}"
    if field.choices:
        labels = dict(field.flatchoices)
        if isinstance(value, list | tuple):
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def changes_between(old_record, new_record):
    """The fields that differ from ``old_record`` to ``new_record`` (history records)."""
    model = new_record.instance_type
    delta = new_record.diff_against(old_record)
    return [
        FieldChange(
            field=change.field,
            label=str(model._meta.get_field(change.field).verbose_name).capitalize(),
            old=display_value(model, change.field, change.old),
            new=display_value(model, change.field, change.new),
        )
        for change in delta.changes
    ]


def record_at_version(instance, version):
    """The history record written when ``instance`` was saved as ``version``."""
    return (
        instance.history.filter(version=version)
        .order_by("-history_date", "-history_id")
        .first()
    )


def latest_record(instance):
    return instance.history.order_by("-history_date", "-history_id").first()


def deleted_records(model, limit=200):
    """The last deletion record of each record of ``model`` that no longer exists."""
    records = (
        model.history.filter(history_type="-")
        .exclude(id__in=model._default_manager.values("pk"))
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    seen = set()
    latest = []
    for record in records[: limit * 2]:
        if record.id in seen:
            continue
        seen.add(record.id)
        latest.append(record)
    return latest[:limit]
