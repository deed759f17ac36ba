import csv
import datetime
import io
import json

import icalendar
import pytest

from crisis.exports import COLUMNS
from crisis.models import EventActor, Tag
from tests.factories import make_actor, make_event, make_quote

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    scholz = make_actor(name="Olaf Scholz", slug="olaf-scholz")
    talks = make_event(
        title="Talks in Paris",
        slug="talks-in-paris",
        summary="Advisers met <b>in</b> Paris.",
        start_date=datetime.date(2022, 1, 26),
        category="diplomacy",
        countries=["FR", "DE"],
        place="Paris",
        actors=[scholz],
    )
    EventActor.objects.create(
        event=talks, actor=make_actor(name="Emmanuel Macron"), role="initiator"
    )
    talks.tags.add(Tag.objects.create(name="talks"))
    make_quote(event=talks)
    make_event(
        title="Crimea",
        slug="crimea",
        start_date=datetime.date(2014, 1, 1),
        date_precision="year",
        category="background",
    )
    make_event(title="Draft", slug="draft", status="draft")
    make_event(
        title="Troops",
        slug="troops",
        category="military",
        start_date=datetime.date(2022, 1, 24),
        end_date=datetime.date(2022, 1, 25),
    )


@pytest.mark.parametrize("listed_ids", [2000, 1], ids=["ids", "subquery"])
def test_csv_has_stable_columns_iso_dates_and_only_filtered_published_events(
    client, events, monkeypatch, listed_ids
):
    """Actors and tags are read by the events' ids, or through the filter when many."""
    monkeypatch.setattr("crisis.exports.MAX_LISTED_IDS", listed_ids)
    response = client.get(
        "/export/events.csv", {"category": ["diplomacy", "background"]}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert tuple(rows[0].keys()) == COLUMNS
    assert [row["slug"] for row in rows] == ["crimea", "talks-in-paris"]
    talks = rows[1]
    assert talks["start_date"] == "2022-01-26"
    assert talks["end_date"] == ""
    assert talks["countries"] == "DE; FR"
    assert talks["actors"] == "Emmanuel Macron (initiator); Olaf Scholz (participant)"
    assert talks["tags"] == "talks"
    assert talks["quote_count"] == "1"
    assert talks["url"] == "http://testserver/events/talks-in-paris/"
    assert rows[0]["display_date"] == "2014"


def test_json_is_a_list_of_records_with_the_csv_columns(client, events):
    response = client.get("/export/events.json", {"q": "Troops"})
    assert response["Content-Type"] == "application/json"
    records = json.loads(response.content)
    assert [tuple(record) for record in records] == [COLUMNS]
    assert records[0]["start_date"] == "2022-01-24"
    assert records[0]["end_date"] == "2022-01-25"
    assert records[0]["importance"] == 2


def test_drafts_never_leave_in_an_export_even_for_staff(admin_client, events):
    records = json.loads(admin_client.get("/export/events.json").content)
    assert "draft" not in [record["slug"] for record in records]
    assert len(records) == 3


def test_timelinejs_follows_the_timelinejs3_format(client, events):
    data = json.loads(client.get("/export/timelinejs.json").content)
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
    assert talks["group"] == "Diplomacy"
    assert by_id["troops"]["end_date"] == {"year": 2022, "month": 1, "day": 25}


def test_icalendar_parses_back_with_all_day_events(client, events):
    response = client.get("/export/events.ics", {"from": "2022-01-01"})
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    entries = {str(entry["uid"]): entry for entry in calendar.walk("VEVENT")}
    assert set(entries) == {"talks-in-paris@testserver", "troops@testserver"}
    troops = entries["troops@testserver"]
    assert troops.decoded("dtstart") == datetime.date(2022, 1, 24)
    assert troops.decoded("dtend") == datetime.date(2022, 1, 26)  # exclusive end
    assert str(troops["summary"]) == "Troops"
    assert str(entries["talks-in-paris@testserver"]["location"]) == "Paris"


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
    body = response.content
    if url.endswith(".csv"):
        assert list(csv.reader(io.StringIO(body.decode()))) == [list(COLUMNS)]
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
    """Guards against N+1 queries in exports: the same queries for 2 or 40 events."""
    actor = make_actor(slug="the-actor")
    for _ in range(2):
        make_quote(event=make_event(actors=[actor]))
    query = {"actor": "the-actor", "q": "event"}
    with django_assert_max_num_queries(5) as few:
        client.get(url, query)
    for _ in range(38):
        event = make_event(actors=[actor, make_actor()])
        event.tags.add(Tag.objects.get_or_create(name="t", slug="t")[0])
        make_quote(event=event)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, query)
    assert response.status_code == 200
