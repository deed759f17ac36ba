"""Full-text search over events, one behaviour on PostgreSQL and on SQLite.

The database keeps the index current (see migration 0004_search): a weighted
``tsvector`` with a GIN index on PostgreSQL, an FTS5 table on SQLite. Both index the
title, the summary, published quotes and the names and aliases of the event's actors.

Semantics, identical on both: the query is reduced to plain words (letters and digits;
everything else, including FTS operators, quotes, ``*``, ``-`` and NUL, separates words),
every word must occur as a whole word, the last one may be the start of a word (search as
you type). Events whose title holds every word come first, then by relevance.
"""

import re

from django.db import connections
from django.db.models import Case, F, FloatField, IntegerField, Value, When
from django.db.models.expressions import RawSQL

MAX_TERMS = 12
MAX_TERM_LENGTH = 64
_WORD = re.compile(r"[^\W_]+")


def search_terms(query):
    """The plain, lower-case words of ``query``; never more than ``MAX_TERMS``."""
    words = _WORD.findall((query or "").lower())
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS]]


def search_events(queryset, query):
    """``queryset`` narrowed to matches of ``query``, best first; unchanged if no words."""
    terms = search_terms(query)
    if not terms:
        return queryset
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        queryset = _postgres(queryset, terms)
    elif vendor == "sqlite":
        queryset = _sqlite(queryset, terms)
    else:
        raise NotImplementedError(f"No full-text search for {vendor}.")
    from crisis.selectors import TIMELINE_ORDER

    return queryset.order_by("search_tier", "-search_rank", *TIMELINE_ORDER)


def _postgres(queryset, terms):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    def tsquery(weight=""):
        words = [f"{term}:{weight}" if weight else term for term in terms[:-1]]
        words.append(f"{terms[-1]}:*{weight}")
        return SearchQuery(" & ".join(words), search_type="raw", config="simple")

    everywhere = tsquery()
    return queryset.filter(search_vector=everywhere).annotate(
        search_tier=Case(
            When(search_vector=tsquery("A"), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        search_rank=SearchRank(F("search_vector"), everywhere),
    )


def _sqlite(queryset, terms):
    def match(column=None):
        scope = f"{column} : " if column else ""
        words = [f'{scope}"{term}"' for term in terms[:-1]]
        words.append(f'{scope}"{terms[-1]}"*')
        return " AND ".join(words)

    matching_ids = "SELECT rowid FROM crisis_event_fts WHERE crisis_event_fts MATCH %s"
    return queryset.filter(pk__in=RawSQL(matching_ids, [match()])).annotate(
        search_tier=Case(
            When(pk__in=RawSQL(matching_ids, [match("title")]), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        # bm25 is lower for better matches; negated so both databases sort rank desc.
        search_rank=RawSQL(
            "SELECT -bm25(crisis_event_fts, 10.0, 4.0, 1.0) FROM crisis_event_fts "
            "WHERE crisis_event_fts MATCH %s AND rowid = crisis_event.id",
            [match()],
            output_field=FloatField(),
        ),
    )
