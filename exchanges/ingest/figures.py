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
* "100-150 families" is low 100, high 150, not approximate; "4–5,000
  technicians" is 2,000-3,000 (the thousands written once).
* "several hundred people" is an approximate range, 200-900 ("a few
  thousand" 2,000-9,000).
* Not figures either: clock times ("6:00 p.m.", "at 9 o'clock"), numbers after
  a reference word ("Peking telegram 214", "Copy No. 172", "Box 3", "NO. OF
  PAGES 5": ``reference_words``) or before a document unit ("3 Copies"), a
  number right after a capitalised word inside a sentence (part of a name:
  "Route 66", "Peking 214"), a day next to a month name (a date, read or
  not), anything inside editorial brackets ("[less than 1 line …]", "[Page
  87]"). "one" counts only with a qualifier ("at least one …"), "two" also
  before a plural noun that is not one of the two parties ("the two
  commissions", not "the two delegations": ``party_nouns``).
* "forty-two Soviet citizens" is 42; "2,300-mile sector" is 2,300 (a number
  joined to its unit); a number split by a line break ("1,\n500 …") is one.
* A rate ("one illegal border crossing … every two days") is one figure:
  low 1, ``what`` = the thing counted plus the period ("illegal border
  crossing into the Soviet Union every two days"); when the sentence says
  "on average", ``what`` ends with ", on average" and the figure is *not*
  approximate (an average is not an inexact count: data/SCHEMA.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import regex

from exchanges.ingest.lexicon import Lexicon, load_lexicon
from exchanges.ingest.text import SpanSet, fold_name, words_before
from exchanges.models import Figure

_NUMBER = r"\d{1,3}(?:,(?:[ \t]*\n[ \t]*)?\d{3})+(?!\d)|\d+"
_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_LEFT = r"(?<![\w\-/.,#№])"
_RIGHT = r"(?![\w\-/]|[.,]\d)"
_WORD = regex.compile(r"[\p{L}][\p{L}\p{M}'’\-]*")
_SMALL_WORDS = {"one", "two", "a", "an"}
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_COMPOUND = rf"(?:{'|'.join(_TENS)})[- ](?:{'|'.join(_UNITS)})"
_CLOCK_AFTER = re.compile(r"\s*(?::\d\d|[.:]\d\d\s*[ap]\.?m\b|[ap]\.\s?m\.|[ap]m\b|o'clock|o’clock|hrs\b)",
                          re.IGNORECASE)
_MONTH_NEAR = re.compile(r"(?i:january|february|march|april|may|june|july|august|september|october|november|december|"
                         r"jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?")


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
        for start, end in _brackets(text):  # editorial brackets: "[less than 1 line …]", "[Page 87]"
            chars[start:end] = "\0" * (end - start)
        self.scan = "".join(chars)
        self.found: list[FigureMention] = []
        self.stop = lexicon.folded("figure_stop_words")
        self.units = lexicon.folded("time_units")
        self.references = lexicon.folded("reference_words")
        self.document_units = lexicon.folded("document_units")
        self.parties = lexicon.folded("party_nouns")
        approx = sorted(lexicon.approximate_words, key=len, reverse=True)
        self.approx_re = "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in approx)
        self.approx_words = lexicon.folded("approximate_words")
        words = {w: v for w, v in lexicon.number_words.items()}
        self.number_words = words
        self.number_names = frozenset([*(fold_name(w) for w in words), *lexicon.folded("approximate_words")])
        self.words_re = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
        self.trigger_words = _trigger_words([*words, *_TENS, *_UNITS, *_PREFIXES])
        self.vague = lexicon.vague_quantities
        self.vague_re = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(self.vague, key=len, reverse=True))

    # -- the noun phrase after a number ------------------------------------------
    def noun_phrase(self, position: int) -> tuple[str, int] | None:
        """What a number at ``position`` counts: up to five words, stopping at function words."""
        words: list[str] = []
        end = position
        cursor = position
        used_of = False
        pronoun = re.match(r"[ \t]+of[ \t]+(?:us|them|you|these|those)\b", self.scan[cursor : cursor + 20])
        if pronoun:  # "the eleven of us"
            return self.text[position : position + pronoun.end()].strip(), position + pronoun.end()
        while len(words) < 5:
            gap = re.match(r"[ \t]+|[ \t]*\n[ \t]*(?=\S)" if not words else r"[ \t]+", self.scan[cursor : cursor + 40])
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

    def _approx_start(self, start: int) -> int | None:
        """Where an approximating qualifier right before ``start`` begins ("approximately 2,500")."""
        return words_before(self.scan, start, self.approx_words)

    def vague_quantities(self) -> None:
        pattern = re.compile(rf"(?i)\b(?P<vague>{self.vague_re})\s+of\b")
        for m in pattern.finditer(self.scan):
            phrase = self.noun_phrase(m.end())
            if phrase is None:
                continue
            what, end = phrase
            approx = self._approx_start(m.start())
            start = approx if approx is not None else m.start()
            quote = self.text[start : m.end("vague")]
            self._add(start, end, self.vague[_norm(m["vague"])], None, True, what, quote)

    def number_pattern(self) -> re.Pattern[str]:
        """A number in digits ("2,500", "100-150", "4 thousand") or words ("forty-two", "several hundred")."""
        number = (
            rf"{_LEFT}(?P<n1>{_NUMBER})(?:\s*(?:-|–|to)\s*(?P<n2>{_NUMBER}))?(?P<unit>-[a-z]+\b)?{_RIGHT}"
            rf"(?:\s+(?P<mult>hundred|thousand|million)\b)?"
        )
        word = rf"{_COMPOUND}|{self.words_re}"
        prefixes = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in _PREFIXES)
        spelled = (rf"\b(?:(?P<several>{prefixes})\s+)?(?P<w1>{word})"
                   rf"(?:\s*(?:-|–|to|or)\s*(?P<w2>{word}))?(?:\s+(?P<wmult>hundred|thousand|million))?\b")
        return re.compile(rf"(?i)(?:{number}|{spelled})")

    def numbers(self) -> None:
        pattern = self.number_pattern()
        for m in self._matches_at(pattern, self._number_starts()):
            approx = self._approx_start(m.start())
            value = self._value(m, approx is not None)
            if value is None or self._not_a_count(m, approx is not None):
                continue
            low, high, approximate = value
            phrase = self.noun_phrase(m.end())
            if phrase is None:
                continue
            what, end = phrase
            if self._not_counted(m, what):
                continue
            start = approx if approx is not None else m.start()
            quote = self.text[start : m.end()]
            if m["unit"]:  # "2,300-mile sector": the unit is part of what is counted
                what = f"{m['unit'][1:]} {what}"
            self._add(start, end, low, high, approximate, what, quote)

    def _matches_at(self, pattern: re.Pattern[str], starts: list[int]) -> Iterator[re.Match[str]]:
        """What ``pattern.finditer`` finds, tried only at ``starts`` (every place a match can start)."""
        reached = 0
        for start in starts:
            if start >= reached and (m := pattern.match(self.scan, start)) is not None:
                reached = m.end()
                yield m

    def _number_starts(self) -> list[int]:
        """Where a number can start: a run of digits, a number word ("forty-two", "a thousand",
        "several hundred") or the word before one ("a few"), in one cheap pass each."""
        starts = [m.start() for m in _DIGITS.finditer(self.scan)]
        # lower case, and the two letters a case-blind pattern also takes for "i" and "s"
        lower = self.scan.lower().replace("\u0131", "i").replace("\u017f", "s")
        if len(lower) != len(self.scan):  # a rare letter whose lower case is longer: case-blind pass
            lower, words = self.scan, re.compile(rf"(?i:{self.trigger_words.pattern})")
        else:
            words = self.trigger_words
        for m in words.finditer(lower):
            at = m.start()
            if at and lower[at - 1].isalnum():
                continue  # inside a word: "often", "someone"
            starts.append(at)
            before = at
            while before and self.scan[before - 1].isspace():
                before -= 1
            if before < at:
                while before and (self.scan[before - 1].isalnum() or self.scan[before - 1] == "_"):
                    before -= 1
                starts.append(before)
        return sorted(set(starts))

    def _value(self, m: re.Match[str], approximate: bool) -> tuple[int, int | None, bool] | None:
        if m["n1"]:
            low, high = _digits(m["n1"]), _digits(m["n2"]) if m["n2"] else None
            if high is not None and "," in m["n2"] and "," not in m["n1"]:
                groups = m["n2"].count(",")
                if low < int(m["n2"].split(",")[0]) and low * 1000**groups < high:
                    low *= 1000**groups  # "4–5,000": the thousands are written once
            multiplier = _MULTIPLIERS.get((m["mult"] or "").lower(), 1)
        else:
            low = self._word_value(m["w1"])
            high = self._word_value(m["w2"]) if m["w2"] else None
            if _norm(m["w1"]) in _SMALL_WORDS and not m["wmult"] and not approximate and not (
                    _norm(m["w1"]) == "two" and self._plural_count(m)):
                return None  # "on one hand", "our two nations"
            multiplier = _MULTIPLIERS.get((m["wmult"] or "").lower(), 1)
            if m["several"] and high is None and _norm(m["w1"]) in _MULTIPLIERS:
                low, multiplier = 1, _MULTIPLIERS[_norm(m["w1"])]  # "several hundred" is not 100
            if m["several"] and multiplier > 1 and high is None:  # "several hundred": 200-900
                return 2 * multiplier, 9 * multiplier, True
        low *= multiplier
        high = high * multiplier if high is not None else None
        if high is not None and high < low:
            return None
        return low, high, approximate

    def _word_value(self, words: str) -> int:
        key = _norm(words)
        if key in self.number_words:
            return self.number_words[key]
        tens, units = re.split(r"[- ]", key, maxsplit=1)
        return self.number_words[tens] + self.number_words[units]

    def _plural_count(self, m: re.Match[str]) -> bool:
        """ "the two commissions" counts; "the two delegations" names the parties."""
        following = _WORD.match(self.scan, m.end() + 1) if self.scan[m.end() : m.end() + 1] == " " else None
        if following is None:
            return False
        noun = following.group().lower()
        return noun.endswith("s") and noun not in self.parties and noun not in self.units

    def _not_a_count(self, m: re.Match[str], approximate: bool) -> bool:
        """A file, page or telegram number, a clock time, a day of a date, or a number in a name."""
        before = self.text[max(0, m.start() - 40) : m.start()]
        after = self.text[m.end() : m.end() + 12]
        if re.search(r"(?i)\bno\.?\s*$|#\s*$|№\s*$|\d[:.]$", before) or _CLOCK_AFTER.match(after):
            return True  # "File No. 409"; "5:00 a.m."; "at 9 o'clock"
        previous = re.search(r"([\w.'’]+)[\s:.,]*$", before)
        if previous is not None:
            word = previous.group(1).rstrip(".").lower()
            if word in self.references or (word.isalpha() and _MONTH_NEAR.fullmatch(word)):
                return True  # "telegram 214", "PAGES 5"; "August 12" (a date)
            if (m["n1"] and previous.group(1)[:1].isupper() and not approximate
                    and not _sentence_start(self.text, previous.start(1)) and fold_name(word) not in self.number_names):
                return True  # "Peking 214", "Route 66": part of a name or reference
        return bool(_MONTH_NEAR.match(after.lstrip(" \t")) and m["n1"])  # "12 August"

    def _not_counted(self, m: re.Match[str], what: str) -> bool:
        first = what.split()[0].lower().strip(".,;:")
        return first in self.document_units or (bool(m["unit"]) and m["unit"][1:].lower() in self.units)

_DIGITS = re.compile(r"\d+")
_PREFIXES = ("several", "a few", "a couple of")


def _trigger_words(phrases: Iterable[str]) -> re.Pattern[str]:
    """The words (lower case) of number phrases that a spelled number must hold: every word but
    "a"/"an" (they only open a phrase whose next word is one, and ``_number_starts`` adds
    the word before each)."""
    words: set[str] = set()
    for phrase in phrases:
        split = _norm(phrase).replace("-", " ").split()
        words.update(w for w in split if len(w) > 2 or len(split) == 1)
    return re.compile(rf"(?:{'|'.join(re.escape(w) for w in sorted(words, key=len, reverse=True))})(?![^\W\d_])")


def _norm(words: str) -> str:
    return re.sub(r"\s+", " ", words.lower())


def _digits(number: str) -> int:
    return int(re.sub(r"\D", "", number))


def _brackets(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\[[^\[\]\n]{0,200}\]", text)]


def _sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 3) : at].rstrip(" \t")
    return not before or before[-1] in ".!?:;\n\"“(["


def find_figures(
    text: str, exclude: Iterable[tuple[int, int]] = (), lexicon: Lexicon | None = None,
    unread: Iterable[tuple[int, int]] = (),
) -> list[FigureMention]:
    """Every figure ``text`` states, in text order.

    ``exclude``: spans that are dates; ``unread``: date phrases that could not
    be resolved (no year), whose numbers are days, not counts.
    """
    finder = _FigureFinder(text, [*exclude, *unread], lexicon or load_lexicon())
    finder.rates()
    finder.vague_quantities()
    finder.numbers()
    return sorted(finder.found, key=lambda f: f.start)
