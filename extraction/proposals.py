"""What the assistant proposes: plain records, none of them saved until an editor accepts.

Each proposal carries its verbatim excerpt and where it sits in the source text, and a
key that stays the same when the same text is read again, so a review can refer to it.
"""

import datetime
import hashlib
from dataclasses import dataclass, field


def proposal_key(kind, *parts):
    digest = hashlib.sha1("\x1f".join(str(part) for part in parts).encode()).hexdigest()
    return f"{kind}-{digest[:10]}"


def _display_date(value, precision):
    from crisis.models import format_partial_date

    return format_partial_date(value, precision)


@dataclass
class ActorRef:
    """An actor as a proposal names it: an existing one (``actor_id``) or a new one."""

    name: str
    kind: str = "organisation"
    title: str = ""
    country: str = ""
    actor_id: int | None = None

    @classmethod
    def of(cls, actor):
        """The reference to an actor already on file."""
        return cls(
            name=actor.name,
            kind=actor.kind,
            title=actor.title,
            country=actor.country,
            actor_id=actor.pk,
        )

    @property
    def is_new(self):
        return self.actor_id is None


@dataclass
class ActorProposal:
    key: str
    actor: ActorRef
    excerpt: str
    start: int
    end: int
    kind_of_proposal: str = "actor"


@dataclass
class QuoteProposal:
    key: str
    text: str
    speaker: ActorRef | None
    said_on: datetime.date
    date_precision: str
    excerpt: str
    start: int
    end: int
    duplicate_of: str = ""
    kind_of_proposal: str = "quote"

    @property
    def display_date(self):
        return _display_date(self.said_on, self.date_precision)


@dataclass
class EventActorRef:
    actor: ActorRef
    role: str


@dataclass
class EventProposal:
    key: str
    title: str
    summary: str
    start_date: datetime.date
    date_precision: str
    category: str
    excerpt: str
    start: int
    end: int
    actors: list[EventActorRef] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    duplicate_of: str = ""
    kind_of_proposal: str = "event"

    @property
    def display_date(self):
        return _display_date(self.start_date, self.date_precision)

    @property
    def category_label(self):
        from crisis.models import Category

        return Category(self.category).label

    @property
    def initiators(self):
        return [link.actor for link in self.actors if link.role == "initiator"]


@dataclass
class Proposals:
    actors: list[ActorProposal]
    quotes: list[QuoteProposal]
    events: list[EventProposal]

    def all(self):
        return [*self.events, *self.quotes, *self.actors]

    def by_key(self):
        return {proposal.key: proposal for proposal in self.all()}
