"""The seed stories (a ``stories`` list in seeds/*.yaml), loaded after the facts.

Idempotent like the facts' loader (crisis/seed.py): a missing story is created, one the
loader wrote last is refreshed, and one an editor has changed since (the story or any of
its steps) is skipped and reported.
"""

import yaml
from django.db import transaction

from crisis.models import Event, Status
from crisis.seed import SEED_CHANGE_REASON, SeedError, SeedReport
from stories.models import Story, StoryStep


def read_seed_stories(paths):
    """Every story record of the files, checked; raise SeedError listing all problems."""
    records, errors = [], []
    slugs = set()
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for index, record in enumerate(data.get("stories") or []):
            where = f"{path.name}: stories[{index}]"
            missing = [
                key
                for key in ("slug", "title", "intro", "steps")
                if not record.get(key)
            ]
            if missing:
                errors.append(f"{where}: missing {', '.join(missing)}")
                continue
            if record["slug"] in slugs:
                errors.append(f"{where}: duplicate story slug '{record['slug']}'")
            slugs.add(record["slug"])
            if record.get("status", Status.PUBLISHED) not in Status.values:
                errors.append(f"{where}: status must be one of {Status.values}")
            events = [step.get("event") for step in record["steps"]]
            known = set(
                Event.objects.filter(slug__in=events).values_list("slug", flat=True)
            )
            for slug in events:
                if slug not in known:
                    errors.append(f"{where}: unknown event slug '{slug}'")
            records.append(record)
    if errors:
        raise SeedError("\n".join(errors))
    return records


def _edited_since_seeding(story):
    """Whether anyone but the loader changed the story or one of its steps last."""
    latest = story.history.order_by("-history_date", "-history_id").first()
    if latest is not None and latest.history_change_reason != SEED_CHANGE_REASON:
        return True
    return (
        StoryStep.history.filter(story_id=story.pk)
        .exclude(history_change_reason=SEED_CHANGE_REASON)
        .exists()
    )


def _wanted_steps(record):
    return [
        (step["event"], (step.get("note") or "").strip()) for step in record["steps"]
    ]


def _current_steps(story):
    return [
        (step.event.slug, step.note) for step in story.steps.select_related("event")
    ]


def _save(instance):
    instance._change_reason = SEED_CHANGE_REASON
    instance.full_clean(validate_unique=False, validate_constraints=False)
    instance.save()


def _write_steps(story, record):
    for step in story.steps.all():
        step._change_reason = SEED_CHANGE_REASON
        step.delete()
    events = {
        event.slug: event
        for event in Event.objects.filter(
            slug__in=[s["event"] for s in record["steps"]]
        )
    }
    for position, (slug, note) in enumerate(_wanted_steps(record), start=1):
        _save(StoryStep(story=story, position=position, event=events[slug], note=note))


@transaction.atomic
def load_seed_stories(paths, report=None):
    """Create or refresh the seed stories of ``paths``; return the SeedReport."""
    report = report or SeedReport()
    for record in read_seed_stories(paths):
        fields = {
            "title": record["title"],
            "intro": " ".join(record["intro"].split()),
            "status": record.get("status") or Status.PUBLISHED,
        }
        label = f"story '{record['slug']}'"
        story = Story.objects.filter(slug=record["slug"]).first()
        if story is None:
            story = Story(slug=record["slug"], **fields)
            _save(story)
            _write_steps(story, record)
            report.created.append(label)
            continue
        same = all(getattr(story, key) == value for key, value in fields.items())
        if same and _current_steps(story) == _wanted_steps(record):
            report.unchanged.append(label)
        elif _edited_since_seeding(story):
            report.skipped.append(label)
        else:
            for key, value in fields.items():
                setattr(story, key, value)
            _save(story)
            _write_steps(story, record)
            report.updated.append(label)
    return report
