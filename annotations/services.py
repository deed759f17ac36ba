"""Writing annotations: create, update and delete, each checked and atomic."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from annotations.models import Annotation, AnnotationTag, Visibility, is_analyst
from crisis.roles import ROLES

MAX_TAGS = 12


def teams_of(user):
    """The groups ``user`` may share annotations with."""
    # Role groups grant permissions; sharing with one would reach every analyst.
    return Group.objects.filter(user=user).exclude(name__in=ROLES)


def parse_tag_names(raw):
    """Comma-separated tags, trimmed, de-duplicated case-insensitively, in order."""
    names, seen = [], set()
    for piece in (raw or "").split(","):
        name = " ".join(piece.split())[:60]
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _set_tags(annotation, tag_names):
    tags = []
    for name in tag_names:
        tag = AnnotationTag.objects.filter(name__iexact=name).first()
        tags.append(tag or AnnotationTag.objects.create(name=name))
    annotation.tags.set(tags)


def _check_sharing(author, visibility, team):
    if visibility == Visibility.TEAM:
        if team is None:
            raise ValidationError({"team": "Choose the team to share with."})
        if not teams_of(author).filter(pk=team.pk).exists():
            raise ValidationError({"team": "You can only share with your own team."})


@transaction.atomic
def annotation_create(
    *,
    author,
    target,
    body,
    body_format=Annotation.BodyFormat.PLAIN,
    tag_names=(),
    confidence=Annotation.Confidence.MEDIUM,
    source_reliability="",
    information_credibility="",
    visibility=Visibility.PRIVATE,
    team=None,
    passage=None,
):
    """Store a new annotation of ``target`` (an Event, Quote or Source) by ``author``.

    ``passage`` is a resolved ``annotations.anchoring.Passage`` for a span of a quote or a
    source; a source can only be annotated by passage.
    """
    if not is_analyst(author):
        raise PermissionDenied("Only analysts can annotate.")
    _check_sharing(author, visibility, team)
    annotation = Annotation(
        author=author,
        body=body,
        body_format=body_format,
        confidence=confidence,
        source_reliability=source_reliability,
        information_credibility=information_credibility,
        visibility=visibility,
        team=team if visibility == Visibility.TEAM else None,
    )
    setattr(annotation, target._meta.model_name, target)
    if passage is not None:
        annotation.exact = passage.exact
        annotation.prefix = passage.prefix
        annotation.suffix = passage.suffix
        annotation.start = passage.start
        annotation.end = passage.end
    annotation.full_clean(exclude=["tags"])
    annotation.save()
    _set_tags(annotation, list(tag_names)[:MAX_TAGS])
    return annotation


def _check_owner(annotation, user):
    if not is_analyst(user) or annotation.author_id != user.pk:
        raise PermissionDenied("Only its author can change an annotation.")


@transaction.atomic
def annotation_update(*, annotation, editor, tag_names=None, **fields):
    """Change the note, grades or sharing of ``annotation``; only its author may."""
    _check_owner(annotation, editor)
    editable = {
        "body",
        "body_format",
        "confidence",
        "source_reliability",
        "information_credibility",
        "visibility",
        "team",
    }
    unknown = set(fields) - editable
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(annotation, name, value)
    if annotation.visibility != Visibility.TEAM:
        annotation.team = None
    _check_sharing(editor, annotation.visibility, annotation.team)
    annotation.full_clean(exclude=["tags"])
    annotation.save()
    if tag_names is not None:
        _set_tags(annotation, list(tag_names)[:MAX_TAGS])
    return annotation


@transaction.atomic
def annotation_delete(*, annotation, user):
    _check_owner(annotation, user)
    annotation.delete()
