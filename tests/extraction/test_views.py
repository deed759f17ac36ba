import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crisis.models import Actor, Citation, Event, EventActor, Quote, Source, Status
from extraction.actors import ActorIndex
from extraction.review import source_proposals
from tests.extraction.articles import PUBLISHED, TALKS
from tests.factories import make_source, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_user("Editor")
    client.force_login(user)
    return user


@pytest.fixture
def source():
    return make_source(title="Talks resume", text=TALKS, published_on=PUBLISHED)


def _proposals(source):
    return source_proposals(source, ActorIndex.from_database())


def _key(source, kind, starts_with):
    proposals = _proposals(source)
    group = {"event": proposals.events, "quote": proposals.quotes}[kind]
    if kind == "event":
        return next(p.key for p in group if p.title.startswith(starts_with))
    return next(p.key for p in group if p.text.startswith(starts_with))


def _decide(client, source, key, decision, **headers):
    return client.post(
        reverse("extraction:decide", args=[source.pk, key]),
        {"decision": decision},
        **headers,
    )


def _confirm(client, source):
    return client.post(reverse("extraction:confirm", args=[source.pk]))


def test_review_page_shows_source_text_with_excerpts_highlighted(
    client, editor, source
):
    response = client.get(reverse("extraction:review", args=[source.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    passage = re.search(
        r"<mark>(.*?)</mark>",
        page[page.rindex("<mark>", 0, page.index("Norway and")) :],
    )
    assert re.sub(r"<[^>]+>", "", passage.group(1)) == (
        "Norway and Denmark recently decided to send observers."
    )
    assert "Denmark decided to send observers" in page


def test_review_page_is_for_editors_only(client, source):
    client.force_login(make_user(is_staff=True))
    response = client.get(reverse("extraction:review", args=[source.pk]))
    assert response.status_code == 403


def test_deciding_writes_nothing_until_the_editor_confirms(client, editor, source):
    _decide(client, source, _key(source, "event", "Norway decided"), "accepted")
    assert not Event.objects.exists()


def test_accept_then_confirm_writes_a_draft_with_citation_and_actors(
    client, editor, source
):
    _decide(client, source, _key(source, "event", "Norway decided"), "accepted")
    response = _confirm(client, source)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == Status.DRAFT
    assert event.citations.get().excerpt == (
        "Norway and Denmark recently decided to send observers."
    )
    link = EventActor.objects.get(event=event)
    assert (link.actor.name, link.actor.kind, link.role) == (
        "Norway",
        "state",
        "initiator",
    )
    record = event.history.get()
    assert (record.history_user, record.history_change_reason) == (
        editor,
        "from the assistant",
    )


def test_accepted_quote_becomes_a_draft_quote_of_its_speaker(client, editor, source):
    _decide(client, source, _key(source, "quote", "We came"), "accepted")
    _confirm(client, source)
    quote = Quote.objects.get()
    assert (quote.text, quote.speaker.name, quote.status) == (
        "We came to listen",
        "Aino Korhonen",
        Status.DRAFT,
    )
    assert quote.speaker.title == "Finnish Foreign Minister"
    assert quote.citations.count() == 1


def test_rejected_proposals_are_not_written(client, editor, source):
    key = _key(source, "event", "Norway decided")
    _decide(client, source, key, "accepted")
    _decide(client, source, key, "rejected")
    _decide(client, source, _key(source, "event", "Denmark decided"), "accepted")
    _confirm(client, source)
    assert list(Event.objects.values_list("title", flat=True)) == [
        "Denmark decided to send observers"
    ]


def test_edit_corrects_the_proposal_before_it_is_written(client, editor, source):
    key = _key(source, "event", "Norway decided")
    response = client.post(
        reverse("extraction:edit", args=[source.pk, key]),
        {
            "title": "Norway sends observers to the border",
            "summary": "Norway decided to send observers.",
            "start_date": "2023-03-10",
            "date_precision": "approximate",
            "category": "military",
            "excerpt": "Norway and Denmark recently decided to send observers.",
        },
    )
    assert response.status_code == 302
    assert not Event.objects.exists()
    _confirm(client, source)
    event = Event.objects.get()
    assert (event.title, event.start_date.isoformat(), event.category) == (
        "Norway sends observers to the border",
        "2023-03-10",
        "military",
    )


def test_edit_refuses_an_excerpt_not_in_the_source_and_keeps_the_input(
    client, editor, source
):
    key = _key(source, "event", "Norway decided")
    response = client.post(
        reverse("extraction:edit", args=[source.pk, key]),
        {
            "title": "Norway sends observers",
            "summary": "Typed by hand.",
            "start_date": "2023-03-10",
            "date_precision": "approximate",
            "category": "military",
            "excerpt": "Norway sent a whole army.",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "not found in the source" in page
    assert "Typed by hand." in page


def test_one_bad_proposal_leaves_nothing_written(client, editor, source):
    """A correction whose excerpt left the source (edited meanwhile) fails at the
    confirmation, and the good proposals accepted with it are not written either."""
    _decide(client, source, _key(source, "event", "Norway decided"), "accepted")
    _decide(client, source, _key(source, "quote", "We came"), "accepted")
    client.post(
        reverse("extraction:edit", args=[source.pk, _key(source, "event", "Kremlin")]),
        {
            "title": "Kremlin speaks",
            "summary": "The Kremlin spoke.",
            "start_date": "2023-03-14",
            "date_precision": "reported",
            "category": "statement",
            "excerpt": "Estonia joined the alliance in 2004.",
        },
    )
    source.text = source.text.replace("Estonia joined the alliance in 2004.", "")
    source.save()
    response = _confirm(client, source)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Event.objects.exists()
    assert not Quote.objects.exists()
    assert not Citation.objects.exists()
    assert not Actor.objects.exists()


def test_htmx_accept_returns_only_the_card(client, editor, source):
    key = _key(source, "event", "Norway decided")
    response = _decide(client, source, key, "accepted", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert f'id="proposal-{key}"' in page
    assert "Accepted" in page


def test_without_htmx_accept_redirects_back_to_the_card(client, editor, source):
    key = _key(source, "event", "Norway decided")
    response = _decide(client, source, key, "accepted")
    assert response.status_code == 302
    assert response.url.endswith(f"#proposal-{key}")


def test_unknown_proposal_is_a_404(client, editor, source):
    response = _decide(client, source, "event-0000000000", "accepted")
    assert response.status_code == 404


def test_confirm_with_nothing_accepted_writes_nothing(client, editor, source):
    response = _confirm(client, source)
    assert response.status_code == 302
    assert not Event.objects.exists()


def test_import_pasted_text_saves_the_source_and_opens_its_review(client, editor):
    response = client.post(
        reverse("extraction:import"),
        {
            "text": TALKS,
            "title": "Talks resume",
            "published_on": "2023-03-14",
            "language": "en",
        },
    )
    source = Source.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("extraction:review", args=[source.pk])
    assert source.text == TALKS


def test_import_upload_reads_the_page_back_for_checking_and_saves_nothing(
    client, editor
):
    page = Path(__file__).parent / "fixtures" / "saved_page.html"
    response = client.post(
        reverse("extraction:import"),
        {
            "upload": SimpleUploadedFile("page.html", page.read_bytes()),
            "language": "en",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Observers head north as talks resume"' in body
    assert 'value="2023-03-14"' in body
    assert 'value="Mira Castell"' in body, "the page's author, read back for checking"
    assert not Source.objects.exists()


def test_the_checked_author_is_kept_with_the_source(client, editor):
    client.post(
        reverse("extraction:import"),
        {
            "text": TALKS,
            "title": "Talks resume",
            "author": "Mira Castell",
            "published_on": "2023-03-14",
            "language": "en",
        },
    )
    assert Source.objects.get().author == "Mira Castell"


def test_import_without_text_is_a_400_with_a_message(client, editor):
    response = client.post(reverse("extraction:import"), {"title": "Only a title"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Paste the article" in body
    assert 'value="Only a title"' in body


@pytest.mark.parametrize("view", ["decide", "edit"])
def test_proposal_views_refuse_staff_without_editor_rights(client, source, view):
    client.force_login(make_user(is_staff=True))
    key = _key(source, "event", "Norway decided")
    response = client.post(reverse(f"extraction:{view}", args=[source.pk, key]))
    assert response.status_code == 403


def test_htmx_edit_returns_the_form_in_place_of_the_card(client, editor, source):
    key = _key(source, "quote", "We came")
    response = client.get(
        reverse("extraction:edit", args=[source.pk, key]), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert f'id="proposal-{key}"' in page
    assert 'value="Aino Korhonen"' in page
