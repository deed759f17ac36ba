import datetime

import pytest

from extraction.dates import resolve_date

PUBLISHED = datetime.date(2023, 3, 14)  # a Tuesday


@pytest.mark.parametrize(
    ("sentence", "date", "precision"),
    [
        ("The envoys will meet on Friday.", "2023-03-17", "day"),
        ("The envoys met on Friday.", "2023-03-10", "day"),
        ("The envoys met on Tuesday.", "2023-03-14", "day"),
        ("The ministry said yesterday it would act.", "2023-03-13", "day"),
        ("The vote was held on March 2.", "2023-03-02", "day"),
        ("The treaty was signed in 2004.", "2004-01-01", "year"),
        ("Prices rose in November 2022.", "2022-11-01", "month"),
        ("Both sides recently agreed to talk.", "2023-03-14", "approximate"),
        ("The government sent observers.", "2023-03-14", "reported"),
    ],
)
def test_each_relative_date_form(sentence, date, precision):
    resolved = resolve_date(sentence, PUBLISHED)
    assert (resolved.date.isoformat(), resolved.precision) == (date, precision)
