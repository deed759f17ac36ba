import dataclasses

import pytest

from crisis.models import Actor, Citation, Event, EventActor, Quote
from extraction.actors import ActorIndex
from extraction.assistant import propose
from extraction.services import AcceptError, proposals_accept
from tests.extraction.articles import PUBLISHED, TALKS
from tests.factories import make_source, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return make_source(text=TALKS, published_on=PUBLISHED)


def _proposals():
    return propose(TALKS, PUBLISHED, ActorIndex.from_database())


def test_an_actor_named_by_several_proposals_is_created_once(source):
    proposals = _proposals()
    korhonen = [q for q in proposals.quotes if q.speaker.name == "Aino Korhonen"]
    proposals_accept(source=source, proposals=korhonen, user=make_user("Editor"))
    assert Actor.objects.filter(name="Aino Korhonen").count() == 1
    assert Quote.objects.count() == len(korhonen)


def test_a_quote_inside_an_accepted_events_excerpt_is_linked_to_it(source):
    proposals = _proposals()
    event = next(e for e in proposals.events if e.title.startswith("Kremlin"))
    quote = next(q for q in proposals.quotes if q.speaker.name == "Kremlin")
    proposals_accept(source=source, proposals=[quote, event], user=make_user("Editor"))
    assert Quote.objects.get().event == Event.objects.get()


def test_a_proposal_whose_excerpt_is_not_verbatim_rolls_everything_back(source):
    proposals = _proposals()
    good = next(e for e in proposals.events if e.title.startswith("Norway decided"))
    bad = dataclasses.replace(
        next(e for e in proposals.events if e.title.startswith("Denmark")),
        excerpt="Denmark sent a fleet.",
    )
    with pytest.raises(AcceptError, match="not found in the source"):
        proposals_accept(source=source, proposals=[good, bad], user=make_user("Editor"))
    assert not Event.objects.exists()
    assert not EventActor.objects.exists()
    assert not Citation.objects.exists()
    assert not Actor.objects.exists()
