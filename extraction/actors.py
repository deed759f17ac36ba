"""Matching mentions to the actors already on file, and proposing the others."""

from dataclasses import dataclass

from crisis.text import normalise_for_matching
from extraction.proposals import ActorProposal, ActorRef, proposal_key


def normalise_name(name):
    name = normalise_for_matching(name).lower()
    return name[4:] if name.startswith("the ") else name


@dataclass(frozen=True)
class KnownActor:
    pk: int
    name: str
    kind: str
    title: str
    country: str
    aliases: tuple = ()


class ActorIndex:
    """Existing actors by every name and alias they are known by."""

    def __init__(self, actors=()):
        self.by_name = {}
        for actor in actors:
            for name in (actor.name, *actor.aliases):
                self.by_name.setdefault(normalise_name(name), actor)

    @classmethod
    def from_database(cls):
        from crisis.models import Actor

        return cls(
            KnownActor(
                pk=actor.pk,
                name=actor.name,
                kind=actor.kind,
                title=actor.title,
                country=str(actor.country or ""),
                aliases=tuple(actor.alias_list),
            )
            for actor in Actor.objects.only(
                "pk", "name", "kind", "title", "country", "aliases"
            )
        )

    def match(self, mention):
        for name in (mention.printed, mention.name):
            if name and normalise_name(name) in self.by_name:
                return self.by_name[normalise_name(name)]
        return None

    def ref(self, mention):
        """The actor a mention names: an existing one, or a new one as the text gives it."""
        known = self.match(mention)
        if known is not None:
            return ActorRef.of(known)
        return ActorRef(
            name=mention.name,
            kind=mention.kind,
            title=mention.title,
            country=mention.country,
        )


def ref_identity(ref):
    return (
        ("actor", ref.actor_id) if ref.actor_id else ("new", normalise_name(ref.name))
    )


def propose_actors(text, mentions, index):
    """One proposal per actor named, at its first mention, with the fullest title given."""
    proposals = {}
    for sentence, mention in mentions:
        ref = index.ref(mention)
        identity = ref_identity(ref)
        if identity in proposals:
            if not proposals[identity].actor.title and ref.title:
                proposals[identity].actor.title = ref.title
            continue
        proposals[identity] = ActorProposal(
            key=proposal_key("actor", *identity),
            actor=ref,
            excerpt=sentence.text,
            start=mention.start,
            end=mention.end,
        )
    return list(proposals.values())
