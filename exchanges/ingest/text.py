"""Text helpers shared by the extractors: folding for matching, sentences, spans.

Every extractor reports character offsets into the *original* text, so the
page can highlight mentions and a passage can be quoted verbatim. Folding
(case, diacritics, typographic apostrophes) therefore keeps a map from each
folded character back to the original one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from exchanges.text import strip_accents

# Typographic variants folded to ASCII so "People’s" matches "People's" and
# "Soviet–China" matches "Soviet-China".
_CHAR_FOLDS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "`": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
}


@dataclass(frozen=True)
class FoldedText:
    """``text`` folded for matching, with ``origin[i]`` = index in the original of folded char i."""

    text: str
    origin: Sequence[int]  # a range when folding kept every character's position
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the folded [start, end)."""
        if end <= start:
            at = self.origin[start] if start < len(self.origin) else self.original_length
            return at, at
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """Case-fold one character and strip its diacritics ("é" -> "e", "İ" -> "i")."""
    char = _CHAR_FOLDS.get(char, char)
    return strip_accents(char).casefold()


def fold(text: str) -> FoldedText:
    """Fold ``text`` character by character, keeping the map back to the original."""
    if text.isascii():  # the common case, and fast: ASCII folds one to one
        return FoldedText(text.lower().replace("`", "'"), range(len(text)), len(text))
    pieces = [fold_char(char) for char in text]
    if all(len(piece) == 1 for piece in pieces):
        return FoldedText("".join(pieces), range(len(text)), len(text))
    origin: list[int] = []
    for index, piece in enumerate(pieces):
        origin.extend([index] * len(piece))
    return FoldedText("".join(pieces), origin, len(text))


_SPACES = re.compile(r"\s+")


def fold_name(name: str) -> str:
    """A name folded the same way as the text, with runs of whitespace collapsed."""
    if len(name) <= 80:
        return _fold_short(name)
    return _SPACES.sub(" ", fold(name).text).strip()


@lru_cache(maxsize=65536)
def _fold_short(name: str) -> str:
    return _SPACES.sub(" ", fold(name).text).strip()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


# A full stop after these does not end a sentence ("Comrade A.A. Gromyko", "File No. 409").
_ABBREVIATIONS = {
    "no", "nos", "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "capt", "vol", "p", "pp",
    "ca", "cf", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.s.s.r", "e.g", "i.e", "cde", "cdes", "comr", "tov", "lieut", "amb", "sec",
    "secy", "gov", "govt", "min", "dept", "ed", "eds", "trans", "ibid", "op", "cit",
}

_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n[ \t\r\f\v]*\n\s*")


def split_sentences(text: str) -> list[Sentence]:
    """Split into sentences, keeping offsets. A blank line (paragraph) also ends one.

    Rule-based: a stop followed by whitespace ends a sentence unless the word
    before it is a known abbreviation or a single initial ("A.A. Gromyko").
    """
    sentences: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith((".",)) and _is_abbreviation(text, match.start()):
            continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        _add_sentence(sentences, text, start, end)
        start = match.end()
    _add_sentence(sentences, text, start, len(text))
    return sentences


def _is_abbreviation(text: str, stop_at: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, stop_at - 12) : stop_at])
    if not word:
        return False
    token = word.group(1).lower()
    if len(token) == 1 and token.isalpha():
        return True  # an initial
    if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
        return True  # "a.a" of "A.A."
    return token in _ABBREVIATIONS


def _add_sentence(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    sentences.append(Sentence(begin, begin + len(stripped), stripped))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def free_of(span: tuple[int, int], taken: Iterable[tuple[int, int]]) -> bool:
    """True if ``span`` overlaps none of ``taken``."""
    return not any(overlaps(span, other) for other in taken)


class SpanSet:
    """Spans claimed so far, asked "is this one free?" in logarithmic time (long texts
    have thousands of mentions). Claimed spans may overlap each other."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._spans: list[tuple[int, int]] = []
        self._longest = 0
        for span in spans:
            self.add(span)

    def add(self, span: tuple[int, int]) -> None:
        index = bisect.bisect_left(self._starts, span[0])
        self._starts.insert(index, span[0])
        self._spans.insert(index, span)
        self._longest = max(self._longest, span[1] - span[0])

    def is_free(self, span: tuple[int, int]) -> bool:
        start, end = span
        low = bisect.bisect_left(self._starts, start - self._longest)
        high = bisect.bisect_left(self._starts, end)
        return not any(self._spans[k][1] > start and self._spans[k][0] < end for k in range(low, high))

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return iter(self._spans)


_WHITESPACE = re.compile(r"\s")


def near_token(text: str, token: re.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
    """The stretches of ``text`` from ``before`` characters before a ``token`` match to ``after``
    characters after it (moved on to the next whitespace, so no word is cut), merged.

    A rule whose every match holds its ``token`` runs its pattern only there: in
    time linear in the text, and in a text dense with dates a rare rule's
    pattern reads a few windows instead of the whole text.
    """
    ranges: list[tuple[int, int]] = []
    first, last = 0, -1  # the range being built
    for match in token.finditer(text):
        start, end = match.start() - before, match.end() + after
        if start <= last:
            last = max(last, end)
            continue
        if last >= 0:
            last = _word_end(text, last)
            if start <= last:  # moved on past the next window's start: one range
                last = max(last, end)
                continue
            ranges.append((first, last))
        first, last = max(0, start), end
    if last >= 0:
        ranges.append((first, _word_end(text, last)))
    return ranges


def _word_end(text: str, at: int) -> int:
    """``at``, moved on to the next whitespace (at most 40 characters), within the text."""
    if at >= len(text):
        return len(text)
    stop = _WHITESPACE.search(text, at, at + 40)
    return stop.start() if stop else min(len(text), at + 40)


def words_before(text: str, start: int, phrases: frozenset[str], longest: int = 4) -> int | None:
    """Where the phrase of ``phrases`` (lower case, one space between words) that ends right
    before ``start`` begins (whitespace between it and ``start`` allowed), or ``None``.
    Constant time: looks at the last ``longest`` words only."""
    if not start or not text[start - 1].isspace():
        return None
    tail = text[max(0, start - 24) : start].split()
    counts = _last_words(phrases).get(tail[-1].lower()) if tail else None
    if counts is None:
        return None  # quick: the word before is the end of no phrase
    window = text[max(0, start - 12 * longest) : start]
    tokens = window.split()
    for count in counts:  # the longest phrase first
        if count <= min(longest, len(tokens)) and " ".join(tokens[-count:]).lower() in phrases:
            position = len(window)
            for token in reversed(tokens[-count:]):  # where the phrase's first word starts
                position = window.rfind(token, 0, position)
            return start - len(window) + position
    return None


_LAST_WORDS: dict[int, tuple[frozenset[str], dict[str, tuple[int, ...]]]] = {}


def _last_words(phrases: frozenset[str]) -> dict[str, tuple[int, ...]]:
    """The last word of each phrase -> the lengths in words of the phrases ending with it, longest first."""
    cached = _LAST_WORDS.get(id(phrases))
    if cached is None or cached[0] is not phrases:
        if len(_LAST_WORDS) > 64:
            _LAST_WORDS.clear()
        counts: dict[str, set[int]] = {}
        for phrase in phrases:
            words = phrase.split()
            if words:
                counts.setdefault(words[-1], set()).add(len(words))
        cached = (phrases, {word: tuple(sorted(n, reverse=True)) for word, n in counts.items()})
        _LAST_WORDS[id(phrases)] = cached
    return cached[1]
