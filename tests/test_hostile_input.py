"""Hostile query strings and request bodies get a page or a clear 4xx, never a 5xx.

Every public GET endpoint of the access table is attacked, so exports and pages merged
later are covered by their one line there.
"""

import datetime
from urllib.parse import quote_from_bytes

import pytest
from django.conf import settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.access_table import probe_targets, url_for

PUBLIC_GET_VIEWS = [view for view, entry in probe_targets() if entry.public_get]

# Parameter names the public pages and exports read, plus nonsense.
PARAMETERS = [
    "q", "page", "start", "end", "from", "to", "category", "country", "actor", "tag",
    "importance", "sort", "order", "format", "cursor", "date", "per_page", "status",
    "precision", "view", "_", "",
]  # fmt: skip

HOSTILE_VALUES = [
    "' OR 1=1 --",
    "1; DROP TABLE crisis_event; --",
    '" UNION SELECT password FROM auth_user --',
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "${7*7}",
    "<script>window.__xss=1</script>",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "💥" * 50,
    "../../../etc/passwd",
    "9" * 400,
    "-1",
    "-9223372036854775809",
    "1e308",
    "NaN",
    "inf",
    "0x7fffffff",
    "2022-13-45",
    "99999-01-01",
    "0000-00-00",
    "2022-02-30",
    "[]",
    "{}",
    "null",
    "%",
    "%zz",
]

CLEAR_REFUSALS = {400, 404, 405, 414}


def percent_encoded(text):
    """Percent-encode as UTF-8, keeping lone surrogates as the invalid bytes they make."""
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"), safe="")


values = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=60),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(str),
    st.just("A" * 10_240),
)
pairs = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=12)), values),
    max_size=8,
)
repeated = st.tuples(st.sampled_from(PARAMETERS), values, st.integers(2, 60)).map(
    lambda item: [(item[0], item[1])] * item[2]
)
raw_bytes = st.binary(max_size=200).map(lambda raw: quote_from_bytes(raw, safe="=&"))
query_strings = st.one_of(
    st.one_of(pairs, repeated).map(
        lambda items: "&".join(
            f"{percent_encoded(key)}={percent_encoded(value)}" for key, value in items
        )
    ),
    raw_bytes,
    st.sampled_from(["&&&", "=&=", "q", "q=&q=&q", "%ff%fe=%c0%af", "a=%ED%A0%80"]),
)


def assert_page_or_clear_refusal(response, where):
    status = response.status_code
    assert status < 500, f"{where}: {status}"
    assert status < 400 or status in CLEAR_REFUSALS, f"{where}: {status}"
    raw = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    body = raw.decode("utf-8", "replace")
    if status >= 400:
        assert body.strip(), f"{where}: an empty {status}"
    assert settings.SECRET_KEY not in body
    if response["Content-Type"].startswith("text/html"):
        assert "<script>window.__xss=1</script>" not in body, (
            f"{where}: reflected script"
        )
    else:
        # Plain-text refusals (exports) may quote the bad value; a browser never
        # renders them as HTML.
        assert response.get("X-Content-Type-Options") == "nosniff", where


@pytest.mark.parametrize("view", PUBLIC_GET_VIEWS, ids=lambda view: view.key)
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=query_strings, htmx=st.booleans())
@example(query="a=%ED%A0%80&b=%00", htmx=False)
@example(query="q=" + "x" * 10_240, htmx=True)
def test_random_and_malicious_query_strings_never_cause_a_server_error(
    client, seeded, view, query, htmx
):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(url_for(view), QUERY_STRING=query, headers=headers)
    assert_page_or_clear_refusal(response, f"{view.key}?{query[:200]}")


@pytest.mark.parametrize("view", PUBLIC_GET_VIEWS, ids=lambda view: view.key)
def test_every_hostile_value_in_every_parameter_is_handled(client, seeded, view):
    url = url_for(view)
    for value in HOSTILE_VALUES:
        query = "&".join(f"{name}={percent_encoded(value)}" for name in PARAMETERS)
        response = client.get(url, QUERY_STRING=query)
        assert_page_or_clear_refusal(response, f"{view.key} with {value!r}")


def test_an_over_long_query_string_is_refused_with_a_clear_414(client):
    response = client.get(
        "/", QUERY_STRING="q=" + "x" * settings.MAX_QUERY_STRING_LENGTH
    )
    assert response.status_code == 414
    html = response.content.decode()
    assert "This address is too long" in html
    assert f"at most {settings.MAX_QUERY_STRING_LENGTH} characters" in html


def test_a_query_string_at_the_limit_is_served(client, seeded):
    # A parameter the timeline ignores: its own 200-character limit on q is a 400.
    query = "utm=" + "x" * (settings.MAX_QUERY_STRING_LENGTH - 4)
    assert client.get("/", QUERY_STRING=query).status_code == 200


def test_a_too_large_post_body_is_a_400_not_a_500(client, db):
    body = "username=" + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        "/admin/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (400, 413)
    assert "could not be understood" in response.content.decode()


def test_a_post_with_too_many_fields_is_a_400_not_a_500(client, db):
    body = "&".join(
        f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)
    )
    response = client.post(
        "/admin/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
