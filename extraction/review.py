"""An editor's review in progress: which proposals are accepted or rejected, and the
corrections made to them.

Kept in the editor's session, not the database: nothing reaches the timeline before the
editor confirms. Proposals are recomputed from the source on every page (well under a
second), and the keys tie the decisions to them.
"""

import dataclasses
import datetime

from crisis.text import locate
from extraction.actors import ActorIndex, normalise_name
from extraction.assistant import propose
from extraction.duplicates import flag_duplicates
from extraction.proposals import ActorRef

ACCEPTED, REJECTED = "accepted", "rejected"
DATE_FIELDS = {"start_date", "said_on"}


def source_proposals(source, index=None):
    index = ActorIndex.from_database() if index is None else index
    proposals = propose(source.text, source.published_on, index)
    return flag_duplicates(proposals, source=source)


class Review:
    def __init__(self, session, source):
        self.session = session
        self.session_key = f"extraction-review-{source.pk}"
        stored = session.get(self.session_key) or {}
        self.decisions = dict(stored.get("decisions", {}))
        self.edits = dict(stored.get("edits", {}))
        self.source = source

    def _store(self):
        self.session[self.session_key] = {
            "decisions": self.decisions,
            "edits": self.edits,
        }

    def decide(self, key, decision):
        if decision in (ACCEPTED, REJECTED):
            self.decisions[key] = decision
        else:
            self.decisions.pop(key, None)
        self._store()

    def correct(self, key, data):
        self.edits[key] = {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in data.items()
        }
        self.decisions[key] = ACCEPTED
        self._store()

    def clear(self):
        self.session.pop(self.session_key, None)

    def decision(self, key):
        return self.decisions.get(key, "")

    def corrected(self, proposal, index):
        """The proposal with the editor's corrections applied."""
        edits = self.edits.get(proposal.key)
        if not edits:
            return proposal
        values = {
            name: datetime.date.fromisoformat(value) if name in DATE_FIELDS else value
            for name, value in edits.items()
        }
        kind = proposal.kind_of_proposal
        if kind == "actor":
            actor = dataclasses.replace(proposal.actor, **values)
            return dataclasses.replace(proposal, actor=actor)
        if kind == "quote":
            speaker_name = values.pop("speaker")
            values["speaker"] = _speaker(speaker_name, proposal.speaker, index)
        span = locate(values["excerpt"], self.source.text)
        if span:
            values["start"], values["end"] = span
        return dataclasses.replace(proposal, **values)

    def accepted(self, proposals, index):
        return [
            self.corrected(proposal, index)
            for proposal in proposals.all()
            if self.decisions.get(proposal.key) == ACCEPTED
            and not _is_duplicate(proposal)
        ]


def _is_duplicate(proposal):
    return bool(getattr(proposal, "duplicate_of", ""))


def _speaker(name, current, index):
    if current is not None and normalise_name(current.name) == normalise_name(name):
        return current
    known = index.by_name.get(normalise_name(name))
    if known is not None:
        return ActorRef.of(known)
    return ActorRef(name=name, kind="person")


def highlighted_segments(text, proposals):
    """``text`` cut where proposals begin and end, for a page to show.

    Each segment is a dict: its ``text``, the ``keys`` of proposals starting there (an
    anchor a card links to), and whether a ``<mark>`` ``opens`` before it or ``closes``
    after it. Passages cited by events and quotes are marked, as one mark while they
    run on.
    """
    cited = [p for p in proposals if p.kind_of_proposal != "actor"]
    cuts = {0, len(text)}
    for proposal in proposals:
        cuts.update((proposal.start, proposal.end))
    cuts = sorted(cut for cut in cuts if 0 <= cut <= len(text))
    starts = {}
    for proposal in proposals:
        starts.setdefault(proposal.start, []).append(proposal.key)
    segments = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        marked = any(p.start <= start and end <= p.end for p in cited)
        segments.append(
            {"text": text[start:end], "keys": starts.get(start, []), "marked": marked}
        )
    for number, segment in enumerate(segments):
        before = segments[number - 1]["marked"] if number else False
        after = segments[number + 1]["marked"] if number + 1 < len(segments) else False
        segment["opens"] = segment["marked"] and not before
        segment["closes"] = segment["marked"] and not after
    return segments
