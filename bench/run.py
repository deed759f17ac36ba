"""Build timelines of 1,000 / 10,000 / 100,000 events on SQLite and PostgreSQL, and of
1,000,000 (ACLED-sized) on PostgreSQL only; time them.

    make bench                      # all sizes, both databases (about an hour)
    make bench BENCH_SIZES=1000 BENCH_LARGE=   # smoke run
    bench/run.py --reuse ...        # databases and measurements in bench/.work are kept
    bench/run.py --build-only ...   # build the databases now, measure later with --reuse

Each database is built from scratch (migrate, load_seed, generate_events --seed 1), then
bench/measure.py times the pages through Django's test client and a real gunicorn server,
plus the selectors behind them. Prints a table and writes bench/results.md.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
PYTHON = sys.executable
TARGET_MS = 50
TARGET_QUERIES = 10
TARGET_HTML_BYTES = 60_000
TARGET_GROWTH = 2
# At the PostgreSQL-only large size: every page, warm or not, p95 under this.
TARGET_LARGE_P95_MS = 100
# Full timeline pages: under 60 kB each; besides htmx only our own small scripts (the axis
# brush, the request-error notice).
TIMELINE_PAGES = ("timeline /", "text search", "actor + date range")
OWN_SCRIPTS = ("htmx-2.min.js", "crisis/js/site.")
# Sections of results.md written by the other bench scripts (bench/results_file.py).
OTHER_SECTIONS = re.compile(r"<!-- (\w+):start -->.*?<!-- \1:end -->", re.DOTALL)


AFTER_MIGRATING = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('VACUUM ANALYZE' if connection.vendor == 'postgresql' "
    "else 'ANALYZE')"
)


def label(size):
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def run(args, env, capture=True):
    return subprocess.run(
        [PYTHON, *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    ).stdout


def postgres_admin(url, *statements):
    import psycopg

    with psycopg.connect(f"{url}/postgres", autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def database_url(vendor, size, postgres_url):
    if vendor == "sqlite":
        return f"sqlite:///{WORK / f'bench_{label(size)}.sqlite3'}"
    return f"{postgres_url}/bench_{label(size)}"


def build(vendor, size, env, postgres_url):
    name = f"bench_{label(size)}"
    if vendor == "sqlite":
        WORK.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            (WORK / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)
    else:
        postgres_admin(
            postgres_url,
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            f"CREATE DATABASE {name}",
        )
    run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
    run(["manage.py", "load_seed"], env)
    started = time.perf_counter()
    output = run(
        ["manage.py", "generate_events", "--events", str(size), "--seed", "1"],
        env,
    )
    seconds = time.perf_counter() - started
    peak = re.search(r"peak memory (\d+) MB", output)
    return {
        "seconds": round(seconds, 1),
        "peak_mb": int(peak.group(1)) if peak else None,
    }


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration):
        ram = "unknown"
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": platform.system(),
        "Python": platform.python_version(),
    }


def cpu_probe():
    """How long a fixed pure-Python loop takes here, median of five, in ms: the speed of
    this machine at the time, so that two reports can be compared (on a shared host it
    changes from one minute to the next)."""
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number * number % 7
        samples.append((time.perf_counter() - started) * 1000)
    return f"{sorted(samples)[2]:.0f} ms"


def versions(env):
    code = (
        "import django, sqlite3, gunicorn;"
        "print(django.get_version(), sqlite3.sqlite_version, gunicorn.__version__)"
    )
    django_version, sqlite_version, gunicorn_version = run(["-c", code], env).split()
    return {
        "Django": django_version,
        "SQLite": sqlite_version,
        "gunicorn": gunicorn_version,
    }


def postgres_version(postgres_url):
    import psycopg

    with psycopg.connect(f"{postgres_url}/postgres") as conn:
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]


def http_row(row):
    if row.get("missing"):
        return f"| {row['label']} | missing (404 on this branch) | | |"
    return (
        f"| {row['label']} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} "
        f"| {row.get('bytes', 0):,} |"
    )


def client_row(row):
    if row.get("missing"):
        return f"| {row['label']} | missing (404 on this branch) | | | | | |"
    return (
        f"| {row['label']} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} "
        f"| {row['queries']} | {row['edit_median_ms']:.1f} "
        f"| {row['edit_queries']} | {row['bytes']:,} |"
    )


def uncached_row(row):
    verdict = "met" if row["p95_ms"] < row["target_p95_ms"] else "MISSED"
    return (
        f"| {row['label']} | {row['requests']} | {row['median_ms']:.1f} "
        f"| {row['p95_ms']:.1f} | {row['target_p95_ms']} ({verdict}) "
        f"| {row['queries']} | {row['bytes']:,} "
        f"| {', '.join(map(str, row['statuses']))} |"
    )


def selector_row(row):
    size = f"{row['bytes']:,}" if "bytes" in row else ""
    return (
        f"| {row['label']} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} "
        f"| {row['queries']} | {size} |"
    )


def report(results, builds, info, sizes, vendors, large_sizes=()):
    lines = ["# Benchmark results", ""]
    lines.append(
        "Written by `make bench` (bench/run.py). Times in milliseconds over "
        f"{os.environ.get('BENCH_REPEAT', '20')} requests after 3 warm-up requests; "
        "one gunicorn sync worker; every database built from scratch with "
        "`generate_events --seed 1` on top of the seed."
    )
    lines += ["", "## Machine", ""]
    lines += [f"- {key}: {value}" for key, value in info.items()]
    lines += ["", "## Generator (`generate_events --events N`)", ""]
    lines += ["| database | events | seconds | peak memory (MB) |", "|---|---|---|---|"]
    for (vendor, size), numbers in builds.items():
        lines.append(
            f"| {vendor} | {size:,} | {numbers['seconds']} | {numbers['peak_mb']} |"
        )
    measured = [(vendor, size) for vendor in vendors for size in sizes]
    measured += [("postgresql", size) for size in large_sizes]
    for vendor, size in measured:
        result = results.get((vendor, size))
        if not result:
            continue
        lines += [
            "",
            f"## {vendor}, {size:,} generated events ({result['events']:,} in all)",
            "",
        ]
        lines += [
            "Test client (server time). Warm: the same view asked again, as when "
            "readers share a link (served whole from the cache). *After a data "
            "change*: asked right after any change to the facts, which retires "
            "every cached page. Medians:",
            "",
            "| request | warm | warm p95 | warm SQL queries "
            "| after a data change | after a change: SQL queries | bytes |",
            "|---|---|---|---|---|---|---|",
        ]
        lines += [client_row(row) for row in result["client"]]
        lines += [
            "",
            "gunicorn over HTTP (client-side time):",
            "",
            "| request | median | p95 | bytes |",
            "|---|---|---|---|",
        ]
        lines += [http_row(row) for row in result["gunicorn"]]
        lines += [
            "",
            "The uncached path: the cache emptied before every request, each search "
            "and filter one not asked before in this run (test client, server "
            "time; admin pages signed in as a superuser):",
            "",
            "| request | requests | median | p95 | target p95 | most SQL queries "
            "| bytes | status |",
            "|---|---|---|---|---|---|---|---|",
        ]
        lines += [uncached_row(row) for row in result.get("uncached", [])]
        lines += [
            "",
            "Selectors (data layer only):",
            "",
            "| selector | median | p95 | SQL queries | bytes |",
            "|---|---|---|---|---|",
        ]
        lines += [selector_row(row) for row in result["selectors"]]
    lines += ["", "## Growth of the median from the smallest to the largest size", ""]
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        lines += ["| database | pass | request | ratio |", "|---|---|---|---|"]
        for vendor in vendors:
            a, b = results.get((vendor, small)), results.get((vendor, large))
            if not a or not b:
                continue
            passes = (
                ("client", "client", "median_ms"),
                ("client, after a data change", "client", "edit_median_ms"),
                ("selectors", "selectors", "median_ms"),
            )
            for name, kind, column in passes:
                for row_a, row_b in zip(a[kind], b[kind], strict=True):
                    if row_a.get("missing") or row_b.get("missing"):
                        continue
                    ratio = row_b[column] / max(row_a[column], 0.01)
                    lines.append(
                        f"| {vendor} | {name} | {row_a['label']} | {ratio:.2f}× |"
                    )
    else:
        lines.append("Only one size was run.")
    lines += ["", "## Targets", ""]
    lines += target_lines(results, sizes, vendors)
    lines += large_target_lines(results, large_sizes)
    for vendor in vendors:
        result = results.get((vendor, sizes[-1]))
        if result and result["plans"]:
            lines += ["", f"## Query plans, {vendor}, {sizes[-1]:,} events", ""]
            for name, plan in result["plans"].items():
                lines += [f"{name}:", "", "```", plan, "```", ""]
    return "\n".join(lines).rstrip() + "\n"


KEPT_NOTE = (
    "*Kept from an earlier run: a run without `--large` does not rebuild this "
    "database (about 90 minutes), so these numbers predate the changes measured "
    "above.*"
)
LARGE_SECTION = re.compile(
    r"^## postgresql, ([\d,]+) generated events.*?(?=^## )", re.DOTALL | re.MULTILINE
)
LARGE_TARGETS = re.compile(
    r"^PostgreSQL, ([\d,]+) events: every page p95[^\n]*\n\n(?:- [^\n]*\n?)*",
    re.MULTILINE,
)
LARGE_BUILD = re.compile(r"^\| postgresql \| ([\d,]+) \|[^\n]*$", re.MULTILINE)


def keep_large_sections(old, new, sizes):
    """``new`` with the large sizes' build row, section and target lines from ``old``
    put back, the section marked as kept: for a run that measured the usual sizes only.
    """

    def kept(pattern):
        found = []
        for match in pattern.finditer(old):
            size = int(match.group(1).replace(",", ""))
            if size not in sizes and size > max(sizes):
                found.append(match.group(0).rstrip("\n"))
        return found

    builds = kept(LARGE_BUILD)
    if builds:
        table = list(LARGE_BUILD.finditer(new))
        at = table[-1].end() if table else new.index("|---|---|---|---|") + 17
        new = new[:at] + "\n" + "\n".join(builds) + new[at:]
    sections = []
    for block in kept(LARGE_SECTION):
        if KEPT_NOTE not in block:
            heading, _, rest = block.partition("\n")
            block = f"{heading}\n\n{KEPT_NOTE}\n{rest}"
        sections.append(block)
    if sections:
        growth = "## Growth of the median"
        new = new.replace(growth, "\n\n".join(sections) + "\n\n" + growth, 1)
    targets = kept(LARGE_TARGETS)
    if targets:
        plans = new.find("\n## Query plans")
        at = plans if plans >= 0 else len(new)
        kept_targets = "\n\n".join(targets)
        new = f"{new[:at].rstrip()}\n\n{kept_targets}\n{new[at:]}"
    return new


def large_target_lines(results, large_sizes):
    """At the PostgreSQL-only large sizes: every page's p95 under TARGET_LARGE_P95_MS."""
    lines = []
    for size in large_sizes:
        result = results.get(("postgresql", size))
        if not result:
            continue
        lines += [
            "",
            f"PostgreSQL, {size:,} events: every page p95 under "
            f"{TARGET_LARGE_P95_MS} ms, warm and uncached (exports are downloads, "
            "streamed, and not held to it).",
            "",
        ]
        rows = [
            ("warm", row)
            for row in result["client"]
            if not row.get("missing") and "export" not in row["label"]
        ]
        rows += [("uncached", row) for row in result.get("uncached", [])]
        for kind, row in rows:
            verdict = (
                "met"
                if row["p95_ms"] < TARGET_LARGE_P95_MS
                else f"MISSED: p95 {row['p95_ms']:.0f} ms"
            )
            lines.append(f"- postgresql {size:,} {kind} {row['label']}: {verdict}")
    return lines


def target_lines(results, sizes, vendors):
    """Each request at the largest size against the issue's targets, warm medians."""
    lines = [
        f"Warm medians at the largest size: under {TARGET_MS} ms, under "
        f"{TARGET_QUERIES} SQL queries (warm or after an edit), timeline pages under "
        f"60 kB with htmx and the axis brush their only scripts, and less than {TARGET_GROWTH:g}× the "
        "smallest size's median.",
        "",
    ]
    largest, smallest = sizes[-1], sizes[0]
    for vendor in vendors:
        result = results.get((vendor, largest))
        if not result:
            continue
        small = results.get((vendor, smallest)) if smallest != largest else None
        small_rows = {row["label"]: row for row in small["client"]} if small else {}
        for row in result["client"]:
            if row.get("missing"):
                lines.append(f"- {vendor} {row['label']}: not measurable (missing).")
                continue
            problems = []
            if row["median_ms"] >= TARGET_MS:
                problems.append(f"median {row['median_ms']:.0f} ms ≥ {TARGET_MS}")
            queries = max(row["queries"], row["edit_queries"])
            if queries >= TARGET_QUERIES:
                problems.append(f"{queries} queries ≥ {TARGET_QUERIES}")
            if row["label"] in TIMELINE_PAGES:
                if row["bytes"] >= TARGET_HTML_BYTES:
                    problems.append(f"{row['bytes']:,} bytes of HTML ≥ 60 kB")
                others = [
                    src
                    for src in row["scripts"]
                    if not any(own in src for own in OWN_SCRIPTS)
                ]
                if others or row["inline_scripts"]:
                    problems.append(f"scripts besides htmx: {others or 'inline'}")
            base = small_rows.get(row["label"])
            if base and not base.get("missing"):
                growth = row["median_ms"] / max(base["median_ms"], 0.01)
                if growth >= TARGET_GROWTH:
                    problems.append(
                        f"median grew {growth:.2f}× from {smallest:,} events"
                    )
            verdict = "MISSED: " + "; ".join(problems) if problems else "met"
            lines.append(f"- {vendor} {largest:,} {row['label']}: {verdict}")
        for row in result.get("uncached", []):
            verdict = (
                "met"
                if row["p95_ms"] < row["target_p95_ms"]
                else f"MISSED: p95 {row['p95_ms']:.0f} ms ≥ {row['target_p95_ms']}"
            )
            lines.append(f"- {vendor} {largest:,} uncached {row['label']}: {verdict}")
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default=os.environ.get("BENCH_SIZES", "1000,10000,100000")
    )
    parser.add_argument(
        "--databases", default=os.environ.get("BENCH_DATABASES", "sqlite,postgresql")
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"
        ),
    )
    parser.add_argument(
        "--large",
        default=os.environ.get("BENCH_LARGE", "1000000"),
        help="sizes built on PostgreSQL only, after the others (empty: none)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the databases built and the measurements made before in this "
        "work folder (to add a size to a report without redoing the others)",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build the databases (kept for a later --reuse run) and measure nothing",
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(",") if size.strip())
    vendors = [v.strip() for v in args.databases.split(",") if v.strip()]
    large = sorted(int(size) for size in args.large.split(",") if size.strip())
    if "postgresql" not in vendors:
        large = []

    base_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL"}
    }
    base_env.update(
        {"DEBUG": "false", "LOG_LEVEL": "ERROR", "PYTHONWARNINGS": "ignore"}
    )
    info = {**machine(), **versions(base_env)}
    info["CPU probe before measuring (a fixed Python loop)"] = cpu_probe()
    if "postgresql" in vendors:
        info["PostgreSQL"] = postgres_version(args.postgres_url)

    WORK.mkdir(parents=True, exist_ok=True)
    results, builds = {}, {}
    runs = [(vendor, size, size == sizes[-1]) for vendor in vendors for size in sizes]
    runs += [("postgresql", size, False) for size in large]
    for vendor, size, with_plans in runs:
        env = {
            **base_env,
            "DATABASE_URL": database_url(vendor, size, args.postgres_url),
        }
        # Results go to files: the app logs its requests on stdout.
        output = WORK / f"measure-{vendor}-{size}.json"
        built = WORK / f"build-{vendor}-{size}.json"
        if args.reuse and built.exists():
            print(f"==> {vendor}: {size:,} events built before, reused", flush=True)
            builds[(vendor, size)] = json.loads(built.read_text())
            # Migrations added since the build run on the kept database, and then
            # what the build ends with (generate_events): fresh planner statistics
            # and, on PostgreSQL, a vacuum of the rows a migration rewrote, so that
            # the measurement is of the data, not of the migration's leftovers.
            run(["manage.py", "migrate", "--noinput", "-v", "0"], env)
            run(["manage.py", "shell", "-v", "0", "-c", AFTER_MIGRATING], env)
        else:
            print(f"==> {vendor}: building {size:,} events", flush=True)
            builds[(vendor, size)] = build(vendor, size, env, args.postgres_url)
            built.write_text(json.dumps(builds[(vendor, size)]))
            print(f"    built in {builds[(vendor, size)]['seconds']} s", flush=True)
        if args.build_only:
            continue
        if args.reuse and output.exists():
            print(f"==> {vendor}: {size:,} measured before, reused", flush=True)
            results[(vendor, size)] = json.loads(output.read_text())
            continue
        print(f"==> {vendor}: measuring {size:,}", flush=True)
        if with_plans:
            env["BENCH_PLANS"] = "1"
        run(["bench/measure.py", str(output)], env, capture=False)
        results[(vendor, size)] = json.loads(output.read_text())
        print(
            "\n".join(client_row(row) for row in results[(vendor, size)]["client"]),
            flush=True,
        )
    if args.build_only:
        return
    info["CPU probe after measuring"] = cpu_probe()
    text = report(results, builds, info, sizes, vendors, large)
    output = Path(args.output)
    if output.exists() and not large:  # the large sizes measured before stay
        text = keep_large_sections(output.read_text(), text, sizes)
    if output.exists():  # the sections other bench scripts wrote stay
        kept = [m.group(0) for m in OTHER_SECTIONS.finditer(output.read_text())]
        text = "\n\n".join([text.rstrip("\n"), *kept]) + "\n"
    output.write_text(text)
    print()
    print(text)
    if WORK.exists() and os.environ.get("BENCH_CLEAN"):
        shutil.rmtree(WORK)


if __name__ == "__main__":
    main()
