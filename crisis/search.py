"""Full-text search over events, one behaviour on PostgreSQL and on SQLite.

The database keeps the index current (see migration 0004_search): a weighted
``tsvector`` with a GIN index on PostgreSQL, an FTS5 table on SQLite. Both index the
title, the summary, published quotes and the names and aliases of the event's actors.

Semantics, identical on both: the query is reduced to plain words (letters and digits;
everything else, including FTS operators, quotes, ``*``, ``-`` and NUL, separates words),
every word must occur as a whole word, the last one may be the start of a word (search as
you type). Events whose title holds every word come first (see ``search_events``).
"""

import re

from django.db import connections
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL

MAX_TERMS = 12
MAX_TERM_LENGTH = 64
_WORD = re.compile(r"[^\W_]+")


def search_terms(query):
    """The plain, lower-case words of ``query``; never more than ``MAX_TERMS``."""
    words = _WORD.findall((query or "").lower())
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS]]


def search_events(queryset, query):
    """``queryset`` narrowed to matches of ``query``, best first; unchanged if no words.

    Matches are annotated with ``search_rank``: 0 when the title holds every word, 1 when
    title and summary do together, 2 when the words are only found in quotes or actor
    names. Rank, then timeline order: the same order on both databases, and cheap to
    compute at any size (set lookups in the index, no per-row scoring).
    """
    terms = search_terms(query)
    if not terms:
        return queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        matches = _postgres_matches
    elif vendor == "sqlite":
        matches = _sqlite_matches
    else:
        raise NotImplementedError(f"No full-text search for {vendor}.")
    from crisis.selectors import TIMELINE_ORDER

    return (
        queryset.filter(matches(terms))
        .annotate(
            search_rank=Case(
                When(matches(terms, fields="title"), then=Value(0)),
                When(matches(terms, fields="title summary"), then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("search_rank", *TIMELINE_ORDER)
    )


_POSTGRES_WEIGHTS = {"title": "A", "title summary": "AB"}


def _postgres_matches(terms, fields=None):
    """Q for events whose document (or only ``fields``) holds every term."""
    from django.contrib.postgres.search import SearchQuery

    weight = _POSTGRES_WEIGHTS[fields] if fields else ""
    words = [f"{term}:{weight}" if weight else term for term in terms[:-1]]
    words.append(f"{terms[-1]}:*{weight}")
    return Q(
        search_vector=SearchQuery(" & ".join(words), search_type="raw", config="simple")
    )


def _sqlite_matches(terms, fields=None):
    """Q for events whose FTS5 row (or only ``fields``) holds every term."""
    scope = f"{{{fields}}} : " if fields else ""
    words = [f'{scope}"{term}"' for term in terms[:-1]]
    words.append(f'{scope}"{terms[-1]}"*')
    return Q(
        pk__in=RawSQL(
            "SELECT rowid FROM crisis_event_fts WHERE crisis_event_fts MATCH %s",
            [" AND ".join(words)],
        )
    )
