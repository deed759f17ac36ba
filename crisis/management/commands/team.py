from django.core.management.base import BaseCommand, CommandError

from crisis.people import (
    PeopleError,
    team_add_members,
    team_delete,
    team_remove_members,
    teams_with_members,
)


class Command(BaseCommand):
    help = (
        "Teams of analysts, who share annotations with their teams: "
        'team add "Kyiv desk" alice bob | team remove "Kyiv desk" bob | '
        'team delete "Kyiv desk" | team list'
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="add users, creating the team if needed")
        remove = actions.add_parser("remove", help="take users out of a team")
        for action in (add, remove):
            action.add_argument("name", help="the team's name, quoted if it has spaces")
            action.add_argument("usernames", nargs="+", metavar="username")
        delete = actions.add_parser("delete", help="delete a team (not its members)")
        delete.add_argument("name")
        actions.add_parser("list", help="every team and its members")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except PeopleError as error:
            raise CommandError(str(error)) from error

    def handle_add(self, *, name, usernames, **options):
        team, created = team_add_members(name=name, usernames=usernames)
        verb = "Created team" if created else "Team"
        self.stdout.write(f"{verb} {team.name!r}: added {', '.join(usernames)}.")

    def handle_remove(self, *, name, usernames, **options):
        team = team_remove_members(name=name, usernames=usernames)
        self.stdout.write(f"Team {team.name!r}: removed {', '.join(usernames)}.")

    def handle_delete(self, *, name, **options):
        team_delete(name=name)
        self.stdout.write(f"Deleted team {name!r}; its members keep their accounts.")

    def handle_list(self, **options):
        teams = teams_with_members()
        if not teams:
            self.stdout.write('No teams yet: `manage.py team add "NAME" USERNAME…`')
        for name, members in teams:
            self.stdout.write(f"{name}: {', '.join(members) or '(no members)'}")
