"""Forms for analysts: annotating events, quotes and passages."""

from django import forms
from django.core.exceptions import ValidationError

from annotations.anchoring import find_passage
from annotations.models import Annotation, Visibility
from annotations.services import parse_tag_names, teams_of
from crisis.models import Event, Source


class AnnotationForm(forms.ModelForm):
    tag_names = forms.CharField(
        label="Tags",
        required=False,
        max_length=600,
        help_text="Separate tags with commas, e.g. troop movements, disputed.",
    )
    exact = forms.CharField(
        label="Passage",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: the exact words this note is about. Select them in the "
        "text and choose “Annotate selection”, or copy them here.",
    )
    prefix = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    suffix = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    start = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    # One menu for visibility and team: "Only me" or "Team: <name>", nothing to pair up.
    share_with = forms.ChoiceField(label="Who can see it")

    field_order = [
        "body",
        "body_format",
        "confidence",
        "source_reliability",
        "information_credibility",
        "share_with",
    ]

    class Meta:
        model = Annotation
        fields = [
            "body",
            "body_format",
            "confidence",
            "source_reliability",
            "information_credibility",
        ]
        labels = {
            "body": "Note",
            "body_format": "Format",
            "source_reliability": "Source reliability",
            "information_credibility": "Information credibility",
        }
        help_texts = {
            "body": "Plain text, or Markdown if you choose it below. No HTML.",
            "source_reliability": "NATO/Admiralty grade of the source, A to F.",
            "information_credibility": "NATO/Admiralty grade of the information, 1 to 6.",
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 4, "autofocus": True}),
        }

    def __init__(self, *args, user, target, **kwargs):
        kwargs.setdefault("auto_id", f"id_{target._meta.model_name}{target.pk}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.target = target
        self.fields["body"].strip = True
        self.fields["source_reliability"].choices = [("", "Not graded")] + list(
            Annotation.Reliability.choices
        )
        self.fields["information_credibility"].choices = [("", "Not graded")] + list(
            Annotation.Credibility.choices
        )
        self.teams = {str(team.pk): team for team in teams_of(user)}
        self.fields["share_with"].choices = [(Visibility.PRIVATE, "Only me")] + [
            (f"team:{pk}", f"Team: {team.name}") for pk, team in self.teams.items()
        ]
        if self.instance.pk and self.instance.visibility == Visibility.TEAM:
            self.initial.setdefault("share_with", f"team:{self.instance.team_id}")
        if self.instance.pk:
            self.initial.setdefault(
                "tag_names", ", ".join(tag.name for tag in self.instance.tags.all())
            )
        if self.instance.pk or isinstance(target, Event):
            for name in ("exact", "prefix", "suffix", "start"):
                del self.fields[name]
        elif isinstance(target, Source):
            self.fields["exact"].required = True
            self.fields["exact"].help_text = (
                "The exact words this note is about. Select them in the text and "
                "choose “Annotate selection”, or copy them here."
            )

    def clean_tag_names(self):
        return parse_tag_names(self.cleaned_data["tag_names"])

    def clean_share_with(self):
        """``(visibility, team)`` from the one menu."""
        value = self.cleaned_data["share_with"]
        if value == Visibility.PRIVATE:
            return Visibility.PRIVATE, None
        return Visibility.TEAM, self.teams[value.removeprefix("team:")]

    def clean(self):
        cleaned = super().clean()
        if "share_with" in cleaned:
            # So the model's own checks (a team the author belongs to) see the choice.
            self.instance.visibility, self.instance.team = cleaned["share_with"]
        exact = cleaned.get("exact")
        cleaned["passage"] = None
        if exact:
            passage = find_passage(
                self.target.text,
                exact=exact,
                prefix=cleaned.get("prefix") or "",
                suffix=cleaned.get("suffix") or "",
                start=cleaned.get("start"),
            )
            if passage is None:
                self.add_error(
                    "exact",
                    "These words were not found in the text. Select them in the text "
                    "or copy them exactly.",
                )
            cleaned["passage"] = passage
        return cleaned

    def add_error(self, field, error):
        """The model's errors about visibility or team belong to the one sharing menu."""
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for name in ("visibility", "team"):
                if name in error.error_dict:
                    error.error_dict.setdefault("share_with", []).extend(
                        error.error_dict.pop(name)
                    )
        super().add_error(field, error)

    def service_fields(self):
        """The cleaned values as keyword arguments of the annotation services."""
        data = self.cleaned_data
        fields = {name: data[name] for name in self.Meta.fields if name in data}
        fields["visibility"], fields["team"] = data["share_with"]
        fields["tag_names"] = data["tag_names"]
        return fields
