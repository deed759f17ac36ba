import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


@pytest.fixture
def seeded(db):
    """The real seed data, loaded through the same command `make run` uses."""
    call_command("load_seed", stdout=StringIO())


def chromium_path():
    for candidate in (os.environ.get("CHROMIUM_PATH"), *CHROMIUM_CANDIDATES):
        if candidate and os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; skips locally, fails in CI, when missing."""
    path = chromium_path()
    if path is None:
        message = "Chromium not found: install it with `apt-get install -y chromium`."
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must allow ORM calls beside it.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def role_users(db):
    """One user per role of the access table, made as `assign_role` makes them.

    "anonymous" maps to None.
    """
    from django.contrib.auth.models import User

    from crisis.roles import ANALYST, EDITOR, VIEWER, assign_role

    users = {"anonymous": None}
    for role, group_name in {
        "viewer": VIEWER,
        "analyst": ANALYST,
        "editor": EDITOR,
    }.items():
        user = User.objects.create_user(username=f"{role}-user", password=None)
        users[role] = assign_role(user, group_name)
    users["superuser"] = User.objects.create_superuser(
        username="superuser-user", password=None
    )
    return users


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache.

    Pages are retired after a commit (crisis/cache.py), and a test's transaction never
    commits: a test that changes data and asks for a page again commits the change
    inside ``django_capture_on_commit_callbacks(execute=True)``, as a request would.
    """
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sign_in_throttling_off(settings):
    """Tests sign users in freely; tests/test_throttling.py turns axes back on."""
    settings.AXES_ENABLED = False
