"""Find the numbers a text states about people and things ("approximately 2,500 …").

Each figure says what it counts (the noun phrase after the number), whether it
is approximate and the words of the source. Not figures: dates and years
(spans passed in ``exclude``), file and record numbers ("No. 409",
"118-01767-01", "7-11"), durations ("three years") and the small words "one"
and "two", which are far more often articles of speech ("on one hand", "our two
nations") than counts.

Judgement calls, documented:

* "tens of thousands" is low 10,000, approximate, no upper value; "thousands"
  1,000; the table is ``vague_quantities`` in ``lexicon.yaml``.
* "100-150 families" is low 100, high 150, not approximate.
* A rate ("one illegal border crossing … every two days") is one figure:
  low 1, ``what`` = the thing counted plus the period ("illegal border
  crossing into the Soviet Union every two days"); when the sentence says
  "on average", ``what`` ends with ", on average" and the figure is *not*
  approximate (an average is not an inexact count: data/SCHEMA.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from exchanges.ingest.lexicon import Lexicon, load_lexicon
from exchanges.ingest.text import SpanSet
from exchanges.models import Figure

_NUMBER = r"\d{1,3}(?:,\d{3})+(?!\d)|\d+"
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_LEFT = r"(?<![\w\-/.,#№])"
_RIGHT = r"(?![\w\-/]|[.,]\d)"
_WORD = regex.compile(r"[\p{L}][\p{L}\p{M}'’\-]*")
_SMALL_WORDS = {"one", "two", "a", "an"}


@dataclass(frozen=True)
class FigureMention:
    """A figure in the text; ``start``..``end`` covers the number and what it counts."""

    text: str
    start: int
    end: int
    low: int
    high: int | None
    approximate: bool
    what: str
    quote: str

    def to_figure(self) -> Figure:
        return Figure(low=self.low, high=self.high, approximate=self.approximate, what=self.what, quote=self.quote)


class _FigureFinder:
    def __init__(self, text: str, exclude: Iterable[tuple[int, int]], lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        exclude = list(exclude)
        self.taken = SpanSet(exclude)
        # Matching runs on a copy with the excluded spans (dates) blanked out, so
        # "in 1952 to 2,500 Soviet citizens" is not read as the range 1952-2,500.
        chars = list(text)
        for start, end in exclude:
            chars[start:end] = "\0" * (end - start)
        self.scan = "".join(chars)
        self.found: list[FigureMention] = []
        self.stop = lexicon.folded("figure_stop_words")
        self.units = lexicon.folded("time_units")
        approx = sorted(lexicon.approximate_words, key=len, reverse=True)
        self.approx_re = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in approx)
        words = {w: v for w, v in lexicon.number_words.items()}
        self.number_words = words
        self.words_re = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        self.vague = lexicon.vague_quantities
        self.vague_re = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(self.vague, key=len, reverse=True))

    # -- the noun phrase after a number ------------------------------------------
    def noun_phrase(self, position: int) -> tuple[str, int] | None:
        """What a number at ``position`` counts: up to five words, stopping at function words."""
        words: list[str] = []
        end = position
        cursor = position
        used_of = False
        while len(words) < 5:
            gap = re.match(r"[ \t]+", self.scan[cursor:])
            if not gap:
                break
            word_match = _WORD.match(self.scan, cursor + gap.end())
            if not word_match:
                break
            word = word_match.group()
            lower = word.lower()
            if lower == "of" and words and not used_of:
                following = _WORD.match(self.scan, word_match.end() + 1)
                if following and following.group().lower() not in self.stop:
                    used_of = True
                    words.append(word)
                    cursor = word_match.end()
                    continue
                break
            if lower in self.stop:
                break
            if words and lower.endswith(("ly", "ing", "ed")) and words[-1].lower() != "of":
                break  # a verb or adverb after the noun: "citizens repatriated", "people unexpectedly"
            words.append(word)
            cursor = end = word_match.end()
        while words and words[-1].lower() == "of":
            words.pop()
        if not words:
            return None
        phrase = self.text[position:end].strip()
        return phrase, end

    def _add(self, start: int, end: int, low: int, high: int | None, approximate: bool, what: str, quote: str) -> None:
        if not self.taken.is_free((start, end)):
            return
        if what.split()[0].lower() in self.units:
            return  # a duration, not a count
        self.taken.add((start, end))
        self.found.append(FigureMention(self.text[start:end], start, end, low, high, approximate, what, quote))

    # -- rules -----------------------------------------------------------------
    def rates(self) -> None:
        pattern = regex.compile(
            r"(?i)\b(?P<count>one|a|an|\d+)\s+(?P<what>[^\W\d][^.;:!?]{0,80}?)\s+every\s+"
            r"(?P<per>(?:other|two|three|four|five|six|seven|\d+)\s+)?(?P<unit>days?|weeks?|months?|years?)\b"
        )
        for m in pattern.finditer(self.scan):
            count = 1 if not m["count"].isdigit() else int(m["count"])
            sentence_start = max(self.text.rfind(".", 0, m.start()), 0)
            on_average = "average" in self.text[sentence_start : m.start()].lower()
            per = f"every {m['per'] or ''}{m['unit']}" + (", on average" if on_average else "")
            if "\0" in m.group():
                continue  # a date inside: not a plain rate
            what = self.text[m.start("what") : m.end("what")].strip()
            self._add(m.start(), m.end(), count, None, False, f"{what} {per}", self.text[m.start() : m.end()])

    def vague_quantities(self) -> None:
        pattern = regex.compile(
            rf"(?i)(?:(?P<approx>{self.approx_re})\s+)?\b(?P<vague>{self.vague_re})\s+of\b"
        )
        for m in pattern.finditer(self.scan):
            phrase = self.noun_phrase(m.end())
            if phrase is None:
                continue
            what, end = phrase
            quote = self.text[m.start() : m.end("vague")]
            self._add(m.start(), end, self.vague[_norm(m["vague"])], None, True, what, quote)

    def numbers(self) -> None:
        number = (
            rf"{_LEFT}(?P<n1>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<n2>{_NUMBER}))?{_RIGHT}"
            rf"(?:\s+(?P<mult>hundred|thousand|million)\b)?"
        )
        spelled = rf"\b(?P<w1>{self.words_re})(?:\s*(?:-|–|to|or)\s*(?P<w2>{self.words_re}))?(?:\s+(?P<wmult>hundred|thousand|million))?\b"
        pattern = regex.compile(rf"(?i)(?:\b(?P<approx>{self.approx_re})\s+)?(?:{number}|{spelled})")
        for m in pattern.finditer(self.scan):
            before = self.text[max(0, m.start() - 6) : m.start()]
            if re.search(r"(?i)\bno\.?\s*$|#\s*$|№\s*$", before):
                continue  # "File No. 409"
            if m["n1"]:
                low, high = _digits(m["n1"]), _digits(m["n2"]) if m["n2"] else None
                multiplier = _MULTIPLIERS.get((m["mult"] or "").lower(), 1)
            else:
                if _norm(m["w1"]) in _SMALL_WORDS and not m["wmult"]:
                    continue
                low = self.number_words[_norm(m["w1"])]
                high = self.number_words[_norm(m["w2"])] if m["w2"] else None
                multiplier = _MULTIPLIERS.get((m["wmult"] or "").lower(), 1)
            low *= multiplier
            high = high * multiplier if high is not None else None
            if high is not None and high < low:
                continue
            phrase = self.noun_phrase(m.end())
            if phrase is None:
                continue
            what, end = phrase
            quote = self.text[m.start() : m.end()]
            self._add(m.start(), end, low, high, bool(m["approx"]), what, quote)


def _norm(words: str) -> str:
    return re.sub(r"\s+", " ", words.lower())


def _digits(number: str) -> int:
    return int(number.replace(",", ""))


def find_figures(
    text: str, exclude: Iterable[tuple[int, int]] = (), lexicon: Lexicon | None = None
) -> list[FigureMention]:
    """Every figure ``text`` states, in text order. ``exclude``: spans that are dates."""
    finder = _FigureFinder(text, exclude, lexicon or load_lexicon())
    finder.rates()
    finder.vague_quantities()
    finder.numbers()
    return sorted(finder.found, key=lambda f: f.start)
