"""Dating what a sentence reports, against the publication date and nothing else.

"on Wednesday" is the Wednesday the tense points to (the one after a publication for
"will meet", the one before for "met"), "in 2014" is the year, "recently" is around the
publication date, and a sentence without a date reports something that had happened by
the publication date. dateparser reads the phrases, with the publication date as its
relative base.
"""

import datetime
import re
from dataclasses import dataclass

import dateparser

WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)"
)
FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|set to|plans? to|scheduled|next|tomorrow)\b", re.I
)
# (pattern, precision), most precise first.
PATTERNS = [
    (re.compile(rf"\b(?:on|last|this|next)\s+({WEEKDAY})\b"), "day"),
    (re.compile(rf"\b({MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)\b"), "day"),
    (re.compile(rf"\b(\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?)\b"), "day"),
    (re.compile(r"\b(yesterday|today|tomorrow)\b", re.I), "day"),
    (re.compile(rf"\bin\s+({MONTH}(?:\s+\d{{4}})?)\b"), "month"),
    (re.compile(r"\bin\s+((?:19|20)\d\d)\b"), "year"),
    (
        re.compile(
            r"\b(recently|lately|in recent (?:days|weeks)|earlier this (?:week|month)"
            r"|last week|days ago)\b",
            re.I,
        ),
        "approximate",
    ),
]


@dataclass(frozen=True)
class ResolvedDate:
    date: datetime.date
    precision: str
    phrase: str = ""


def resolve_date(text, published_on):
    """The date ``text`` gives for what it reports, or the publication date, "reported"."""
    future = bool(FUTURE.search(text))
    for pattern, precision in PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        phrase = match.group(1)
        if precision == "approximate":
            return ResolvedDate(published_on, precision, match.group())
        if precision == "year":
            return ResolvedDate(datetime.date(int(phrase), 1, 1), precision, phrase)
        parsed = _parse(phrase, published_on, future, weekday=precision == "day")
        if parsed is None:
            continue
        if precision == "month":
            parsed = parsed.replace(day=1)
        return ResolvedDate(parsed, precision, match.group())
    return ResolvedDate(published_on, "reported")


def _parse(phrase, published_on, future, *, weekday):
    if future:
        prefer = "future"
    elif weekday and re.fullmatch(WEEKDAY, phrase):
        # A past-tense report of "Tuesday" on a Tuesday means that same day.
        prefer = "current_period"
    else:
        prefer = "past"
    parsed = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime.datetime.combine(published_on, datetime.time()),
            "PREFER_DATES_FROM": prefer,
            "PREFER_DAY_OF_MONTH": "first",
        },
    )
    return parsed.date() if parsed else None
