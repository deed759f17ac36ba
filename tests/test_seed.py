import datetime
import shutil
from io import StringIO

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from crisis.models import Actor, Citation, Event, EventActor, Quote, Source
from crisis.text import occurs_verbatim
from stories.models import Story

pytestmark = pytest.mark.django_db

ARTICLE_SLUG = "us-troops-alert-2022-01-25"
MODELS = (Source, Actor, Event, EventActor, Quote, Citation)

# Every actor the article names or designates, spelled as the article spells it.
ARTICLE_DESIGNATIONS = [
    "Joe Biden",
    "Boris Johnson",
    "Olf Scholz",
    "Jens Stoltenberg",
    "Vladimir Putin",
    "John Kirby",
    "Annalena Baerbock",
    "Ursula von der Leyen",
    "Josep Borrell",
    "Volodimir Zelensky",
    "Charles Michel",
    "NATO",
    "NATO Response Force",
    "European Union",
    "European Commission",
    "European Council",
    "Kremlin",
    "Pentagon",
    "France",
    "Italy",
    "Poland",
    "Denmark",
    "Spain",
    "Netherlands",
    "United Kingdom",
    "Australia",
    "Germany",
    "Russia",
    "Ukraine",
    "United States",
    "Kiev",
    "Washington",
    "Moscow",
    "SWIFT",
]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def load(*paths):
    out = StringIO()
    call_command("load_seed", *map(str, paths), stdout=out)
    return out.getvalue()


def test_load_seed_twice_gives_identical_counts_and_reports_nothing_new(seeded):
    first = counts()
    assert first["Event"] >= 30 and first["Quote"] >= 10
    output = load()
    assert counts() == first
    assert output.startswith("created 0, updated 0,")


def test_first_load_reports_what_it_created(db):
    output = load()
    made = counts()
    total = made["Source"] + made["Actor"] + made["Event"] + made["Quote"]
    total += Story.objects.count()  # the seed stories, loaded after the facts
    assert output.startswith(f"created {total}, updated 0, unchanged 0, skipped 0")
    assert f"created: source '{ARTICLE_SLUG}'" in output


def copy_seed(tmp_path, mutate_data=None, mutate_text=None):
    """Copy the seed directory, changing its YAML as data or as text; return the file."""
    seed_dir = tmp_path / "seeds"
    shutil.copytree(settings.SEED_DIR, seed_dir)
    (seed_file,) = seed_dir.glob("*.yaml")
    if mutate_data:
        data = yaml.safe_load(seed_file.read_text())
        mutate_data(data)
        seed_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    if mutate_text:
        seed_file.write_text(mutate_text(seed_file.read_text()))
    return seed_file


def retitle_first_event(data):
    data["events"][0]["title"] = "A title from a newer seed file"


def test_an_edited_record_survives_a_rerun_even_when_the_seed_changed(seeded, tmp_path):
    seed_file = copy_seed(tmp_path, retitle_first_event)
    slug = yaml.safe_load(seed_file.read_text())["events"][0]["slug"]
    event = Event.objects.get(slug=slug)
    event.summary = "An editor's better summary."
    event.save()
    output = load(seed_file)
    event.refresh_from_db()
    assert event.summary == "An editor's better summary."
    assert event.title != "A title from a newer seed file"
    assert f"skipped (edited since it was seeded): event '{slug}'" in output


def test_a_seed_change_refreshes_a_record_nobody_edited(seeded, tmp_path):
    seed_file = copy_seed(tmp_path, retitle_first_event)
    slug = yaml.safe_load(seed_file.read_text())["events"][0]["slug"]
    output = load(seed_file)
    assert Event.objects.get(slug=slug).title == "A title from a newer seed file"
    assert f"updated: event '{slug}'" in output


def test_unknown_actor_slug_fails_with_file_record_and_reason(db, tmp_path):
    def break_actor(data):
        data["events"][2]["actors"][0]["actor"] = "joe-bidden"

    seed_file = copy_seed(tmp_path, break_actor)
    slug = yaml.safe_load(seed_file.read_text())["events"][2]["slug"]
    with pytest.raises(CommandError) as error:
        load(seed_file)
    assert (
        f"{seed_file.name}: events[2] '{slug}': unknown actor slug 'joe-bidden'"
        in str(error.value)
    )
    assert set(counts().values()) == {0}, "a rejected seed writes nothing"


def test_excerpt_not_in_source_fails_with_a_precise_message(db, tmp_path):
    def break_excerpt(data):
        data["quotes"][0]["citations"][0]["excerpt"] = "Words nobody wrote."

    seed_file = copy_seed(tmp_path, break_excerpt)
    slug = yaml.safe_load(seed_file.read_text())["quotes"][0]["slug"]
    with pytest.raises(CommandError) as error:
        load(seed_file)
    assert (
        f"quotes[0] '{slug}' citation 1: excerpt not found verbatim in source"
        in str(error.value)
    )
    assert not Source.objects.exists()


def test_malformed_yaml_fails_with_the_file_name(db, tmp_path):
    seed_file = copy_seed(
        tmp_path, mutate_text=lambda text: text + "\n  - : : [unclosed\n"
    )
    with pytest.raises(CommandError, match=f"{seed_file.name}: cannot read YAML"):
        load(seed_file)


def test_every_seed_excerpt_and_quote_is_verbatim_in_its_source(seeded):
    for citation in Citation.objects.select_related("source"):
        assert occurs_verbatim(citation.excerpt, citation.source.text), citation.excerpt
    for quote in Quote.objects.select_related("source"):
        assert occurs_verbatim(quote.text, quote.source.text), quote.text


def test_every_seed_event_has_a_citation_and_an_actor(seeded):
    assert not Event.objects.filter(citations__isnull=True).exists()
    assert not Event.objects.filter(event_actors__isnull=True).exists()
    assert not Quote.objects.filter(citations__isnull=True).exists()


@pytest.mark.parametrize("designation", ARTICLE_DESIGNATIONS)
def test_every_actor_in_the_article_is_present(seeded, designation):
    assert Actor.objects.matching(designation).exists(), designation


def test_article_is_the_first_source_dated_25_january_2022(seeded):
    source = Source.objects.get(slug=ARTICLE_SLUG)
    assert source.published_on == datetime.date(2022, 1, 25)
    assert source.text.startswith("The United States has 8,500 soldiers on alert")


def test_relative_dates_are_resolved_against_the_article(seeded):
    """ "in Paris on Wednesday" is 26 January 2022, dated to the day."""
    paris = Event.objects.filter(
        start_date=datetime.date(2022, 1, 26), place__icontains="Paris"
    )
    assert paris.filter(date_precision="day").exists()
    crimea = Event.objects.get(title__icontains="Crimea")
    assert (crimea.start_date.year, crimea.date_precision) == (2014, "year")
