"""Full-text search: the same answers on SQLite (FTS5) and PostgreSQL (tsvector)."""

import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from crisis.models import Actor, Event, EventActor, Status
from crisis.reading.filters import EventFilter
from crisis.search import (
    BROAD_SEARCH_SHARE,
    MAX_TERMS,
    search_events,
    search_terms,
    search_words,
)
from crisis.services import events_reindex
from devdata.events import generate
from tests.factories import make_actor, make_event, make_quote

pytestmark = pytest.mark.django_db


def _words(text):
    return re.findall(r"[^\W_]+", text.lower())


def expected_slugs(query):
    """What search must return, computed in Python from the rows, not the index."""
    terms = _words(query)
    if not terms:
        return None
    found = set()
    events = Event.objects.prefetch_related("quotes", "event_actors__actor")
    for event in events:
        parts = [event.title, event.summary]
        parts += [q.text for q in event.quotes.all() if q.status == Status.PUBLISHED]
        for link in event.event_actors.all():
            parts += [link.actor.name, link.actor.aliases]
        words = set(_words(" ".join(parts)))
        *whole, last = terms
        if all(term in words for term in whole) and any(
            word.startswith(last) for word in words
        ):
            found.add(event.slug)
    return found


@pytest.fixture
def generated(db):
    generate(events=150, seed=11)


@pytest.mark.parametrize(
    "query",
    [
        "talks",
        "Kyiv gas",
        "kovalenko",
        "nowa",
        "GERMAN government",
        "minister said",
        "diplomacy remains the only path",
        "report 42",
        "de-escalation",
        "nothingmatcheshere",
    ],
)
def test_search_returns_the_events_an_independent_matcher_expects(generated, query):
    found = set(
        search_events(Event.objects.all(), query).values_list("slug", flat=True)
    )
    assert found == expected_slugs(query)


def test_generated_set_makes_the_comparison_meaningful(generated):
    assert 0 < len(expected_slugs("ukraine")) < Event.objects.count()
    narrow = expected_slugs("government france")
    assert narrow and expected_slugs("government") > narrow


def test_title_match_ranks_before_summary_and_quote_matches():
    in_quote = make_event(title="Calm urged", summary="Leaders met.")
    make_quote(event=in_quote, text="We want sanctions lifted")
    in_summary = make_event(title="Leaders meet", summary="Sanctions were discussed.")
    in_title = make_event(title="New sanctions announced", summary="Nothing else.")
    make_event(title="Unrelated", summary="Nothing.")
    assert list(search_events(Event.objects.all(), "sanctions")) == [
        in_title,
        in_summary,
        in_quote,
    ]


def test_every_word_must_match_and_the_last_may_be_a_prefix():
    both = make_event(title="Gas transit talks")
    make_event(title="Gas prices")
    assert list(search_events(Event.objects.all(), "gas tran")) == [both]
    assert list(search_events(Event.objects.all(), "tran gas")) == []


def test_actor_alias_finds_the_actors_events(seeded):
    scholz = Actor.objects.get(slug="olaf-scholz")
    theirs = set(
        Event.objects.filter(event_actors__actor=scholz).values_list("pk", flat=True)
    )
    found = set(
        search_events(Event.objects.all(), "Olf Scholz").values_list("pk", flat=True)
    )
    assert theirs and theirs <= found


def test_search_is_chainable_with_filters_and_counts():
    make_event(title="Sanctions on banks", category=Event.Category.SANCTIONS)
    make_event(title="Sanctions debate", category=Event.Category.DIPLOMACY)
    searched = search_events(Event.objects.published(), "sanctions")
    assert searched.filter(category=Event.Category.SANCTIONS).count() == 1
    assert searched.count() == 2


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unterminated phrase',
        "*",
        "-",
        "OR",
        "AND OR NOT",
        "(",
        "a) OR (b",
        "NEAR(a b)",
        "title:sanctions",
        "\x00",
        "gas\x00prices",
        "x" * 10_000,
        "sanctions " * 2_000,
        "<script>alert(1)</script>",
        "'; DROP TABLE crisis_event; --",
        "^~:{}[]",
    ],
)
def test_hostile_queries_never_raise(query):
    make_event(title="Sanctions announced")
    list(search_events(Event.objects.all(), query))
    search_events(Event.objects.all(), query).count()


def test_queries_are_reduced_to_a_bounded_list_of_plain_words():
    assert search_terms('"Olf" OR -Scholz* (x)\x00') == ["olf", "or", "scholz", "x"]
    assert len(search_terms("word " * 1000)) == MAX_TERMS
    assert search_terms("*** ---") == []


def test_operator_words_are_searched_as_plain_words():
    make_event(title="Russia or Ukraine")
    make_event(title="Russia Ukraine")
    assert search_events(Event.objects.all(), "russia OR").count() == 1


def test_a_query_without_words_leaves_the_queryset_alone():
    make_event()
    assert search_events(Event.objects.all(), "*-()").count() == 1


def test_index_follows_edits_to_title_quotes_actors_and_links():
    actor = make_actor(name="Anna Kovalenko")
    event = make_event(title="Meeting", actors=[actor])
    assert list(search_events(Event.objects.all(), "kovalenko")) == [event]

    actor.aliases = "Hanna Kowalenko"
    actor.save()
    assert list(search_events(Event.objects.all(), "kowalenko")) == [event]

    event.title = "Summit in Geneva"
    event.save()
    assert list(search_events(Event.objects.all(), "geneva")) == [event]

    quote = make_quote(event=event, text="We want calm")
    assert list(search_events(Event.objects.all(), "want calm")) == [event]
    quote.status = Status.DRAFT
    quote.save()
    assert list(search_events(Event.objects.all(), "want calm")) == []
    quote.status = Status.PUBLISHED
    quote.save()
    assert list(search_events(Event.objects.all(), "want calm")) == [event]
    quote.delete()
    assert list(search_events(Event.objects.all(), "want calm")) == []

    EventActor.objects.filter(event=event).delete()
    assert list(search_events(Event.objects.all(), "kovalenko")) == []


def test_bulk_writes_are_searchable_once_reindexed():
    """bulk_create and update send no signals: bulk writers call events_reindex."""
    event = make_event(title="Meeting")
    actor = make_actor(name="Jonas Lindqvist")
    EventActor.objects.bulk_create(
        [EventActor(event=event, actor=actor, role=EventActor.Role.TARGET)]
    )
    Event.objects.filter(pk=event.pk).update(title="Summit in Oslo")
    events_reindex(ids=[event.pk])
    assert list(search_events(Event.objects.all(), "lindqvist oslo")) == [event]


def test_editing_an_actor_alias_makes_its_events_findable_by_it():
    actor = make_actor(name="Anna Kovalenko")
    event = make_event(title="Meeting", actors=[actor])
    make_event(title="Other meeting")
    assert not search_events(Event.objects.all(), "hanna").exists()
    actor.aliases = "Hanna Kowalenko"
    actor.save()
    assert list(search_events(Event.objects.all(), "hanna")) == [event]


def test_deleting_a_quote_removes_its_words():
    event = make_event(title="Meeting")
    quote = make_quote(event=event, text="We want calm")
    assert list(search_events(Event.objects.all(), "calm")) == [event]
    quote.delete()
    assert not search_events(Event.objects.all(), "calm").exists()


def test_moving_a_quote_reindexes_both_events():
    first = make_event(title="Meeting")
    second = make_event(title="Summit")
    quote = make_quote(event=first, text="We want calm")
    quote.event = second
    quote.save()
    assert list(search_events(Event.objects.all(), "calm")) == [second]


def test_deleted_events_leave_the_index():
    event = make_event(title="Sanctions announced")
    event_id = event.pk
    event.delete()
    events_reindex(ids=[event_id])  # harmless for an id without an event
    assert not search_events(Event.objects.all(), "sanctions").exists()


def test_words_are_folded_to_lower_case_without_accents():
    assert search_words("Zélensky, KYÏV; Łukasz Øresund Straße") == [
        "zelensky",
        "kyiv",
        "lukasz",
        "oresund",
        "strasse",
    ]


ACCENTED = {
    "zelensky": "Zelensky meets Biden",
    "zelenskyy": "Zélenskyy speaks in Kyïv",
    "kyiv": "Talks in Kyiv",
    "lukasz": "Łukasz Jasina comments",
    "kharkiv": "KHARKIV shelling",
}


@pytest.mark.parametrize(
    "query, slugs",
    [
        ("Zélensky", {"zelensky", "zelenskyy"}),
        ("zelensky", {"zelensky", "zelenskyy"}),
        ("ZELENSKYY", {"zelenskyy"}),
        ("Kyïv", {"kyiv", "zelenskyy"}),
        ("kyiv", {"kyiv", "zelenskyy"}),
        ("KYIV talks", {"kyiv"}),
        ("Lukasz", {"lukasz"}),
        ("łukasz jasina", {"lukasz"}),
        ("Kharkiv", {"kharkiv"}),
        ("Kharkív shelling", {"kharkiv"}),
    ],
)
def test_accents_and_case_give_the_same_events_on_every_database(query, slugs):
    """Fixed answers: each database must give exactly these, so they agree."""
    for slug, title in ACCENTED.items():
        make_event(slug=slug, title=title)
    found = search_events(Event.objects.all(), query).values_list("slug", flat=True)
    assert set(found) == slugs


def test_accented_actor_alias_and_quote_are_found_without_accents():
    actor = make_actor(name="Volodymyr Zelensky", aliases="Володимир Зеленський")
    event = make_event(title="Address", actors=[actor])
    make_quote(event=event, text="Kyïv will not be intimidated")
    assert list(search_events(Event.objects.all(), "зеленськии")) == [event]
    assert list(search_events(Event.objects.all(), "Зеленський")) == [event]
    assert list(search_events(Event.objects.all(), "kyiv intimidated")) == [event]


@pytest.mark.parametrize("broad", [True, False])
@pytest.mark.parametrize("query", ["talks", "government", "ukraine", "nowa"])
def test_a_search_read_either_way_gives_the_same_events(generated, query, broad):
    """On SQLite a broad search is checked against rows read in another index's order
    (``id + 0``) instead of its matches read by key: the same events either way."""
    found = search_events(Event.objects.filter(category="military"), query, broad=broad)
    if connection.vendor == "sqlite":
        assert ('"crisis_event"."id" + 0) IN' in str(found.query)) is broad
    military = set(
        Event.objects.filter(category="military").values_list("slug", flat=True)
    )
    assert set(found.values_list("slug", flat=True)) == expected_slugs(query) & military


@pytest.mark.parametrize(
    "query, broad",
    [("talks", True), ("government", True), ("ukraine", False), ("nowa", False)],
)
def test_the_timeline_filter_reads_a_search_matching_many_events_the_other_way(
    generated, query, broad
):
    """It counts the matches with its option lists (no query of its own) and calls a
    search broad above a seventh of the events, on SQLite only."""
    share = len(expected_slugs(query)) / Event.objects.count()
    assert (share > BROAD_SEARCH_SHARE) is broad  # the data makes the case
    filterset = EventFilter(QueryDict(f"q={query}"), Event.objects.all())
    with CaptureQueriesContext(connection) as queries:
        found = set(filterset.qs.values_list("slug", flat=True))
    assert filterset._broad_search is (broad and connection.vendor == "sqlite")
    assert found == expected_slugs(query)
    fts_counts = [
        q for q in queries.captured_queries if "SELECT COUNT(*) FROM" in q["sql"]
    ]
    assert len(fts_counts) <= 1 and all("'tag' AS" in q["sql"] for q in fts_counts)
