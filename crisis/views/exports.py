"""Downloads of the filtered timeline: the same parameters as ``/``, the same events.

An export holds exactly the events the timeline lists to the same person for the same
query: published ones, plus drafts for staff (whose timeline shows drafts too).
"""

from django.http import HttpResponse
from django.urls import reverse

from crisis import exports
from crisis.cache import cached_timeline_read
from crisis.filters import EventFilter
from crisis.models import Event

EXPORT_TITLE = "Crisis Timeline: Russia–Ukraine, January 2022"
EXPORT_CACHE_MAX_BYTES = 2_000_000


def _export(request, render, content_type, filename):
    """The listed events rendered by ``render(rows)`` as a download.

    Bad parameters get a 400 naming each of them. A public export is the same for
    everyone asking the same view, so its content (up to a size) is cached until the
    data changes; a staff export (drafts, the analyst's own filters) is not.
    """
    filterset = EventFilter(
        request.GET, Event.objects.visible_to(request.user), request=request
    )
    if not filterset.is_valid():
        lines = [
            f"{name}: {' '.join(errors)}"
            for name, errors in filterset.form.errors.items()
        ]
        body = "These filters could not be read:\n" + "\n".join(lines) + "\n"
        return HttpResponse(body, status=400, content_type="text/plain; charset=utf-8")

    def compute():
        return render(
            exports.export_rows(filterset.qs, exports.event_url_builder(request))
        )

    if request.user.is_staff:
        return _download(compute(), content_type, filename)
    content = cached_timeline_read(
        f"export:{filename}",
        compute,
        # URLs in an export are absolute: the host is part of what was rendered.
        parts=(request.build_absolute_uri("/"), *filterset.params),
        # A huge export is rebuilt each time rather than crowd out everything else.
        keep=lambda content: len(content) <= EXPORT_CACHE_MAX_BYTES,
    )
    return _download(content, content_type, filename)


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


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
