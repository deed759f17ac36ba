from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from crisis.seed import SeedError, load_seed_files
from stories.seed import load_seed_stories


class Command(BaseCommand):
    help = (
        "Load the seed files (seeds/*.yaml) idempotently: creates what is missing, refreshes "
        "what only the loader wrote, and never overwrites a record an editor has changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files", nargs="*", help="Seed YAML files (default: every seeds/*.yaml)."
        )

    def handle(self, *args, files, **options):
        paths = [Path(name) for name in files] or sorted(
            Path(settings.SEED_DIR).glob("*.yaml")
        )
        if not paths:
            raise CommandError(f"No seed files found in {settings.SEED_DIR}.")
        try:
            # Stories tell the events: loaded after them, all or nothing with them.
            with transaction.atomic():
                report = load_seed_files(paths)
                load_seed_stories(paths, report)
        except SeedError as error:
            raise CommandError(
                f"Seed data rejected, nothing was written:\n{error}"
            ) from error
        for line in report.lines():
            self.stdout.write(line)
