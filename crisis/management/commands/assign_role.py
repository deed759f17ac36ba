from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from crisis.roles import ROLES, assign_role


class Command(BaseCommand):
    help = (
        "Give a user one editorial role (Editor, Analyst or Viewer). Editors and "
        "analysts get staff status so they can sign in to the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=list(ROLES))

    def handle(self, *args, username, role, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist as error:
            raise CommandError(
                f"No user {username!r}. Create one first with createsuperuser or the "
                "admin's Users page."
            ) from error
        assign_role(user, role)
        self.stdout.write(f"{username} is now {role}.")
