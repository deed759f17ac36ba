"""Admin forms: concurrent-edit detection, clear messages, publication rules for inlines."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from crisis.history import changes_between, latest_record, record_at_version
from crisis.models import Status
from crisis.services import event_publication_problems

DUPLICATE_SLUG = (
    "Another %(kind)s already uses this slug. Slugs are the record's address on the "
    "site, so each must be unique: add a distinguishing word or date."
)


class ConcurrentEditForm(forms.ModelForm):
    """Carries the version the editor opened; refuses the save if it is no longer current.

    On a conflict the editor's input stays in the form, the other editor's changes are
    listed field by field, and the form now carries the current version: saving again
    is a deliberate choice to apply these changes on top.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict_changes = []
        if self.instance.pk:
            # The stored version, not the instance's: a revert form shows an old copy.
            self.initial["loaded_version"] = self._stored_version(lock=False)

    def _stored_version(self, lock):
        queryset = type(self.instance).objects.filter(pk=self.instance.pk)
        if lock:
            queryset = queryset.select_for_update()
        return queryset.values_list("version", flat=True).first()

    def clean(self):
        cleaned_data = super().clean()
        if not self.instance.pk:
            return cleaned_data
        loaded = cleaned_data.get("loaded_version")
        # Locked until the admin's transaction ends, so no save can slip in between.
        current = self._stored_version(lock=True)
        if loaded is None or current is None or loaded == current:
            return cleaned_data
        self.conflict_changes = self._changes_since(loaded)
        self.data = self.data.copy()
        self.data[self.add_prefix("loaded_version")] = current
        kind = self.instance._meta.verbose_name
        latest = latest_record(self.instance)
        who = latest.history_user if latest and latest.history_user else "someone else"
        messages = [
            f"Not saved: {who} saved this {kind} while you were editing it (you opened "
            f"version {loaded}; it is now version {current}). Your changes are still in "
            "the form below. Their changes:"
        ]
        messages += [
            f"{change.label}: “{change.old}” → “{change.new}”"
            for change in self.conflict_changes
        ] or ["(no field of this form changed; linked records may have)"]
        messages.append(
            "Check their changes against yours, then save again to keep yours, or "
            "reload the page to start from theirs."
        )
        raise ValidationError(messages, code="edit_conflict")

    def _changes_since(self, loaded):
        opened = record_at_version(self.instance, loaded)
        latest = latest_record(self.instance)
        if opened is None or latest is None:
            return []
        return changes_between(opened, latest)


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


class PublishedEventNeedsFormSet(BaseInlineFormSet):
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
