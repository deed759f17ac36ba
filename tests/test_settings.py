"""Production settings: hardened, refusing to start half-configured, check --deploy clean."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LONG_SECRET = "x7Qp-2vLr9_Tz4mKc8WnB3yHd6FgJs1AeU5oRiXt0VbNlMqZwYkCjPhDuSaEfG"


# Settings of this test run that a deployment would not have (the browser fixture sets
# DJANGO_ALLOW_ASYNC_UNSAFE for Playwright).
NOT_INHERITED = {
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "DJANGO_ENV",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def manage(*args, env_overrides):
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": LONG_SECRET,
    "ALLOWED_HOSTS": "timeline.example.org",
}


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", env_overrides={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", env_overrides={**PRODUCTION, "ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_production_settings_take_hosts_and_origins_from_the_environment():
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.SECURE_SSL_REDIRECT,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS,"
        " s.SECURE_PROXY_SSL_HEADER, s.STORAGES['staticfiles']['BACKEND'])"
    )
    result = manage(
        "shell",
        "-c",
        code,
        env_overrides={
            **PRODUCTION,
            "ALLOWED_HOSTS": "a.example.org,b.example.org",
            "CSRF_TRUSTED_ORIGINS": "https://a.example.org",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "False ['a.example.org', 'b.example.org'] ['https://a.example.org'] True True "
        "True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') "
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


@pytest.mark.django_db
def test_base_page_turns_off_htmx_inline_indicator_styles(client):
    html = client.get("/").content.decode()
    # htmx reads only the first htmx-config meta: there must be exactly one.
    (config,) = re.findall(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert json.loads(config)["includeIndicatorStyles"] is False


@pytest.mark.django_db
def test_postgresql_connections_compile_no_query_just_in_time():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.django_db
def test_postgresql_connections_have_the_memory_for_exact_bitmaps():
    """PG_WORK_MEM (32MB unless set): PostgreSQL's own 4MB made a broad search's
    bitmap lossy at 1,000,000 events."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setting::bigint * 1024, source FROM pg_settings "
            "WHERE name = 'work_mem'"
        )
        size, source = cursor.fetchone()
    assert source == "client"  # set by the connection, not the server's default
    assert size >= 16 * 1024 * 1024


def test_a_work_mem_that_is_no_size_refuses_to_start():
    result = manage(
        "check",
        env_overrides={
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
            "PG_WORK_MEM": "32MB -c statement_timeout=1",
        },
    )
    assert result.returncode != 0
    assert "PG_WORK_MEM must be a size" in result.stderr
