"""Citations link to their highlighted passage on the source page (#passage-N)."""

import re

import pytest
from django.urls import reverse

from crisis.models import Source
from tests.factories import make_event, make_quote, make_source

pytestmark = pytest.mark.django_db

MARKETS = "Markets fell sharply after the ruble tumbled."


def passage_text(client, url):
    """The text of the passage a link like /sources/x/#passage-2 points at."""
    path, _, anchor = url.partition("#")
    html = client.get(path).content.decode()
    match = re.search(rf'<mark class="cited" id="{anchor}">(.*?)</mark>', html)
    return match and match.group(1)


def link_to(html, source):
    (url,) = re.findall(rf'href="({re.escape(source.get_absolute_url())}[^"]*)"', html)
    return url


def test_event_page_links_each_citation_to_its_numbered_passage(client):
    source = make_source()
    make_event(source=source)  # cites the first sentence: passage 1
    event = make_event(source=source, excerpt=MARKETS)
    html = client.get(event.get_absolute_url()).content.decode()
    url = link_to(html, source)
    assert url.endswith("#passage-2")
    assert passage_text(client, url) == MARKETS


def test_passage_numbers_follow_what_the_reader_sees(client, admin_user):
    """A draft's passage is highlighted for staff only, so staff count it and the
    public does not: each gets the number of their own source page."""
    source = make_source()
    make_event(source=source, status="draft")
    event = make_event(source=source, excerpt=MARKETS)
    public = link_to(client.get(event.get_absolute_url()).content.decode(), source)
    client.force_login(admin_user)
    staff = link_to(client.get(event.get_absolute_url()).content.decode(), source)
    assert (public[-1], staff[-1]) == ("1", "2")
    assert passage_text(client, staff) == MARKETS
    client.logout()
    assert passage_text(client, public) == MARKETS


def test_citation_whose_words_left_the_source_links_to_the_top_of_it(client):
    event = make_event(excerpt=MARKETS)
    Source.objects.filter(pk=event.citations.get().source_id).update(text="Rewritten.")
    html = client.get(event.get_absolute_url()).content.decode()
    assert link_to(html, event.citations.get().source).endswith("/")


def test_quote_page_links_its_citation_and_its_words_to_their_passage(client):
    quote = make_quote()
    html = client.get(quote.get_absolute_url()).content.decode()
    # The citation's excerpt and the quote's words are one highlighted run.
    assert set(re.findall(r'href="(/sources/[^"]+)"', html)) == {
        f"{quote.source.get_absolute_url()}#passage-1"
    }


def test_card_citation_link_leads_to_the_highlighted_passage(client):
    source = make_source()
    make_event(source=source)
    event = make_event(source=source, excerpt=MARKETS)
    html = client.get("/").content.decode()
    card_link = reverse("crisis:citation_passage", args=[event.citations.get().pk])
    assert f'href="{card_link}"' in html
    response = client.get(card_link)
    assert response.status_code == 302
    assert response["Location"] == f"{source.get_absolute_url()}#passage-2"


def test_a_drafts_citation_is_not_found_by_the_public(client):
    event = make_event(status="draft")
    citation = event.citations.get()
    assert client.get(f"/citations/{citation.pk}/").status_code == 404


def test_card_quote_count_links_to_the_events_quotes(client):
    event = make_event()
    make_quote(event=event)
    html = client.get("/").content.decode()
    assert f'<a href="{event.get_absolute_url()}#quotes-head">1 quote</a>' in html
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'id="quotes-head"' in page
