"""Query strings of the list views: the filters in use as pairs, and their chips.

The timeline, the map and the tables link to "this view without that filter" and to
exports of "this view"; all of them build those links from here.
"""

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass(frozen=True)
class Chip:
    """One active filter value, with the query string that removes it."""

    name: str
    label: str
    value: str
    remove_query: str


def filled_pairs(cleaned, names=None):
    """``(name, value)`` of each valid, non-empty field, in ``names`` order (or the form's).

    ``cleaned`` is a form's ``cleaned_data`` after validation, so a field with an error
    is left out; lists give one pair per item and dates their ISO form.
    """
    pairs = []
    for name in cleaned if names is None else names:
        value = cleaned.get(name)
        if value in (None, "", []):
            continue
        for item in value if isinstance(value, list) else [value]:
            pairs.append(
                (name, item.isoformat() if hasattr(item, "isoformat") else str(item))
            )
    return pairs


def chips_for(pairs, label_of, value_label):
    """One removable chip per pair: ``label_of(name)`` and ``value_label(name, value)``."""
    return [
        Chip(
            name=name,
            label=label_of(name),
            value=value_label(name, value),
            remove_query=urlencode(pairs[:index] + pairs[index + 1 :]),
        )
        for index, (name, value) in enumerate(pairs)
    ]
