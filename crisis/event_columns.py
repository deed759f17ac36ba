"""The one column layout of events in files: the public export and the admin's import.

A file exported here imports back unchanged. Every list in a cell is written with
``LIST_SEPARATOR`` and names things by the identifiers an import looks up:

- ``countries``: ISO 3166 codes, ``DE; FR``
- ``tags``: tag slugs, ``talks; crimea``
- ``actors``: ``actor-slug:role``, ``olaf-scholz:participant; nato:target``
- ``citations``: one per line, ``source-slug: excerpt``; a backslash or line break
  inside an excerpt is written ``\\\\``, ``\\n`` (or ``\\r``), so one line is one citation.

The column names are a public contract: add columns at the end, never rename. Columns
in ``READ_ONLY_COLUMNS`` are derived and ignored by an import.
"""

from crisis.models import EventRole

COLUMNS = (
    "slug",
    "title",
    "start_date",
    "end_date",
    "date_precision",
    "display_date",
    "category",
    "importance",
    "countries",
    "place",
    "actors",
    "tags",
    "quote_count",
    "summary",
    "url",
    "status",
    "citations",
    "citation_sources",
)
READ_ONLY_COLUMNS = frozenset(
    {"display_date", "quote_count", "url", "status", "citation_sources"}
)
LIST_SEPARATOR = "; "
ACTOR_ROLE_SEPARATOR = ":"
CITATION_SEPARATOR = ": "
_ESCAPES = (("\\", "\\\\"), ("\n", "\\n"), ("\r", "\\r"))


def join_list(items):
    return LIST_SEPARATOR.join(items)


def split_list(text):
    """The items of a list cell; ``,`` is read as a separator too (older files)."""
    text = str(text or "").replace(",", ";")
    return [item.strip() for item in text.split(";") if item.strip()]


def format_actors(links):
    """``[(slug, role), ...]`` as ``slug:role; slug:role``."""
    return join_list(f"{slug}{ACTOR_ROLE_SEPARATOR}{role}" for slug, role in links)


def parse_actors(text):
    """``[(slug, role), ...]`` from an actors cell; ``ValueError`` names a bad item."""
    links = []
    for item in split_list(text):
        slug, _, role = item.partition(ACTOR_ROLE_SEPARATOR)
        slug, role = slug.strip(), role.strip() or EventRole.PARTICIPANT
        if role not in EventRole.values:
            raise ValueError(
                f"actor '{slug}' has the role '{role}', which is not one of "
                f"{', '.join(EventRole.values)} — write it as {slug}:participant"
            )
        links.append((slug, role))
    return links


def _escape(text):
    for raw, escaped in _ESCAPES:
        text = text.replace(raw, escaped)
    return text


def _unescape(text):
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append(
                {"n": "\n", "r": "\r", "\\": "\\"}.get(following, char + following)
            )
        else:
            out.append(char)
    return "".join(out)


def format_citations(citations):
    """``[(source_slug, excerpt), ...]`` as one line per citation."""
    return "\n".join(
        f"{slug}{CITATION_SEPARATOR}{_escape(excerpt)}" for slug, excerpt in citations
    )


def parse_citations(text):
    """``[(source_slug, excerpt), ...]`` from a citations cell; ``ValueError`` if bad."""
    citations = []
    for line in str(text or "").split("\n"):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        slug, separator, excerpt = line.partition(CITATION_SEPARATOR.strip())
        if not separator or not excerpt.strip():
            raise ValueError(
                f"the citation '{line[:60]}' has no excerpt — write it as "
                "source-slug: the passage, one citation per line"
            )
        citations.append((slug.strip(), _unescape(excerpt.removeprefix(" "))))
    return citations


def format_citation_source(source):
    """A source as one readable line: title, publisher, date, URL."""
    parts = [source["title"], source["publisher"], source["published_on"]]
    return ", ".join(part for part in (*parts, source["url"]) if part)
