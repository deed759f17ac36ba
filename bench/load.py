"""Load test: gunicorn with production settings on 127.0.0.1, driven by locust.

    python bench/load.py [--duration 30] [--users 50] [--workers 4]

Builds a throwaway SQLite database (or uses DATABASE_URL) with the seed (plus generated
events when `manage.py generate_events` exists), collects static files, starts gunicorn,
runs locust headless for a bounded time, stops everything and writes the figures into
the "Load test" section of bench/results.md. Exits non-zero if any request failed.
"""

import argparse
import csv
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from results_file import write_section

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work" / "load"
START, END = "<!-- load:start -->", "<!-- load:end -->"
FRESH_START, FRESH_END = "<!-- load-fresh:start -->", "<!-- load-fresh:end -->"
BIN = Path(sys.executable).parent
# Exports and list pages merged from other work; each is used when it answers 200.
OPTIONAL_PATHS = [
    "/export/events.csv",
    "/export/events.json",
    "/export/timelinejs.json",
    "/export/events.ics",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(port, workers):
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(WORK / "static"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "LOG_LEVEL": "WARNING",
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{WORK / 'load.sqlite3'}")
    return env


def manage(env, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip


def prepare(env, generate):
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    manage(env, "migrate", "--noinput")
    manage(env, "createcachetable")
    manage(env, "load_seed")
    has_generator = (
        subprocess.run(
            [sys.executable, "manage.py", "help", "generate_events"],
            cwd=ROOT,
            env=env,
            capture_output=True,
        ).returncode  # fmt: skip
        == 0
    )
    if generate and has_generator:
        manage(env, "generate_events", "--events", str(generate), "--seed", "1")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    return has_generator and generate


def get(url):
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_up(base, server):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before it served a request")
        try:
            if get(base + "/healthz") == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


TITLE = re.compile(r'class="card__title"[^>]*><a href="[^"]+">([^<]+)</a>')
ACTOR_VALUE = re.compile(r'name="actor" value="([^"]+)"')


def vocabulary(base):
    """Words of the first pages' titles and the actors offered, for never-seen queries."""
    words, actors = set(), set()
    for page in (1, 2, 3):
        request = urllib.request.Request(
            f"{base}/?page={page}", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode()
        for title in TITLE.findall(text):
            words.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}", title))
        actors.update(ACTOR_VALUE.findall(text))
    path = WORK / "vocabulary.json"
    path.write_text(json.dumps({"words": sorted(words), "actors": sorted(actors)}))
    return path


def run_locust(base, args, exports):
    env = {
        **os.environ,
        "LOAD_EXPORT_PATHS": ",".join(exports),
        "LOAD_FRESH": "1" if args.fresh else "0",
        "LOAD_VOCABULARY": str(vocabulary(base)) if args.fresh else "",
    }
    result = subprocess.run(
        [
            str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),
            "--headless", "--users", str(args.users), "--spawn-rate", str(args.users),
            "--run-time", f"{args.duration}s", "--host", base, "--stop-timeout", "10",
            "--csv", str(WORK / "locust"), "--only-summary", "--loglevel", "WARNING",
        ],
        cwd=ROOT, env=env,
    )  # fmt: skip
    with open(WORK / "locust_stats.csv", newline="") as handle:
        return result.returncode, list(csv.DictReader(handle))


def commit():
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip() or "unknown"


def section(args, rows, exports, generated, database):
    total = next(row for row in rows if row["Name"] == "Aggregated")
    if args.fresh:
        mix = (
            "Each user asks at once for the next request, never waiting: searches and "
            "filters (an actor and a stretch) never asked before, half each, so each "
            "takes the uncached path. Target: twice the 52 req/s measured before the "
            "single response cache, p95 under 500 ms."
        )
    else:
        mix = (
            "Each user waits 0.2–1 s between requests: timeline 4, search 3, event "
            "page 4, export 1"
            + (f" ({', '.join(exports)})" if exports else " (no export URLs: /healthz)")
            + "."
        )
    lines = [
        FRESH_START if args.fresh else START,
        "## Load test, never-seen queries" if args.fresh else "## Load test",
        "",
        f"`make bench-load` on {datetime.date.today().isoformat()} at commit "
        f"`{commit()}`: {args.users} concurrent users for {args.duration} s against "
        f"gunicorn ({args.workers} gthread workers, production settings, whitenoise) on "
        f"127.0.0.1, {database}, seed data"
        + (f" plus {generated} generated events" if generated else "")
        + f", on {os.cpu_count()} cores shared with locust itself (load average "
        f"{args.load_before:.1f} before the run). {mix}",
        "",
        "| requests | name | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in [r for r in rows if r["Name"] != "Aggregated"] + [total]:
        name = "**all**" if row["Name"] == "Aggregated" else row["Name"]
        lines.append(
            f"| {row['Request Count']} | {name} | {float(row['Requests/s']):.1f} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | "
            f"{float(row['Max Response Time']):.0f} | {row['Failure Count']} |"
        )
    lines += ["", FRESH_END if args.fresh else END]
    return "\n".join(lines), int(total["Failure Count"]), int(total["Request Count"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=30, help="seconds (max 300)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--generate", type=int, default=0, help="extra generated events, if supported"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="no think time, only searches and filters never asked before",
    )
    args = parser.parse_args()
    args.duration = min(args.duration, 300)
    args.load_before = os.getloadavg()[0]

    port = free_port()
    env = server_env(port, args.workers)
    generated = prepare(env, args.generate)
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "crisis.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_up(base, server)
        exports = [path for path in OPTIONAL_PATHS if get(base + path) == 200]
        code, rows = run_locust(base, args, exports)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    database = "PostgreSQL" if "postgres" in env["DATABASE_URL"] else "SQLite"
    text, failures, requests = section(args, rows, exports, generated, database)
    write_section(text, *((FRESH_START, FRESH_END) if args.fresh else (START, END)))
    print(text)
    if failures or code or not requests:
        raise SystemExit(f"load test failed: {failures} errors of {requests} requests")


if __name__ == "__main__":
    main()
