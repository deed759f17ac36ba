"""Clauses and their subjects: who does what in a sentence, read from its mentions."""

import re

from extraction import lexicon

PREPOSITIONS = {"about", "after", "against", "at", "before", "between", "by"}
PREPOSITIONS |= {"despite", "for", "from", "in", "into", "near", "of", "on", "over"}
PREPOSITIONS |= {"to", "toward", "towards", "under", "with", "within", "without"}
# Where a sentence's second clause begins; a new subject may follow.
CLAUSE_BREAK = re.compile(r",\s+(?:while|but|where|which)\s+|;\s+|\s+while\s+")
# " and <verb>" starts a clause that keeps the subject of the one before.
AND_VERB = re.compile(r"\s+and\s+(?=(?:is\s+|has\s+|also\s+)?(\w+))")
TRAILING_BREAK = re.compile(r"(?:[,;]?\s+(?:while|but|where|which|and))?[\s,;]*$")
QUOTE = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_WORD = re.compile(r"[\w’'-]+")
COORDINATION = re.compile(r"^(?:,\s*|\s+and\s+(?:the\s+)?|\s*,\s+and\s+(?:the\s+)?)$")


def quote_spans(text):
    return [(match.start(), match.end()) for match in QUOTE.finditer(text)]


def inside(position, spans):
    return any(start <= position < end for start, end in spans)


def is_action_word(word):
    word = word.lower()
    return any(word.startswith(stem) for stem in lexicon.ACTION_VERB_STEMS)


def split_clauses(text, sentence, quotes):
    """``(start, end)`` of each clause of ``sentence``; breaks inside quotes are ignored."""
    cuts = [sentence.start]
    for pattern in (CLAUSE_BREAK, AND_VERB):
        for match in pattern.finditer(text, sentence.start, sentence.end):
            if inside(match.start(), quotes):
                continue
            if pattern is AND_VERB and not is_action_word(match.group(1)):
                continue
            cuts.append(match.end())
    cuts = sorted(set(cuts))
    clauses = []
    for start, end in zip(cuts, [*cuts[1:], sentence.end], strict=True):
        piece = TRAILING_BREAK.sub("", text[start:end])
        clauses.append((start, start + len(piece)))
    return clauses


def _after_preposition(text, position):
    if text[max(0, position - 40) : position].rstrip().endswith(","):
        return False
    before = _WORD.findall(text[max(0, position - 40) : position].lower())
    if not before:
        return False
    if before[-1] in PREPOSITIONS:
        return True
    return len(before) > 1 and before[-1] == "the" and before[-2] in PREPOSITIONS


def subjects(text, mentions, start, end, quotes):
    """The mentions that are the subject of the clause ``text[start:end]``, in order.

    The subject is the first actor named outside quotation marks and not after a
    preposition ("In London, ..."); actors joined to it by commas and "and" share it.
    Where a person and their office start together, the office speaks.
    """
    candidates = [
        mention
        for mention in mentions
        if start <= mention.start < end
        and not inside(mention.start, quotes)
        and not _after_preposition(text, mention.start)
    ]
    if not candidates:
        return []
    first = _fullest(candidates, candidates[0])
    found = [first]
    last_end = first.end
    for mention in candidates:
        if mention.start < last_end:
            continue
        if COORDINATION.match(text[last_end : mention.start]):
            mention = _fullest(candidates, mention)
            found.append(mention)
            last_end = mention.end
        else:
            break
    return found


def outermost(mentions):
    """The mentions not inside a longer one ("European Council" in "European Council
    President Charles Michel")."""
    return [
        mention
        for mention in mentions
        if not any(
            other is not mention
            and other.start <= mention.start
            and mention.end <= other.end
            and (other.end - other.start) > (mention.end - mention.start)
            for other in mentions
        )
    ]


def _fullest(candidates, mention):
    overlapping = [
        other
        for other in candidates
        if other.start <= mention.start < other.end
        or mention.start <= other.start < mention.end
    ]
    offices = [other for other in overlapping if other.kind == "office"]
    if offices:
        return offices[0]
    return max(overlapping, key=lambda other: (other.end - other.start, -other.start))
