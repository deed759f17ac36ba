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


def make_user(role=None, *, username=None, **fields):
    """A user with a password "pw", in the given editorial role (Editor/Analyst/Viewer)."""
    from django.contrib.auth import get_user_model

    from crisis.roles import assign_role

    number = next(_counter)
    user = get_user_model().objects.create_user(
        username=username or f"user{number}", password="pw", **fields
    )
    if role:
        assign_role(user, role)
    return user
