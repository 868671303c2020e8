"""Places and dates a document's text mentions, and the events they belong to.

Used by the documents page to highlight a text and link each highlighted
mention to its event(s).

* Place mentions are found with the gazetteer's own name matching: every run
  of up to ``MAX_NAME_WORDS`` words is normalised with
  ``exchanges.gazetteer.normalize_name`` and looked up in ``name_index()``;
  the longest match wins. Mentions therefore always cover whole words.
* Date mentions are found with patterns for the forms these documents use:
  "January 7, 1952", "26 June", "the second half of April", "spring and
  summer of 1952", "1947". A date without a year takes the document's year.

A mention is linked only to the events of the same document that cite it
(:func:`link_mentions`): a date to events of that date, a place to events at
that place whose quoted passage holds the mention. Any other mention is
highlighted but not linked.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from exchanges.gazetteer import Place, normalize_name
from exchanges.loader import normalise_text
from exchanges.models import DateBound, DatePrecision, Event

MAX_NAME_WORDS = 7

_WORD = re.compile(r"\w+(?:[-.]\w+)*")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTH = "(?P<month>" + "|".join(m.capitalize() for m in _MONTHS) + ")"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 14)}
_SEASON = r"(?:spring|summer|autumn|fall|winter)"

# Most specific first; a later pattern never takes text an earlier one matched.
_DATE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("month_day_year", re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+{_YEAR}\b")),
    ("day_month", re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}(?:,?\s+{_YEAR})?\b")),
    ("half_month", re.compile(rf"\b(?P<half>first|second)\s+half\s+of\s+{_MONTH}(?:\s+{_YEAR})?\b", re.I)),
    ("month_year", re.compile(rf"\b(?:(?P<part>early|mid|late)[-\s]+)?{_MONTH}\s+{_YEAR}\b")),
    (
        "season",
        re.compile(rf"\b(?P<seasons>{_SEASON}(?:\s+and\s+{_SEASON})?)\s+(?:of\s+)?{_YEAR}\b", re.I),
    ),
    ("year", re.compile(rf"(?<![\w/-]){_YEAR}(?![\w/-])")),
)


@dataclass(frozen=True)
class Mention:
    """A stretch of a text naming a place or a date."""

    start: int
    end: int
    text: str
    kind: Literal["place", "date"]
    place_id: str | None = None
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    year_only: bool = False
    event_ids: tuple[str, ...] = field(default=())


# --------------------------------------------------------------------------- places


def find_place_mentions(text: str, name_index: Mapping[str, Place]) -> list[Mention]:
    """Every place name of the index in ``text``, whole words, longest match first."""
    words = list(_WORD.finditer(text))
    mentions: list[Mention] = []
    i = 0
    while i < len(words):
        if words[i].group().casefold() == "the":  # "the Soviet Union": mark "Soviet Union"
            i += 1
            continue
        for length in range(min(MAX_NAME_WORDS, len(words) - i), 0, -1):
            start, end = words[i].start(), words[i + length - 1].end()
            place = name_index.get(normalize_name(text[start:end]))
            if place is not None:
                mentions.append(Mention(start, end, text[start:end], "place", place_id=place.id))
                i += length
                break
        else:
            i += 1
    return mentions


# --------------------------------------------------------------------------- dates


def find_date_mentions(text: str, default_year: int) -> list[Mention]:
    """Dates in ``text``; a day or month without a year is taken to be in ``default_year``."""
    taken: list[tuple[int, int]] = []
    mentions: list[Mention] = []
    for kind, pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            span = _date_span(kind, match, default_year)
            if span is None:
                continue
            taken.append((match.start(), match.end()))
            mentions.append(
                Mention(
                    match.start(),
                    match.end(),
                    match.group(),
                    "date",
                    first_day=span[0],
                    last_day=span[1],
                    year_only=kind == "year",
                )
            )
    return sorted(mentions, key=lambda m: m.start)


def _date_span(kind: str, match: re.Match[str], default_year: int) -> tuple[dt.date, dt.date] | None:
    groups = match.groupdict()
    year = int(groups["year"]) if groups.get("year") else default_year
    try:
        if kind == "year":
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if kind == "season":
            seasons = re.findall(_SEASON, groups["seasons"], re.I)
            first = _SEASONS[seasons[0].lower()][0]
            last = _SEASONS[seasons[-1].lower()][1]
            return dt.date(year, first, 1), _month_end(year + (last - 1) // 12, (last - 1) % 12 + 1)
        month = _MONTHS[groups["month"].lower()]
        if kind in ("month_day_year", "day_month"):
            day = dt.date(year, month, int(groups["day"]))
            return day, day
        if kind == "half_month":
            if groups["half"].lower() == "first":
                return dt.date(year, month, 1), dt.date(year, month, 15)
            return dt.date(year, month, 16), _month_end(year, month)
        return dt.date(year, month, 1), _month_end(year, month)
    except ValueError:  # "31 June": not a date
        return None


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------- linking


def passage_spans(text: str, events: Iterable[Event]) -> dict[str, tuple[int, int]]:
    """Where each event's quoted passage lies in ``text`` (events not found are left out).

    Passages are compared as the loader compares them (``normalise_text``:
    typographic quotes, dashes and runs of spaces folded), and the span is
    mapped back to the original text.
    """
    folded, offsets = _fold_with_offsets(text)
    spans: dict[str, tuple[int, int]] = {}
    for event in events:
        passage = normalise_text(event.source.passage)
        index = folded.find(passage)
        if index >= 0 and passage:
            spans[event.id] = (offsets[index], offsets[index + len(passage) - 1] + 1)
    return spans


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalise_text`` applied character by character, with each output
    character's position in the original."""
    out: list[str] = []
    offsets: list[int] = []
    previous_space = True
    for index, char in enumerate(text):
        folded = normalise_text(char) if not char.isspace() else " "
        if folded == " " or (char.isspace()):
            if previous_space:
                continue
            out.append(" ")
            offsets.append(index)
            previous_space = True
            continue
        for piece in folded:
            out.append(piece)
            offsets.append(index)
        previous_space = False
    return "".join(out), offsets


def link_mentions(
    mentions: Sequence[Mention], events: Sequence[Event], text: str
) -> list[Mention]:
    """The mentions with ``event_ids`` set: the events of this document each one cites.

    * A date mention goes only with events whose date matches it
      (:func:`date_matches`), those whose quoted passage contains the mention
      first, then the document's own exchange (``is_document``: its header
      date), then the rest in catalog order. A bare year ("1952") goes only
      with matching events whose passage contains it: by its dates alone it
      would match half the corpus.
    * A place mention (countries included) goes only with events at that
      place whose quoted passage contains the mention or touches its sentence:
      "USSR Ambassador" in a passage about Beijing is not the USSR event.

    A mention no event cites keeps ``event_ids`` empty: it is highlighted, not linked.
    """
    spans = passage_spans(text, events)
    linked: list[Mention] = []
    for mention in mentions:
        sentence = sentence_span(text, mention)
        if mention.kind == "place":
            chosen = [
                e for e in events
                if mention.place_id in e.places and _overlaps(spans.get(e.id), sentence)
            ]
            chosen.sort(key=lambda e: not _contains(spans.get(e.id), mention))
        else:
            dated = [e for e in events if date_matches(e, mention)]
            inside = [e for e in dated if _contains(spans.get(e.id), mention)]
            if mention.year_only:
                chosen = inside
            else:
                rest = [e for e in dated if e not in inside and e.date_bound is DateBound.on]
                chosen = inside + sorted(rest, key=lambda e: not e.is_document)
        linked.append(_with_events(mention, tuple(e.id for e in chosen)))
    return linked


def date_matches(event: Event, mention: Mention) -> bool:
    """Whether ``event`` is dated by ``mention``.

    A day ("8 June") matches an event dated to that very day (its start or its
    end); a longer stretch ("second half of April", "1947") matches an event
    whose date falls inside it.
    """
    first, last = mention.first_day, mention.last_day
    if first is None or last is None:
        return False
    if first == last:
        return event.date_precision is DatePrecision.day and first in (event.date, event.last_date)
    return first <= event.date <= last


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")


def sentence_span(text: str, mention: Mention) -> tuple[int, int]:
    """The sentence (or paragraph, at the latest) the mention stands in."""
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, mention.start):
        start = match.end()
    after = _SENTENCE_END.search(text, mention.end)
    return start, after.end() if after else len(text)


def _contains(span: tuple[int, int] | None, mention: Mention) -> bool:
    return span is not None and span[0] <= mention.start and mention.end <= span[1]


def _overlaps(span: tuple[int, int] | None, other: tuple[int, int]) -> bool:
    return span is not None and span[0] < other[1] and other[0] < span[1]


def _with_events(mention: Mention, event_ids: tuple[str, ...]) -> Mention:
    return Mention(
        mention.start,
        mention.end,
        mention.text,
        mention.kind,
        mention.place_id,
        mention.first_day,
        mention.last_day,
        mention.year_only,
        event_ids,
    )


def find_mentions(
    text: str,
    name_index: Mapping[str, Place],
    events: Sequence[Event],
    default_year: int,
) -> list[Mention]:
    """Place and date mentions of ``text``, linked to ``events``, in text order.

    Where a date and a place overlap (a place named like a month), the place wins.
    """
    places = find_place_mentions(text, name_index)
    dates = [
        d for d in find_date_mentions(text, default_year)
        if not any(d.start < p.end and p.start < d.end for p in places)
    ]
    return sorted(link_mentions([*places, *dates], events, text), key=lambda m: m.start)
