"""Quotations and who said them.

A quotation is the words inside double quotation marks, straight or typographic; single
marks inside are part of it (nested quotes). The speaker comes from, in this order:
"according to X"; an attribution right after the closing mark ("…,” X said", "…,” said
X", "…,” she said"); the subject of the clause the quotation sits in ("X warned that …
“…”"); and for a quotation standing alone, the speaker of the quotation just before it
in the same paragraph.
"""

import re

from extraction import clauses, lexicon
from extraction.dates import resolve_date
from extraction.proposals import QuoteProposal, proposal_key

ACCORDING_TO = re.compile(r"\baccording to\s+", re.I)
PRONOUN_SAID = re.compile(r"^[\s,]*(?:he|she)\s+(\w+)", re.I)
_WORD = re.compile(r"[\w’'-]+")


def _is_reporting(word):
    return word.lower() in lexicon.REPORTING_VERBS


def _sentence_of(sentences, position):
    for index, sentence in enumerate(sentences):
        if sentence.start <= position < sentence.end:
            return index
    return len(sentences) - 1


def _attribution_after(text, quote_end, limit, mentions, people_before):
    window = text[quote_end:limit]
    offset = len(window) - len(window.lstrip(" ,"))
    start = quote_end + offset
    pronoun = PRONOUN_SAID.match(window)
    if pronoun and _is_reporting(pronoun.group(1)):
        return people_before[-1] if people_before else None
    following = [
        m for m in mentions if start <= m.start < start + 80 and m.end <= limit
    ]
    if not following:
        return None
    mention = clauses._fullest(following, following[0])
    if mention.start == start:
        after = _WORD.findall(text[mention.end : mention.end + 30])
        if after and _is_reporting(after[0]):
            return mention
    first_word = _WORD.findall(window)[:1]
    if first_word and _is_reporting(first_word[0]):
        return mention
    return None


def _according_to(text, sentence, mentions):
    match = ACCORDING_TO.search(text, sentence.start, sentence.end)
    if not match:
        return None
    for mention in mentions:
        if mention.start == match.end() or (
            mention.start > match.end()
            and text[match.end() : mention.start].strip().lower() in {"the", "its"}
        ):
            return clauses._fullest(mentions, mention)
    return None


def find_speakers(text, sentences, mentions_by_sentence, quote_spans):
    """For each quotation ``(start, end)``, the mention of its speaker or None."""
    speakers = []
    previous = None
    for quote_start, quote_end in quote_spans:
        index = _sentence_of(sentences, quote_start)
        sentence = sentences[index]
        mentions = mentions_by_sentence[index]
        people_before = [
            m
            for sentence_mentions in mentions_by_sentence[: index + 1]
            for m in sentence_mentions
            if m.kind == "person" and m.start < quote_start
        ]
        next_quote = min(
            (start for start, _ in quote_spans if start >= quote_end),
            default=len(text),
        )
        limit = min(next_quote, sentences[_sentence_of(sentences, quote_end - 1)].end)
        speaker = (
            _according_to(text, sentence, mentions)
            or _attribution_after(
                text,
                quote_end,
                limit,
                mentions_after(mentions_by_sentence, index),
                people_before,
            )
            or _clause_subject(text, sentence, mentions, quote_start, quote_spans)
        )
        if speaker is None and previous is not None:
            previous_end, previous_speaker = previous
            if "\n" not in text[previous_end:quote_start]:
                speaker = previous_speaker
        speakers.append(speaker)
        previous = (quote_end, speaker)
    return speakers


def mentions_after(mentions_by_sentence, index):
    """The mentions of a sentence and the next one: attributions cross a full stop."""
    return [m for group in mentions_by_sentence[index : index + 2] for m in group]


def _clause_subject(text, sentence, mentions, quote_start, quote_spans):
    """The subject of the quotation's clause, or of the clause before it that has one
    ("X rejected …, and warning that … “…”")."""
    subject = None
    for start, end in clauses.split_clauses(text, sentence, quote_spans):
        if start > quote_start:
            break
        found = clauses.subjects(
            text, mentions, start, min(end, quote_start), quote_spans
        )
        subject = found[0] if found else subject
    return subject


def quote_text(text, start, end):
    """The words inside the marks; a comma before the closing mark is the attribution's."""
    words = text[start + 1 : end - 1].strip()
    return words[:-1].rstrip() if words.endswith(",") else words


def propose_quotes(text, sentences, mentions_by_sentence, index, published_on):
    spans = clauses.quote_spans(text)
    speakers = find_speakers(text, sentences, mentions_by_sentence, spans)
    proposals = []
    for (start, end), speaker in zip(spans, speakers, strict=True):
        words = quote_text(text, start, end)
        if not words:
            continue
        first = sentences[_sentence_of(sentences, start)]
        last = sentences[_sentence_of(sentences, end - 1)]
        excerpt = text[first.start : max(first.end, last.end)]
        date = resolve_date(first.text, published_on)
        if date.precision in {"year", "month"}:
            date = resolve_date("", published_on)
        ref = index.ref(speaker) if speaker is not None else None
        proposals.append(
            QuoteProposal(
                key=proposal_key("quote", words, ref.name if ref else ""),
                text=words,
                speaker=ref,
                said_on=date.date,
                date_precision=date.precision,
                excerpt=excerpt,
                start=start,
                end=end,
            )
        )
    return proposals
