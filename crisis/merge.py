"""Three-way merge of a stale edit, the way ``git merge`` treats two writers.

Three copies of a record meet: the one the editor opened (read back from history by the
version the form carried), the one stored now, and the one the editor posted. A field
only the other person changed keeps the stored value; a field only this editor changed
takes the posted one; a field both changed to different values is a conflict, which
needs a person's choice.
"""

from dataclasses import dataclass, field

from django.db import models

# A posted value that did not even validate: always "changed by this editor".
UNREADABLE = object()


@dataclass
class MergeOutcome:
    theirs: list = field(default_factory=list)  # take the stored value
    mine: list = field(default_factory=list)  # take the posted value
    conflicts: list = field(default_factory=list)  # both changed, differently


def three_way(base, stored, posted):
    """Sort the fields of ``posted`` (comparable values, as are ``base`` and ``stored``)."""
    outcome = MergeOutcome()
    for name, mine in posted.items():
        opened, current = base.get(name), stored.get(name)
        theirs_changed = current != opened
        mine_changed = mine is UNREADABLE or mine != opened
        if theirs_changed and not mine_changed:
            outcome.theirs.append(name)
        elif mine_changed and not theirs_changed:
            outcome.mine.append(name)
        elif theirs_changed and mine != current:
            outcome.conflicts.append(name)
    return outcome


def comparable(model_field, value):
    """A value in one shape whatever its origin: a form, a live row or a history record."""
    if model_field.many_to_many:
        return tuple(sorted(getattr(item, "pk", item) for item in value or ()))
    if model_field.is_relation:
        return getattr(value, "pk", value)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        # Browsers post text areas with CRLF line ends; the form strips the ends.
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, list | tuple):
        return tuple(str(item) for item in value)
    return value


def stored_value(obj, model_field):
    """``obj``'s value of a field, from a live row or a django-simple-history record."""
    if model_field.many_to_many:
        if hasattr(obj, "history_id"):
            # History keeps the m2m rows in a table of its own, one per version.
            through = getattr(obj, model_field.name)
            reverse_name = model_field.m2m_reverse_field_name()
            return list(through.values_list(reverse_name, flat=True))
        return list(getattr(obj, model_field.name).values_list("pk", flat=True))
    if model_field.is_relation:
        return getattr(obj, model_field.attname)
    return getattr(obj, model_field.name)


def as_form_data(value):
    """A stored value as a browser would post it (a list, for ``QueryDict.setlist``)."""
    if value is None:
        return [""]
    if isinstance(value, list | tuple):
        return [str(getattr(item, "code", item)) for item in value]
    if isinstance(value, models.Model):
        return [str(value.pk)]
    return [str(value)]


def readable(model_field, value):
    """A comparable value as an editor reads it: names, choice labels, "—" for empty."""
    if value in (None, (), UNREADABLE):
        return "—" if value is not UNREADABLE else "(not valid)"
    if model_field.is_relation:
        target = model_field.remote_field.model._default_manager
        ids = value if model_field.many_to_many else (value,)
        names = {obj.pk: str(obj) for obj in target.filter(pk__in=ids)}
        return ", ".join(names.get(pk, f"deleted #{pk}") for pk in ids)
    if model_field.choices:
        labels = dict(model_field.flatchoices)
        items = value if isinstance(value, tuple) else (value,)
        return ", ".join(str(labels.get(item, item)) for item in items)
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)
