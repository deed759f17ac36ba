"""How close the extraction assistant comes to a hand-reviewed seed.

    python bench/extract.py [--text seeds/000_d75e33b1a7d08a92.txt]
                            [--seed seeds/2022-01-25-us-troops-alert.yaml]

Runs the assistant on the article with no actor on file (everything it finds, it finds
in the text), compares its proposals with the seed file an editor wrote by hand, and
writes the table into the "Extraction assistant" section of bench/results.md. Exits
non-zero when a bar of the issue is missed, so a regression shows.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crisis.settings")
import django  # noqa: E402

django.setup()

from crisis.seed import read_source_text  # noqa: E402
from crisis.text import locate, normalise_for_matching  # noqa: E402
from extraction.actors import ActorIndex, normalise_name  # noqa: E402
from extraction.assistant import propose  # noqa: E402

RESULTS = ROOT / "bench" / "results.md"
MISSING_ACTORS = []
START, END = "<!-- extract:start -->", "<!-- extract:end -->"
BARS = {
    "quote recall (right speaker)": 0.95,
    "quote precision": 0.90,
    "seed actors found": 0.90,
    "new actors with the right title": 0.80,
    "seed events matched by excerpt": 0.75,
    "matched events with the same date and precision": 0.90,
}


def _words(text):
    return normalise_for_matching(text).lower().strip(" .,")


def _names(actor):
    return {normalise_name(actor["name"])} | {
        normalise_name(alias) for alias in actor.get("aliases") or []
    }


def score_quotes(proposals, seed, actors):
    right = 0
    matched_seed = set()
    for proposal in proposals.quotes:
        for number, quote in enumerate(seed["quotes"]):
            if number in matched_seed or _words(quote["text"]) != _words(proposal.text):
                continue
            speaker = proposal.speaker.name if proposal.speaker else ""
            if normalise_name(speaker) in _names(actors[quote["speaker"]]):
                matched_seed.add(number)
                right += 1
                break
    return {
        "quote recall (right speaker)": (right, len(seed["quotes"])),
        "quote precision": (right, len(proposals.quotes)),
    }


def score_actors(proposals, seed):
    found, titled, new = 0, 0, 0
    missing = []
    for actor in seed["actors"]:
        names = _names(actor)
        hits = [p for p in proposals.actors if normalise_name(p.actor.name) in names]
        if not hits:
            missing.append(actor["name"])
            continue
        found += 1
        for hit in hits:
            new += 1
            title = hit.actor.title
            full = normalise_name(f"{title} {hit.actor.name}")
            if _words(title) == _words(actor.get("title") or "") or (
                title and full in names
            ):
                titled += 1
    MISSING_ACTORS[:] = missing
    return {
        "seed actors found": (found, len(seed["actors"])),
        "new actors with the right title": (titled, new),
    }


def _span(excerpt, text):
    return locate(excerpt, text) or (0, 0)


def _overlap(first, second):
    shortest = min(first[1] - first[0], second[1] - second[0]) or 1
    return max(0, min(first[1], second[1]) - max(first[0], second[0])) / shortest


def score_events(proposals, seed, actors, text):
    """One proposal per seed event at most: pairs that share most of an excerpt, those
    whose initiator is the seed's first."""
    pairs = []
    for number, event in enumerate(seed["events"]):
        spans = [_span(c["excerpt"], text) for c in event["citations"]]
        initiators = set().union(
            *(
                _names(actors[link["actor"]])
                for link in event["actors"]
                if link["role"] == "initiator"
            )
        )
        for index, proposal in enumerate(proposals.events):
            overlap = max(_overlap((proposal.start, proposal.end), s) for s in spans)
            if overlap < 0.5:
                continue
            same_actor = any(
                normalise_name(actor.name) in initiators
                for actor in proposal.initiators
            )
            pairs.append((same_actor, overlap, number, index))
    used_seed, used_proposal, matched = set(), set(), []
    for _, _, number, index in sorted(pairs, reverse=True):
        if number in used_seed or index in used_proposal:
            continue
        used_seed.add(number)
        used_proposal.add(index)
        matched.append((seed["events"][number], proposals.events[index]))
    dated = sum(
        1
        for event, proposal in matched
        if proposal.start_date == event["start_date"]
        and proposal.date_precision == event["date_precision"]
    )
    return {
        "seed events matched by excerpt": (len(matched), len(seed["events"])),
        "matched events with the same date and precision": (dated, len(matched)),
    }


def run(text_path, seed_path):
    seed = yaml.safe_load(seed_path.read_text())
    # The text as the source stores it (the loader drops the file's date header).
    text = read_source_text(text_path, text_path.name)
    published = seed["sources"][0]["published_on"]
    actors = {actor["slug"]: actor for actor in seed["actors"]}
    started = time.perf_counter()
    proposals = propose(text, published, ActorIndex())
    seconds = time.perf_counter() - started
    scores = {
        **score_quotes(proposals, seed, actors),
        **score_actors(proposals, seed),
        **score_events(proposals, seed, actors, text),
    }
    return scores, seconds, proposals


def table(scores, seconds, proposals, text_path):
    lines = [
        "## Extraction assistant",
        "",
        f"Written by `make bench-extract` (bench/extract.py) on {datetime.date.today()}:"
        f" the assistant reads `{text_path.relative_to(ROOT)}` with no actor on file"
        " and is compared with the hand-reviewed seed file. Quotes count when the words"
        " match and the speaker's name is the seed speaker's name or alias. An actor is"
        " found when a proposal's name is the seed actor's name or an alias; its title"
        " is right when it equals the seed's title, or when title and name together"
        " are an alias the reviewer recorded (“Pentagon spokesman John Kirby”). Events"
        " are paired one to one with seed events whose citation shares at least half of"
        " the proposal's excerpt.",
        "",
        "| measure | result | bar | met |",
        "|---|---|---|---|",
    ]
    for name, (hits, total) in scores.items():
        share = hits / total if total else 0
        met = "yes" if share >= BARS[name] else "no"
        lines.append(
            f"| {name} | {hits}/{total} = {share:.0%} | ≥ {BARS[name]:.0%} | {met} |"
        )
    lines.append(
        f"| whole article proposed | {seconds:.2f} s | < 2 s |"
        f" {'yes' if seconds < 2 else 'no'} |"
    )
    lines += [
        "",
        f"Proposed: {len(proposals.events)} events, {len(proposals.quotes)} quotes,"
        f" {len(proposals.actors)} actors. Seed actors not found:"
        f" {', '.join(MISSING_ACTORS) or 'none'}.",
    ]
    return "\n".join(lines)


def write(section):
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    block = f"{START}\n{section}\n{END}"
    if START in current and END in current:
        before, rest = current.split(START, 1)
        after = rest.split(END, 1)[1]
        current = before + block + after
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(current)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--text", type=Path, default=ROOT / "seeds" / "000_d75e33b1a7d08a92.txt"
    )
    parser.add_argument(
        "--seed", type=Path, default=ROOT / "seeds" / "2022-01-25-us-troops-alert.yaml"
    )
    parser.add_argument("--no-write", action="store_true")
    options = parser.parse_args()
    scores, seconds, proposals = run(options.text.resolve(), options.seed.resolve())
    section = table(scores, seconds, proposals, options.text.resolve())
    print(section)
    if not options.no_write:
        write(section)
    missed = [
        name
        for name, (hits, total) in scores.items()
        if (hits / (total or 1)) < BARS[name]
    ]
    return 1 if missed or seconds >= 2 else 0


if __name__ == "__main__":
    sys.exit(main())
