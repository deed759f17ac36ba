"""Splitting a text into sentences and words, keeping every offset into the text."""

import re
from dataclasses import dataclass

ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "gen", "col", "lt", "st", "no", "vs", "jan"}
ABBREVIATIONS |= {"feb", "aug", "sept", "oct", "nov", "dec", "gov", "sen", "rep"}
_BOUNDARY = re.compile(r"[.!?…]+[”\"’']*(?=\s+[“\"‘A-Z0-9–—-])|\n\s*")
_INITIALS = re.compile(r"(?:[A-Z]\.)+$")
_WORD = re.compile(r"[A-Za-z][\w’'.-]*|\d[\d,.]*\d%?|\d%?|\S")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


def split_sentences(text):
    """The sentences of ``text`` as spans; paragraph breaks always end one."""
    sentences, start = [], 0
    for match in _BOUNDARY.finditer(text):
        end = match.end() if match.group().strip() else match.start()
        previous = text[start : match.start()].split()
        last_word = previous[-1].rstrip(".").lower() if previous else ""
        if match.group().startswith(".") and (
            last_word in ABBREVIATIONS or _INITIALS.search(previous[-1] + ".")
            if previous
            else False
        ):
            continue
        _append(sentences, text, start, end)
        start = match.end()
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences, text, start, end):
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        offset = start + piece.index(stripped)
        sentences.append(Span(offset, offset + len(stripped), stripped))


def words(text, start, end):
    """The words and punctuation marks of ``text[start:end]``, as spans."""
    found = []
    for match in _WORD.finditer(text, start, end):
        word = match.group()
        word_end = match.end()
        # A full stop ends a sentence, not a word, unless the word is initials (U.S.).
        while len(word) > 1 and word.endswith(".") and not _INITIALS.fullmatch(word):
            word, word_end = word[:-1], word_end - 1
        found.append(Span(match.start(), word_end, word))
        if word_end < match.end():
            found.append(Span(word_end, match.end(), "."))
    return found
