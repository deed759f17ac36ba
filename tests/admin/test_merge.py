"""Two editors at once in the admin: a stale save is merged three ways, never overwrites."""

import pytest
from django.test import Client
from django.urls import reverse

from crisis.merge import UNREADABLE, three_way
from crisis.models import Citation, EventActor, Tag
from tests.admin_forms import admin_form_data
from tests.factories import make_actor, make_event, make_quote, make_source, make_user

pytestmark = pytest.mark.django_db


# --- the merge itself ----------------------------------------------------------------


def test_three_way_takes_theirs_where_only_they_changed_and_mine_where_only_i_did():
    outcome = three_way(
        base={"title": "A", "summary": "S", "place": "P"},
        stored={"title": "A", "summary": "S2", "place": "P"},
        posted={"title": "A2", "summary": "S", "place": "P"},
    )
    assert (outcome.theirs, outcome.mine, outcome.conflicts) == (
        ["summary"],
        ["title"],
        [],
    )


def test_three_way_reports_a_field_both_changed_differently_as_a_conflict():
    outcome = three_way(base={"t": "A"}, stored={"t": "B"}, posted={"t": "C"})
    assert outcome.conflicts == ["t"]


def test_three_way_accepts_the_same_change_made_by_both():
    outcome = three_way(base={"t": "A"}, stored={"t": "B"}, posted={"t": "B"})
    assert (outcome.theirs, outcome.mine, outcome.conflicts) == ([], [], [])


def test_an_unreadable_posted_value_counts_as_a_change_of_mine():
    outcome = three_way(base={"t": "A"}, stored={"t": "B"}, posted={"t": UNREADABLE})
    assert outcome.conflicts == ["t"]


# --- through the admin ---------------------------------------------------------------


@pytest.fixture
def editors(admin_client):
    """Two signed-in editors: the admin client and a second superuser."""
    other = Client()
    other.force_login(make_user(is_staff=True, is_superuser=True, username="second"))
    return admin_client, other


def _page(client, obj):
    name = obj._meta.model_name
    return client.get(reverse(f"admin:crisis_{name}_change", args=[obj.pk]))


def _save(client, page, **changes):
    return client.post(page.wsgi_request.path, admin_form_data(page, **changes))


def test_changes_to_different_fields_both_survive(editors):
    first, second = editors
    event = make_event(title="Original title", summary="Original summary.")
    page_a, page_b = _page(first, event), _page(second, event)
    assert _save(first, page_a, title="First's title").status_code == 302

    saved = second.post(
        page_b.wsgi_request.path,
        admin_form_data(page_b, summary="Second's summary."),
        follow=True,
    )
    assert "their changes are kept beside yours" in saved.content.decode()
    event.refresh_from_db()
    assert (event.title, event.summary) == ("First's title", "Second's summary.")


def test_a_field_both_changed_is_shown_side_by_side_and_nothing_is_written(editors):
    first, second = editors
    event = make_event(title="Original title", summary="Original summary.")
    page_a, page_b = _page(first, event), _page(second, event)
    _save(first, page_a, title="First's title", summary="First's summary.")

    refused = _save(second, page_b, title="Second's title")
    text = refused.content.decode()
    assert refused.status_code == 200
    assert "Fields you both changed" in text
    assert 'Keep the stored value: <span class="merge-value">First&#x27;s title' in text
    assert 'Keep your value: <span class="merge-value">Second&#x27;s title' in text
    event.refresh_from_db()
    assert event.title == "First's title"
    # The summary only the first editor changed is merged into the re-rendered form.
    form = refused.context["adminform"].form
    assert form["summary"].value() == "First's summary."
    assert form["loaded_version"].value() == str(event.version)


def test_a_conflict_saved_again_without_a_choice_is_refused_again(editors):
    first, second = editors
    event = make_event(title="Original title")
    page_a, page_b = _page(first, event), _page(second, event)
    _save(first, page_a, title="First's title")
    refused = _save(second, page_b, title="Second's title")
    data = admin_form_data(refused)
    data["conflicted"] = "title"
    again = second.post(page_b.wsgi_request.path, data)
    assert again.status_code == 200
    assert "choose which value to keep for Title" in again.content.decode()
    event.refresh_from_db()
    assert event.title == "First's title"


@pytest.mark.parametrize(
    ("choice", "title"), [("mine", "Second's title"), ("theirs", "First's title")]
)
def test_the_chosen_value_is_saved_and_the_other_editors_other_fields_kept(
    editors, choice, title
):
    first, second = editors
    event = make_event(title="Original title", summary="Original summary.")
    page_a, page_b = _page(first, event), _page(second, event)
    _save(first, page_a, title="First's title", summary="First's summary.")
    refused = _save(second, page_b, title="Second's title", place="Geneva")
    data = admin_form_data(refused)
    data.update({"conflicted": "title", "keep-title": choice})
    assert second.post(page_b.wsgi_request.path, data).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.summary, event.place) == (
        title,
        "First's summary.",
        "Geneva",
    )
    # Every step is in history: created, the first save, the merged second save.
    assert event.history.count() == 3


def test_tags_another_editor_added_survive_an_unrelated_save(editors):
    first, second = editors
    event = make_event()
    tag = Tag.objects.create(name="Crimea", slug="crimea")
    page_a, page_b = _page(first, event), _page(second, event)
    assert _save(first, page_a, tags=[str(tag.pk)]).status_code == 302
    assert _save(second, page_b, place="Kyiv").status_code == 302
    event.refresh_from_db()
    assert list(event.tags.all()) == [tag]
    assert event.place == "Kyiv"


# --- failing closed ------------------------------------------------------------------


@pytest.mark.parametrize("posted", [None, "", "x"])
def test_an_existing_record_posted_without_its_version_is_refused(admin_client, posted):
    event = make_event(title="Original title")
    page = _page(admin_client, event)
    data = admin_form_data(page, title="Blind write")
    if posted is None:
        del data["loaded_version"]
    else:
        data["loaded_version"] = posted
    response = admin_client.post(page.wsgi_request.path, data)
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Original title"


def test_an_inline_row_posted_without_its_version_is_refused(admin_client):
    event = make_event()
    page = _page(admin_client, event)
    data = admin_form_data(page, **{"citations-0-excerpt": "Leaders met in Paris"})
    del data["citations-0-loaded_version"]
    response = admin_client.post(page.wsgi_request.path, data)
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    assert event.citations.get().excerpt == "Leaders met in Paris on Wednesday."


def test_an_inline_row_deleted_without_its_version_is_refused(admin_client):
    event = make_event()
    extra = Citation.objects.create(
        event=event, source=make_source(), excerpt="Markets fell"
    )
    page = _page(admin_client, event)
    data = admin_form_data(page, **{"citations-1-DELETE": "on"})
    del data["citations-1-loaded_version"]
    response = admin_client.post(page.wsgi_request.path, data)
    assert response.status_code == 200
    assert "did not say which version" in response.content.decode()
    assert Citation.objects.filter(pk=extra.pk).exists()


# --- inline rows ---------------------------------------------------------------------


def test_a_quote_slug_changed_on_its_own_page_survives_a_save_of_its_event(editors):
    """The attack of the hardening issue: a stale quote inline must not revert."""
    first, second = editors
    event = make_event()
    quote = make_quote(event=event, slug="old-slug")
    event_page = _page(second, event)
    quote_page = _page(first, quote)
    assert _save(first, quote_page, slug="new-slug").status_code == 302

    assert _save(second, event_page, place="Minsk").status_code == 302
    quote.refresh_from_db()
    event.refresh_from_db()
    assert (quote.slug, event.place) == ("new-slug", "Minsk")


def test_a_citation_excerpt_changed_on_its_own_page_survives_a_save_of_its_event(
    editors,
):
    first, second = editors
    event = make_event()
    citation = event.citations.get()
    event_page = _page(second, event)
    citation_page = _page(first, citation)
    saved = _save(first, citation_page, excerpt="Leaders met in Paris")
    assert saved.status_code == 302
    assert _save(second, event_page, place="Minsk").status_code == 302
    citation.refresh_from_db()
    assert citation.excerpt == "Leaders met in Paris"


def test_an_inline_row_both_changed_asks_for_a_choice(editors):
    first, second = editors
    event = make_event()
    citation = event.citations.get()
    event_page = _page(second, event)
    _save(first, _page(first, citation), excerpt="Leaders met in Paris")
    refused = _save(
        second, event_page, **{"citations-0-excerpt": "met in Paris on Wednesday"}
    )
    text = refused.content.decode()
    assert refused.status_code == 200
    assert 'name="citations-0-keep-excerpt"' in text
    citation.refresh_from_db()
    assert citation.excerpt == "Leaders met in Paris"

    data = admin_form_data(refused)
    data.update(
        {"citations-0-conflicted": "excerpt", "citations-0-keep-excerpt": "mine"}
    )
    assert second.post(event_page.wsgi_request.path, data).status_code == 302
    citation.refresh_from_db()
    assert citation.excerpt == "met in Paris on Wednesday"


def test_actor_links_added_and_removed_by_another_editor_stay_so(editors):
    first, second = editors
    kept, removed, added = make_actor(), make_actor(), make_actor()
    event = make_event(actors=[kept, removed])
    event_page = _page(second, event)
    EventActor.objects.filter(event=event, actor=removed).delete()
    EventActor.objects.create(event=event, actor=added)

    assert _save(second, event_page, place="Geneva").status_code == 302
    assert set(event.event_actors.values_list("actor", flat=True)) == {
        kept.pk,
        added.pk,
    }


def test_a_row_another_editor_deleted_while_i_changed_it_is_not_lost_silently(
    editors,
):
    first, second = editors
    event = make_event()
    source = make_source()
    Citation.objects.create(event=event, source=source, excerpt="Markets fell")
    event_page = _page(second, event)
    Citation.objects.filter(event=event, excerpt="Markets fell").delete()

    refused = _save(
        second, event_page, **{"citations-1-excerpt": "Markets fell sharply"}
    )
    assert refused.status_code == 200
    assert "Someone else deleted" in refused.content.decode()


def test_deleting_a_row_another_editor_changed_needs_a_second_tick(editors):
    first, second = editors
    event = make_event()
    source = make_source()
    extra = Citation.objects.create(event=event, source=source, excerpt="Markets fell")
    event_page = _page(second, event)
    extra.excerpt = "Markets fell sharply"
    extra.save()

    refused = _save(second, event_page, **{"citations-1-DELETE": "on"})
    assert refused.status_code == 200
    assert "Not deleted" in refused.content.decode()
    assert Citation.objects.filter(pk=extra.pk).exists()
    data = admin_form_data(refused, **{"citations-1-DELETE": "on"})
    assert second.post(event_page.wsgi_request.path, data).status_code == 302
    assert not Citation.objects.filter(pk=extra.pk).exists()
