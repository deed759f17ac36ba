"""Full-text search over events and quotes: what is searched, how it is indexed, how
it is asked.

What is searched is one Python definition per model, a ``SearchIndex``:

- an event (``EVENTS``, ``search_document(event)``): the title (weight A), the summary
  (B), the names and aliases of the event's actors (C) and the text of its published
  quotes (C);
- a quote (``QUOTES``): its text (A) and its speaker's name, aliases and title (B).

Their words are folded here, in Python (``search_words``: lower case, accents and other
marks dropped, so "Zélensky" is "zelensky" and "Kyïv" is "kyiv"), and the query goes
through the same folding, so both databases see the same words:

- PostgreSQL stores them in the model's ``search_vector`` (a weighted ``tsvector``
  with a GIN index), written by ``index_events`` / ``index_quotes``: one
  ``UPDATE ... FROM (VALUES ...)`` per batch (a third of the time ``bulk_update`` with
  ``SearchVector`` took).
- SQLite stores them in an FTS5 table (``crisis_event_fts``, migration 0009;
  ``crisis_quote_fts``, migration 0014; tokenizer ``unicode61 remove_diacritics 2``),
  one row per record, written with plain DELETE and INSERT. ``search_vector`` is a
  column there too, because a model has one schema on every database; it stays NULL
  and is never read.

Nothing in the database keeps the index current: the code that writes calls
``crisis.services.events_reindex`` and ``quotes_reindex`` (signals for single saves and
deletes, the generator, the archive and the seed loader for their bulk writes).

Query semantics, identical on both: the query is reduced to plain words (letters and
digits; everything else, including FTS operators, quotes, ``*``, ``-`` and NUL,
separates words), every word must occur as a whole word, the last one may be the start
of a word (search as you type). Events whose title holds every word come first.

How it is read: on SQLite, an event search that matches more than a seventh of the
events is checked against rows read through the other filters' indexes, instead of its
matches being read one by one by key (``BROAD_SEARCH_SHARE``; the timeline's filter
counts the matches with its other reference rows, ``event_match_count``).
"""

import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery
from django.db import connection, connections
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

from crisis.models import TIMELINE_ORDER, Status

MAX_TERMS = 12
MAX_TERM_LENGTH = 64
BATCH_SIZE = 500

_WORD = re.compile(r"[^\W_]+")
# Letters that carry their mark in the letter itself, so Unicode decomposition keeps
# them (PostgreSQL's unaccent folds them, FTS5's remove_diacritics does not).
_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)


def search_words(text):
    """The words of ``text`` as the index holds them: lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(plain.translate(_LETTERS))


def search_terms(query):
    """The words of ``query``, folded as the index is; never more than ``MAX_TERMS``."""
    words = search_words(query)
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS]]


def _event_texts(event):
    actors = [
        f"{link.actor.name} {link.actor.aliases}" for link in event.event_actors.all()
    ]
    quotes = [
        quote.text for quote in event.quotes.all() if quote.status == Status.PUBLISHED
    ]
    return {
        "title": event.title,
        "summary": event.summary,
        "actors": " ".join(actors),
        "quotes": " ".join(quotes),
    }


def _quote_texts(quote):
    speaker = quote.speaker
    return {
        "text": quote.text,
        "speaker": f"{speaker.name} {speaker.aliases} {speaker.title}",
    }


@dataclass(frozen=True)
class SearchIndex:
    """What one model is found by: the columns of its document, each column's
    PostgreSQL weight (the FTS5 table has these columns), and how to read them."""

    fts_table: str
    weights: dict
    fields: tuple  # loaded with only()
    select_related: tuple
    prefetch_related: tuple
    texts: object  # record -> {column: text}

    def document(self, record):
        """``record``'s columns as indexed words."""
        return {
            column: " ".join(search_words(text))
            for column, text in self.texts(record).items()
        }


EVENTS = SearchIndex(
    fts_table="crisis_event_fts",
    weights={"title": "A", "summary": "B", "actors": "C", "quotes": "C"},
    fields=("pk", "title", "summary"),
    select_related=(),
    prefetch_related=("event_actors__actor", "quotes"),
    texts=_event_texts,
)
QUOTES = SearchIndex(
    fts_table="crisis_quote_fts",
    weights={"text": "A", "speaker": "B"},
    fields=("pk", "text", "speaker__name", "speaker__aliases", "speaker__title"),
    select_related=("speaker",),
    prefetch_related=(),
    texts=_quote_texts,
)


def search_document(event):
    """What search finds ``event`` by: each column of ``EVENTS``, as indexed words.

    Reads ``event.event_actors`` (with their actors) and ``event.quotes``: prefetch
    them (``index_events`` does).
    """
    return EVENTS.document(event)


# Writing the index.


def index_events(events, ids):
    """Rewrite the search index of the events ``ids``, read from the QuerySet ``events``.

    Ids without an event (deleted ones) lose their index row. Works in batches of
    ``BATCH_SIZE``; ``events`` may be a migration's historical model.
    """
    _index(EVENTS, events, ids)


def index_quotes(quotes, ids):
    """Rewrite the search index of the quotes ``ids``, as ``index_events`` does."""
    _index(QUOTES, quotes, ids)


def _index(index, records, ids):
    vendor = connections[records.db].vendor
    if vendor not in _WRITERS:
        raise NotImplementedError(f"No full-text search for {vendor}.")
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        found = (
            records.filter(pk__in=batch)
            .order_by()
            .select_related(*index.select_related)
            .prefetch_related(*index.prefetch_related)
            .only(*index.fields)
        )
        documents = {record.pk: index.document(record) for record in found}
        _WRITERS[vendor](index, records, batch, documents)


def _write_postgres(index, records, ids, documents):
    """One UPDATE per batch, the vector built by the database from Python's words."""
    if not documents:
        return
    table = connections[records.db].ops.quote_name(records.model._meta.db_table)
    columns = list(index.weights)
    vector = " || ".join(
        f"setweight(to_tsvector('simple', document.{column}), '{weight}')"
        for column, weight in index.weights.items()
    )
    row = f"(%s::bigint, {', '.join('%s::text' for _ in columns)})"
    with connections[records.db].cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET search_vector = {vector} "
            f"FROM (VALUES {', '.join(row for _ in documents)}) "
            f"AS document(id, {', '.join(columns)}) WHERE {table}.id = document.id",
            [
                value
                for pk, document in documents.items()
                for value in (pk, *(document[column] for column in columns))
            ],
        )


def _write_sqlite(index, records, ids, documents):
    columns = list(index.weights)
    table = index.fts_table
    with connections[records.db].cursor() as cursor:
        marks = ", ".join("%s" for _ in ids)
        cursor.execute(f"DELETE FROM {table} WHERE rowid IN ({marks})", ids)
        cursor.executemany(
            f"INSERT INTO {table} (rowid, {', '.join(columns)}) "
            f"VALUES (%s, {', '.join('%s' for _ in columns)})",
            [
                [pk, *(document[column] for column in columns)]
                for pk, document in documents.items()
            ],
        )


_WRITERS = {"postgresql": _write_postgres, "sqlite": _write_sqlite}


# Asking the index.


def search_events(queryset, query, *, ranked=True, broad=False):
    """``queryset`` narrowed to matches of ``query``, best first; unchanged if no words.

    Matches are annotated with ``search_rank``: 0 when the title holds every word, 1 when
    title and summary do together, 2 when the words are only found in quotes or actor
    names. Rank, then timeline order: the same order on both databases, and cheap to
    compute at any size (set lookups in the index, no per-row scoring). With
    ``ranked=False``, only the filter (for callers that order the rows themselves).
    ``broad``: the caller knows the search matches many events (``is_broad``).
    """
    terms = search_terms(query)
    if not terms:
        return queryset
    matches = _matcher(queryset)
    if broad and connections[queryset.db].vendor == "sqlite":
        # ``id + 0``: the key cannot lead, so the events are read through the other
        # filters' indexes (or in date order), each checked against the matches.
        found = queryset.alias(search_key=F("pk") + 0).filter(
            search_key__in=_sqlite_match_ids(EVENTS, terms)
        )
    else:
        found = queryset.filter(matches(EVENTS, terms))
    if not ranked:
        return found
    return found.annotate(
        search_rank=Case(
            When(matches(EVENTS, terms, columns="title"), then=Value(0)),
            When(matches(EVENTS, terms, columns="title summary"), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    ).order_by("search_rank", *TIMELINE_ORDER)


def search_quotes(queryset, query):
    """``queryset`` narrowed to quotes whose text or speaker's names hold every word of
    ``query`` (the last may be a word's start); unchanged if ``query`` has no words."""
    terms = search_terms(query)
    if not terms:
        return queryset
    return queryset.filter(_matcher(queryset)(QUOTES, terms))


def _matcher(queryset):
    vendor = connections[queryset.db].vendor
    if vendor not in _MATCHERS:
        raise NotImplementedError(f"No full-text search for {vendor}.")
    return _MATCHERS[vendor]


def _postgres_matches(index, terms, columns=None):
    """Q for records whose document (or only ``columns``) holds every term."""
    weights = index.weights
    weight = "".join(weights[column] for column in columns.split()) if columns else ""
    words = [f"{term}:{weight}" if weight else term for term in terms[:-1]]
    words.append(f"{terms[-1]}:*{weight}")
    return Q(
        search_vector=SearchQuery(" & ".join(words), search_type="raw", config="simple")
    )


def _sqlite_matches(index, terms, columns=None):
    """Q for records whose FTS5 row (or only ``columns``) holds every term."""
    return Q(pk__in=_sqlite_match_ids(index, terms, columns))


def _sqlite_match_ids(index, terms, columns=None):
    return RawSQL(
        f"SELECT rowid FROM {index.fts_table} WHERE {index.fts_table} MATCH %s",
        [_sqlite_match_text(terms, columns)],
    )


def _sqlite_match_text(terms, columns=None):
    scope = f"{{{columns}}} : " if columns else ""
    words = [f'{scope}"{term}"' for term in terms[:-1]]
    words.append(f'{scope}"{terms[-1]}"*')
    return " AND ".join(words)


# On SQLite, a search matching more than this share of all events is read the other
# way round: reading a match by its key costs about as much as reading seven index
# entries in order. "talks" matches a fifth of the generated events: its month counts
# took 35 ms read by key and 17 ms through the category index (100,000 events).
BROAD_SEARCH_SHARE = 1 / 7


def event_match_count(query):
    """On SQLite, an expression for how many events match ``query`` (FTS5), else None:
    with the number of events, what ``is_broad`` needs. SQLite keeps no statistics to
    choose the way by itself; PostgreSQL's planner estimates a search from its own."""
    terms = search_terms(query)
    if not terms or connection.vendor != "sqlite":
        return None
    fts = EVENTS.fts_table
    return RawSQL(
        f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s", [_sqlite_match_text(terms)]
    )


def is_broad(matched, events):
    """Whether a search matching ``matched`` of ``events`` events is read through the
    other filters' indexes (or the date order), each row checked against the matches,
    rather than its matches read one by one by key."""
    return matched > events * BROAD_SEARCH_SHARE


_MATCHERS = {"postgresql": _postgres_matches, "sqlite": _sqlite_matches}
