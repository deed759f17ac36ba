"""Downloads of the filtered timeline: the same parameters as ``/``, published events only."""

from django.http import HttpResponse
from django.urls import reverse

from crisis import exports
from crisis.filters import EventFilter
from crisis.models import Event

EXPORT_TITLE = "Crisis Timeline: Russia–Ukraine, January 2022"


def _filtered_rows(request):
    """``(rows, None)``, or ``(None, response)`` with a 400 naming every bad parameter."""
    filterset = EventFilter(request.GET, Event.objects.published())
    if not filterset.is_valid():
        lines = [
            f"{name}: {' '.join(errors)}"
            for name, errors in filterset.form.errors.items()
        ]
        body = "These filters could not be read:\n" + "\n".join(lines) + "\n"
        return None, HttpResponse(
            body, status=400, content_type="text/plain; charset=utf-8"
        )

    return exports.export_rows(filterset.qs, _event_url_builder(request)), None


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


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def events_csv(request):
    rows, error = _filtered_rows(request)
    if error:
        return error
    return _download(
        exports.to_csv(rows), "text/csv; charset=utf-8", "crisis-timeline-events.csv"
    )


def events_json(request):
    rows, error = _filtered_rows(request)
    if error:
        return error
    return _download(
        exports.to_json(rows), "application/json", "crisis-timeline-events.json"
    )


def timelinejs_json(request):
    rows, error = _filtered_rows(request)
    if error:
        return error
    description = (
        "Events of the January 2022 Russia–Ukraine crisis, each cited to its source. "
        f"Exported from {request.build_absolute_uri(reverse('crisis:timeline'))}"
    )
    return _download(
        exports.to_timelinejs(rows, EXPORT_TITLE, description),
        "application/json",
        "crisis-timeline-timelinejs.json",
    )


def events_ics(request):
    rows, error = _filtered_rows(request)
    if error:
        return error
    return _download(
        exports.to_icalendar(rows, request.get_host().split(":")[0]),
        "text/calendar; charset=utf-8",
        "crisis-timeline-events.ics",
    )
