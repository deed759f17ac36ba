"""Comparing quoted words with the text of a source.

Sources arrive with typographic quotes, non-breaking spaces and hard line breaks; editors
paste excerpts with straight quotes and single spaces. Both sides are normalised the same
way before an excerpt is accepted as verbatim.
"""

import re
import unicodedata

_QUOTE_MAP = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalise_for_matching(text):
    """Return ``text`` with Unicode, quotes and whitespace normalised for comparison."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTE_MAP)
    return _WHITESPACE.sub(" ", text).strip()


def occurs_verbatim(excerpt, text):
    """True when ``excerpt`` is a non-empty passage of ``text`` after normalisation."""
    needle = normalise_for_matching(excerpt)
    return bool(needle) and needle in normalise_for_matching(text)


def _normalised_with_origin(text):
    """The normalised ``text`` and, for each of its characters, the original index."""
    normalised, origin = [], []
    previous_space = True
    for index, char in enumerate(text or ""):
        piece = unicodedata.normalize("NFKC", char).translate(_QUOTE_MAP)
        for out in piece:
            if out.isspace():
                if previous_space:
                    continue
                out = " "
                previous_space = True
            else:
                previous_space = False
            normalised.append(out)
            origin.append(index)
    return "".join(normalised), origin


def locate_all(excerpt, text):
    """Every ``(start, end)`` of ``excerpt`` in the original ``text``, in order."""
    needle = normalise_for_matching(excerpt)
    if not needle:
        return []
    haystack, origin = _normalised_with_origin(text)
    found = []
    position = haystack.find(needle)
    while position >= 0:
        found.append((origin[position], origin[position + len(needle) - 1] + 1))
        position = haystack.find(needle, position + 1)
    return found


def locate(excerpt, text):
    """Return ``(start, end)`` offsets of ``excerpt`` in the original ``text``, or None.

    Offsets point into the un-normalised text, so a page can highlight the passage
    exactly as the source prints it.
    """
    found = locate_all(excerpt, text)
    return found[0] if found else None
