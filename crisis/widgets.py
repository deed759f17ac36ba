"""Select widgets that write their options in Python.

Django renders each ``<option>`` through a template of its own. The timeline's filter form
has about 150 options, and rendering them took longer than the whole data layer. These
widgets write the same markup as Django's templates, directly, escaping every value and
label.
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
            yield (
                f'<option value="{escape(option_value)}"{selected}>'
                f"{escape(str(label))}</option>"
            )


class PythonRenderedSelectMultiple(PythonRenderedSelect, forms.SelectMultiple):
    """The multiple-choice version (``allow_multiple_selected`` adds ``multiple``)."""
