"""Load the hand-reviewed seed files in ``seeds/`` into the database.

Each YAML file lists sources, actors, events and quotes keyed by slug. Loading is
idempotent and never overwrites an editor's work:

* a record missing from the database is created;
* a record the loader itself wrote last is updated if the seed file changed it;
* a record someone has edited since (its latest history entry is not the loader's) is
  skipped and reported.

The whole file set is validated before anything is written; any problem aborts the load
with the file, the record and the reason.
"""

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django_countries import countries

from crisis.models import (
    Actor,
    Citation,
    DatePrecision,
    Event,
    EventActor,
    Quote,
    Source,
    Status,
    Tag,
)
from crisis.services import events_reindex
from crisis.text import occurs_verbatim

SEED_CHANGE_REASON = "load_seed"
_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s+")


class SeedError(Exception):
    """The seed files are not loadable; the message lists every problem found."""


@dataclass
class SeedReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def lines(self):
        yield (
            f"created {len(self.created)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, skipped {len(self.skipped)}"
        )
        for label, names in (
            ("created", self.created),
            ("updated", self.updated),
            ("skipped (edited since it was seeded)", self.skipped),
        ):
            for name in names:
                yield f"  {label}: {name}"


def read_source_text(seed_file, text_file):
    """Read a source's text, dropping the ``date YYYY-MM-DD`` header our article files carry."""
    raw = (seed_file.parent / text_file).read_text(encoding="utf-8")
    return _HEADER.sub("", raw, count=1).strip()


class _Checker:
    def __init__(self, path):
        self.path = path
        self.errors = []

    def fail(self, where, reason):
        self.errors.append(f"{self.path.name}: {where}: {reason}")

    def require(self, record, where, keys):
        missing = [key for key in keys if record.get(key) in (None, "")]
        for key in missing:
            self.fail(where, f"missing required field '{key}'")
        return not missing

    def choice(self, record, where, key, allowed):
        value = record.get(key)
        if value not in allowed:
            self.fail(
                where, f"{key} '{value}' is not one of {', '.join(map(str, allowed))}"
            )

    def date(self, record, where, key, required=True):
        value = record.get(key)
        if value is None and not required:
            return None
        if isinstance(value, datetime.date):
            return value
        self.fail(where, f"{key} '{value}' is not a date (YYYY-MM-DD)")
        return None


def _where(kind, index, record):
    slug = record.get("slug") if isinstance(record, dict) else None
    return f"{kind}[{index}]" + (f" '{slug}'" if slug else "")


def parse_seed_file(path, known=None):
    """Parse and validate one seed file; return its data or raise SeedError."""
    path = Path(path)
    check = _Checker(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        raise SeedError(f"{path.name}: cannot read YAML: {error}") from error
    if not isinstance(data, dict):
        raise SeedError(
            f"{path.name}: the top level must be a mapping of sources, actors, ..."
        )

    known = (
        known
        if known is not None
        else {"sources": {}, "actors": set(), "events": set()}
    )
    sections = {
        name: data.get(name) or [] for name in ("sources", "actors", "events", "quotes")
    }
    for name, records in sections.items():
        if not isinstance(records, list) or not all(
            isinstance(r, dict) for r in records
        ):
            raise SeedError(f"{path.name}: '{name}' must be a list of mappings")

    source_texts = dict(known["sources"])
    for index, record in enumerate(sections["sources"]):
        where = _where("sources", index, record)
        if not check.require(
            record, where, ["slug", "title", "published_on", "text_file"]
        ):
            continue
        check.date(record, where, "published_on")
        try:
            record["text"] = read_source_text(path, record["text_file"])
        except OSError as error:
            check.fail(
                where,
                f"cannot read text_file '{record['text_file']}': {error.strerror}",
            )
            continue
        source_texts[record["slug"]] = record["text"]

    actor_slugs = set(known["actors"])
    for index, record in enumerate(sections["actors"]):
        where = _where("actors", index, record)
        if not check.require(record, where, ["slug", "name", "kind"]):
            continue
        check.choice(record, where, "kind", Actor.Kind.values)
        country = record.get("country") or ""
        if country and country not in countries:
            check.fail(where, f"country '{country}' is not an ISO 3166 alpha-2 code")
        if record["slug"] in actor_slugs:
            check.fail(where, "duplicate actor slug")
        actor_slugs.add(record["slug"])

    def check_citations(where, record):
        citations = record.get("citations") or []
        if not citations:
            check.fail(where, "needs at least one citation")
        for number, citation in enumerate(citations):
            cite_where = f"{where} citation {number + 1}"
            source = citation.get("source")
            if source not in source_texts:
                check.fail(cite_where, f"unknown source slug '{source}'")
            elif not occurs_verbatim(citation.get("excerpt", ""), source_texts[source]):
                check.fail(
                    cite_where,
                    f"excerpt not found verbatim in source '{source}': "
                    f"{citation.get('excerpt', '')[:80]!r}",
                )

    event_slugs = set(known["events"])
    for index, record in enumerate(sections["events"]):
        where = _where("events", index, record)
        if not check.require(
            record, where, ["slug", "title", "summary", "start_date", "category"]
        ):
            continue
        start = check.date(record, where, "start_date")
        end = check.date(record, where, "end_date", required=False)
        if start and end and end < start:
            check.fail(where, f"end_date {end} is before start_date {start}")
        check.choice(record, where, "date_precision", DatePrecision.values)
        check.choice(record, where, "category", Event.Category.values)
        check.choice(record, where, "importance", Event.Importance.values)
        check.choice(record, where, "status", Status.values)
        for code in record.get("countries") or []:
            if code not in countries:
                check.fail(where, f"country '{code}' is not an ISO 3166 alpha-2 code")
        links = record.get("actors") or []
        if not links:
            check.fail(where, "needs at least one actor")
        for link in links:
            if link.get("actor") not in actor_slugs:
                check.fail(where, f"unknown actor slug '{link.get('actor')}'")
            check.choice(link, where, "role", EventActor.Role.values)
        check_citations(where, record)
        if record["slug"] in event_slugs:
            check.fail(where, "duplicate event slug")
        event_slugs.add(record["slug"])

    quote_slugs = set()
    for index, record in enumerate(sections["quotes"]):
        where = _where("quotes", index, record)
        if not check.require(
            record, where, ["slug", "text", "speaker", "said_on", "source"]
        ):
            continue
        check.date(record, where, "said_on")
        check.choice(record, where, "date_precision", DatePrecision.values)
        check.choice(record, where, "status", Status.values)
        if record["speaker"] not in actor_slugs:
            check.fail(where, f"unknown speaker actor slug '{record['speaker']}'")
        if record.get("event") and record["event"] not in event_slugs:
            check.fail(where, f"unknown event slug '{record['event']}'")
        if record["source"] not in source_texts:
            check.fail(where, f"unknown source slug '{record['source']}'")
        elif not occurs_verbatim(record["text"], source_texts[record["source"]]):
            check.fail(where, f"quote text not verbatim in source '{record['source']}'")
        check_citations(where, record)
        if record["slug"] in quote_slugs:
            check.fail(where, "duplicate quote slug")
        quote_slugs.add(record["slug"])

    if check.errors:
        raise SeedError("\n".join(check.errors))
    known.update(sources=source_texts, actors=actor_slugs, events=event_slugs)
    return sections


def _edited_since_seeding(instance):
    latest = instance.history.order_by("-history_date", "-history_id").first()
    return latest is not None and latest.history_change_reason != SEED_CHANGE_REASON


def _save(instance):
    instance._change_reason = SEED_CHANGE_REASON
    instance.full_clean(validate_unique=False, validate_constraints=False)
    instance.save()


class _Loader:
    def __init__(self, report):
        self.report = report

    def upsert(self, model, slug, fields, children=None, current_children=None):
        """Create or refresh one record; return it, or None when an editor owns it now."""
        label = f"{model._meta.verbose_name} '{slug}'"
        instance = model.objects.filter(slug=slug).first()
        if instance is None:
            instance = model(slug=slug, **fields)
            _save(instance)
            if children:
                children(instance)
            self.report.created.append(label)
            return instance
        same_fields = all(
            getattr(instance, key) == value for key, value in fields.items()
        )
        same_children = current_children is None or current_children(instance)
        if same_fields and same_children:
            self.report.unchanged.append(label)
            return instance
        if _edited_since_seeding(instance):
            self.report.skipped.append(label)
            return None
        for key, value in fields.items():
            setattr(instance, key, value)
        _save(instance)
        if children:
            children(instance)
        self.report.updated.append(label)
        return instance


def _citation_set(instance):
    return {
        (c.source.slug, c.excerpt) for c in instance.citations.select_related("source")
    }


def _wanted_citations(record):
    return {(c["source"], c["excerpt"]) for c in record.get("citations") or []}


def _replace_citations(instance, record, owner_field):
    instance.citations.all().delete()
    for citation in record.get("citations") or []:
        Citation.objects.create(
            source=Source.objects.get(slug=citation["source"]),
            excerpt=citation["excerpt"],
            **{owner_field: instance},
        )


def load_seed_files(paths):
    """Validate every file, then load them all in one transaction; return a SeedReport."""
    known = {"sources": {}, "actors": set(), "events": set()}
    parsed = []
    errors = []
    for path in sorted(Path(p) for p in paths):
        try:
            parsed.append(parse_seed_file(path, known))
        except SeedError as error:
            errors.append(str(error))
    if errors:
        raise SeedError("\n".join(errors))

    report = SeedReport()
    loader = _Loader(report)
    with transaction.atomic():
        for sections in parsed:
            _load_sections(loader, sections)
    return report


def _load_sections(loader, sections):
    for record in sections["sources"]:
        loader.upsert(
            Source,
            record["slug"],
            {
                "title": record["title"],
                "publisher": record.get("publisher") or "",
                "url": record.get("url") or "",
                "published_on": record["published_on"],
                "language": record.get("language") or "en",
                "text": record["text"],
            },
        )

    for record in sections["actors"]:
        loader.upsert(
            Actor,
            record["slug"],
            {
                "name": record["name"],
                "kind": record["kind"],
                "title": record.get("title") or "",
                "country": record.get("country") or "",
                "aliases": "\n".join(record.get("aliases") or []),
                "description": (record.get("description") or "").strip(),
            },
        )

    actors = {actor.slug: actor for actor in Actor.objects.all()}
    for record in sections["events"]:
        wanted_links = {(link["actor"], link["role"]) for link in record["actors"]}
        wanted_tags = set(record.get("tags") or [])

        def current_children(
            event, wanted_links=wanted_links, wanted_tags=wanted_tags, record=record
        ):
            links = {
                (link.actor.slug, link.role)
                for link in event.event_actors.select_related("actor")
            }
            tags = {tag.slug for tag in event.tags.all()}
            return (
                links == wanted_links
                and tags == wanted_tags
                and _citation_set(event) == _wanted_citations(record)
            )

        def children(event, record=record):
            event.event_actors.all().delete()
            EventActor.objects.bulk_create(
                EventActor(event=event, actor=actors[link["actor"]], role=link["role"])
                for link in record["actors"]
            )
            events_reindex(ids=[event.pk])  # bulk_create sends no signals
            event.tags.set(
                Tag.objects.get_or_create(
                    slug=slug, defaults={"name": slug.replace("-", " ")}
                )[0]
                for slug in record.get("tags") or []
            )
            _replace_citations(event, record, "event")

        loader.upsert(
            Event,
            record["slug"],
            {
                "title": record["title"],
                "summary": record["summary"].strip(),
                "start_date": record["start_date"],
                "end_date": record.get("end_date"),
                "date_precision": record.get("date_precision") or DatePrecision.DAY,
                "category": record["category"],
                "countries": sorted(set(record.get("countries") or [])),
                "place": record.get("place") or "",
                "importance": record.get("importance") or Event.Importance.NOTABLE,
                "status": record.get("status") or Status.PUBLISHED,
            },
            children=children,
            current_children=current_children,
        )

    for record in sections["quotes"]:
        event = (
            Event.objects.filter(slug=record["event"]).first()
            if record.get("event")
            else None
        )
        loader.upsert(
            Quote,
            record["slug"],
            {
                "text": record["text"],
                "speaker": actors[record["speaker"]],
                "said_on": record["said_on"],
                "date_precision": record.get("date_precision") or DatePrecision.DAY,
                "event": event,
                "source": Source.objects.get(slug=record["source"]),
                "status": record.get("status") or Status.PUBLISHED,
            },
            children=lambda quote, record=record: _replace_citations(
                quote, record, "quote"
            ),
            current_children=lambda quote, record=record: (
                _citation_set(quote) == _wanted_citations(record)
            ),
        )
