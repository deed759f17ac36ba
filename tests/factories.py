"""Small factories: each builds one valid record with sensible defaults."""

import datetime
import itertools

from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Status

_counter = itertools.count(1)

SOURCE_TEXT = (
    "Leaders met in Paris on Wednesday. “We want calm,” the minister said. "
    "Markets fell sharply after the ruble tumbled."
)


def make_source(**fields):
    number = next(_counter)
    defaults = {
        "title": f"Report {number}",
        "slug": f"report-{number}",
        "publisher": "Wire",
        "published_on": datetime.date(2022, 1, 25),
        "text": SOURCE_TEXT,
    }
    return Source.objects.create(**{**defaults, **fields})


def make_actor(**fields):
    number = next(_counter)
    defaults = {
        "name": f"Actor {number}",
        "slug": f"actor-{number}",
        "kind": Actor.Kind.PERSON,
    }
    return Actor.objects.create(**{**defaults, **fields})


def make_event(
    *, actors=(), source=None, excerpt="Leaders met in Paris on Wednesday.", **fields
):
    number = next(_counter)
    defaults = {
        "title": f"Event {number}",
        "slug": f"event-{number}",
        "summary": "Something happened.",
        "start_date": datetime.date(2022, 1, 24),
        "category": Event.Category.DIPLOMACY,
        "status": Status.PUBLISHED,
    }
    event = Event.objects.create(**{**defaults, **fields})
    for actor in actors or [make_actor()]:
        EventActor.objects.create(
            event=event, actor=actor, role=EventActor.Role.PARTICIPANT
        )
    Citation.objects.create(
        event=event, source=source or make_source(), excerpt=excerpt
    )
    return event


def make_quote(*, speaker=None, source=None, **fields):
    number = next(_counter)
    source = source or make_source()
    defaults = {
        "slug": f"quote-{number}",
        "text": "We want calm,",
        "speaker": speaker or make_actor(),
        "said_on": datetime.date(2022, 1, 25),
        "source": source,
        "status": Status.PUBLISHED,
    }
    quote = Quote.objects.create(**{**defaults, **fields})
    Citation.objects.create(
        quote=quote, source=source, excerpt="“We want calm,” the minister said."
    )
    return quote


# Users, roles and annotations

PASSWORD = "a-long-test-password-1"


def analyst_group():
    """The Analyst role (crisis.roles): may annotate, never change facts."""
    from django.contrib.auth.models import Group

    from crisis.roles import ANALYST, sync_roles

    sync_roles()
    return Group.objects.get(name=ANALYST)


def viewer_group():
    """The Viewer role: signed in, but no annotation permission."""
    from django.contrib.auth.models import Group

    from crisis.roles import VIEWER, sync_roles

    sync_roles()
    return Group.objects.get(name=VIEWER)


def make_team(name=None):
    from django.contrib.auth.models import Group

    return Group.objects.create(name=name or f"Team {next(_counter)}")


def make_user(role=None, *, username=None, groups=(), **fields):
    """A user with password ``PASSWORD``, in an editorial role and any other groups."""
    from django.contrib.auth import get_user_model

    from crisis.roles import assign_role

    user = get_user_model().objects.create_user(
        username=username or f"user{next(_counter)}", password=PASSWORD, **fields
    )
    user.groups.add(*groups)
    if role:
        assign_role(user, role)
    return user


def make_analyst(username=None, *, teams=(), **fields):
    return make_user(username=username, groups=[analyst_group(), *teams], **fields)


def make_viewer(username=None, **fields):
    return make_user(username=username, groups=[viewer_group()], **fields)


def make_annotation(*, author, target=None, passage=None, tags=(), **fields):
    """An annotation stored directly; ``passage`` is an exact string of the target's text."""
    from annotations.anchoring import find_passage
    from annotations.models import Annotation, AnnotationTag

    target = target or make_event()
    annotation = Annotation(author=author, body=fields.pop("body", "A note."), **fields)
    setattr(annotation, target._meta.model_name, target)
    if passage:
        found = find_passage(target.text, exact=passage)
        annotation.exact, annotation.prefix, annotation.suffix = (
            found.exact,
            found.prefix,
            found.suffix,
        )
        annotation.start, annotation.end = found.start, found.end
    annotation.save()
    annotation.tags.set(
        [AnnotationTag.objects.get_or_create(name=name)[0] for name in tags]
    )
    return annotation


def event_facts(event):
    """What an event states, as an export and an import must keep it."""
    return {
        "title": event.title,
        "summary": event.summary,
        "dates": (event.start_date, event.end_date),
        "precision": event.date_precision,
        "category": event.category,
        "importance": event.importance,
        "place": event.place,
        "countries": sorted(country.code for country in event.countries),
        "tags": sorted(event.tags.values_list("slug", flat=True)),
        "actors": sorted(event.event_actors.values_list("actor__slug", "role")),
        "citations": sorted(event.citations.values_list("source__slug", "excerpt")),
    }
