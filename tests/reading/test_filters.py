import datetime

import pytest
from django.http import QueryDict

from crisis.models import Event, EventActor, Quote, Tag
from crisis.reading.filter_fields import parse_page
from crisis.reading.filters import EventFilter, QuoteFilter
from tests.factories import make_actor, make_event, make_quote

pytestmark = pytest.mark.django_db


def filtered(query):
    filterset = EventFilter(QueryDict(query), Event.objects.published())
    return filterset, set(filterset.qs.values_list("title", flat=True))


@pytest.fixture
def scholz():
    return make_actor(
        name="Olaf Scholz", slug="olaf-scholz", aliases="Olf Scholz\nScholz"
    )


def test_search_calls_the_model_search_and_finds_titles():
    make_event(title="Talks in Paris")
    make_event(title="Troops on alert")
    assert filtered("q=paris")[1] == {"Talks in Paris"}


def test_search_by_alias_finds_the_actors_events(seeded):
    filterset, titles = filtered("q=Olf+Scholz")
    assert filterset.is_valid()
    scholz_events = set(
        Event.objects.published()
        .filter(event_actors__actor__slug="olaf-scholz")
        .values_list("title", flat=True)
    )
    assert scholz_events and scholz_events <= titles


def test_from_keeps_events_ending_on_or_after_it():
    make_event(title="Before", start_date=datetime.date(2022, 1, 10))
    make_event(
        title="Spanning",
        start_date=datetime.date(2022, 1, 10),
        end_date=datetime.date(2022, 1, 21),
    )
    make_event(title="After", start_date=datetime.date(2022, 1, 25))
    assert filtered("from=2022-01-20")[1] == {"Spanning", "After"}


def test_to_keeps_events_starting_on_or_before_it():
    make_event(title="Before", start_date=datetime.date(2022, 1, 10))
    make_event(title="After", start_date=datetime.date(2022, 1, 25))
    assert filtered("to=2022-01-24")[1] == {"Before"}


def test_actor_filter_takes_several_slugs_and_keeps_events_with_any(scholz):
    biden = make_actor(slug="joe-biden")
    make_event(title="Scholz", actors=[scholz])
    make_event(title="Biden", actors=[biden])
    make_event(title="Both", actors=[scholz, biden])
    make_event(title="Neither")
    assert filtered("actor=olaf-scholz")[1] == {"Scholz", "Both"}
    assert filtered("actor=olaf-scholz&actor=joe-biden")[1] == {
        "Scholz",
        "Biden",
        "Both",
    }


def test_role_with_actor_applies_to_that_actor(scholz):
    other = make_actor()
    led = make_event(title="Led", actors=[other])
    EventActor.objects.create(event=led, actor=scholz, role="initiator")
    targeted = make_event(title="Targeted", actors=[other])
    EventActor.objects.create(event=targeted, actor=scholz, role="target")
    assert filtered("actor=olaf-scholz&role=initiator")[1] == {"Led"}


def test_role_alone_keeps_events_with_any_actor_in_that_role():
    make_event(title="Participants only")
    event = make_event(title="Has a target")
    EventActor.objects.create(event=event, actor=make_actor(), role="target")
    assert filtered("role=target")[1] == {"Has a target"}


def test_category_is_repeatable():
    make_event(title="Mil", category="military")
    make_event(title="Sanc", category="sanctions")
    make_event(title="Dip", category="diplomacy")
    assert filtered("category=military&category=sanctions")[1] == {"Mil", "Sanc"}


def test_country_matches_one_of_the_event_countries():
    make_event(title="Both", countries=["RU", "UA"])
    make_event(title="US", countries=["US"])
    assert filtered("country=UA")[1] == {"Both"}


def test_several_countries_match_events_in_any_of_them():
    make_event(title="Both", countries=["RU", "UA"])
    make_event(title="US", countries=["US"])
    make_event(title="FR", countries=["FR"])
    filterset, titles = filtered("country=us&country=Ukraine")
    assert titles == {"Both", "US"}
    assert filterset.params == [("country", "US"), ("country", "UA")]


def test_tag_filter_by_slug():
    tagged = make_event(title="Tagged")
    tagged.tags.add(Tag.objects.create(name="NATO summit"))
    make_event(title="Untagged")
    assert filtered("tag=nato-summit")[1] == {"Tagged"}


def test_importance_is_a_minimum():
    make_event(title="Minor", importance=1)
    make_event(title="Notable", importance=2)
    make_event(title="Major", importance=3)
    assert filtered("importance=2")[1] == {"Notable", "Major"}


def test_filters_combine_with_and(scholz):
    make_event(title="Match", actors=[scholz], category="military", countries=["DE"])
    make_event(title="Wrong category", actors=[scholz], category="economy")
    make_event(title="Wrong actor", category="military", countries=["DE"])
    make_event(
        title="Too early",
        actors=[scholz],
        category="military",
        start_date=datetime.date(2021, 1, 1),
    )
    query = "actor=olaf-scholz&category=military&from=2022-01-01&country=DE&q=match"
    assert filtered(query)[1] == {"Match"}


def test_an_actor_in_two_roles_gives_the_event_once(scholz):
    event = make_event(title="Twice", actors=[scholz])
    EventActor.objects.create(event=event, actor=scholz, role="initiator")
    filterset, _ = filtered("actor=olaf-scholz")
    assert filterset.qs.count() == 1


def test_drafts_stay_out_when_the_base_queryset_is_published():
    make_event(title="Draft", status="draft")
    assert filtered("")[1] == set()


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("from=2022-13-45", "from", "YYYY-MM-DD"),
        ("to=yesterday", "to", "YYYY-MM-DD"),
        ("actor=99999", "actor", "No actor is called “99999”"),
        ("category=weather", "category", "Unknown category"),
        ("country=XX", "country", "not an ISO country code"),
        ("tag=nope", "tag", "No tag"),
        ("importance=7", "importance", "from 1 (minor) to 3"),
        ("role=king", "role", "Unknown role"),
        ("q=" + "x" * 10_000, "q", "too long"),
        ("from=2022-02-01&to=2022-01-01", "to", "before “From”"),
    ],
)
def test_bad_parameters_give_a_message_on_their_field(query, field, words):
    filterset = EventFilter(QueryDict(query), Event.objects.published())
    assert not filterset.is_valid()
    assert words in " ".join(filterset.errors[field])


def test_bad_parameter_is_left_out_and_the_rest_still_filter():
    make_event(title="Mil", category="military")
    make_event(title="Dip", category="diplomacy")
    filterset, titles = filtered("category=military&from=2022-13-45")
    assert titles == {"Mil"}
    assert filterset.params == [("category", "military")]


def test_null_bytes_in_search_are_an_error_not_a_crash():
    make_event(title="Still listed")
    filterset = EventFilter(QueryDict("q=a%00b"), Event.objects.published())
    assert "q" in filterset.errors
    assert [event.title for event in filterset.qs] == ["Still listed"]


def test_chips_remove_one_value_each(scholz):
    filterset = EventFilter(
        QueryDict("actor=olaf-scholz&category=military&category=economy"),
        Event.objects.published(),
    )
    chips = {(chip.label, chip.value): chip.remove_query for chip in filterset.chips()}
    assert chips[("Actors", "Olaf Scholz")] == "category=military&category=economy"
    assert chips[("Categories", "Military")] == "actor=olaf-scholz&category=economy"


def test_filter_is_reusable_on_any_event_queryset():
    make_event(title="Mil", category="military")
    make_event(title="Draft mil", category="military", status="draft")
    qs = EventFilter({"category": ["military"]}, Event.objects.all()).qs
    assert set(qs.values_list("title", flat=True)) == {"Mil", "Draft mil"}


@pytest.mark.parametrize(
    ("raw", "number", "has_error"),
    [
        (None, 1, False),
        ("3", 3, False),
        ("-1", 1, True),
        ("x", 1, True),
        ("0", 1, True),
    ],
)
def test_parse_page(raw, number, has_error):
    parsed, error = parse_page(raw)
    assert parsed == number
    assert bool(error) is has_error


def test_quote_filter_by_speaker_words_and_dates(scholz):
    make_quote(speaker=scholz, said_on=datetime.date(2022, 1, 20))
    other = make_quote(said_on=datetime.date(2022, 1, 26))
    by_speaker = QuoteFilter(QueryDict("speaker=olaf-scholz"), Quote.objects.all())
    assert [quote.speaker for quote in by_speaker.qs] == [scholz]
    by_alias = QuoteFilter(QueryDict("q=olf"), Quote.objects.all())
    assert [quote.speaker for quote in by_alias.qs] == [scholz]
    by_date = QuoteFilter(QueryDict("from=2022-01-25"), Quote.objects.all())
    assert list(by_date.qs) == [other]


def test_actor_picker_lists_the_most_involved_actors_and_any_asked_for(client):
    """A timeline with thousands of actors keeps its form small."""
    from crisis.reading.filters import ACTOR_CHOICES_SHOWN

    busy = [make_actor(name=f"Busy {n:03d}") for n in range(ACTOR_CHOICES_SHOWN)]
    for actor in busy:
        make_event(actors=[actor])
    quiet = make_actor(name="Quiet actor", slug="quiet-actor")
    html = client.get("/").content.decode()
    assert "Busy 000" in html and "Quiet actor" not in html
    response = client.get("/", {"actor": "quiet-actor"})
    assert response.status_code == 200
    asked = response.content.decode()
    assert 'value="quiet-actor" checked' in asked
    assert quiet.name in asked
    # The asked actor comes on top of the suggestions, none of which it pushes out.
    assert all(actor.name in asked for actor in busy)
    unknown = client.get("/", {"actor": "no-such-actor"})
    assert unknown.status_code == 400
    assert "No actor is called “no-such-actor”" in unknown.content.decode()


def test_a_typed_surname_keeps_the_pickers_suggestions(client):
    """A surname looks like a slug; once resolved by name, the picker still lists its
    suggestions (it used to list only the actors the name matched)."""
    scholz = make_actor(name="Olaf Scholz")
    others = [make_actor(name=f"Other {n}") for n in range(3)]
    make_event(actors=[scholz, *others], title="Talks in Berlin")
    response = client.get("/", {"actor": "scholz"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{scholz.slug}" checked' in page
    assert all(f'<option value="{actor.name}">' in page for actor in others)
    assert "Talks in Berlin" in page


def test_the_actor_filter_asks_for_actors_by_id_not_by_a_join_on_their_slug():
    """With ids, PostgreSQL's statistics tell how many events an actor has, and a busy
    actor's month is read through the date index (at 1,000,000 events the join made it
    read every one of the actor's events first)."""
    scholz = make_actor(name="Olaf Scholz")
    make_event(actors=[scholz])
    filterset = EventFilter(QueryDict(f"actor={scholz.slug}"), Event.objects.all())
    sql = str(filterset.qs.query)
    assert f'"actor_id" IN ({scholz.pk})' in sql
    assert "crisis_actor" not in sql
    assert list(filterset.qs) == list(Event.objects.all())


def test_actor_picker_ranks_actors_by_their_links_to_the_latest_events(
    client, monkeypatch
):
    """The ranking reads a bounded number of links, the same at any size."""
    monkeypatch.setattr("crisis.reading.filters.ACTOR_RANKING_LINKS", 2)
    monkeypatch.setattr("crisis.reading.filters.ACTOR_CHOICES_SHOWN", 1)
    once_busy = make_actor(name="Once busy")
    for _ in range(3):
        make_event(actors=[once_busy])
    lately = make_actor(name="Lately busy")
    for _ in range(2):
        make_event(actors=[lately])
    html = client.get("/").content.decode()
    assert '<option value="Lately busy">' in html
    assert '<option value="Once busy">' not in html


@pytest.mark.parametrize("busy_names", ["first", "last"])
@pytest.mark.parametrize("asked", [[], ["actor-149"], ["actor-070", "no-such-actor"]])
def test_the_picker_ranks_only_candidates_and_lists_what_ranking_every_actor_did(
    monkeypatch, busy_names, asked
):
    """Asked actors, then the busiest, then others by name: the same list as ranking
    every actor, though only the busiest, the asked and the first by name are read."""
    from crisis.models import Actor, EventActor, most_common_of_latest
    from crisis.reading import filters as event_filters

    monkeypatch.setattr(event_filters, "ACTOR_CHOICES_SHOWN", 30)
    actors = [
        make_actor(name=f"Actor {n:03d}", slug=f"actor-{n:03d}") for n in range(150)
    ]
    busy = actors[:20] if busy_names == "first" else actors[-20:]
    for actor in busy:
        make_event(actors=[actor])
    busiest = set(
        Actor.objects.filter(
            pk__in=most_common_of_latest(
                EventActor, "actor", latest=5000, limit=30, newest_by="event"
            )
        ).values_list("pk", flat=True)
    )
    rank = {
        actor.pk: (-1 if actor.slug in asked else 0 if actor.pk in busiest else 1)
        for actor in Actor.objects.all()
    }
    everyone = sorted(Actor.objects.all(), key=lambda a: (rank[a.pk], a.name))
    expected = [(a.slug, a.name, a.pk) for a in everyone][: 30 + len(asked)]
    assert event_filters._most_involved_actors(asked) == expected
    assert {a.pk for a in busy} <= {pk for _slug, _name, pk in expected}
