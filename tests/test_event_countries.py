"""Event countries, written from Event.countries for the country filter."""

import pytest
from django.http import QueryDict

from crisis.models import Event, EventCountry
from crisis.reading.filters import EventFilter
from crisis.services import events_reindex
from devdata.events import clear_generated, generate
from tests.factories import make_event

pytestmark = pytest.mark.django_db


def countries_of(event):
    rows = EventCountry.objects.filter(event_id=event.pk).order_by("country")
    return list(rows.values_list("country", flat=True))


def test_rows_follow_saves_of_the_event():
    event = make_event(countries=["UA", "RU"])
    assert countries_of(event) == ["RU", "UA"]
    event.countries = ["PL"]
    event.save()
    assert countries_of(event) == ["PL"]
    event.countries = []
    event.save()
    assert countries_of(event) == []


def test_rows_follow_bulk_writes_once_reindexed_and_deletes():
    template = make_event(countries=["DE"])
    Event.objects.filter(pk=template.pk).update(countries="FR,GB")
    events_reindex(ids=[template.pk])  # what every bulk writer does
    assert countries_of(template) == ["FR", "GB"]
    generate(events=20, seed=3)
    generated = Event.objects.filter(slug__startswith="gen-").exclude(countries="")
    assert generated and all(
        countries_of(event) == sorted(c.code for c in event.countries)
        for event in generated
    )
    clear_generated()  # set-based deletes, without signals
    assert not EventCountry.objects.exclude(event_id=template.pk).exists()
    template.delete()
    assert not EventCountry.objects.exists()


def test_country_filter_finds_events_by_any_of_their_countries():
    both = make_event(countries=["AU", "UA"])
    make_event(countries=["US"])
    make_event(countries=[])
    found = EventFilter(QueryDict("country=UA"), Event.objects.all()).qs
    assert list(found) == [both]
    assert not EventFilter(QueryDict("country=AT"), Event.objects.all()).qs.exists()
