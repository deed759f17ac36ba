"""List pages cost the same number of queries at 30 and at 1,000 events.

30, not 10: with fewer events than a page there is no page 2 to load.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.generate import clear_generated, generate
from crisis.models import Event

pytestmark = pytest.mark.django_db


def queries_for(client, url, **headers):
    cache.clear()  # count the uncached path at both sizes
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "headers"),
    [("/", {}), ("/?page=2", {"HX-Request": "true"}), ("/?q={word}", {})],
)
def test_list_page_query_count_is_the_same_at_30_and_1000_events(client, url, headers):
    """Guards against N+1 queries on the timeline at realistic sizes."""
    generate(events=30, seed=1)
    # A word of a generated title, so the search matches at both sizes (an empty
    # result takes another, equally bounded, path).
    word = Event.objects.published().order_by("pk").first().title.split()[-1]
    url = url.format(word=word)
    small = queries_for(client, url, **headers)
    clear_generated()
    generate(events=1000, seed=1)
    assert queries_for(client, url, **headers) == small
