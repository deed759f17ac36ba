import datetime
from pathlib import Path

import yaml
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from crisis.models import Actor
from crisis.seed import read_source_text
from extraction.actors import ActorIndex, ref_identity
from extraction.assistant import propose


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            f"--published must be a date like 2022-01-25: {value}"
        ) from error


class _Slugs:
    def __init__(self):
        self.used = set()

    def new(self, text):
        base = slugify(text)[:80] or "item"
        slug, number = base, 2
        while slug in self.used:
            slug, number = f"{base}-{number}", number + 1
        self.used.add(slug)
        return slug


class Command(BaseCommand):
    help = (
        "Print the assistant's proposals for an article as a seed file (YAML). Save it "
        "beside the article's text file, review it, and load it with load_seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("source_file", help="The article as a UTF-8 text file.")
        parser.add_argument("--published", required=True, type=_date)
        parser.add_argument("--title", default="", help="The source's title.")
        parser.add_argument("--publisher", default="")

    def handle(self, *args, source_file, published, title, publisher, **options):
        path = Path(source_file)
        try:
            text = read_source_text(path, path.name)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        proposals = propose(text, published, ActorIndex.from_database())
        slugs = _Slugs()
        source_slug = slugs.new(f"{path.stem}-{published}")
        actors = {}

        def actor_slug(ref):
            identity = ref_identity(ref)
            if identity not in actors:
                if ref.actor_id:
                    stored = Actor.objects.get(pk=ref.actor_id)
                    slugs.used.add(stored.slug)
                    record = {
                        "slug": stored.slug,
                        "name": stored.name,
                        "kind": stored.kind,
                        "title": stored.title,
                        "country": str(stored.country or ""),
                        "aliases": stored.alias_list,
                    }
                else:
                    record = {
                        "slug": slugs.new(ref.name),
                        "name": ref.name,
                        "kind": ref.kind,
                        "title": ref.title,
                        "country": ref.country,
                    }
                actors[identity] = record
            return actors[identity]["slug"]

        citation = lambda excerpt: [{"source": source_slug, "excerpt": excerpt}]  # noqa: E731
        events = []
        for proposal in proposals.events:
            events.append(
                {
                    "slug": slugs.new(proposal.title),
                    "title": proposal.title,
                    "summary": proposal.summary,
                    "start_date": proposal.start_date,
                    "date_precision": proposal.date_precision,
                    "category": proposal.category,
                    "importance": 2,
                    "countries": proposal.countries,
                    "status": "draft",
                    "actors": [
                        {"actor": actor_slug(link.actor), "role": link.role}
                        for link in proposal.actors
                    ],
                    "citations": citation(proposal.excerpt),
                }
            )
        quotes = [
            {
                "slug": slugs.new(f"{proposal.speaker.name} {proposal.text}"[:60]),
                "text": proposal.text,
                "speaker": actor_slug(proposal.speaker),
                "said_on": proposal.said_on,
                "date_precision": proposal.date_precision,
                "source": source_slug,
                "status": "draft",
                "citations": citation(proposal.excerpt),
            }
            for proposal in proposals.quotes
            if proposal.speaker is not None
        ]
        for proposal in proposals.actors:
            actor_slug(proposal.actor)
        document = {
            "sources": [
                {
                    "slug": source_slug,
                    "title": title or path.stem,
                    "publisher": publisher,
                    "published_on": published,
                    "language": "en",
                    "text_file": path.name,
                }
            ],
            "actors": list(actors.values()),
            "events": events,
            "quotes": quotes,
        }
        self.stdout.write(
            "# Proposed by the extraction assistant: review every record before loading.\n"
            + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=88)
        )
