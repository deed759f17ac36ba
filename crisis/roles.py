"""The editorial roles, defined once: each Django group and the permissions it holds.

``sync_roles()`` runs after every ``migrate`` (see ``CrisisConfig.ready``), so the groups
exist and match this module on every database; re-running it changes nothing.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITOR = "Editor"
ANALYST = "Analyst"
VIEWER = "Viewer"

# The facts editors maintain; every one of them keeps its full history.
FACT_MODELS = ("event", "actor", "quote", "source", "citation", "eventactor", "tag")
# Stories (the stories app) are told by editors from those facts, with history too.
STORY_MODELS = ("story", "storystep")
ROLE_APPS = ("crisis", "stories", "annotations")

EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in (*FACT_MODELS, *STORY_MODELS)
    for action in ("add", "change", "delete", "view")
] + ["publish_event", "publish_quote"]

# Analysts read every fact and annotate; they never change facts.
ANNOTATION_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("annotation", "annotationtag")
    for action in ("add", "change", "delete", "view")
]

ANALYST_PERMISSIONS = [
    *(f"view_{model}" for model in (*FACT_MODELS, *STORY_MODELS)),
    *ANNOTATION_PERMISSIONS,
]

ROLES = {
    EDITOR: EDITOR_PERMISSIONS,
    ANALYST: ANALYST_PERMISSIONS,
    # Viewers read the public pages only: signed in, no admin access, no permissions.
    VIEWER: [],
}

# Roles whose members work in the admin and so need Django's "staff status".
STAFF_ROLES = {EDITOR, ANALYST}


class UnknownRole(ValueError):
    pass


@transaction.atomic
def sync_roles():
    """Create or update every group so it holds exactly the permissions listed above."""
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=ROLE_APPS, codename__in=codenames
            )
        )


@transaction.atomic
def assign_role(user, role):
    """Put ``user`` in exactly one role group, with staff status when the role needs it."""
    if role not in ROLES:
        raise UnknownRole(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    sync_roles()
    user.groups.remove(*Group.objects.filter(name__in=ROLES))
    user.groups.add(Group.objects.get(name=role))
    user.is_staff = role in STAFF_ROLES or user.is_superuser
    user.save(update_fields=["is_staff"])
    return user
