"""Select widgets that write their options in Python.

Django renders each ``<option>`` through a template of its own. The timeline's filter form
has about 150 options, and rendering them took longer than the whole data layer. These
widgets write the same markup as Django's templates, directly, escaping every value and
label (without the optional ``</option>`` end tags).
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class PythonRenderedSelect(forms.Select):
    """A ``Select`` whose markup is built in Python rather than one template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            attrs["multiple"] = True
        chosen = set(self.format_value(value))
        options = "".join(self._options(self.choices, chosen))
        return mark_safe(
            f'<select name="{escape(name)}"{flatatt(attrs)}>{options}</select>'
        )

    def _options(self, choices, chosen):
        for option_value, label in choices:
            if isinstance(label, (list, tuple)):
                inner = "".join(self._options(label, chosen))
                yield f'<optgroup label="{escape(str(option_value))}">{inner}</optgroup>'
                continue
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            # No end tag: HTML needs none, and the timeline lists many options.
            yield f'<option value="{escape(option_value)}"{selected}>{escape(str(label))}'


class PythonRenderedSelectMultiple(PythonRenderedSelect, forms.SelectMultiple):
    """The multiple-choice version (``allow_multiple_selected`` adds ``multiple``)."""


class Picker(forms.SelectMultiple):
    """Type to find one or more of a long list (actors, countries); chosen ones are
    ticked boxes.

    Without JavaScript the text box offers the listed choices through a ``<datalist>``
    and the server resolves what was typed (a name, an alias, a code or a slug); with
    htmx the server suggests matches as the reader types (``suggest_url``), each a box
    to tick. Unticking a chosen one removes it.
    """

    def __init__(self, attrs=None, *, suggest_url="", placeholder="", noun=""):
        super().__init__(attrs)
        self.suggest_url = suggest_url
        self.placeholder = placeholder
        self.noun = noun
        # {typed: value}, set by the field once it has resolved what was typed.
        self.resolved = {}

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        field_id = escape(attrs.get("id", f"id_{name}"))
        names = {str(key): str(label) for key, label in self.choices if key}
        values = [
            self.resolved.get(item.strip(), item)
            for item in self.format_value(value)
            if item.strip()
        ]
        values = list(dict.fromkeys(values))
        # Anything typed that is not (yet) a choice goes back into the box: nothing lost.
        typed = next((item for item in values if item not in names), "")
        chosen = "".join(
            f'<li><label class="pick"><input type="checkbox" name="{escape(name)}" '
            f'value="{escape(item)}" checked> {escape(names[item])}</label></li>'
            for item in values
            if item in names
        )
        # No end tags: an <option> in a <datalist> needs none, and there are many.
        options = "".join(
            f'<option value="{escape(label)}">' for label in names.values()
        )
        described = f' aria-describedby="{escape(attrs["aria-describedby"])}"' * (
            "aria-describedby" in attrs
        )
        invalid = ' aria-invalid="true"' * ("aria-invalid" in attrs)
        return mark_safe(
            f'<input type="search" name="{escape(name)}" id="{field_id}" '
            f'value="{escape(typed)}" list="{field_id}-names" autocomplete="off" '
            f'placeholder="{escape(self.placeholder)}" data-finder{described}{invalid} '
            f'hx-get="{escape(self.suggest_url)}" hx-trigger="input changed delay:250ms" '
            f'hx-target="#{field_id}-suggestions" hx-swap="innerHTML" '
            f'hx-push-url="false" hx-sync="this:replace">'
            f'<datalist id="{field_id}-names">{options}</datalist>'
            f'<div id="{field_id}-suggestions" class="picker__suggestions" '
            f'aria-live="polite"></div>'
            + (
                f'<ul class="picker__chosen" aria-label="Chosen {escape(self.noun)}">'
                f"{chosen}</ul>" * bool(chosen)
            )
        )
