"""Admin forms: concurrent-edit detection, clear messages, publication rules for inlines."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.datastructures import MultiValueDict

from crisis.history import latest_record, record_at_version
from crisis.merge import (
    UNREADABLE,
    as_form_data,
    comparable,
    readable,
    stored_value,
    three_way,
)
from crisis.models import Status
from crisis.services import event_publication_problems

MISSING_VERSION = (
    "Not saved: this form did not say which version of the record you opened, so "
    "your changes cannot be merged safely with anyone else's. Reload the page and "
    "make your changes again."
)
UNKNOWN_VERSION = (
    "Not saved: version %(version)s of this record is not in its history, so your "
    "changes cannot be merged safely. Reload the page and make your changes again."
)
DUPLICATE_SLUG = (
    "Another %(kind)s already uses this slug. Slugs are the record's address on the "
    "site, so each must be unique: add a distinguishing word or date."
)


@dataclass
class Conflict:
    """A field both editors changed: shown side by side with a choice between them."""

    where: str
    label: str
    stored: str
    mine: str
    name: str  # the field's name
    choice_name: str  # the radio buttons' name
    marker_name: str  # a hidden input that brings the conflict back with the choice


class ConcurrentEditForm(forms.ModelForm):
    """Carries the version the editor opened; merges a stale save three ways.

    Fields only someone else changed since the editor opened the form keep the stored
    value, fields only this editor changed take the posted one; if no field was changed
    by both, the merged record is saved. A field both changed is a conflict: the form
    comes back with the merged values, the current version and, for each such field,
    the stored value beside the editor's with a choice between them. An existing record
    posted without a version is refused: nothing says what the editor saw.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts = []
        self.merged_theirs = []
        self.version_error = None
        self.stale_from = None
        if self.instance.pk:
            # The stored version, not the instance's: a revert form shows an old copy.
            self.initial["loaded_version"] = self._stored_version(lock=False)
            if self.is_bound:
                self._merge_with_stored()

    def _stored_version(self, lock):
        queryset = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if lock:
            queryset = queryset.select_for_update()
        return queryset.values_list("version", flat=True).first()

    def _model_fields(self):
        opts = self.instance._meta
        names = {f.name for f in opts.get_fields() if getattr(f, "editable", False)}
        return {
            name: opts.get_field(name)
            for name in self.fields
            if name in names and not self.fields[name].disabled
        }

    def _posted(self, name, model_field):
        return posted_value(
            self.fields[name], model_field, self.data, self.files, self.add_prefix(name)
        )

    def _merge_with_stored(self):
        raw = self.data.get(self.add_prefix("loaded_version"), "")
        try:
            loaded = int(raw)
        except (TypeError, ValueError):
            self.version_error = MISSING_VERSION
            return
        # Locked until the admin's transaction ends, so no save can slip in between.
        current = self._stored_version(lock=True)
        if current is None:
            return
        fields = self._model_fields()
        data = _mutable(self.data)
        if loaded == current:
            if data.getlist(self.add_prefix("conflicted")):
                self._apply_choices(data, self._stored_copy(), fields)
                self.data = data
            return
        stored = self._stored_copy()
        opened = record_at_version(self.instance, loaded)
        if opened is None:
            self.version_error = UNKNOWN_VERSION % {"version": loaded}
            return
        self.stale_from = (loaded, current)
        base = {n: comparable(f, stored_value(opened, f)) for n, f in fields.items()}
        now = {n: comparable(f, stored_value(stored, f)) for n, f in fields.items()}
        posted = {n: self._posted(n, f) for n, f in fields.items()}
        outcome = three_way(base, now, posted)
        for name in outcome.theirs:
            data.setlist(
                self.add_prefix(name), as_form_data(stored_value(stored, fields[name]))
            )
        self.merged_theirs = [self._label(name) for name in outcome.theirs]
        self.conflicts = [
            self._conflict(name, fields[name], now[name], posted[name])
            for name in outcome.conflicts
        ]
        deleting = self.add_prefix("DELETE")
        if data.get(deleting) and outcome.theirs:
            # Deleting a row someone else just changed is a choice too: ask again.
            del data[deleting]
            self.version_error = (
                f"Not deleted: someone else changed {self._where()} since you opened "
                f"the page ({', '.join(self.merged_theirs)}). Tick Delete again and "
                "save to delete it anyway."
            )
        data[self.add_prefix("loaded_version")] = str(current)
        self.data = data

    def _stored_copy(self):
        # A fresh copy: the form's instance may be an old version (the revert page).
        return type(self.instance)._default_manager.get(pk=self.instance.pk)

    def _apply_choices(self, data, stored, fields):
        """The second round of a conflict: apply each field's choice, or ask again."""
        for name in data.getlist(self.add_prefix("conflicted")):
            if name not in fields:
                continue
            choice = data.get(self.add_prefix(f"keep-{name}"))
            model_field = fields[name]
            if choice == "theirs":
                data.setlist(
                    self.add_prefix(name),
                    as_form_data(stored_value(stored, model_field)),
                )
            elif choice != "mine":
                now = comparable(model_field, stored_value(stored, model_field))
                posted = self._posted(name, model_field)
                self.conflicts.append(self._conflict(name, model_field, now, posted))

    def _label(self, name):
        return str(self.fields[name].label or name).capitalize()

    def _where(self):
        kind = self.instance._meta.verbose_name
        return f"{kind} “{self.instance}”" if self.prefix else f"this {kind}"

    def _conflict(self, name, model_field, stored, mine):
        return Conflict(
            where=self._where(),
            label=self._label(name),
            stored=readable(model_field, stored),
            mine=readable(model_field, mine),
            name=name,
            choice_name=self.add_prefix(f"keep-{name}"),
            marker_name=self.add_prefix("conflicted"),
        )

    def clean(self):
        cleaned_data = super().clean()
        if self.version_error:
            raise ValidationError(self.version_error, code="missing_version")
        if self.conflicts:
            raise ValidationError(self._conflict_message(), code="edit_conflict")
        return cleaned_data

    def _conflict_message(self):
        latest = latest_record(self.instance)
        who = latest.history_user if latest and latest.history_user else "someone else"
        labels = ", ".join(conflict.label for conflict in self.conflicts)
        if self.stale_from is None:
            return (
                f"Not saved: choose which value to keep for {labels} in “Fields you "
                "both changed” above."
            )
        loaded, current = self.stale_from
        merged = (
            f" Their changes to {', '.join(self.merged_theirs)} are merged into the "
            "form."
            if self.merged_theirs
            else ""
        )
        return (
            f"Not saved: {who} saved {self._where()} while you were editing it (you "
            f"opened version {loaded}; it is now version {current}).{merged} You both "
            f"changed {labels}: choose which value to keep in “Fields you both "
            "changed” above, then save again."
        )


def posted_value(form_field, model_field, data, files, key):
    """A posted value, cleaned by its form field and made comparable with stored ones."""
    raw = form_field.widget.value_from_datadict(data, files, key)
    try:
        return comparable(model_field, form_field.clean(raw))
    except ValidationError:
        return UNREADABLE


def _mutable(data):
    """A copy of posted data that can be changed field by field."""
    if isinstance(data, MultiValueDict):
        return data.copy()
    copy = MultiValueDict()
    for key, value in data.items():
        copy.setlist(key, value if isinstance(value, list | tuple) else [value])
    return copy


class EventAdminForm(ConcurrentEditForm):
    # Set by the admin on the revert page, which has no inlines: links are checked as stored.
    check_stored_links = False

    class Meta:
        # The admin supplies the model and fields; these messages are what this adds.
        error_messages = {"slug": {"unique": DUPLICATE_SLUG % {"kind": "event"}}}

    def clean(self):
        cleaned_data = super().clean()
        if (
            self.check_stored_links
            and self.instance.pk
            and cleaned_data.get("status") == Status.PUBLISHED
        ):
            for problem in event_publication_problems(self.instance):
                self.add_error(
                    "status",
                    f"{problem}: it cannot be published. Keep it a draft, or add the "
                    "missing links on its change page first.",
                )
        return cleaned_data


class QuoteAdminForm(ConcurrentEditForm):
    class Meta:
        # The admin supplies the model and fields; these messages are what this adds.
        error_messages = {"slug": {"unique": DUPLICATE_SLUG % {"kind": "quote"}}}


class SourceAdminForm(forms.ModelForm):
    class Meta:
        # The admin supplies the model and fields; these messages are what this adds.
        error_messages = {"slug": {"unique": DUPLICATE_SLUG % {"kind": "source"}}}


class ActorAdminForm(forms.ModelForm):
    class Meta:
        # The admin supplies the model and fields; these messages are what this adds.
        error_messages = {"slug": {"unique": DUPLICATE_SLUG % {"kind": "actor"}}}


class VersionedInlineFormSet(BaseInlineFormSet):
    """Inline rows that merge like their parent: a row someone else deleted since the
    editor opened the page stays deleted, unless the editor changed it too."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lost_rows = []
        if self.is_bound:
            self._drop_rows_deleted_meanwhile()

    def _drop_rows_deleted_meanwhile(self):
        data = None
        model = self.model
        for index in range(self.initial_form_count()):
            prefix = self.add_prefix(index)
            pk = str(self.data.get(f"{prefix}-{model._meta.pk.name}", ""))
            if not pk.isdigit() or model._default_manager.filter(pk=pk).exists():
                continue
            data = data if data is not None else _mutable(self.data)
            # Ticked by the editor: they saw the warning below, or meant to delete it.
            chosen = data.get(f"{prefix}-DELETE")
            data[f"{prefix}-DELETE"] = "on"
            last = model.history.filter(id=pk).order_by("-history_date").first()
            if not chosen and last and self._changed_from(last, data, prefix):
                self.lost_rows.append(str(last.instance))
        if data is not None:
            self.data = data

    def _changed_from(self, record, data, prefix):
        fields = self.form.base_fields
        opts = self.model._meta
        for model_field in opts.get_fields():
            name = model_field.name
            if name not in fields or not getattr(model_field, "editable", False):
                continue
            if model_field == self.fk:
                continue
            mine = posted_value(
                fields[name], model_field, data, self.files, f"{prefix}-{name}"
            )
            if mine != comparable(model_field, stored_value(record, model_field)):
                return True
        return False

    def clean(self):
        super().clean()
        # A row's errors go unread once it is marked for deletion: a blind delete too.
        if any(
            getattr(form, "version_error", None) == MISSING_VERSION
            for form in self.deleted_forms
        ):
            raise ValidationError(MISSING_VERSION, code="missing_version")
        if self.lost_rows:
            raise ValidationError(
                [
                    f"Someone else deleted “{row}” while you were changing it. Your "
                    "values are kept in the row marked for deletion below: add them "
                    "again as a new row if they are still needed, then save."
                    for row in self.lost_rows
                ],
                code="row_deleted_meanwhile",
            )


class PublishedEventNeedsFormSet(VersionedInlineFormSet):
    """An inline an event may not be published without (its actors, its citations)."""

    needed = "item"

    def clean(self):
        super().clean()
        event = self.instance
        if getattr(event, "status", None) != Status.PUBLISHED:
            return
        remaining = [
            form
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form)
            and getattr(form, "cleaned_data", None)
        ]
        if not remaining:
            raise ValidationError(
                f"A published event needs at least one {self.needed}. Add one here, "
                "or set the status to Draft to save it unpublished.",
                code="publish_needs_" + self.needed,
            )


class EventActorFormSet(PublishedEventNeedsFormSet):
    needed = "actor"


class EventCitationFormSet(PublishedEventNeedsFormSet):
    needed = "citation"
