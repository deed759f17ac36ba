"""Reading annotations for pages: a fixed number of queries however many targets."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from annotations.anchoring import anchor
from annotations.models import Annotation, is_analyst
from crisis.models import Event


def attach_annotations(targets, user):
    """Give each target (events, quotes or sources, one model per call) the list
    ``visible_annotations`` of what ``user`` may see of it, oldest first.

    One query for the annotations and one for their tags, whatever the number of
    targets; none for a user who is not an analyst. Passages are re-anchored in the
    target's current text: ``annotation.span`` is ``(start, end)`` or None when the
    words are no longer there.
    """
    targets = [target for target in targets if target is not None]
    for target in targets:
        target.visible_annotations = []
    if not targets or not is_analyst(user):
        return targets
    field = targets[0]._meta.model_name
    by_id = {target.pk: target for target in targets}
    annotations = (
        Annotation.objects.visible_to(user)
        .filter(**{f"{field}__in": list(by_id)})
        .for_display()
        .order_by("created_at", "pk")
    )
    for annotation in annotations:
        target = by_id[getattr(annotation, f"{field}_id")]
        setattr(annotation, field, target)
        annotation.span = resolve_span(annotation)
        target.visible_annotations.append(annotation)
    return targets


def resolve_span(annotation):
    """Where the annotated passage is in the target's text now (None if not found)."""
    if not annotation.exact:
        return None
    return anchor(
        annotation.target_text,
        exact=annotation.exact,
        prefix=annotation.prefix,
        suffix=annotation.suffix,
        start=annotation.start,
    )


def visible_annotation(user, pk):
    """One annotation ``user`` may see, ready to render, or None."""
    return (
        Annotation.objects.visible_to(user)
        .select_related("author", "team", "event", "quote", "source")
        .filter(pk=pk)
        .first()
    )


def events_annotated_for(user):
    """Events that ``user`` or their team annotated, directly or through a quote."""
    if not is_analyst(user):
        return Event.objects.none()
    visible = Annotation.objects.visible_to(user)
    return Event.objects.filter(
        Q(pk__in=visible.filter(event__isnull=False).values("event_id"))
        | Q(pk__in=visible.filter(quote__event__isnull=False).values("quote__event_id"))
    )


def with_annotation_counts(events, user):
    """``events`` annotated with ``annotation_count``: the notes on each that ``user``
    can see. A subquery, so it costs no extra query."""
    if not is_analyst(user):
        return events.annotate(annotation_count=Value(0, output_field=IntegerField()))
    counts = (
        Annotation.objects.visible_to(user)
        .filter(event=OuterRef("pk"))
        .order_by()
        .values("event")
        .annotate(total=Count("pk"))
        .values("total")
    )
    return events.annotate(
        annotation_count=Coalesce(Subquery(counts), 0, output_field=IntegerField())
    )


def annotations_for_workspace(user):
    """Everything the workspace table and the exports show, in a few queries."""
    return (
        Annotation.objects.visible_to(user)
        .select_related(
            "author",
            "team",
            "event",
            "quote",
            "quote__speaker",
            "quote__event",
            "source",
        )
        .prefetch_related("tags")
    )
