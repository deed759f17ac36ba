"""A person in a browser: every page they visit is checked by axe-core, and any console
error fails the journey.

A journey test asks the `visitor` fixture for one `Visitor` per person. Each page the
person lands on (a full load, or an htmx swap that pushes a new address) must be checked
with `visitor.check()` before they move on; `Visitor.goto` does it by itself. When the test
ends, the fixture fails it if a visited address was never checked or the console logged
an error.
"""

from __future__ import annotations

import json
import re

from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD

DESKTOP = {"width": 1366, "height": 900}
MOBILE = {"width": 360, "height": 780}
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()
# No CSSOM preload: axe copies stylesheets that @import others (the admin's forms.css)
# into inline <style> elements, which the Content Security Policy refuses, and the
# console error would be axe's, not the page's. Only css-orientation-lock needs it.
AXE_OPTIONS = {"resultTypes": ["violations"], "preload": False}

# Where the first and last letters of some words are on screen, after scrolling them to
# the middle of the window: {x1, y1, x2, y2, bottom} in CSS pixels of the viewport.
_WORDS_BOX = """(element, words) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at < 0) continue;
    const letter = (index) => {
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      return range.getBoundingClientRect();
    };
    window.scrollBy(0, letter(at).top - window.innerHeight / 2);
    const first = letter(at);
    const last = letter(at + words.length - 1);
    return {
      x1: first.left + 1, y1: first.top + first.height / 2,
      x2: last.right - 1, y2: last.top + last.height / 2, bottom: last.bottom,
    };
  }
  return null;
}"""


def _empty_script(route):
    route.fulfill(status=200, content_type="text/javascript", body="")


class Visitor:
    def __init__(
        self,
        browser,
        base_url,
        viewport=DESKTOP,
        java_script_enabled=True,
        site_scripts=True,
    ):
        self.base_url = base_url
        self.browser, self.viewport = browser, viewport
        self.java_script_enabled = java_script_enabled
        self.context = browser.new_context(
            viewport=viewport,
            java_script_enabled=java_script_enabled,
            accept_downloads=True,
        )
        if not site_scripts:
            # A reader without JavaScript whose pages axe can still check (axe-core
            # cannot run where JavaScript is off): the site's scripts arrive empty.
            self.context.route(re.compile(r"\.js(\?.*)?$"), _empty_script)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        self.page.on("framenavigated", self._on_navigated)

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({self.page.url})")

    def _on_navigated(self, frame):
        if frame == self.page.main_frame and frame.url.startswith(self.base_url):
            self.visited.append(frame.url)

    def url(self, path):
        return self.base_url + path

    def goto(self, path):
        """Open a path of the site and check the page it shows."""
        response = self.page.goto(self.url(path))
        self.check()
        return response

    def check(self):
        """Run axe-core on the page as it is now: no serious or critical violation."""
        self.page.wait_for_load_state()
        if self.java_script_enabled:
            results = _axe.run(self.page, options=AXE_OPTIONS)
        else:
            results = self._axe_run_with_script()
        blocking = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in results.response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, (
            f"axe-core on {self.page.url}:\n{json.dumps(blocking, indent=1)}"
        )
        self.checked.add(self.page.url)

    def _axe_run_with_script(self):
        """axe-core is a script: for a person without JavaScript, it checks the same
        address, with the same cookies, in a scripted page of its own."""
        context = self.browser.new_context(
            viewport=self.viewport, storage_state=self.context.storage_state()
        )
        try:
            page = context.new_page()
            page.goto(self.page.url)
            return _axe.run(page, options=AXE_OPTIONS)
        finally:
            context.close()

    def sign_in(self, username, next_path="/", password=PASSWORD):
        self.goto(f"/accounts/login/?next={next_path}")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(self.url(next_path))
        self.check()

    def sign_in_to_admin(self, username, next_path="/admin/", password=PASSWORD):
        self.goto(f"/admin/login/?next={next_path}")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(self.url(next_path))
        self.check()

    def select_text(self, locator, words):
        """Select ``words`` inside ``locator`` as a person does: press the mouse just
        inside the first letter and drag to just inside the last one."""
        box = locator.evaluate(_WORDS_BOX, words)
        assert box, f"{words!r} is not in one run of text of {locator}"
        self.page.mouse.move(box["x1"], box["y1"])
        self.page.mouse.down()
        self.page.mouse.move(box["x2"], box["y2"], steps=8)
        self.page.mouse.up()
        return box

    def publish_from_admin_list(self, row_name):
        """On an admin change list, tick the row whose checkbox name matches
        `row_name` (a regular expression) and run "Publish selected"."""
        page = self.page
        page.get_by_role("checkbox", name=re.compile(row_name)).check()
        page.get_by_role("combobox", name=re.compile("^Action")).select_option(
            label="Publish selected (checks each first)"
        )
        page.get_by_role("button", name="Go").click()
        self.check()

    def problems(self):
        """What this person's journey left wrong: unchecked pages and console errors."""
        unchecked = [
            url for url in dict.fromkeys(self.visited) if url not in self.checked
        ]
        problems = []
        if unchecked:
            problems.append(f"pages visited but never checked by axe: {unchecked}")
        if self.console_errors:
            problems.append(f"console errors: {self.console_errors}")
        return problems

    def close(self):
        self.context.close()
