"""The map of involved countries: counts per filter, links, the SVG itself."""

import re
import xml.etree.ElementTree as ET

import pytest
from django_countries import countries

from crisis.models import Status
from maps.geometry import country_shapes
from tests.factories import make_actor, make_event

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def events():
    nato = make_actor(name="NATO", slug="nato")
    make_event(actors=[nato], countries=["UA", "RU"])
    make_event(actors=[nato], countries=["UA"])
    make_event(countries=["UA", "US"])
    make_event(countries=["FR"], status=Status.DRAFT)


def svg_of(body):
    return ET.fromstring(re.search(r"<svg.*?</svg>", body, re.S).group(0))


def country_links(svg):
    return {link.get("aria-label"): link.get("href") for link in svg.iter(f"{SVG}a")}


def test_country_counts_match_the_filter(client, events):
    everything = country_links(svg_of(client.get("/map/").content.decode()))
    assert everything == {
        "Ukraine: 3 events": "/?country=UA",
        "Russia: 1 event": "/?country=RU",
        "United States of America: 1 event": "/?country=US",
    }
    by_nato = country_links(svg_of(client.get("/map/?actor=nato").content.decode()))
    assert set(by_nato) == {"Ukraine: 2 events", "Russia: 1 event"}


def test_each_country_links_to_the_timeline_with_its_filter_added(client, events):
    body = client.get("/map/?actor=nato&country=RU&page=2").content.decode()
    links = country_links(svg_of(body))
    assert links["Russia: 1 event"] == "/?actor=nato&country=RU"
    timeline = client.get("/?actor=nato&country=UA").content.decode()
    assert ">2 events<" in timeline  # the filter the link adds narrows the timeline


def test_the_table_lists_the_same_counts_as_the_map(client, events):
    body = client.get("/map/").content.decode()
    rows = re.findall(
        r'<tr><th scope="row"><a href="([^"]+)"[^>]*>([^<]+)</a></th><td>(\d+)</td>',
        body,
    )
    assert rows == [
        ("/?country=UA", "Ukraine", "3"),
        ("/?country=RU", "Russia", "1"),
        ("/?country=US", "United States of America", "1"),
    ]
    assert 'class="map-legend"' in body


def test_the_darkest_shade_goes_to_the_most_events(client, events):
    svg = svg_of(client.get("/map/").content.decode())
    shade = {
        link.get("aria-label").split(":")[0]: link.find(f"{SVG}path").get("class")
        for link in svg.iter(f"{SVG}a")
    }
    assert shade["Ukraine"] == "shade-5"
    assert shade["Russia"] == "shade-2"


def test_the_svg_parses_draws_the_world_and_stays_small(client, events):
    body = client.get("/map/").content.decode()
    svg_text = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    svg = ET.fromstring(svg_text)
    assert svg.get("viewBox").startswith("0 0 ")
    assert len(list(svg.iter(f"{SVG}path"))) > 150
    assert len(svg_text.encode()) < 60_000


def test_htmx_gets_the_map_alone_and_the_timeline_loads_it_lazily(client, events):
    partial = client.get("/map/?actor=nato", headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "<svg" in partial.content.decode()
    timeline = client.get("/?actor=nato").content.decode()
    assert 'hx-get="/map/?actor=nato"' in timeline
    assert 'href="/map/?actor=nato"' in timeline  # the way without JavaScript
    assert "country-map__svg" not in timeline  # the map itself comes later


def test_a_bad_filter_is_a_400_with_a_message_not_a_500(client, events):
    response = client.get("/map/?country=XX&from=notadate")
    assert response.status_code == 400
    assert "could not be read" in response.content.decode()


def test_no_countries_says_so(client):
    make_event(countries=[])
    body = client.get("/map/").content.decode()
    assert "No matching event names a country." in body


def test_country_outlines_come_with_iso_codes():
    shapes = country_shapes()
    codes = {shape.code for shape in shapes if shape.code}
    assert {"UA", "RU", "BY", "PL", "US", "DE"} <= codes
    assert all(code in countries for code in codes)
    assert "AQ" not in codes  # Antarctica is left out


def test_map_queries_stay_flat(client, events, django_assert_max_num_queries):
    """Guards against a query per country."""
    with django_assert_max_num_queries(6):
        client.get("/map/")


def test_no_outline_jumps_across_the_map_at_the_antimeridian():
    """Russia and Fiji cross 180°: drawn as one continuous outline, not a streak."""
    from maps.geometry import WIDTH

    for shape in country_shapes():
        for subpath in re.findall(r"l([^Mz]*)z", shape.path):
            numbers = [int(n) for n in re.findall(r"-?\d+", subpath)]
            assert all(abs(dx) < WIDTH / 2 for dx in numbers[0::2]), shape.name
