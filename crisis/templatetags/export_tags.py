"""The export links under a list of events, the same on the timeline and the table."""

from django import template

from crisis.reading.exports import FORMATS

register = template.Library()


@register.inclusion_tag("crisis/includes/_export_links.html")
def export_links(query, count=None, also=""):
    """A link per format, or why the format is not offered for ``count`` events.

    ``count``: how many events the filters hold (anything but a number: not known, and
    each format's limit is checked when the file is asked for). ``also``: "table" or
    "timeline", the other way to see these events.
    """
    known = count if isinstance(count, int) else None
    return {
        "query": query,
        "count": known,
        "also": also,
        "formats": [
            {
                "label": export.label,
                "url_name": export.url_name,
                "refusal": export.refusal(known) if known is not None else "",
                "cap_note": export.cap_note(known),
            }
            for export in FORMATS.values()
        ],
    }
