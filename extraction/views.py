"""The assistant's admin pages: bring an article in, then review what it proposes."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from crisis.htmx import partial_for
from crisis.models import Source
from extraction.actors import ActorIndex
from extraction.forms import (
    ActorProposalForm,
    ArticleForm,
    EventProposalForm,
    QuoteProposalForm,
)
from extraction.review import Review, highlighted_segments, source_proposals
from extraction.services import AcceptError, proposals_accept

EDITOR_PERMISSIONS = ("crisis.add_source", "crisis.add_event", "crisis.add_quote")
FORMS = {
    "event": EventProposalForm,
    "quote": QuoteProposalForm,
    "actor": ActorProposalForm,
}


def _require_editor(request):
    if not request.user.has_perms(EDITOR_PERMISSIONS):
        raise PermissionDenied


def _context(request, **context):
    return {**admin.site.each_context(request), **context}


def _partial(request, template, name):
    return f"{template}{partial_for(request, {}, default='#' + name)}"


def article_import(request):
    _require_editor(request)
    status = 200
    form = ArticleForm()
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES)
        if form.is_valid() and form.article is not None:
            messages.info(request, "Check the details read from the file, then save.")
            form = form.read_back()
        elif form.is_valid():
            source = form.save()
            messages.success(request, f"Saved “{source.title}”. Review its proposals.")
            return redirect("extraction:review", pk=source.pk)
        else:
            status = 400
    return TemplateResponse(
        request,
        "extraction/import.html",
        _context(request, title="Import an article", form=form),
        status=status,
    )


def _review_page(request, source, review, status=200):
    index = ActorIndex.from_database()
    proposals = source_proposals(source, index)
    cards = {
        kind: [
            {"proposal": review.corrected(p, index), "decision": review.decision(p.key)}
            for p in group
        ]
        for kind, group in (
            ("events", proposals.events),
            ("quotes", proposals.quotes),
            ("actors", proposals.actors),
        )
    }
    accepted = sum(
        1
        for group in cards.values()
        for card in group
        if card["decision"] == "accepted" and not _duplicate(card["proposal"])
    )
    return TemplateResponse(
        request,
        "extraction/review.html",
        _context(
            request,
            title=f"Proposals from “{source.title}”",
            source=source,
            cards=cards,
            accepted=accepted,
            segments=highlighted_segments(source.text, proposals.all()),
        ),
        status=status,
    )


def _duplicate(proposal):
    return bool(getattr(proposal, "duplicate_of", ""))


def review(request, pk):
    _require_editor(request)
    source = get_object_or_404(Source, pk=pk)
    return _review_page(request, source, Review(request.session, source))


def _find(source, key, index):
    proposal = source_proposals(source, index).by_key().get(key)
    if proposal is None:
        raise Http404("No such proposal: the source text may have changed.")
    return proposal


@require_POST
@vary_on_headers("HX-Request")
def decide(request, pk, key):
    _require_editor(request)
    source = get_object_or_404(Source, pk=pk)
    index = ActorIndex.from_database()
    proposal = _find(source, key, index)
    review_ = Review(request.session, source)
    review_.decide(key, request.POST.get("decision", ""))
    if request.htmx:
        return TemplateResponse(
            request,
            "extraction/review.html#proposal",
            {
                "card": {
                    "proposal": review_.corrected(proposal, index),
                    "decision": review_.decision(key),
                },
                "source": source,
            },
        )
    return redirect(reverse("extraction:review", args=[pk]) + f"#proposal-{key}")


def _initial(proposal):
    kind = proposal.kind_of_proposal
    if kind == "actor":
        actor = proposal.actor
        return {
            "name": actor.name,
            "title": actor.title,
            "kind": actor.kind,
            "country": actor.country,
        }
    if kind == "quote":
        return {
            "text": proposal.text,
            "speaker": proposal.speaker.name if proposal.speaker else "",
            "said_on": proposal.said_on,
            "date_precision": proposal.date_precision,
            "excerpt": proposal.excerpt,
        }
    return {
        "title": proposal.title,
        "summary": proposal.summary,
        "start_date": proposal.start_date,
        "date_precision": proposal.date_precision,
        "category": proposal.category,
        "excerpt": proposal.excerpt,
    }


@vary_on_headers("HX-Request")
def edit(request, pk, key):
    """Correct a proposal; saving the correction accepts it (still nothing is written)."""
    _require_editor(request)
    source = get_object_or_404(Source, pk=pk)
    index = ActorIndex.from_database()
    proposal = _find(source, key, index)
    review_ = Review(request.session, source)
    current = review_.corrected(proposal, index)
    form_class = FORMS[proposal.kind_of_proposal]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, source=source)
        if form.is_valid():
            review_.correct(key, form.cleaned_data)
            return redirect(
                reverse("extraction:review", args=[pk]) + f"#proposal-{key}"
            )
        status = 400
    else:
        form = form_class(initial=_initial(current), source=source)
    return TemplateResponse(
        request,
        _partial(request, "extraction/edit.html", "edit-form"),
        _context(
            request,
            title="Correct a proposal",
            source=source,
            proposal=current,
            form=form,
        ),
        status=status,
    )


@require_POST
def confirm(request, pk):
    _require_editor(request)
    source = get_object_or_404(Source, pk=pk)
    index = ActorIndex.from_database()
    review_ = Review(request.session, source)
    accepted = review_.accepted(source_proposals(source, index), index)
    if not accepted:
        messages.warning(request, "Accept at least one proposal first.")
        return redirect("extraction:review", pk=pk)
    try:
        written = proposals_accept(source=source, proposals=accepted, user=request.user)
    except AcceptError as error:
        for problem in error.problems:
            messages.error(request, f"Nothing was saved. {problem}")
        return _review_page(request, source, review_, status=400)
    review_.clear()
    messages.success(
        request,
        f"Saved as drafts: {len(written.events)} event(s), {len(written.quotes)} "
        f"quote(s), {len(written.actors)} new actor(s). Review and publish them below.",
    )
    return redirect(reverse("admin:crisis_event_changelist") + "?status__exact=draft")
