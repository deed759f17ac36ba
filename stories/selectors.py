"""What the story pages read."""

from django.db.models import Count, Prefetch, Q

from crisis.models import Citation, Event, EventActor
from stories.models import Story, StoryStep


def stories_for_list(user):
    """The stories a reader may open, each with the number of steps they will see."""
    visible_events = Event.objects.visible_to(user)
    return Story.objects.visible_to(user).annotate(
        step_count=Count("steps", filter=Q(steps__event__in=visible_events))
    )


def story_steps(story, user):
    """The story's steps the reader may see, in order, with what each step shows:
    the event, its actors and its citations with their sources."""
    return list(
        StoryStep.objects.filter(story=story)
        .visible_to(user)
        .select_related("event")
        .prefetch_related(
            Prefetch(
                "event__event_actors",
                queryset=EventActor.objects.select_related("actor").order_by(
                    "role", "actor__name"
                ),
                to_attr="actor_links",
            ),
            Prefetch(
                "event__citations",
                queryset=Citation.objects.select_related("source").order_by("pk"),
                to_attr="citation_list",
            ),
        )
    )
