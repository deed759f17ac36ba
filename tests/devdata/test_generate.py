"""The synthetic data generator and its management command."""

import hashlib
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from annotations.anchoring import anchor
from annotations.models import Annotation, AnnotationTag, Visibility, is_analyst
from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Tag
from crisis.roles import ANALYST
from crisis.search import search_events
from crisis.text import occurs_verbatim
from devdata.events import (
    GENERATED_PREFIX,
    GENERATED_PUBLISHER,
    clear_generated,
    generate,
)
from tests.factories import make_analyst, make_annotation, make_event, make_team

pytestmark = pytest.mark.django_db


def generated_digest():
    """A fingerprint of every generated row's content (ids left out: they vary)."""
    lines = []
    for event in (
        Event.objects.filter(slug__startswith=GENERATED_PREFIX)
        .prefetch_related("event_actors__actor", "tags", "citations__source")
        .order_by("slug")
    ):
        lines.append(
            repr(
                (
                    event.slug,
                    event.title,
                    event.summary,
                    event.start_date,
                    event.end_date,
                    event.date_precision,
                    event.category,
                    [str(code) for code in event.countries],
                    event.place,
                    event.importance,
                    event.status,
                    sorted(
                        (link.actor.slug, link.role)
                        for link in event.event_actors.all()
                    ),
                    sorted(tag.slug for tag in event.tags.all()),
                    sorted((c.source.slug, c.excerpt) for c in event.citations.all()),
                )
            )
        )
    for quote in Quote.objects.filter(slug__startswith=GENERATED_PREFIX).order_by(
        "slug"
    ):
        lines.append(repr((quote.slug, quote.text, quote.speaker.slug, quote.status)))
    for actor in Actor.objects.filter(slug__startswith=GENERATED_PREFIX).order_by(
        "slug"
    ):
        lines.append(repr((actor.slug, actor.name, actor.aliases, actor.country)))
    for source in Source.objects.filter(publisher=GENERATED_PUBLISHER).order_by("slug"):
        lines.append(repr((source.slug, source.text, source.published_on)))
    lines.extend(sorted(map(repr, generated_annotations())))
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def generated_annotations():
    """Every generated annotation's content, keyed by its target's slug (not ids)."""
    for note in (
        Annotation.objects.filter(author__username__startswith=GENERATED_PREFIX)
        .select_related("author", "team", "event", "quote")
        .prefetch_related("tags")
    ):
        yield (
            (note.event or note.quote).slug,
            note.author.username,
            note.body,
            note.body_format,
            note.confidence,
            note.grade,
            note.visibility,
            note.team.name if note.team else None,
            (note.exact, note.prefix, note.suffix, note.start, note.end),
            sorted(tag.name for tag in note.tags.all()),
        )


def seed_snapshot():
    return {
        model.__name__: sorted(
            map(repr, model.objects.values_list(*fields).order_by("pk"))
        )
        for model, fields in (
            (Event, ("pk", "slug", "title", "summary", "start_date", "status")),
            (Actor, ("pk", "slug", "name", "aliases")),
            (Quote, ("pk", "slug", "text", "event_id")),
            (Source, ("pk", "slug", "text")),
            (Citation, ("pk", "excerpt", "event_id", "quote_id", "source_id")),
            (EventActor, ("pk", "event_id", "actor_id", "role")),
            (Tag, ("pk", "slug")),
            (Event.tags.through, ("event_id", "tag_id")),
            (
                Annotation,
                ("pk", "author_id", "event_id", "quote_id", "body", "team_id"),
            ),
            (AnnotationTag, ("pk", "name")),
            (Annotation.tags.through, ("annotation_id", "annotationtag_id")),
            (get_user_model(), ("pk", "username", "password", "is_staff")),
            (get_user_model().groups.through, ("user_id", "group_id")),
            (Group, ("pk", "name")),
        )
    }


def test_same_seed_gives_the_same_data_and_another_seed_different_data():
    generate(events=80, seed=5)
    first = generated_digest()
    clear_generated()
    generate(events=80, seed=5)
    assert generated_digest() == first
    clear_generated()
    generate(events=80, seed=6)
    assert generated_digest() != first


def test_generates_the_requested_events_with_actors_quotes_and_citations():
    result = generate(events=120, seed=1)
    generated = Event.objects.filter(slug__startswith=GENERATED_PREFIX)
    assert generated.count() == result.events == 120
    assert EventActor.objects.filter(event__in=generated).count() >= 120
    assert Quote.objects.filter(slug__startswith=GENERATED_PREFIX).exists()
    assert generated.filter(citations__isnull=True).count() == 0
    assert len(set(generated.values_list("category", flat=True))) > 3
    assert Actor.objects.filter(slug__startswith=GENERATED_PREFIX).exclude(aliases="")


def test_generated_analysts_annotate_events_and_quotes():
    result = generate(events=400, seed=1)
    analysts = get_user_model().objects.filter(username__startswith=GENERATED_PREFIX)
    assert result.analysts == analysts.count() >= 3
    team = Group.objects.get(name=f"{GENERATED_PREFIX}team")
    for analyst in analysts:
        assert not analyst.has_usable_password()
        assert analyst.groups.filter(name=ANALYST).exists()
        assert is_analyst(analyst)
    notes = Annotation.objects.filter(author__in=analysts)
    assert notes.count() == result.annotations
    annotated = Event.objects.filter(annotations__in=notes).distinct().count()
    assert 0.15 * 400 <= annotated <= 0.25 * 400
    assert notes.filter(quote__isnull=False, exact="").exists()
    assert notes.filter(visibility=Visibility.PRIVATE, team=None).exists()
    shared = notes.filter(visibility=Visibility.TEAM)
    assert shared.exists() and not shared.exclude(team=team).exists()
    assert notes.exclude(source_reliability="").exists()
    assert notes.exclude(information_credibility="").exists()
    assert len(set(notes.values_list("confidence", flat=True))) == 3
    assert notes.filter(tags__isnull=False).exists()
    # A team member sees the team's notes; the analyst outside it only their own.
    member = team.user_set.first()
    loner = analysts.exclude(groups=team).first()
    assert shared.exclude(author=member).filter(
        pk__in=Annotation.objects.visible_to(member)
    )
    assert set(Annotation.objects.visible_to(loner)) == set(notes.filter(author=loner))


def test_generated_quote_passages_are_valid_and_anchor_where_stored():
    generate(events=400, seed=2)
    passages = Annotation.objects.filter(
        author__username__startswith=GENERATED_PREFIX, quote__isnull=False
    ).exclude(exact="")
    assert passages.exists()
    for note in passages.select_related("quote", "author", "team"):
        assert note.quote.text[note.start : note.end] == note.exact
        assert note.exact in note.body
        span = anchor(
            note.quote.text, exact=note.exact, prefix=note.prefix, suffix=note.suffix
        )
        assert span == (note.start, note.end)
        note.full_clean(exclude=["tags"])


def test_every_generated_excerpt_and_quote_is_verbatim_in_its_source():
    generate(events=60, seed=2)
    citations = Citation.objects.filter(source__publisher=GENERATED_PUBLISHER)
    assert citations.count() > 60
    for citation in citations.select_related("source"):
        assert occurs_verbatim(citation.excerpt, citation.source.text)
        citation.full_clean()
    for quote in Quote.objects.filter(slug__startswith=GENERATED_PREFIX):
        quote.full_clean()


def test_clear_removes_generated_data_and_leaves_the_seed_untouched(seeded):
    before = seed_snapshot()
    generate(events=50, seed=3)
    assert seed_snapshot() != before
    clear_generated()
    assert seed_snapshot() == before
    assert not Source.objects.filter(publisher=GENERATED_PUBLISHER).exists()


def test_clear_removes_generated_annotations_analysts_and_team_only():
    real_team = make_team("Kyiv desk")
    analyst = make_analyst("real-analyst", teams=[real_team])
    real_note = make_annotation(
        author=analyst,
        tags=["escalation", "my-own-tag"],
        visibility=Visibility.TEAM,
        team=real_team,
    )
    before = seed_snapshot()
    generate(events=300, seed=3)
    assert AnnotationTag.objects.filter(name="needs-verification").exists()
    clear_generated()
    assert seed_snapshot() == before
    real_note.refresh_from_db()
    assert sorted(tag.name for tag in real_note.tags.all()) == [
        "escalation",
        "my-own-tag",
    ]
    assert analyst.has_usable_password() and analyst.groups.count() == 2
    assert not Group.objects.filter(name__startswith=GENERATED_PREFIX).exists()


def test_clear_keeps_a_tag_a_real_annotation_used_in_its_history():
    analyst = make_analyst()
    note = make_annotation(author=analyst, tags=["corroborated"])
    note.tags.clear()
    generate(events=300, seed=3)
    clear_generated()
    assert AnnotationTag.objects.filter(name="corroborated").exists()
    assert not AnnotationTag.objects.filter(name="needs-verification").exists()


def test_clear_removes_a_real_note_on_a_generated_event_with_its_target():
    generate(events=20, seed=3)
    analyst = make_analyst()
    event = Event.objects.filter(slug__startswith=GENERATED_PREFIX).first()
    make_annotation(author=analyst, target=event)
    clear_generated()
    assert not Annotation.objects.exists()
    assert get_user_model().objects.filter(pk=analyst.pk).exists()


def test_cleared_events_leave_the_search_index():
    generate(events=30, seed=4)
    assert search_events(Event.objects.all(), "report").exists()
    clear_generated()
    assert not search_events(Event.objects.all(), "report").exists()


def test_new_events_after_generation_get_fresh_ids():
    generate(events=10, seed=1)
    highest = Event.objects.order_by("-pk").first().pk
    assert make_event().pk > highest


def test_command_generates_clears_and_reports():
    out = StringIO()
    call_command("generate_events", events=25, seed=1, no_progress=True, stdout=out)
    assert "generated 25 events" in out.getvalue()
    with pytest.raises(CommandError, match="clear it first"):
        call_command("generate_events", events=5, no_progress=True, stdout=out)
    assert "annotations by" in out.getvalue()
    call_command("generate_events", clear=True, stdout=out)
    assert "annotations" in out.getvalue()
    assert not Event.objects.filter(slug__startswith=GENERATED_PREFIX).exists()
    assert not Annotation.objects.exists()
    assert not get_user_model().objects.filter(username__startswith=GENERATED_PREFIX)


def test_command_needs_something_to_do():
    with pytest.raises(CommandError, match="--events"):
        call_command("generate_events", stdout=StringIO())
