"""The admin's lists stay cheap at any size: drill-down dates and side-bar filters
read indexes, and a list runs the same number of queries however many rows it holds."""

import datetime

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crisis.admin.filters import MOST_USED
from crisis.models import Citation, Event, Quote, Tag
from tests.factories import make_actor, make_event, make_quote, make_source

pytestmark = pytest.mark.django_db

EVENTS = reverse("admin:crisis_event_changelist")
QUOTES = reverse("admin:crisis_quote_changelist")
CITATIONS = reverse("admin:crisis_citation_changelist")


def _spread_events():
    for day in ("2014-02-27", "2021-11-03", "2022-01-24", "2022-01-25", "2022-02-21"):
        make_event(start_date=datetime.date.fromisoformat(day))


@pytest.mark.parametrize("kind", ["year", "month", "day"])
@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_drill_down_dates_agree_with_djangos_own(kind, order):
    _spread_events()
    make_quote(said_on=datetime.date(2021, 12, 7))
    for queryset, field in (
        (Event.objects.filter(start_date__year=2022), "start_date"),
        (Event.objects.all(), "start_date"),
        (Quote.objects.all(), "said_on"),
    ):
        djangos = models.QuerySet.dates(queryset, field, kind, order)
        assert queryset.dates(field, kind, order) == list(djangos)
        assert len(queryset.dates(field, kind, order)) >= 1


def test_the_years_reach_both_ends_of_the_calendar():
    for day in ("0001-03-01", "0999-12-31", "2022-01-24", "9999-06-01", "9999-12-31"):
        make_event(start_date=datetime.date.fromisoformat(day))
    found = Event.objects.dates("start_date", "year")
    assert found == [datetime.date(year, 1, 1) for year in (1, 999, 2022, 9999)]
    assert Event.objects.dates("start_date", "year", "DESC") == found[::-1]


def test_the_event_list_drills_down_by_year_then_month(admin_client):
    _spread_events()
    page = admin_client.get(EVENTS).content.decode()
    assert "?start_date__year=2014" in page
    assert "?start_date__year=2022" in page
    page = admin_client.get(EVENTS, {"start_date__year": "2022"}).content.decode()
    assert "start_date__month=1" in page and "start_date__month=2" in page
    assert "start_date__month=3" not in page


def test_tag_and_country_filters_list_only_what_events_use(admin_client):
    used = Tag.objects.create(name="Sanctions", slug="sanctions")
    Tag.objects.create(name="Unused tag", slug="unused-tag")
    event = make_event(countries=["UA", "PL"])
    event.tags.add(used)
    response = admin_client.get(EVENTS)
    page = response.content.decode()
    assert f"tags__id__exact={used.pk}" in page
    assert "Unused tag" not in page
    assert "countries__contains=PL" in page and "countries__contains=UA" in page
    assert "countries__contains=FR" not in page
    chosen = admin_client.get(EVENTS, {"countries__contains": "PL"})
    assert list(chosen.context["cl"].result_list) == [event]


def test_speaker_filter_lists_the_most_quoted_and_the_chosen_one(admin_client):
    source = make_source()
    talkative = [make_actor(name=f"Speaker {n:02}") for n in range(MOST_USED)]
    for speaker in talkative:
        make_quote(speaker=speaker, source=source)
        make_quote(speaker=speaker, source=source)
    quiet = make_actor(name="Rarely Quoted")
    quiet_quote = make_quote(
        speaker=quiet, source=source, said_on=datetime.date(2022, 1, 1)
    )

    def side_bar_link(speaker):
        return f'<a href="?speaker={speaker.pk}">{speaker.name}</a>'

    page = admin_client.get(QUOTES).content.decode()
    assert all(side_bar_link(speaker) in page for speaker in talkative)
    assert side_bar_link(quiet) not in page
    # In the list, each speaker's name links to their quotes.
    assert f'href="?speaker={quiet.pk}" title="Only Rarely Quoted’s quotes"' in page

    chosen = admin_client.get(QUOTES, {"speaker": str(quiet.pk)})
    assert list(chosen.context["cl"].result_list) == [quiet_quote]
    # Chosen, they join the side bar too.
    assert side_bar_link(quiet) in chosen.content.decode()


def test_source_filter_lists_the_most_cited_and_the_chosen_one(admin_client):
    cited = [make_source(title=f"Wire report {n:02}") for n in range(MOST_USED)]
    for source in cited:
        make_event(source=source)
        make_event(source=source)
    rare = make_source(title="Rarely cited")
    rare_event = make_event(source=rare)

    def side_bar_link(source):
        return f'<a href="?source={source.pk}">{source.title}</a>'

    page = admin_client.get(CITATIONS).content.decode()
    assert all(side_bar_link(source) in page for source in cited)
    assert side_bar_link(rare) not in page

    chosen = admin_client.get(CITATIONS, {"source": str(rare.pk)})
    assert list(chosen.context["cl"].result_list) == list(
        Citation.objects.filter(event=rare_event)
    )
    assert side_bar_link(rare) in chosen.content.decode()
    for value in ("abc", "-1", "9999999"):
        response = admin_client.get(CITATIONS, {"source": value})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("value", ["abc", "-1", "9999999", "1 OR 1=1"])
def test_a_malformed_or_unknown_speaker_lists_nothing(admin_client, value):
    make_quote()
    response = admin_client.get(QUOTES, {"speaker": value})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_the_event_list_finds_its_choices_without_reading_every_event(admin_client):
    _spread_events()
    make_event(countries=["UA"]).tags.add(Tag.objects.create(name="Gas", slug="gas"))
    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get(EVENTS).content.decode()
    assert "?start_date__year=2014" in page and "countries__contains=UA" in page
    sql = [query["sql"] for query in queries.captured_queries]
    # Years from the month counts, countries by index probes, tags by the link table.
    assert not [s for s in sql if "DISTINCT" in s and '"crisis_eventmonth"' not in s]
    assert not [s for s in sql if 'FROM "crisis_tag"' in s and '"crisis_event" ' in s]
    assert sum("COUNT(" in s for s in sql) == 1, "no second count of the whole table"


@pytest.mark.parametrize("url", [EVENTS, QUOTES, CITATIONS])
def test_an_admin_list_runs_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, url
):
    def fill(count):
        source = make_source()
        for n in range(count):
            tag, _ = Tag.objects.get_or_create(name=f"Tag {n % 7}", slug=f"tag-{n % 7}")
            make_event(
                start_date=datetime.date(2015 + n % 8, 1 + n % 12, 1),
                countries=[("UA", "PL", "FR")[n % 3]],
            ).tags.add(tag)
            make_quote(speaker=make_actor(), source=source)

    fill(3)
    admin_client.get(url)  # the session and content types, once
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    fill(40)
    with django_assert_num_queries(len(few.captured_queries)):
        assert admin_client.get(url).status_code == 200


def test_past_the_cap_a_list_says_more_than_and_offers_every_year(
    admin_client, monkeypatch
):
    """Counting stops past the cap; the drill-down then offers the years of every
    event (read from the index), not the years of every match."""
    monkeypatch.setattr("crisis.admin.paging.CappedPaginator.cap", 3)
    _spread_events()  # 2014, 2021 and three in 2022
    make_event(start_date=datetime.date(2022, 3, 1), title="Talks in Paris")
    make_event(start_date=datetime.date(2022, 3, 2), title="Talks in Geneva")

    whole = admin_client.get(EVENTS).content.decode()
    assert "More than 3 events" in whole
    assert "?start_date__year=2014" in whole

    broad = admin_client.get(EVENTS, {"q": "event"})  # every generated title
    assert broad.status_code == 200
    assert "More than 3 results" in broad.content.decode()
    make_event(start_date=datetime.date(1999, 5, 1), title="Annexation talk")
    # Past the cap the years are those of every event: 1999 holds no match.
    assert "?q=event&amp;start_date__year=1999" in (
        admin_client.get(EVENTS, {"q": "event"}).content.decode()
    )

    narrow = admin_client.get(EVENTS, {"q": "paris"}).content.decode()
    assert "1 result" in narrow and "More than" not in narrow
    geneva = admin_client.get(EVENTS, {"q": "talks"}).content.decode()
    # Under the cap, the drill-down is that of the matches: March 2022 only.
    assert "start_date__month=3" in geneva and "start_date__year=2014" not in geneva


def test_the_capped_count_reads_no_more_rows_than_the_cap(admin_client, monkeypatch):
    monkeypatch.setattr("crisis.admin.paging.CappedPaginator.cap", 3)
    _spread_events()
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(EVENTS).status_code == 200
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"]]
    assert counts and all("LIMIT 4" in sql for sql in counts)


def test_a_page_is_sorted_on_its_keys_then_read_with_its_related_rows(admin_client):
    """The page's order comes from a query of the quotes alone; only the page's rows
    are then read with their speakers, events and sources. Same rows, same order."""
    source = make_source()
    speakers = [make_actor(name=f"Speaker {n}") for n in range(3)]
    for n in range(57):
        make_quote(
            speaker=speakers[n % 3],
            source=source,
            said_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=(n * 7) % 31),
        )
    expected = list(
        Quote.objects.order_by("said_on", "pk").values_list("pk", flat=True)
    )
    shown = []
    for page in ("1", "2"):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(QUOTES, {"p": page})
        assert response.status_code == 200
        shown += [quote.pk for quote in response.context["cl"].result_list]
        # Every speaker's name is there without a query per row.
        assert all(quote.speaker.name for quote in response.context["cl"].result_list)
        paged = [q["sql"] for q in queries.captured_queries if "LIMIT 50" in q["sql"]]
        assert paged, "the page's own query"
        for sql in paged:
            assert "JOIN" not in sql and "crisis_source" not in sql, sql
    assert shown == expected


def test_first_and_last_of_a_whole_table_are_read_one_end_at_a_time():
    _spread_events()
    with CaptureQueriesContext(connection) as queries:
        ends = Event.objects.aggregate(
            first=models.Min("start_date"), last=models.Max("start_date")
        )
    assert ends == {
        "first": datetime.date(2014, 2, 27),
        "last": datetime.date(2022, 2, 21),
    }
    assert len(queries.captured_queries) == 2
    assert not any(
        "MIN(" in q["sql"] and "MAX(" in q["sql"] for q in queries.captured_queries
    )
    # A filtered table, or other aggregates, keep Django's one query.
    with CaptureQueriesContext(connection) as queries:
        filtered = Event.objects.filter(start_date__year=2022).aggregate(
            first=models.Min("start_date"), last=models.Max("start_date")
        )
        counted = Event.objects.aggregate(
            first=models.Min("start_date"), n=models.Count("pk")
        )
    assert filtered == {
        "first": datetime.date(2022, 1, 24),
        "last": datetime.date(2022, 2, 21),
    }
    assert counted == {"first": datetime.date(2014, 2, 27), "n": 5}
    assert len(queries.captured_queries) == 2


def test_past_the_cap_a_chosen_year_offers_the_months_of_its_matches(
    admin_client, monkeypatch
):
    monkeypatch.setattr("crisis.admin.paging.CappedPaginator.cap", 2)
    _spread_events()  # 2014-02, 2021-11, 2022-01 (two) and 2022-02
    page = admin_client.get(EVENTS, {"q": "event", "start_date__year": "2022"})
    html = page.content.decode()
    assert "More than 2 results" in html
    assert "start_date__month=1" in html and "start_date__month=2" in html
    assert "start_date__month=11" not in html, "a month of another year"
