from extraction.actors import ActorIndex
from extraction.assistant import propose
from tests.extraction.articles import PUBLISHED, TALKS


def _events():
    return propose(TALKS, PUBLISHED, ActorIndex()).events


def _initiators(event):
    return [actor.name for actor in event.initiators]


def test_states_acting_together_each_get_an_event():
    deciding = [event for event in _events() if "decided" in event.title]
    assert sorted(_initiators(event)[0] for event in deciding) == ["Denmark", "Norway"]
    assert {event.date_precision for event in deciding} == {"approximate"}


def test_event_on_a_weekday_after_publication_is_dated_to_the_day():
    meeting = next(event for event in _events() if "Oslo" in event.title)
    assert (meeting.start_date.isoformat(), meeting.date_precision) == (
        "2023-03-17",
        "day",
    )
    assert _initiators(meeting) == ["Norway"]


def test_event_in_a_past_year_is_background_with_year_precision():
    joined = next(event for event in _events() if "joined" in event.title)
    assert (joined.start_date.isoformat(), joined.date_precision, joined.category) == (
        "2004-01-01",
        "year",
        "background",
    )


def test_undated_event_is_reported_by_the_publication_date():
    kremlin = next(event for event in _events() if event.title.startswith("Kremlin"))
    assert (kremlin.start_date, kremlin.date_precision) == (PUBLISHED, "reported")


def test_event_countries_come_from_its_actors():
    deciding = [event for event in _events() if "decided" in event.title]
    assert sorted(code for event in deciding for code in event.countries) == [
        "DK",
        "NO",
    ]


def test_event_excerpts_are_verbatim_and_located():
    for event in _events():
        assert TALKS[event.start : event.end] == event.excerpt
