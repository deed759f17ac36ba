"""Measure one built database: run by bench/run.py with DATABASE_URL set; prints JSON.

Two passes over the same requests: Django's test client in this process (server time,
SQL queries per request via CaptureQueriesContext) and a real gunicorn server on
127.0.0.1 (time seen by an HTTP client, bytes on the wire). Then selector-level timings
and query plans, so a missing page still shows what the data layer costs.
"""

import datetime
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisis.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from crisis.cache import data_changed  # noqa: E402
from crisis.models import Event, EventActor, EventCountry  # noqa: E402
from crisis.reading.exports import export_rows  # noqa: E402
from crisis.reading.month_counts import stored_density  # noqa: E402
from crisis.reading.selectors import (  # noqa: E402
    TIMELINE_ORDER,
    event_density,
    timeline_count,
    timeline_page,
)
from crisis.search import search_events  # noqa: E402
from devdata.events import GENERATED_PREFIX  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
WARMUP = 3
# Requests timed right after a data change, which retires every cached page.
AFTER_EDIT_REPEAT = max(3, REPEAT // 4)
AFTER_EDITS = {"edit": (data_changed,)}
SCRIPT_SRC = re.compile(rb"<script\b[^>]*\bsrc=\"([^\"]+)\"")
INLINE_SCRIPT = re.compile(rb"<script\b(?![^>]*\bsrc=)[^>]*>")


def percentile(samples, fraction):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(samples):
    return {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        "p95_ms": round(percentile(samples, 0.95) * 1000, 2),
    }


def scenario():
    """The requests to time, chosen from the data so every size asks the same things."""
    published = Event.objects.published()
    busiest = (
        EventActor.objects.filter(
            event__status="published", actor__slug__startswith=GENERATED_PREFIX
        )
        .values("actor__slug", "actor__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "actor__slug")
        .first()
    )
    dates = published.order_by("start_date").values_list("start_date", flat=True)
    first = dates.first()
    # The month from the middle one of the actor's events, so the filter finds events
    # at every size (an empty result takes another path).
    actor_dates = dates.filter(event_actors__actor__slug=busiest["actor__slug"])
    range_from = actor_dates[actor_dates.count() // 2]
    range_to = range_from + datetime.timedelta(days=30)
    # About 1,000 events for the export: widen the window until it holds them.
    export_to, total = first, 0
    per_day = (
        published.order_by()
        .values_list("start_date")
        .annotate(n=Count("pk"))
        .order_by("start_date")
    )
    for day, events in per_day:
        export_to, total = day, total + events
        if total >= 1000:
            break
    event = (
        published.filter(slug__startswith=GENERATED_PREFIX, quotes__isnull=False)
        .order_by("pk")
        .first()
    )
    surname = busiest["actor__name"].split()[-1].lower()
    query = f"{surname} talks"
    return {
        "actor": busiest["actor__slug"],
        "query": query,
        "from": range_from.isoformat(),
        "to": range_to.isoformat(),
        "export_to": export_to.isoformat(),
        "export_from": first.isoformat(),
        "event": event.slug,
    }


def requests_for(s):
    return [
        ("timeline /", "/", {}),
        ("text search", f"/?q={s['query'].replace(' ', '+')}", {}),
        (
            "actor + date range",
            f"/?actor={s['actor']}&from={s['from']}&to={s['to']}",
            {},
        ),
        ("HTMX load more (page 2)", "/?page=2", {"HX-Request": "true"}),
        ("event page", f"/events/{s['event']}/", {}),
        (
            "CSV export (~1,000 rows)",
            f"/export/events.csv?from={s['export_from']}&to={s['export_to']}",
            {},
        ),
    ]


def client_pass(requests):
    """Each request warm (the same view asked again) and right after a data change."""
    client = Client()
    rows = []
    for label, url, headers in requests:
        response = client.get(url, headers=headers)
        if response.status_code == 404:
            rows.append({"label": label, "url": url, "missing": True})
            continue
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
            body = b"".join(response) if response.streaming else response.content
        # Read now: the log is reset by the next request.
        query_count = len(queries.captured_queries)
        for _ in range(WARMUP):
            client.get(url, headers=headers)
        samples = [timed_get(client, url, headers) for _ in range(REPEAT)]
        after_edit = {
            kind: after_an_edit(client, url, headers, bumps)
            for kind, bumps in AFTER_EDITS.items()
        }
        rows.append(
            {
                "label": label,
                "url": url,
                "status": response.status_code,
                "queries": query_count,
                "bytes": len(body),
                "scripts": [src.decode() for src in SCRIPT_SRC.findall(body)],
                "inline_scripts": len(INLINE_SCRIPT.findall(body)),
                **summary(samples),
                **{
                    f"{kind}_{name}": value
                    for kind, numbers in after_edit.items()
                    for name, value in numbers.items()
                },
            }
        )
    return rows


def after_an_edit(client, url, headers, bumps):
    """Median time and most queries of ``url`` asked right after each of a few edits."""
    samples, most_queries = [], 0
    for _ in range(AFTER_EDIT_REPEAT):
        for bump in bumps:
            bump()
        with CaptureQueriesContext(connection) as queries:
            samples.append(timed_get(client, url, headers))
        most_queries = max(most_queries, len(queries.captured_queries))
    return {"median_ms": summary(samples)["median_ms"], "queries": most_queries}


def timed_get(client, url, headers):
    started = time.perf_counter()
    response = client.get(url, headers=headers)
    if response.streaming:
        b"".join(response)
    return time.perf_counter() - started


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_pass(requests):
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "crisis.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/events/no-such-event/", timeout=5)
            except urllib.error.HTTPError:
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        rows = []
        for label, url, headers in requests:

            def fetch(url=url, headers=headers):
                request = urllib.request.Request(base + url, headers=headers)
                with urllib.request.urlopen(request, timeout=60) as response:
                    return response.status, response.read()

            try:
                status, body = fetch()
            except urllib.error.HTTPError as error:
                if error.code == 404:
                    rows.append({"label": label, "url": url, "missing": True})
                    continue
                raise
            for _ in range(WARMUP):
                fetch()
            samples = []
            for _ in range(REPEAT):
                started = time.perf_counter()
                fetch()
                samples.append(time.perf_counter() - started)
            rows.append(
                {
                    "label": label,
                    "url": url,
                    "status": status,
                    "bytes": len(body),
                    **summary(samples),
                }
            )
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


# The uncached path: what a view costs when nothing is cached, as for every filter
# combination asked for the first time, every signed-in editor and every export. The
# cache is emptied before each request, and each search and filter is one not asked
# before in the run. ``(label, target p95 ms, URLs, headers, signed in)``.
UNCACHED_SAMPLES = int(os.environ.get("BENCH_UNCACHED", "20"))


def _sorted_lists():
    from crisis.reading.tables import ActorTable, EventTable, QuoteTable, SourceTable

    return [
        ("/table/", EventTable),
        ("/quotes/", QuoteTable),
        ("/actors/", ActorTable),
        ("/sources/", SourceTable),
    ]


SORTED_LISTS = _sorted_lists()


def uncached_requests(s):
    import random

    rng = random.Random(1)
    published = Event.objects.published()
    titles = list(
        published.filter(slug__startswith=GENERATED_PREFIX)
        .order_by("pk")
        .values_list("title", flat=True)[:2000]
    )
    searches = []
    for title in rng.sample(titles, min(len(titles), UNCACHED_SAMPLES)):
        words = [w for w in re.findall(r"[A-Za-z]{4,}", title)]
        if len(words) >= 2:  # a whole word and the start of another, as typed
            searches.append(f"/?q={words[0].lower()}+{words[1][:5].lower()}")
    pairs = list(
        EventActor.objects.filter(
            event__status="published", actor__slug__startswith=GENERATED_PREFIX
        )
        .values_list("actor__slug", "event__start_date")
        .order_by("pk")[:5000]
    )
    months = []
    for slug, day in rng.sample(pairs, min(len(pairs), UNCACHED_SAMPLES)):
        first = day.replace(day=1)
        last = (first + datetime.timedelta(days=32)).replace(day=1)
        last -= datetime.timedelta(days=1)
        months.append(f"/?actor={slug}&from={first}&to={last}")
    htmx = {"HX-Request": "true", "HX-Target": "timeline-results"}
    results = [  # pages 1 and 2, which every size has
        f"/?q=talks&category=military&page={1 + index % 2}"
        for index in range(UNCACHED_SAMPLES)
    ]
    return [
        ("timeline /, right after a data change", 25, ["/"] * UNCACHED_SAMPLES, {}, 0),
        ("a search never asked before", 30, searches, {}, 0),
        ("an actor + month never asked before", 30, months, {}, 0),
        ("htmx results, ?q=talks&category=military&page=1–2", 30, results, htmx, 0),
        ("admin event list", 100, ["/admin/crisis/event/"] * UNCACHED_SAMPLES, {}, 1),
        (
            "admin event search “talks”",
            100,
            ["/admin/crisis/event/?q=talks"] * UNCACHED_SAMPLES,
            {},
            1,
        ),
        ("admin quote list", 100, ["/admin/crisis/quote/"] * UNCACHED_SAMPLES, {}, 1),
        (
            "admin quote search “we”",
            100,
            ["/admin/crisis/quote/?q=we"] * UNCACHED_SAMPLES,
            {},
            1,
        ),
        (
            "admin citation list",
            100,
            ["/admin/crisis/citation/"] * UNCACHED_SAMPLES,
            {},
            1,
        ),
        *(
            (f"public list {url}", 100, [url] * UNCACHED_SAMPLES, {}, 0)
            for url in ("/table/", "/quotes/", "/actors/", "/sources/")
        ),
        *(
            (f"public list {url}, each sort", 100, sorted_list_urls(url, table), {}, 0)
            for url, table in SORTED_LISTS
        ),
    ]


def sorted_list_urls(url, table):
    """``UNCACHED_SAMPLES`` URLs of the list ``url`` sorted by each column its table
    lets a reader sort by, either way, in turn (a column added later is measured too)."""
    orderable = table._meta.orderable
    keys = [
        name
        for name, column in table.base_columns.items()
        if (orderable if column.orderable is None else column.orderable)
    ]
    sorts = [f"{sign}{key}" for key in keys for sign in ("", "-")]
    return [
        f"{url}?sort={sorts[index % len(sorts)]}" for index in range(UNCACHED_SAMPLES)
    ]


def uncached_pass(s):
    """Each request with the cache emptied first: the path every new query takes."""
    from django.contrib.auth import get_user_model

    editor, _ = get_user_model().objects.get_or_create(
        username="bench-editor", defaults={"is_staff": True, "is_superuser": True}
    )
    rows = []
    for label, target, urls, headers, signed_in in uncached_requests(s):
        client = Client()
        if signed_in:
            client.force_login(editor)
        client.get(urls[0], headers=headers)  # imports and templates, not data
        samples, most_queries, size, statuses = [], 0, 0, set()
        for url in urls:
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, headers=headers)
                body = b"".join(response) if response.streaming else response.content
                samples.append(time.perf_counter() - started)
            most_queries = max(most_queries, len(queries.captured_queries))
            size = max(size, len(body))
            statuses.add(response.status_code)
        rows.append(
            {
                "label": label,
                "target_p95_ms": target,
                "requests": len(urls),
                "statuses": sorted(statuses),
                "queries": most_queries,
                "bytes": size,
                **summary(samples),
            }
        )
    return rows


def in_country(code):
    """The subquery the timeline's country filter uses."""
    return EventCountry.objects.filter(country=code).values("event_id")


def timed(compute):
    compute()
    samples, queries = [], 0
    for index in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            compute()
            samples.append(time.perf_counter() - started)
        if index == 0:
            queries = len(captured.captured_queries)
    return {**summary(samples), "queries": queries}


def selector_pass(s):
    """The data layer the timeline view calls, timed directly."""
    published = Event.objects.published()
    ordered = published.for_timeline().order_by(*TIMELINE_ORDER)
    by_actor = (
        published.filter(event_actors__actor__slug=s["actor"])
        .in_range(s["from"], s["to"])
        .for_timeline()
        .order_by(*TIMELINE_ORDER)
    )
    searched = search_events(published, s["query"]).for_timeline()

    def uncached(compute):
        def run():
            cache.clear()
            return compute()

        return run

    size = settings.TIMELINE_PAGE_SIZE
    return [
        ("page 1, unfiltered", timed(lambda: timeline_page(ordered, 1, size))),
        ("page 2, unfiltered", timed(lambda: timeline_page(ordered, 2, size))),
        (
            "page 1, text search (ranked)",
            timed(lambda: timeline_page(searched, 1, size)),
        ),
        ("page 1, actor + date range", timed(lambda: timeline_page(by_actor, 1, size))),
        (
            "page 1, category + country",
            timed(
                lambda: timeline_page(
                    ordered.filter(category="military", pk__in=in_country("PL")),
                    1,
                    size,
                )
            ),
        ),
        (
            "count of a text search (uncached)",
            timed(
                uncached(lambda: timeline_count(search_events(published, s["query"])))
            ),
        ),
        (
            "density strip, all published (uncached)",
            timed(uncached(lambda: event_density(published))),
        ),
        (
            "density strip, all published, from the month counts (share images)",
            timed(uncached(lambda: stored_density(("published",)))),
        ),
        (
            "rows of the ~1,000-row export",
            timed(
                lambda: list(
                    export_rows(
                        published.in_range(s["export_from"], s["export_to"]), str
                    )
                )
            ),
        ),
    ]


def plans(s):
    published = Event.objects.published()
    ordered = published.order_by(*TIMELINE_ORDER)
    cases = {
        "unfiltered page": ordered[:26],
        "text search": search_events(published, s["query"])[:26],
        "actor + role": ordered.filter(
            event_actors__actor__slug=s["actor"], event_actors__role="initiator"
        )[:26],
        "date range": ordered.in_range(s["from"], s["to"])[:26],
        "category": ordered.filter(category="sanctions")[:26],
        "importance": ordered.filter(importance=3)[:26],
        "country": ordered.filter(pk__in=in_country("MD"))[:26],
        "tag": ordered.filter(tags__slug=f"{GENERATED_PREFIX}nuclear")[:26],
        "density": published.order_by()
        .values("start_date")
        .annotate(n=Count("pk"))
        .order_by("start_date"),
    }
    return {name: queryset.explain() for name, queryset in cases.items()}


def main():
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    s = scenario()
    requests = requests_for(s)
    result = {
        "scenario": s,
        "events": Event.objects.count(),
        "client": client_pass(requests),
        "gunicorn": gunicorn_pass(requests),
        "uncached": uncached_pass(s),
        "selectors": [
            {"label": label, **numbers} for label, numbers in selector_pass(s)
        ],
        "plans": plans(s) if os.environ.get("BENCH_PLANS") else {},
    }
    with open(sys.argv[1], "w") as output:
        json.dump(result, output)


if __name__ == "__main__":
    main()
