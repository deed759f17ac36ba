"""Setting up people from the command line: accounts with a role, and teams.

A team is any Django group other than the role groups (``crisis/roles.py``); analysts
share annotations with their teams. ``manage.py assign_role`` and ``manage.py team``
call these.
"""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from crisis.roles import ROLES, assign_role


class PeopleError(ValueError):
    """A request the command line refuses, with what to do instead."""


def _users_by_name(usernames):
    User = get_user_model()
    found = {
        getattr(user, User.USERNAME_FIELD): user
        for user in User.objects.filter(**{f"{User.USERNAME_FIELD}__in": usernames})
    }
    missing = [name for name in usernames if name not in found]
    if missing:
        raise PeopleError(
            f"No user {', '.join(map(repr, missing))}: create each first with "
            "`manage.py assign_role USERNAME ROLE`."
        )
    return [found[name] for name in usernames]


@transaction.atomic
def user_assign_role(*, username, role, email="", password=None):
    """Give ``username`` the role, creating the account if there is none.

    Returns ``(user, generated_password)``: a new account without a ``password`` gets a
    random one, returned once so the caller can pass it on; otherwise it is None.
    An existing account keeps its password unless one is given.
    """
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: username}).first()
    generated = None
    if user is None:
        user = User(**{User.USERNAME_FIELD: username}, email=email)
        if password is None:
            password = generated = secrets.token_urlsafe(12)
    elif email:
        user.email = email
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise PeopleError(" ".join(error.messages)) from error
        user.set_password(password)
    user.save()
    assign_role(user, role)
    return user, generated


def _team(name):
    name = " ".join(name.split())
    if not name:
        raise PeopleError("A team needs a name.")
    if name in ROLES:
        raise PeopleError(
            f"{name!r} is a role, not a team: give roles with `manage.py assign_role`."
        )
    return name


@transaction.atomic
def team_add_members(*, name, usernames):
    """Add the users to the team, creating the team if there is none."""
    users = _users_by_name(usernames)
    team, created = Group.objects.get_or_create(name=_team(name))
    team.user_set.add(*users)
    return team, created


@transaction.atomic
def team_remove_members(*, name, usernames):
    """Take the users out of the team; the team itself stays."""
    team = Group.objects.filter(name=_team(name)).first()
    if team is None:
        raise PeopleError(f"No team {name!r}: `manage.py team list` shows the teams.")
    team.user_set.remove(*_users_by_name(usernames))
    return team


@transaction.atomic
def team_delete(*, name):
    """Delete the team; its members keep their accounts, and the notes they shared with
    it become their authors' own (``Annotation.team`` is set to null)."""
    deleted, _ = Group.objects.filter(name=_team(name)).delete()
    if not deleted:
        raise PeopleError(f"No team {name!r}: `manage.py team list` shows the teams.")


def teams_with_members():
    """Every team with its members' user names, by name."""
    User = get_user_model()
    return [
        (team.name, sorted(getattr(user, User.USERNAME_FIELD) for user in team.members))
        for team in Group.objects.exclude(name__in=ROLES)
        .order_by("name")
        .prefetch_related(Prefetch("user_set", to_attr="members"))
    ]
