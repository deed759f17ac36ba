"""Writes with side effects: publishing, restoring deleted records from history, and
rebuilding what is derived from events (their search index and country rows).

Each runs in one transaction: it either does everything or raises and writes nothing.
Every save goes through the model (not ``QuerySet.update``) so history records who did it;
only the derived counts are written with ``QuerySet.update``: they are not anyone's edit.
"""

import calendar
import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, DateField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from crisis.history import latest_record
from crisis.models import (
    ActorEventCount,
    Citation,
    Event,
    EventActor,
    EventMonth,
    Quote,
    Source,
    Status,
    counted_per_month,
    date_from_prefix,
    public_citation,
)
from crisis.search import BATCH_SIZE, index_events, index_quotes
from crisis.text import occurs_verbatim


class PublishError(Exception):
    """Some records cannot be published; ``problems`` says which and why."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("; ".join(problems))


class RestoreError(Exception):
    pass


def event_publication_problems(event, *, citations=None, actors=None):
    """Why ``event`` cannot be published yet (empty when it can).

    ``citations``/``actors`` override the stored counts, for a form about to save them.
    """
    if citations is None:
        citations = getattr(event, "citation_count", None)
        if citations is None:
            citations = event.citations.count()
    if actors is None:
        actors = getattr(event, "actor_count", None)
        if actors is None:
            actors = event.event_actors.count()
    missing = []
    if not citations:
        missing.append("no citation")
    if not actors:
        missing.append("no actor")
    if not missing:
        return []
    return [f"“{event.title}” has {' and '.join(missing)}"]


def quote_publication_problems(quote):
    if not occurs_verbatim(quote.text, quote.source.text):
        return [
            f"“{quote.text[:60]}” is not verbatim in its source “{quote.source.title}”"
        ]
    return []


def _lock(model, queryset):
    """Lock the rows of ``queryset`` (any admin changelist queryset) for this transaction."""
    pks = list(queryset.order_by().values_list("pk", flat=True))
    locked = model.objects.filter(pk__in=pks).select_for_update().order_by("pk")
    return list(locked.values_list("pk", flat=True))


def _save_with_status(instance, status, user):
    instance.status = status
    instance._history_user = user
    instance._change_reason = (
        "Published" if status == Status.PUBLISHED else "Unpublished"
    )
    instance.save()


def _events_to_publish(pks):
    return Event.objects.filter(pk__in=pks).annotate(
        citation_count=Count("citations", distinct=True),
        actor_count=Count("event_actors", distinct=True),
    )


def _quotes_to_publish(pks):
    return Quote.objects.filter(pk__in=pks).select_related("source")


# What each publishable model reads before it is checked, and the check itself.
PUBLICATION_CHECKS = {
    Event: (_events_to_publish, event_publication_problems),
    Quote: (_quotes_to_publish, quote_publication_problems),
}


@transaction.atomic
def records_set_status(*, records, status, user):
    """Publish or unpublish ``records`` (events or quotes): all of them, or none when
    one cannot be published. Returns how many changed."""
    read, problems_of = PUBLICATION_CHECKS[records.model]
    locked = list(read(_lock(records.model, records)).order_by("pk"))
    if status == Status.PUBLISHED:
        problems = [problem for record in locked for problem in problems_of(record)]
        if problems:
            raise PublishError(problems)
    changed = [record for record in locked if record.status != status]
    for record in changed:
        _save_with_status(record, status, user)
    return len(changed)


@dataclass
class RestoreReport:
    instance: object
    restored: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


# Records deleted with their parent (on_delete=CASCADE), restored along with it.
CASCADED_CHILDREN = {
    Event: [(EventActor, "event_id"), (Citation, "event_id")],
    Quote: [(Citation, "quote_id")],
}
# A child whose deletion is logged this close to its parent's went with the parent
# (Django logs cascaded deletions just before or just after the parent's).
CASCADE_WINDOW = datetime.timedelta(seconds=10)


@transaction.atomic
def record_restore(*, model, history_id, user):
    """Bring a deleted record back from its last history entry, with the same id.

    Events come back with their actor links, citations and tags, and quotes that pointed
    at them point at them again; quotes come back with their citations.
    """
    try:
        record = model.history.get(history_id=history_id, history_type="-")
    except model.history.model.DoesNotExist as error:
        raise RestoreError("No such deleted record in the history.") from error
    label = model._meta.verbose_name
    if model._default_manager.filter(pk=record.id).exists():
        raise RestoreError(f"This {label} exists already; there is nothing to restore.")
    slug = getattr(record, "slug", None)
    if slug and model._default_manager.filter(slug=slug).exists():
        raise RestoreError(
            f"Another {label} uses the slug “{slug}” now. Change that one's slug "
            "first, then restore this one."
        )
    instance = record.instance
    instance._history_user = user
    instance._change_reason = "Restored from history"
    instance.save(force_insert=True)
    report = RestoreReport(instance=instance, restored=[f"the {label} itself"])

    for child_model, fk_name in CASCADED_CHILDREN.get(model, []):
        _restore_children(report, record, child_model, fk_name, user)
    if model is Event:
        _restore_event_tags(report, record, instance)
        _relink_quotes(report, instance, user)
        if instance.is_published and event_publication_problems(instance):
            # Its actors or citations could not all come back: review before it is public.
            _save_with_status(instance, Status.DRAFT, user)
            report.skipped.append("publication: restored as a draft, see above")
    return report


def _restore_children(report, parent_record, child_model, fk_name, user):
    deletions = (
        child_model.history.filter(
            **{fk_name: parent_record.id},
            history_type="-",
            history_date__range=(
                parent_record.history_date - CASCADE_WINDOW,
                parent_record.history_date + CASCADE_WINDOW,
            ),
        )
        .exclude(id__in=child_model._default_manager.values("pk"))
        .order_by("history_date")
    )
    label = child_model._meta.verbose_name
    for child_record in deletions:
        child = child_record.instance
        child._history_user = user
        child._change_reason = "Restored from history with its parent"
        try:
            with transaction.atomic():
                child.full_clean(validate_unique=False)
                child.save(force_insert=True)
        except (ValidationError, IntegrityError) as error:
            report.skipped.append(f"{label} #{child_record.id}: {error}")
        else:
            report.restored.append(f"{label}: {child}")


def _restore_event_tags(report, deletion, event):
    # The deletion entry is written after the tag links went; the entry before has them.
    before = (
        Event.history.filter(id=deletion.id, history_date__lt=deletion.history_date)
        .exclude(history_type="-")
        .order_by("-history_date", "-history_id")
        .first()
    )
    if before is None:
        return
    tag_ids = list(before.tags.values_list("tag", flat=True))
    if not tag_ids:
        return
    tags = list(event.tags.model.objects.filter(pk__in=tag_ids))
    event.tags.set(tags)
    report.restored.extend(f"tag: {tag}" for tag in tags)
    if len(tags) < len(tag_ids):
        report.skipped.append(f"{len(tag_ids) - len(tags)} tag(s) deleted since")


def _relink_quotes(report, event, user):
    """Quotes lost their link when the event went (SET_NULL); history still has it."""
    for quote in Quote.objects.filter(event__isnull=True).filter(
        pk__in=Quote.history.filter(event_id=event.pk).values("id")
    ):
        latest = latest_record(quote)
        if latest is None or latest.event_id != event.pk:
            continue
        quote.event = event
        quote._history_user = user
        quote._change_reason = "Re-linked to its restored event"
        quote.save()
        report.restored.append(f"quote link: {quote}")


def events_reindex(*, ids, months=(), recount=True):
    """Rebuild what is derived from the events ``ids``: search index, country rows,
    their quote counts (``Event.quote_count``), the citation counts of the sources
    citing them (``Source.citation_count``), the month counts (``EventMonth``) of the
    months they start in and the event counts of their actors (``ActorEventCount``).

    The one call for every write path: signals call it for each save and delete, bulk
    writers (the generator, the archive, the seed loader) with the ids they wrote. Ids
    of deleted events lose their derived rows. ``months`` holds dates in further months
    to recount: those a moved event left and a deleted one was in. A bulk writer that
    writes events all over the calendar passes ``recount=False`` and calls
    ``recount_event_months()``, ``recount_actor_events()``, ``recount_event_quotes()``
    and ``recount_source_citations()`` once when it is done.
    """
    ids = list(ids)
    index_events(Event.objects.all(), ids)
    sync_event_countries(Event.objects.all(), ids)
    if recount:
        # A save writes the counts its form was loaded with, and a status decides
        # which citations are public: the true counts, again.
        recount_event_quotes(ids)
        recount_source_citations(sources_cited_by(events=ids))
        written = Event.objects.filter(pk__in=ids).order_by().values_list("start_date")
        recount_event_months([*months, *(day for (day,) in written.distinct())])
        # An event's status counts for each of its actors. (A link added, moved or
        # removed recounts its actors itself: crisis/signals.py.)
        linked = EventActor.objects.filter(event_id__in=ids).values_list("actor_id")
        recount_actor_events({actor for (actor,) in linked})


# Taken by every recount of the month counts on PostgreSQL until its transaction ends.
EVENT_MONTHS_LOCK = 7_291_022
# ...and of the actors' event counts.
ACTOR_COUNTS_LOCK = 7_291_023


def _lock_until_commit(key):
    """On PostgreSQL, wait for any other transaction holding ``key`` to end.

    Two editors saving at once would each count without the other's uncommitted write
    and insert the same rows; the second waits, and then counts both. SQLite runs one
    writing transaction at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


@transaction.atomic
def recount_event_months(months=None, *, events=None, counts=None):
    """Rewrite the ``EventMonth`` rows of the months the dates ``months`` fall in, or of
    every month (None), from the events stored now.

    ``events`` and ``counts`` are the Event and EventMonth models (a migration passes
    its historical ones). One aggregate query (``counted_per_month``), under a lock
    (``_lock_until_commit``).
    """
    _lock_until_commit(EVENT_MONTHS_LOCK)
    events = events or Event
    counts = counts or EventMonth
    rows = events.objects.all()
    if months is None:
        counts.objects.all().delete()
    else:
        as_date = DateField().to_python  # a date assigned as text is still a month
        firsts = sorted({as_date(day).replace(day=1) for day in months if day})
        if not firsts:
            return
        counts.objects.filter(month__in=firsts).delete()
        last = firsts[-1]
        last = last.replace(day=calendar.monthrange(last.year, last.month)[1])
        rows = rows.filter(start_date__gte=firsts[0], start_date__lte=last)
    found = counted_per_month(rows, "status", "category", "date_precision").annotate(
        last_end=Max(Coalesce("end_date", "start_date"))
    )
    if months is not None:
        found = found.filter(month__in=[first.isoformat()[:7] for first in firsts])
    counts.objects.bulk_create(
        (
            counts(
                month=date_from_prefix(month),
                status=status,
                category=category,
                date_precision=precision,
                count=count,
                importance=top,
                first_day=first_day,
                last_day=last_day,
                last_end=last_end,
            )
            for (
                month,
                status,
                category,
                precision,
                count,
                top,
                first_day,
                last_day,
                last_end,
            ) in found
        ),
        batch_size=BATCH_SIZE,
    )


@transaction.atomic
def recount_actor_events(actors=None, *, links=None, counts=None):
    """Rewrite the ``ActorEventCount`` rows of the actors ``actors`` (ids), or of every
    actor (None), from the links stored now: one aggregate query, under a lock.

    ``links`` and ``counts`` are the EventActor and ActorEventCount models (a migration
    passes its historical ones).
    """
    links = (links or EventActor).objects.all()
    rows = (counts or ActorEventCount).objects.all()
    if actors is not None:
        actors = sorted(set(actors) - {None})
        if not actors:
            return
        links = links.filter(actor_id__in=actors)
        rows = rows.filter(actor_id__in=actors)
    _lock_until_commit(ACTOR_COUNTS_LOCK)
    rows.delete()
    found = (
        links.order_by()
        .values_list("actor_id", "event__status")
        .annotate(n=Count("event_id", distinct=True))
    )
    rows.model.objects.bulk_create(
        (
            rows.model(actor_id=actor, status=status, count=count)
            for actor, status, count in found
        ),
        batch_size=BATCH_SIZE,
    )


def _locked(rows, ids):
    """``rows`` of the ids ``ids`` (None: every row), their rows locked in id order on
    PostgreSQL until the transaction ends (None when ``ids`` holds none).

    Two saves at once each recount from what is stored: the second waits, then counts
    both. A lock taken after the save wrote its row could deadlock with an editor
    saving that row; row locks in id order cannot."""
    if ids is None:
        return rows
    ids = sorted(set(ids) - {None})
    if not ids:
        return None
    rows = rows.filter(pk__in=ids)
    list(rows.order_by("pk").select_for_update().values_list("pk"))
    return rows


def _write_count(rows, counted_rows, link, field):
    """Set ``field`` of ``rows`` to how many ``counted_rows`` point to each by ``link``,
    in one UPDATE of the rows whose count changed only."""
    per_row = counted_rows.filter(**{link: OuterRef("pk")}).order_by().values(link)
    counted = Coalesce(Subquery(per_row.annotate(n=Count("*")).values("n")), 0)
    rows.exclude(**{field: counted}).update(**{field: counted})


@transaction.atomic
def recount_event_quotes(events=None, *, event_model=None, quote_model=None):
    """Write ``Event.quote_count``, the event's published quotes, for the events
    ``events`` (ids), or for every event (None), from the quotes stored now.

    A derived column on the event row, so that the events table sorts by it from an
    index; written with ``QuerySet.update``, so it adds no history and no edit
    version. The rows are locked first (``_locked``). ``event_model`` and
    ``quote_model``: a migration's historical models.
    """
    rows = _locked((event_model or Event).objects.all(), events)
    if rows is not None:
        quotes = (quote_model or Quote).objects.filter(status=Status.PUBLISHED)
        _write_count(rows, quotes, "event", "quote_count")


@transaction.atomic
def recount_source_citations(sources=None, *, source_model=None, citation_model=None):
    """Write ``Source.citation_count``, its passages that a public event or quote
    cites (``public_citation``), for the sources ``sources`` (ids), or for every source
    (None), from the citations stored now. As ``recount_event_quotes``: one UPDATE of
    the changed rows, locked first; the models may be a migration's."""
    rows = _locked((source_model or Source).objects.all(), sources)
    if rows is not None:
        public = (citation_model or Citation).objects.filter(public_citation())
        _write_count(rows, public, "source", "citation_count")


def sources_cited_by(*, events=(), quotes=()):
    """The ids of the sources that cite the events ``events``, their quotes, or the
    quotes ``quotes`` (ids): those whose public citations a change of them may change."""
    cited = Citation.objects.filter(
        Q(event__in=events) | Q(quote__in=quotes) | Q(quote__event__in=events)
    )
    return set(cited.values_list("source_id", flat=True))


def quotes_reindex(*, ids):
    """Rebuild the search index of the quotes ``ids`` (deleted ones lose their row):
    the one call for every write path, as ``events_reindex`` is for events."""
    index_quotes(Quote.objects.all(), list(ids))


def sync_event_countries(events, ids):
    """Make the ``EventCountry`` rows of the events ``ids`` those of their ``countries``.

    ``events`` is a QuerySet of events (a migration passes its historical model).
    """
    rows = events.model._meta.get_field("country_rows").related_model
    ids = sorted(set(ids))
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        rows.objects.filter(event_id__in=batch).delete()
        found = events.filter(pk__in=batch).order_by().only("pk", "countries")
        rows.objects.bulk_create(
            rows(event_id=event.pk, country=code)
            for event in found
            for code in sorted({country.code for country in event.countries})
        )
