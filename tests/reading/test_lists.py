"""The table pages: events, quotes, actors and sources."""

import re
from html import unescape

import pytest

from crisis.reading.tables import ActorTable, EventTable, QuoteTable, SourceTable
from tests.factories import make_actor, make_event, make_quote

pytestmark = pytest.mark.django_db

LIST_URLS = ["/table/", "/quotes/", "/actors/", "/sources/"]


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_page_full_and_htmx_fragment(client, seeded, url):
    full = client.get(url)
    assert full.status_code == 200
    assert "<html" in full.content.decode()
    assert "could not be read" not in full.content.decode()
    fragment = client.get(
        url, headers={"HX-Request": "true", "HX-Target": "list-results"}
    )
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert 'id="list-results"' in html
    assert "<table" in html


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_cell_is_labelled_with_its_column(client, seeded, url):
    """On a phone a row stacks as labelled lines: each cell names its column."""
    html = client.get(url).content.decode()
    head = html[html.index("<thead") : html.index("</thead>")]
    headers = [
        unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", head, re.S)
    ]
    body = html[html.index("<tbody") : html.index("</tbody>")]
    rows = re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, re.S)
    assert rows and len(headers) > 2
    for row in rows:
        labels = [
            unescape(label)
            for label in re.findall(r'<td\b[^>]*data-label="([^"]*)"', row)
        ]
        assert labels == headers


def test_events_table_takes_the_timeline_filters(client, seeded):
    html = client.get("/table/", {"q": "Olf Scholz"}).content.decode()
    assert "Olaf Scholz" in html
    assert "Russia seizes Crimea" not in html
    assert 'href="/export/events.csv?q=Olf+Scholz"' in html


def test_events_table_sorts_by_title(client):
    make_event(title="Bravo")
    make_event(title="Alpha")
    html = client.get("/table/", {"sort": "-title"}).content.decode()
    assert html.index("Bravo") < html.index("Alpha")


@pytest.mark.parametrize("table", [EventTable, QuoteTable, ActorTable, SourceTable])
def test_every_sortable_column_sorts_by_a_total_order(table):
    """Each order ends with the id: rows that tie on the column keep one order from
    page to page, so paging never repeats or skips one."""
    orderable = table._meta.orderable
    sortable = {
        name: column
        for name, column in table.base_columns.items()
        if (orderable if column.orderable is None else column.orderable)
    }
    assert sortable
    for name, column in sortable.items():
        order = [key.lstrip("-") for key in (column.order_by or (name,))]
        assert order[-1] in ("pk", "id"), f"{table.__name__}.{name} sorts by {order}"


@pytest.mark.parametrize("url", LIST_URLS)
@pytest.mark.parametrize("sort", ["settings.SECRET_KEY", "-__class__", "../x", "nope"])
def test_a_sort_by_no_column_is_dropped_before_the_table_reads_it(
    client, recwarn, url, sort
):
    """django-tables2 would parse it as an attribute path (and warn of its dots)."""
    make_quote()
    response = client.get(url, {"sort": sort})
    assert response.status_code == 200
    assert not [w for w in recwarn if "accessor" in str(w.message)]
    assert f"sort={sort}" not in response.content.decode()


def test_events_table_bad_parameter_is_400_with_message(client):
    response = client.get("/table/", {"from": "2022-13-45"})
    assert response.status_code == 400
    assert "Enter a real date" in response.content.decode()


def test_quotes_table_filters_by_speaker_and_search(client, seeded):
    html = client.get("/quotes/", {"speaker": "olaf-scholz"}).content.decode()
    assert "Olaf Scholz" in html
    assert "Kirby" not in html.split('id="list-results"', 1)[1]


def test_quotes_table_unknown_speaker_is_400(client):
    response = client.get("/quotes/", {"speaker": "nobody"})
    assert response.status_code == 400
    assert "No speaker is called “nobody”" in response.content.decode()


def _results(response):
    return response.content.decode().split('id="list-results"', 1)[1]


def test_quotes_table_speakers_typed_by_name_or_alias_and_several_at_once(client):
    scholz = make_actor(name="Olaf Scholz", aliases="Chancellor Scholz")
    biden = make_actor(name="Joe Biden")
    other = make_actor(name="Boris Johnson")
    for speaker, words in [(scholz, "Aus Berlin"), (biden, "From DC"), (other, "Oi")]:
        make_quote(speaker=speaker, text=words)

    typed = client.get("/quotes/", {"speaker": "chancellor scholz"})
    assert typed.status_code == 200
    assert "Aus Berlin" in _results(typed)
    assert "From DC" not in _results(typed)
    # The typed alias comes back as the speaker it found, ticked in the picker.
    assert f'name="speaker" value="{scholz.slug}" checked' in typed.content.decode()

    both = client.get("/quotes/", {"speaker": [scholz.slug, biden.slug]})
    assert "Aus Berlin" in _results(both) and "From DC" in _results(both)
    assert "Oi" not in _results(both)


def test_quotes_table_speaker_picker_suggests_the_most_quoted_not_everyone(
    client, monkeypatch
):
    """The picker's list is bounded: a page listing every speaker grew with the data."""
    monkeypatch.setattr("crisis.reading.filters.ACTOR_CHOICES_SHOWN", 2)
    loud, louder, quiet = (make_actor(name=n) for n in ("Loud", "Louder", "Quiet One"))
    for speaker, times in [(loud, 2), (louder, 3), (quiet, 1)]:
        for _ in range(times):
            make_quote(speaker=speaker)
    unquoted = make_actor(name="Never Quoted")

    html = client.get("/quotes/").content.decode()
    assert '<option value="Loud">' in html and '<option value="Louder">' in html
    assert '<option value="Quiet One">' not in html
    assert "Never Quoted" not in html
    # Asked for, a speaker outside the suggestions is listed and ticked all the same.
    asked = client.get("/quotes/", {"speaker": quiet.slug}).content.decode()
    assert f'value="{quiet.slug}" checked> Quiet One' in asked
    # Any actor may be asked for; one never quoted simply has no quotes.
    none = client.get("/quotes/", {"speaker": unquoted.slug})
    assert none.status_code == 200
    assert "Quiet One" not in _results(none)


def test_quotes_table_page_queries_do_not_grow_with_speakers(
    client, django_assert_max_num_queries
):
    speakers = [make_actor(name=f"Speaker {number}") for number in range(30)]
    for speaker in speakers:
        make_quote(speaker=speaker)
    with django_assert_max_num_queries(2):
        assert client.get("/quotes/").status_code == 200
    with django_assert_max_num_queries(2):
        asked = client.get("/quotes/", {"speaker": speakers[3].slug})
    assert asked.status_code == 200


def test_quotes_table_bad_page_is_400_not_500(client):
    make_quote()
    assert client.get("/quotes/", {"page": "-1"}).status_code == 400


def test_actor_index_searches_aliases_and_filters_kind_and_country(client, seeded):
    html = client.get("/actors/", {"q": "Olf Scholz"}).content.decode()
    results = html.split('id="list-results"', 1)[1]
    assert "Olaf Scholz" in results and "Joe Biden" not in results
    results = client.get(
        "/actors/", {"country": "DE", "kind": "person"}
    ).content.decode()
    results = results.split('id="list-results"', 1)[1]
    assert "Olaf Scholz" in results and "Joe Biden" not in results
    assert 'href="/?actor=olaf-scholz"' in results


def test_sources_index_links_each_source(client, seeded):
    html = client.get("/sources/").content.decode()
    assert 'href="/sources/us-troops-alert-2022-01-25/"' in html


@pytest.mark.parametrize("url", LIST_URLS)
def test_list_query_count_is_fixed(client, url, django_assert_max_num_queries):
    """Guards against N+1 queries on each table page: 3 or 30 rows, same queries."""
    for _ in range(3):
        make_quote(event=make_event(actors=[make_actor(country="DE")]))
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    for _ in range(27):
        make_quote(event=make_event(actors=[make_actor(country="FR")]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_event_table_counts_published_quotes_per_event(client):
    quoted = make_event(title="Much quoted")
    make_event(title="Never quoted")
    make_quote(event=quoted)
    make_quote(event=quoted)
    make_quote(event=quoted, status="draft")
    html = client.get("/table/").content.decode()

    def count_in_row(title):
        row = html.split(f">{title}</a>", 1)[1].split("</tr>", 1)[0]
        return re.search(r'class="num"[^>]*>([^<]*)<', row).group(1).strip()

    assert count_in_row("Much quoted") == "2"
    assert count_in_row("Never quoted") == "0"
