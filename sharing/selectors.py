"""What the share images and oEmbed answers read."""

from urllib.parse import urlsplit

from django.http import QueryDict
from django.urls import Resolver404, resolve

from crisis.models import Event, Status
from crisis.reading.filters import EventFilter
from crisis.reading.month_counts import stored_density
from crisis.reading.selectors import event_density
from sharing.images import share_png
from stories.models import Story

# The pages oEmbed answers for, and the embed page that frames each.
OEMBED_PAGES = {
    "crisis:timeline": "sharing:embed_timeline",
    "stories:detail": "sharing:embed_story",
    "stories:detail_step": "sharing:embed_story_step",
}


def timeline_share_png(params, user):
    """The share image of the timeline filtered by ``params`` (a QueryDict)."""
    filterset = EventFilter(params, Event.objects.visible_to(user), ranked=False)
    filterset.is_valid()
    chips = filterset.chips()
    title = (
        "; ".join(f"{chip.label}: {chip.value}" for chip in chips)
        or "The January 2022 Russia–Ukraine crisis"
    )
    events = filterset.qs
    density = event_density(events)
    count = density.dated_count if density else 0
    subtitle = f"{count:,} cited event{'s' if count != 1 else ''} on the timeline"
    return share_png(title, subtitle, density)


def event_share_png(event):
    """An event's share image: its title, with its date marked among all events."""
    return share_png(
        event.title,
        f"{event.display_date} · {event.get_category_display()}",
        stored_density((Status.PUBLISHED,)),
        marked=event.start_date,
    )


def story_share_png(story, steps):
    """A story's share image: its title and the dates of the steps the reader sees."""
    events = Event.objects.filter(pk__in=[step.event_id for step in steps])
    return share_png(
        story.title,
        f"A story in {len(steps)} step{'s' if len(steps) != 1 else ''}",
        event_density(events),
    )


def oembed_target(url, host):
    """``(url_name, kwargs, query)`` of a page of this site that oEmbed can frame, or
    None: the timeline and story pages only, and only on ``host``."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        return None
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return None
    if match.view_name not in OEMBED_PAGES:
        return None
    return match.view_name, match.kwargs, QueryDict(parts.query)


def story_for_oembed(slug):
    return Story.objects.published().filter(slug=slug).first()
