import sys

from django.core.management.base import BaseCommand, CommandError

from crisis.people import PeopleError, user_assign_role
from crisis.roles import ROLES


class Command(BaseCommand):
    help = (
        "Give a user one editorial role (Editor, Analyst or Viewer), creating the "
        "account if there is none. Editors and analysts get staff status so they can "
        "sign in to the admin. A new account gets a random password, printed once, "
        "unless --password-stdin reads one."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=list(ROLES))
        parser.add_argument("--email", default="", help="the account's email address")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input "
            "(for a new or an existing account)",
        )

    def handle(self, *args, username, role, email, password_stdin, **options):
        password = None
        if password_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("--password-stdin read an empty line.")
        try:
            user, generated = user_assign_role(
                username=username, role=role, email=email, password=password
            )
        except PeopleError as error:
            raise CommandError(str(error)) from error
        if generated:
            self.stdout.write(
                f"Created {username} with the password {generated}\n"
                "It is shown only this once: pass it on safely; it can be changed at "
                "/accounts/password/ after signing in."
            )
        self.stdout.write(f"{username} is now {role}.")
