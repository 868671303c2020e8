"""The timeline's domain: which side an event comes from, and the eras of a catalog.

Draws nothing (``exchanges.charts.timeline_figure`` turns these into a figure).

* **Lanes.** An event's lane is the side it comes from (Soviet side / Chinese
  side / third parties, from the country of its sender or, failing that, of
  the people involved), or its event type (:data:`LaneMode`).
* **Eras.** The corpus has clusters years apart (1951–52 and 1962). On one
  linear axis each would be a smudge at either end, so the timeline's axis is
  broken into *eras*, found from the gaps in the data (:func:`find_eras`).
* **Extent.** :func:`uncertainty_end`: the last day an imprecise date allows
  ("April 1962" covers the whole month).
* **Columns.** What the timeline needs of every event (first and last day,
  lanes) as numpy arrays (:class:`EventColumns`), computed once per catalog
  (:func:`catalog_columns`) so that a rerun or a filter reads rows instead of
  walking 30,000 events; the eras are found from them with numpy
  (:func:`split_eras`). ``tests/test_timeline_columns.py`` keeps the
  per-event algorithm they replaced and checks both agree.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import threading
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from exchanges.models import DatePrecision, Event, EventType

if TYPE_CHECKING:
    from exchanges.catalog import Catalog

LaneMode = Literal["side", "type"]
"""How the timeline's lanes are chosen: the side an event comes from, or its type."""

SOVIET_SIDE = "Soviet side"
CHINESE_SIDE = "Chinese side"
THIRD_PARTIES = "Third parties"
UNATTRIBUTED = "No actor named"

#: Country names as the actor data may spell them -> lane. Anything else is a
#: third party.
_COUNTRY_SIDES: dict[str, str] = {
    "ussr": SOVIET_SIDE,
    "su": SOVIET_SIDE,
    "soviet union": SOVIET_SIDE,
    "union of soviet socialist republics": SOVIET_SIDE,
    "prc": CHINESE_SIDE,
    "china": CHINESE_SIDE,
    "people's republic of china": CHINESE_SIDE,
}
_SIDE_ORDER = (SOVIET_SIDE, CHINESE_SIDE, THIRD_PARTIES, UNATTRIBUTED)


def uncertainty_end(event: Event) -> dt.date:
    """The last day the source allows for an event without ``end_date``.

    A month-precision date stands for the whole month, a year-precision one for
    the whole year, and so on; with ``end_date`` the span is the event's own.
    """
    if event.end_date is not None:
        return event.end_date
    start = event.date
    precision = event.date_precision
    if precision is DatePrecision.day:
        return start
    if precision is DatePrecision.half_month:
        if start.day <= 15:
            return start.replace(day=15)
        return _month_end(start)
    if precision is DatePrecision.month:
        return _month_end(start)
    if precision is DatePrecision.season:
        # A season is about three months from the first day the source allows.
        month = start.month + 2
        year = start.year + (month - 1) // 12
        month = (month - 1) % 12 + 1
        return _month_end(dt.date(year, month, 1))
    return dt.date(start.year, 12, 31)


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# --------------------------------------------------------------------------- eras


@dataclass(frozen=True)
class Era:
    """A stretch of time with events and no long gap inside it."""

    start: dt.date
    end: dt.date
    event_ids: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}–{self.end.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def find_eras(
    events: Sequence[Event],
    *,
    min_gap_days: int = 365,
    gap_fraction: float = 0.15,
    max_eras: int = 4,
    long_span_days: int = 400,
    local_min_gap_days: int = 180,
    local_gap_fraction: float = 0.4,
) -> list[Era]:
    """Split the events where the time between them is long.

    A gap breaks the axis if it is longer than ``min_gap_days`` and than
    ``gap_fraction`` of the whole time covered. Then each era is split again
    where a gap is long for *its own* stretch of time: longer than
    ``local_min_gap_days`` and than ``local_gap_fraction`` of the era (so one
    event in 1960 does not squeeze a dense 1962 into a sliver of a
    "1960–1962" panel). At most ``max_eras`` eras are made (the breaks
    shortest for the era they would make are closed first). An event's extent
    is the window its date allows (``uncertainty_end``), so a year-precision event
    covers its year. An event lasting longer than ``long_span_days`` ("over
    the past three years") counts only by its end: it would otherwise glue
    eras together; its bar enters its era's panel from the left.
    """
    params = EraParams(min_gap_days, gap_fraction, max_eras, long_span_days, local_min_gap_days,
                       local_gap_fraction)
    return split_eras(event_columns(events), params)[0]


@dataclass(frozen=True)
class EraParams:
    """The thresholds of :func:`find_eras` (its keyword arguments)."""

    min_gap_days: int = 365
    gap_fraction: float = 0.15
    max_eras: int = 4
    long_span_days: int = 400
    local_min_gap_days: int = 180
    local_gap_fraction: float = 0.4


def split_eras(columns: EventColumns, params: EraParams = EraParams()) -> tuple[list[Era], np.ndarray]:
    """:func:`find_eras` over precomputed columns; also each row's era (an index into the eras).

    Vectorised: the events are sorted once (by anchor, end, id) and every gap
    is a difference of that order's start and the running maximum of the ends
    before it; Python runs once per era, not once per event.
    """
    if not len(columns):
        return [], np.zeros(0, dtype=np.int64)
    long = columns.end - columns.start > params.long_span_days
    anchor = np.where(long, columns.end, columns.start)  # a long span counts by its end only
    order = np.lexsort((columns.rank, columns.end, anchor))
    starts, ends = anchor[order], columns.end[order]
    reach = np.maximum.accumulate(ends)
    threshold = max(params.min_gap_days, params.gap_fraction * int(reach[-1] - starts[0]))
    cuts = (np.flatnonzero(starts[1:] - reach[:-1] > threshold) + 1).tolist()
    groups, gaps = _refine(starts, ends, reach, cuts, params)
    last = [int(ends[low:high].max()) for low, high in groups]  # each group's last day
    while len(groups) > max(params.max_eras, 1):
        # Close the break that, relative to the era it would make, is shortest.
        smallest = min(range(len(gaps)), key=lambda i: gaps[i] / max(
            max(last[i], last[i + 1]) - int(starts[groups[i][0]]), 1))
        groups[smallest: smallest + 2] = [(groups[smallest][0], groups[smallest + 1][1])]
        last[smallest: smallest + 2] = [max(last[smallest], last[smallest + 1])]
        del gaps[smallest]
    era_of = np.empty(len(order), dtype=np.int64)
    eras = []
    for index, ((low, high), end) in enumerate(zip(groups, last, strict=True)):
        era_of[order[low:high]] = index
        eras.append(Era(start=dt.date.fromordinal(int(starts[low])), end=dt.date.fromordinal(end),
                        event_ids=tuple(columns.ids[order[low:high]].tolist())))
    return eras, era_of


def _refine(starts: np.ndarray, ends: np.ndarray, reach: np.ndarray, cuts: list[int], params: EraParams,
            ) -> tuple[list[tuple[int, int]], list[int]]:
    """The groups (row ranges of the sorted order) between the ``cuts``, each split again where
    a gap is long for its own span, and the gap before each group but the first."""
    groups: list[tuple[int, int]] = []
    gaps: list[int] = []
    for index, (low, high) in enumerate(zip([0, *cuts], [*cuts, len(starts)], strict=True)):
        if index:
            gaps.append(int(starts[low] - reach[low - 1]))
        parts = _split_group(starts, ends, low, high, params.local_min_gap_days, params.local_gap_fraction)
        for part_index, (part, gap) in enumerate(parts):
            if part_index:
                gaps.append(gap)
            groups.append(part)
    return groups, gaps


def _split_group(starts: np.ndarray, ends: np.ndarray, low: int, high: int, min_gap_days: int,
                 fraction: float) -> list[tuple[tuple[int, int], int]]:
    """The parts (row ranges of the sorted order) of the group ``low:high``, each with the gap
    before it (0 for the first): split at its longest gap while that gap is long for the
    group's own span."""
    if high - low < 2:
        return [((low, high), 0)]
    span_days = max(int(ends[low:high].max() - starts[low]), 1)
    gaps = starts[low + 1:high] - np.maximum.accumulate(ends[low:high - 1])
    best = int(np.argmax(gaps))  # the first of the longest
    best_gap = int(gaps[best])
    if best_gap <= 0 or best_gap <= max(min_gap_days, fraction * span_days):
        return [((low, high), 0)]
    cut = low + 1 + best
    head = _split_group(starts, ends, low, cut, min_gap_days, fraction)
    tail = _split_group(starts, ends, cut, high, min_gap_days, fraction)
    return head + [(tail[0][0], best_gap)] + tail[1:]


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, eq=False)
class EventColumns:
    """What the timeline needs of each of a sequence of events, one numpy row per event, in order.

    ``start``/``end``: the first and last day (``uncertainty_end``) as ordinals;
    ``side``/``kind``: the event's lane by side and by type (object arrays of str);
    ``rank``: where the id comes in the ids sorted (integers sort faster than strings).
    """

    ids: np.ndarray
    start: np.ndarray
    end: np.ndarray
    side: np.ndarray
    kind: np.ndarray
    rank: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def lanes(self, mode: LaneMode) -> np.ndarray:
        return self.kind if mode == "type" else self.side

    def take(self, rows: np.ndarray) -> EventColumns:
        return EventColumns(*(getattr(self, name)[rows] for name in _COLUMNS))


_COLUMNS = ("ids", "start", "end", "side", "kind", "rank")
_PRECISION_CODES = {precision: code for code, precision in enumerate(DatePrecision)}
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def event_columns(events: Sequence[Event], catalog: Catalog | None = None) -> EventColumns:
    """The columns of ``events`` (their sides looked up in ``catalog``; without one, every
    side is :data:`UNATTRIBUTED`). One pass of Python over the events reads their fields; the
    rest (each event's last day) is computed with numpy."""
    ids = [e.id for e in events]
    start = np.fromiter((e.date.toordinal() for e in events), dtype=np.int64, count=len(ids))
    end_date = np.fromiter((e.end_date.toordinal() if e.end_date else -1 for e in events), dtype=np.int64,
                           count=len(ids))
    precision = np.fromiter((_PRECISION_CODES[e.date_precision] for e in events), dtype=np.int64, count=len(ids))
    kind = [e.event_type.value for e in events]
    side = lanes_of(events, catalog) if catalog is not None else [UNATTRIBUTED] * len(ids)
    return EventColumns(
        ids=_objects(ids), start=start, end=_last_days(start, end_date, precision), side=_objects(side),
        kind=_objects(kind), rank=_ranks(ids))


def _objects(values: list[str]) -> np.ndarray:
    """A 1-d object array of ``values`` (``np.array`` of a list of str would make a str array)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _ranks(ids: Sequence[str]) -> np.ndarray:
    """Each id's place among the ids sorted (Python's sort of str: numpy's of objects is slower)."""
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    return ranks


def _last_days(start: np.ndarray, end_date: np.ndarray, precision: np.ndarray) -> np.ndarray:
    """:func:`uncertainty_end` of many events at once, as ordinals (``end_date`` -1 where none)."""
    days = (start - _EPOCH_ORDINAL).astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    month_end = (month + 1).astype("datetime64[D]") - 1
    half_end = np.where(days - month.astype("datetime64[D]") < 15, month.astype("datetime64[D]") + 14, month_end)
    season_end = (month + 3).astype("datetime64[D]") - 1
    year_end = (days.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    codes = _PRECISION_CODES
    last = np.select(
        [precision == codes[DatePrecision.day], precision == codes[DatePrecision.half_month],
         precision == codes[DatePrecision.month], precision == codes[DatePrecision.season]],
        [days, half_end, month_end, season_end], year_end)
    ordinals = last.astype(np.int64) + _EPOCH_ORDINAL
    return np.where(end_date >= 0, end_date, ordinals)


@dataclass(frozen=True, eq=False)
class _CatalogColumns:
    columns: EventColumns
    rows: dict[int, int]
    """``id()`` of each of the catalog's events -> its row (the catalog keeps them alive)."""


_CATALOG_COLUMNS: weakref.WeakKeyDictionary[Catalog, _CatalogColumns] = weakref.WeakKeyDictionary()
_CATALOG_LOCK = threading.Lock()


def catalog_columns(events: Sequence[Event], catalog: Catalog) -> EventColumns:
    """:func:`event_columns` of ``events``, taken from the catalog's columns, which are computed
    once per catalog (a catalog is immutable) and kept as long as it lives: a rerun or another
    filter of the same catalog reads rows, it does not walk the events again. Events that are
    not the catalog's own (an edited copy, a stand-in) are computed on the spot."""
    with _CATALOG_LOCK:
        cached = _CATALOG_COLUMNS.get(catalog)
    if cached is None:
        cached = _CatalogColumns(event_columns(catalog.events, catalog),
                                 {id(event): row for row, event in enumerate(catalog.events)})
        with _CATALOG_LOCK:
            _CATALOG_COLUMNS[catalog] = cached
    known = cached.rows
    rows = np.fromiter(map(known.get, map(id, events), itertools.repeat(-1)), dtype=np.int64, count=len(events))
    strangers = np.flatnonzero(rows < 0)
    if not len(strangers):
        return cached.columns.take(rows)
    extra = event_columns([events[i] for i in strangers.tolist()], catalog)
    rows[strangers] = len(cached.columns) + np.arange(len(strangers))
    joined = [np.concatenate([getattr(cached.columns, name), getattr(extra, name)]) for name in _COLUMNS[:-1]]
    return EventColumns(*joined, rank=_ranks(joined[0].tolist())).take(rows)


# --------------------------------------------------------------------------- lanes


def side_of_country(country: str | None) -> str:
    """The side a country's actors are on (anything but the USSR and the PRC: third parties)."""
    if not country:
        return THIRD_PARTIES
    return _COUNTRY_SIDES.get(country.strip().lower(), THIRD_PARTIES)


def lane_of(event: Event, catalog: Catalog, mode: LaneMode = "side") -> str:
    """The lane an event is drawn in: its sender's side, or its type (the type's value, ``border_crossing``)."""
    if mode == "type":
        return event.event_type.value
    for group in (event.sender, event.people, event.recipient):
        if group:
            return _side_of_actor(group[0], catalog)
    return UNATTRIBUTED


def _side_of_actor(actor_id: str, catalog: Catalog) -> str:
    actor = catalog.actors.get(actor_id)
    return side_of_country(actor.country if actor else None)


def recipient_side(event: Event, catalog: Catalog) -> str | None:
    """The side of the event's first recipient, if it names one."""
    return _side_of_actor(event.recipient[0], catalog) if event.recipient else None


def lane_order(lanes: Iterable[str], mode: LaneMode) -> list[str]:
    """The lanes present, top to bottom: the sides in a fixed order, or the types in the schema's order."""
    present = set(lanes)
    order = [t.value for t in EventType] if mode == "type" else list(_SIDE_ORDER)
    return [lane for lane in order if lane in present] + sorted(present - set(order))


def lanes_of(events: Iterable[Event], catalog: Catalog, mode: LaneMode = "side") -> list[str]:
    """:func:`lane_of` for many events at once (each actor's side looked up once)."""
    if mode == "type":
        return [event.event_type.value for event in events]
    sides: dict[str, str] = {}
    lanes = []
    for event in events:
        actor = (event.sender or event.people or event.recipient or [None])[0]
        if actor is None:
            lanes.append(UNATTRIBUTED)
            continue
        side = sides.get(actor)
        if side is None:
            side = sides[actor] = _side_of_actor(actor, catalog)
        lanes.append(side)
    return lanes


def events_between(events: Iterable[Event], first: dt.date, last: dt.date) -> list[Event]:
    """The events any part of whose span falls from ``first`` to ``last`` (inclusive), in order:
    what a timeline zoomed to those dates shows."""
    return [event for event in events if event.date <= last and event.last_date >= first]


def describe_days(first: dt.date, last: dt.date) -> str:
    """``1962``, ``April 1962``, ``1 April 1962 – 7 April 1962``: a zoom window in words."""
    if first == dt.date(first.year, 1, 1) and last == dt.date(last.year, 12, 31):
        return str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    if first.day == 1 and last == _month_end(last):
        month = f"{calendar.month_name[first.month]} {first.year}"
        return month if (first.year, first.month) == (last.year, last.month) else (
            f"{month} – {calendar.month_name[last.month]} {last.year}")
    day = "{0.day} {1} {0.year}"
    return (f"{day.format(first, calendar.month_name[first.month])} – "
            f"{day.format(last, calendar.month_name[last.month])}")
