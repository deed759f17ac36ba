"""Finding the people, states and organisations a sentence names.

A mention is a run of capitalised words ("Pentagon spokesman John Kirby"), read with
the word lists of ``lexicon``: a title word splits the title from the name, a country
adjective gives the country, a possessive "office" names the person's office, and a
lone surname or "the <organisation> chief" points back at a person named before.
"""

from dataclasses import dataclass, replace

from extraction import lexicon
from extraction.sentences import words

POSSESSIVE_SUFFIXES = ("’s", "'s")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    title: str = ""
    kind: str = "organisation"
    country: str = ""
    # The printed form when it differs from the name ("German Chancellor Olf Scholz").
    printed: str = ""


def _is_capitalised(word):
    return word[:1].isupper() and word not in {"“", "”", "‘", "’"}


def _strip_possessive(word):
    for suffix in POSSESSIVE_SUFFIXES:
        if word.endswith(suffix):
            return word[: -len(suffix)], True
    return word, False


def _country_of(word):
    return (
        lexicon.COUNTRY_CODES.get(word)
        or lexicon.ADJECTIVE_CODES.get(word)
        or lexicon.ABBREVIATION_CODES.get(word)
        or ""
    )


def _kind_of(name):
    parts = name.split()
    if name in lexicon.COUNTRY_CODES or name in lexicon.ABBREVIATION_CODES:
        return "state"
    if parts[-1] in lexicon.ALLIANCE_WORDS:
        return "alliance"
    # Organisation words ("Bank", "Council"), acronyms and unknown names alike: the
    # editor corrects the kind where a city stands for its government.
    return "organisation"


def _particles_then_capital(tokens, index):
    """True at "von" in "Ursula von der Leyen": particles, then a capitalised word."""
    while index < len(tokens) and tokens[index].text in lexicon.NAME_PARTICLES:
        index += 1
    return (
        index < len(tokens)
        and _is_capitalised(tokens[index].text)
        and tokens[index - 1].text in lexicon.NAME_PARTICLES
    )


def _is_not_actor(word):
    return _strip_possessive(word)[0] in lexicon.NOT_ACTORS


def _runs(tokens):
    """Runs of capitalised words (with name particles inside), as token index ranges."""
    runs, index = [], 0
    while index < len(tokens):
        if not _is_capitalised(tokens[index].text):
            index += 1
            continue
        first = index
        while index < len(tokens):
            word = tokens[index].text
            if _is_capitalised(word) and "-" not in word[1:]:
                _, possessive = _strip_possessive(word)
                index += 1
                if possessive:
                    break
            elif index > first and _particles_then_capital(tokens, index):
                index += 1
            else:
                break
        if index == first:
            index += 1
            continue
        runs.append((first, index))
    return runs


class MentionFinder:
    """Reads one text sentence by sentence, remembering the people named so far."""

    def __init__(self, text):
        self.text = text
        self.people = []

    def find(self, sentence):
        tokens = words(self.text, sentence.start, sentence.end)
        found = []
        consumed = 0
        for first, last in _runs(tokens):
            if tokens[first].start < consumed:
                continue
            mentions = self._read_run(tokens, first, last)
            found.extend(mentions)
            consumed = max([consumed] + [mention.end for mention in mentions])
        found.extend(self._forces(tokens))
        return sorted(found, key=lambda mention: mention.start)

    def _span(self, tokens, first, last):
        return self.text[tokens[first].start : tokens[last - 1].end]

    def _read_run(self, tokens, first, last):
        while first < last and tokens[first].text in lexicon.FUNCTION_WORDS:
            first += 1
        if all(_is_not_actor(tokens[i].text) for i in range(first, last)):
            return []
        words_ = [tokens[i].text for i in range(first, last)]
        title_at = max(
            (i for i, word in enumerate(words_[:-1]) if word in lexicon.TITLE_WORDS),
            default=None,
        )
        if title_at is not None:
            return self._titled(tokens, first, first + title_at + 1, last)
        lower_title = self._lower_title_after(tokens, last)
        if lower_title:
            return self._title_before_name(tokens, first, last, lower_title)
        return self._entity(tokens, first, last)

    def _lower_title_after(self, tokens, last):
        """The end of "spokesman"/"foreign policy chief" right after a run, or None."""
        index = last
        while index < len(tokens) and tokens[index].text in lexicon.TITLE_FILLERS:
            index += 1
        if index < len(tokens) and tokens[index].text in lexicon.LOWER_TITLE_WORDS:
            return index + 1
        return None

    def _title_before_name(self, tokens, first, last, title_end):
        """ "Pentagon spokesman John Kirby"; "the NATO chief" alone is a person named before."""
        title = self._span(tokens, first, title_end)
        organisation = self._entity(tokens, first, last)
        name_end = title_end
        while name_end < len(tokens) and (
            _is_capitalised(tokens[name_end].text)
            or (name_end > title_end and _particles_then_capital(tokens, name_end))
        ):
            name_end += 1
            if _strip_possessive(tokens[name_end - 1].text)[1]:
                break
        if name_end > title_end:
            return organisation + self._person(tokens, first, title_end, name_end)
        earlier = self._person_by_title(self._span(tokens, first, last))
        if earlier is None:
            return organisation
        return organisation + [
            replace(
                earlier,
                start=tokens[first].start,
                end=tokens[title_end - 1].end,
                printed=title,
            )
        ]

    def _titled(self, tokens, first, name_start, last):
        """A run holding a title: "German Chancellor Olf Scholz"."""
        found = []
        prefix_end = first
        while (
            prefix_end < name_start
            and tokens[prefix_end].text not in lexicon.TITLE_WORDS
        ):
            prefix_end += 1
        prefix = " ".join(tokens[i].text for i in range(first, prefix_end))
        if prefix and not lexicon.ADJECTIVE_CODES.get(prefix):
            found.extend(self._entity(tokens, first, prefix_end))
        return found + self._person(tokens, first, name_start, last)

    def _person(self, tokens, first, name_start, last):
        name_tokens = [tokens[i].text for i in range(name_start, last)]
        name_tokens[-1], possessive = _strip_possessive(name_tokens[-1])
        name = " ".join(name_tokens)
        title = self._span(tokens, first, name_start)
        country = next(
            (
                code
                for code in (_country_of(t.text) for t in tokens[first:name_start])
                if code
            ),
            "",
        )
        person = Mention(
            start=tokens[first].start,
            end=tokens[last - 1].end - (len("’s") if possessive else 0),
            name=name,
            title=title,
            kind="person",
            country=country,
            printed=f"{title} {name}",
        )
        self.people.append(person)
        found = [person]
        if possessive and last < len(tokens) and tokens[last].text == "office":
            found.append(self._office(tokens, name_start, last, person.country))
        return found

    def _office(self, tokens, name_start, last, country):
        """ "Boris Johnson’s office": the office is an actor of its own."""
        return Mention(
            start=tokens[name_start].start,
            end=tokens[last].end,
            name=self.text[tokens[name_start].start : tokens[last].end],
            kind="office",
            country=country,
        )

    def _entity(self, tokens, first, last):
        names = [tokens[i].text for i in range(first, last)]
        names[-1], possessive = _strip_possessive(names[-1])
        name = " ".join(names)
        if name in lexicon.ADJECTIVE_CODES or not name:
            return []
        if len(names) == 1:
            earlier = self._person_by_surname(name)
            if earlier is not None:
                end = tokens[last - 1].end - (len("’s") if possessive else 0)
                found = [replace(earlier, start=tokens[first].start, end=end)]
                if possessive and last < len(tokens) and tokens[last].text == "office":
                    found.append(self._office(tokens, first, last, earlier.country))
                return found
        end = tokens[last - 1].end - (len("’s") if possessive else 0)
        return [
            Mention(
                start=tokens[first].start,
                end=end,
                name=name,
                kind=_kind_of(name),
                country=_country_of(name),
            )
        ]

    def _forces(self, tokens):
        """ "Ukrainian troops", "Russian-backed separatists": armed forces and groups."""
        found = []
        for index, token in enumerate(tokens[:-1]):
            noun = tokens[index + 1].text
            if noun not in lexicon.FORCE_NOUNS:
                continue
            adjective = token.text.split("-")[0]
            if adjective not in lexicon.ADJECTIVE_CODES:
                continue
            found.append(
                Mention(
                    start=token.start,
                    end=tokens[index + 1].end,
                    name=f"{token.text} {noun}",
                    kind=lexicon.FORCE_NOUNS[noun],
                    country=lexicon.ADJECTIVE_CODES[adjective],
                )
            )
        return found

    def _person_by_surname(self, word):
        for person in reversed(self.people):
            if person.name.split()[-1] == word:
                return person
        return None

    def _person_by_title(self, organisation):
        for person in reversed(self.people):
            if organisation in person.title:
                return person
        return None
