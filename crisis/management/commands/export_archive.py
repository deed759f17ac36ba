from django.core.management.base import BaseCommand

from crisis.archive import export_archive


class Command(BaseCommand):
    help = (
        "Write a versioned, checksummed JSON archive of all facts, their history, users "
        "and groups to FILE (restore it with import_archive)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the archive (JSON).")

    def handle(self, *args, file, **options):
        counts = export_archive(file)
        self.stdout.write(f"Wrote {sum(counts.values())} records to {file}.")
