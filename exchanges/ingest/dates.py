"""Find the dates a document states, each with its precision, span and offsets.

Rules find the candidate phrases (a generic date searcher over a whole archival
text finds "we" = Wednesday, "may" = May and "7-11" = 11 July in a file
number); ``dateparser`` parses the day-and-month phrases the rules find, which
also validates them ("31 June" is rejected), with the document's date as the
base for partial dates. ``dateparser.search.search_dates`` is kept only as a
last pass for formats the rules do not know, and only where it yields a
capitalised month name next to a number.

Choices (documented here because they are judgement calls):

* A date without a year ("On 26 June") takes the document's year, or the year
  before when that would put it after the document (``PREFER_DATES_FROM=past``):
  a document reports what has happened.
* "the second half of April" is ``half_month`` 16-30 April; "early/late April"
  count as the first/second half; "mid-April" is ``month`` precision.
* Seasons are meteorological: spring = March-May, summer = June-August,
  autumn = September-November, winter YEAR = December YEAR-1 to February YEAR.
  "the spring and summer of 1952" is one ``season`` span 1 March - 31 August.
* "early 1952" is ``year`` precision January-April and "the first half of
  1952" January-June; "mid-1952", "late 1952", "the end of 1952" and "the
  second half of 1952" are the year 1952 (``year`` precision starts on
  1 January, data/SCHEMA.md), the words kept in the label.
* Without a document date, a date without a year takes the year of the
  nearest full date the text states (within ``CONTEXT_REACH`` characters,
  before it, else after it); with none it is listed by ``find_unresolved``.
* Editorial brackets are read as if absent: "20 [January]", "May 3 [4]"
  (the date as first written), "25 January [1950]".
* "1944-1950" is one ``year`` span; "2001/05/03" a day; "March 14.50" (a
  telegram's two-digit year) 14 March 1950; a footnote digit glued to a year
  ("19501") makes no year.
* Relative phrases ("within a week", "in the coming days", "over the past three
  years", "this year") are reported with ``kind="relative"``, resolved from the
  nearest preceding stated date in the same sentence, else from the document
  date. "within a week" of 20 December 1951 is 20-27 December 1951, ``day``
  precision span; "over the past three years" in a statement of 10 August 1962
  is August 1959 - 10 August 1962, ``month`` precision (counting in months or
  years is never more precise than the month). Drafted events never take their date from a relative phrase
  when the sentence states another date.
* Four-digit numbers are years only between 1800 and 2100 and not when they
  are part of a longer number ("2,500", "118-01767-01", "7-11") or followed
  by the noun they count ("2000 people").
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

import dateparser
from dateparser.search import search_dates

from exchanges.ingest.text import FoldedText, SpanSet, fold, near_token, split_sentences
from exchanges.models import DatePrecision

DateKind = Literal["absolute", "partial", "relative"]

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
YEAR_PARTS = {
    "early": (1, 4), "beginning of": (1, 4), "the beginning of": (1, 4), "start of": (1, 4),
    "the start of": (1, 4), "mid": (5, 8), "mid-": (5, 8), "the middle of": (5, 8),
    "middle of": (5, 8), "late": (9, 12), "end of": (9, 12), "the end of": (9, 12),
    "the first half of": (1, 6), "first half of": (1, 6), "the second half of": (7, 12),
    "second half of": (7, 12),
}
_UNAMBIGUOUS_MONTHS = frozenset(MONTHS) - {"may", "march"}
MIN_YEAR, MAX_YEAR = 1800, 2100
FALLBACK_MAX_SPANS = 200
"""``search_dates`` runs only on short spans around month names the rules left (it costs
about 2 ms a span); beyond this many spans in one text the rest are left to the rules."""
FALLBACK_WINDOW = 30
"""Characters either side of a month name that the fallback reads."""
CONTEXT_REACH = 5000
"""Without a document date, a partial date takes the year of a full date at most this many
characters away (the nearest before it, else after it)."""
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3, "few": 3, "a few": 3,
}

_MONTH = r"(?P<{name}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + "|" + "|".join(
    sorted(MONTH_ABBREVIATIONS, key=len, reverse=True)
) + r")\.?"
_DAY = r"(?P<{name}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{name}>1[89]\d\d|20\d\d)"
_REL_YEAR = r"(?:of\s+)?(?P<{name}>this year|last year|next year|the same year|that year)"
_SEASON = r"(?P<{name}>spring|summer|autumn|fall|winter)"
_B = r"(?<![\w\-/,])(?<![\w,]\.)"  # left boundary: not inside a word or a longer number (".14 April" is fine)
_E = r"(?![\w\-/]|[.,]\d)"  # right boundary
_BD = r"(?=\d)" + _B  # the same before a digit: the cheap look-ahead fails first at every other position
_BM = r"(?=[adfjmnos])\b"  # a word boundary before a month name, likewise


def _g(template: str, name: str) -> str:
    return template.replace("{name}", name)


@dataclass(frozen=True)
class UnresolvedDate:
    """A day or month without a year that nothing in the text resolves ("On 21 [January]" in a
    text without a date): listed so that the reader can give the document's date."""

    text: str
    start: int
    end: int
    month: int | None
    day: int


@dataclass(frozen=True)
class DateMention:
    """A date stated in a text. ``date``..``end_date`` is every day the phrase allows."""

    text: str
    start: int
    end: int
    date: dt.date
    end_date: dt.date
    precision: DatePrecision
    label: str
    kind: DateKind = "absolute"

    @property
    def is_span(self) -> bool:
        """True if the phrase covers more than one unit of its precision (a span event)."""
        return self.end_date != natural_end(self.date, self.precision)

    def contains(self, day: dt.date) -> bool:
        return self.date <= day <= self.end_date

    def matches(self, day: dt.date, precision: DatePrecision) -> bool:
        """Same first day and precision, or ``day`` lies within the phrase's span."""
        return (self.date == day and self.precision == precision) or self.contains(day)


def natural_end(day: dt.date, precision: DatePrecision) -> dt.date:
    """Last day of the unit of ``precision`` that starts at ``day``."""
    if precision is DatePrecision.day:
        return day
    if precision is DatePrecision.half_month:
        return day.replace(day=15) if day.day <= 15 else _month_end(day.year, day.month)
    if precision is DatePrecision.month:
        return _month_end(day.year, day.month)
    if precision is DatePrecision.season:
        return _month_end(*_add_months(day.year, day.month, 2))
    return dt.date(day.year, 12, 31)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _shift_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the end of a shorter month."""
    year, month = _add_months(day.year, day.month, months)
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _month_number(token: str) -> int:
    token = token.lower().rstrip(".")
    return MONTHS.get(token) or MONTH_ABBREVIATIONS[token]


class _Finder:
    """One pass over one text: rules in order of specificity, first claim wins."""

    def __init__(self, text: str, anchor: dt.date | None,
                 context: list[tuple[int, dt.date]] | None = None) -> None:
        self.text = text
        folded = fold(text)
        # Editorial brackets read as if absent: "20 [January]", "25 January [1950]", "May 3 [4]".
        self.folded: FoldedText = FoldedText(folded.text.replace("[", " ").replace("]", " "), folded.origin,
                                             folded.original_length)
        self.anchor = anchor
        self.context = context or []
        self._context_starts = [start for start, _ in self.context]
        self.found: list[DateMention] = []
        self.unresolved: list[UnresolvedDate] = []
        self.taken = SpanSet()
        self._sentence_starts: list[int] | None = None
        self._near: dict[str, list[tuple[int, int]]] = {}

    # -- helpers ---------------------------------------------------------------
    def _claim(
        self,
        fstart: int,
        fend: int,
        start: dt.date,
        end: dt.date,
        precision: DatePrecision,
        label: str,
        kind: DateKind = "absolute",
    ) -> None:
        span = _tidy_span(self.text, self.folded.span(fstart, fend))
        if not self.taken.is_free(span) or end < start:
            return
        self.taken.add(span)
        self.found.append(
            DateMention(self.text[span[0] : span[1]], span[0], span[1], start, end, precision, label, kind)
        )

    def _capitalised(self, fstart: int) -> bool:
        """Is the month name at ``fstart`` really one?

        Ambiguous names ("may", "march") and abbreviations ("dec", "sept") count
        only when capitalised in the original, as English writes month names.
        """
        token = re.compile(r"[a-z]+").match(self.folded.text, fstart)
        original = self.folded.origin[fstart]
        if token and token.group() in _UNAMBIGUOUS_MONTHS:
            return True
        return self.text[original].isupper()

    def _resolve_year(
        self, match: re.Match[str], month: int | None = None, day: int = 1
    ) -> tuple[int, DateKind] | None:
        """Explicit year, "this/last/next year", or (partial) the anchor's, preferring the past.

        Without a document date, a partial date takes the year of the nearest full
        date the text states (before it, else after it), and is otherwise reported
        as unresolved.
        """
        year = match.groupdict().get("year")
        if year:
            return int(year), "absolute"
        relative = match.groupdict().get("relyear")
        if self.anchor is None:
            context = self._context_year(self.folded.origin[match.start()])
            if context is None:
                span = _tidy_span(self.text, self.folded.span(match.start(), match.end()))
                if self.taken.is_free(span):
                    self.unresolved.append(UnresolvedDate(self.text[span[0]:span[1]], span[0], span[1], month, day))
                return None
            offset = {"last year": -1, "next year": 1}.get(relative or "", 0)
            return context + offset, "partial"
        if relative:  # "June 13 of this year": a date whose year is said relative to the document's
            offset = {"last year": -1, "next year": 1}.get(relative, 0)
            return self.anchor.year + offset, "partial"
        year_guess = self.anchor.year
        if month is not None and (month, day) > (self.anchor.month, self.anchor.day):
            year_guess -= 1
        return year_guess, "partial"

    def found_sorted(self) -> list[DateMention]:
        return sorted(self.found, key=lambda m: m.start)

    def _context_year(self, at: int) -> int | None:
        if not self.context:
            return None
        index = bisect.bisect_right(self._context_starts, at) - 1
        if index >= 0 and at - self._context_starts[index] <= CONTEXT_REACH:
            return self.context[index][1].year
        if index + 1 < len(self.context) and self._context_starts[index + 1] - at <= CONTEXT_REACH:
            return self.context[index + 1][1].year
        return None

    def _iter(self, pattern: str, trigger: str) -> Iterator[re.Match[str]]:
        """Matches of ``pattern`` near the rule's ``trigger`` (``_TRIGGERS``: words every match
        holds), so that each rule reads only the parts of the text where it can match."""
        compiled = re.compile(pattern)
        text = self.folded.text
        ranges = self._near.get(trigger)
        if ranges is None:
            token, before, after = _TRIGGERS[trigger]
            ranges = self._near[trigger] = near_token(text, token, before, after)
        for start, end in ranges:
            yield from compiled.finditer(text, start, end)

    def _parse(self, phrase: str, year: int | None, parts: list[str]) -> dt.date | None:
        """Parse a day-month(-year) phrase with dateparser, relative to the anchor."""
        settings: dict[str, object] = {
            "PREFER_DATES_FROM": "past",
            "REQUIRE_PARTS": parts,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "PREFER_DAY_OF_MONTH": "first",
        }
        if year is not None:
            phrase = f"{phrase} {year}" if str(year) not in phrase else phrase
        if self.anchor is not None:
            settings["RELATIVE_BASE"] = dt.datetime.combine(self.anchor, dt.time())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = dateparser.parse(phrase, languages=["en"], settings=settings)
        return parsed.date() if parsed else None

    # -- rules -----------------------------------------------------------------
    def iso_dates(self) -> None:
        for m in self._iter(_BD + r"(\d{4})([-/])(\d{2})\2(\d{2})" + _E, "iso"):
            try:
                day = dt.date(int(m[1]), int(m[3]), int(m[4]))
            except ValueError:
                continue
            if MIN_YEAR <= day.year <= MAX_YEAR:
                self._claim(m.start(), m.end(), day, day, DatePrecision.day, day.isoformat())

    def seasons(self) -> None:
        pattern = (
            r"\b(?:(?P<part>early|late|mid)[- ]?)?" + _g(_SEASON, "first")
            + r"(?:\s*(?:,|and|or|to|through|-)\s*(?:the\s+)?(?:(?:early|late|mid)[- ]?)?"
            + _g(_SEASON, "last") + r")?"
            + r"(?:\s+of)?\s+(?:" + _g(_YEAR, "year") + "|" + _g(_REL_YEAR, "relyear") + r")" + _E
        )
        for m in self._iter(pattern, "season"):
            resolved = self._resolve_year(m, month=None)
            if resolved is None:
                continue
            year, kind = resolved
            first_months = SEASONS[m["first"]]
            last_months = SEASONS[m["last"] or m["first"]]
            start_year = year - 1 if first_months[0] == 12 else year
            start = dt.date(start_year, first_months[0], 1)
            end = _month_end(year, last_months[1])
            label = m.group().strip()
            self._claim(m.start(), m.end(), start, end, DatePrecision.season, label, kind)

    def half_months(self) -> None:
        pattern = (
            r"\b(?:the\s+)?(?P<part>first half of|second half of|latter half of|1st half of|"
            r"2nd half of|early|late|mid-?|middle of|beginning of|end of|start of)\s*"
            + _g(_MONTH, "month")
            + r"(?:,?\s+" + _g(_YEAR, "year") + r"|\s+" + _g(_REL_YEAR, "relyear") + r")?" + _E
        )
        for m in self._iter(pattern, "part"):
            if not self._capitalised(m.start("month")):
                continue
            month = _month_number(m["month"])
            part = m["part"]
            second = part.startswith(("second", "latter", "2nd", "late", "end"))
            resolved = self._resolve_year(m, month, 16 if second else 1)
            if resolved is None:
                continue
            year, kind = resolved
            if part.startswith(("mid", "middle")):
                start, end, precision = dt.date(year, month, 1), _month_end(year, month), DatePrecision.month
            elif second:
                start, end, precision = dt.date(year, month, 16), _month_end(year, month), DatePrecision.half_month
            else:
                start, end, precision = dt.date(year, month, 1), dt.date(year, month, 15), DatePrecision.half_month
            which = "first" if start.day == 1 and precision is DatePrecision.half_month else "second"
            label = (
                f"{which} half of {calendar.month_name[month]} {year}"
                if precision is DatePrecision.half_month
                else f"mid-{calendar.month_name[month]} {year}"
            )
            self._claim(m.start(), m.end(), start, end, precision, label, kind)

    def day_lists(self) -> None:
        """ "8 and 11 June", "8, 9 and 11 June 1962", "June 8 and 11": one mention per day."""
        day_list = (r"(?P<days>[0-3]?\d(?:st|nd|rd|th)?(?:\s*,\s*[0-3]?\d(?:st|nd|rd|th)?)*"
                    r"\s*(?:,\s*)?and\s+[0-3]?\d(?:st|nd|rd|th)?)")
        patterns = (
            _BD + day_list + r"\s+(?:of\s+)?" + _g(_MONTH, "month") + r"(?:,?\s+" + _g(_YEAR, "year") + r")?" + _E,
            _BM + _g(_MONTH, "month") + r"\s+" + day_list + r"(?:,?\s+" + _g(_YEAR, "year") + r")?" + _E,
        )
        for pattern in patterns:
            for m in self._iter(pattern, "day_list"):
                if not self._capitalised(m.start("month")):
                    continue
                month = _month_number(m["month"])
                for d in re.finditer(r"[0-3]?\d", m["days"]):
                    resolved = self._resolve_year(m, month, int(d.group()))
                    if resolved is None:
                        continue
                    year, kind = resolved
                    try:
                        day = dt.date(year, month, int(d.group()))
                    except ValueError:
                        continue
                    begin = m.start("days") + d.start()
                    self._claim(begin, begin + len(d.group()), day, day, DatePrecision.day, day.isoformat(), kind)

    def day_ranges(self) -> None:
        """ "8-11 June 1962", "June 8-11": a span of days."""
        patterns = (
            _BD + r"(?P<d1>[0-3]?\d)\s*[-–]\s*(?P<d2>[0-3]?\d)\s+(?:of\s+)?" + _g(_MONTH, "month")
            + r"(?:,?\s+" + _g(_YEAR, "year") + r")?" + _E,
            _BM + _g(_MONTH, "month") + r"\s+(?P<d1>[0-3]?\d)\s*[-–]\s*(?P<d2>[0-3]?\d)"
            + r"(?:,?\s+" + _g(_YEAR, "year") + r")?" + _E,
        )
        for pattern in patterns:
            for m in self._iter(pattern, "day_range"):
                if not self._capitalised(m.start("month")):
                    continue
                month = _month_number(m["month"])
                resolved = self._resolve_year(m, month, int(m["d1"]))
                if resolved is None:
                    continue
                year, kind = resolved
                try:
                    start, end = dt.date(year, month, int(m["d1"])), dt.date(year, month, int(m["d2"]))
                except ValueError:
                    continue
                self._claim(m.start(), m.end(), start, end, DatePrecision.day, f"{start}..{end}", kind)

    def dotted_years(self) -> None:
        """ "March 14.50" (a telegram's date with a two-digit year): 14 March 1950."""
        pattern = _BM + _g(_MONTH, "month") + r"\s+" + _g(_DAY, "day") + r"\.(?P<yy>\d\d)(?![\d\w])"
        for m in self._iter(pattern, "dotted"):
            if not self._capitalised(m.start("month")):
                continue
            try:
                day = dt.date(1900 + int(m["yy"]), _month_number(m["month"]), int(m["day"]))
            except ValueError:
                continue
            self._claim(m.start(), m.end(), day, day, DatePrecision.day, day.isoformat())

    def full_dates(self) -> None:
        """Day, month and maybe year: "December 20, 1951", "26 June", "the 8th of June 1962"."""
        year = r"(?:,?\s+" + _g(_YEAR, "year") + r"|\s+" + _g(_REL_YEAR, "relyear") + r")?"
        patterns = (
            # "1953. Jan 1"
            _BD + _g(_YEAR, "year") + r"[.,]?\s+" + _g(_MONTH, "month") + r"\s+" + _g(_DAY, "day") + _E,
            _BM + _g(_MONTH, "month") + r"\s+" + _g(_DAY, "day") + year + _E,
            _BD + _g(_DAY, "day") + r"\s+(?:of\s+)?" + _g(_MONTH, "month") + year + _E,
        )
        for pattern, trigger in zip(patterns, ("year_month", "month_day", "day_month"), strict=True):
            for m in self._iter(pattern, trigger):
                if not self._capitalised(m.start("month")):
                    continue
                month, day_number = _month_number(m["month"]), int(m["day"])
                resolved = self._resolve_year(m, month, day_number)
                if resolved is None:
                    continue
                year, kind = resolved
                try:  # "31 June" is no date
                    parsed = dt.date(year, month, day_number)
                except ValueError:
                    continue
                self._claim(m.start(), m.end(), parsed, parsed, DatePrecision.day, parsed.isoformat(), kind)

    def month_pairs(self) -> None:
        """ "March/April 1969", "March-April 1969", "March and April 1969": one span of months."""
        pattern = (_BM + _g(_MONTH, "first") + r"\s*(?:/|-|–|and|or|to|through)\s*" + _g(_MONTH, "month")
                   + r",?\s+" + _g(_YEAR, "year") + _E)
        for m in self._iter(pattern, "month"):
            if not (self._capitalised(m.start("first")) and self._capitalised(m.start("month"))):
                continue
            first, last, year = _month_number(m["first"]), _month_number(m["month"]), int(m["year"])
            if first >= last:
                continue
            self._claim(m.start(), m.end(), dt.date(year, first, 1), _month_end(year, last), DatePrecision.month,
                        f"{calendar.month_name[first]}-{calendar.month_name[last]} {year}")

    def merge_spans(self) -> None:
        """ "from 5 May through 12 May", "between 3 and 8 June": two stated days that are one span."""
        days = sorted((m for m in self.found if m.precision is DatePrecision.day and not m.is_span),
                      key=lambda m: m.start)
        merged: set[int] = set()
        for first, second in zip(days, days[1:], strict=False):
            first_day = first.date
            if first.kind == "partial" and second.kind == "absolute":  # "5 May through 12 May 1958"
                try:
                    first_day = first.date.replace(year=second.date.year)
                except ValueError:
                    continue
            if id(first) in merged or not first_day < second.date <= first_day + dt.timedelta(days=366):
                continue
            between = self.text[first.end : second.start]
            before = self.text[max(0, first.start - 12) : first.start]
            if not re.fullmatch(r"\s*(?:to|through|till|until|thru|-|–|—)\s*(?:the\s+)?", between, re.IGNORECASE):
                continue
            if not re.search(r"(?i)\b(?:from|between)\s+(?:the\s+)?$", before) and between.strip() not in "-–—":
                continue
            span = DateMention(self.text[first.start : second.end], first.start, second.end, first_day,
                               second.end_date, DatePrecision.day, f"{first_day}..{second.date}", second.kind)
            self.found = [m for m in self.found if m is not first and m is not second] + [span]
            merged.add(id(second))

    def relative_days(self) -> None:
        """ "today", "this morning", "last night", "yesterday": days counted from the document's date."""
        if self.anchor is None:
            return
        words = {"today": 0, "this morning": 0, "this afternoon": 0, "this evening": 0, "tonight": 0,
                 "yesterday": -1, "last night": -1, "yesterday evening": -1, "tomorrow": 1}
        pattern = r"\b(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\b"
        for m in self._iter(pattern, "relative_day"):
            day = self.anchor + dt.timedelta(days=words[m.group()])
            phrase = self.text[slice(*self.folded.span(m.start(), m.end()))]
            self._claim(m.start(), m.end(), day, day, DatePrecision.day, f"{phrase} (from {self.anchor})", "relative")

    def months(self) -> None:
        """ "April 1962", "April this year", and a bare month after a preposition ("since April")."""
        with_year = (
            _BM + _g(_MONTH, "month")
            + r"(?:,?\s+(?:of\s+)?" + _g(_YEAR, "year") + r"|\s+" + _g(_REL_YEAR, "relyear") + r")" + _E
        )
        bare = (r"\b(?:in|since|until|till|by|from|during|before|after|of|early|late|through|throughout|the)\s+"
                + _g(_MONTH, "month") + r"(?![\w-])")
        for pattern, keep_prefix in ((with_year, True), (bare, False)):
            for m in self._iter(pattern, "month"):
                if not self._capitalised(m.start("month")) or len(m["month"].rstrip(".")) < 3:
                    continue
                month = _month_number(m["month"])
                resolved = self._resolve_year(m, month, 1)
                if resolved is None:
                    continue
                year, kind = resolved
                begin = m.start() if keep_prefix else m.start("month")
                start = dt.date(year, month, 1)
                self._claim(begin, m.end(), start, _month_end(year, month), DatePrecision.month,
                            f"{calendar.month_name[month]} {year}", kind)

    def year_parts(self) -> None:
        parts = "|".join(re.escape(p) for p in sorted(YEAR_PARTS, key=len, reverse=True))
        pattern = r"\b(?P<part>" + parts + r")\s*" + _g(_YEAR, "year") + _E
        for m in self._iter(pattern, "part"):
            year = int(m["year"])
            first, last = YEAR_PARTS[m["part"]]
            # Year precision starts on 1 January (data/SCHEMA.md): a part that starts later
            # ("late 1951", "mid-1951") is the whole year, its words kept in the label.
            end = _month_end(year, last) if first == 1 else dt.date(year, 12, 31)
            label = f"{m['part'].removeprefix('the ').rstrip('-')} {year}"
            self._claim(m.start(), m.end(), dt.date(year, 1, 1), end, DatePrecision.year, label)

    def year_spans(self) -> None:
        """ "1944-1950", "1952–55": one span of years."""
        pattern = _BD + _g(_YEAR, "year") + r"\s*[-–—]\s*(?P<last>1[89]\d\d|20\d\d|\d\d)" + r"(?![\w\-/]|[.,]\d)"
        for m in self._iter(pattern, "year_span"):
            first = int(m["year"])
            last = int(m["last"]) if len(m["last"]) == 4 else first // 100 * 100 + int(m["last"])
            if not first < last <= first + 100:
                continue
            self._claim(m.start(), m.end(), dt.date(first, 1, 1), dt.date(last, 12, 31), DatePrecision.year,
                        f"{first}-{last}")

    def decades(self) -> None:
        for m in self._iter(_B + r"(?:the\s+)?(?P<decade>1[89]\d0|20\d0)'?s" + _E, "decade"):
            start = int(m["decade"])
            self._claim(m.start(), m.end(), dt.date(start, 1, 1), dt.date(start + 9, 12, 31),
                        DatePrecision.year, f"{start}s")

    def years(self) -> None:
        pattern = _BD + _g(_YEAR, "year") + r"(?![\w\-/]|[.,]\d)"
        date_words = (r"(?:in|of|since|until|till|by|from|to|during|before|after|between|and|year|circa|c\."
                      r"|around|summer|spring|autumn|winter|fall)\s+$")
        for m in self._iter(pattern, "year"):
            year = int(m["year"])
            before = self.folded.text[max(0, m.start() - 16) : m.start()]
            after = self.folded.text[m.end() : m.end() + 24]
            if re.search(r"\bno\.?\s*$|#\s*$|№\s*$", before):
                continue  # "File No. 1952" is a number, not a year
            if not re.search(date_words, before) and _counts_something(after):
                continue  # "2000 people"
            self._claim(m.start(), m.end(), dt.date(year, 1, 1), dt.date(year, 12, 31), DatePrecision.year, str(year))

    def relatives(self) -> None:
        units = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 31, "months": 31, "year": 365, "years": 365}
        count = r"(?P<count>a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|a few|few|\d{1,2})"
        unit = r"(?P<unit>days?|weeks?|months?|years?)"
        # (pattern, direction, point): a point ("two months ago") is the unit it lands in,
        # a period ("within a week") runs from the anchor to there.
        rules: list[tuple[str, int, bool]] = [
            (r"\bwithin\s+(?:the\s+next\s+)?" + count + r"\s+" + unit + r"\b", +1, False),
            (r"\bin\s+the\s+(?:coming|next|following)\s+(?:" + count + r"\s+)?" + unit + r"\b", +1, False),
            (r"\b(?:over|during|in|for)\s+the\s+(?:past|last|previous)\s+(?:" + count + r"\s+)?" + unit + r"\b",
             -1, False),
            (r"\b" + count + r"\s+" + unit + r"\s+(?:ago|earlier|before)\b", -1, True),
            (r"\b" + count + r"\s+" + unit + r"\s+later\b", +1, True),
        ]
        for pattern, direction, point in rules:
            for m in self._iter(pattern, "unit"):
                anchor = self._anchor_for(m.start())
                if anchor is None:
                    continue
                count = _count(m["count"], m["unit"])
                unit_name = m["unit"].rstrip("s")
                if unit_name in ("year", "month"):
                    months = count * (12 if unit_name == "year" else 1)
                    other = _shift_months(anchor, months * direction)
                    precision = DatePrecision.month
                else:
                    other = anchor + dt.timedelta(days=count * units[m["unit"]] * direction)
                    precision = DatePrecision.day
                if point:
                    start = other.replace(day=1) if precision is DatePrecision.month else other
                    end = natural_end(start, precision)
                else:
                    start, end = (anchor, other) if direction > 0 else (other, anchor)
                    if precision is DatePrecision.month:
                        start = start.replace(day=1)
                phrase = self.text[slice(*self.folded.span(m.start(), m.end()))]
                self._claim(m.start(), m.end(), start, end, precision, f"{phrase} (from {anchor.isoformat()})",
                            "relative")
        for m in self._iter(r"\b(?:this|last|next|the same|that)\s+year\b", "unit"):
            anchor = self._anchor_for(m.start())
            if anchor is None:
                continue
            year = anchor.year + {"last": -1, "next": 1}.get(m.group().split()[0], 0)
            self._claim(m.start(), m.end(), dt.date(year, 1, 1), dt.date(year, 12, 31), DatePrecision.year, str(year),
                        "relative")

    def _anchor_for(self, fstart: int) -> dt.date | None:
        """The latest stated date earlier in the same sentence, else the document date."""
        at = self.folded.origin[fstart]
        if self._sentence_starts is None:
            self._sentence_starts = [s.start for s in split_sentences(self.text)]
        index = bisect.bisect_right(self._sentence_starts, at) - 1
        sentence_start = self._sentence_starts[index] if index >= 0 else 0
        earlier = [m for m in self.found if sentence_start <= m.start < at and m.kind != "relative"]
        if earlier:
            return max(earlier, key=lambda m: m.start).date
        return self.anchor

    def fallback(self) -> None:
        """Whatever ``search_dates`` finds near a month name the rules left, if it has a number.

        Linear in the text: ``dateparser`` reads only a short window around each
        capitalised month name that no rule claimed, at most ``FALLBACK_MAX_SPANS``.
        """
        settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False,
                                       "REQUIRE_PARTS": ["month"]}
        if self.anchor is not None:
            settings["RELATIVE_BASE"] = dt.datetime.combine(self.anchor, dt.time())
        names = "|".join(sorted({*MONTHS, *MONTH_ABBREVIATIONS}, key=len, reverse=True))
        spans = 0
        for token in self._iter(rf"\b(?:{names})\b", "month"):
            at = self.folded.span(token.start(), token.end())
            if not self.taken.is_free(at) or not self.text[at[0]].isupper():
                continue
            if spans >= FALLBACK_MAX_SPANS:
                break
            spans += 1
            line_start = self.text.rfind("\n", 0, at[0]) + 1
            line_end = self.text.find("\n", at[1])
            line_end = len(self.text) if line_end < 0 else line_end
            start = max(line_start, at[0] - FALLBACK_WINDOW)
            window = self.text[start : min(line_end, at[1] + FALLBACK_WINDOW)]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                results = search_dates(window, languages=["en"], settings=settings) or []
            for phrase, value in results:
                self._fallback_result(start + window.find(phrase), phrase, value.date())

    def _fallback_result(self, at: int, phrase: str, day: dt.date) -> None:
        span = (at, at + len(phrase))
        has_month = any(w.lower().rstrip(".") in MONTHS or w.lower().rstrip(".") in MONTH_ABBREVIATIONS
                        for w in re.findall(r"[A-Z][a-z]{2,8}\.?", phrase))
        if at < 0 or not has_month or not re.search(r"\d", phrase) or not self.taken.is_free(span):
            return
        has_year = re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", phrase) is not None
        if not has_year and self.anchor is None:
            return  # dateparser would take today's year
        if not MIN_YEAR <= day.year <= MAX_YEAR:
            return
        self.taken.add(span)
        kind: DateKind = "absolute" if has_year else "partial"
        self.found.append(DateMention(phrase, span[0], span[1], day, day, DatePrecision.day, day.isoformat(), kind))


_MONTH_STEMS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_TRIGGERS: dict[str, tuple[re.Pattern[str], int, int]] = {
    # rule's trigger: (words every match of the rule holds, characters a match may start before
    # the trigger, characters it may end after it). Matching runs on the folded (lower-case) text.
    "iso": (re.compile(r"\d{4}[-/]\d\d"), 5, 10),
    "season": (re.compile(r"spring|summer|autumn|fall|winter"), 20, 60),
    "part": (re.compile(r"(?:early|beginning|start|middle|mid|late|end|half)(?![a-z])"), 20, 45),
    "day_range": (re.compile(r"\d\s*[-\u2013]\s*\d"), 30, 45),
    "day_list": (re.compile(r"and\s+\d"), 100, 50),
    "dotted": (re.compile(r"\d\.\d\d"), 30, 5),
    "month": (re.compile(_MONTH_STEMS), 25, 45),
    "month_day": (re.compile(rf"(?:{_MONTH_STEMS})[a-z]*\.?\s+\d"), 0, 40),
    "day_month": (re.compile(rf"(?:\d|st|nd|rd|th)\s+(?:of\s+)?(?:{_MONTH_STEMS})"), 5, 40),
    "year_month": (re.compile(rf"\d[.,]?\s+(?:{_MONTH_STEMS})"), 5, 30),
    "relative_day": (re.compile(r"today|tonight|morning|afternoon|evening|night|yesterday|tomorrow"), 10, 20),
    "year_span": (re.compile(r"\d\d\s*[-\u2013\u2014]\s*\d\d"), 5, 10),
    "decade": (re.compile(r"\d0'?s"), 10, 5),
    "year": (re.compile(r"1[89]\d\d|20\d\d"), 5, 5),
    "unit": (re.compile(r"day|week|month|year"), 40, 15),
}
"""Each rule reads only the stretches of the text near its trigger (``near_token``), so a text
dense with dates costs each rule what its own phrases cost, not a pass over the whole text."""


_CORRECTION_AFTER = re.compile(r"[ \t]*\[\d{1,2}\]")


def _tidy_span(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A date phrase's span, its editorial brackets closed ("20 [January]", "May 3 [4]") and
    a full stop after a month's full name left out ("… on 22 April.")."""
    start, end = span
    phrase = text[start:end]
    if phrase.count("[") > phrase.count("]") and text[end : end + 1] == "]":
        end += 1
    correction = _CORRECTION_AFTER.match(text, end)
    if correction:
        end = correction.end()
    if phrase.endswith(".") and phrase[:-1].split()[-1:] and phrase[:-1].split()[-1].lower() in MONTHS:
        end -= 1
    return start, end


def _count(word: str | None, unit: str) -> int:
    """How many units a relative phrase means; "the coming days" (no number) is a week's worth."""
    if word is None:
        return 7 if unit == "days" else 3 if unit.endswith("s") else 1
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word, 1)


def _counts_something(after: str) -> bool:
    """True if the words after a number are what it counts ("2000 people"), so it is no year."""
    word = re.match(r"\s+([a-z][a-z'-]*)", after)
    if not word:
        return False
    return word.group(1) not in _NON_NOUNS


_NON_NOUNS = frozenset(
    "a an the and or but to in on at of by for from with as is was were are be been had has have it "
    "this that these those which who when where while after before during until since under "
    "we they he she i you our their his her its there".split()
)


def find_dates(text: str, anchor: dt.date | None = None, *, use_fallback: bool = True) -> list[DateMention]:
    """Every date ``text`` states, in text order.

    ``anchor`` is the document's date: partial ("26 June") and relative ("this
    year") phrases are resolved from it. Without it a partial date takes the
    year of the nearest full date the text states (see ``_resolve_year``), and
    is left out (``find_unresolved`` lists it) when there is none.
    """
    return _run(text, anchor, use_fallback).found_sorted()


def scan_dates(text: str, anchor: dt.date | None = None, *, use_fallback: bool = True
               ) -> tuple[list[DateMention], list[UnresolvedDate]]:
    """``find_dates`` and, in the same pass, the days and months without a year it could not place."""
    finder = _run(text, anchor, use_fallback)
    taken = SpanSet((m.start, m.end) for m in finder.found)
    unresolved = []
    for item in finder.unresolved:  # in the rules' order: "August 12" before "since August"
        if taken.is_free((item.start, item.end)):
            taken.add((item.start, item.end))
            unresolved.append(item)
    return finder.found_sorted(), sorted(unresolved, key=lambda u: u.start)


def _run(text: str, anchor: dt.date | None, use_fallback: bool) -> _Finder:
    finder = _passes(_Finder(text, anchor), use_fallback)
    if anchor is None and finder.unresolved:
        context = sorted((m.start, m.date) for m in finder.found
                         if m.kind == "absolute" and m.precision in (DatePrecision.day, DatePrecision.month))
        if context:
            finder = _passes(_Finder(text, None, context), use_fallback)
    return finder


def _passes(finder: _Finder, use_fallback: bool) -> _Finder:
    finder.iso_dates()
    finder.seasons()
    finder.half_months()
    finder.day_ranges()
    finder.day_lists()
    finder.dotted_years()
    finder.full_dates()
    finder.merge_spans()
    finder.year_parts()
    finder.decades()
    finder.month_pairs()
    finder.months()
    finder.year_spans()
    finder.years()
    finder.relatives()
    finder.relative_days()
    if use_fallback:
        finder.fallback()
    return finder


def parse_date_line(line: str) -> dt.date | None:
    """The date of a header line that is nothing but a full date ("January 7, 1952")."""
    stripped = line.strip()
    if not stripped or len(stripped) > 40:
        return None
    found = find_dates(stripped, None, use_fallback=False)
    if len(found) == 1 and found[0].precision is DatePrecision.day:
        mention = found[0]
        rest = (stripped[: mention.start] + stripped[mention.end :]).strip(" ,.;:-")
        if not rest:
            return mention.date
    return None


def shift(mention: DateMention, offset: int) -> DateMention:
    """The same mention with offsets moved by ``offset`` (for text taken from a larger one)."""
    return replace(mention, start=mention.start + offset, end=mention.end + offset)
