"""Annotating in place: create, edit and delete, with HTMX or plain forms.

Each view answers an HTMX request with the annotation block of the target (the fragment
``annotations/includes/_annotations.html``) and a plain request with a full page or a redirect
back to the page the analyst came from.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh
from django_ratelimit.core import is_ratelimited

from annotations.forms import AnnotationForm
from annotations.models import is_analyst
from annotations.selectors import attach_annotations, visible_annotation
from annotations.services import annotation_create, annotation_delete, annotation_update
from crisis.models import Event, Quote, Source
from crisis.views.next_url import safe_next_url

TARGET_MODELS = {"event": Event, "quote": Quote, "source": Source}


class Problem(Exception):
    """A request we refuse with a clear message and a 4xx status."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message = message
        self.status = status


def problem_response(request, message, status):
    template = "annotations/annotation_problem.html"
    if request.htmx:
        template += "#message"
    return render(request, template, {"message": message}, status=status)


def annotation_endpoint(view):
    """Sign-in, analyst role, body size, CSRF and rate limit for every annotation view.

    The body size is checked before anything parses the body: the CSRF middleware would
    read a huge form first and answer with a bare 400. So the middleware is skipped here
    and ``csrf_protect`` runs right after the size check instead; CSRF is still enforced
    on every POST.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.ANNOTATION_MAX_REQUEST_BYTES:
                limit = settings.ANNOTATION_MAX_REQUEST_BYTES // 1024
                return problem_response(
                    request,
                    f"This annotation is too large to save: the limit is about "
                    f"{limit} KB, and a note can be up to 10,000 characters.",
                    413,
                )
        if not is_analyst(request.user):
            return problem_response(
                request, "Only analysts can read or write annotations.", 403
            )
        if request.method == "POST" and is_ratelimited(
            request,
            group="annotation-writes",
            key="user",
            rate=settings.ANNOTATION_WRITE_RATE,
            increment=True,
        ):
            return problem_response(
                request,
                "Too many changes in a short time. Wait a minute, then try again.",
                429,
            )
        try:
            return protected(request, *args, **kwargs)
        except Problem as refusal:
            return problem_response(request, refusal.message, refusal.status)

    return login_required(csrf_exempt(wrapper))


def _target(request):
    raw = request.POST.get("target") or request.GET.get("target") or ""
    kind, _, pk = raw.partition(":")
    model = TARGET_MODELS.get(kind)
    if model is None or not pk.isdigit() or len(pk) > 18:
        raise Problem("Unknown annotation target.", 400)
    if hasattr(model.objects, "visible_to"):
        queryset = model.objects.visible_to(request.user)
    else:
        queryset = model.objects.all()
    return get_object_or_404(queryset, pk=int(pk))


def _back(request, target):
    """Where to return: the page the analyst came from if it is ours, else the target."""
    return safe_next_url(request, default=target.get_absolute_url())


def _block_id(target):
    return f"annotations-{target._meta.model_name}-{target.pk}"


def _respond(request, target, back, *, status=200, **context):
    """The target's annotation block (HTMX) or the full annotation page."""
    attach_annotations([target], request.user)
    context = {
        "target": target,
        "kind": target._meta.model_name,
        "next_url": back,
        **context,
    }
    if request.htmx:
        template = "annotations/includes/_annotations.html"
    else:
        template = "annotations/annotation_page.html"
    return render(request, template, context, status=status)


def _done(request, target, back, notice, *, passage=False):
    """After a write: the refreshed block (HTMX), or back to the page.

    A passage changes how the target's text is drawn (its highlight), which lies
    outside the block: htmx is told to load the page again, so it shows at once.
    """
    if request.htmx and not passage:
        return _respond(request, target, back, notice=notice)
    messages.success(request, notice)
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect(f"{back.split('#')[0]}#{_block_id(target)}")


def _passage_initial(request):
    """A selection sent by annotate.js when it opens the form: words, context, offset."""
    initial = {}
    for name in ("exact", "prefix", "suffix"):
        if request.GET.get(name):
            initial[name] = request.GET[name][:5000]
    start = request.GET.get("start", "")
    if start.isdigit() and len(start) < 10:
        initial["start"] = int(start)
    return initial


def _own_annotation(request, pk):
    annotation = visible_annotation(request.user, pk)
    if annotation is None:
        raise Problem("No such annotation, or it is not shared with you.", 404)
    if annotation.author_id != request.user.pk:
        raise Problem("You can only change your own annotations.", 403)
    return annotation


@require_GET
@annotation_endpoint
def annotation_block(request):
    """The annotation block of one target, e.g. after "Cancel"."""
    target = _target(request)
    back = _back(request, target)
    if request.htmx:
        return _respond(request, target, back)
    return redirect(f"{back.split('#')[0]}#{_block_id(target)}")


@require_http_methods(["GET", "POST"])
@annotation_endpoint
def annotation_create_view(request):
    target = _target(request)
    back = _back(request, target)
    if request.method == "GET":
        form = AnnotationForm(
            user=request.user, target=target, initial=_passage_initial(request)
        )
        return _respond(request, target, back, annotation_form=form)
    form = AnnotationForm(request.POST, user=request.user, target=target)
    if form.is_valid():
        try:
            annotation = annotation_create(
                author=request.user,
                target=target,
                passage=form.cleaned_data["passage"],
                **form.service_fields(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(
                request,
                target,
                back,
                "Annotation saved.",
                passage=bool(annotation.exact),
            )
    return _respond(request, target, back, annotation_form=form, status=422)


@require_http_methods(["GET", "POST"])
@annotation_endpoint
def annotation_update_view(request, pk):
    annotation = _own_annotation(request, pk)
    target = annotation.target
    back = _back(request, target)
    if request.method == "GET":
        form = AnnotationForm(instance=annotation, user=request.user, target=target)
        return _respond(request, target, back, annotation_form=form, editing=annotation)
    form = AnnotationForm(
        request.POST, instance=annotation, user=request.user, target=target
    )
    if form.is_valid():
        try:
            annotation_update(
                annotation=annotation, editor=request.user, **form.service_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _done(request, target, back, "Annotation updated.")
    return _respond(
        request, target, back, annotation_form=form, editing=annotation, status=422
    )


@require_http_methods(["GET", "POST"])
@annotation_endpoint
def annotation_delete_view(request, pk):
    annotation = _own_annotation(request, pk)
    target = annotation.target
    back = _back(request, target)
    if request.method == "GET":
        return _respond(request, target, back, deleting=annotation)
    passage = bool(annotation.exact)
    try:
        annotation_delete(annotation=annotation, user=request.user)
    except PermissionDenied as error:
        raise Problem(str(error), 403) from error
    return _done(request, target, back, "Annotation deleted.", passage=passage)
