"""FilterSets of the public lists. Each is usable outside a view: ``EventFilter(params, qs).qs``.

Every filter is a plain GET parameter, so a URL is a view: the timeline, the events table
and the exports read the same parameters through ``EventFilter``.
"""

from functools import cached_property

import django_filters as filters
from django import forms
from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Cast
from django.urls import reverse_lazy
from django.utils.choices import CallableChoiceIterator
from django.utils.formats import date_format
from django_countries import countries

from annotations.models import is_analyst
from annotations.selectors import events_annotated_for
from crisis.models import (
    Actor,
    ActorEventCount,
    ActorKind,
    Category,
    Event,
    EventActor,
    EventCountry,
    EventMonth,
    EventRole,
    Quote,
    Status,
    Tag,
    most_common_of_latest,
    with_one_of,
)
from crisis.reading.filter_fields import (
    DATE_ERRORS,
    IMPORTANCE_CHOICES,
    ISO_DATE,
    MAX_ACTORS_ASKED,
    MAX_COUNTRIES_ASKED,
    MAX_SEARCH_LENGTH,
    SEARCH_ERRORS,
    SLUG,
    ActorTermsFilter,
    CountryTermsFilter,
    DateRangeForm,
    date_input,
    search_input,
)
from crisis.reading.querystring import chips_for, filled_pairs
from crisis.reading.widgets import Picker, PythonRenderedSelect
from crisis.search import event_match_count, is_broad, search_events, search_quotes

# The actor picker lists this many actors (the most involved) plus those asked for.
ACTOR_CHOICES_SHOWN = 60
# ...ranked by the links of the latest events only (about 2,000 events), so the
# ranking costs the same at any size (all 260,000 links of 100,000 events took 30 ms).
ACTOR_RANKING_LINKS = 5000
# The quote list's speaker picker ranks speakers the same way, over the latest quotes.
SPEAKER_RANKING_QUOTES = 2000


class EventFilter(filters.FilterSet):
    """The timeline's filters: ``q from to actor role category country tag importance``."""

    q = filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=MAX_SEARCH_LENGTH,
        error_messages=SEARCH_ERRORS,
        widget=search_input("Words, names or aliases"),
        help_text="Titles, summaries, quotes, actor names and aliases.",
    )
    # "from" is a Python keyword, so these two are declared through the class namespace.
    locals()["from"] = filters.DateFilter(
        label="From",
        method="filter_from",
        input_formats=ISO_DATE,
        error_messages=DATE_ERRORS,
        widget=date_input(),
    )
    locals()["to"] = filters.DateFilter(
        label="To",
        method="filter_to",
        input_formats=ISO_DATE,
        error_messages=DATE_ERRORS,
        widget=date_input(),
    )
    actor = ActorTermsFilter(
        label="Actors",
        method="filter_actors",
        widget=Picker(
            suggest_url=reverse_lazy("crisis:actor_suggestions"),
            placeholder="Type a name or alias",
            noun="actors",
        ),
        help_text="Events involving any of them: type a name or an alias.",
    )
    role = filters.ChoiceFilter(
        widget=PythonRenderedSelect,
        label="Actor's role",
        choices=EventRole.choices,
        empty_label="Any role",
        method="filter_role",
        error_messages={
            "invalid_choice": "Unknown role “%(value)s”: choose a role from the list."
        },
    )
    category = filters.MultipleChoiceFilter(
        label="Categories",
        choices=Category.choices,
        # A column of the event itself: no join, so no duplicates to remove. (With
        # DISTINCT, the database compares every column of every matching row.)
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Unknown category “%(value)s”: tick categories from the list."
        },
    )
    country = CountryTermsFilter(
        widget=Picker(
            suggest_url=reverse_lazy("crisis:country_suggestions"),
            placeholder="Type a country or its code",
            noun="countries",
        ),
        label="Countries",
        # A callable: a list of 250 countries would be deep-copied with every form.
        choices=lambda: list(countries),
        method="filter_country",
        help_text="Events in any of them: type a name or a code such as UA.",
        error_messages={
            "invalid_choice": "“%(value)s” is not an ISO country code such as UA or DE."
        },
    )
    tag = filters.ChoiceFilter(
        widget=PythonRenderedSelect,
        label="Tag",
        empty_label="Any tag",
        field_name="tags__slug",
        error_messages={
            "invalid_choice": "No tag “%(value)s”: choose a tag from the list."
        },
    )
    importance = filters.ChoiceFilter(
        widget=PythonRenderedSelect,
        label="Importance",
        choices=IMPORTANCE_CHOICES[1:],
        empty_label=IMPORTANCE_CHOICES[0][1],
        field_name="importance",
        lookup_expr="gte",
        error_messages={
            "invalid_choice": "Importance is a minimum from 1 (minor) to 3 (major)."
        },
    )

    annotated = filters.ChoiceFilter(
        widget=PythonRenderedSelect,
        label="Annotations",
        choices=[("1", "Only events I or my team annotated")],
        empty_label="All events",
        method="filter_annotated",
    )

    class Meta:
        form = DateRangeForm
        fields = []

    def __init__(self, data=None, queryset=None, *, ranked=True, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # A search orders its matches best first, unless the caller orders them itself
        # (the timeline, by date): then the ranking is not worked out at all.
        self.ranked = ranked
        # Only analysts annotate; for everyone else the filter does not exist at all.
        if not is_analyst(getattr(self.request, "user", None)):
            del self.filters["annotated"]
        # Option lists come from the database once per request, and only when a form
        # is rendered or a value has to be checked (exports of an unfiltered view skip it).
        # Plain functions, not bound methods: form fields are deep-copied, and a copied
        # bound method would copy this whole FilterSet and its cached rows with it.
        self.filters["actor"].extra["choices"] = lambda: self._actor_choices()
        self.filters["tag"].extra["choices"] = lambda: self.tag_rows
        self.form.fields["country"].widget.choices = CallableChoiceIterator(
            lambda: self._country_options()
        )
        # The check of actors asked for reads the picker's list in the same query.
        self.form.fields["actor"].suggest = _most_involved_actors

    @cached_property
    def actor_rows(self):
        """The actors the picker offers: the most involved ones, plus any asked for.

        A timeline of thousands of actors cannot list them all in a form; the rest are
        reached by name or alias through ``q``, or from their actor page.
        """
        return _picker_rows(self, "actor", _most_involved_actors)

    @property
    def _option_rows(self):
        """``{"tag": [(slug, name)…], "country": [(code, code)…]}`` in one query (a UNION).

        Tags of published events only: a draft's tag is not public yet. A subquery per
        tag stops at its first published event, where a join with ``DISTINCT`` read
        every tagging of every event (a third of a second at 100,000). It is a scalar
        subquery with a LIMIT (``with_one_of``), not ``EXISTS``. Countries are those of
        known actors; the UNION drops the repeated ones. The stored counts the filters
        choose their way by (``_counts``) come in the same query when they are needed
        first.
        """
        if "_option_rows" not in self.__dict__:
            self._read_references(with_options=True)
        return self.__dict__["_option_rows"]

    @property
    def _counts(self):
        """The stored counts the filters choose by, once the form is cleaned: ``range``
        and ``actors`` (``read_first``), and on SQLite ``matches`` and ``events``
        (``_broad_search``)."""
        if "_counts" not in self.__dict__:
            self._read_references(with_options="_option_rows" not in self.__dict__)
        return self.__dict__["_counts"]

    def _read_references(self, with_options):
        """One query (a UNION) for the option lists, the stored counts, or both. The
        counts are read only once the form is cleaned (the options may be read while
        it is being cleaned, for the tags' and countries' choices)."""
        count_parts = self._count_parts()
        parts = [*(self._option_parts() if with_options else ()), *(count_parts or ())]
        rows = {"tag": [], "country": []}
        counts = {"range": 0, "actors": 0}
        if parts:
            for kind, key, value in parts[0].union(*parts[1:]):
                if kind in rows:
                    rows[kind].append((key, value))
                elif kind == "search":  # (matches, events)
                    counts["matches"], counts["events"] = int(key), int(value or 0)
                else:  # one row per status
                    counts[kind] += int(value or 0)
        if with_options:
            self.__dict__["_option_rows"] = rows
        if count_parts is not None:
            self.__dict__["_counts"] = counts

    def _option_parts(self):
        published_use = Event.tags.through.objects.filter(
            tag=OuterRef("pk"), event__status=Status.PUBLISHED
        )
        tags = (
            with_one_of(Tag.objects.all(), published_use)
            .order_by()
            .values_list(Value("tag", output_field=CharField()), "slug", "name")
        )
        codes = (
            Actor.objects.exclude(country="")
            .order_by()
            .values_list(
                Value("country", output_field=CharField()), "country", "country"
            )
        )
        return [tags, codes]

    def _count_parts(self):
        """The UNION's parts for the stored counts this filter chooses its way by, as
        option-shaped rows: ``(kind, status, count)`` and ``("search", matches,
        events)``, all text. None while the form is not cleaned."""
        cleaned = getattr(self.form, "cleaned_data", None)
        if cleaned is None:
            return None
        statuses = Event.objects.statuses_visible_to(
            getattr(self.request, "user", None)
        )
        parts = []
        start, end = cleaned.get("from"), cleaned.get("to")
        ids = self._asked_actor_ids
        if ids and (start or end):
            months = EventMonth.objects.filter(status__in=statuses)
            if start:
                months = months.filter(month__gte=start.replace(day=1))
            if end:
                months = months.filter(month__lte=end)
            links = ActorEventCount.objects.filter(status__in=statuses, actor__in=ids)
            parts += [_per_status(months, "range"), _per_status(links, "actors")]
        matches = event_match_count(cleaned.get("q") or "")
        if matches is not None:  # SQLite only
            parts.append(
                EventMonth.objects.order_by()
                .values(kind=Value("search", output_field=CharField()))
                .annotate(
                    matches=Cast(matches, CharField()),
                    events=Cast(Sum("count"), CharField()),
                )
                .values_list("kind", "matches", "events")
            )
        return parts

    @cached_property
    def _asked_actor_ids(self):
        slugs = self.form.cleaned_data.get("actor")
        return _picked_ids(self.actor_rows, slugs) if slugs else []

    @cached_property
    def tag_rows(self):
        """``(slug, name)`` of the tags of published events, by name."""
        return sorted(self._option_rows["tag"], key=lambda row: (row[1], row[0]))

    def _actor_choices(self):
        return [(slug, name) for slug, name, _pk in self.actor_rows]

    @cached_property
    def _country_rows(self):
        """Countries of known actors, plus those asked for: a short, relevant list."""
        rows = {
            code: countries.name(code) for code, _code in self._option_rows["country"]
        }
        asked = self.data.getlist("country")[:MAX_COUNTRIES_ASKED] if self.data else []
        # Once the form is cleaned, names typed in the picker are codes.
        cleaned = getattr(self.form, "cleaned_data", {}).get("country") or []
        for code in [*asked, *cleaned]:
            if code in countries and code not in rows:
                rows[code] = countries.name(code)
        return sorted(rows.items(), key=_by_name)

    def _country_options(self):
        return self._country_rows

    # Filters. Joins through to-many relations go through subqueries, so no event is
    # counted twice and no DISTINCT is needed.

    def filter_search(self, queryset, name, value):
        return search_events(
            queryset, value, ranked=self.ranked, broad=self._broad_search
        )

    def filter_from(self, queryset, name, value):
        return queryset.in_range(start=value, by_date_index=self.read_first != "actors")

    def filter_to(self, queryset, name, value):
        return queryset.in_range(end=value, by_date_index=self.read_first != "actors")

    def filter_actors(self, queryset, name, value):
        if not value:
            return queryset
        links = EventActor.objects.filter(actor__in=self._asked_actor_ids)
        role = self.form.cleaned_data.get("role")
        if role:
            links = links.filter(role=role)
        events = links.values("event_id")
        if self.read_first == "dates":
            # ``id + 0``: the key index cannot serve it, so the dates are read first.
            return queryset.alias(key_unindexed=F("pk") + 0).filter(
                key_unindexed__in=events
            )
        return queryset.filter(pk__in=events)

    @cached_property
    def read_first(self):
        """With actors and dates both asked for: ``"dates"`` when the range holds fewer
        events than the actors take part in, else ``"actors"``; None otherwise.

        A query can read the range's events through the date index and check each
        against the actors' links, or read the actors' events through their links and
        check each date. Neither database can tell which is smaller (SQLite keeps no
        statistics; PostgreSQL misjudges a range bounded by a subquery), and the
        wrong one costs many times the other: a busy actor's month read through their
        3,000 events, or a rare actor's decade read through every event of it. The
        stored counts tell (``EventMonth``, ``ActorEventCount``, read with the form's
        options), and the other side is written so that no index serves it. At 100,000
        events, one query: a busy actor's month took 12 ms on SQLite (now 2), a busy
        actor's every year 280 ms on PostgreSQL (now 24).
        """
        cleaned = self.form.cleaned_data
        if not (self._asked_actor_ids and (cleaned.get("from") or cleaned.get("to"))):
            return None
        counts = self._counts
        return "dates" if counts["range"] < counts["actors"] else "actors"

    @property
    def _broad_search(self):
        """Whether the search matches so many events that SQLite reads it through the
        other filters' indexes (``crisis.search.is_broad``); counted with the options."""
        counts = self._counts
        return "matches" in counts and is_broad(counts["matches"], counts["events"])

    def filter_role(self, queryset, name, value):
        if not value or self.form.cleaned_data.get("actor"):
            return queryset  # with actors, the role applies to them (filter_actors)
        return queryset.filter(
            pk__in=EventActor.objects.filter(role=value).values("event_id")
        )

    def filter_annotated(self, queryset, name, value):
        if value != "1":
            return queryset
        annotated = events_annotated_for(self.request.user).values("pk")
        return queryset.filter(pk__in=annotated)

    def filter_country(self, queryset, name, value):
        if not value:
            return queryset
        # Through the country rows written for each event (EventCountry):
        # an index lookup, where a pattern over the comma-separated codes read them all.
        return queryset.filter(
            pk__in=EventCountry.objects.filter(country__in=value).values("event_id")
        )

    # Presentation helpers for the timeline page.

    @property
    def params(self):
        """The valid, non-empty parameters, in a stable order (for links and exports)."""
        if not self.is_bound:
            return []
        self.form.is_valid()  # cleaned_data then holds only the fields without errors
        return filled_pairs(self.form.cleaned_data, self.filters)

    def chips(self):
        """One removable chip per active filter value."""
        pairs = self.params
        actor_names = dict(self._actor_choices()) if self._asked("actor") else {}
        tag_names = dict(self.tag_rows) if self._asked("tag") else {}
        labels = {
            "q": lambda v: f"“{v}”",
            "from": lambda v: _nice_date(self.form.cleaned_data["from"]),
            "to": lambda v: _nice_date(self.form.cleaned_data["to"]),
            "actor": lambda v: actor_names.get(v, v),
            "role": lambda v: EventRole(v).label,
            "category": lambda v: Category(v).label,
            "country": lambda v: countries.name(v),
            "tag": lambda v: tag_names.get(v, v),
            "importance": lambda v: dict(IMPORTANCE_CHOICES)[v],
            "annotated": lambda v: "by me or my team",
        }
        return chips_for(
            pairs,
            label_of=lambda name: self.filters[name].label,
            value_label=lambda name, value: labels[name](value),
        )

    def _asked(self, name):
        return bool(self.data) and bool(self.data.getlist(name))


def _per_status(rows, kind):
    """Rows ``(kind, status, sum of count as text)`` of stored counts, one per status:
    the shape of the option rows they are read with."""
    return (
        rows.order_by()
        .values("status")
        .annotate(
            kind=Value(kind, output_field=CharField()),
            n=Cast(Sum("count"), CharField()),
        )
        .values_list("kind", "status", "n")
    )


def _nice_date(value):
    return date_format(value, "j M Y")


def _picked_ids(rows, slugs):
    """The primary keys of the actors ``slugs`` among a picker's ``rows``.

    Ids, not a join on the slug: PostgreSQL then knows from its statistics how many
    events an actor has, and reads a busy actor's month through the date index rather
    than every one of the actor's events (an unknown actor was guessed at 100 links).
    """
    wanted = set(slugs)
    return [pk for slug, _name, pk in rows if slug in wanted]


def _picker_rows(filterset, name, suggest):
    """``(slug, name, pk)`` of the actors an actor picker offers: ``suggest()``'s (or
    those the form's check already read), plus any asked for by slug."""
    data = filterset.data
    asked = data.getlist(name)[:MAX_ACTORS_ASKED] if data else []
    # Once the form is cleaned, names and aliases typed in the picker are slugs.
    cleaned = getattr(filterset.form, "cleaned_data", {}).get(name)
    if cleaned:
        asked = [*asked, *cleaned]
    # Cleaning the form looked the asked actors up with the picker's own list.
    found = filterset.form.fields[name].suggestions
    rows = set(suggest() if found is None else found)
    # Only well-formed slugs reach the database (a NUL byte is an error on
    # PostgreSQL); anything else is simply not a choice, and the form says so.
    well_formed = {slug for slug in asked if SLUG.fullmatch(slug)}
    missing = well_formed - {slug for slug, _name, _pk in rows}
    if missing:
        rows.update(
            Actor.objects.filter(slug__in=missing).values_list("slug", "name", "pk")
        )
    return sorted(rows, key=lambda row: (row[1], row[0]))


class QuoteFilter(filters.FilterSet):
    """Quotes by words (in the quote or the speaker's names), speaker and date said."""

    q = filters.CharFilter(
        label="Search",
        method="filter_search",
        max_length=MAX_SEARCH_LENGTH,
        error_messages=SEARCH_ERRORS,
        widget=search_input("Words of the quote or the speaker"),
    )
    speaker = ActorTermsFilter(
        label="Speakers",
        method="filter_speakers",
        noun="speaker",
        widget=Picker(
            suggest_url=reverse_lazy("crisis:speaker_suggestions"),
            placeholder="Type a name or alias",
            noun="speakers",
        ),
        help_text="Quotes by any of them: type a name or an alias.",
    )
    locals()["from"] = filters.DateFilter(
        label="Said from",
        field_name="said_on",
        lookup_expr="gte",
        input_formats=ISO_DATE,
        error_messages=DATE_ERRORS,
        widget=date_input(),
    )
    locals()["to"] = filters.DateFilter(
        label="Said until",
        field_name="said_on",
        lookup_expr="lte",
        input_formats=ISO_DATE,
        error_messages=DATE_ERRORS,
        widget=date_input(),
    )

    class Meta:
        form = DateRangeForm
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        # As the timeline's actor picker: the most quoted speakers are suggested (a
        # list of every speaker was most of the page), any actor may be asked for.
        self.filters["speaker"].extra["choices"] = lambda: [
            (slug, name) for slug, name, _pk in self.speaker_rows
        ]
        self.form.fields["speaker"].suggest = _most_quoted_speakers

    @cached_property
    def speaker_rows(self):
        return _picker_rows(self, "speaker", _most_quoted_speakers)

    def filter_speakers(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(speaker__in=_picked_ids(self.speaker_rows, value))

    def filter_search(self, queryset, name, value):
        return search_quotes(queryset, value)


class ActorFilter(filters.FilterSet):
    """Actors by name, title or alias, kind and country."""

    q = filters.CharFilter(
        label="Name or alias",
        method="filter_search",
        max_length=MAX_SEARCH_LENGTH,
        error_messages=SEARCH_ERRORS,
        widget=search_input("e.g. Olf Scholz, NATO chief"),
    )
    kind = filters.ChoiceFilter(
        label="Kind",
        choices=ActorKind.choices,
        empty_label="Any kind",
        error_messages={
            "invalid_choice": "Unknown kind “%(value)s”: choose one from the list."
        },
    )
    country = filters.ChoiceFilter(
        label="Country",
        # A callable: a list of 250 countries would be deep-copied with every form.
        choices=lambda: list(countries),
        empty_label="Any country",
        error_messages={
            "invalid_choice": "“%(value)s” is not an ISO country code such as UA or DE."
        },
    )

    class Meta:
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.form.fields["country"].widget.choices = CallableChoiceIterator(
            lambda: self._country_options
        )

    @cached_property
    def _country_options(self):
        """Once per request: rendering the select walks its options twice."""
        codes = set(_actor_countries())
        names = sorted((countries.name(code), code) for code in codes)
        return [("", "Any country")] + [(code, name) for name, code in names]

    def filter_search(self, queryset, name, value):
        return queryset.matching(value)


def _most_involved_actors(asked=()):
    """``(slug, name, pk)`` of the actors most linked to the latest events, then
    others by name: suggestions for the picker, so the ranking only decides who is in.
    The actors ``asked`` for by slug come first, so one query both checks them and
    lists the picker."""
    busiest = most_common_of_latest(
        EventActor,
        "actor",
        latest=ACTOR_RANKING_LINKS,
        limit=ACTOR_CHOICES_SHOWN,
        newest_by="event",
    )
    asked = list(asked)
    shown = ACTOR_CHOICES_SHOWN + len(asked)
    first = [When(slug__in=asked, then=Value(-1))] if asked else []
    # Only candidates are ranked, not every actor: the busiest, those asked for, and
    # as many as are shown first by name, which hold enough of the others (sorting all
    # 2,500 actors of 100,000 events took most of the query).
    by_name = Actor.objects.order_by("name").values("pk")[:shown]
    return list(
        Actor.objects.filter(
            Q(pk__in=busiest) | Q(slug__in=asked) | Q(pk__in=Subquery(by_name))
        )
        .alias(
            ranked=Case(*first, When(pk__in=busiest, then=Value(0)), default=Value(1))
        )
        .order_by("ranked", "name")
        .values_list("slug", "name", "pk")[:shown]
    )


def _most_quoted_speakers(asked=()):
    """``(slug, name, pk)`` of the speakers of most of the latest quotes and of the
    actors ``asked`` for by slug, by name: one query checks those and lists the picker."""
    busiest = most_common_of_latest(
        Quote, "speaker", latest=SPEAKER_RANKING_QUOTES, limit=ACTOR_CHOICES_SHOWN
    )
    return list(
        Actor.objects.filter(Q(pk__in=busiest) | Q(slug__in=list(asked)))
        .order_by("name")
        .values_list("slug", "name", "pk")
    )


def _actor_countries():
    return list(
        Actor.objects.exclude(country="")
        .order_by("country")
        .values_list("country", flat=True)
        .distinct()
    )


def _by_name(row):
    return row[1]
