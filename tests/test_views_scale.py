"""List pages cost the same number of queries at 10 and at 1,000 events."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crisis.generate import clear_generated, generate

pytestmark = pytest.mark.django_db


def queries_for(client, url, **headers):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=headers).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "headers"),
    [("/", {}), ("/?page=2", {"HX-Request": "true"}), ("/?q=kyiv+talks", {})],
)
def test_list_page_query_count_is_the_same_at_10_and_1000_events(client, url, headers):
    """Guards against N+1 queries on the timeline at realistic sizes."""
    generate(events=10, seed=1)
    small = queries_for(client, url, **headers)
    clear_generated()
    generate(events=1000, seed=1)
    assert queries_for(client, url, **headers) == small
