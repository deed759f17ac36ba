import pytest

from extraction.actors import ActorIndex, KnownActor
from extraction.assistant import propose
from tests.extraction.articles import PUBLISHED, TALKS
from tests.factories import make_actor


def _actors(index=None):
    proposals = propose(TALKS, PUBLISHED, index or ActorIndex())
    return {proposal.actor.name: proposal.actor for proposal in proposals.actors}


def test_new_person_gets_the_title_and_country_the_text_gives():
    actor = _actors()["Aino Korhonen"]
    assert (actor.kind, actor.title, actor.country) == (
        "person",
        "Finnish Foreign Minister",
        "FI",
    )
    assert actor.is_new


def test_a_persons_office_is_an_actor_of_its_own():
    actors = _actors()
    assert actors["Lars Dahl's office"].kind == "office"
    assert actors["Lars Dahl"].title == "Swedish Prime Minister"


def test_states_are_recognised_with_their_code():
    actors = _actors()
    assert (actors["Norway"].kind, actors["Norway"].country) == ("state", "NO")


def test_an_actor_is_proposed_once_however_often_named():
    proposals = propose(TALKS, PUBLISHED, ActorIndex())
    names = [proposal.actor.name for proposal in proposals.actors]
    assert names.count("Aino Korhonen") == 1


def test_known_actor_is_matched_by_alias():
    known = KnownActor(
        pk=7,
        name="Aino K. Korhonen",
        kind="person",
        title="Foreign Minister of Finland",
        country="FI",
        aliases=("Aino Korhonen",),
    )
    actor = _actors(ActorIndex([known]))["Aino K. Korhonen"]
    assert actor.actor_id == 7


@pytest.mark.django_db
def test_speaker_matched_to_an_actor_on_file_by_alias():
    stored = make_actor(
        name="Office of the Swedish Prime Minister", aliases="Lars Dahl's office"
    )
    proposals = propose(TALKS, PUBLISHED, ActorIndex.from_database())
    quote = next(q for q in proposals.quotes if q.text == "the door remains open.")
    assert quote.speaker.actor_id == stored.pk
