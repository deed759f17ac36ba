"""Setting up people from the command line, exactly as the README says."""

import io
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from annotations.models import Annotation, Visibility
from crisis.roles import ANALYST, EDITOR
from tests.factories import make_analyst, make_annotation, make_team, make_user

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"
PREFIX = ".venv/bin/python manage.py "


def readme_commands(heading):
    """The manage.py commands of the first shell block under the README's heading."""
    section = README.read_text().split(f"\n## {heading}\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    lines = [line for line in block.splitlines() if line.strip()]
    assert all(line.startswith(PREFIX) for line in lines), lines
    return [shlex.split(line[len(PREFIX) :], comments=True) for line in lines]


def run(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out)
    return out.getvalue()


def roles_of(username):
    user = get_user_model().objects.get(username=username)
    return user, set(user.groups.values_list("name", flat=True))


def test_readme_gives_an_editor_an_analyst_and_a_team_in_three_commands():
    commands = readme_commands("Editing: roles, workflow and history")
    assert len(commands) == 3
    outputs = [run(*command) for command in commands]
    editor, editor_groups = roles_of(commands[0][1])
    analyst, analyst_groups = roles_of(commands[1][1])
    assert (editor_groups, editor.is_staff) == ({EDITOR}, True)
    team = Group.objects.get(name=commands[2][2])
    assert (analyst_groups, analyst.is_staff) == ({ANALYST, team.name}, True)
    # Each new account's password is printed once, and it works.
    password = re.search(r"with the password (\S+)", outputs[1]).group(1)
    assert analyst.check_password(password)


def test_readme_team_commands_work_as_written():
    make_analyst("alice")
    make_analyst("bob")
    outputs = [
        run(*command)
        for command in readme_commands("Annotating: analysts and their teams")
    ]
    assert "Kyiv desk: alice, bob" in outputs[1]
    assert not Group.objects.filter(name="Kyiv desk").exists()


def test_assign_role_creates_a_missing_user_with_a_generated_password():
    out = run("assign_role", "newcomer", "Analyst", "--email", "n@example.org")
    user, groups = roles_of("newcomer")
    assert groups == {ANALYST} and user.email == "n@example.org"
    password = re.search(r"with the password (\S+)", out).group(1)
    assert len(password) >= 16 and user.check_password(password)


def test_assign_role_reads_a_password_from_stdin(monkeypatch):
    out = run(
        "assign_role",
        "erin",
        "Editor",
        "--password-stdin",
        stdin="correct horse battery staple\n",
        monkeypatch=monkeypatch,
    )
    user, _ = roles_of("erin")
    assert user.check_password("correct horse battery staple")
    assert "password" not in out


def test_assign_role_refuses_a_weak_password_and_creates_nothing(monkeypatch):
    with pytest.raises(CommandError, match="too common|too short"):
        run(
            "assign_role",
            "erin",
            "Editor",
            "--password-stdin",
            stdin="password\n",
            monkeypatch=monkeypatch,
        )
    assert not get_user_model().objects.filter(username="erin").exists()


def test_assign_role_keeps_an_existing_users_password():
    user = make_user(username="vera")
    hashed = user.password
    out = run("assign_role", "vera", "Editor")
    user.refresh_from_db()
    assert user.password == hashed and "password" not in out


def test_team_add_names_unknown_users_and_changes_nothing():
    make_analyst("alice")
    with pytest.raises(CommandError, match="No user 'ghost'"):
        run("team", "add", "Kyiv desk", "alice", "ghost")
    assert not Group.objects.filter(name="Kyiv desk").exists()


def test_a_role_is_not_a_team():
    make_analyst("alice")
    with pytest.raises(CommandError, match="is a role, not a team"):
        run("team", "add", "Analyst", "alice")


def test_removing_from_a_missing_team_says_how_to_list_them():
    make_analyst("alice")
    with pytest.raises(CommandError, match="team list"):
        run("team", "remove", "Nope", "alice")


def test_deleting_a_team_leaves_its_notes_to_their_authors():
    team = make_team("Kyiv desk")
    author = make_analyst("alice", teams=[team])
    teammate = make_analyst("bob", teams=[team])
    make_annotation(author=author, visibility=Visibility.TEAM, team=team)
    assert Annotation.objects.visible_to(teammate).count() == 1
    run("team", "delete", "Kyiv desk")
    assert Annotation.objects.visible_to(teammate).count() == 0
    assert Annotation.objects.visible_to(author).count() == 1
