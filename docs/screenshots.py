"""Screenshots of the real page for the README, taken with headless Chromium.

Run against a server with the seed data (`make run` in another terminal), then
`make screenshots`. Needs Debian's Chromium (`apt-get install -y chromium`).
"""

import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
DOCS = Path(__file__).parent
SHOTS = {  # file: (path, viewport)
    "timeline-desktop.png": ("/", {"width": 1366, "height": 900}),
    "timeline-mobile.png": ("/", {"width": 360, "height": 780}),
    "quotes-mobile.png": ("/quotes/", {"width": 360, "height": 780}),
}


def main():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for name, (path, viewport) in SHOTS.items():
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            page.goto(BASE_URL + path)
            page.screenshot(path=DOCS / name)
            context.close()
            print(f"wrote docs/{name}")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
