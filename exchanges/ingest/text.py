"""Text helpers shared by the extractors: folding for matching, sentences, spans.

Every extractor reports character offsets into the *original* text, so the
page can highlight mentions and a passage can be quoted verbatim. Folding
(case, diacritics, typographic apostrophes) therefore keeps a map from each
folded character back to the original one.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

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
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


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


def fold_name(name: str) -> str:
    """A name folded the same way as the text, with runs of whitespace collapsed."""
    return re.sub(r"\s+", " ", fold(name).text).strip()


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


# A full stop after these does not end a sentence ("Comrade A.A. Gromyko", "File No. 409").
_ABBREVIATIONS = {
    "no", "nos", "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "capt", "vol", "p", "pp",
    "ca", "cf", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.s.s.r", "e.g", "i.e",
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
