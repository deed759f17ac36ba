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


def locate(excerpt, text):
    """Return ``(start, end)`` offsets of ``excerpt`` in the original ``text``, or None.

    Offsets point into the un-normalised text, so a page can highlight the passage
    exactly as the source prints it.
    """
    needle = normalise_for_matching(excerpt)
    if not needle:
        return None
    # Build the normalised text one original character at a time, remembering where each
    # normalised character came from.
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
    haystack = "".join(normalised)
    position = haystack.find(needle)
    if position < 0:
        return None
    return origin[position], origin[position + len(needle) - 1] + 1
