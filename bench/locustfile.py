"""Readers of the public site: the timeline, searches, event pages and exports.

Run by bench/load.py, which passes the export URLs that exist as LOAD_EXPORT_PATHS.
Every request is sent as if through the TLS proxy (X-Forwarded-Proto: https).
With LOAD_FRESH=1 the readers wait for nothing and ask only for searches and filters
never asked before (two words of the events' titles, an actor and a random stretch; the
vocabulary is read by bench/load.py into LOAD_VOCABULARY), so each takes the uncached
path.
"""

import json
import os
import random
import re

from locust import HttpUser, between, constant, task

SEARCH_TERMS = ["troops", "NATO", "Biden", "sanctions", "Kyiv", "embassy", "ruble"]
EVENT_LINK = re.compile(r'href="(/events/[^"/]+/)"')
EXPORT_PATHS = [p for p in os.environ.get("LOAD_EXPORT_PATHS", "").split(",") if p]
HEADERS = {"X-Forwarded-Proto": "https"}
FRESH = os.environ.get("LOAD_FRESH") == "1"


class Reader(HttpUser):
    wait_time = between(0.2, 1.0)
    abstract = FRESH

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


class FreshReader(HttpUser):
    """Never the same query twice: what a cache cannot help with."""

    wait_time = constant(0)
    abstract = not FRESH

    def on_start(self):
        with open(os.environ["LOAD_VOCABULARY"]) as handle:
            vocabulary = json.load(handle)
        self.words = vocabulary["words"] or ["talks", "troops"]
        self.actors = vocabulary["actors"] or [""]

    @task(1)
    def new_search(self):
        first, second = (
            random.sample(self.words, 2)
            if len(self.words) > 1
            else (self.words[0], self.words[0])
        )
        self.client.get(
            "/", params={"q": f"{first} {second[:4]}"}, headers=HEADERS, name="search"
        )

    @task(1)
    def new_filter(self):
        day = random.randint(1, 28)
        month = random.randint(1, 12)
        params = {
            "actor": random.choice(self.actors),
            "from": f"2022-{month:02d}-{day:02d}",
            "to": f"2022-{month:02d}-28" if day < 28 else "2022-12-31",
        }
        self.client.get("/", params=params, headers=HEADERS, name="filter")
