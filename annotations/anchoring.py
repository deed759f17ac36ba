"""Finding an annotated passage again in a text that may have changed since.

A passage is stored W3C-style: the exact words, a little context either side
(TextQuoteSelector) and offsets (TextPositionSelector). The offsets are tried first;
when the text was edited elsewhere they no longer fit, and the words are searched for,
preferring the occurrence whose context matches best and which lies nearest the old
offsets.
"""

import os
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

from crisis.text import locate_all

CONTEXT_LENGTH = 32


@dataclass(frozen=True)
class Passage:
    """A resolved span of a text, with the selectors that find it again."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def passage_at(text, start, end):
    """The passage ``text[start:end]`` with its context as stored selectors."""
    return Passage(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
    )


def _common_suffix_length(left, right):
    return len(os.path.commonprefix([left[::-1], right[::-1]]))


def anchor(text, *, exact, prefix="", suffix="", start=None):
    """Return ``(start, end)`` of the passage in ``text`` as it is now, or None."""
    text = text or ""
    if not exact:
        return None
    if start is not None and text[start : start + len(exact)] == exact:
        return start, start + len(exact)
    candidates = locate_all(exact, text)
    if not candidates:
        return None
    hint = start or 0

    def fit(span):
        begin, end = span
        context = _common_suffix_length(text[:begin], prefix) + len(
            os.path.commonprefix([text[end:], suffix])
        )
        return (-context, abs(begin - hint))

    return min(candidates, key=fit)


def find_passage(text, *, exact, prefix="", suffix="", start=None):
    """Resolve a selection sent by a browser (or typed) into a stored ``Passage``."""
    span = anchor(text, exact=exact, prefix=prefix, suffix=suffix, start=start)
    if span is None:
        return None
    return passage_at(text, *span)


def highlight(text, spans):
    """``text`` escaped, with each ``(start, end, annotation_id)`` span in a <mark>.

    Overlapping spans are merged into one run of marks, so the HTML stays well nested
    and the element's text content is exactly ``text``.
    """
    text = text or ""
    if not spans:
        return escape(text)
    boundaries = sorted(
        {0, len(text)} | {point for start, end, _ in spans for point in (start, end)}
    )
    pieces = []
    for begin, end in zip(boundaries, boundaries[1:], strict=False):
        if begin >= end:
            continue
        chunk = escape(text[begin:end])
        covering = [ident for start, stop, ident in spans if start <= begin < stop]
        if covering:
            ids = " ".join(f"annotation-{ident}" for ident in covering)
            pieces.append(
                f'<mark class="annotation-mark" data-annotations="{ids}">{chunk}</mark>'
            )
        else:
            pieces.append(chunk)
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above
