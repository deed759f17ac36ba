"""The timeline in headless Chromium beside TimelineJS3 and vis-timeline, same events.

    make bench-browser                              # 1k / 10k / 100k events, SQLite
    .venv/bin/python bench/browser.py --sizes 1000 --reuse

For each size a database is built as bench/run.py builds it (``--reuse`` keeps one
already built) and served by gunicorn with production settings and whitenoise, as
`make serve` does. Chromium (Debian's, through Playwright) opens the timeline on a first
visit (a new browser profile: nothing cached) and on repeat visits (same profile), and
reads the browser's own Navigation and Paint Timing: time to first byte, HTML complete,
DOMContentLoaded and first contentful paint.

In the same run the same published events are handed to TimelineJS3
(``@knight-lab/timelinejs``) and vis-timeline (``vis-timeline``, ``vis-data``), from
the npm registry into bench/.work/npm (never committed), each in a static page served on
127.0.0.1. Their time is from navigation start until the library reports the timeline
drawn (TimelineJS3's ``loaded`` event, vis-timeline's first ``changed``) and the browser
painted the next frame. Writes the "Browser" section of bench/results.md.
"""

import argparse
import datetime
import functools
import http.server
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
from pathlib import Path

from load import BIN, commit, free_port, manage, server_env, wait_until_up
from results_file import write_section
from run import build, database_url, label

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
NPM = WORK / "npm"
PEERS = WORK / "peers"
START, END = "<!-- browser:start -->", "<!-- browser:end -->"
NPM_PACKAGES = ("@knight-lab/timelinejs@3", "vis-timeline@8", "vis-data@8")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TARGET_DCL_MS = 100
PEER_TIMEOUT_MS = 120_000

NAVIGATION_TIMING = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    ttfb: nav.responseStart, html: nav.responseEnd,
    dcl: nav.domContentLoadedEventEnd, fcp: paint ? paint.startTime : null,
    bytes: nav.transferSize,
  };
}"""

PEER_PAGES = {
    "TimelineJS3": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>TimelineJS3</title>
<link rel="stylesheet" href="npm/node_modules/@knight-lab/timelinejs/dist/css/timeline.css">
<script src="npm/node_modules/@knight-lab/timelinejs/dist/js/timeline.js"></script>
</head><body><div id="timeline" style="height:600px"></div><script>
fetch("events-{size}.json").then(r => r.json()).then(events => {
  const data = {events: events.map(e => {
    const [y, m, d] = e.date.split("-").map(Number);
    return {start_date: {year: y, month: m, day: d}, text: {headline: e.title},
            group: e.category};
  })};
  const timeline = new TL.Timeline("timeline", data, {hash_bookmark: false});
  timeline.on("loaded", () => requestAnimationFrame(() => requestAnimationFrame(
    () => { window.rendered = performance.now(); })));
});
</script></body></html>""",
    "vis-timeline": """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>vis-timeline</title>
<link rel="stylesheet" href="npm/node_modules/vis-timeline/styles/vis-timeline-graph2d.min.css">
<script src="npm/node_modules/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js"></script>
</head><body><div id="timeline"></div><script>
fetch("events-{size}.json").then(r => r.json()).then(events => {
  const items = new vis.DataSet(events.map(
    (e, i) => ({id: i, start: e.date, content: e.title, group: e.category})));
  const groups = new vis.DataSet([...new Set(events.map(e => e.category))].map(
    name => ({id: name, content: name})));
  const timeline = new vis.Timeline(document.getElementById("timeline"), items, groups);
  timeline.once("changed", () => requestAnimationFrame(() => requestAnimationFrame(
    () => { window.rendered = performance.now(); })));
});
</script></body></html>""",
}

DUMP_EVENTS = """
import json, os
from crisis.models import Event
rows = Event.objects.published().exclude(start_date=None).order_by("start_date", "pk")
json.dump([{"date": e.start_date.isoformat(), "title": e.title,
            "category": e.category} for e in rows.iterator(chunk_size=5000)],
          open(os.environ["BENCH_EVENTS_FILE"], "w"))
"""


def install_peers():
    if not (NPM / "node_modules" / "vis-timeline").exists():
        NPM.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NPM),
             *NPM_PACKAGES],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    PEERS.mkdir(parents=True, exist_ok=True)
    link = PEERS / "npm"
    if not link.exists():
        link.symlink_to(NPM, target_is_directory=True)


def dump_events(env, size):
    path = PEERS / f"events-{size}.json"
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", DUMP_EVENTS],
        cwd=ROOT, env={**env, "BENCH_EVENTS_FILE": str(path)}, check=True,
    )  # fmt: skip
    for name, page in PEER_PAGES.items():
        (PEERS / f"{name}-{size}.html").write_text(page.replace("{size}", str(size)))
    return len(json.loads(path.read_text()))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def static_server():
    handler = functools.partial(QuietHandler, directory=str(PEERS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def median(samples, key):
    values = [sample[key] for sample in samples if sample[key] is not None]
    return round(statistics.median(values), 1) if values else None


def time_our_page(browser, url, repeat):
    """First visits in fresh profiles, then repeat visits in the last one."""
    first = []
    for _ in range(repeat):
        context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
        page = context.new_page()
        page.goto(url, wait_until="load")
        first.append(page.evaluate(NAVIGATION_TIMING))
        if len(first) < repeat:
            context.close()
    again = []
    for _ in range(repeat):
        page.goto(url, wait_until="load")
        again.append(page.evaluate(NAVIGATION_TIMING))
    context.close()
    return {
        "first": {key: median(first, key) for key in first[0]},
        "repeat": {key: median(again, key) for key in again[0]},
    }


def time_peer(browser, url):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function("window.rendered", timeout=PEER_TIMEOUT_MS)
        return round(page.evaluate("window.rendered"), 1)
    except Exception as error:  # noqa: BLE001 - a peer that cannot cope is a result
        return f"not drawn ({type(error).__name__})"
    finally:
        context.close()


def measure_size(browser, size, repeat, reuse):
    port = free_port()
    env = {
        key: value for key, value in server_env(port, 2).items() if key != "REDIS_URL"
    }
    env["DATABASE_URL"] = database_url("sqlite", size, "")
    env["STATIC_ROOT"] = str(WORK / "browser-static")
    if not (reuse and Path(env["DATABASE_URL"].removeprefix("sqlite:///")).exists()):
        print(f"==> building {size:,} events", flush=True)
        development = {
            key: value for key, value in os.environ.items() if key != "REDIS_URL"
        }
        build("sqlite", size, {**development, "DATABASE_URL": env["DATABASE_URL"]}, "")
    manage(env, "createcachetable")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    events = dump_events(env, size)
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "crisis.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(base, server)
        ours = time_our_page(browser, base + "/", repeat)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    peers_server = static_server()
    peers_base = f"http://127.0.0.1:{peers_server.server_address[1]}"
    try:
        peers = {
            name: time_peer(browser, f"{peers_base}/{name}-{size}.html")
            for name in PEER_PAGES
        }
    finally:
        peers_server.shutdown()
    return {"size": size, "events": events, "ours": ours, "peers": peers}


def ms(value):
    if value is None:
        return "–"
    return f"{value:,.0f}" if isinstance(value, float | int) else value


def ratio(peer, ours):
    if not isinstance(peer, float | int) or not ours:
        return "–"
    return f"{peer / ours:,.1f}×"


def section(results, repeat):
    lines = [
        START,
        "## Browser (headless Chromium)",
        "",
        f"`make bench-browser` on {datetime.date.today().isoformat()} at commit "
        f"`{commit()}`, {os.cpu_count()} cores: the timeline served by gunicorn "
        "(2 gthread workers, production settings, whitenoise) on SQLite, medians of "
        f"{repeat} visits, in milliseconds from navigation start. *First*: a new "
        "browser profile; *repeat*: the same profile again (static files cached). "
        "TimelineJS3 and vis-timeline draw the same published events from a static "
        "page on 127.0.0.1, timed until the library reports them drawn and the next "
        f"frame is painted (given up after {PEER_TIMEOUT_MS // 1000} s). The ratio is "
        "the peer's time over our first-visit DOMContentLoaded. Target: "
        f"DOMContentLoaded under {TARGET_DCL_MS} ms on a first visit.",
        "",
        "| events | visit | first byte | HTML complete | DOMContentLoaded "
        "| first paint | TimelineJS3 drawn | vis-timeline drawn |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for result in results:
        first, again = result["ours"]["first"], result["ours"]["repeat"]
        peers = result["peers"]
        for visit, numbers in (("first", first), ("repeat", again)):
            peer_cells = (
                [
                    f"{ms(peers[name])} ({ratio(peers[name], first['dcl'])})"
                    for name in PEER_PAGES
                ]
                if visit == "first"
                else ["", ""]
            )
            lines.append(
                f"| {result['events']:,} | {visit} | {ms(numbers['ttfb'])} "
                f"| {ms(numbers['html'])} | {ms(numbers['dcl'])} "
                f"| {ms(numbers['fcp'])} | " + " | ".join(peer_cells) + " |"
            )
    lines += ["", END]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000,100000")
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep built databases")
    args = parser.parse_args()
    if not shutil.which("npm"):
        raise SystemExit("npm is needed to fetch TimelineJS3 and vis-timeline")
    from playwright.sync_api import sync_playwright

    install_peers()
    sizes = sorted(int(size) for size in args.sizes.split(",") if size.strip())
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        for size in sizes:
            result = measure_size(browser, size, args.repeat, args.reuse)
            print(f"{label(size):>5} {json.dumps(result)}", flush=True)
            results.append(result)
        browser.close()
    text = section(results, args.repeat)
    write_section(text, START, END)
    print(text)


if __name__ == "__main__":
    main()
