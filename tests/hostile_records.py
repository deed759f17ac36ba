"""Records whose every editable text is an XSS payload, and a check that HTML is inert."""

import datetime
from html.parser import HTMLParser

from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Tag

# Each part sets window.__xss if it ever runs; the browser test asserts it never does.
PAYLOAD = (
    "<script>window.__xss=1</script>"
    '<img src=x onerror="window.__xss=1">'
    '"><svg onload="window.__xss=1">'
    "'-window.__xss=1-'"
)
# What autoescaping makes of the first part: proof the payload is on the page, as text.
ESCAPED = "&lt;script&gt;window.__xss=1&lt;/script&gt;"
JAVASCRIPT_URL = "javascript:window.__xss=1"


def make_hostile_records():
    """A published event, actor, quote, source and tag whose texts all carry PAYLOAD."""
    source = Source.objects.create(
        title=PAYLOAD,
        slug="xss-source",
        publisher=PAYLOAD,
        url=JAVASCRIPT_URL,
        published_on=datetime.date(2022, 1, 25),
        text=f"Before. {PAYLOAD} After.",
    )
    actor = Actor.objects.create(
        name=PAYLOAD,
        slug="xss-actor",
        title=PAYLOAD,
        aliases=PAYLOAD,
        description=PAYLOAD,
    )
    event = Event.objects.create(
        title=PAYLOAD,
        slug="xss-event",
        summary=PAYLOAD,
        place=PAYLOAD[:200],
        start_date=datetime.date(2022, 1, 25),
        category=Event.Category.DIPLOMACY,
        status="published",
    )
    event.tags.add(Tag.objects.create(name=PAYLOAD[:60], slug="xss-tag"))
    EventActor.objects.create(event=event, actor=actor, role=EventActor.Role.INITIATOR)
    Citation.objects.create(event=event, source=source, excerpt=PAYLOAD)
    quote = Quote.objects.create(
        slug="xss-quote",
        text=PAYLOAD,
        speaker=actor,
        said_on=datetime.date(2022, 1, 25),
        source=source,
        event=event,
        status="published",
    )
    Citation.objects.create(quote=quote, source=source, excerpt=PAYLOAD)
    return {"event": event, "actor": actor, "quote": quote, "source": source}


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "cite", "data", "poster"}

# Markup that libraries print themselves, never built from stored text. The CSP blocks
# it (django-import-export's "Select all" toggle on its export page does nothing).
LIBRARY_HANDLERS = {("input", "onchange", "onSelectToggleChange(event)")}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") and (tag, name, value) not in LIBRARY_HANDLERS:
                self.problems.append(f"<{tag} {name}=…>: an inline event handler")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}={value!r}>: a javascript: URL")
        if tag == "script":
            if not dict(attrs).get("src"):
                self.problems.append("<script> without src: inline script")
            self._in_script = True
        if tag == "style":
            self.problems.append("<style>: an inline style block")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script content {data[:40]!r}")


def inertness_problems(html):
    """Everything in the HTML that could run script: handlers, inline scripts, js: URLs."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.problems
