"""bench/results.md is written by several scripts, each owning one marked section."""

import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results.md"


def write_section(text, start, end):
    """Put `text` (which begins with `start` and ends with `end`) in place of the
    section between those markers, or append it when the file has none yet."""
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmarks\n"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text, current)
    else:
        updated = current.rstrip("\n") + "\n\n" + text + "\n"
    RESULTS.write_text(updated)
