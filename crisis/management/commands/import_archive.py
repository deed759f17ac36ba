import sys

from django.core.management.base import BaseCommand, CommandError

from crisis.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty, migrated database. "
        "The whole file is checked first (its signature too); what the restore would "
        "change in users' privileges is shown and must be confirmed; nothing is written "
        "unless all of it loads."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to restore (JSON).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace all facts, history, users and groups already in the database.",
        )
        parser.add_argument(
            "--allow-unsigned",
            action="store_true",
            help="Accept an archive without a signature (one you trust by other means).",
        )
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm the privilege changes without asking.",
        )

    def handle(self, *args, file, force, allow_unsigned, yes, **options):
        def confirm(changes):
            self.stdout.write("This restore changes users' privileges:")
            for line in changes:
                self.stdout.write(f"  {line}")
            if yes:
                return True
            if not sys.stdin.isatty():
                self.stdout.write("Not confirmed: run it in a terminal, or pass --yes.")
                return False
            return input("Go ahead? [y/N] ").strip().lower() in {"y", "yes"}

        try:
            report = import_archive(
                file, replace=force, allow_unsigned=allow_unsigned, confirm=confirm
            )
        except ArchiveError as error:
            raise CommandError(
                f"Archive refused, nothing was written: {error}"
            ) from error
        for line in report.lines():
            self.stdout.write(line)
