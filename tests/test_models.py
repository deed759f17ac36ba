import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from crisis.models import Citation, DatePrecision, Event, Quote, format_partial_date
from crisis.search import search_events
from tests.factories import make_actor, make_event, make_quote, make_source

pytestmark = pytest.mark.django_db


def test_event_end_before_start_is_rejected_by_validation_with_field_message():
    event = make_event()
    event.end_date = event.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["end_date"] == [
        "The end date cannot be before the start date."
    ]


def test_event_end_before_start_is_rejected_by_the_database():
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(
            start_date="2022-02-01", end_date="2022-01-01"
        )


def test_bad_date_precision_is_rejected_by_validation_and_database():
    event = make_event()
    event.date_precision = "fortnight"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "date_precision" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(date_precision="fortnight")


def test_bad_category_is_rejected_by_the_database():
    event = make_event()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(category="gossip")


def test_duplicate_event_slug_is_rejected():
    make_event(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(slug="same")


def test_excerpt_not_in_source_is_rejected_naming_the_field_and_source():
    source = make_source(title="Wire report")
    citation = Citation(
        event=make_event(), source=source, excerpt="Leaders met in Rome."
    )
    with pytest.raises(ValidationError) as error:
        citation.full_clean()
    (message,) = error.value.message_dict["excerpt"]
    assert "not found in the source “Wire report”" in message


def test_excerpt_with_straight_quotes_and_extra_spaces_is_accepted():
    citation = Citation(
        event=make_event(),
        source=make_source(),
        excerpt='"We want   calm," the minister said.',
    )
    citation.full_clean()


def test_quote_that_is_not_verbatim_is_rejected():
    quote = make_quote()
    quote.text = "We want peace"
    with pytest.raises(ValidationError) as error:
        quote.full_clean()
    assert "not verbatim" in error.value.message_dict["text"][0]


def test_citation_must_cite_exactly_one_event_or_quote():
    source = make_source()
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, excerpt="Markets fell sharply")


def test_published_querysets_hide_drafts():
    published = make_event()
    make_event(status="draft")
    assert list(Event.objects.published()) == [published]
    make_quote(event=make_event(status="draft"))
    assert not Quote.objects.published().exists()


def test_in_range_includes_events_overlapping_the_range():
    make_event(slug="before", start_date=datetime.date(2022, 1, 1))
    make_event(
        slug="spanning",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 1, 30),
    )
    make_event(slug="inside", start_date=datetime.date(2022, 1, 25))
    found = Event.objects.in_range(
        datetime.date(2022, 1, 20), datetime.date(2022, 1, 26)
    )
    assert sorted(found.values_list("slug", flat=True)) == ["inside", "spanning"]


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        (DatePrecision.DAY, "26 January 2022"),
        (DatePrecision.MONTH, "January 2022"),
        (DatePrecision.YEAR, "2022"),
        (DatePrecision.APPROXIMATE, "c. 26 January 2022"),
        (DatePrecision.REPORTED, "by 26 January 2022"),
    ],
)
def test_dates_are_shown_only_as_precisely_as_known(precision, expected):
    assert format_partial_date(datetime.date(2022, 1, 26), precision) == expected


def test_history_keeps_every_edit():
    actor = make_actor(name="Olaf Scholz")
    actor.name = "Olaf Scholz (Chancellor)"
    actor.save()
    assert [h.name for h in actor.history.order_by("history_date")] == [
        "Olaf Scholz",
        "Olaf Scholz (Chancellor)",
    ]


def test_absolute_urls_resolve():
    event = make_event(slug="paris-talks")
    assert event.get_absolute_url() == "/events/paris-talks/"
    assert make_actor(slug="nato").get_absolute_url() == "/actors/nato/"


def test_search_matches_every_word_across_title_quotes_and_actor_aliases():
    scholz = make_actor(name="Olaf Scholz", aliases="Olf Scholz\nScholz")
    with_alias = make_event(title="Chancellor speaks", actors=[scholz])
    quoted = make_event(title="Calm urged")
    make_quote(event=quoted)
    make_event(title="Unrelated")
    assert list(search_events(Event.objects.all(), "Olf Scholz")) == [with_alias]
    assert list(search_events(Event.objects.all(), "want calm")) == [quoted]
    assert search_events(Event.objects.all(), "").count() == 3
