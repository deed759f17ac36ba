"""Events: clauses in which actors do something, dated against the publication.

A clause is an event when it holds a verb of action or statement outside quotation
marks and names who acts. The actors named first (joined by "and") are initiators,
the first one named after the verb is the target, the rest are mentioned. States that
act together ("A, B and C decided …") each get an event of their own, so each can be
reviewed alone. A dated "that"-clause ("X announced that Y will meet on Wednesday")
is an event of its own, with its date; the announcement is dated by the publication.
"""

import re

from extraction import clauses, lexicon
from extraction.actors import ref_identity
from extraction.dates import resolve_date
from extraction.proposals import EventActorRef, EventProposal, proposal_key

THAT = re.compile(r"\bthat\s+")
TITLE_WORDS = 14
_WORD = re.compile(r"[\w’'-]+")


def suggest_category(clause_text, date, published_on):
    if date.precision == "year" and date.date.year < published_on.year:
        return "background"
    # Names are not topics ("Stockholm" is no stock market).
    words = [word for word in _WORD.findall(clause_text) if word.islower()]
    for category, stems in lexicon.CATEGORY_STEMS.items():
        if any(word.startswith(stem) for stem in stems for word in words):
            return category
    return "statement"


def _has_action(text, start, end, quotes):
    for match in _WORD.finditer(text, start, end):
        if not clauses.inside(match.start(), quotes) and clauses.is_action_word(
            match.group()
        ):
            return match.start()
    return None


def _title(text, subject, verb_at, end):
    rest = text[max(subject.end, verb_at) : end]
    rest = rest.replace("“", "").replace("”", "").replace('"', "")
    words = rest.split()
    title = f"{subject.name} {' '.join(words[:TITLE_WORDS])}".strip(" ,.;:")
    if len(words) > TITLE_WORDS:
        title += "…"
    return title[:1].upper() + title[1:]


def _links(index, initiators, others):
    links, seen = [], set()
    for position, mention in enumerate([*initiators, *others]):
        ref = index.ref(mention)
        identity = ref_identity(ref)
        if identity in seen:
            continue
        seen.add(identity)
        if position < len(initiators):
            role = "initiator"
        elif position == len(initiators):
            role = "target"
        else:
            role = "mentioned"
        links.append(EventActorRef(actor=ref, role=role))
    return links


class EventReader:
    def __init__(self, text, index, published_on, quotes):
        self.text = text
        self.index = index
        self.published_on = published_on
        self.quotes = quotes

    def read(self, sentence, mentions):
        proposals = []
        subject = []
        for start, end in clauses.split_clauses(self.text, sentence, self.quotes):
            found = clauses.subjects(self.text, mentions, start, end, self.quotes)
            if self.text[:start].endswith(("which ", "which\n")):
                # ", which supplies …": the actor named just before acts.
                found = [m for m in mentions if m.end <= start][-1:] or found
            after = found[0].end if found else start
            verb_at = _has_action(self.text, after, end, self.quotes)
            if verb_at is None and found:
                verb_at = _has_action(self.text, start, found[0].start, self.quotes)
                found = []
            if verb_at is None:
                continue
            subject = found or subject
            if subject:
                proposals.extend(
                    self._clause(sentence, mentions, subject, start, end, verb_at)
                )
        return proposals

    def _clause(self, sentence, mentions, subject, start, end, verb_at):
        that = THAT.search(self.text, verb_at, end)
        if that and not clauses.inside(that.start(), self.quotes):
            inner = resolve_date(self.text[that.end() : end], self.published_on)
            if inner.precision != "reported":
                outer = self._events(
                    sentence,
                    mentions,
                    subject,
                    start,
                    that.start(),
                    verb_at,
                    resolve_date("", self.published_on),
                    summary_end=end,
                )
                inner_subject = (
                    clauses.subjects(self.text, mentions, that.end(), end, self.quotes)
                    or subject
                )
                return outer + self._events(
                    sentence, mentions, inner_subject, start, end, that.end(), inner
                )
        date = resolve_date(self.text[start:end], self.published_on)
        return self._events(sentence, mentions, subject, start, end, verb_at, date)

    def _events(
        self, sentence, mentions, subject, start, end, verb_at, date, summary_end=None
    ):
        summary_end = summary_end or end
        others = [
            m
            for m in clauses.outermost(mentions)
            if start <= m.start < summary_end
            and not any(m.start < s.end and s.start < m.end for s in subject)
        ]
        excerpt = self.text[start:summary_end].strip()
        category = suggest_category(excerpt, date, self.published_on)
        groups = [[one] for one in subject]
        if len(subject) < 2 or any(one.kind != "state" for one in subject):
            groups = [subject]
        proposals = []
        for initiators in groups:
            links = _links(self.index, initiators, others)
            title = _title(self.text, initiators[0], verb_at, end)
            proposals.append(
                EventProposal(
                    key=proposal_key("event", excerpt, title, date.date),
                    title=title,
                    summary=excerpt,
                    start_date=date.date,
                    date_precision=date.precision,
                    category=category,
                    excerpt=excerpt,
                    start=start,
                    end=start + len(self.text[start:summary_end].rstrip()),
                    actors=links,
                    countries=sorted(
                        {link.actor.country for link in links if link.actor.country}
                    ),
                )
            )
        return proposals
