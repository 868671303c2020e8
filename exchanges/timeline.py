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
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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
    if not events:
        return []
    # Days as ordinals (ints): this runs once per event, and sorts them all.
    spans = sorted([_era_anchor(e, long_span_days) for e in events])
    total_days = max(s[1] for s in spans) - spans[0][0]
    threshold = max(min_gap_days, gap_fraction * total_days)

    groups: list[list[_Span]] = [[spans[0]]]
    gaps: list[int] = []
    group_end = spans[0][1]
    for span in spans[1:]:
        gap = span[0] - group_end
        if gap > threshold:
            groups.append([span])
            gaps.append(gap)
            group_end = span[1]
        else:
            groups[-1].append(span)
            group_end = max(group_end, span[1])
    groups, gaps = _refine(groups, gaps, local_min_gap_days, local_gap_fraction)
    while len(groups) > max(max_eras, 1):
        # Close the break that, relative to the era it would make, is shortest.
        smallest = min(range(len(gaps)), key=lambda i: gaps[i] / _span_days(groups[i] + groups[i + 1]))
        groups[smallest : smallest + 2] = [groups[smallest] + groups[smallest + 1]]
        del gaps[smallest]
    return [
        Era(
            start=dt.date.fromordinal(group[0][0]),  # groups stay sorted by start
            end=dt.date.fromordinal(max(s[1] for s in group)),
            event_ids=tuple(s[2] for s in group),
        )
        for group in groups
    ]


_Span = tuple[int, int, str]


def _refine(
    groups: list[list[_Span]], gaps: list[int], min_gap_days: int, fraction: float
) -> tuple[list[list[_Span]], list[int]]:
    """Split each group at its longest gap while that gap is long for the group's own span."""
    out_groups: list[list[_Span]] = []
    out_gaps: list[int] = []
    for index, group in enumerate(groups):
        for part_index, (part, gap) in enumerate(_split_group(group, min_gap_days, fraction)):
            if part_index:
                out_gaps.append(gap)
            out_groups.append(part)
        if index < len(gaps):
            out_gaps.append(gaps[index])
    return out_groups, out_gaps


def _span_days(group: Sequence[_Span]) -> int:
    return max(max(s[1] for s in group) - group[0][0], 1)  # sorted by start


def _split_group(group: list[_Span], min_gap_days: int, fraction: float) -> list[tuple[list[_Span], int]]:
    """The group's parts, each with the gap before it (0 for the first)."""
    span_days = _span_days(group)
    best, best_gap, reach = None, 0, group[0][1]
    for index in range(1, len(group)):
        start, end, _ = group[index]
        if start - reach > best_gap:
            best, best_gap = index, start - reach
        if end > reach:
            reach = end
    if best is None or best_gap <= max(min_gap_days, fraction * span_days):
        return [(group, 0)]
    head = _split_group(group[:best], min_gap_days, fraction)
    tail = _split_group(group[best:], min_gap_days, fraction)
    return head + [(tail[0][0], best_gap)] + tail[1:]


def _era_anchor(event: Event, long_span_days: int) -> _Span:
    """(first, last) day as ordinals, and the id; a long span by its end only."""
    end = uncertainty_end(event).toordinal()
    start = event.date.toordinal()
    if end - start > long_span_days:
        return (end, end, event.id)
    return (start, end, event.id)


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
