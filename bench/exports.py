"""Time every export of every event at 1,000 / 10,000 / 100,000 events.

    make bench-exports                                  # SQLite, all three sizes
    .venv/bin/python bench/exports.py --sizes 10000 --reuse

For each size a database is built as bench/run.py builds it (migrate, load_seed,
generate_events --seed 1; ``--reuse`` keeps one already built), then each format is
downloaded in a fresh process through Django's test client, all published events, with
the size limits lifted: total time, time to the first piece, the process's peak RSS
above what it held before the request, and the bytes sent. Events per second at the
largest size set each format's limit (``crisis.reading.exports.FORMATS``). Writes the "Exports"
section of bench/results.md.
"""

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from results_file import write_section
from run import build, database_url, label

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- exports:start -->", "<!-- exports:end -->"
FORMATS = ("csv", "json", "timelinejs", "ics")


def rss_mb():
    """The process's resident memory now, in MB (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRSS(threading.Thread):
    """The highest resident memory seen while it runs, sampled every 5 ms."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = rss_mb()
        self.running = True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.005)

    def stop(self):
        self.running = False
        self.join()
        return max(self.peak, rss_mb())


def measure(name):
    """Download one format in this process; print what it cost as JSON."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisis.settings")
    import dataclasses

    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from crisis.models import Event
    from crisis.reading import exports

    export = exports.FORMATS[name]
    count = Event.objects.published().count()
    # The limits are what this measures: lift them, and say what a reader would get.
    exports.FORMATS[name] = dataclasses.replace(export, events_per_second=None)
    url = reverse(export.url_name)
    client = Client()
    b"".join(client.get(url, {"to": "1900-01-01"}).streaming_content)  # warm up
    before = rss_mb()
    sampler = PeakRSS()
    sampler.start()
    started = time.perf_counter()
    response = client.get(url)
    pieces = iter(response.streaming_content)
    size = len(next(pieces))
    first_byte = time.perf_counter() - started
    for piece in pieces:
        size += len(piece)
    seconds = time.perf_counter() - started
    peak = sampler.stop()
    written = min(count, export.cap or count)
    print(
        json.dumps(
            {
                "format": export.label,
                "status": response.status_code,
                "events": written,
                "seconds": seconds,
                "first_byte_ms": first_byte * 1000,
                "peak_rss_growth_mb": peak - before,
                "bytes": size,
                "events_per_second": written / seconds,
                "served": "refused (400)" if export.refusal(count) else "streamed",
                "max_events": export.max_events,
                "cap": export.cap,
            }
        )
    )


def section(results, sizes):
    lines = [
        START,
        "## Exports",
        "",
        "Written by `make bench-exports` (bench/exports.py) on SQLite: every published "
        "event downloaded through Django's test client in a fresh process, size limits "
        "lifted. *First byte*: until the first piece of the streamed file; *peak RSS "
        "growth*: the process's peak resident memory above what it held before the "
        "request. TimelineJS holds at most its first "
        f"{max(row['cap'] or 0 for row in results):,} events. *At this size*: what a reader asking for every "
        "event gets (a file, or a 400 asking for narrower filters).",
        "",
        "| events | format | written | seconds | first byte (ms) | peak RSS growth "
        "(MB) | size (MB) | events/s | at this size |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results:
        lines.append(
            f"| {label(row['size'])} | {row['format']} | {row['events']:,} "
            f"| {row['seconds']:.2f} | {row['first_byte_ms']:.0f} "
            f"| {row['peak_rss_growth_mb']:.1f} | {row['bytes'] / 2**20:.1f} "
            f"| {row['events_per_second']:,.0f} | {row['served']} |"
        )
    largest = [row for row in results if row["size"] == max(sizes)]
    lines += [
        "",
        f"Limits (`crisis/reading/exports.py`, events written in `EXPORT_SECONDS`) against the "
        f"rate measured at {label(max(sizes))}:",
        "",
    ]
    for row in largest:
        if row["max_events"] is None:
            lines.append(f"- {row['format']}: capped at {row['cap']} events")
            continue
        lines.append(
            f"- {row['format']}: refused above {row['max_events']:,} events; "
            f"{row['max_events'] / row['events_per_second']:.1f} s at the measured rate"
        )
    lines += ["", END]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000,100000")
    )
    parser.add_argument("--reuse", action="store_true", help="keep built databases")
    parser.add_argument("--measure", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure)
        return
    sizes = sorted(int(size) for size in args.sizes.split(",") if size.strip())
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DATABASE_URL", "REDIS_URL"}
        },
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore",
    }
    results = []
    for size in sizes:
        url = database_url("sqlite", size, "")
        env["DATABASE_URL"] = url
        if not (args.reuse and Path(url.removeprefix("sqlite:///")).exists()):
            print(f"==> building {size:,} events", flush=True)
            build("sqlite", size, env, "")
        for name in FORMATS:
            output = subprocess.run(
                [sys.executable, __file__, "--measure", name],
                cwd=ROOT,
                env=env,
                check=True,
                text=True,
                stdout=subprocess.PIPE,
            ).stdout
            row = {"size": size, **json.loads(output.strip().splitlines()[-1])}
            print(
                f"{label(size):>5} {row['format']:<10} {row['seconds']:7.2f} s  "
                f"first byte {row['first_byte_ms']:6.0f} ms  "
                f"peak +{row['peak_rss_growth_mb']:5.1f} MB  "
                f"{row['bytes'] / 2**20:6.1f} MB  "
                f"{row['events_per_second']:8,.0f}/s  {row['served']}",
                flush=True,
            )
            results.append(row)
    write_section(section(results, sizes), START, END)


if __name__ == "__main__":
    main()
