"""A busy database: SQLite writers wait their turn, a refused form keeps its input, and
/healthz reads a real table."""

import os
import re
import sqlite3
import subprocess
import sys
import time
from html import unescape
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError, connection

from annotations.models import Annotation
from tests.factories import make_analyst, make_event

ROOT = Path(settings.BASE_DIR)

# Reads a counter, dawdles, writes it back plus one: without serialised writers the
# second transaction either fails ("database is locked") or loses the first's update.
WRITER = """
import time, django
django.setup()
from django.db import connection, transaction
time.sleep(max(0, {start} - time.time()))
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter WHERE id = 1")
        n = cursor.fetchone()[0]
        time.sleep(0.5)
        cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
print("saved")
"""


# The first connection to a new file turns WAL on, as `migrate` does before any server
# starts; switching the journal mode needs the file to itself.
FIRST_CONNECTION = """
import django
django.setup()
from django.db import connection
connection.ensure_connection()
"""


def sqlite_environment(path):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crisis.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": f"sqlite:///{path}",
        "PYTHONPATH": str(ROOT),
    }


def test_two_sqlite_writers_at_once_both_land(tmp_path):
    """Two processes write the same row in overlapping transactions on a file database."""
    database = tmp_path / "busy.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER)")
        setup.execute("INSERT INTO counter VALUES (1, 0)")
    subprocess.run(
        [sys.executable, "-c", FIRST_CONNECTION],
        cwd=ROOT,
        env=sqlite_environment(database),
        check=True,
        timeout=60,
    )
    start = time.time() + 4
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER.format(start=start)],
            cwd=ROOT,
            env=sqlite_environment(database),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [writer.communicate(timeout=60) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "saved"
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT n FROM counter").fetchone() == (2,)
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.django_db
def test_a_form_refused_by_a_busy_database_comes_back_with_its_input(client):
    """The 503 page holds the posted fields; sending them again saves the note."""
    analyst = make_analyst("ana")
    client.force_login(analyst)
    event = make_event()
    posted = {
        "target": f"event:{event.pk}",
        "body": "Two columns moved north <b>overnight</b>.\nSecond line.",
        "body_format": "plain",
        "confidence": "high",
        "source_reliability": "B",
        "information_credibility": "2",
        "share_with": "private",
        "tag_names": "troops, alert",
    }
    with mock.patch.object(
        Annotation, "save", side_effect=OperationalError("database is locked")
    ):
        refused = client.post("/annotations/new/", posted)
    assert refused.status_code == 503
    assert refused["Retry-After"]
    assert "no-store" in refused["Cache-Control"]
    html = refused.content.decode()
    assert "Send it again" in html
    assert not Annotation.objects.exists()
    form = html.split('<form method="post" action="', 1)[1].split("</form>", 1)[0]
    assert form.startswith("/annotations/new/")
    kept = {
        unescape(name): unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]*)" value="([^"]*)">', form
        )
    }
    assert {name: kept[name] for name in posted} == posted
    assert client.post("/annotations/new/", kept).status_code in (200, 302)
    assert Annotation.objects.get().body == posted["body"]


@pytest.mark.django_db
def test_a_refused_sign_in_does_not_write_the_password_into_the_page(client):
    with mock.patch(
        "django.contrib.auth.forms.authenticate",
        side_effect=OperationalError("database is locked"),
    ):
        refused = client.post(
            "/accounts/login/", {"username": "ana", "password": "hunter2-secret"}
        )
    assert refused.status_code == 503
    html = refused.content.decode()
    assert 'value="ana"' in html
    assert "hunter2-secret" not in html


@pytest.mark.django_db
def test_healthz_reads_a_real_table(client):
    """SELECT 1 answers without any table; a missing or unreadable one must be a 503."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_migrations RENAME TO django_migrations_away")
    try:
        response = client.get("/healthz")
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE django_migrations_away RENAME TO django_migrations"
                )
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down"}


HEALTH = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
print("status", Client().get("/healthz").status_code, flush=True)
"""


def test_healthz_is_503_while_the_sqlite_file_is_locked(tmp_path):
    """A worker that cannot get at the file within SQLITE_TIMEOUT reports it down."""
    database = tmp_path / "locked.sqlite3"
    with sqlite3.connect(database) as setup:
        setup.execute(
            "CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name, applied)"
        )
    locker = sqlite3.connect(database, isolation_level=None)
    locker.execute("PRAGMA locking_mode=EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("INSERT INTO django_migrations (app, name) VALUES ('x', 'y')")
    try:
        checked = subprocess.run(
            [sys.executable, "-c", HEALTH],
            cwd=ROOT,
            env={**sqlite_environment(database), "SQLITE_TIMEOUT": "1"},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        locker.rollback()
        locker.close()
    statuses = [
        line for line in checked.stdout.splitlines() if line.startswith("status")
    ]
    assert statuses == ["status 503"], checked.stderr
