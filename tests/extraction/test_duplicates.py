import datetime

import pytest

from extraction.actors import ActorIndex
from extraction.assistant import propose
from extraction.duplicates import flag_duplicates
from tests.extraction.articles import PUBLISHED, TALKS
from tests.factories import make_actor, make_event, make_quote

pytestmark = pytest.mark.django_db


def _proposals():
    return flag_duplicates(propose(TALKS, PUBLISHED, ActorIndex.from_database()))


def test_quote_with_same_speaker_and_words_is_flagged():
    korhonen = make_actor(name="Aino Korhonen")
    make_quote(speaker=korhonen, text="We came to listen")
    quote = next(q for q in _proposals().quotes if q.text == "We came to listen")
    assert quote.duplicate_of


def test_same_words_from_another_speaker_are_not_a_duplicate():
    make_actor(name="Aino Korhonen")
    make_quote(speaker=make_actor(name="Someone Else"), text="We came to listen")
    quote = next(q for q in _proposals().quotes if q.text == "We came to listen")
    assert not quote.duplicate_of


def test_event_with_near_identical_title_in_the_same_week_is_flagged():
    make_event(
        title="Norway decided to send observers.",
        start_date=datetime.date(2023, 3, 12),
    )
    events = {event.title: event for event in _proposals().events}
    assert events["Norway decided to send observers"].duplicate_of
    assert not events["Denmark decided to send observers"].duplicate_of


def test_same_title_a_month_away_is_not_a_duplicate():
    make_event(
        title="Norway decided to send observers",
        start_date=datetime.date(2023, 2, 10),
    )
    events = {event.title: event for event in _proposals().events}
    assert not events["Norway decided to send observers"].duplicate_of
