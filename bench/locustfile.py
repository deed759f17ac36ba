"""Readers of the public site: the timeline, searches, event pages and exports.

Run by bench/load.py, which passes the export URLs that exist as LOAD_EXPORT_PATHS.
Every request is sent as if through the TLS proxy (X-Forwarded-Proto: https).
"""

import os
import random
import re

from locust import HttpUser, between, task

SEARCH_TERMS = ["troops", "NATO", "Biden", "sanctions", "Kyiv", "embassy", "ruble"]
EVENT_LINK = re.compile(r'href="(/events/[^"/]+/)"')
EXPORT_PATHS = [p for p in os.environ.get("LOAD_EXPORT_PATHS", "").split(",") if p]
HEADERS = {"X-Forwarded-Proto": "https"}


class Reader(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        timeline = self.client.get("/", headers=HEADERS, name="timeline")
        self.event_paths = sorted(set(EVENT_LINK.findall(timeline.text))) or ["/"]

    @task(4)
    def timeline(self):
        self.client.get("/", headers=HEADERS, name="timeline")

    @task(3)
    def search(self):
        self.client.get(
            "/",
            params={"q": random.choice(SEARCH_TERMS)},
            headers=HEADERS,
            name="search",
        )

    @task(4)
    def event_page(self):
        self.client.get(random.choice(self.event_paths), headers=HEADERS, name="event")

    @task(1)
    def export(self):
        if EXPORT_PATHS:
            path = random.choice(EXPORT_PATHS)
            self.client.get(path, headers=HEADERS, name=f"export {path}")
        else:
            self.client.get("/healthz", headers=HEADERS, name="healthz")
