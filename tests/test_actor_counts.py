"""Actors' event counts (ActorEventCount): kept true by every path that writes events
or their actor links, and read by the actor list instead of counting links."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.models import Actor, ActorEventCount, Event, EventActor, Status
from crisis.services import records_set_status
from devdata.events import clear_generated, generate
from tests.factories import make_actor, make_event
from tests.overlapping import at_once, overlapping_writes

pytestmark = pytest.mark.django_db


def counted_from_the_links():
    """What the counts must say, worked out here from every link and event row."""
    events = {}
    for actor, event, status in EventActor.objects.values_list(
        "actor_id", "event_id", "event__status"
    ):
        events.setdefault((actor, status), set()).add(event)
    return {key: len(found) for key, found in events.items()}


def stored_counts():
    return {
        (row.actor_id, row.status): row.count for row in ActorEventCount.objects.all()
    }


def test_the_seed_is_counted(seeded):
    assert ActorEventCount.objects.exists()
    assert stored_counts() == counted_from_the_links()


def test_counts_follow_links_added_moved_removed_and_two_roles():
    scholz, biden = make_actor(name="Scholz"), make_actor(name="Biden")
    event = make_event(actors=[scholz])
    EventActor.objects.create(event=event, actor=scholz, role=EventActor.Role.TARGET)
    assert stored_counts() == counted_from_the_links()
    assert stored_counts()[scholz.pk, Status.PUBLISHED] == 1  # two roles, one event

    link = EventActor.objects.filter(actor=scholz).first()
    link.actor = biden  # moved to another actor
    link.save()
    assert stored_counts() == counted_from_the_links()
    assert stored_counts()[biden.pk, Status.PUBLISHED] == 1

    EventActor.objects.filter(actor=biden).delete()
    assert stored_counts() == counted_from_the_links()
    assert (biden.pk, Status.PUBLISHED) not in stored_counts()


def test_counts_follow_status_changes_and_deletes_of_events():
    scholz = make_actor(name="Scholz")
    first, second = make_event(actors=[scholz]), make_event(actors=[scholz])
    records_set_status(
        records=Event.objects.filter(pk=first.pk), status=Status.DRAFT, user=None
    )
    assert stored_counts() == counted_from_the_links()
    assert stored_counts()[scholz.pk, Status.DRAFT] == 1
    second.delete()  # its links go with it
    assert stored_counts() == counted_from_the_links()
    assert (scholz.pk, Status.PUBLISHED) not in stored_counts()
    first.delete()
    scholz.delete()  # an actor goes once no event names them
    assert not ActorEventCount.objects.exists()


def test_counts_follow_the_generator_its_clearing_and_a_restore(seeded, tmp_path):
    generate(events=60, seed=5)
    assert stored_counts() == counted_from_the_links()
    clear_generated()
    assert stored_counts() == counted_from_the_links()

    path = tmp_path / "backup.json"
    call_command("export_archive", str(path), stdout=StringIO())
    assert "crisis.actoreventcount" not in set(json.loads(path.read_text())["counts"])
    expected = counted_from_the_links()
    make_event(actors=[Actor.objects.first()], title="Added after the backup")
    call_command("import_archive", str(path), "--yes", "--force", stdout=StringIO())
    assert stored_counts() == expected


@pytest.mark.parametrize("sort", ["", "event_count", "-event_count"])
def test_the_actor_list_reads_the_stored_counts(client, sort):
    busy, quiet = make_actor(name="Busy"), make_actor(name="Quiet")
    for _ in range(3):
        make_event(actors=[busy])
    make_event(actors=[quiet])
    make_event(actors=[quiet], status=Status.DRAFT)  # not counted for the public
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/actors/", {"sort": sort} if sort else {})
    assert page.status_code == 200
    listed_actors = [row.record for row in page.context["table"].page.object_list]
    counts = {actor.name: actor.event_count for actor in listed_actors}
    assert {name: counts[name] for name in ("Busy", "Quiet")} == {"Busy": 3, "Quiet": 1}
    listed = [q["sql"] for q in queries.captured_queries if "crisis_actor" in q["sql"]]
    assert any("crisis_actoreventcount" in sql for sql in listed)
    assert not any("crisis_eventactor" in sql for sql in listed)


@at_once
def test_two_editors_linking_one_actor_at_once_are_both_counted():
    """As for the month counts: the second recount waits for the first transaction.
    (Links only: saving an event takes the month counts' lock first.)"""
    actor = make_actor(name="Shared")
    first_event, second_event = make_event(), make_event()

    def link(event):
        return lambda: EventActor.objects.create(
            event=event, actor=actor, role=EventActor.Role.PARTICIPANT
        )

    failures = overlapping_writes(link(first_event), link(second_event))
    assert failures == []
    assert stored_counts()[actor.pk, Status.PUBLISHED] == 2
    assert stored_counts() == counted_from_the_links()
