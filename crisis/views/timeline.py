"""The timeline and the event page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

from crisis.models import Event, Quote
from crisis.selectors import TIMELINE_ORDER, event_for_page, neighbours, timeline_days


def timeline(request):
    events = (
        Event.objects.published()
        .for_timeline()
        .order_by(*TIMELINE_ORDER)[: settings.TIMELINE_PAGE_SIZE * 8]
    )
    return render(request, "crisis/timeline.html", {"days": timeline_days(events)})


def event_detail(request, slug):
    visible = Event.objects.visible_to(request.user)
    event = event_for_page(visible, slug, quotes=Quote.objects.visible_to(request.user))
    if event is None:
        raise Http404("No such event.")
    previous_event, next_event = neighbours(visible.filter(status=event.status), event)
    return render(
        request,
        "crisis/event_detail.html",
        {"event": event, "previous_event": previous_event, "next_event": next_event},
    )
