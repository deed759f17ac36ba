"""The assistant: one call from a text and its publication date to every proposal."""

from extraction.actors import ActorIndex, propose_actors
from extraction.clauses import quote_spans
from extraction.events import EventReader
from extraction.mentions import MentionFinder
from extraction.proposals import Proposals
from extraction.quotes import propose_quotes
from extraction.sentences import split_sentences


def propose(text, published_on, index=None):
    """Proposals for ``text`` published on ``published_on``; reads no database itself
    unless no ``index`` of known actors is given."""
    index = ActorIndex.from_database() if index is None else index
    sentences = split_sentences(text)
    finder = MentionFinder(text)
    mentions_by_sentence = [finder.find(sentence) for sentence in sentences]
    reader = EventReader(text, index, published_on, quote_spans(text))
    events = [
        event
        for sentence, mentions in zip(sentences, mentions_by_sentence, strict=True)
        for event in reader.read(sentence, mentions)
    ]
    quotes = propose_quotes(text, sentences, mentions_by_sentence, index, published_on)
    actors = propose_actors(
        text,
        [
            (sentence, mention)
            for sentence, mentions in zip(sentences, mentions_by_sentence, strict=True)
            for mention in mentions
        ],
        index,
    )
    return Proposals(actors=actors, quotes=quotes, events=_unique(events))


def _unique(events):
    seen, unique = set(), []
    for event in events:
        if event.key not in seen:
            seen.add(event.key)
            unique.append(event)
    return unique
