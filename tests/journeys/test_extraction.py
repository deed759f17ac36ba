"""An editor turns a new article into cited drafts with the assistant, publishes one,
and a reader finds it on the timeline with its citation."""

import re

import pytest
from playwright.sync_api import expect

from tests.extraction.articles import TALKS
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accept(page, name):
    card = page.get_by_role("article", name=name, exact=True)
    card.get_by_role("button", name="Accept").click()
    expect(card.get_by_role("status")).to_have_text("Accepted")


def test_editor_imports_an_article_accepts_proposals_and_publishes_one(
    visitor, tmp_path
):
    make_user("Editor", username="erin")
    article = tmp_path / "talks-resume.txt"
    article.write_text(f"Talks resume in the north\n\n{TALKS}", encoding="utf-8")

    editor = visitor()
    editor.sign_in_to_admin("erin", next_path="/admin/crisis/source/")
    page = editor.page
    page.get_by_role("link", name="Import an article").click()
    editor.check()

    page.get_by_label("Article file").set_input_files(str(article))
    page.get_by_role("button", name="Save and see proposals").click()
    editor.check()
    expect(page.get_by_label("Title")).to_have_value("Talks resume in the north")
    page.get_by_label("Publication date").fill("2023-03-14")
    page.get_by_role("button", name="Save and see proposals").click()
    editor.check()
    expect(
        page.get_by_role("heading", name=re.compile("published 14 March 2023"))
    ).to_be_visible()

    _accept(page, "Norway decided to send observers")
    _accept(page, "Denmark decided to send observers")
    _accept(page, "“We came to listen”")
    page.get_by_role("button", name="Save accepted proposals as drafts").click()
    editor.check()
    expect(page.get_by_text("Saved as drafts: 2 event(s), 1 quote(s)")).to_be_visible()

    editor.publish_from_admin_list("Norway decided to send observers")
    expect(page.get_by_text("Published 1 events.")).to_be_visible()

    reader = visitor()
    reader.goto("/")
    card = reader.page.get_by_role("article").filter(
        has=reader.page.get_by_role("heading", name="Norway decided to send observers")
    )
    expect(card).to_be_visible()
    expect(
        card.get_by_role("blockquote").get_by_text(
            "Norway and Denmark recently decided to send observers."
        )
    ).to_be_visible()
    expect(card.get_by_role("link", name="Talks resume in the north")).to_be_visible()
    expect(reader.page.get_by_text("Denmark decided to send observers")).to_have_count(
        0
    )
