"""Slow clients cannot starve `make serve`: gunicorn as gunicorn.conf.py configures it."""

import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SLOW_CLIENTS = 6

pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


PORT = free_port()


def healthz_status(timeout):
    url = f"http://127.0.0.1:{PORT}/healthz"
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status


@pytest.fixture
def serve(tmp_path):
    """Two workers with the configured threads (sync workers: two connections)."""
    yield from start_gunicorn(tmp_path, WEB_CONCURRENCY="2")


@pytest.fixture
def quick_deadline(tmp_path):
    yield from start_gunicorn(
        tmp_path, WEB_CONCURRENCY="1", GUNICORN_HEADER_TIMEOUT="2"
    )


def start_gunicorn(tmp_path, **settings):
    database = tmp_path / "serve.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute(
            "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name, applied)"
        )
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "PORT": str(PORT),
        **settings,
    }
    env.pop("GUNICORN_THREADS", None)
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "crisis.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            if healthz_status(timeout=2) == 200:
                break
        except OSError:
            pass
        assert server.poll() is None, f"gunicorn exited (port {PORT} taken?)"
        assert time.monotonic() < deadline, "gunicorn did not come up"
        time.sleep(0.2)
    yield
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def test_healthz_answers_while_clients_send_their_headers_very_slowly(serve):
    """Six connections dribble a header byte every half second (a slowloris, bounded)."""
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40
    slow = [socket.create_connection(("127.0.0.1", PORT)) for _ in range(SLOW_CLIENTS)]
    try:
        answered = []
        for position in range(12):
            for connection in slow:
                connection.sendall(request[position : position + 1])
            if position % 3 == 2:
                started = time.monotonic()
                assert healthz_status(timeout=5) == 200
                answered.append(time.monotonic() - started)
            time.sleep(0.5)
    finally:
        for connection in slow:
            connection.close()
    assert max(answered) < 2, answered


def test_a_client_dribbling_its_headers_is_cut_off_at_the_deadline(quick_deadline):
    request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40
    with socket.create_connection(("127.0.0.1", PORT)) as slow:
        slow.settimeout(0.2)
        started = time.monotonic()
        closed_after = None
        for byte in request:
            try:
                slow.sendall(bytes([byte]))
                if slow.recv(1024) == b"":
                    closed_after = time.monotonic() - started
                    break
            except TimeoutError:
                pass
            except OSError:
                closed_after = time.monotonic() - started
                break
            time.sleep(0.3)
    assert closed_after is not None, "still open after every byte"
    assert 1.5 < closed_after < 5
