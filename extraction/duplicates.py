"""Flagging proposals the timeline already holds, so they are not proposed again.

A quotation is a duplicate when a quote with the same words exists from the same
speaker (or, for a speaker not on file yet, from the same source); an event is one when
an event with a near-identical title, opening with the same name, is dated within a
week of it.
"""

import datetime
from difflib import SequenceMatcher

from django.db.models import Q

from crisis.models import Event, Quote
from crisis.text import normalise_for_matching

SAME_TITLE = 0.85
WEEK = datetime.timedelta(days=7)


def _words(text):
    return normalise_for_matching(text).lower().strip(" .,")


def titles_match(first, second):
    """Near-identical titles that open with the same name ("Norway sends …" is no
    duplicate of "Denmark sends …")."""
    first, second = _words(first), _words(second)
    if first.split()[:1] != second.split()[:1]:
        return False
    return SequenceMatcher(None, first, second).ratio() >= SAME_TITLE


def flag_duplicates(proposals, source=None):
    """Set ``duplicate_of`` on each proposal the database already has; returns them.

    Reads only the quotes of the speakers proposed (and of the source), and the events
    within a week of a proposed date, so the cost follows the article, not the archive.
    """
    _flag_quotes(proposals.quotes, source)
    _flag_events(proposals.events)
    return proposals


def _flag_quotes(quotes, source):
    speakers = {q.speaker.actor_id for q in quotes if q.speaker and q.speaker.actor_id}
    scope = Q(speaker_id__in=speakers)
    if source is not None and source.pk:
        scope |= Q(source_id=source.pk)
    texts = {_words(quote.text) for quote in quotes}
    existing = [
        quote
        for quote in Quote.objects.filter(scope).select_related("speaker")
        if _words(quote.text) in texts
    ]
    for proposal in quotes:
        for quote in existing:
            if _words(quote.text) != _words(proposal.text):
                continue
            same_speaker = (
                proposal.speaker is not None
                and proposal.speaker.actor_id == quote.speaker_id
            )
            same_source = source is not None and quote.source_id == source.pk
            if same_speaker or same_source:
                proposal.duplicate_of = str(quote)
                break


def _flag_events(events):
    dates = {event.start_date for event in events}
    if not dates:
        return
    scope = Q()
    for date in dates:
        scope |= Q(start_date__range=(date - WEEK, date + WEEK))
    nearby = list(
        Event.objects.filter(scope).only("title", "start_date", "date_precision")
    )
    for proposal in events:
        for event in nearby:
            close = abs(event.start_date - proposal.start_date) <= WEEK
            if close and titles_match(event.title, proposal.title):
                proposal.duplicate_of = str(event)
                break
