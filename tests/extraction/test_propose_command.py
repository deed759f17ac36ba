import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from crisis.models import Event, Quote, Status
from tests.extraction.articles import TALKS

pytestmark = pytest.mark.django_db


def test_proposals_print_as_a_seed_file_that_load_seed_accepts(tmp_path):
    article = tmp_path / "talks.txt"
    article.write_text(TALKS, encoding="utf-8")
    output = io.StringIO()
    call_command("propose", str(article), "--published", "2023-03-14", stdout=output)
    seed = tmp_path / "talks.yaml"
    seed.write_text(output.getvalue(), encoding="utf-8")

    call_command("load_seed", str(seed), stdout=io.StringIO())

    event = Event.objects.get(title="Denmark decided to send observers")
    assert (event.status, event.date_precision) == (Status.DRAFT, "approximate")
    assert event.citations.get().excerpt == (
        "Norway and Denmark recently decided to send observers."
    )
    quote = Quote.objects.get(text="We came to listen")
    assert quote.speaker.name == "Aino Korhonen"


def test_a_bad_publication_date_is_refused_with_a_message(tmp_path):
    article = tmp_path / "talks.txt"
    article.write_text(TALKS, encoding="utf-8")
    with pytest.raises(CommandError, match="--published"):
        call_command("propose", str(article), "--published", "next week")
