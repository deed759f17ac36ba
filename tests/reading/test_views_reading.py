"""The timeline as a reader reads it: reading modes, headings with counts, the axis on
the page, the actor and country pickers."""

import pytest

from tests.factories import make_actor, make_event, make_quote

pytestmark = pytest.mark.django_db


def _list(html):
    return html[html.index('id="timeline-list"') :]


@pytest.mark.parametrize("view", ["cards", "headlines"])
def test_timeline_query_count_is_fixed_in_both_reading_modes(
    client, view, django_assert_max_num_queries
):
    """Guards against N+1 queries in cards and in headlines: same budget for 3 or 30."""
    actor = make_actor()
    for _ in range(3):
        make_quote(event=make_event(actors=[actor, make_actor()]))
    with django_assert_max_num_queries(9) as few:
        client.get("/", {"view": view})
    for _ in range(27):
        make_quote(event=make_event(actors=[actor, make_actor()]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/", {"view": view}).status_code == 200


def test_headlines_are_one_line_per_event_with_date_title_and_actors(client):
    actor = make_actor(name="Olaf Scholz")
    make_event(title="Talks in Paris", actors=[actor], category="military")
    html = _list(client.get("/", {"view": "headlines"}).content.decode())
    assert '<li class="headline cat--military">' in html
    assert 'class="headline__date" datetime="2022-01-24">24 January 2022</time>' in html
    assert "Talks in Paris</a>" in html and "Olaf Scholz" in html
    assert 'class="card ' not in html


def test_cards_and_headlines_never_get_each_others_cached_html(client):
    """The same events cached as cards are not served as headlines, nor the reverse,
    whole pages and htmx partials alike."""
    make_event(title="Cached both ways")
    for first, second in (("cards", "headlines"), ("headlines", "cards")):
        for headers in ({}, {"HX-Request": "true", "HX-Target": "timeline-app"}):
            client.get("/", {"view": first}, headers=headers)
            html = _list(
                client.get("/", {"view": second}, headers=headers).content.decode()
            )
            has_cards = 'class="card ' in html
            has_headlines = 'class="headlines"' in html
            assert (has_cards, has_headlines) == (
                second == "cards",
                second == "headlines",
            )


def test_reading_mode_control_and_links_keep_the_mode(client):
    make_event(category="military")
    html = client.get(
        "/", {"view": "headlines", "category": "military"}
    ).content.decode()
    assert 'href="/?category=military" hx-get="/?category=military"' in html  # to cards
    assert 'aria-current="true">Headlines</a>' in html
    assert '<input type="hidden" name="view" value="headlines">' in html
    # Removing the category filter keeps the reading mode; exports ignore it.
    assert 'href="/?view=headlines"' in html
    assert 'href="/export/events.csv?category=military"' in html


def test_unknown_reading_mode_is_a_400_that_says_so(client):
    make_event()
    response = client.get("/", {"view": "poster"})
    assert response.status_code == 400
    assert (
        "Unknown view: choose view=cards or view=headlines."
        in response.content.decode()
    )


def test_a_crowded_day_is_split_by_category_with_counts_over_every_page(
    client, settings
):
    settings.TIMELINE_PAGE_SIZE = 9
    for number in range(6):
        make_event(title=f"Mil {number}", category="military")
    for number in range(6):
        make_event(title=f"Dip {number}", category="diplomacy")
    html = _list(client.get("/").content.decode())
    assert '<span class="day__count">12 events</span>' in html
    assert "Diplomacy <span" in html and '<span class="day__count">(6)</span>' in html
    assert html.index("Diplomacy <span") < html.index("Military <span")


def test_picker_resolves_an_alias_typed_without_javascript(client):
    make_actor(name="Jens Stoltenberg", slug="jens-stoltenberg", aliases="NATO chief")
    make_event(title="Alliance meets", actors=[make_actor(slug="other")])
    response = client.get("/", {"actor": "nato chief"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-label="Remove filter Actors: Jens Stoltenberg"' in html
    assert 'value="jens-stoltenberg" checked' in html


@pytest.mark.parametrize(
    "name, typed, why",
    [
        ("actor", "Nobody Atall", "No actor is called “Nobody Atall”"),
        ("country", "Atlantis", "“Atlantis” is not an ISO country code"),
    ],
)
def test_picker_keeps_an_unknown_name_and_says_why(client, name, typed, why):
    response = client.get("/", {name: typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert why in html
    assert f'id="id_{name}" value="{typed}"' in html, "what was typed stays in the box"


def test_picker_asks_for_more_when_a_name_matches_several(client):
    make_actor(name="Anna One")
    make_actor(name="Anna Two")
    html = client.get("/", {"actor": "Anna"}).content.decode()
    assert "“Anna” matches several actors (Anna One, Anna Two)" in html


def test_suggestions_match_names_and_aliases(client):
    make_actor(name="Olaf Scholz", slug="olaf-scholz", aliases="German Chancellor")
    html = client.get("/actors/suggest/", {"actor": "chancellor"}).content.decode()
    assert "<html" not in html
    assert 'value="olaf-scholz"> Olaf Scholz <small>“German Chancellor”</small>' in html
    assert (
        "No actor" in client.get("/actors/suggest/", {"actor": "zz"}).content.decode()
    )


def test_country_is_found_by_its_name(client):
    make_actor(country="DE")  # the picker offers the countries of actors
    make_event(title="In Germany", countries=["DE"])
    make_event(title="Elsewhere", countries=["FR"])
    html = client.get("/", {"country": "germany"}).content.decode()
    assert 'aria-label="Remove filter Countries: Germany"' in html
    assert "In Germany" in _list(html) and "Elsewhere" not in _list(html)
    assert 'value="DE" checked> Germany' in html, "the picker shows it as a chip"


def test_countries_picked_by_code_and_name_widen_the_list(client):
    make_event(title="In Germany", countries=["DE"])
    make_event(title="In France", countries=["FR"])
    make_event(title="In Italy", countries=["IT"])
    html = client.get("/", {"country": ["fr", "Germany"]}).content.decode()
    assert "In Germany" in _list(html) and "In France" in _list(html)
    assert "In Italy" not in _list(html)
    assert 'aria-label="Remove filter Countries: France"' in html
    assert (
        'value="FR" checked> France' in html and 'value="DE" checked> Germany' in html
    )


def test_speaker_suggestions_are_quoted_actors_only(client):
    speaker = make_actor(name="Olaf Scholz", aliases="Chancellor Scholz")
    make_quote(speaker=speaker)
    make_actor(name="Olaf Unquoted")
    html = client.get("/quotes/speakers/suggest/", {"speaker": "olaf"}).content.decode()
    assert f'name="speaker" value="{speaker.slug}"' in html
    assert "Unquoted" not in html
    by_alias = client.get("/quotes/speakers/suggest/", {"speaker": "chancellor"})
    assert "Olaf Scholz" in by_alias.content.decode()
    assert "“Chancellor Scholz”" in by_alias.content.decode()
    nothing = client.get("/quotes/speakers/suggest/", {"speaker": "unquoted"})
    assert "No speaker’s name or alias holds “unquoted”." in nothing.content.decode()


def test_country_suggestions_match_names_and_codes(client):
    html = client.get("/countries/suggest/", {"country": "ger"}).content.decode()
    assert "<html" not in html
    assert 'name="country" value="DE"> Germany <small>DE</small>' in html
    by_code = client.get("/countries/suggest/", {"country": "ua"}).content.decode()
    assert by_code.index('value="UA"') < by_code.index("</li>"), "the code comes first"
    nothing = client.get("/countries/suggest/", {"country": "zzq"}).content.decode()
    assert "No country’s name holds “zzq”" in nothing


def test_axis_lanes_are_the_chosen_actors(client):
    scholz = make_actor(name="Olaf Scholz", slug="olaf-scholz")
    biden = make_actor(name="Joe Biden", slug="joe-biden")
    make_event(actors=[scholz], title="Berlin visit")
    make_event(actors=[biden], title="Washington call")
    html = client.get("/", {"actor": ["olaf-scholz", "joe-biden"]}).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.index(">Olaf Scholz</text>") < svg.index(">Joe Biden</text>")
    assert 'aria-label="Berlin visit, 24 January 2022"' in svg


def test_axis_marks_are_links_named_by_title_and_date(client):
    make_event(
        title="Talks", slug="talks", date_precision="reported", start_date="2022-01-25"
    )
    html = client.get("/").content.decode()
    assert '<a href="/events/talks/" aria-label="Talks, by 25 January 2022">' in html
    assert (
        'class="mark--reported"' in html and "style=" not in html[html.index("<svg") :]
    )


def test_the_results_partial_updates_the_folded_filters_count(client):
    """htmx swaps only the results; the "Filters (n)" count comes out of band."""
    make_event(title="Troops move", category="military")
    headers = {"HX-Request": "true", "HX-Target": "timeline-results"}
    partial = client.get("/?q=troops&category=military", headers=headers)
    html = partial.content.decode()
    assert "<html" not in html
    assert '<span id="filters-count" hx-swap-oob="true">2</span>' in html
    page = client.get("/?q=troops").content.decode()
    assert 'Filters (<span id="filters-count">1</span>)' in page
