"""Downloads of the filtered timeline: the same parameters as ``/``, published events only."""

from django.http import HttpResponse
from django.urls import reverse

from crisis import exports
from crisis.cache import cached_timeline_read
from crisis.filters import EventFilter
from crisis.models import Event

EXPORT_TITLE = "Crisis Timeline: Russia–Ukraine, January 2022"
EXPORT_CACHE_MAX_BYTES = 2_000_000


def _export(request, render, content_type, filename):
    """The filtered, published events rendered by ``render(rows)`` as a download.

    Bad parameters get a 400 naming each of them. An export is the same for everyone
    asking the same view, so its content (up to a size) is cached until the data changes.
    """
    filterset = EventFilter(request.GET, Event.objects.published())
    if not filterset.is_valid():
        lines = [
            f"{name}: {' '.join(errors)}"
            for name, errors in filterset.form.errors.items()
        ]
        body = "These filters could not be read:\n" + "\n".join(lines) + "\n"
        return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")
    content = cached_timeline_read(
        f"export:{filename}",
        lambda: render(exports.export_rows(filterset.qs, _event_url_builder(request))),
        # URLs in an export are absolute: the host is part of what was rendered.
        parts=(request.build_absolute_uri("/"), *filterset.params),
        # A huge export is rebuilt each time rather than crowd out everything else.
        keep=lambda content: len(content) <= EXPORT_CACHE_MAX_BYTES,
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _event_url_builder(request):
    """``slug -> absolute URL`` of the event page, reversed once rather than per row.

    Slugs are URL-safe, so every other URL is the first one with its slug swapped.
    """
    marker = "event-slug-marker"
    url = request.build_absolute_uri(
        reverse("crisis:event_detail", kwargs={"slug": marker})
    )
    before, after = url.split(marker)
    return lambda slug: f"{before}{slug}{after}"


def events_csv(request):
    return _export(
        request, exports.to_csv, "text/csv; charset=utf-8", "crisis-timeline-events.csv"
    )


def events_json(request):
    return _export(
        request, exports.to_json, "application/json", "crisis-timeline-events.json"
    )


def timelinejs_json(request):
    description = (
        "Events of the January 2022 Russia–Ukraine crisis, each cited to its source. "
        f"Exported from {request.build_absolute_uri(reverse('crisis:timeline'))}"
    )
    return _export(
        request,
        lambda rows: exports.to_timelinejs(rows, EXPORT_TITLE, description),
        "application/json",
        "crisis-timeline-timelinejs.json",
    )


def events_ics(request):
    host = request.get_host().split(":")[0]
    return _export(
        request,
        lambda rows: exports.to_icalendar(rows, host),
        "text/calendar; charset=utf-8",
        "crisis-timeline-events.ics",
    )
