from django.core.management.base import BaseCommand, CommandError

from crisis.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty, migrated database. "
        "The whole file is checked first; nothing is written unless all of it loads."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to restore (JSON).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace all facts, history, users and groups already in the database.",
        )

    def handle(self, *args, file, force, **options):
        try:
            report = import_archive(file, replace=force)
        except ArchiveError as error:
            raise CommandError(
                f"Archive refused, nothing was written: {error}"
            ) from error
        for line in report.lines():
            self.stdout.write(line)
