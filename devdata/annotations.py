"""Synthetic analyst annotations for the generator (devdata.events).

A few generated analysts (usernames ``gen-analyst-N``, unusable passwords, in the Analyst
role and most of them in the ``gen-team`` group) annotate about a fifth of the generated
events and some quotes, a share of the quote notes on a passage of the quote's words.

The notes draw on their own random stream, derived from the generator's seed, so adding
them left the events, quotes and sources of every seed exactly as they were.
"""

import random
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower

from annotations.anchoring import passage_at
from annotations.models import (
    Annotation,
    AnnotationTag,
    BodyFormat,
    Confidence,
    InformationCredibility,
    SourceReliability,
    Visibility,
)
from crisis.models import Event, Quote, Source
from crisis.roles import ANALYST, assign_role

ANALYST_PREFIX = "analyst-"
ANALYSTS = 6
# The last analyst is in no team: a private-only reader, as in a real unit.
TEAM_MEMBERS = 5
TEAM_SUFFIX = "team"
EVENT_SHARE = 0.2
SECOND_NOTE_SHARE = 0.15
QUOTE_SHARE = 0.12
PASSAGE_SHARE = 0.6
TEAM_SHARE = 0.55
MARKDOWN_SHARE = 0.15

ANALYST_NAMES = (
    ("Alina", "Hrytsenko"),
    ("Tobias", "Meyer"),
    ("Kateryna", "Lysenko"),
    ("Oskar", "Nilsson"),
    ("Zofia", "Wiśniewska"),
    ("Daniel", "Reyes"),
)
NOTE_TAGS = (
    "needs-verification",
    "corroborated",
    "single-source",
    "disinformation",
    "escalation",
    "de-escalation",
    "follow-up",
    "briefing",
    "contradiction",
    "energy-security",
    "humanitarian",
    "logistics",
    "rhetoric",
    "key-quote",
)
EVENT_NOTES = (
    "Matches what {actor} said on {topic} earlier in the week; watch for a follow-up.",
    "The {place} angle is new. Cross-check with local reporting before relying on it.",
    "Wording on {topic} is softer than in earlier statements: a possible shift.",
    "Other reports place this a day later; keep the date as reported for now.",
    "Fits the wider pattern on {topic}; see the related events around {place}.",
    "Only one outlet carries this so far. Treat as unconfirmed.",
    "Useful context for Monday's briefing on {topic}.",
    "{actor}'s office later qualified this; check the full transcript.",
    "Satellite imagery of {place} from the same day would settle this.",
)
EVENT_NOTES_MARKDOWN = (
    "**Assessment:** consistent with the trend on {topic}.\n\n"
    "- check imagery near {place}\n- compare with {actor}'s earlier remarks",
    "**Open questions**\n\n1. Who briefed {actor}?\n2. Did {topic} come up "
    "before the meeting in {place}?",
)
QUOTE_NOTES = (
    "Strong wording from {actor}; compare with the official readout.",
    "Quoted widely, but the full remarks in {place} soften it.",
    "Translations differ between outlets; this is the agency version.",
    "Echoes the phrasing used before the last escalation over {topic}.",
)
PASSAGE_NOTES = (
    "“{exact}” is the key phrase: it recurs in later statements.",
    "Note the choice of words: “{exact}”.",
    "Ambiguous: “{exact}” reads as a warning or as a threat.",
    "“{exact}”: first time {actor} used this formulation on {topic}.",
)
CONFIDENCE_WEIGHTS = {Confidence.LOW: 25, Confidence.MEDIUM: 50, Confidence.HIGH: 25}
RELIABILITY_WEIGHTS = dict(zip(SourceReliability, (5, 30, 35, 15, 5, 10), strict=True))
CREDIBILITY_WEIGHTS = dict(
    zip(InformationCredibility, (10, 30, 35, 15, 5, 5), strict=True)
)
WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class NoteContext:
    """What a note on one generated event (and its quote) may mention."""

    actor: str
    topic: str
    place: str


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def team_name(prefix):
    return f"{prefix}{TEAM_SUFFIX}"


def generated_users(prefix):
    """Generated analysts: the username pattern *and* no usable password, never a person."""
    return get_user_model().objects.filter(
        username__startswith=f"{prefix}{ANALYST_PREFIX}",
        password__startswith=UNUSABLE_PASSWORD_PREFIX,
    )


class AnnotationWriter:
    """Builds each batch's annotations; ``setup()`` creates the analysts and tags."""

    def __init__(self, *, seed, prefix):
        self.rng = random.Random(f"{seed}:annotations")
        self.prefix = prefix
        self.count = 0

    def setup(self):
        team = Group.objects.create(name=team_name(self.prefix))
        self.analysts = []
        for number, (first, last) in enumerate(ANALYST_NAMES[:ANALYSTS], start=1):
            user = get_user_model().objects.create_user(
                username=f"{self.prefix}{ANALYST_PREFIX}{number}",
                first_name=first,
                last_name=last,
                password=None,
            )
            assign_role(user, ANALYST)
            if number <= TEAM_MEMBERS:
                user.groups.add(team)
            self.analysts.append((user, team if number <= TEAM_MEMBERS else None))
        self.tags = self._tags()
        return len(self.analysts)

    def _tags(self):
        # Reuse an analyst's tag of the same name (any case) instead of a near-twin.
        existing = {
            tag.folded: tag
            for tag in AnnotationTag.objects.annotate(folded=Lower("name")).filter(
                folded__in=NOTE_TAGS
            )
        }
        self.new_tag_names = [name for name in NOTE_TAGS if name not in existing]
        AnnotationTag.objects.bulk_create(
            [AnnotationTag(name=name) for name in self.new_tag_names],
            ignore_conflicts=True,
        )
        by_name = {
            tag.folded: tag
            for tag in AnnotationTag.objects.annotate(folded=Lower("name")).filter(
                folded__in=NOTE_TAGS
            )
        }
        return [by_name[name] for name in NOTE_TAGS]

    def write_batch(self, *, events, quotes, contexts):
        """Annotate some of ``events`` and ``quotes`` (parallel lists, quotes may be
        None); ``contexts`` holds each event's NoteContext."""
        rng = self.rng
        notes, tag_lists = [], []
        for event, quote, context in zip(events, quotes, contexts, strict=True):
            if rng.random() < EVENT_SHARE:
                for _ in range(2 if rng.random() < SECOND_NOTE_SHARE else 1):
                    notes.append(
                        self._note(event=event, body=self._event_body(context))
                    )
                    tag_lists.append(self._pick_tags())
            if quote is not None and rng.random() < QUOTE_SHARE:
                note = self._quote_note(quote, context)
                notes.append(note)
                tag_lists.append(self._pick_tags())
        Annotation.objects.bulk_create(notes)
        Annotation.tags.through.objects.bulk_create(
            Annotation.tags.through(annotation_id=note.pk, annotationtag_id=tag.pk)
            for note, tags in zip(notes, tag_lists, strict=True)
            for tag in tags
        )
        self.count += len(notes)

    def finish(self):
        """Drop the tags this run created but no note drew (small sets miss some)."""
        links = Annotation.tags.through.objects.filter(annotationtag=OuterRef("pk"))
        AnnotationTag.objects.filter(name__in=self.new_tag_names).exclude(
            Exists(links)
        ).delete()

    def _note(self, *, body, **target):
        rng = self.rng
        author, team = rng.choice(self.analysts)
        shared = team is not None and rng.random() < TEAM_SHARE
        graded = rng.random()
        reliability = credibility = ""
        if graded < 0.8:
            reliability = _weighted(rng, RELIABILITY_WEIGHTS)
        if graded < 0.7 or 0.8 <= graded < 0.85:
            credibility = _weighted(rng, CREDIBILITY_WEIGHTS)
        text, body_format = body
        return Annotation(
            author=author,
            body=text,
            body_format=body_format,
            confidence=_weighted(rng, CONFIDENCE_WEIGHTS),
            source_reliability=reliability,
            information_credibility=credibility,
            visibility=Visibility.TEAM if shared else Visibility.PRIVATE,
            team=team if shared else None,
            **target,
        )

    def _event_body(self, context):
        rng = self.rng
        if rng.random() < MARKDOWN_SHARE:
            template, body_format = (
                rng.choice(EVENT_NOTES_MARKDOWN),
                BodyFormat.MARKDOWN,
            )
        else:
            template, body_format = rng.choice(EVENT_NOTES), BodyFormat.PLAIN
        return template.format(**vars(context)), body_format

    def _quote_note(self, quote, context):
        rng = self.rng
        if rng.random() >= PASSAGE_SHARE:
            body = rng.choice(QUOTE_NOTES).format(**vars(context))
            return self._note(quote=quote, body=(body, BodyFormat.PLAIN))
        words = list(WORD.finditer(quote.text))
        first = rng.randrange(len(words))
        last = min(len(words) - 1, first + rng.randint(1, 4) - 1)
        passage = passage_at(quote.text, words[first].start(), words[last].end())
        body = rng.choice(PASSAGE_NOTES).format(exact=passage.exact, **vars(context))
        return self._note(
            quote=quote,
            body=(body, BodyFormat.PLAIN),
            exact=passage.exact,
            prefix=passage.prefix,
            suffix=passage.suffix,
            start=passage.start,
            end=passage.end,
        )

    def _pick_tags(self):
        return self.rng.sample(self.tags, k=self.rng.choice((0, 1, 1, 2, 2, 3)))


def clear_steps(*, prefix, publisher):
    """The (label, queryset) deletions that remove generated annotations, their tags,
    analysts and team, in order. Tag ids are read now, while the links still exist."""
    # Subqueries, not joins, so the set-based delete stays a plain DELETE ... WHERE.
    generated = Annotation.objects.filter(
        Q(author__in=generated_users(prefix).values("pk"))
        # A note on a generated target cannot outlive it (the foreign key cascades).
        | Q(event__in=Event.objects.filter(slug__startswith=prefix).values("pk"))
        | Q(quote__in=Quote.objects.filter(slug__startswith=prefix).values("pk"))
        | Q(source__in=Source.objects.filter(publisher=publisher).values("pk"))
    )
    links = Annotation.tags.through.objects
    history_links = Annotation.history.model._meta.get_field(
        "historicalannotation_tags"
    ).related_model.objects
    lone_tags = list(
        AnnotationTag.objects.filter(
            Exists(links.filter(annotationtag=OuterRef("pk"), annotation__in=generated))
        )
        .exclude(
            Exists(
                links.filter(annotationtag=OuterRef("pk")).exclude(
                    annotation__in=generated
                )
            )
        )
        # A tag in a real annotation's history stays, so that history still reads.
        .exclude(Exists(history_links.filter(annotationtag=OuterRef("pk"))))
        .values_list("pk", flat=True)
    )
    return (
        ("annotation tag links", links.filter(annotation__in=generated.values("pk"))),
        ("annotations", generated),
        ("annotation tags", AnnotationTag.objects.filter(pk__in=lone_tags)),
    )


def delete_generated_analysts(prefix):
    """Delete the generated users and team (a handful of rows, so the ORM's cascade)."""
    _, users = generated_users(prefix).delete()
    _, teams = Group.objects.filter(name=team_name(prefix)).delete()
    return {
        "analysts": users.get(get_user_model()._meta.label, 0),
        "teams": teams.get(Group._meta.label, 0),
    }
