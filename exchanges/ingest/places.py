"""Find the places a text names: gazetteer names first, then likely place names to geocode.

Gazetteer names (every name and alternative/historical name) are matched with
word boundaries, case- and diacritic-insensitively, longest name first, so
"Xinjiang Uyghur Autonomous Region" is one mention and not "Xinjiang" plus
words. Acronyms (all capitals, up to five letters: "USSR", "PRC", "SU") match
only in capitals, so an alias like "US" never matches the pronoun "us".

Other capitalised phrases after a place preposition ("near Khorgos", "to
Alma-Ata") are proposed as candidates for the geocoder, after dropping what is
not a place: months, weekdays, titles ("Comrade …" names a person), initials
("I.V. Stalin"), institutions ("… Organization", "… Embassy") and the names of
known actors. Candidates are reported, never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import regex

from exchanges.ingest.lexicon import Lexicon, load_lexicon
from exchanges.ingest.text import SpanSet, fold, fold_name


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
    r"(?<![\p{L}\p{M}])(?P<phrase>\p{Lu}[\p{L}\p{M}'’\-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}'’\-]*){0,3}"
    r"[ \t]+(?:A?SSR|Republic|Region|Province|Oblast|Krai|Territory|region|province|oblast|valley|Valley))\b"
)
"""A multi-word proper name of an area: "Kazakh SSR", "Ili region", "Gansu Province"."""


class NameMatcher:
    """Matches the names of known things (gazetteer places, actors) in texts.

    Build once per gazetteer or actor list; matching is then one regex pass.
    """

    def __init__(self, names: Mapping[str, PlaceLike], acronyms: Iterable[str] = ()) -> None:
        self._by_name: dict[str, PlaceLike] = {}
        for name, place in names.items():
            key = fold_name(name)
            if key:
                self._by_name.setdefault(key, place)
        self._acronyms = {fold_name(a): a for a in acronyms}
        alternatives = sorted(self._by_name, key=len, reverse=True)
        body = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in alternatives)
        self._pattern = re.compile(rf"(?<!\w)(?:{body})(?!\w)") if alternatives else None

    @classmethod
    def from_items(cls, items: Iterable[PlaceLike]) -> NameMatcher:
        """Every name and alternative name of ``items`` (places or actors)."""
        names: dict[str, PlaceLike] = {}
        acronyms: list[str] = []
        for item in items:
            for name in (item.name, *item.alt_names):
                names.setdefault(name, item)
                if _ACRONYM.match(name):
                    acronyms.append(name)
        return cls(names, acronyms)

    @classmethod
    def from_gazetteer(cls, gazetteer: GazetteerLike) -> NameMatcher:
        """Every name and alias of every place, plus whatever ``name_index`` adds."""
        matcher = cls.from_items(gazetteer)
        names = dict(matcher._by_name)
        for key, place in gazetteer.name_index().items():
            names.setdefault(key, place)
        return cls(names, matcher._acronyms.values())

    def find(self, text: str) -> list[NameMention]:
        if self._pattern is None:
            return []
        folded = fold(text)
        mentions: list[NameMention] = []
        for match in self._pattern.finditer(folded.text):
            key = re.sub(r"\s+", " ", match.group())
            start, end = folded.span(match.start(), match.end())
            original = text[start:end]
            acronym = self._acronyms.get(key)
            if acronym is not None and original != acronym:
                continue
            item = self._by_name[key]
            if getattr(item, "kind", None) == "city" and _AREA_AFTER.match(text, end):
                continue  # "Ili region", "Ili Valley": the area, not the city
            mentions.append(NameMention(original, start, end, item.id, item.name))
        return mentions


_CAPITALISED = r"\p{Lu}[\p{L}\p{M}'’.\-]*"
_CONNECTOR = r"(?:of|de|del|la|le|al|el|am|an|upon|on|sur|the)"
_PHRASE = rf"{_CAPITALISED}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)?{_CAPITALISED}){{0,4}}"
_CONNECTORS = frozenset({"of", "de", "del", "la", "le", "al", "el", "am", "an", "upon", "on", "sur", "the"})
_LIST_ITEM = regex.compile(rf"(?:[ \t]*,[ \t]*(?:and[ \t]+|or[ \t]+)?|[ \t]+(?:and|or)[ \t]+)(?:the[ \t]+)?(?P<phrase>{_PHRASE})")
_INITIALS = regex.compile(r"^(?:\p{Lu}\.)+$")


def _candidate_pattern(lexicon: Lexicon) -> regex.Pattern[str]:
    prepositions = sorted(lexicon.place_prepositions, key=len, reverse=True)
    words = "|".join(regex.escape(p).replace(r"\ ", r"\s+") for p in prepositions)
    return regex.compile(rf"(?i:\b(?:{words}))\s+(?i:the\s+)?(?P<phrase>{_PHRASE})")


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
    stop = lexicon.folded("place_stop_words")
    titles = lexicon.folded("person_titles")
    institutions = lexicon.folded("institution_words")
    actors = {fold_name(name) for name in exclude_names}
    taken = SpanSet(known)
    candidates: list[PlaceCandidate] = []

    def consider(start: int, phrase: str) -> int:
        """Add the place-like part of ``phrase`` (at ``start``); return where it ends, or -1."""
        words = list(regex.finditer(r"\S+", phrase))
        folded_words = [fold_name(w.group()).strip(".'") for w in words]
        if not folded_words or folded_words[0] in titles or _INITIALS.match(words[0].group()):
            return -1  # a person: "Comrade Huang Zhen", "I.V. Stalin"
        if any(w in institutions for w in folded_words):
            return -1
        keep = 0  # the longest leading run of words that are not stop words
        for word in folded_words:
            if word in stop or word in titles:
                break
            keep += 1
        while keep > 1 and folded_words[keep - 1] in _CONNECTORS:
            keep -= 1  # "Republic of" -> "Republic"
        if keep == 0:
            return -1
        name = regex.sub(r"(?:'s|’s|['’.\-])$", "", phrase[: words[keep - 1].end()])
        end = start + len(name)
        if not name or fold_name(name) in actors or fold_name(name) in stop:
            return -1
        if taken.is_free((start, end)):
            taken.add((start, end))
            candidates.append(PlaceCandidate(name, start, end))
        return end

    # areas wherever they stand: "the authorities of the Kazakh SSR"
    for match in _AREA_NAME.finditer(text):
        words = match.group("phrase").split()
        lead = 0  # "The Kazakh SSR" -> "Kazakh SSR"; "Soviet Socialist Republic" alone is no name
        while lead < len(words) - 1 and fold_name(words[lead]) in stop:
            lead += 1
        if lead >= len(words) - 1:
            continue
        start = match.start("phrase") + match.group("phrase").index(words[lead])
        name = text[start : match.end("phrase")]
        if fold_name(name) in actors or any(fold_name(w) in institutions for w in words[lead:]):
            continue
        if taken.is_free((start, match.end("phrase"))):
            taken.add((start, match.end("phrase")))
            candidates.append(PlaceCandidate(name, start, match.end("phrase")))
    seeds = [end for _, end in known]
    for match in _candidate_pattern(lexicon).finditer(text):
        end = consider(match.start("phrase"), match.group("phrase"))
        seeds.append(end if end >= 0 else match.end("phrase"))
    # lists: "in Beijing, Shanghai, Tianjin, and Qingdao"
    for seed in sorted(set(seeds)):
        position = seed
        while (item := _LIST_ITEM.match(text, position)) is not None:
            end = consider(item.start("phrase"), item.group("phrase"))
            if end < 0:
                break
            position = end
    return sorted(candidates, key=lambda c: c.start)


def infer_seats(
    text: str, mentions: Iterable[NameMention], capital_names: Mapping[str, str], lexicon: Lexicon | None = None
) -> list[NameMention]:
    """Capitals implied by diplomatic posts: "the Soviet Embassy in China" -> Beijing.

    ``capital_names`` maps a capital's gazetteer id to its name; which country
    has which capital is ``capitals`` in ``lexicon.yaml``. Each inferred
    mention spans the post and the country ("Embassy in China") and says why.
    """
    lexicon = lexicon or load_lexicon()
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
