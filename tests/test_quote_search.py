"""Full-text search over quotes: their words and their speaker's names, the same
answers on SQLite (FTS5) and PostgreSQL (tsvector), kept current by every write path."""

import re
import unicodedata

import pytest
from django.db import connection
from django.urls import reverse

from crisis.models import Quote
from crisis.search import search_quotes
from crisis.services import quotes_reindex
from devdata.events import GENERATED_PREFIX, clear_generated, generate
from tests.factories import make_actor, make_quote

pytestmark = pytest.mark.django_db

QUOTES_ADMIN = reverse("admin:crisis_quote_changelist")


def _plain_words(text):
    """Words, lower case, accents dropped: written apart from crisis.search."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return re.findall(
        r"[^\W_]+", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def expected_slugs(query):
    """The quotes a query must find, computed from the rows, not from the index."""
    *whole, last = _plain_words(query)
    found = set()
    for quote in Quote.objects.select_related("speaker"):
        speaker = quote.speaker
        words = set(
            _plain_words(
                f"{quote.text} {speaker.name} {speaker.aliases} {speaker.title}"
            )
        )
        if all(term in words for term in whole) and any(
            word.startswith(last) for word in words
        ):
            found.add(quote.slug)
    return found


def found_slugs(query):
    return set(search_quotes(Quote.objects.all(), query).values_list("slug", flat=True))


@pytest.mark.parametrize("query", ["we", "talks", "minister said", "diplomacy rem"])
def test_search_finds_the_generated_quotes_an_independent_matcher_expects(query):
    generate(events=150, seed=11)
    expected = expected_slugs(query)
    assert found_slugs(query) == expected


def test_the_generated_quotes_make_the_comparison_meaningful():
    generate(events=150, seed=11)
    assert Quote.objects.count() > 30
    assert 0 < len(expected_slugs("we")) < Quote.objects.count()


def test_quotes_are_found_by_words_speaker_alias_and_title_without_accents():
    speaker = make_actor(
        name="Volodymyr Zelensky", aliases="Zelenskyy", title="President of Ukraine"
    )
    calm = make_quote(speaker=speaker, text="Kyïv will not be intimidated")
    other = make_quote(text="We want calm")
    assert found_slugs("kyiv intim") == {calm.slug}
    assert found_slugs("Zélenskyy") == {calm.slug}
    assert found_slugs("president ukraine") == {calm.slug}
    assert found_slugs("calm") == {other.slug}
    assert found_slugs("intimidate") == {calm.slug}  # the last word may be a start
    assert found_slugs("intimidate kyiv") == set()  # but not the others


def test_every_word_must_match_and_hostile_queries_never_raise():
    make_quote(text="We want calm")
    assert found_slugs("calm war") == set()
    for query in ['"', "*", "calm OR", "NEAR(calm)", "\x00", "-calm", "^"]:
        list(search_quotes(Quote.objects.all(), query))
    assert search_quotes(Quote.objects.all(), "  ;; ").count() == 1


def test_the_index_follows_edits_renames_and_deletes():
    speaker = make_actor(name="Anna Kovalenko")
    quote = make_quote(speaker=speaker, text="We want calm")
    quote.text = "We want talks"
    quote.save()
    assert found_slugs("calm") == set()
    assert found_slugs("talks") == {quote.slug}

    speaker.aliases = "Hanna Kowalenko"
    speaker.save()
    assert found_slugs("hanna") == {quote.slug}
    speaker.title = "Foreign minister"
    speaker.save()
    assert found_slugs("foreign minister") == {quote.slug}

    quote_id = quote.pk
    quote.delete()
    assert found_slugs("talks") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM crisis_quote_fts WHERE rowid = %s", [quote_id]
            )
            assert cursor.fetchone() == (0,)


def test_bulk_writes_are_searchable_once_reindexed():
    quote = make_quote(text="We want calm")
    Quote.objects.filter(pk=quote.pk).update(text="Sanctions are coming")
    assert found_slugs("sanctions") == set()  # update() sends no signal
    quotes_reindex(ids=[quote.pk])
    assert found_slugs("sanctions") == {quote.slug}


def _fts_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM crisis_quote_fts")
        return cursor.fetchone()[0]


def test_generated_quotes_are_indexed_and_cleared_with_their_rows():
    generate(events=60, seed=3)
    generated = Quote.objects.filter(slug__startswith=GENERATED_PREFIX)
    assert generated.exists()
    sample = generated.first()
    word = _plain_words(sample.text)[0]
    assert sample.slug in found_slugs(word)
    clear_generated()
    assert not found_slugs(word) & {sample.slug}
    if connection.vendor == "sqlite":
        assert _fts_rows() == Quote.objects.count()


def test_the_admin_searches_quotes_by_full_text_or_exact_slug(admin_client):
    speaker = make_actor(name="Jens Stoltenberg", aliases="NATO chief")
    found = make_quote(speaker=speaker, text="Allies stand together", slug="allies")
    make_quote(text="We want calm", slug="calm")
    listed = admin_client.get(QUOTES_ADMIN, {"q": "nato chi"}).context["cl"]
    assert list(listed.result_list) == [found]
    by_slug = admin_client.get(QUOTES_ADMIN, {"q": "calm"}).context["cl"]
    assert [quote.slug for quote in by_slug.result_list] == ["calm"]
    # Whole words, the last one may be a word's start: "tog" finds, "gether" not.
    assert (
        admin_client.get(QUOTES_ADMIN, {"q": "allies tog"}).context["cl"].result_count
        == 1
    )
    assert (
        admin_client.get(QUOTES_ADMIN, {"q": "gether"}).context["cl"].result_count == 0
    )


def test_the_public_quote_list_searches_the_same_way(client):
    speaker = make_actor(name="Jens Stoltenberg", aliases="NATO chief")
    make_quote(speaker=speaker, text="Allies stand together")
    make_quote(text="We want calm")
    page = client.get("/quotes/", {"q": "Stoltenbérg allies"}).content.decode()
    assert "Allies stand together" in page
    assert "We want calm" not in page
