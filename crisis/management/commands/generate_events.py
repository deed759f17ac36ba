import resource
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devdata.events import clear_generated, generate, stderr_progress


class Command(BaseCommand):
    help = (
        "Generate synthetic, deterministic events (with actors, sources, quotes, "
        "citations, and annotations by generated analysts) for load tests. Generated "
        "rows have slugs (analysts: usernames) starting with 'gen-'; --clear removes "
        "them and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=0, help="How many events.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed.")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete previously generated data first (alone: only delete).",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar on stderr."
        )

    def handle(self, *args, events, seed, clear, no_progress, **options):
        if events < 0:
            raise CommandError("--events must be positive.")
        if not events and not clear:
            raise CommandError("Give --events N, --clear, or both.")
        if clear:
            deleted = clear_generated()
            self.stdout.write(
                "cleared generated data: "
                + ", ".join(f"{count} {label}" for label, count in deleted.items())
            )
        if not events:
            return
        started = time.perf_counter()
        progress = None if no_progress else stderr_progress
        try:
            result = generate(
                events=events, seed=seed, **({"progress": progress} if progress else {})
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        # Fresh planner statistics, so the new volume gets index plans straight away;
        # on PostgreSQL also the visibility map, without which no index-only scan is
        # possible until autovacuum comes by (the density strip took 5x longer).
        # VACUUM cannot run in a transaction, such as a test's.
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
        elapsed = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"generated {result.events} events, {result.actors} actors, "
            f"{result.sources} sources, {result.quotes} quotes, "
            f"{result.citations} citations, {result.event_actors} actor links, "
            f"{result.annotations} annotations by {result.analysts} analysts "
            f"in {elapsed:.1f} s (peak memory {peak_mb:.0f} MB)"
        )
