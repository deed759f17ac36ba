"""The production stack end to end: gunicorn + whitenoise with production settings."""

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    """gunicorn serving a freshly migrated, seeded SQLite database, as `make serve` does."""
    work = tmp_path_factory.mktemp("serve")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{work / 'serve.sqlite3'}",
        "STATIC_ROOT": str(work / "static"),
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
    }
    env.pop("DEBUG", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in (
        ["migrate", "--noinput"],
        ["createcachetable"],
        ["load_seed"],
        ["collectstatic", "--noinput"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT, env=env, check=True, capture_output=True,
        )  # fmt: skip
    log = open(work / "stdout.log", "w+")  # noqa: SIM115 - read back by the tests
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "crisis.wsgi"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if fetch(base + "/healthz")[0] == 200:
                break
        except OSError:
            pass
        assert server.poll() is None, (work / "stdout.log").read_text()
        assert time.monotonic() < deadline, "gunicorn did not come up"
        time.sleep(0.2)
    yield base, work / "stdout.log"
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)
    log.close()


HTTPS = {"X-Forwarded-Proto": "https"}


def test_plain_http_is_redirected_to_https_except_the_health_check(gunicorn):
    base, _ = gunicorn
    status, headers, _ = fetch(base + "/")
    assert status == 301
    assert headers["Location"] == "https://127.0.0.1:" + base.rsplit(":", 1)[1] + "/"
    assert fetch(base + "/healthz")[0] == 200


def test_pages_come_with_hsts_csp_and_hashed_static_files(gunicorn):
    base, _ = gunicorn
    status, headers, body = fetch(base + "/", **HTTPS)
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    html = body.decode()
    stylesheet = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert stylesheet.startswith("/static/crisis/css/site.")
    assert stylesheet != "/static/crisis/css/site.css"  # the manifest's hashed name

    status, headers, _ = fetch(
        base + stylesheet, **HTTPS, **{"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    htmx = html.split('<script src="')[1].split('"')[0]
    assert fetch(base + htmx, **HTTPS)[0] == 200


def test_errors_are_custom_pages_without_debug_detail(gunicorn):
    base, _ = gunicorn
    status, _, body = fetch(base + "/no/such/page/", **HTTPS)
    assert status == 404
    assert "There is nothing at this address" in body.decode()
    assert "URLconf" not in body.decode()


def test_requests_are_logged_to_stdout_as_json_lines(gunicorn):
    base, log = gunicorn
    fetch(base + "/events/no-such-event/", **HTTPS)
    time.sleep(0.5)
    entries = [json.loads(line) for line in log.read_text().splitlines() if line]
    assert any(
        entry.get("path") == "/events/no-such-event/" and entry.get("status") == 404
        for entry in entries
    )


@pytest.mark.browser
def test_the_served_site_runs_in_chromium_without_console_errors(gunicorn, browser):
    base, _ = gunicorn
    context = browser.new_context(extra_http_headers=HTTPS)
    try:
        page = context.new_page()
        errors = []
        page.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda exception: errors.append(str(exception)))
        assert page.goto(base + "/").status == 200
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.htmx") == "object"
        event_link = page.locator("#timeline-list a[href^='/events/']").first
        event_link.click()
        page.wait_for_load_state("load")
        assert "/events/" in page.url
        assert errors == []
    finally:
        context.close()
