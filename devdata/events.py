"""Synthetic, deterministic timeline data for load tests and benchmarks.

Everything generated is recognisable: slugs start with ``gen-``, sources carry the
``GENERATED_PUBLISHER`` publisher, and the analysts who write the generated annotations
(devdata.annotations) are ``gen-analyst-N`` users without a usable password, so
``clear_generated()`` removes exactly this data and never touches the seed, a real user
or an editor's or analyst's work.

Rows are written with ``bulk_create`` in batches, so django-simple-history records no
history for them: generated data is disposable and has no editorial past to keep.
Relationships and quotes of a batch are inserted *before* its events (foreign keys are
checked at commit), so the database's search triggers index each event once, complete.
"""

import datetime
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.utils.text import slugify

from crisis.cache import data_changed
from crisis.models import (
    Actor,
    ActorEventCount,
    ActorKind,
    Category,
    Citation,
    DatePrecision,
    Event,
    EventActor,
    EventCountry,
    EventRole,
    Quote,
    Source,
    Status,
    Tag,
)
from crisis.services import (
    events_reindex,
    quotes_reindex,
    recount_actor_events,
    recount_event_months,
    recount_event_quotes,
    recount_source_citations,
)
from devdata.annotations import (
    AnnotationWriter,
    NoteContext,
    clear_steps,
    delete_generated_analysts,
    generated_users,
)

GENERATED_PREFIX = "gen-"
GENERATED_PUBLISHER = "Crisis Timeline generator (synthetic data)"
BASE_DATE = datetime.date(2021, 1, 1)
BATCH_SIZE = 2000
EVENTS_PER_SOURCE = 8

FIRST_NAMES = [
    "Anna",
    "Oleksandr",
    "Maria",
    "Dmitri",
    "Elena",
    "Jonas",
    "Sofia",
    "Marek",
    "Ingrid",
    "Pavel",
    "Lucia",
    "Tomas",
    "Natalia",
    "Henrik",
    "Irina",
    "Adam",
    "Olena",
    "Mikhail",
    "Clara",
    "Viktor",
    "Hanna",
    "Jan",
    "Yulia",
    "Stefan",
    "Ewa",
    "Andriy",
    "Greta",
    "Sergei",
    "Laura",
    "Bogdan",
    "Petra",
    "Nikolai",
    "Agnes",
    "Roman",
    "Lena",
    "Igor",
    "Marta",
    "Emil",
]
LAST_NAMES = [
    "Kovalenko",
    "Petrov",
    "Schmidt",
    "Nowak",
    "Lindqvist",
    "Moreau",
    "Horvat",
    "Bondarenko",
    "Ivanova",
    "Keller",
    "Novak",
    "Sokolov",
    "Brandt",
    "Lewandowski",
    "Shevchenko",
    "Dubois",
    "Fischer",
    "Tkachenko",
    "Volkov",
    "Larsen",
    "Melnyk",
    "Kuznetsov",
    "Weber",
    "Kaminski",
    "Rossi",
    "Popescu",
    "Hansen",
    "Marchenko",
    "Orlov",
    "Svoboda",
]
OFFICES = (
    "Foreign Minister",
    "Defence Minister",
    "Prime Minister",
    "President",
    "Ambassador",
    "Spokesperson",
    "Energy Minister",
    "Finance Minister",
    "General",
    "Envoy",
)
COUNTRIES = (
    ("UA", "Ukraine", "Ukrainian", ("Kyiv", "Kharkiv", "Odesa", "Lviv", "Mariupol")),
    ("RU", "Russia", "Russian", ("Moscow", "Rostov", "Belgorod", "Kursk")),
    ("US", "United States", "US", ("Washington", "New York")),
    ("DE", "Germany", "German", ("Berlin", "Munich")),
    ("FR", "France", "French", ("Paris", "Strasbourg")),
    ("GB", "United Kingdom", "British", ("London",)),
    ("PL", "Poland", "Polish", ("Warsaw", "Rzeszow")),
    ("BY", "Belarus", "Belarusian", ("Minsk", "Gomel")),
    ("LT", "Lithuania", "Lithuanian", ("Vilnius",)),
    ("MD", "Moldova", "Moldovan", ("Chisinau",)),
    ("TR", "Turkey", "Turkish", ("Ankara", "Istanbul")),
    ("CH", "Switzerland", "Swiss", ("Geneva",)),
)
ORGANISATIONS = (
    ("NATO", ActorKind.ALLIANCE, "North Atlantic Alliance"),
    ("European Union", ActorKind.ALLIANCE, "EU"),
    ("OSCE", ActorKind.ORGANISATION, "OSCE Special Monitoring Mission"),
    ("United Nations", ActorKind.ORGANISATION, "UN"),
    ("IAEA", ActorKind.ORGANISATION, "International Atomic Energy Agency"),
    ("Red Cross", ActorKind.ORGANISATION, "ICRC"),
    ("World Bank", ActorKind.ORGANISATION, "IBRD"),
)
TAG_WORDS = [
    "energy",
    "gas",
    "pipeline",
    "grain",
    "ports",
    "border",
    "troops",
    "drills",
    "talks",
    "ceasefire",
    "refugees",
    "cyber",
    "markets",
    "currency",
    "shelling",
    "airspace",
    "embassy",
    "aid",
    "weapons",
    "satellite",
    "nuclear",
    "elections",
    "protests",
    "railway",
    "bridges",
]
VERBS = {
    Category.DIPLOMACY: ("meets", "holds talks with", "calls", "hosts", "receives"),
    Category.MILITARY: ("moves troops near", "reports shelling near", "deploys to"),
    Category.ECONOMY: ("warns markets over", "announces support for", "cuts gas to"),
    Category.SANCTIONS: ("sanctions", "freezes assets of", "extends measures against"),
    Category.EVACUATION: ("evacuates staff from", "advises citizens to leave"),
    Category.STATEMENT: ("warns", "condemns", "urges restraint by", "accuses"),
    Category.BACKGROUND: ("signs agreement with", "recalls ambassador from"),
}
TOPICS = (
    "the border buildup",
    "gas transit",
    "security guarantees",
    "the Minsk agreements",
    "grain exports",
    "humanitarian corridors",
    "airspace closures",
    "frozen reserves",
    "troop rotations",
    "embassy security",
    "energy prices",
    "prisoner exchanges",
)
OCCASIONS = ("talks", "meeting", "exchange", "visit", "call", "session", "briefing")
QUOTE_LINES = (
    "we will not accept any threat to our sovereignty",
    "diplomacy remains the only path forward",
    "the situation on the ground is extremely tense",
    "our partners must act together and without delay",
    "there is still time to avoid a catastrophe",
    "we are ready to talk but not under pressure",
    "every option remains on the table",
    "the consequences would be severe and lasting",
    "we call on all sides to respect the ceasefire",
    "supplies must reach the civilians who need them",
)
CATEGORY_WEIGHTS = {
    Category.DIPLOMACY: 24,
    Category.MILITARY: 24,
    Category.STATEMENT: 20,
    Category.ECONOMY: 10,
    Category.SANCTIONS: 9,
    Category.EVACUATION: 7,
    Category.BACKGROUND: 6,
}
PRECISION_WEIGHTS = {
    DatePrecision.DAY: 88,
    DatePrecision.MONTH: 4,
    DatePrecision.APPROXIMATE: 4,
    DatePrecision.REPORTED: 4,
}


@dataclass
class GenerationResult:
    events: int = 0
    actors: int = 0
    sources: int = 0
    quotes: int = 0
    citations: int = 0
    event_actors: int = 0
    analysts: int = 0
    annotations: int = 0


def span_days(events):
    """Days covered: about thirty events a day, at least two months, at most nine years."""
    return max(60, min(3300, events // 30))


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Generator:
    def __init__(self, *, events, seed, progress):
        self.total = events
        self.rng = random.Random(seed)
        self.progress = progress
        self.result = GenerationResult()
        self.days = span_days(events)
        self.notes = AnnotationWriter(seed=seed, prefix=GENERATED_PREFIX)

    def run(self):
        self.tags = self._make_tags()
        self.people, self.others = self._make_actors()
        self.result.analysts = self.notes.setup()
        self.next_event_id = (Event.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        made = 0
        while made < self.total:
            size = min(BATCH_SIZE, self.total - made)
            self._make_batch(first=made, size=size)
            made += size
            self.progress(made, self.total)
        self.notes.finish()
        self._reset_event_sequence()
        return self.result

    def _make_tags(self):
        tags = [
            Tag(name=f"{GENERATED_PREFIX}{word}", slug=f"{GENERATED_PREFIX}{word}")
            for word in TAG_WORDS
        ]
        Tag.objects.bulk_create(tags, ignore_conflicts=True)
        return list(
            Tag.objects.filter(slug__startswith=GENERATED_PREFIX).order_by("slug")
        )

    def _make_actors(self):
        rng = self.rng
        count = max(40, min(3000, self.total // 40))
        actors = []
        for code, country, adjective, _places in COUNTRIES:
            actors.append(
                Actor(
                    name=f"Government of {country}",
                    slug=f"{GENERATED_PREFIX}state-{code.lower()}",
                    kind=ActorKind.STATE,
                    country=code,
                    aliases=f"{country}\n{adjective} government",
                )
            )
        for index, (name, kind, alias) in enumerate(ORGANISATIONS):
            actors.append(
                Actor(
                    name=name,
                    slug=f"{GENERATED_PREFIX}org-{index}-{slugify(name)}",
                    kind=kind,
                    aliases=alias,
                )
            )
        for index in range(count - len(actors)):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            code, country, adjective, _places = rng.choice(COUNTRIES)
            office = rng.choice(OFFICES)
            misspelt = first[:-1] if len(first) > 3 else first + first[-1]
            actors.append(
                Actor(
                    name=f"{first} {last}",
                    slug=f"{GENERATED_PREFIX}person-{index}-{slugify(first + ' ' + last)}",
                    kind=ActorKind.PERSON,
                    title=f"{adjective} {office}",
                    country=code,
                    aliases=f"{misspelt} {last}\n{first[0]}. {last}\n{adjective} {office} {last}",
                )
            )
        Actor.objects.bulk_create(actors, batch_size=BATCH_SIZE)
        self.result.actors = len(actors)
        stored = {
            actor.slug: actor
            for actor in Actor.objects.filter(slug__startswith=GENERATED_PREFIX)
        }
        people = [stored[a.slug] for a in actors if a.kind == ActorKind.PERSON]
        others = [stored[a.slug] for a in actors if a.kind != ActorKind.PERSON]
        return people, others

    def _make_batch(self, *, first, size):
        rng = self.rng
        events, links, tag_links, quotes, quote_lines = [], [], [], [], []
        event_sentences, note_contexts = [], []
        sources = []
        for offset in range(size):
            number = first + offset
            event_id = self.next_event_id + number
            category = _weighted(rng, CATEGORY_WEIGHTS)
            cast = rng.sample(self.people, k=rng.randint(1, 3))
            if rng.random() < 0.6:
                cast.append(rng.choice(self.others))
            lead = cast[0]
            code, country, _adjective, places = rng.choice(COUNTRIES)
            place = rng.choice(places)
            topic = rng.choice(TOPICS)
            counterpart = cast[1].name if len(cast) > 1 else country
            title = (
                f"{lead.name} {rng.choice(VERBS[category])} {counterpart} on {topic}"
            )
            day = BASE_DATE + datetime.timedelta(days=rng.randrange(self.days))
            precision = _weighted(rng, PRECISION_WEIGHTS)
            if precision == DatePrecision.MONTH:
                day = day.replace(day=1)
            end = (
                day + datetime.timedelta(days=rng.randint(1, 5))
                if rng.random() < 0.08
                else None
            )
            sentence = (
                f"In {place}, {lead.name} ({lead.title or lead.get_kind_display()}) "
                f"{rng.choice(VERBS[category])} {counterpart} on {topic}, report {number}."
            )
            detail = (
                f"Officials described the {rng.choice(OCCASIONS)} as "
                f"{rng.choice(('tense', 'useful', 'short', 'frank', 'inconclusive'))}; "
                f"{rng.choice(TOPICS)} was also raised."
            )
            countries = sorted({code, rng.choice(COUNTRIES)[0]})
            events.append(
                Event(
                    id=event_id,
                    title=title[:300],
                    slug=f"{GENERATED_PREFIX}{number}-{slugify(title)}"[:120].rstrip(
                        "-"
                    ),
                    summary=f"{sentence} {detail}",
                    start_date=day,
                    end_date=end,
                    date_precision=precision,
                    category=category,
                    countries=countries,
                    place=place,
                    importance=rng.choices((1, 2, 3), weights=(60, 30, 10))[0],
                    status=Status.PUBLISHED if rng.random() < 0.95 else Status.DRAFT,
                )
            )
            event_sentences.append(sentence)
            note_contexts.append(NoteContext(actor=lead.name, topic=topic, place=place))
            roles = [EventRole.INITIATOR] + [
                rng.choice(
                    (EventRole.TARGET, EventRole.PARTICIPANT, EventRole.MENTIONED)
                )
                for _ in cast[1:]
            ]
            links.extend(
                EventActor(event_id=event_id, actor_id=actor.pk, role=role)
                for actor, role in zip(cast, roles, strict=True)
            )
            tag_links.extend(
                Event.tags.through(event_id=event_id, tag_id=tag.pk)
                for tag in rng.sample(self.tags, k=rng.randint(0, 3))
            )
            if rng.random() < 0.5:
                line = rng.choice(QUOTE_LINES)
                words = f"{line[0].upper()}{line[1:]}"
                quotes.append(
                    Quote(
                        slug=f"{GENERATED_PREFIX}quote-{number}",
                        text=words,
                        speaker_id=lead.pk,
                        said_on=day,
                        date_precision=precision,
                        event_id=event_id,
                        status=Status.PUBLISHED
                        if rng.random() < 0.95
                        else Status.DRAFT,
                    )
                )
                quote_lines.append(
                    f"“{words},” {lead.name} said of {topic} in {place} (report {number})."
                )
            else:
                quotes.append(None)
                quote_lines.append(None)

        # Sources group consecutive events; their text holds every excerpt verbatim.
        for start in range(0, size, EVENTS_PER_SOURCE):
            group = range(start, min(size, start + EVENTS_PER_SOURCE))
            number = (first + start) // EVENTS_PER_SOURCE
            paragraphs = []
            for index in group:
                paragraphs.append(event_sentences[index])
                if quote_lines[index]:
                    paragraphs.append(quote_lines[index])
            sources.append(
                Source(
                    title=f"Generated dispatch {number}",
                    slug=f"{GENERATED_PREFIX}source-{number}",
                    publisher=GENERATED_PUBLISHER,
                    published_on=max(events[index].start_date for index in group),
                    text="\n\n".join(paragraphs),
                )
            )

        Source.objects.bulk_create(sources)
        stored_quotes = [quote for quote in quotes if quote is not None]
        Quote.objects.bulk_create(
            [
                _with_source(quote, sources[index // EVENTS_PER_SOURCE])
                for index, quote in enumerate(quotes)
                if quote is not None
            ]
        )
        EventActor.objects.bulk_create(links)
        Event.tags.through.objects.bulk_create(tag_links)
        Event.objects.bulk_create(events)
        # Dates fall all over the calendar: the months are counted once, at the end.
        events_reindex(ids=[event.pk for event in events], recount=False)
        quotes_reindex(ids=[quote.pk for quote in stored_quotes])
        citations = []
        for index, event in enumerate(events):
            source = sources[index // EVENTS_PER_SOURCE]
            citations.append(
                Citation(source=source, event=event, excerpt=event_sentences[index])
            )
            if quotes[index] is not None:
                citations.append(
                    Citation(
                        source=source, quote=quotes[index], excerpt=quote_lines[index]
                    )
                )
        Citation.objects.bulk_create(citations)
        self.notes.write_batch(events=events, quotes=quotes, contexts=note_contexts)
        self.result.events += len(events)
        self.result.sources += len(sources)
        self.result.quotes += len(stored_quotes)
        self.result.citations += len(citations)
        self.result.event_actors += len(links)
        self.result.annotations = self.notes.count

    def _reset_event_sequence(self):
        # Events were inserted with explicit ids; PostgreSQL's sequence must catch up.
        statements = connection.ops.sequence_reset_sql(no_style(), [Event])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _with_source(quote, source):
    quote.source = source
    return quote


def _silent(done, total):
    return None


def stderr_progress(done, total, stream=sys.stderr):
    width = 30
    filled = width * done // total
    stream.write(
        f"\r  events [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}"
    )
    if done == total:
        stream.write("\n")
    stream.flush()


@transaction.atomic
def generate(*, events, seed, progress: Callable[[int, int], None] = _silent):
    """Create ``events`` synthetic events (and actors, sources, quotes...) for ``seed``."""
    if events < 1:
        raise ValueError("Generate at least one event.")
    if (
        Event.objects.filter(slug__startswith=GENERATED_PREFIX).exists()
        or generated_users(GENERATED_PREFIX).exists()
    ):
        raise ValueError(
            "Generated data already exists; clear it first (generate_events --clear)."
        )
    result = _Generator(events=events, seed=seed, progress=progress).run()
    recount_event_months()
    recount_actor_events()
    recount_event_quotes()
    recount_source_citations()
    data_changed()
    return result


def delete_rows(queryset):
    """``DELETE … WHERE pk IN (the queryset's SELECT)``: one statement, no signals.

    ``QuerySet.delete()`` would fetch every row for the collector and simple-history
    would write a deletion record for each, though it never recorded them. Foreign keys
    are checked at commit, as for any delete in a transaction, so the order of the
    steps only has to leave no row pointing at a deleted one by then.
    """
    # No ordering: a model's default one joins the rows it orders by, and a join to a
    # deleted row would match nothing.
    select, params = queryset.order_by().values("pk").query.sql_with_params()
    meta, quote = queryset.model._meta, connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)}"
            f" IN ({select})",
            params,
        )
        return cursor.rowcount


@transaction.atomic
def clear_generated():
    """Delete generated rows only, with set-based deletes (no per-row history).

    Annotations go first: those by generated analysts, and any on a generated target.
    Annotation tags go only when no other annotation (nor its history) uses them.
    """
    generated_events = Event.objects.filter(slug__startswith=GENERATED_PREFIX)
    generated_quotes = Quote.objects.filter(slug__startswith=GENERATED_PREFIX)
    event_gone = ~Exists(Event.objects.filter(pk=OuterRef("event_id")))
    event_ids = list(generated_events.values_list("pk", flat=True))
    quote_ids = list(generated_quotes.values_list("pk", flat=True))
    steps = (
        *clear_steps(prefix=GENERATED_PREFIX, publisher=GENERATED_PUBLISHER),
        ("citations", Citation.objects.filter(event__in=generated_events.values("pk"))),
        ("quote citations", Citation.objects.filter(quote__in=generated_quotes)),
        (
            "event countries",
            EventCountry.objects.filter(event__in=generated_events.values("pk")),
        ),
        ("events", generated_events),
        ("event actors", EventActor.objects.filter(event_gone)),
        (
            "actor event counts",  # derived, recounted below
            ActorEventCount.objects.filter(actor__slug__startswith=GENERATED_PREFIX),
        ),
        ("event tags", Event.tags.through.objects.filter(event_gone)),
        ("quotes", generated_quotes),
        ("sources", Source.objects.filter(publisher=GENERATED_PUBLISHER)),
        ("actors", Actor.objects.filter(slug__startswith=GENERATED_PREFIX)),
        ("tags", Tag.objects.filter(slug__startswith=GENERATED_PREFIX)),
    )
    deleted = {label: delete_rows(queryset) for label, queryset in steps}
    deleted.update(delete_generated_analysts(GENERATED_PREFIX))
    events_reindex(ids=event_ids, recount=False)  # drops their search index rows
    recount_event_months()
    recount_actor_events()
    recount_event_quotes()
    recount_source_citations()
    quotes_reindex(ids=quote_ids)
    data_changed()
    return deleted
