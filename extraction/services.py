"""Writing what an editor accepted: drafts, their citations and actor links, at once."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from crisis.models import Actor, Citation, Event, EventActor, Quote, Status
from extraction.actors import ref_identity

CHANGE_REASON = "from the assistant"


class AcceptError(Exception):
    """An accepted proposal cannot be written; ``problems`` say which and why."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass
class Accepted:
    events: list = field(default_factory=list)
    quotes: list = field(default_factory=list)
    actors: list = field(default_factory=list)


def _unique_slug(model, text):
    base = slugify(text)[:100] or model._meta.model_name
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _save(instance, user, label):
    try:
        instance.full_clean()
    except ValidationError as error:
        messages = [m for ms in error.message_dict.values() for m in ms]
        raise AcceptError([f"{label}: {' '.join(messages)}"]) from error
    instance._history_user = user
    instance._change_reason = CHANGE_REASON
    instance.save()
    return instance


class _Writer:
    def __init__(self, source, user):
        self.source = source
        self.user = user
        self.actors = {}
        self.accepted = Accepted()

    def actor(self, ref):
        identity = ref_identity(ref)
        if identity not in self.actors:
            if ref.actor_id:
                self.actors[identity] = Actor.objects.get(pk=ref.actor_id)
            else:
                actor = Actor(
                    name=ref.name,
                    slug=_unique_slug(Actor, ref.name),
                    kind=ref.kind,
                    title=ref.title,
                    country=ref.country,
                )
                self.actors[identity] = _save(actor, self.user, f"Actor “{ref.name}”")
                self.accepted.actors.append(self.actors[identity])
        return self.actors[identity]

    def cite(self, label, excerpt, **target):
        citation = Citation(source=self.source, excerpt=excerpt, **target)
        _save(citation, self.user, label)

    def event(self, proposal):
        label = f"Event “{proposal.title}”"
        event = Event(
            title=proposal.title,
            slug=_unique_slug(Event, proposal.title),
            summary=proposal.summary,
            start_date=proposal.start_date,
            date_precision=proposal.date_precision,
            category=proposal.category,
            countries=proposal.countries,
            status=Status.DRAFT,
        )
        _save(event, self.user, label)
        for link in proposal.actors:
            _save(
                EventActor(event=event, actor=self.actor(link.actor), role=link.role),
                self.user,
                label,
            )
        self.cite(label, proposal.excerpt, event=event)
        self.accepted.events.append((proposal, event))
        return event

    def quote(self, proposal):
        label = f"Quote “{proposal.text[:40]}”"
        if proposal.speaker is None:
            raise AcceptError([f"{label}: name who said it (edit the proposal)."])
        event = next(
            (
                event
                for event_proposal, event in self.accepted.events
                if event_proposal.start <= proposal.start < event_proposal.end
            ),
            None,
        )
        quote = Quote(
            slug=_unique_slug(Quote, f"{proposal.speaker.name} {proposal.text}"[:80]),
            text=proposal.text,
            speaker=self.actor(proposal.speaker),
            said_on=proposal.said_on,
            date_precision=proposal.date_precision,
            event=event,
            source=self.source,
            status=Status.DRAFT,
        )
        _save(quote, self.user, label)
        self.cite(label, proposal.excerpt, quote=quote)
        self.accepted.quotes.append(quote)


@transaction.atomic
def proposals_accept(*, source, proposals, user):
    """Write the accepted ``proposals`` of ``source`` as drafts, all or none.

    Events and quotes come with their citation, actors with their links; an actor not
    on file is created once however many proposals name it. Raises ``AcceptError``
    (having written nothing) when any one cannot be saved.
    """
    writer = _Writer(source, user)
    kinds = {"actor": [], "event": [], "quote": []}
    for proposal in proposals:
        kinds[proposal.kind_of_proposal].append(proposal)
    for proposal in kinds["actor"]:
        writer.actor(proposal.actor)
    for proposal in kinds["event"]:
        writer.event(proposal)
    for proposal in kinds["quote"]:
        writer.quote(proposal)
    return writer.accepted
