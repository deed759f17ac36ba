import csv
import dataclasses
import datetime
import io
import json

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.event_columns import COLUMNS
from crisis.models import Event, EventActor, Tag
from crisis.reading import export_files, exports
from tests.factories import make_actor, make_event, make_quote, make_source

pytestmark = pytest.mark.django_db


def _csv_records(response):
    body = response.getvalue().decode("utf-8")
    assert body.startswith("\ufeff"), "a CSV for spreadsheets starts with a BOM"
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def events():
    scholz = make_actor(name="Olaf Scholz", slug="olaf-scholz")
    wire = make_source(
        title="Leaders meet",
        slug="wire-leaders",
        publisher="Wire",
        url="https://wire.example/leaders",
        published_on=datetime.date(2022, 1, 26),
    )
    talks = make_event(
        title="Talks in Paris",
        slug="talks-in-paris",
        summary="Advisers met <b>in</b> Paris.",
        start_date=datetime.date(2022, 1, 26),
        category="diplomacy",
        countries=["FR", "DE"],
        place="Paris",
        actors=[scholz],
        source=wire,
    )
    EventActor.objects.create(
        event=talks,
        actor=make_actor(name="Emmanuel Macron", slug="emmanuel-macron"),
        role="initiator",
    )
    talks.tags.add(Tag.objects.create(name="Peace talks", slug="talks"))
    make_quote(event=talks)
    make_event(
        title="Crimea",
        slug="crimea",
        start_date=datetime.date(2014, 1, 1),
        date_precision="year",
        category="background",
        source=make_source(slug="crimea-report", title="Crimea report"),
        excerpt="Markets fell sharply",
    )
    make_event(title="Draft", slug="draft", status="draft")
    make_event(
        title="Troops",
        slug="troops",
        category="military",
        start_date=datetime.date(2022, 1, 24),
        end_date=datetime.date(2022, 1, 25),
    )


@pytest.mark.parametrize("chunk_size", [1000, 1], ids=["one chunk", "chunk per event"])
def test_csv_has_the_import_columns_and_only_the_listed_events(
    client, events, monkeypatch, chunk_size
):
    """Actors, tags and citations reach the right rows however the events are chunked."""
    monkeypatch.setattr("crisis.reading.exports.CHUNK_SIZE", chunk_size)
    response = client.get(
        "/export/events.csv", {"category": ["diplomacy", "background"]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_records(response)
    assert tuple(rows[0].keys()) == COLUMNS
    assert [row["slug"] for row in rows] == ["crimea", "talks-in-paris"]
    talks = rows[1]
    assert talks["start_date"] == "2022-01-26"
    assert talks["end_date"] == ""
    assert talks["countries"] == "DE; FR"
    assert talks["actors"] == "emmanuel-macron:initiator; olaf-scholz:participant"
    assert talks["tags"] == "talks"
    assert talks["quote_count"] == "1"
    assert talks["url"] == "http://testserver/events/talks-in-paris/"
    assert talks["status"] == "published"
    assert talks["citations"] == "wire-leaders: Leaders met in Paris on Wednesday."
    assert talks["citation_sources"] == (
        "Leaders meet, Wire, 2022-01-26, https://wire.example/leaders"
    )
    assert rows[0]["display_date"] == "2014"
    assert rows[0]["date_precision"] == "year"
    assert rows[0]["citations"] == "crimea-report: Markets fell sharply"


def test_json_carries_actors_tags_and_citations_as_objects(client, events):
    response = client.get("/export/events.json", {"q": "Paris"})
    assert response["Content-Type"] == "application/json"
    (record,) = json.loads(response.getvalue())
    assert record["start_date"] == "2022-01-26"
    assert record["importance"] == 2
    assert record["countries"] == ["DE", "FR"]
    assert record["actors"] == [
        {"name": "Emmanuel Macron", "slug": "emmanuel-macron", "role": "initiator"},
        {"name": "Olaf Scholz", "slug": "olaf-scholz", "role": "participant"},
    ]
    assert record["tags"] == [{"name": "Peace talks", "slug": "talks"}]
    assert record["citations"] == [
        {
            "excerpt": "Leaders met in Paris on Wednesday.",
            "source": "wire-leaders",
            "title": "Leaders meet",
            "publisher": "Wire",
            "url": "https://wire.example/leaders",
            "published_on": "2022-01-26",
        }
    ]


def test_drafts_never_leave_in_an_anonymous_export(client, events):
    records = json.loads(client.get("/export/events.json").getvalue())
    assert "draft" not in [record["slug"] for record in records]
    assert len(records) == 3


def test_a_staff_export_holds_exactly_the_events_the_timeline_counts(
    admin_client, events
):
    """Staff see drafts on the timeline, so "Download these N events" includes them."""
    page = admin_client.get("/")
    records = json.loads(admin_client.get("/export/events.json").getvalue())
    assert len(records) == page.context["count"] == 4
    assert {r["slug"]: r["status"] for r in records}["draft"] == "draft"
    assert f"Download these {len(records)} events" in page.content.decode()


def test_timelinejs_follows_the_timelinejs3_format(client, events):
    data = json.loads(client.get("/export/timelinejs.json").getvalue())
    assert set(data) == {"title", "events"}
    assert data["title"]["text"]["headline"]
    by_id = {event["unique_id"]: event for event in data["events"]}
    assert by_id["crimea"]["start_date"] == {"year": 2014, "display_date": "2014"}
    talks = by_id["talks-in-paris"]
    assert talks["start_date"]["year"] == 2022
    assert talks["start_date"]["month"] == 1
    assert talks["start_date"]["day"] == 26
    assert talks["text"]["headline"] == "Talks in Paris"
    assert (
        "&lt;b&gt;in&lt;/b&gt;" in talks["text"]["text"]
    )  # summaries are text, not HTML
    assert "“Leaders met in Paris on Wednesday.”" in talks["text"]["text"]
    assert (
        '<a href="https://wire.example/leaders">Leaders meet, Wire'
        in (talks["text"]["text"])
    )
    assert talks["group"] == "Diplomacy"
    assert by_id["troops"]["end_date"] == {"year": 2022, "month": 1, "day": 25}


def test_timelinejs_dates_a_month_precision_event_by_year_and_month(client):
    make_event(
        slug="winter", start_date=datetime.date(2021, 12, 1), date_precision="month"
    )
    (event,) = json.loads(client.get("/export/timelinejs.json").getvalue())["events"]
    assert event["start_date"] == {
        "year": 2021,
        "month": 12,
        "display_date": "December 2021",
    }


def test_icalendar_parses_back_with_all_day_events_and_citations(client, events):
    response = client.get("/export/events.ics", {"from": "2022-01-01"})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.getvalue())
    entries = {str(entry["uid"]): entry for entry in calendar.walk("VEVENT")}
    assert set(entries) == {"talks-in-paris@testserver", "troops@testserver"}
    troops = entries["troops@testserver"]
    assert troops.decoded("dtstart") == datetime.date(2022, 1, 24)
    assert troops.decoded("dtend") == datetime.date(2022, 1, 26)  # exclusive end
    assert str(troops["summary"]) == "Troops"
    talks = entries["talks-in-paris@testserver"]
    assert str(talks["location"]) == "Paris"
    assert "“Leaders met in Paris on Wednesday.” — Leaders meet, Wire, 2022-01-26" in (
        str(talks["description"])
    )


def test_icalendar_spans_a_year_precision_event_over_its_year(client, events):
    calendar = icalendar.Calendar.from_ical(
        client.get("/export/events.ics", {"q": "Crimea"}).getvalue()
    )
    (crimea,) = calendar.walk("VEVENT")
    assert crimea.decoded("dtstart") == datetime.date(2014, 1, 1)
    assert crimea.decoded("dtend") == datetime.date(2015, 1, 1)
    assert "Dated 2014 (year only)" in str(crimea["description"])


def test_icalendar_spans_a_month_precision_event_over_its_months(client):
    make_event(
        start_date=datetime.date(2021, 11, 1),
        end_date=datetime.date(2021, 12, 1),
        date_precision="month",
    )
    (entry,) = icalendar.Calendar.from_ical(
        client.get("/export/events.ics").getvalue()
    ).walk("VEVENT")
    assert entry.decoded("dtstart") == datetime.date(2021, 11, 1)
    assert entry.decoded("dtend") == datetime.date(2022, 1, 1)


@pytest.mark.parametrize(
    "url",
    [
        "/export/events.csv",
        "/export/events.json",
        "/export/timelinejs.json",
        "/export/events.ics",
    ],
)
def test_empty_result_exports_a_valid_empty_file(client, url):
    response = client.get(url, {"q": "nothing matches this"})
    assert response.status_code == 200
    body = response.getvalue()
    if url.endswith(".csv"):
        assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
            list(COLUMNS)
        ]
    elif url.endswith(".ics"):
        assert icalendar.Calendar.from_ical(body).walk("VEVENT") == []
    elif "timelinejs" in url:
        assert json.loads(body)["events"] == []
    else:
        assert json.loads(body) == []


@pytest.mark.parametrize(
    "url",
    [
        "/export/events.csv",
        "/export/events.json",
        "/export/timelinejs.json",
        "/export/events.ics",
    ],
)
def test_bad_parameters_give_a_400_that_names_them(client, url):
    response = client.get(url, {"from": "2022-13-45", "actor": "99999"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "from: Enter a real date" in body
    assert "actor: No actor is called “99999”" in body


@pytest.mark.parametrize(
    "url",
    [
        "/export/events.csv",
        "/export/events.json",
        "/export/timelinejs.json",
        "/export/events.ics",
    ],
)
def test_export_query_count_is_fixed(client, url, django_assert_max_num_queries):
    """Guards against N+1 queries in exports: the same queries for 2 or 40 events.
    Seven at most: on SQLite a search counts its matches first, to choose its way."""
    actor = make_actor(slug="the-actor")
    for _ in range(2):
        make_quote(event=make_event(actors=[actor]))
    query = {"actor": "the-actor", "q": "event"}
    with django_assert_max_num_queries(7) as few:
        client.get(url, query).getvalue()
    for _ in range(38):
        event = make_event(actors=[actor, make_actor()])
        event.tags.add(Tag.objects.get_or_create(name="t", slug="t")[0])
        make_quote(event=event)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, query)
        assert response.getvalue()
    assert response.status_code == 200


def test_every_format_parses_with_its_citations_and_a_year_dated_event(client, events):
    """Each download read back by a parser: the citation and the 2014 event survive."""
    excerpt = "Markets fell sharply"
    rows = {row["slug"]: row for row in _csv_records(client.get("/export/events.csv"))}
    assert rows["crimea"]["citations"] == f"crimea-report: {excerpt}"
    assert (rows["crimea"]["date_precision"], rows["crimea"]["display_date"]) == (
        "year",
        "2014",
    )
    records = {
        r["slug"]: r for r in json.loads(client.get("/export/events.json").getvalue())
    }
    assert records["crimea"]["citations"][0]["excerpt"] == excerpt
    assert records["crimea"]["citations"][0]["title"] == "Crimea report"
    timeline = json.loads(client.get("/export/timelinejs.json").getvalue())
    crimea = next(e for e in timeline["events"] if e["unique_id"] == "crimea")
    assert crimea["start_date"] == {"year": 2014, "display_date": "2014"}
    assert excerpt in crimea["text"]["text"]
    calendar = icalendar.Calendar.from_ical(client.get("/export/events.ics").getvalue())
    entry = next(
        e for e in calendar.walk("VEVENT") if str(e["uid"]) == "crimea@testserver"
    )
    assert (entry.decoded("dtstart"), entry.decoded("dtend")) == (
        datetime.date(2014, 1, 1),
        datetime.date(2015, 1, 1),
    )
    assert excerpt in str(entry["description"])


EXPORT_URLS = [
    "/export/events.csv",
    "/export/events.json",
    "/export/timelinejs.json",
    "/export/events.ics",
]


@pytest.mark.parametrize("url", EXPORT_URLS)
def test_queries_grow_by_chunk_not_by_event(
    client, monkeypatch, url, django_assert_max_num_queries
):
    """Guards against N+1 queries: a count, the streamed events, three per chunk."""
    monkeypatch.setattr("crisis.reading.exports.CHUNK_SIZE", 4)
    actor = make_actor()
    for _ in range(10):
        make_quote(event=make_event(actors=[actor], source=make_source()))
    chunks = 3  # 10 events, 4 to a chunk
    with django_assert_max_num_queries(2 + 3 * chunks):
        response = client.get(url)
        assert response.getvalue()


@pytest.mark.parametrize("url", EXPORT_URLS)
def test_a_file_is_sent_while_its_later_events_are_still_unread(
    client, monkeypatch, url
):
    """Streamed: the first piece leaves after the first chunk, before the last is read."""
    monkeypatch.setattr("crisis.reading.exports.CHUNK_SIZE", 1)
    monkeypatch.setattr("crisis.reading.exports.PIECE_BYTES", 1)
    for _ in range(5):
        make_event()
    response = client.get(url)
    assert response.streaming
    with CaptureQueriesContext(connection) as queries:
        pieces = iter(response.streaming_content)
        first = next(pieces)
        read_for_first = len(queries.captured_queries)
        rest = b"".join(pieces)
    assert first and rest
    assert read_for_first < len(queries.captured_queries)


def test_the_streamed_calendar_is_the_whole_calendar_byte_for_byte(events):
    """Written one VEVENT at a time, the file is what icalendar writes for all at once."""
    rows = list(exports.export_rows(Event.objects.all(), str))
    whole = export_files.calendar()
    for row in rows:
        whole.add_component(export_files.calendar_entry(row, "example.org"))
    streamed = b"".join(
        exports.in_pieces(export_files.stream_icalendar(iter(rows), "example.org"))
    )
    assert streamed == whole.to_ical()
    assert len(icalendar.Calendar.from_ical(streamed).walk("VEVENT")) == len(rows)


def test_the_streamed_csv_is_what_the_admin_would_write(events):
    """The same bytes as tablib's CSV of the neutralised rows (the admin's export)."""
    import tablib

    from crisis.csv_safety import neutralised

    rows = list(exports.export_rows(Event.objects.all(), str))
    dataset = tablib.Dataset(headers=list(COLUMNS))
    for row in rows:
        record = row.as_record()
        dataset.append([record[column] for column in COLUMNS])
    streamed = b"".join(exports.in_pieces(export_files.stream_csv(iter(rows))))
    assert streamed.decode() == "\ufeff" + neutralised(dataset).export("csv")


@pytest.fixture
def timelinejs_cap_of_two(monkeypatch):
    capped = dataclasses.replace(exports.FORMATS["timelinejs"], cap=2)
    monkeypatch.setitem(exports.FORMATS, "timelinejs", capped)


def test_timelinejs_holds_the_first_events_up_to_its_cap_and_says_so(
    client, events, timelinejs_cap_of_two
):
    data = json.loads(client.get("/export/timelinejs.json").getvalue())
    timeline = json.loads(client.get("/export/events.json").getvalue())
    assert [e["unique_id"] for e in data["events"]] == [
        record["slug"] for record in timeline[:2]
    ]
    assert "holds the first 2 events of 3" in data["title"]["text"]["text"]


def test_the_page_says_timelinejs_is_capped_beside_its_link(
    client, events, timelinejs_cap_of_two
):
    html = client.get("/").content.decode()
    link = html.index(">TimelineJS</a>")
    assert "(the first 2 events)" in html[link : link + 80]
    assert (
        "(the first 2 events)" not in client.get("/", {"q": "Paris"}).content.decode()
    )


@pytest.fixture
def icalendar_limit_of_two(monkeypatch):
    monkeypatch.setattr("crisis.reading.exports.EXPORT_SECONDS", 1)
    slow = dataclasses.replace(exports.FORMATS["ics"], events_per_second=2)
    monkeypatch.setitem(exports.FORMATS, "ics", slow)


def test_an_export_too_big_to_write_in_time_is_refused_with_the_numbers(
    client, events, icalendar_limit_of_two
):
    response = client.get("/export/events.ics", {"from": "2000-01-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "3 events are more than one iCalendar file holds (2)" in body
    assert "http://testserver/?from=2000-01-01" in body
    assert client.get("/export/events.csv").status_code == 200
    narrower = client.get("/export/events.ics", {"from": "2022-01-01"})
    assert narrower.status_code == 200


def test_the_page_offers_a_narrower_filter_instead_of_a_too_big_export(
    client, events, icalendar_limit_of_two
):
    html = client.get("/").content.decode()
    assert 'href="/export/events.csv"' in html
    assert 'href="/export/events.ics"' not in html
    assert "3 events are more than one iCalendar file holds (2)" in html
    narrowed = client.get("/", {"from": "2022-01-01"}).content.decode()
    assert 'href="/export/events.ics?from=2022-01-01"' in narrowed


def test_the_table_page_links_every_format_and_notes_the_timelinejs_cap(
    client, events, icalendar_limit_of_two
):
    """The table does not count its rows, so each limit is checked on download."""
    html = client.get("/table/").content.decode()
    assert 'href="/export/events.ics"' in html
    assert f"(the first {exports.TIMELINEJS_MAX_EVENTS} events)" in html
