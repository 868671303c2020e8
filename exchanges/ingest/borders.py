"""Border phrases that name a border of the gazetteer by its two sides.

The gazetteer's border places (``kind: border``) say which two countries they
separate in their ``country`` column ("PRC/USSR"). A phrase names such a border
when it names both sides, or one side in a text that is by the other:

* both sides: "the Soviet-Chinese border", "the Sino-Soviet frontier", "the
  China–USSR boundary", "the Chinese/Soviet border", "the border between China
  and the Soviet Union" -> the border of those two countries. A side is named by
  the country's gazetteer name or alternative name, or by an adjective of
  ``country_adjectives`` in ``lexicon.yaml`` ("Soviet", "Sino", "Chinese").
* one side: "the border with China", "the Chinese border", "the frontier with
  the USSR" -> the border of that country with the *other* side only when it is
  unambiguous: the gazetteer has exactly one border pair with that country, and
  the text is by the other side, i.e. names it in the title or in the same
  sentence ("Soviet citizens crossed the Chinese border"). This is an inference
  and is said as such (``NameMention.inferred``).

Where a country has several borders in the gazetteer (or the phrase's pair has
none) the phrase is left alone. Where one pair has several border places (the
whole border and a section), the whole one is meant: the one with the
shortest name (a section is named by its part, "… in Xinjiang").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from exchanges.ingest.lexicon import Lexicon, load_lexicon
from exchanges.ingest.places import NameMention
from exchanges.ingest.text import FoldedText, fold, fold_name, near_token

_BORDER = r"(?P<kind>borders?|frontiers?|boundary|boundaries)"
_REACH = 300
"""Characters either side of a border word that are read: the phrase, and the sentence around a one-sided one."""
_BORDER_WORD = re.compile(r"(?i)border|frontier|boundar")


@dataclass(frozen=True)
class _Borders:
    places: dict[frozenset[str], object]  # pair of country ids -> the border place
    border_ids: frozenset[str]  # every border place (sections too)
    words: dict[str, str]  # folded name or adjective -> country id
    side_pattern: re.Pattern[str] | None
    pattern_two: re.Pattern[str] | None
    pattern_between: re.Pattern[str] | None
    pattern_one: re.Pattern[str] | None


def _border_index(places: Iterable[object], lexicon: Lexicon) -> _Borders:
    """The border places by pair of country ids, and the words that name each side."""
    places = list(places)
    countries = {getattr(p, "country", None): p for p in places if getattr(p, "kind", None) == "country"}
    borders: dict[frozenset[str], object] = {}
    border_ids = frozenset(p.id for p in places if getattr(p, "kind", None) == "border")
    for place in places:
        codes = str(getattr(place, "country", "")).split("/")
        if getattr(place, "kind", None) != "border" or len(codes) != 2:
            continue
        sides = [countries.get(code.strip()) for code in codes]
        if None in sides or sides[0] is sides[1]:
            continue
        pair = frozenset(side.id for side in sides)
        if pair not in borders or len(place.name) < len(borders[pair].name):
            borders[pair] = place
    words: dict[str, str] = {}
    for pair in borders:
        for country_id in pair:
            country = next(p for p in countries.values() if p.id == country_id)
            for name in (country.name, *country.alt_names, *lexicon.country_adjectives.get(country_id, [])):
                if fold_name(name):
                    words.setdefault(fold_name(name), country_id)
    if not words:
        return _Borders(borders, border_ids, words, None, None, None, None)
    side = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    a, b = rf"(?P<a>{side})", rf"(?P<b>{side})"
    return _Borders(
        borders,
        border_ids,
        words,
        re.compile(rf"(?<!\w)(?:{side})(?!\w)"),
        re.compile(rf"(?<![\w-]){a}\s*(?:-|/|\s(?:and|or)\s)\s*{b}\s+{_BORDER}\b"),
        re.compile(rf"\b{_BORDER}\s+between\s+(?:the\s+)?{a}\s+and\s+(?:the\s+)?{b}\b"),
        re.compile(rf"\b(?:{_BORDER}\s+with\s+(?:the\s+)?{a}\b|the\s+{b}\s+(?P<kind2>borders?|frontiers?|boundary)\b)"),
    )


_INDEX: dict[int, tuple[object, Lexicon, _Borders]] = {}


def _cached_index(gazetteer: object, lexicon: Lexicon) -> _Borders:
    cached = _INDEX.get(id(gazetteer))
    if cached is None or cached[0] is not gazetteer or cached[1] is not lexicon:
        if len(_INDEX) > 8:
            _INDEX.clear()
        cached = (gazetteer, lexicon, _border_index(iter(gazetteer), lexicon))
        _INDEX[id(gazetteer)] = cached
    return cached[2]


def find_borders(
    text: str,
    gazetteer: object,
    mentions: Iterable[NameMention] = (),
    *,
    title: str = "",
    lexicon: Lexicon | None = None,
) -> list[NameMention]:
    """Mentions of the gazetteer's border places that ``text`` names by their sides.

    ``mentions``: places already found (a phrase overlapping a border place found
    by name is left to it); ``title``: the document's title lines, where a text
    says whose it is.
    """
    index = _cached_index(gazetteer, lexicon or load_lexicon())
    if index.pattern_two is None:
        return []
    taken = [(m.start, m.end) for m in mentions if m.id in index.border_ids]
    found: list[NameMention] = []
    title_sides = _sides_named(fold_name(title), index)
    for window_start, window_end in near_token(text, _BORDER_WORD, _REACH, _REACH):  # read only near a border word
        window = fold(text[window_start:window_end])

        def add(fstart: int, fend: int, place: object, reason: str | None,
                window: FoldedText = window, offset: int = window_start) -> None:
            start, end = (offset + at for at in window.span(fstart, fend))
            if not any(start < b and a < end for a, b in taken):
                taken.append((start, end))
                found.append(NameMention(text[start:end], start, end, place.id, place.name, reason))

        for pattern in (index.pattern_two, index.pattern_between):
            for m in pattern.finditer(window.text):
                place = index.places.get(frozenset({index.words[_norm(m["a"])], index.words[_norm(m["b"])]}))
                if place is not None:
                    add(m.start(), m.end(), place, None)
        for m in index.pattern_one.finditer(window.text):
            named = index.words[_norm(m["a"] or m["b"])]
            pairs = [pair for pair in index.places if named in pair]
            if len(pairs) != 1:
                continue  # the country has several borders in the gazetteer: which one is not said
            (other,) = pairs[0] - {named}
            if other not in title_sides and other not in _sides_named(
                    _sentence_around(window.text, m.start(), m.end()), index):
                continue
            place = index.places[pairs[0]]
            fstart = m.start("b") if m["b"] else m.start()  # "the Chinese border": from "Chinese"
            phrase = text[slice(*(window_start + at for at in window.span(fstart, m.end())))]
            add(fstart, m.end(), place,
                f"{phrase!r} in a text by the other side ({_side_name(other, gazetteer)}, named in the title or the "
                f"sentence): the {place.name}")
    return sorted(found, key=lambda m: m.start)


def _norm(words: str) -> str:
    return re.sub(r"\s+", " ", words)


def _sides_named(folded: str, index: _Borders) -> set[str]:
    if not folded or index.side_pattern is None:
        return set()
    return {index.words[_norm(m.group())] for m in index.side_pattern.finditer(folded)}


def _sentence_around(folded: str, start: int, end: int) -> str:
    """The sentence (or line) holding ``start``..``end``, with the phrase itself blanked out."""
    before = folded[max(0, start - _REACH) : start]
    after = folded[end : end + _REACH]
    cut = max(before.rfind(". "), before.rfind("\n"), before.rfind("? "), before.rfind("! "))
    stop = min((i for i in (after.find(". "), after.find("\n"), after.find("? "), after.find("! ")) if i >= 0),
               default=len(after))
    return before[cut + 1 :] + " " + after[:stop]


def _side_name(country_id: str, gazetteer: object) -> str:
    get = getattr(gazetteer, "get", None)
    place = get(country_id) if get is not None else None
    return place.name if place is not None else country_id


def border_places(gazetteer: object, lexicon: Lexicon | None = None) -> Mapping[frozenset[str], object]:
    """The gazetteer's border places by the pair of country ids they separate."""
    return _cached_index(gazetteer, lexicon or load_lexicon()).places
