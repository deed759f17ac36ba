"""The synthetic data generator and its management command."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from crisis.generate import (
    GENERATED_PREFIX,
    GENERATED_PUBLISHER,
    clear_generated,
    generate,
)
from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Tag
from crisis.text import occurs_verbatim
from tests.factories import make_event

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
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


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


def test_cleared_events_leave_the_search_index():
    generate(events=30, seed=4)
    assert Event.objects.search("report").exists()
    clear_generated()
    assert not Event.objects.search("report").exists()


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
    call_command("generate_events", clear=True, stdout=out)
    assert not Event.objects.filter(slug__startswith=GENERATED_PREFIX).exists()


def test_command_needs_something_to_do():
    with pytest.raises(CommandError, match="--events"):
        call_command("generate_events", stdout=StringIO())
