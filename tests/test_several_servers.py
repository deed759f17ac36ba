"""Several app servers on one PostgreSQL and one Redis: an edit through one server is
seen through the other on its next request, as behind a load balancer.

Needs the PostgreSQL server and Redis of the README (127.0.0.1:5432 and :6379); skipped
without them unless REQUIRE_SERVICES=1 (CI), where their absence is a failure.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("SERVERS_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("SERVERS_TEST_REDIS", "redis://127.0.0.1:6379/7")
PASSWORD = "several-servers-password"


def _reachable(host, port):
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def _services_or_skip():
    pg = urllib.parse.urlsplit(PG)
    redis = urllib.parse.urlsplit(REDIS)
    missing = [
        name
        for name, parts in (("PostgreSQL", pg), ("Redis", redis))
        if not _reachable(parts.hostname, parts.port)
    ]
    if missing:
        message = f"{' and '.join(missing)} not reachable"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(f"{message}, and REQUIRE_SERVICES=1")
        pytest.skip(message)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _admin_sql(statement):
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(statement)


@pytest.fixture
def shared_services():
    """A throwaway database with the seed and a superuser, and a fresh cache prefix."""
    _services_or_skip()
    name = f"crisis_servers_{uuid.uuid4().hex[:10]}"
    _admin_sql(f"CREATE DATABASE {name}")
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{name}",
        "REDIS_URL": REDIS,
        "CACHE_KEY_PREFIX": name,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "ERROR",
    }

    def manage(*args):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    try:
        manage("migrate", "--noinput")
        manage("load_seed")
        manage(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; "
            "get_user_model().objects.create_superuser("
            f"'editor', 'editor@example.org', '{PASSWORD}')",
        )
        yield env
    finally:
        _admin_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def two_servers(shared_services):
    servers, bases = [], []
    try:
        for _ in range(2):
            port = _free_port()
            servers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "manage.py",
                        "runserver",
                        "--noreload",
                        "--nothreading",
                        f"127.0.0.1:{port}",
                    ],
                    cwd=ROOT,
                    env=shared_services,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base in bases:
            _wait_until_up(base)
        yield bases
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def _wait_until_up(base):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{base} did not start")


def _reader_get(base, path="/"):
    with urllib.request.urlopen(f"{base}{path}", timeout=30) as response:
        return response.read().decode()


def _csrf(opener, url):
    with opener.open(url, timeout=30) as response:
        html = response.read().decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _editor_unpublishes(base, event_pk):
    """Sign in to the admin of ``base`` and unpublish one event, as an editor would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login = f"{base}/admin/login/"
    token = _csrf(opener, login)
    form = {
        "username": "editor",
        "password": PASSWORD,
        "csrfmiddlewaretoken": token,
        "next": "/admin/",
    }
    opener.open(login, urllib.parse.urlencode(form).encode(), timeout=30).read()
    changelist = f"{base}/admin/crisis/event/"
    token = _csrf(opener, changelist)
    form = {
        "action": "unpublish_selected",
        "_selected_action": str(event_pk),
        "csrfmiddlewaretoken": token,
    }
    with opener.open(
        changelist, urllib.parse.urlencode(form).encode(), timeout=30
    ) as response:
        assert response.status == 200


def _first_event(html):
    """The pk and title of the first card on a timeline page."""
    match = re.search(r'<h3 id="event-(\d+)"><a href="[^"]+">([^<]+)</a>', html)
    return int(match.group(1)), match.group(2)


def test_an_edit_through_one_server_shows_through_the_other(two_servers):
    one, other = two_servers
    page = _reader_get(other)
    pk, title = _first_event(page)
    assert _reader_get(other) == page  # the other server has it cached now
    assert title in _reader_get(one)

    _editor_unpublishes(one, pk)

    assert title not in _reader_get(one)
    assert title not in _reader_get(other)
