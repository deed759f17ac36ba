import pytest
from django.urls import reverse

from crisis.models import Event
from tests.factories import make_actor, make_event, make_quote

pytestmark = pytest.mark.django_db


def test_timeline_shows_published_seed_events_grouped_by_day(client, seeded):
    response = client.get("/?from=2022-01-26")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<time datetime="2022-01-26">Wednesday 26 January 2022</time>' in html
    html = client.get("/").content.decode()
    first = Event.objects.published().first()
    assert first.title in html


def test_timeline_hides_drafts(client):
    make_event(title="A published event")
    make_event(title="A draft event", status="draft")
    html = client.get("/").content.decode()
    assert "A published event" in html
    assert "A draft event" not in html


def test_timeline_query_count_does_not_grow_with_events(
    client, django_assert_max_num_queries
):
    """Guards against N+1 queries on the timeline: same budget for 3 or 30 events.

    Nine: the extent, the axis's rows, the page and its three prefetches, the headings'
    counts, the picker's actors, and its tags and countries in one.
    """
    for _ in range(3):
        make_quote(event=make_event())
    with django_assert_max_num_queries(9) as few:
        client.get("/")
    for _ in range(27):
        make_quote(event=make_event())
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/").status_code == 200


def test_event_page_shows_quotes_and_cited_excerpts(client, seeded):
    event = Event.objects.published().filter(quotes__isnull=False).first()
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert event.title in html
    assert event.quotes.first().speaker.name in html
    assert "<blockquote" in html


def test_event_page_query_count_is_fixed(client, django_assert_max_num_queries):
    """Guards against N+1 queries on the event page: actors, quotes, citations prefetched,
    and the passages they link to numbered in two queries whatever the sources."""
    event = make_event()
    for _ in range(10):
        make_quote(event=event)
    with django_assert_max_num_queries(9):
        assert client.get(event.get_absolute_url()).status_code == 200


def test_draft_event_page_is_404_for_the_public_and_visible_to_staff(
    client, admin_user
):
    event = make_event(status="draft")
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(admin_user)
    assert "Draft" in client.get(event.get_absolute_url()).content.decode()


def test_unknown_event_is_a_404(client):
    assert (
        client.get(reverse("crisis:event_detail", args=["no-such-event"])).status_code
        == 404
    )


def test_actor_quote_and_source_pages_render(client, seeded):
    event = Event.objects.published().filter(quotes__isnull=False).first()
    quote = event.quotes.first()
    for url in (
        quote.speaker.get_absolute_url(),
        quote.get_absolute_url(),
        quote.source.get_absolute_url(),
    ):
        assert client.get(url).status_code == 200, url


def test_previous_and_next_links_walk_the_timeline(client):
    first, second, third = (
        make_event(title=f"E{i}", start_date=f"2022-01-2{i}") for i in range(3)
    )
    html = client.get(second.get_absolute_url()).content.decode()
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html


# The filterable timeline


def test_timeline_full_page_and_htmx_fragment(client, seeded):
    full = client.get("/", {"q": "Scholz"})
    assert full.status_code == 200
    assert "<html" in full.content.decode()
    assert full["Vary"] and "HX-Request" in full["Vary"]
    fragment = client.get(
        "/",
        {"q": "Scholz"},
        headers={"HX-Request": "true", "HX-Target": "timeline-results"},
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert 'id="timeline-results"' in html
    assert 'id="timeline-filters"' not in html  # the form being typed in is left alone
    assert full.content.decode().count("card card--") == html.count("card card--")


def test_links_outside_the_form_get_the_form_and_results(client, seeded):
    html = client.get(
        "/",
        {"tag": "nato"},
        headers={"HX-Request": "true", "HX-Target": "timeline-app"},
    ).content.decode()
    assert "<html" not in html
    assert 'id="timeline-filters"' in html
    assert '<option value="nato" selected>' in html


def test_history_restore_gets_the_full_page(client, seeded):
    response = client.get(
        "/",
        {"q": "Scholz"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def _event_list(html):
    """The list of events, without the time axis (which names every event)."""
    return html[html.index('id="timeline-list"') :]


def test_load_more_is_the_same_url_with_page_and_gives_only_events(client, settings):
    settings.TIMELINE_PAGE_SIZE = 2
    for day in range(1, 6):
        make_event(title=f"Day {day}", start_date=f"2022-01-0{day}")
    first = _event_list(client.get("/").content.decode())
    assert "Day 2" in first and "Day 3" not in first
    assert 'hx-trigger="intersect once"' in first
    more = client.get("/", {"page": 2}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in more
    assert "Day 3" in more and "Day 4" in more and "Day 2" not in more
    assert 'id="timeline-results"' not in more
    assert "page=3" in more
    last = client.get("/", {"page": 3}, headers={"HX-Request": "true"}).content.decode()
    assert "Day 5" in last and 'hx-trigger="intersect once"' not in last


def test_page_without_javascript_links_both_ways(client, settings):
    settings.TIMELINE_PAGE_SIZE = 2
    for day in range(1, 6):
        make_event(title=f"Day {day}", start_date=f"2022-01-0{day}")
    html = client.get("/", {"page": 2}).content.decode()
    assert "<html" in html
    assert "Day 3" in _event_list(html) and "Day 1" not in _event_list(html)
    assert 'href="/?page=1"' in html and 'href="/?page=3"' in html


def test_a_group_split_by_a_page_is_marked_continued(client, settings):
    settings.TIMELINE_PAGE_SIZE = 2
    for number in range(3):
        make_event(title=f"Same day {number}")
    more = client.get("/", {"page": 2}, headers={"HX-Request": "true"}).content.decode()
    assert "(continued)" in more


def test_result_count_chips_and_clear_all(client, seeded):
    html = client.get(
        "/", {"actor": "olaf-scholz", "category": "diplomacy"}
    ).content.decode()
    count = (
        Event.objects.published()
        .filter(event_actors__actor__slug="olaf-scholz", category="diplomacy")
        .distinct()
        .count()
    )
    assert f"{count} event" in html
    assert 'aria-label="Remove filter Actors: Olaf Scholz"' in html
    assert (
        'href="/?category=diplomacy"' in html
    )  # removing the actor keeps the category
    assert ">Clear all</a>" in html


def test_empty_state_names_the_filters_that_removed_everything(client):
    make_event(title="Military", category="military")
    html = client.get(
        "/", {"category": "military", "q": "nothing-like-this"}
    ).content.decode()
    assert "0 events" in html
    assert "No events match all of these filters" in html
    assert "without Search “nothing-like-this”</a>: 1 event" in html


def test_an_empty_result_is_served_from_the_cache_too(
    client, django_assert_max_num_queries
):
    """No strip (None) and the suggestions' counts are cached like any other result."""
    make_event(category="military")
    url = "/?category=military&q=nothing-like-this"
    assert "Removing one of them would show" in client.get(url).content.decode()
    with django_assert_max_num_queries(1):  # the page of events itself
        assert "Removing one of them would show" in client.get(url).content.decode()


def test_axis_stretches_link_to_their_days_with_the_other_filters(client):
    """The zoom-in links narrow from/to and keep the other filters (no JavaScript)."""
    make_event(start_date="2022-01-24", category="military")
    make_event(start_date="2022-01-26", category="military")
    query = {"category": "military", "from": "2022-01-24", "to": "2022-01-26"}
    html = client.get("/", query).content.decode()
    zoom = html[html.index('class="axis__zoom"') :]
    assert 'href="/?category=military&amp;from=2022-01-24&amp;to=2022-01-24"' in zoom
    assert ">24 January 2022</a>" in zoom


def test_wide_ranges_group_by_month(client):
    make_event(title="Early", start_date="2020-03-02")
    make_event(title="Late", start_date="2022-01-24")
    html = client.get("/").content.decode()
    assert '<time datetime="2020-03">March 2020</time>' in html
    assert '<time datetime="2022-01">January 2022</time>' in html


def test_medium_ranges_group_by_week(client):
    make_event(title="Early", start_date="2022-01-04")
    make_event(title="Late", start_date="2022-04-20")
    html = client.get("/").content.decode()
    assert '<time datetime="2022-W01">Week of 3 January 2022</time>' in html


def test_year_dated_events_keep_an_honest_heading(client):
    make_event(title="Crimea", start_date="2014-01-01", date_precision="year")
    make_event(title="Now", start_date="2022-01-24")
    html = client.get("/").content.decode()
    assert '<time datetime="2014">2014</time>' in html


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2022-13-45"}, "from", "Enter a real date as YYYY-MM-DD"),
        ({"actor": "99999"}, "actor", "No actor is called “99999”"),
        ({"q": "x" * 1000}, "q", "Search text is too long"),
        ({"importance": "5"}, "importance", "Importance is a minimum"),
    ],
)
def test_bad_parameter_gets_400_and_a_message_beside_its_field(
    client, query, field, message
):
    make_event(title="Still shown")
    response = client.get("/", query)
    assert response.status_code == 400
    html = response.content.decode()
    error_slot = html.split(f'id="error-{field}"', 1)[1].split("</p>", 1)[0]
    assert message in error_slot
    assert "Still shown" in html  # the other filters (none here) still apply


def test_bad_parameter_errors_reach_the_form_out_of_band(client):
    html = client.get(
        "/",
        {"from": "2022-13-45"},
        headers={"HX-Request": "true", "HX-Target": "timeline-results"},
    ).content.decode()
    assert (
        'id="error-from" aria-live="polite" hx-swap-oob="true">Enter a real date'
        in html
    )


@pytest.mark.parametrize("page", ["-1", "0", "abc", "99999999999999999999"])
def test_bad_page_is_400_with_a_message(client, page):
    make_event()
    response = client.get("/", {"page": page})
    assert response.status_code == 400
    assert "message--error" in response.content.decode()


def test_page_past_the_end_is_404_with_a_message(client):
    make_event()
    response = client.get("/", {"page": 5})
    assert response.status_code == 404
    assert "There is no page 5" in response.content.decode()


def test_ten_kilobyte_query_is_refused_without_a_500(client):
    response = client.get("/", {"q": "x" * 10_240})
    # Refused by the query-string limit (414) before the view's own check (400).
    assert response.status_code in (400, 414)


def test_script_in_search_is_escaped(client):
    html = client.get("/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


def test_every_list_url_keeps_the_parameter_contract(client):
    assert reverse("crisis:timeline") == "/"
    assert reverse("crisis:event_table") == "/table/"
    assert reverse("crisis:export_csv") == "/export/events.csv"
    assert reverse("crisis:export_json") == "/export/events.json"
    assert reverse("crisis:export_timelinejs") == "/export/timelinejs.json"
    assert reverse("crisis:export_ics") == "/export/events.ics"
    assert reverse("crisis:actor_list") == "/actors/"
    assert reverse("crisis:quote_list") == "/quotes/"
    assert reverse("crisis:source_list") == "/sources/"


def test_export_links_carry_the_current_filters(client):
    make_event(category="military")
    html = client.get("/", {"category": "military", "q": "event"}).content.decode()
    assert 'href="/export/events.csv?q=event&amp;category=military"' in html
    assert 'href="/export/events.ics?q=event&amp;category=military"' in html


def test_filtered_timeline_query_count_is_fixed(client, django_assert_max_num_queries):
    """Guards against N+1 queries on a filtered timeline and its load-more pages.

    Ten at first: the actor asked for is checked in the picker's own query, and the
    text search adds one.
    """
    actor = make_actor(slug="the-actor")
    for _ in range(3):
        make_quote(event=make_event(actors=[actor]))
    query = {"actor": "the-actor", "q": "event", "category": "diplomacy"}
    with django_assert_max_num_queries(10) as few:
        client.get("/", query)
    for _ in range(40):
        make_quote(event=make_event(actors=[actor, make_actor()]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/", query).status_code == 200
    # A further page renders no form: on SQLite its search counts its matches alone.
    with django_assert_max_num_queries(7):
        client.get("/", {**query, "page": 2}, headers={"HX-Request": "true"})


# Other pages


def test_event_page_links_actors_tags_and_neighbours(client, seeded):
    event = Event.objects.published().filter(tags__isnull=False).first()
    html = client.get(event.get_absolute_url()).content.decode()
    link = event.event_actors.first()
    assert f'href="{link.actor.get_absolute_url()}"' in html
    tag = event.tags.first()
    assert f'href="/?tag={tag.slug}"' in html
    assert 'rel="bookmark"' in html
    assert 'rel="next"' in html or 'rel="prev"' in html


def test_actor_page_links_to_the_timeline_filtered_by_them(client, seeded):
    html = client.get("/actors/olaf-scholz/").content.decode()
    assert 'href="/?actor=olaf-scholz"' in html
    assert "on the timeline" in html


def test_actor_page_query_count_is_fixed(client, django_assert_max_num_queries):
    """Guards against N+1 queries on the actor page: events and quotes in bulk, and the
    passages of their sources numbered in two queries whatever the sources."""
    actor = make_actor()
    for _ in range(10):
        make_quote(speaker=actor, event=make_event(actors=[actor]))
    with django_assert_max_num_queries(5):
        assert client.get(actor.get_absolute_url()).status_code == 200


def test_source_page_highlights_every_cited_passage_and_links_its_citer(client):
    event = make_event(title="Leaders meet")
    quote = make_quote(source=event.citations.first().source)
    html = client.get(
        event.citations.first().source.get_absolute_url()
    ).content.decode()
    assert (
        '<mark class="cited" id="passage-1">Leaders met in Paris on Wednesday.</mark>'
        in html
    )
    assert f'href="{event.get_absolute_url()}"' in html
    assert f'href="{quote.get_absolute_url()}"' in html
    assert "Markets fell sharply" in html  # uncited text is still shown


def test_source_page_hides_passages_of_drafts(client):
    event = make_event(title="Secret draft", status="draft")
    html = client.get(
        event.citations.first().source.get_absolute_url()
    ).content.decode()
    assert "Secret draft" not in html
    assert '<mark class="cited"' not in html


def test_source_page_query_count_is_fixed(client, django_assert_max_num_queries):
    """Guards against N+1 queries on the source page: citers are joined, not fetched one by one."""
    source = make_event().citations.first().source
    for _ in range(10):
        make_event(source=source)
        make_quote(source=source)
    with django_assert_max_num_queries(4):
        assert client.get(source.get_absolute_url()).status_code == 200
