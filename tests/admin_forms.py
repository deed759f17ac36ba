"""Post an admin change form as a browser would: every field and inline as rendered."""

import datetime


def _encode(name, value):
    if value is None:
        return {name: ""}
    if isinstance(value, bool):
        return {name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {name: [str(getattr(item, "code", item)) for item in value]}
    if isinstance(value, datetime.date):
        return {name: value.isoformat()}
    return {name: str(value)}


def admin_form_data(response, **changes):
    """The data of the change form in ``response``, with ``changes`` applied."""
    data = {}
    form = response.context["adminform"].form
    for name in form.fields:
        data.update(_encode(form.add_prefix(name), form[name].value()))
    # The revert page has no inlines.
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for subform in formset.initial_forms:
            for name in subform.fields:
                data.update(_encode(subform.add_prefix(name), subform[name].value()))
        data[management.add_prefix("TOTAL_FORMS")] = str(formset.initial_form_count())
    data.update(changes)
    return data
