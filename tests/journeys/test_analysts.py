"""Analysts at work: annotate an event from its timeline card, a span of a quote and a
passage of a source; share with the team; find it all in the workspace; and export
W3C annotations whose offsets still fit after an editor changed the source."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from crisis.models import Quote, Source
from tests.factories import make_analyst, make_team, make_user
from tests.journeys.visitor import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEAM_NOTE = "Team: the alert signals resolve to Moscow."
QUOTE_NOTE = "Private: the offer of talks sounds rehearsed."
SOURCE_NOTE = "Private: this figure needs a second source."
INSERTED = "Updated overnight with new figures. "


def _plain_words(text, count=4):
    """Some words of ``text`` that occur once in it, away from its start."""
    words = text.split()
    for first in range(len(words) // 3, len(words) - count + 1):
        phrase = " ".join(words[first : first + count])
        if text.count(phrase) == 1 and phrase.isprintable() and "\n" not in phrase:
            yield phrase


def _source_passage(page, source):
    """Words of the source that the page prints in one run of plain text (no cited
    passage in the way), so a person can drag across them."""
    runs = page.locator(f'[data-annotatable="source-{source.pk}"]').evaluate(
        "(element) => [...element.childNodes].filter((n) => n.nodeType === 3)"
        ".map((n) => n.data)"
    )
    for run in sorted(runs, key=len, reverse=True):
        for phrase in _plain_words(run):
            if source.text.count(phrase) == 1:
                return phrase
    raise AssertionError("no plain run of text in the source")


def _select_and_annotate(person: Visitor, text_locator, words, control_name):
    """Select the words with the mouse; the control must appear right under them."""
    box = person.select_text(text_locator, words)
    control = person.page.get_by_role("button", name=control_name)
    control.wait_for()
    placed = control.bounding_box()
    assert 0 <= placed["y"] - box["bottom"] < 40, "the control is not next to the words"
    control.click()


def _save_passage_note(person: Visitor, block, words, note):
    block.get_by_label("Note").wait_for()
    assert block.get_by_label("Passage").input_value() == words
    assert block.locator(".annotation-form__passage mark").inner_text() == words
    person.check()
    block.get_by_label("Note").fill(note)
    block.get_by_role("button", name="Save annotation").click()
    # The page comes back with the passage highlighted in the text at once.
    person.page.locator(".messages").get_by_text("Annotation saved.").wait_for()
    person.check()


def test_analyst_annotates_shares_finds_and_exports(visitor, live_server):
    call_command("load_seed", verbosity=0)
    desk = make_team("Kyiv desk")
    make_analyst("anna", teams=[desk])
    make_analyst("boris", teams=[desk])
    make_analyst("chloe", teams=[make_team("Moscow desk")])
    editor = make_user("Editor", username="edith")
    quote = max(Quote.objects.published(), key=lambda quote: len(quote.text))
    source = max(Source.objects.all(), key=lambda source: len(source.text))

    anna = visitor()
    anna.sign_in("anna", "/")

    # An event, from its card on the timeline, in place.
    card = anna.page.locator("article.card").first
    title = card.locator("h3, h2").first.inner_text()
    block = card.locator("section.annotations")
    block.get_by_role("link", name="Annotate").click()
    block.get_by_label("Note").fill(TEAM_NOTE)
    block.get_by_label("Who can see it").select_option(label="Team: Kyiv desk")
    block.get_by_role("button", name="Save annotation").click()
    block = card.locator("section.annotations")
    block.get_by_text("Annotation saved.").wait_for()
    assert block.get_by_text(TEAM_NOTE).is_visible()
    assert block.get_by_text("Team: Kyiv desk").is_visible()
    assert anna.page.url == anna.url("/")
    anna.check()

    # A span of a quote, selected with the mouse.
    anna.goto(quote.get_absolute_url())
    quote_words = next(_plain_words(quote.text, count=3))
    quote_text = anna.page.locator(f'[data-annotatable="quote-{quote.pk}"]')
    _select_and_annotate(anna, quote_text, quote_words, "Annotate selection")
    _save_passage_note(
        anna,
        anna.page.locator(f"#annotations-quote-{quote.pk}"),
        quote_words,
        QUOTE_NOTE,
    )
    assert quote_text.locator("mark.annotation-mark").inner_text() == quote_words

    # A passage of a long source: the control appears by the words, not 4,000 px below.
    anna.goto(source.get_absolute_url())
    source_text = anna.page.locator(f'[data-annotatable="source-{source.pk}"]')
    source_words = _source_passage(anna.page, source)
    _select_and_annotate(anna, source_text, source_words, "Annotate a passage")
    _save_passage_note(
        anna,
        anna.page.locator(f"#annotations-source-{source.pk}"),
        source_words,
        SOURCE_NOTE,
    )
    assert source_text.locator("mark.annotation-mark").inner_text() == source_words
    old_start = source.text.index(source_words)

    # The teammate sees the team note on the timeline; another analyst sees nothing.
    boris = visitor()
    boris.sign_in("boris", "/")
    boris_card = boris.page.locator("article.card").filter(has_text=title).first
    assert boris_card.get_by_text(TEAM_NOTE).is_visible()
    chloe = visitor()
    chloe.sign_in("chloe", "/")
    assert chloe.page.get_by_text(TEAM_NOTE).count() == 0
    chloe.goto("/workspace/")
    assert chloe.page.get_by_text("0 annotations").is_visible()
    boris.goto("/workspace/")
    assert boris.page.get_by_text(TEAM_NOTE).is_visible()
    assert boris.page.get_by_text(QUOTE_NOTE).count() == 0

    # The workspace lists all three for their author, notes rendered, not raw.
    anna.goto("/workspace/")
    results = anna.page.locator("#workspace-results")
    assert results.get_by_text("3 annotations").is_visible()
    for note in (TEAM_NOTE, QUOTE_NOTE, SOURCE_NOTE):
        assert results.get_by_text(note).is_visible()

    # The editor inserts words before the passage; the export follows the words.
    source.refresh_from_db()
    source.text = INSERTED + source.text
    source._history_user = editor
    source.save()
    with anna.page.expect_download() as download:
        anna.page.get_by_role("link", name="W3C Web Annotation (JSON-LD)").click()
    collection = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    items = collection["first"]["items"]
    assert collection["total"] == len(items) == 3
    exported = next(i for i in items if i["body"][0]["value"] == SOURCE_NOTE)
    selectors = {s["type"]: s for s in exported["target"]["selector"]}
    position = selectors["TextPositionSelector"]
    source.refresh_from_db()
    assert position["start"] == old_start + len(INSERTED)
    assert source.text[position["start"] : position["end"]] == source_words
    assert selectors["TextQuoteSelector"]["exact"] == source_words
    assert exported["motivation"] == "commenting"
    assert re.fullmatch(r"urn:crisis-timeline:user:\d+", exported["creator"]["id"])
    shared = next(i for i in items if i["body"][0]["value"] == TEAM_NOTE)
    assert shared["audience"]["name"] == "Team: Kyiv desk"
