"""Hostile input and faults against gunicorn with production settings on 127.0.0.1.

    python bench/attack.py [--fuzz 1500] [--port 8105]

Builds a throwaway seeded SQLite database with a draft event and an analyst's private
note as canaries, starts gunicorn as `make serve` does, then fires hostile requests
(malformed dates, unknown ids, hostile query strings, script in parameters, bad `next`,
oversized bodies, posts without CSRF token, traversal paths, odd methods and hosts,
another analyst's notes) and counts requests, 5xx answers and leaks (a canary, a stack
trace or a reflected script in any answer). Then it injects faults (the database
write-locked, locked past the writers' timeout, gone and back) and checks the site
answers 503 at worst and recovers. Writes the "Hostile input and faults" section of
bench/results.md. Exits non-zero on any 5xx outside a fault, or any leak.
"""

import argparse
import datetime
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter

from load import BIN, ROOT, commit, manage, server_env
from results_file import write_section

WORK = ROOT / "bench" / ".work" / "attack"
START, END = "<!-- attack:start -->", "<!-- attack:end -->"
DRAFT_CANARY = "Draftcanary Zq7"
PRIVATE_CANARY = "Privatecanary Xv9"
SCRIPT = "<script>alert(1)</script>"
LEAK_PATTERNS = {
    "draft title": re.compile(re.escape(DRAFT_CANARY), re.I),
    "private note": re.compile(re.escape(PRIVATE_CANARY), re.I),
    "stack trace": re.compile(r"Traceback \(most recent call last\)|File \"/"),
    "reflected script": re.compile(re.escape(SCRIPT)),
}
PASSWORD = "attack-bench-passphrase-1"

FIXTURES = f"""
import json
from django.contrib.auth.models import User
from annotations.models import Annotation
from crisis.models import Event, Status
from crisis.roles import assign_role
event = Event.objects.published().first()
draft = Event.objects.create(
    title="{DRAFT_CANARY} ministers plan", slug="draft-canary",
    summary="{DRAFT_CANARY}: not public yet.", start_date=event.start_date,
    category=event.category, status=Status.DRAFT,
)
draft.actors.add(*event.actors.all()[:1], through_defaults={{"role": "participant"}})
users = {{}}
for name, role in [("ana", "Analyst"), ("bob", "Analyst"), ("vic", "Viewer")]:
    user = User.objects.create_user(name, password="{PASSWORD}")
    assign_role(user, role)
    users[name] = user
Annotation.objects.create(
    author=users["ana"], event=event, body="{PRIVATE_CANARY}: source is shaky."
)
print(json.dumps({{"event": event.pk, "slug": event.slug, "draft": draft.pk}}))
"""


class Client:
    """One person: a cookie jar, no redirects followed, every answer checked."""

    def __init__(self, run, name):
        self.run, self.name = run, name
        # Production cookies are Secure; the "proxy" here is the X-Forwarded-Proto header.
        jar = http.cookiejar.CookieJar(policy=PlainHttpCookiePolicy())
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect
        )

    def csrf_token(self):
        jar = next(
            handler.cookiejar
            for handler in self.opener.handlers
            if isinstance(handler, urllib.request.HTTPCookieProcessor)
        )
        return next((cookie.value for cookie in jar if cookie.name == "csrftoken"), "")

    def request(self, kind, method, path, data=None, headers=None, expect_fault=False):
        origin = "https://" + self.run.base.split("://", 1)[1]
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": origin,
            "Referer": origin + "/",
            **(headers or {}),
        }
        body = data
        if isinstance(data, dict):
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(
            self.run.base + path, data=body, method=method, headers=headers
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                status, answer = response.status, response
                text = response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, answer, text = (
                error.code,
                error,
                error.read().decode(errors="replace"),
            )
        except OSError as error:
            status, answer, text = 0, None, str(error)
        html = answer is not None and "html" in answer.headers.get("Content-Type", "")
        self.run.record(kind, method, path, status, text, expect_fault, html)
        return status, text

    def get(self, kind, path, **options):
        return self.request(kind, "GET", path, **options)

    def sign_in(self, username):
        self.get("sign-in", "/accounts/login/")
        status, _ = self.request(
            "sign-in",
            "POST",
            "/accounts/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.csrf_token(),
            },
        )
        return status == 302


class PlainHttpCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    def return_ok_secure(self, cookie, request):
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Run:
    def __init__(self, base):
        self.base = base
        self.tried = Counter()
        self.server_errors = Counter()
        self.error_requests = []
        self.unavailable = Counter()
        self.leaks = []
        self.lock = threading.Lock()

    def record(self, kind, method, path, status, text, expect_fault, html):
        with self.lock:
            self.tried[kind] += 1
            if status in (0, 503) and expect_fault:
                self.unavailable[kind] += 1
            elif status >= 500 or status == 0:
                self.server_errors[kind] += 1
                self.error_requests.append(f"{status} {method} {path[:120]}")
                print(f"  {status} {method} {path[:120]}", file=sys.stderr)
            for leak, pattern in LEAK_PATTERNS.items():
                # A script is only dangerous in HTML (CSV and JSON are not rendered).
                if leak == "reflected script" and not html:
                    continue
                found = pattern.search(text)
                if found:
                    snippet = text[max(0, found.start() - 80) : found.end() + 80]
                    print(f"  {snippet!r}", file=sys.stderr)
                    self.leaks.append((leak, kind, method, path[:120]))
                    print(f"  LEAK {leak}: {method} {path[:120]}", file=sys.stderr)


# Hostile input

BAD_VALUES = [
    "2022-13-45", "2022-02-30", "0000-00-00", "99999-01-01", "-1", "1e309", "NaN",
    "' OR 1=1--", "\x00", "%00", "../../etc/passwd", SCRIPT, "\"><svg onload=x>",
    "a" * 2000, "☃" * 50, "{{7*7}}", "${jndi:ldap://x}", "", " ", "null", "[]",
    "event:1", "javascript:alert(1)", "//evil.example", "\r\nSet-Cookie: x=1",
]  # fmt: skip
PARAMETERS = [
    "q", "from", "to", "actor", "role", "category", "country", "tag", "importance",
    "page", "sort", "per_page", "annotated", "target", "next", "format",
]  # fmt: skip
PAGES = [
    "/", "/table/", "/actors/", "/quotes/", "/sources/", "/export/events.csv",
    "/export/events.json", "/export/timelinejs.json", "/export/events.ics",
]  # fmt: skip
TRAVERSALS = [
    "/static/../crisis/settings.py", "/static/..%2f..%2fcrisis/settings.py",
    "/static/%2e%2e/%2e%2e/manage.py", "/%2e%2e/%2e%2e/etc/passwd",
    "/events/..%2f..%2fmanage.py/", "/static/crisis/../../../db.sqlite3",
    "/admin/../../etc/passwd", "/static//etc/passwd", "/.git/config", "/.env",
    "/sources/%00/", "/actors/..;/", "/media/../../etc/shadow",
]  # fmt: skip


def hostile_requests(run, ids, fuzz):
    anonymous = Client(run, "anonymous")
    rng = random.Random(2022)
    for page in PAGES:
        for parameter in PARAMETERS:
            for value in rng.sample(BAD_VALUES, 4) + [SCRIPT]:
                query = urllib.parse.urlencode({parameter: value})
                anonymous.get("hostile query string", f"{page}?{query}")
    for _ in range(fuzz):
        params = [
            (rng.choice(PARAMETERS), rng.choice(BAD_VALUES))
            for _ in range(rng.randint(1, 8))
        ]
        page = rng.choice(PAGES)
        anonymous.get("fuzzed query string", f"{page}?{urllib.parse.urlencode(params)}")
    anonymous.get("hostile query string", "/?" + "q=a&" * 2000)  # over the 4 KiB limit
    anonymous.get("hostile query string", "/?" + "actor=a&" * 400)
    for path in [
        "/events/does-not-exist/", "/events/draft-canary/", "/actors/nobody/",
        "/quotes/99999999/", "/sources/none/", "/annotations/999999/edit/",
        "/annotations/999999/delete/", f"/annotations/?target=event:{ids['draft']}",
        "/annotations/?target=event:99999999", "/annotations/?target=foo:1",
        "/annotations/?target=event:abc", "/annotations/?target=",
        f"/annotations/new/?target=event:{ids['event']}",
    ]:  # fmt: skip
        anonymous.get("unknown or hidden id", path)
    for path in TRAVERSALS:
        anonymous.get("traversal path", path)
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND"):
        for path in ("/", "/events/x/", "/accounts/login/", "/healthz", "/admin/"):
            anonymous.request("odd method", method, path)
    for host in ("evil.example", "127.0.0.1:1@evil.example", "", "a" * 300):
        anonymous.get("bad Host header", "/", headers={"Host": host})
    for next_url in (
        "http://evil.example/", "//evil.example", "/\\evil.example", "foo",
        "javascript:alert(1)", "https:evil.example", "/%0d%0aLocation:evil",
    ):  # fmt: skip
        quoted = urllib.parse.quote(next_url, safe="")
        anonymous.get("bad next", f"/accounts/login/?next={quoted}")
        anonymous.get(
            "bad next", f"/annotations/?target=event:{ids['event']}&next={quoted}"
        )
    # Posts without a CSRF token, from a stranger and from signed-in people.
    anonymous.request(
        "post without CSRF token",
        "POST",
        "/accounts/login/",
        {"username": "ana", "password": PASSWORD},
    )
    anonymous.request(
        "post without CSRF token",
        "POST",
        "/admin/login/",
        {"username": "ana", "password": PASSWORD},
    )
    bob = Client(run, "bob")
    if not bob.sign_in("bob"):
        run.server_errors["bench could not sign in"] += 1
    for path, data in [
        ("/annotations/new/", {"target": f"event:{ids['event']}", "body": "x"}),
        ("/accounts/password/", {"old_password": "x"}),
        ("/accounts/logout/", {}),
        ("/annotations/1/delete/", {}),
    ]:
        bob.request("post without CSRF token", "POST", path, data)
    # Oversized bodies.
    big = {"username": "ana", "password": "x" * (2 * 1024 * 1024)}
    anonymous.request("oversized body", "POST", "/accounts/login/", big)
    many = {f"f{number}": "x" for number in range(5000)}
    anonymous.request("oversized body", "POST", "/accounts/login/", many)
    token = bob.csrf_token()
    bob.request(
        "oversized body", "POST", "/annotations/new/",
        {"csrfmiddlewaretoken": token, "target": f"event:{ids['event']}", "body": "y" * 300_000},
    )  # fmt: skip
    # Another analyst's private note, through every door bob has.
    for path in [
        f"/events/{ids['slug']}/", f"/annotations/?target=event:{ids['event']}",
        "/workspace/", "/workspace/?q=Privatecanary", "/workspace/annotations.csv",
        "/workspace/annotations.jsonld", "/?annotated=1", "/annotations/1/edit/",
        "/?q=Privatecanary",
    ]:  # fmt: skip
        bob.get("another analyst's note", path, headers={"HX-Request": "true"})
        bob.get("another analyst's note", path)
    for next_url in ("foo", "http://evil.example/", "//evil.example"):
        quoted = urllib.parse.quote(next_url, safe="")
        target = f"target=event:{ids['event']}&next={quoted}"
        bob.get("bad next", f"/annotations/?{target}")
        bob.request(
            "bad next", "POST", f"/annotations/new/?{target}",
            {"csrfmiddlewaretoken": bob.csrf_token(), "target": f"event:{ids['event']}",
             "body": "bad next", "next": next_url, "confidence": "low", "share_with": "private"},
        )  # fmt: skip
    # Drafts: staff (editors, analysts) preview them; the public and viewers must not.
    viewer = Client(run, "vic")
    viewer.sign_in("vic")
    for person in (anonymous, viewer):
        for path in [
            "/?q=Draftcanary", "/events/draft-canary/", "/table/?q=Draftcanary",
            "/export/events.csv", "/export/events.json", "/export/events.ics",
            "/export/timelinejs.json", "/sources/", "/actors/", "/?tag=",
            f"/events/{ids['slug']}/", "/admin/", "/workspace/", "/admin/crisis/event/",
        ]:  # fmt: skip
            person.get("drafts and roles", path)
    # Script in parameters, answered through htmx as well.
    for page in PAGES[:5]:
        anonymous.get(
            "script in parameters",
            f"{page}?q={urllib.parse.quote(SCRIPT)}",
            headers={"HX-Request": "true"},
        )


# Faults


def healthy(run, within=30):
    probe = Client(run, "probe")
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if probe.get("after a fault", "/healthz", expect_fault=True)[0] == 200:
            return probe.get("after a fault", "/")[0] == 200
        time.sleep(0.5)
    return False


def writes_during(run, seconds, expect_fault):
    """Sign-ins (each writes a session and an axes record) from several people at once."""
    outcomes = Counter()

    def one(number):
        client = Client(run, f"writer{number}")
        client.get("fault", "/accounts/login/", expect_fault=expect_fault)
        status, text = client.request(
            "fault", "POST", "/accounts/login/",
            {"username": "ana", "password": PASSWORD, "csrfmiddlewaretoken": client.csrf_token()},
            expect_fault=expect_fault,
        )  # fmt: skip
        kept = status != 503 or 'value="ana"' in text
        outcomes[(status, kept)] += 1

    threads = [threading.Thread(target=one, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
        time.sleep(seconds / 12)
    for thread in threads:
        thread.join()
    return outcomes


def hold_write_lock(database, seconds):
    locker = sqlite3.connect(
        database, isolation_level=None, timeout=30, check_same_thread=False
    )
    locker.execute("BEGIN IMMEDIATE")
    locker.execute("UPDATE django_migrations SET app = app WHERE id = 1")
    timer = threading.Timer(seconds, lambda: (locker.rollback(), locker.close()))
    timer.start()
    return timer


def fault_write_lock(run, database, seconds):
    timer = hold_write_lock(database, seconds)
    outcomes = writes_during(run, seconds, expect_fault=False)
    reads = Client(run, "reader").get("fault", "/", expect_fault=False)[0]
    timer.join()
    waited = all(status == 302 for status, _ in outcomes)
    return (
        f"write lock held {seconds} s by another process while 6 people signed in",
        waited and reads == 200 and healthy(run),
        f"sign-ins: {dict(Counter(s for s, _ in outcomes.elements()))}; a page read "
        f"meanwhile: {reads}",
    )


def fault_lock_past_timeout(run, database, seconds):
    timer = hold_write_lock(database, seconds)
    outcomes = writes_during(run, 3, expect_fault=True)
    timer.join()
    answered = {status for status, _ in outcomes}
    kept = all(kept for _, kept in outcomes)
    return (
        f"write lock held {seconds} s, past the writers' SQLITE_TIMEOUT",
        answered <= {302, 503} and kept and healthy(run),
        f"sign-ins: {dict(Counter(s for s, _ in outcomes.elements()))}"
        + (", every 503 gave the form back" if 503 in answered and kept else ""),
    )


def fault_database_gone(run, database):
    aside = database.with_name("aside")
    aside.mkdir(exist_ok=True)
    moved = [p for p in database.parent.glob(database.name + "*") if p.is_file()]
    for path in moved:
        path.rename(aside / path.name)
    client = Client(run, "during outage")
    statuses = Counter(
        client.get("fault", path, expect_fault=True)[0]
        for path in ("/healthz", "/", "/actors/", "/export/events.csv") * 3
    )
    for path in database.parent.glob(database.name + "*"):
        path.unlink()
    for path in moved:
        (aside / path.name).rename(path)
    return (
        "database file gone, then put back",
        set(statuses) <= {503} and healthy(run),
        f"answers while gone: {dict(statuses)}",
    )


# Running


def free_port_in(ports):
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {ports}")


# Requests made to sign in and to probe faults, reported in the faults table.
BOOKKEEPING = {"sign-in", "fault", "after a fault"}


def section(run, faults, args, elapsed):
    total = sum(run.tried.values())
    lines = [
        START,
        "## Hostile input and faults",
        "",
        f"`make bench-attack` on {datetime.date.today().isoformat()} at commit "
        f"`{commit()}`: {total:,} requests against gunicorn (`gunicorn.conf.py`, "
        f"{args.workers} workers, production settings) on 127.0.0.1, SQLite, seed data "
        f"plus a draft event and an analyst's private note as canaries; {elapsed:.0f} s. "
        "A leak is a canary (the draft's title, the note's text), a stack trace or an "
        "unescaped `<script>` from a parameter in any answer.",
        "",
        "| requests | kind | 5xx | leaks |",
        "| ---: | --- | ---: | ---: |",
    ]
    leaks = Counter(kind for _, kind, _, _ in run.leaks)
    for kind, count in sorted(run.tried.items(), key=lambda item: -item[1]):
        if kind not in BOOKKEEPING:
            lines.append(
                f"| {count:,} | {kind} | {run.server_errors[kind]} | {leaks[kind]} |"
            )
    lines += [
        f"| **{total:,}** | **all** (sign-ins and fault probes included) | "
        f"**{sum(run.server_errors.values())}** | **{len(run.leaks)}** |",
        "",
    ]
    if run.error_requests:
        lines += ["5xx answers (each a bug to fix):", ""]
        lines += [f"- `{line}`" for line in run.error_requests] + [""]
    lines += [
        f"Faults survived: **{sum(ok for _, ok, _ in faults)} of {len(faults)}** "
        "(503 at worst while it lasts, no other 5xx, healthy again after it).",
        "",
        "| fault | survived | what was seen |",
        "| --- | --- | --- |",
    ]
    lines += [
        f"| {name} | {'yes' if ok else '**no**'} | {seen} |"
        for name, ok, seen in faults
    ]
    lines += ["", END]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fuzz", type=int, default=400, help="random hostile URLs")
    parser.add_argument("--port", type=int, help="default: a free one from 8104-8109")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print, don't save")
    args = parser.parse_args()
    started = time.monotonic()
    args.port = args.port or free_port_in(range(8104, 8110))

    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    database = WORK / "attack.sqlite3"
    env = {
        **server_env(args.port, args.workers),
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(WORK / "static"),
        # Each request opens its own connection, so a missing file is noticed at once.
        "CONN_MAX_AGE": "0",
        "SQLITE_TIMEOUT": "5",
        "AXES_FAILURE_LIMIT": "1000",
        "ANNOTATION_WRITE_RATE": "1000/m",
    }
    for command in (
        ["migrate", "--noinput"], ["createcachetable"], ["load_seed"],
        ["collectstatic", "--noinput", "--verbosity", "0"],
    ):  # fmt: skip
        manage(env, *command)
    made = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", FIXTURES],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    ids = json.loads(made.stdout.strip().splitlines()[-1])

    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "crisis.wsgi"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    run = Run(f"http://127.0.0.1:{args.port}")
    try:
        if not healthy(run, within=60) or server.poll() is not None:
            raise SystemExit(f"gunicorn did not come up on port {args.port}")
        hostile_requests(run, ids, args.fuzz)
        faults = [
            fault_write_lock(run, database, 3),
            fault_lock_past_timeout(run, database, 15),
            fault_database_gone(run, database),
        ]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    text = section(run, faults, args, time.monotonic() - started)
    print(text)
    if not args.no_write:
        write_section(text, START, END)
    failed = (
        sum(run.server_errors.values())
        or run.leaks
        or not all(ok for _, ok, _ in faults)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
