"""Editors in the admin, in Chromium: two at once on one event, and one from a new
source to a published, deleted and restored event."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from crisis.models import Citation, Event, Source, Status
from crisis.roles import EDITOR
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = (
    "Russian and American diplomats met in Geneva on Monday. The talks lasted seven "
    "hours and ended without agreement. Both sides agreed to keep talking."
)


@pytest.fixture
def seeded_editors():
    call_command("load_seed", stdout=StringIO())
    return [make_user(EDITOR, username=name) for name in ("alice", "bruno")]


def _open_change_page(editor, event):
    editor.goto(f"/admin/crisis/event/{event.pk}/change/")
    return editor.page


def _save(editor):
    editor.page.get_by_role("button", name="Save", exact=True).click()
    editor.page.wait_for_load_state()
    editor.check()


def test_two_editors_at_once_merge_and_choose(visitor, seeded_editors):
    event = Event.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    original_title = event.title
    alice, bruno = visitor(), visitor()
    alice.sign_in_to_admin("alice")
    bruno.sign_in_to_admin("bruno")

    # Different fields: both changes survive.
    a_page = _open_change_page(alice, event)
    b_page = _open_change_page(bruno, event)
    a_page.get_by_label("Summary").fill("Alice's summary of what happened.")
    _save(alice)
    expect(a_page.get_by_text("was changed successfully")).to_be_visible()

    b_page.get_by_label("Place").fill("Geneva")
    _save(bruno)
    expect(b_page.get_by_text("their changes are kept beside yours")).to_be_visible()
    event.refresh_from_db()
    assert (event.summary, event.place) == (
        "Alice's summary of what happened.",
        "Geneva",
    )

    # The same field: the second editor sees both values and chooses.
    a_page = _open_change_page(alice, event)
    b_page = _open_change_page(bruno, event)
    a_page.get_by_label("Title").fill("Alice's title")
    _save(alice)
    b_page.get_by_label("Title").fill("Bruno's title")
    b_page.get_by_label("Importance").select_option(label="Major")
    _save(bruno)

    conflicts = b_page.get_by_role("group", name="Fields you both changed")
    expect(conflicts).to_contain_text("Keep the stored value: Alice's title")
    expect(conflicts).to_contain_text("Keep your value: Bruno's title")
    expect(b_page.get_by_text("You both changed Title")).to_be_visible()
    event.refresh_from_db()
    assert event.title == "Alice's title"  # nothing written without a choice

    b_page.get_by_label(re.compile("Keep your value")).check()
    _save(bruno)
    expect(b_page.get_by_text("was changed successfully")).to_be_visible()
    event.refresh_from_db()
    assert (event.title, event.importance, event.summary) == (
        "Bruno's title",
        Event.Importance.MAJOR,
        "Alice's summary of what happened.",
    )

    # History holds every step, each by its author.
    bruno.goto(f"/admin/crisis/event/{event.pk}/history/")
    history = b_page.locator("#change-history")
    for value in (original_title, "Alice's title", "Bruno's title", "Geneva"):
        expect(history).to_contain_text(value)
    expect(history).to_contain_text("alice")
    expect(history).to_contain_text("bruno")
    expect(history).not_to_contain_text("None")


def _pick_autocomplete(page, label, term, expected):
    """Type into an admin autocomplete and press Enter, as a person would."""
    page.get_by_role("combobox", name=label).first.click()
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(term)
    expect(page.locator(".select2-results__option").first).to_have_text(expected)
    search.press("Enter")


def test_an_editor_from_a_new_source_to_a_restored_event(visitor, seeded_editors):
    editor = visitor()
    editor.sign_in_to_admin("alice")
    page = editor.page

    # A new source.
    editor.goto("/admin/crisis/source/add/")
    page.get_by_label("Title").press_sequentially("Diplomats meet in Geneva")
    expect(page.get_by_label("Slug:", exact=True).first).to_have_value(
        "diplomats-meet-in-geneva"
    )
    page.get_by_label("Publisher").fill("Wire")
    page.get_by_label("Publication date").fill("2022-01-10")
    page.get_by_label("Text:", exact=True).fill(ARTICLE)
    _save(editor)
    expect(
        page.get_by_text("Now add the events and quotes it supports")
    ).to_be_visible()
    source = Source.objects.get(slug="diplomats-meet-in-geneva")

    # An event citing it; an excerpt not in the source is refused, input kept.
    page.get_by_role("link", name="Add an event citing it").click()
    editor.check()
    page.get_by_label("Title").press_sequentially("Geneva talks end without agreement")
    expect(page.get_by_label("Slug:", exact=True).first).to_have_value(
        "geneva-talks-end-without-agreement"
    )
    page.get_by_label("Summary").fill("Seven hours of talks in Geneva.")
    page.get_by_label("Start date").fill("2022-01-10")
    page.get_by_label("Category").select_option(label="Diplomacy")
    _pick_autocomplete(page, re.compile("^Actor"), "Russia", "Russia")
    page.get_by_label("Excerpt").first.fill("The talks were a great success.")
    _save(editor)
    expect(page.get_by_text("This excerpt was not found in the source")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(
        "Geneva talks end without agreement"
    )
    assert not Event.objects.filter(title__startswith="Geneva talks end").exists()

    page.get_by_label("Excerpt").first.fill("The talks lasted seven hours")
    _save(editor)
    expect(page.get_by_text("was added successfully")).to_be_visible()
    event = Event.objects.get(slug="geneva-talks-end-without-agreement")
    assert event.status == Status.DRAFT
    assert event.actors.get().name == "Russia"
    assert Citation.objects.get(event=event).source == source

    # Publish it from the list.
    editor.publish_from_admin_list("Select this object .* Geneva talks end")
    expect(page.get_by_text("Published 1 events.")).to_be_visible()
    event.refresh_from_db()
    assert event.status == Status.PUBLISHED

    # Delete it, then bring it back from "Deleted events".
    editor.goto(f"/admin/crisis/event/{event.pk}/change/")
    page.get_by_role("link", name="Delete").last.click()
    editor.check()
    page.get_by_role("button", name=re.compile("Yes, I’m sure")).click()
    editor.check()
    assert not Event.objects.filter(pk=event.pk).exists()

    page.get_by_role("link", name="Deleted events").click()
    editor.check()
    page.get_by_role(
        "button", name=re.compile("Restore Geneva talks end without agreement")
    ).click()
    editor.check()
    expect(page.get_by_text(re.compile("Restored “Geneva talks end"))).to_be_visible()
    restored = Event.objects.get(pk=event.pk)
    assert restored.actors.get().name == "Russia"
    assert restored.citations.get().excerpt == "The talks lasted seven hours"
