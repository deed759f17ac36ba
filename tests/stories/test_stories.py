"""Stories: models and admin, step pages with and without htmx, the seed story."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from crisis.models import Status
from crisis.roles import EDITOR
from stories.models import Story, StoryStep
from tests.admin_forms import admin_form_data
from tests.factories import make_event, make_source, make_user

pytestmark = pytest.mark.django_db

SEED_STORY = "nato-puts-forces-on-standby"


def make_story(events, status=Status.PUBLISHED, **fields):
    story = Story.objects.create(
        title=fields.pop("title", "A story"),
        slug=fields.pop("slug", "a-story"),
        intro="How it went.",
        status=status,
        **fields,
    )
    for position, event in enumerate(events, start=1):
        StoryStep.objects.create(
            story=story, event=event, position=position, note=f"Note {position}"
        )
    return story


def test_steps_come_in_the_order_of_their_position_not_of_creation():
    first, second = make_event(title="First"), make_event(title="Second")
    story = make_story([])
    StoryStep.objects.create(story=story, event=second, position=2)
    StoryStep.objects.create(story=story, event=first, position=1)
    assert [step.event.title for step in story.steps.all()] == ["First", "Second"]


def test_story_and_step_changes_are_kept_in_history():
    story = make_story([make_event()])
    story.title = "Renamed"
    story.save()
    step = story.steps.get()
    step.note = "Changed note"
    step.save()
    assert [h.title for h in story.history.order_by("history_id")] == [
        "A story",
        "Renamed",
    ]
    assert step.history.count() == 2


def test_a_draft_story_is_hidden_from_the_public_and_shown_to_staff(client):
    make_story([make_event()], status=Status.DRAFT)
    assert client.get("/stories/a-story/").status_code == 404
    assert "A story" not in client.get("/stories/").content.decode()
    client.force_login(make_user(is_staff=True))
    response = client.get("/stories/a-story/")
    assert response.status_code == 200
    assert "visible to staff only" in response.content.decode()


def test_draft_events_of_a_published_story_are_left_out_for_the_public(client):
    shown = make_event(title="Published event")
    draft = make_event(title="Draft event", status=Status.DRAFT)
    make_story([draft, shown])
    cover = client.get("/stories/a-story/").content.decode()
    assert "Published event" in cover and "Draft event" not in cover
    assert "Step 1 of 1" in client.get("/stories/a-story/1/").content.decode()
    assert client.get("/stories/a-story/2/").status_code == 404


def test_a_step_shows_date_title_actors_citation_with_source_and_note(client):
    source = make_source(title="The wire report")
    event = make_event(
        title="Leaders meet", source=source, start_date=datetime.date(2022, 1, 26)
    )
    make_story([make_event(), event])
    body = client.get("/stories/a-story/2/").content.decode()
    assert "Step 2 of 2" in body
    assert "Leaders meet" in body
    assert "26 January 2022" in body
    assert event.event_actors.get().actor.name in body
    assert "Leaders met in Paris on Wednesday." in body  # the citation's excerpt
    assert "The wire report" in body
    assert "Note 2" in body


def test_step_pages_link_previous_and_next_without_javascript(client):
    make_story([make_event(), make_event(), make_event()])
    body = client.get("/stories/a-story/2/").content.decode()
    assert (
        'rel="prev" data-story-prev target="_self" href="/stories/a-story/1/"' in body
    )
    assert (
        'rel="next" data-story-next target="_self" href="/stories/a-story/3/"' in body
    )
    last = client.get("/stories/a-story/3/").content.decode()
    assert "data-story-next" not in last
    cover = client.get("/stories/a-story/").content.decode()
    assert "data-story-prev" not in cover
    assert 'href="/stories/a-story/1/"' in cover


def test_a_step_that_is_not_there_is_a_404(client):
    make_story([make_event()])
    assert client.get("/stories/a-story/2/").status_code == 404
    assert client.get("/stories/no-such-story/").status_code == 404


def test_htmx_gets_only_the_stepper_and_history_restore_the_whole_page(client):
    make_story([make_event(), make_event()])
    full = client.get("/stories/a-story/1/")
    partial = client.get("/stories/a-story/1/", headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    assert "<html" not in partial.content.decode()
    assert 'id="story-stepper"' in partial.content.decode()
    assert "HX-Request" in partial["Vary"]
    restore = client.get(
        "/stories/a-story/1/",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_story_list_shows_published_stories_with_their_visible_step_count(client):
    make_story([make_event(), make_event(status=Status.DRAFT)])
    body = client.get("/stories/").content.decode()
    assert "A story" in body and "1 step<" in body


def test_step_page_queries_stay_flat_with_more_actors_and_citations(
    client, django_assert_max_num_queries
):
    """Guards against N+1 on actors and citations of a step."""
    events = [make_event(actors=[]) for _ in range(5)]
    make_story(events)
    with django_assert_max_num_queries(8):
        client.get("/stories/a-story/3/")
    with django_assert_max_num_queries(8):
        client.get("/stories/")


def test_an_editor_builds_a_story_with_ordered_steps_in_the_admin(client):
    first, second = make_event(title="First"), make_event(title="Second")
    client.force_login(make_user(EDITOR))
    form = client.get(reverse("admin:stories_story_add"))
    assert form.status_code == 200
    data = admin_form_data(
        form,
        title="Told by an editor",
        slug="told",
        intro="Why.",
        status=Status.PUBLISHED,
        **{
            "steps-TOTAL_FORMS": "2",
            "steps-0-position": "2",
            "steps-0-event": str(first.pk),
            "steps-0-note": "",
            "steps-1-position": "1",
            "steps-1-event": str(second.pk),
            "steps-1-note": "Begins here.",
        },
    )
    response = client.post(reverse("admin:stories_story_add"), data)
    assert response.status_code == 302, response.context and response.context.get(
        "errors"
    )
    story = Story.objects.get(slug="told")
    assert [s.event.title for s in story.steps.all()] == ["Second", "First"]
    assert story.history.get().history_user.groups.get().name == EDITOR
    changelist = client.get(reverse("admin:stories_story_changelist"))
    assert "Told by an editor" in changelist.content.decode()


def test_the_seed_holds_one_cited_story_and_loading_again_changes_nothing(seeded):
    story = Story.objects.get(slug=SEED_STORY)
    steps = list(story.steps.select_related("event"))
    assert story.status == Status.PUBLISHED and len(steps) >= 3
    assert all(step.event.citations.exists() for step in steps)
    out = StringIO()
    call_command("load_seed", stdout=out)
    assert f"story '{SEED_STORY}'" not in out.getvalue()  # neither created nor updated
    assert Story.objects.count() == 1 and story.steps.count() == len(steps)


def test_the_seed_loader_leaves_a_story_an_editor_changed(seeded):
    step = StoryStep.objects.filter(story__slug=SEED_STORY).first()
    step.note = "An editor's own note."
    step.save()
    out = StringIO()
    call_command("load_seed", stdout=out)
    assert f"skipped (edited since it was seeded): story '{SEED_STORY}'" in (
        out.getvalue()
    )
    step.refresh_from_db()
    assert step.note == "An editor's own note."


def test_a_seed_story_of_an_unknown_event_is_refused_and_nothing_is_written(
    seeded, tmp_path
):
    from crisis.seed import SeedError
    from stories.seed import load_seed_stories

    seed = tmp_path / "more.yaml"
    seed.write_text(
        "stories:\n  - slug: lost\n    title: Lost\n    intro: Why.\n"
        "    steps:\n      - event: no-such-event\n",
        encoding="utf-8",
    )
    with pytest.raises(SeedError, match="unknown event slug 'no-such-event'"):
        load_seed_stories([seed])
    assert not Story.objects.filter(slug="lost").exists()
