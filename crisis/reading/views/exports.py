"""Downloads of the filtered timeline: the same parameters as ``/``, the same events.

An export holds exactly the events the timeline lists to the same person for the same
query: published ones, plus drafts for staff (whose timeline shows drafts too). Files
are streamed as they are written; one that would take too long to write is refused
with a 400 that says how many events the filters hold and how many the format takes.
"""

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse

from crisis.models import Event
from crisis.reading import export_files, exports
from crisis.reading.filters import EventFilter

EXPORT_TITLE = "Crisis Timeline: Russia–Ukraine, January 2022"


def _export(request, name, stream):
    """The listed events, written by ``stream(rows, count)``, as a streamed download.

    Bad parameters, or more events than the format can write in time, get a 400 that
    says what to change.
    """
    export = exports.FORMATS[name]
    filterset = EventFilter(
        request.GET, Event.objects.visible_to(request.user), request=request
    )
    if not filterset.is_valid():
        lines = [
            f"{field}: {' '.join(errors)}"
            for field, errors in filterset.form.errors.items()
        ]
        return _refused("These filters could not be read:\n" + "\n".join(lines))
    events = filterset.qs
    count = events.order_by().count()
    if refusal := export.refusal(count):
        timeline = request.build_absolute_uri(reverse("crisis:timeline"))
        query = request.GET.urlencode()
        return _refused(f"{refusal}\nThese events: {timeline}?{query}")
    rows = exports.export_rows(
        events, exports.event_url_builder(request), limit=export.cap
    )
    response = StreamingHttpResponse(
        exports.in_pieces(stream(rows, count)), content_type=export.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def _refused(message):
    return HttpResponse(
        message + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


def events_csv(request):
    return _export(request, "csv", lambda rows, count: export_files.stream_csv(rows))


def events_json(request):
    return _export(request, "json", lambda rows, count: export_files.stream_json(rows))


def timelinejs_json(request):
    description = (
        "Events of the January 2022 Russia–Ukraine crisis, each cited to its source. "
        f"Exported from {request.build_absolute_uri(reverse('crisis:timeline'))}"
    )

    def stream(rows, count):
        note = ""
        if left_out := exports.FORMATS["timelinejs"].cap_note(count):
            note = (
                f"This file holds {left_out} of {count:,}: TimelineJS shows a few "
                "hundred at most. Narrow the filters to see the others."
            )
        return export_files.stream_timelinejs(rows, EXPORT_TITLE, description, note)

    return _export(request, "timelinejs", stream)


def events_ics(request):
    host = request.get_host().split(":")[0]
    return _export(
        request, "ics", lambda rows, count: export_files.stream_icalendar(rows, host)
    )
