"""An analyst annotates in a real browser; a team member sees only what was shared."""

import pytest

from tests.factories import PASSWORD, make_analyst, make_event, make_quote, make_team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}{next_path}")


def select_words(page, key, words):
    page.evaluate(
        """([key, words]) => {
            const element = document.querySelector(`[data-annotatable="${key}"]`);
            const node = element.firstChild;
            const start = node.textContent.indexOf(words);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + words.length);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        [key, words],
    )
    page.wait_for_timeout(100)


def test_analyst_annotates_event_and_quote_selection_and_team_sees_the_shared_one(
    browser, live_server
):
    team = make_team("Kyiv desk")
    make_analyst("anna", teams=[team])
    make_analyst("boris", teams=[team])
    event = make_event(title="Troops put on alert")
    quote = make_quote(event=event, text="We want calm, and we want talks, not tanks.")
    path = event.get_absolute_url()

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "anna", path)
    page.evaluate("window.stillTheSamePage = true")

    event_block = page.locator(f"#annotations-event-{event.pk}")
    event_block.get_by_role("link", name="Annotate").click()
    event_block.get_by_label("Note").fill("Shared: the alert is a signal to Moscow.")
    event_block.get_by_label("Tags").fill("signalling, troops")
    event_block.get_by_label("Source reliability").select_option("B")
    event_block.get_by_label("Information credibility").select_option("2")
    event_block.get_by_label("Who can see it").select_option(label="Team: Kyiv desk")
    event_block.get_by_role("button", name="Save annotation").click()
    event_block = page.locator(f"#annotations-event-{event.pk}")
    event_block.get_by_text("Annotation saved.").wait_for()
    assert "Grade B2" in event_block.inner_text()

    select_words(page, f"quote-{quote.pk}", "we want talks")
    quote_block = page.locator(f"#annotations-quote-{quote.pk}")
    # The control shown next to the selected words (it may cover the block's link).
    page.get_by_role("button", name="Annotate selection").click()
    assert quote_block.get_by_label("Passage").input_value() == "we want talks"
    quote_block.get_by_label("Note").fill("Private: talks offer looks sincere.")
    assert page.evaluate("window.stillTheSamePage") is True
    # A passage is drawn in the text, outside the block: the page loads again with it.
    with page.expect_navigation():
        quote_block.get_by_role("button", name="Save annotation").click()
    assert page.evaluate("window.stillTheSamePage") is None
    page.locator(".messages").get_by_text("Annotation saved.").wait_for()

    assert page.get_by_text("Shared: the alert is a signal to Moscow.").is_visible()
    assert page.get_by_text("Private: talks offer looks sincere.").is_visible()
    mark = page.locator(f'[data-annotatable="quote-{quote.pk}"] mark')
    assert mark.inner_text() == "we want talks"
    context.close()

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server, "boris", path)
    assert page.get_by_text("Shared: the alert is a signal to Moscow.").is_visible()
    assert page.get_by_text("Private: talks offer looks sincere.").count() == 0
    context.close()
