"""List pages cost the same number of queries at 30 and at 1,000 events.

30, not 10: with fewer events than a page there is no page 2 to load.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.models import Event
from devdata.events import clear_generated, generate

pytestmark = pytest.mark.django_db


def queries_for(client, url, **headers):
    cache.clear()  # count the uncached path at both sizes
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured.captured_queries)


LIST_PAGES = [
    ("/", {}),
    ("/?page=2", {"HX-Request": "true"}),
    ("/?q={word}", {}),
    ("/?actor={actor}&from=2014-01-01&to=2030-12-31", {}),
    ("/table/", {}),
    ("/actors/", {}),
    ("/quotes/", {}),
    ("/sources/", {}),
    ("/workspace/", {}),
]


@pytest.mark.slow
def test_list_page_query_count_is_the_same_at_30_and_1000_events(client):
    """Guards against N+1 queries on every list page at realistic sizes."""
    from crisis.models import EventActor
    from devdata.events import GENERATED_PREFIX
    from tests.factories import make_analyst

    client.force_login(make_analyst())

    def counts():
        # A word of a generated title and a generated actor, so the search and the
        # actor filter match at both sizes (an empty result takes another path).
        event = Event.objects.published().order_by("pk").first()
        link = EventActor.objects.filter(actor__slug__startswith=GENERATED_PREFIX)
        fields = {
            "word": event.title.split()[-1],
            "actor": link.order_by("pk").first().actor.slug,
        }
        return {
            url: queries_for(client, url.format(**fields), **headers)
            for url, headers in LIST_PAGES
        }

    generate(events=30, seed=1)
    small = counts()
    clear_generated()
    generate(events=1000, seed=1)
    assert counts() == small
