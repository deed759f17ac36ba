"""The timeline and the event page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from crisis.annotation_selectors import attach_annotations, events_annotated_for
from crisis.models import Event, is_analyst
from crisis.selectors import TIMELINE_ORDER, event_for_page, neighbours, timeline_days


def timeline(request):
    events = Event.objects.published().for_timeline()
    if request.GET.get("annotated") == "1" and is_analyst(request.user):
        events = events.filter(pk__in=events_annotated_for(request.user).values("pk"))
    events = list(events.order_by(*TIMELINE_ORDER)[: settings.TIMELINE_PAGE_SIZE * 8])
    attach_annotations(events, request.user)
    return render(request, "crisis/timeline.html", {"days": timeline_days(events)})


def event_detail(request, slug):
    visible = Event.objects.visible_to(request.user)
    event = event_for_page(visible, slug)
    if event is None:
        raise Http404("No such event.")
    attach_annotations([event], request.user)
    attach_annotations(event.quotes.all(), request.user)
    previous_event, next_event = neighbours(visible.filter(status=event.status), event)
    return render(
        request,
        "crisis/event_detail.html",
        {"event": event, "previous_event": previous_event, "next_event": next_event},
    )
