"""Find the places a text names: gazetteer names first, then likely place names to geocode.

Gazetteer names (every name and alternative/historical name the gazetteer
allows in running text) are matched by ``NameMatcher`` with word boundaries,
case- and diacritic-insensitively, longest name first, so "Xinjiang Uyghur
Autonomous Region" is one mention and not "Xinjiang" plus words; the rules
(capitals, acronyms, person names, time zones, archive references) are in its
docstring. Acronyms (all capitals, up to five letters: "USSR", "PRC", "SU")
match only in capitals, so an alias like "US" never matches the pronoun "us".

Other capitalised phrases after a place preposition ("near Khorgos", "to
Alma-Ata") are proposed as candidates for the geocoder, after dropping what is
not a place: months, weekdays, titles ("Comrade …" names a person), initials
("I.V. Stalin"), institutions ("… Organization", "… Embassy") and the names of
known actors. Candidates are reported, never dropped silently.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Protocol

import ahocorasick
import regex

from exchanges.gazetteer import normalize_name
from exchanges.ingest.lexicon import Lexicon, load_lexicon
from exchanges.ingest.text import SpanSet, fold, fold_name, words_before


class PlaceLike(Protocol):
    """What the matcher needs of a gazetteer place (``exchanges.gazetteer.Place``)."""

    id: str
    name: str
    alt_names: list[str]


class GazetteerLike(Protocol):
    def __iter__(self): ...  # Iterator[Place]

    def name_index(self) -> Mapping[str, PlaceLike]: ...


@dataclass(frozen=True)
class NameMention:
    """A known place (or actor) named in the text at ``start``..``end`` (offsets into the text)."""

    text: str
    start: int
    end: int
    id: str
    name: str
    inferred: str | None = None
    """Why the place is implied rather than named ("the Soviet Embassy in China is in Beijing")."""
    alternatives: tuple[str, ...] = ()
    """Other places (ids) of the same name, for the review page to offer."""


PlaceMention = NameMention


@dataclass(frozen=True)
class PlaceCandidate:
    """A capitalised phrase that looks like a place but is not in the gazetteer."""

    name: str
    start: int
    end: int


_ACRONYM = re.compile(r"^[A-Z]{2,5}$")
_AREA_AFTER = re.compile(r"[ \t]+(?i:region|province|valley|oblast|district|prefecture|krai|territory)\b")
_AREA_NAME = regex.compile(
    r"(?P<phrase>\p{Lu}(?<![\p{L}\p{M}]\p{Lu})[\p{L}\p{M}'’\-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}'’\-]*){0,3}"
    r"[ \t]+(?:A?SSR|Republic|Region|Province|Oblast|Krai|Territory|region|province|oblast|valley|Valley|"
    r"River|river|Rivers|Island|Islands|island|Pass|pass|Mountains|Range|Lake|Strait|Peninsula|station|Station))\b"
)
"""A multi-word proper name of an area or a feature: "Kazakh SSR", "Ili region", "Gansu Province",
"Amur River", "Goldinsky Island", "Dzungaria station"."""


class NameMatcher:
    """Matches the names of known things (gazetteer places, actors) in texts.

    Names and text are compared in the gazetteer's folded form
    (``exchanges.gazetteer.normalize_name``: no case, accents, spaces or
    punctuation), so "Port Arthur", "Port-Arthur" and "PORT ARTHUR", or
    "Alma-Ata" and "Alma Ata", are one name. Every name is a key of one
    Aho-Corasick automaton (``pyahocorasick``) run over the text's letters and
    digits, so matching is one pass whatever the number of names; a match
    counts only from the start of a word to the end of a word, and only
    across spaces, hyphens, apostrophes and the dots of an abbreviation (not
    across a comma or the end of a sentence). Build once per gazetteer or actor
    list and reuse (``analyse_document(place_matcher=…)``).

    Rules: an acronym ("USSR", "U.S.S.R.", "PRC") matches only in capitals; a
    one-word name only where the text writes it with a capital letter (a proper
    name: "fine china" is no place), a longer name in any case ("the people's
    republic of china"); a name in ``place_stop_words`` (months, adjectives,
    "Soviet") is never matched; "Moscow time" is a time zone; a place name right
    before an archive reference ("PRC FMA 109-…") is part of the reference; a
    short one-word name (``SHORT_NAME`` letters or fewer) beside another
    capitalised word that is not a place word is part of a person's name ("Lin
    Biao"); a city's or river's name before "region"/"valley" is the area (a
    candidate for review), and a region's name before "station" the station. Where several
    places share a name, the gazetteer's ``resolve`` picks one by its written
    rules (the unambiguous places of the same text count as "nearby"); the
    others are kept as ``alternatives``.
    """

    def __init__(self, names: Mapping[str, PlaceLike | Sequence[PlaceLike]] | None = None,
                 acronyms: Iterable[str] = (), *, lexicon: Lexicon | None = None) -> None:
        self._ids: dict[str, list[str]] = {}
        self._items: dict[str, PlaceLike] = {}
        self._get: Callable[[str], PlaceLike | None] = self._items.get
        self._resolve: Callable[..., Any] | None = None
        for name, items in (names or {}).items():
            for item in ([items] if not isinstance(items, Sequence) else items):
                self._items.setdefault(item.id, item)
                self._add_key(normalize_name(name), item.id)
        self._acronyms = {normalize_name(a) for a in acronyms}
        lexicon = lexicon or load_lexicon()
        self._stop = {normalize_name(w) for w in lexicon.place_stop_words}
        self._place_words = lexicon.folded("place_type_words")
        self._core_keys = set(self._ids)
        self._organisations = lexicon.folded("organisation_words") | lexicon.folded("institution_words")
        words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(lexicon.organisation_words, key=len,
                                                                                  reverse=True))
        self._org_before = re.compile(rf"(?i)\b(?:{words})\b(?:\s+of\s+(?:the\s+)?[\w’'-]+(?:\s+[\w’'-]+){{0,2}})?"
                                      rf"\s+of\s+(?:the\s+)?$") if words else None
        self._org_after = re.compile(rf"(?i)[ \t]+(?:[A-Z][\w’'-]*[ \t]+)?(?:{words})\b") if words else None
        self._automaton: Any = None

    def _add_key(self, key: str, item_id: str) -> None:
        for border, other in _BORDER_WORDS:  # "China-USSR border" = "China - USSR boundary" = "… frontier"
            if key.endswith(border) and len(key) > len(border):
                self._add_one(key[: -len(border)] + other, item_id)
        self._add_one(key, item_id)

    def _add_one(self, key: str, item_id: str) -> None:
        if key:
            bucket = self._ids.setdefault(key, [])
            if item_id not in bucket:
                bucket.append(item_id)

    def _build(self) -> Any:
        if self._automaton is None and self._ids:
            automaton = ahocorasick.Automaton()
            for key in self._ids:
                automaton.add_word(key, key)
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    @property
    def by_name(self) -> dict[str, PlaceLike]:
        """Folded name -> the (first) thing of that name."""
        return {key: item for key, ids in self._ids.items() if (item := self._get(ids[0])) is not None}

    @classmethod
    def from_items(cls, items: Iterable[PlaceLike]) -> NameMatcher:
        """Every name and alternative name of ``items`` (places or actors)."""
        names: dict[str, list[PlaceLike]] = {}
        acronyms: list[str] = []
        for item in items:
            for name in (item.name, *item.alt_names):
                names.setdefault(name, []).append(item)
                if _ACRONYM.match(name) or _DOTTED_ACRONYM.match(name):
                    acronyms.append(name)
        return cls(names, acronyms)

    @classmethod
    def from_gazetteer(cls, gazetteer: GazetteerLike) -> NameMatcher:
        """Every name the gazetteer allows in running text (``matcher_names`` where it has it:
        the curated places first, then the regional ones), resolved with its ``resolve``."""
        core = list(gazetteer)
        matcher = cls.from_items(core)
        matcher._core_keys = set(matcher._ids)
        names = getattr(gazetteer, "matcher_names", None)
        if names is not None:
            for key, place_id in names():
                matcher._add_key(key, place_id)
            matcher._get = lambda place_id: matcher._items.get(place_id) or gazetteer.get(place_id)
        matcher._resolve = getattr(gazetteer, "resolve", None)
        return matcher

    @classmethod
    def for_gazetteer(cls, gazetteer: GazetteerLike) -> NameMatcher:
        """:meth:`from_gazetteer`, built once per gazetteer object and kept while it lives (a
        gazetteer does not change after it is made; the regional one takes about half a second
        to turn into a matcher, which every analysis would otherwise pay)."""
        try:
            return _MATCHERS[gazetteer]
        except KeyError:
            matcher = _MATCHERS[gazetteer] = cls.from_gazetteer(gazetteer)
            return matcher
        except TypeError:  # not weakly referenceable (a test's stand-in): build it each time
            return cls.from_gazetteer(gazetteer)

    def find(self, text: str, taken: Iterable[tuple[int, int]] = ()) -> list[NameMention]:
        """The names in ``text``, leftmost-longest, skipping ``taken`` spans (people already found)."""
        automaton = self._build()
        if automaton is None:
            return []
        letters = _Letters(text)
        matches: list[tuple[int, int, str]] = []
        for last, key in automaton.iter(letters.squashed):
            first = last - len(key) + 1
            if first in letters.word_starts and last + 1 in letters.word_ends:
                start, end = letters.span(first, last + 1)
                if text[end : end + 1] == "." and _DOTTED.fullmatch(text[start : end + 1]):
                    end += 1  # "U.S.S.R."
                if _joinable(text[start:end]):
                    matches.append((start, end, key))
        blocked = SpanSet(taken)
        chosen: list[tuple[int, int, str]] = []
        for start, end, key in sorted(matches, key=lambda m: (m[0], m[0] - m[1])):
            if (not chosen or start >= chosen[-1][1]) and blocked.is_free((start, end)):
                chosen.append((start, end, key))
        accepted = [(start, end, key) for start, end, key in chosen if self._accept(text, key, start, end)]
        spans = SpanSet((start, end) for start, end, _ in accepted)
        found = [(start, end, key, self._ids[key]) for start, end, key in accepted
                 if key in self._core_keys or not self._in_person_name(text, start, end, spans)]
        return self._mentions(text, found)

    def _mentions(self, text: str, found: list[tuple[int, int, str, list[str]]]) -> list[NameMention]:
        nearby = list(dict.fromkeys(ids[0] for *_, ids in found if len(ids) == 1))
        decided: dict[str, tuple[str, tuple[str, ...]]] = {}
        mentions = []
        for start, end, key, ids in found:
            if key not in decided:
                decided[key] = self._choose(text[start:end], ids, nearby)
            chosen, alternatives = decided[key]
            item = self._get(chosen)
            if item is None:
                continue
            if getattr(item, "kind", None) not in ("region", "country") and _AREA_AFTER.match(text, end):
                continue  # "Ili region", "Ili Valley": the area, not the city or river of that name
            if getattr(item, "kind", None) in ("region", "country") and _STATION_AFTER.match(text, end):
                continue  # "<region> station" is a railway station, not the region
            if getattr(item, "kind", None) in ("region", "country"):
                start = _with_direction(text, start)  # "Northern Manchuria", "eastern Siberia": a part of it
            mentions.append(NameMention(text[start:end], start, end, item.id, item.name, alternatives=alternatives))
        return mentions

    def _choose(self, written: str, ids: list[str], nearby: list[str]) -> tuple[str, tuple[str, ...]]:
        if len(ids) == 1 or self._resolve is None:
            return ids[0], tuple(ids[1:])
        try:
            resolution = self._resolve(written, nearby=nearby)
        except (ValueError, LookupError):
            resolution = None
        if resolution is None or resolution.place.id not in ids:
            return ids[0], tuple(ids[1:])
        return resolution.place.id, tuple(p.id for p in resolution.alternatives)

    def _accept(self, text: str, key: str, start: int, end: int) -> bool:
        original = text[start:end]
        letters = [c for c in original if c.isalpha()]
        if key in self._acronyms:
            if not all(c.isupper() for c in letters):
                return False
        elif len(letters) <= 3 and all(c.isupper() for c in letters) and key not in self._core_keys:
            return False  # "ABK": initials, or an abbreviation, not a town
        elif key in self._stop or not self._written_as_name(original, key):
            return False  # "china" in "fine china", "to be" is not Tobe; "Soviet" is an adjective
        after = text[end : end + 40]
        if _TIME_AFTER.match(after) or _REFERENCE_AFTER.match(after) or _LINE_BREAK_HYPHEN.match(after):
            return False  # "Moscow time"; "PRC FMA 109-03957-04"; "Chi- nese"
        if self._org_after is not None and (self._org_after.match(after) or (
                _OF_BEFORE.search(text, max(0, start - 10), start)
                and self._org_before.search(text, max(0, start - 80), start))):
            return False  # "Heihe Railway Co.", "Communist Party of China": an organisation's name
        short = len(key) <= SHORT_NAME and key not in self._acronyms and not re.search(r"[\s\-]", original)
        return not (short and key in self._core_keys and self._in_person_name(text, start, end, SpanSet()))

    def _written_as_name(self, original: str, key: str) -> bool:
        """A proper name: its words capitalised ("Port Arthur"; "of", "the" … may stay small).

        A curated name of several words matches in any case ("the people's republic of
        china"); a generated one only capitalised, so "to be" or "in a" never become the
        towns Tobe or Ina.
        """
        words = _NAME_WORDS.findall(original)
        if not words or not words[0][:1].isupper():
            return len(words) > 1 and key in self._core_keys
        return all(w[:1].isupper() or w.lower() in _CONNECTORS or w.isdigit() for w in words[1:]) or (
            len(words) > 1 and key in self._core_keys)

    def _in_person_name(self, text: str, start: int, end: int, places: SpanSet) -> bool:
        """ "Lin Biao", "Wang [Ming]", "Li Hong Fu": a name next to another capitalised word
        that is not a place, a kind of place or an organisation is part of a person's name.

        Applied to every generated (regional) name and to short curated ones."""
        after = _NEXT_WORD.match(text, end)
        before = _PREVIOUS_WORD.search(text, max(0, start - 40), start) if start else None
        for neighbour in (after, before):
            if neighbour is None:
                continue
            word = neighbour.group("word")
            folded = fold_name(word)
            if (not word[:1].isupper() or folded in self._place_words or folded in self._organisations
                    or normalize_name(word) in self._stop or not places.is_free(neighbour.span("word"))):
                continue
            if neighbour is before and _sentence_start(text, neighbour.start("word")) and text[start - 1] != "[":
                continue  # "Yesterday Heihe …"; but "Wang [Ming]" is an editor completing a name
            return True
        return False


class _Letters:
    """The letters and digits of a text, folded and joined ("Port-Arthur," -> "portarthur"),
    with where each word starts and ends, to match names in the gazetteer's folded form."""

    def __init__(self, text: str) -> None:
        folded = fold(text)
        spans = [m.span() for m in _WORD_RUN.finditer(folded.text)]
        pieces = [folded.text[a:b] for a, b in spans]
        ends = list(accumulate(len(p) for p in pieces))
        self.squashed = "".join(pieces)
        self.word_starts = set([0, *ends[:-1]]) if ends else set()
        self.word_ends = set(ends)
        self._starts = [0, *ends[:-1]] if ends else []
        self._origin = [a for a, _ in spans]
        self._folded = folded

    def span(self, first: int, end: int) -> tuple[int, int]:
        """Original [start, end) of squashed [first, end)."""
        i = bisect.bisect_right(self._starts, first) - 1
        j = bisect.bisect_right(self._starts, end - 1) - 1
        return self._folded.span(self._origin[i] + first - self._starts[i], self._origin[j] + end - self._starts[j])


_BORDER_WORDS = (("border", "boundary"), ("border", "frontier"), ("boundary", "border"), ("frontier", "border"))
_DIRECTION_BEFORE = re.compile(r"(?i)\b(?:north|south|east|west|northern|southern|eastern|western|central|"
                               r"north-?eastern|north-?western|south-?eastern|south-?western|upper|lower|inner|outer)"
                               r"[ \t]+$")


def _with_direction(text: str, start: int) -> int:
    """Where a region's mention starts when a direction qualifies it ("Northern Manchuria")."""
    match = _DIRECTION_BEFORE.search(text[max(0, start - 20) : start])
    return start - len(match.group()) if match else start


def _joinable(original: str) -> bool:
    """A name's words are joined by spaces, hyphens, apostrophes or an abbreviation's dots only."""
    return not _SEPARATOR.search(original)


SHORT_NAME = 4
_NAME_WORDS = re.compile(r"[^\W_]+")
_LINE_BREAK_HYPHEN = re.compile(r"-[ \t]*\n?[ \t]*[a-z]")
_WORD_RUN = re.compile(r"[^\W_]+")
_SEPARATOR = re.compile(r"[^\w\s'’\-‐‑–.]|(?<!\b[A-Z])\.\s|\n\s*\n")  # "A.A. Gromyko" holds together
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,5}$")
_DOTTED = re.compile(r"(?:\w\.)+")
_TIME_AFTER = re.compile(r"[ \t]+(?i:time)\b")
_REFERENCE_AFTER = re.compile(r"[ \t]+[A-Z]{2,5}[ \t]+\d|[ \t]*\d{2,}[-–]\d")
_NEXT_WORD = regex.compile(r"\]?[ \t]+\[?(?P<word>\p{L}[\p{L}\p{M}'’\-]*)")
_PREVIOUS_WORD = regex.compile(r"(?P<word>\p{L}[\p{L}\p{M}'’\-]*)\]?[ \t]+\[?$")
_STATION_AFTER = re.compile(r"[ \t]+(?i:station)\b")


def _sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 3) : at].rstrip(" \t")
    return not before or before[-1] in ".!?:\n\"“(["


_CAPITALISED = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
_CONNECTOR = r"(?:of|de|del|la|le|al|el|am|an|upon|on|sur|the)"
_PHRASE = rf"{_CAPITALISED}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)?{_CAPITALISED}){{0,4}}"
_CONNECTORS = frozenset({"of", "de", "del", "la", "le", "al", "el", "am", "an", "upon", "on", "sur", "the"})
_LIST_ITEM = regex.compile(
    rf"(?:[ \t]*,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+)(?:the[ \t]+)?(?P<phrase>{_PHRASE})"
)
_INITIALS = regex.compile(r"^(?:\p{Lu}\.)+$")


_PHRASE_RX = regex.compile(_PHRASE)
_OF_BEFORE = re.compile(r"(?i)\bof\s+(?:the\s+)?$")
_COORDINATES_AFTER = re.compile(r"[ \t]*\([ \t]*[NS][ \t.]*\d")
_S_PATTERN = regex.compile(r"\S+")
_TRAILING = regex.compile(r"(?:'s|’s|['’.\-])$")


def _place_phrases(text: str, lexicon: Lexicon) -> Iterable[tuple[int, str]]:
    """Capitalised phrases that stand where a place name stands: after a place preposition
    ("near Khorgos", "the towns of Heihe") or before coordinates ("Zhelezny (N 45-10 …")."""
    prepositions = lexicon.folded("place_prepositions")
    with_article = frozenset({*prepositions, *(f"{p} the" for p in prepositions)})
    for match in _PHRASE_RX.finditer(text):
        start = match.start()
        if start and (text[start - 1].isalpha() or text[start - 1] in "'’.-"):
            continue
        if words_before(text, start, with_article) is not None or _COORDINATES_AFTER.match(text, match.end()):
            yield start, match.group()


class _CandidateCollector:
    """Collects place-like capitalised phrases that are free (not a known span, actor or stop word)."""

    def __init__(self, known: Iterable[tuple[int, int]], exclude_names: Iterable[str], lexicon: Lexicon):
        self.stop = lexicon.folded("place_stop_words")
        self.titles = lexicon.folded("person_titles")
        self.institutions = lexicon.folded("institution_words")
        self.actors = {fold_name(name) for name in exclude_names}
        self.taken = SpanSet(known)
        self.candidates: list[PlaceCandidate] = []

    def _add(self, name: str, start: int, end: int) -> None:
        if self.taken.is_free((start, end)):
            self.taken.add((start, end))
            self.candidates.append(PlaceCandidate(name, start, end))

    def _place_words(self, folded_words: list[str]) -> int:
        """How many leading words of a phrase may name a place (0: none)."""
        keep = 0  # the longest leading run of words that are not stop words
        for word in folded_words:
            if word in self.stop or word in self.titles or word.split("-")[-1] in self.stop:
                break  # "Sino-Soviet", "Trans-Siberian": adjectives
            keep += 1
        while keep > 1 and folded_words[keep - 1] in _CONNECTORS:
            keep -= 1  # "Republic of" -> "Republic"
        return keep

    def consider(self, start: int, phrase: str) -> int:
        """Add the place-like part of ``phrase`` (at ``start``); return where it ends, or -1."""
        words = list(_S_PATTERN.finditer(phrase))
        folded_words = [fold_name(w.group()).strip(".'") for w in words]
        if not folded_words or folded_words[0] in self.titles or _INITIALS.match(words[0].group()):
            return -1  # a person: "Comrade Huang Zhen", "I.V. Stalin"
        if any(w in self.institutions for w in folded_words):
            return -1
        keep = self._place_words(folded_words)
        if keep == 0:
            return -1
        name = _TRAILING.sub("", phrase[: words[keep - 1].end()])
        if not name or fold_name(name) in self.actors or fold_name(name) in self.stop:
            return -1
        self._add(name, start, start + len(name))
        return start + len(name)

    def consider_area(self, match: regex.Match[str], text: str) -> None:
        """An area name wherever it stands: "the authorities of the Kazakh SSR"."""
        words = match.group("phrase").split()
        lead = 0  # "The Kazakh SSR" -> "Kazakh SSR"; "Soviet Socialist Republic" alone is no name
        while lead < len(words) - 1 and fold_name(words[lead]) in self.stop:
            lead += 1
        if lead >= len(words) - 1:
            return
        start = match.start("phrase") + match.group("phrase").index(words[lead])
        name = text[start : match.end("phrase")]
        if fold_name(name) in self.actors or any(fold_name(w) in self.institutions for w in words[lead:]):
            return
        self._add(name, start, match.end("phrase"))

    def follow_list(self, text: str, seed: int) -> None:
        """The items of a list that starts at ``seed``: "in Beijing, Shanghai, Tianjin, and Qingdao"."""
        position = seed
        while (item := _LIST_ITEM.match(text, position)) is not None:
            end = self.consider(item.start("phrase"), item.group("phrase"))
            if end < 0:
                break
            position = end


def propose_candidates(
    text: str,
    known: Iterable[tuple[int, int]] = (),
    exclude_names: Iterable[str] = (),
    lexicon: Lexicon | None = None,
) -> list[PlaceCandidate]:
    """Capitalised phrases after place prepositions that may be places not in the gazetteer.

    ``known`` are spans already matched (gazetteer mentions), ``exclude_names``
    the names of known actors; neither is proposed again.
    """
    lexicon = lexicon or load_lexicon()
    known = list(known)
    collector = _CandidateCollector(known, exclude_names, lexicon)
    for match in _AREA_NAME.finditer(text):
        collector.consider_area(match, text)
    seeds = [end for _, end in known]
    for start, phrase in _place_phrases(text, lexicon):
        end = collector.consider(start, phrase)
        seeds.append(end if end >= 0 else start + len(phrase))
    for seed in sorted(set(seeds)):
        collector.follow_list(text, seed)
    return sorted(collector.candidates, key=lambda c: c.start)


def infer_seats(
    text: str, mentions: Iterable[NameMention], capital_names: Mapping[str, str], lexicon: Lexicon | None = None,
    year: int | None = None,
) -> list[NameMention]:
    """Capitals implied by diplomatic posts: "the Soviet Embassy in China" -> Beijing.

    ``capital_names`` maps a capital's gazetteer id to its name; which country
    has which capital is ``capitals`` in ``lexicon.yaml``, and since when
    ``capital_since`` (a document of ``year`` before that is not placed there:
    in 1947 the capital of China was Nanking). Each inferred mention spans the
    post and the country ("Embassy in China") and says why.
    """
    lexicon = lexicon or load_lexicon()
    if year is not None:
        capital_names = {capital: name for capital, name in capital_names.items()
                         if all(year >= since for country, since in lexicon.capital_since.items()
                                if lexicon.capitals.get(country) == capital)}
    seats = "|".join(re.escape(fold_name(w)) for w in sorted(lexicon.seat_words, key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{seats})(?:\s+of\s+the\s+\w+)?\s+(?:in|to)\s+(?:the\s+)?$")
    quick = re.compile("|".join(re.escape(fold_name(w)[:5]) for w in lexicon.seat_words), re.IGNORECASE)
    inferred: list[NameMention] = []
    for mention in mentions:
        capital = lexicon.capitals.get(mention.id)
        if capital is None or capital not in capital_names or mention.inferred:
            continue
        raw = text[max(0, mention.start - 60) : mention.start]
        if not quick.search(raw):
            continue  # no seat word nearby: skip the folding
        before = fold(raw)
        match = pattern.search(before.text)
        if match is None:
            continue
        start = mention.start - len(raw) + before.span(match.start(), match.end())[0]
        phrase = text[start : mention.end]
        reason = f"{phrase!r}: a diplomatic mission sits in the capital, {capital_names[capital]}"
        inferred.append(NameMention(phrase, start, mention.end, capital, capital_names[capital], reason))
    return inferred


def count_by_id(mentions: Iterable[NameMention]) -> dict[str, int]:
    """Mentions per place (or actor) id, most mentioned first."""
    counts: dict[str, int] = {}
    for mention in mentions:
        counts[mention.id] = counts.get(mention.id, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def group_candidates(candidates: Iterable[PlaceCandidate]) -> dict[str, list[PlaceCandidate]]:
    """Candidates grouped by name (folded), first spelling kept as the key."""
    groups: dict[str, list[PlaceCandidate]] = {}
    spelling: dict[str, str] = {}
    for candidate in candidates:
        key = fold_name(candidate.name)
        spelling.setdefault(key, candidate.name)
        groups.setdefault(spelling[key], []).append(candidate)
    return groups


_PERSON_TITLE = regex.compile(
    r"\b(?:Comrades?|Cdes?\.?|Mr\.?|Mrs\.?|Dr\.?|Ambassador|Premier|Chairman|President|Minister|Marshal|General|"
    r"Consul|Secretary|Chargé d’affaires|Charge d'affaires)[ \t]+(?P<name>(?:\p{Lu}\.[ \t]?){0,3}\p{Lu}[\p{Ll}’'\-]+"
    r"(?:[ \t]+\p{Lu}[\p{Ll}’'\-]+){0,2})"
)
_INITIALED = regex.compile(r"(?<![\p{L}.])(?P<name>(?:\p{Lu}\.[ \t]?){1,3}\p{Lu}[\p{Ll}’'\-]{2,}(?:-\p{Lu}[\p{Ll}]+)?)")


def propose_people(text: str, known: Iterable[tuple[int, int]] = (), lexicon: Lexicon | None = None
                   ) -> list[PlaceCandidate]:
    """Names of people that are not known actors, for the reader to add as new actors: a name
    after a title ("Ambassador Ivanov", "Comrade Petrov") or with initials ("P.K.
    Sidorenko"). ``known`` are spans already matched (actors, places); nothing is dropped
    silently: these are proposals, shown for review."""
    lexicon = lexicon or load_lexicon()
    stop = lexicon.folded("place_stop_words") | lexicon.folded("person_titles")
    taken = SpanSet(known)
    people: list[PlaceCandidate] = []
    for pattern in (_PERSON_TITLE, _INITIALED):
        for match in pattern.finditer(text):
            start, end = match.span("name")
            name = match.group("name")
            if fold_name(name.split()[-1]) in stop or not taken.is_free((start, end)):
                continue
            taken.add((start, end))
            people.append(PlaceCandidate(name, start, end))
    return sorted(people, key=lambda p: p.start)


_MATCHERS: weakref.WeakKeyDictionary[Any, NameMatcher] = weakref.WeakKeyDictionary()
"""Gazetteer -> its :class:`NameMatcher` (see :meth:`NameMatcher.for_gazetteer`)."""
