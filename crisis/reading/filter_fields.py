"""The fields behind the public FilterSets: limits, date and search inputs, actor and
country terms typed or picked, and the page number, each with a clear message."""

import re

import django_filters as filters
from django import forms
from django.core.exceptions import ValidationError
from django_countries import countries
from django_filters.fields import MultipleChoiceField

from crisis.models import (
    Actor,
    Importance,
)

# Far beyond any real result; keeps OFFSET within what every database accepts.
MAX_PAGE = 100_000
MAX_SEARCH_LENGTH = 200
MAX_ACTORS_ASKED = 50
MAX_COUNTRIES_ASKED = 20
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
ISO_DATE = ["%Y-%m-%d"]
DATE_ERRORS = {"invalid": "Enter a real date as YYYY-MM-DD, e.g. 2022-01-25."}
SEARCH_ERRORS = {
    "max_length": "Search text is too long: at most %(limit_value)d characters "
    "(this has %(show_value)d)."
}
IMPORTANCE_CHOICES = [
    (str(Importance.MINOR), "Any importance"),
    (str(Importance.NOTABLE), "Notable and major"),
    (str(Importance.MAJOR), "Major only"),
]


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def search_input(placeholder):
    return forms.TextInput(
        attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off"}
    )


class DateRangeForm(forms.Form):
    """Refuses a range that ends before it starts, naming the field to fix."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and end < start:
            self.add_error("to", "“To” is before “From”: pick a later end date.")
        return cleaned


class ActorTermsField(MultipleChoiceField):
    """Actors by slug, or as typed in the picker: a name or an alias, resolved to a slug.

    The options the form lists are suggestions only: any existing actor may be asked for.
    """

    # ``suggest(slugs)``: ``(slug, name, country)`` rows holding those actors that
    # exist, plus the picker's suggestions (the FilterSet sets it); ``suggestions`` are
    # the rows the last clean read, or None.
    suggest = None
    suggestions = None

    def __init__(self, *args, noun="actor", **kwargs):
        super().__init__(*args, **kwargs)
        self.noun = noun  # in messages: "No speaker is called …"

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def clean(self, value):
        terms = [term.strip() for term in self.to_python(value) if term.strip()]
        self.validate(terms)
        resolved, self.suggestions = resolve_actor_terms(
            terms[:MAX_ACTORS_ASKED], self.suggest, noun=self.noun
        )
        # The picker then shows "NATO chief" as the actor it found, ticked.
        self.widget.resolved = resolved
        return list(dict.fromkeys(resolved.values()))


class ActorTermsFilter(filters.MultipleChoiceFilter):
    field_class = ActorTermsField


class CountryTermsField(MultipleChoiceField):
    """Countries by ISO code or by name as typed ("Germany", "germany" or "DE")."""

    def clean(self, value):
        terms = [term.strip() for term in self.to_python(value) if term.strip()]
        resolved = {term: country_code(term) for term in terms[:MAX_COUNTRIES_ASKED]}
        # The picker then shows "germany" as the country it found, ticked.
        self.widget.resolved = resolved
        return super().clean(list(dict.fromkeys(resolved.values())))


class CountryTermsFilter(filters.MultipleChoiceFilter):
    field_class = CountryTermsField


def country_code(term):
    """The ISO code of a country typed by code or name; the term itself if neither."""
    if term.upper() in countries:
        return term.upper()
    return countries.by_name(term) or term


def resolve_actor_terms(terms, suggest=None, *, noun="actor"):
    """``({term: slug}, rows)``: slugs as they are, names and aliases when one actor
    matches. ``rows`` are those ``suggest(slugs)`` gave (the picker's list, read in the
    same query as the slugs' check), or None when nothing was asked by slug."""
    slugs = [term for term in dict.fromkeys(terms) if SLUG.fullmatch(term)]
    rows = None
    if slugs and suggest:
        rows = suggest(slugs)
        known = {row[0] for row in rows}
    elif slugs:
        known = set(Actor.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    else:
        known = set()
    resolved, errors = {}, []
    for term in terms:
        if term in known:
            resolved[term] = term
            continue
        # A NUL byte is an error on PostgreSQL: such a term matches no one.
        named = (
            []
            if "\x00" in term or len(term) > MAX_SEARCH_LENGTH
            else list(
                Actor.objects.matching(term).values_list("slug", "name", "aliases")[:6]
            )
        )
        wanted = term.casefold()
        exact = [
            row
            for row in named
            if wanted
            in {row[1].casefold(), *(a.strip().casefold() for a in row[2].splitlines())}
        ]
        matches = exact or named
        if len(matches) == 1:
            resolved[term] = matches[0][0]
        elif not matches:
            errors.append(
                f"No {noun} is called “{term}”: choose {noun}s from the list."
            )
        else:
            names = ", ".join(row[1] for row in matches[:5])
            errors.append(
                f"“{term}” matches several {noun}s ({names}): type more of the name."
            )
    if errors:
        raise ValidationError(errors)
    return resolved, rows


def parse_page(raw):
    """``(number, error)``: page 1 and a message for anything but a positive integer."""
    if raw in (None, ""):
        return 1, None
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1, "The page must be a whole number, e.g. page=2."
    if number < 1:
        return 1, "Pages start at 1."
    if number > MAX_PAGE:
        return 1, f"There are never more than {MAX_PAGE:,} pages."
    return number, None
