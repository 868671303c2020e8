"""The timeline's vectorised columns and eras give what the per-event code gave.

``exchanges.timeline`` computes each event's last day, lane and era with numpy,
once per catalog. The per-event algorithm it replaced is kept here, as written
before (``_reference_eras``), and both are run on the shipped data, on a
synthetic 300-event catalog (``bench/synthetic.py``, loaded by the loader,
spread over 1945–1970 with every precision, spans and "by" bounds).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

import exchanges.timeline as timeline
from exchanges.catalog import Catalog
from exchanges.loader import load_catalog
from exchanges.models import DatePrecision, Event
from exchanges.timeline import (
    EraParams,
    catalog_columns,
    event_columns,
    find_eras,
    lanes_of,
    split_eras,
    uncertainty_end,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import synthetic  # noqa: E402  (bench/synthetic.py)

# --------------------------------------------------------------------------- the per-event reference

_Span = tuple[int, int, str]


def _reference_eras(events: Sequence[Event], min_gap_days: int = 365, gap_fraction: float = 0.15,
                    max_eras: int = 4, long_span_days: int = 400, local_min_gap_days: int = 180,
                    local_gap_fraction: float = 0.4) -> list[tuple[dt.date, dt.date, tuple[str, ...]]]:
    """``find_eras`` as it was before it was vectorised: a Python loop over the events."""
    spans = sorted(_anchor(e, long_span_days) for e in events)
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
    refined_groups, refined_gaps = [], []
    for index, group in enumerate(groups):
        for part_index, (part, gap) in enumerate(_split(group, local_min_gap_days, local_gap_fraction)):
            if part_index:
                refined_gaps.append(gap)
            refined_groups.append(part)
        if index < len(gaps):
            refined_gaps.append(gaps[index])
    groups, gaps = refined_groups, refined_gaps
    while len(groups) > max(max_eras, 1):
        smallest = min(range(len(gaps)), key=lambda i: gaps[i] / _days(groups[i] + groups[i + 1]))
        groups[smallest: smallest + 2] = [groups[smallest] + groups[smallest + 1]]
        del gaps[smallest]
    return [(dt.date.fromordinal(g[0][0]), dt.date.fromordinal(max(s[1] for s in g)), tuple(s[2] for s in g))
            for g in groups]


def _days(group: Sequence[_Span]) -> int:
    return max(max(s[1] for s in group) - group[0][0], 1)


def _split(group: list[_Span], min_gap_days: int, fraction: float) -> list[tuple[list[_Span], int]]:
    best, best_gap, reach = None, 0, group[0][1]
    for index in range(1, len(group)):
        start, end, _ = group[index]
        if start - reach > best_gap:
            best, best_gap = index, start - reach
        reach = max(reach, end)
    if best is None or best_gap <= max(min_gap_days, fraction * _days(group)):
        return [(group, 0)]
    head = _split(group[:best], min_gap_days, fraction)
    tail = _split(group[best:], min_gap_days, fraction)
    return head + [(tail[0][0], best_gap)] + tail[1:]


def _anchor(event: Event, long_span_days: int) -> _Span:
    end = uncertainty_end(event).toordinal()
    start = event.date.toordinal()
    return (end, end, event.id) if end - start > long_span_days else (start, end, event.id)


# --------------------------------------------------------------------------- catalogs


@pytest.fixture(scope="module")
def synthetic_catalog(shipped_gazetteer, tmp_path_factory) -> Catalog:
    folder = synthetic.write_catalog(300, tmp_path_factory.mktemp("synthetic-300"))
    return load_catalog(gazetteer=shipped_gazetteer,
                        extra_event_files=sorted((folder / "events").glob("*.yaml")),
                        extra_document_files=sorted((folder / "sources").glob("*.yaml")))


@pytest.fixture(params=["shipped", "synthetic-300"])
def catalog(request, shipped_catalog) -> Catalog:
    return shipped_catalog if request.param == "shipped" else request.getfixturevalue("synthetic_catalog")


def test_the_columns_are_each_events_days_and_lanes(catalog):
    events = catalog.events
    columns = event_columns(events, catalog)
    assert columns.ids.tolist() == [e.id for e in events]
    assert columns.start.tolist() == [e.date.toordinal() for e in events]
    assert columns.end.tolist() == [uncertainty_end(e).toordinal() for e in events]
    assert columns.side.tolist() == lanes_of(events, catalog, "side")
    assert columns.kind.tolist() == lanes_of(events, catalog, "type")
    assert len(set(columns.side.tolist())) >= 2 and len(set(columns.end.tolist())) > 1


def test_the_last_day_of_every_precision_at_the_edges_of_months_and_years(shipped_catalog):
    model = shipped_catalog.events[0].model_copy(update={"end_date": None})
    cases = [("day", dt.date(1952, 2, 29)), ("half_month", dt.date(1952, 2, 1)), ("half_month", dt.date(1952, 2, 16)),
             ("half_month", dt.date(1951, 2, 16)), ("month", dt.date(1951, 12, 1)), ("season", dt.date(1951, 12, 1)),
             ("season", dt.date(1952, 9, 1)), ("year", dt.date(1962, 1, 1))]
    events = [model.model_copy(update={"id": f"e{i}", "date": day, "date_precision": DatePrecision(precision)})
              for i, (precision, day) in enumerate(cases)]
    events.append(model.model_copy(update={"id": "span", "date": dt.date(1962, 4, 1),
                                           "end_date": dt.date(1962, 6, 3),
                                           "date_precision": DatePrecision.month}))
    ends = [dt.date.fromordinal(day) for day in event_columns(events).end.tolist()]
    assert ends == [uncertainty_end(e) for e in events]
    assert ends[:6] == [dt.date(1952, 2, 29), dt.date(1952, 2, 15), dt.date(1952, 2, 29), dt.date(1951, 2, 28),
                        dt.date(1951, 12, 31), dt.date(1952, 2, 29)]


@pytest.mark.parametrize("params", [
    EraParams(), EraParams(max_eras=2), EraParams(min_gap_days=60, max_eras=9),
    EraParams(long_span_days=30, local_gap_fraction=0.1),
    # short gaps break the axis: many eras found, then closed down to the most allowed
    EraParams(min_gap_days=5, gap_fraction=0.0, max_eras=6, local_min_gap_days=5, local_gap_fraction=0.0),
    EraParams(min_gap_days=20, gap_fraction=0.0, max_eras=30, local_min_gap_days=10, local_gap_fraction=0.02),
], ids=str)
def test_the_vectorised_eras_are_the_per_event_ones(catalog, params):
    events = catalog.events
    eras, era_of = split_eras(event_columns(events, catalog), params)
    expected = _reference_eras(events, *(getattr(params, name) for name in EraParams.__dataclass_fields__))
    assert [(era.start, era.end, era.event_ids) for era in eras] == expected
    for index, era in enumerate(eras):  # each row's era is the one that lists it
        rows = np.flatnonzero(era_of == index)
        assert sorted(events[row].id for row in rows) == sorted(era.event_ids)
    if params == EraParams():
        assert eras == find_eras(events)
    if params.gap_fraction == 0.0:  # the splitting and closing were exercised
        assert len(eras) >= 5


def test_a_catalogs_columns_are_computed_once_and_read_by_row(catalog, monkeypatch):
    subset = list(catalog.events[::3])
    first = catalog_columns(subset, catalog)  # computes the catalog's columns
    expected = event_columns(subset, catalog)
    monkeypatch.setattr(timeline, "event_columns", _refuse)
    again = catalog_columns(list(reversed(subset)), catalog)
    for name in ("ids", "start", "end", "side", "kind"):
        assert getattr(first, name).tolist() == getattr(expected, name).tolist()
        assert getattr(again, name).tolist() == getattr(expected, name).tolist()[::-1]


def test_events_that_are_not_the_catalogs_own_are_computed_on_the_spot(shipped_catalog):
    own = list(shipped_catalog.events[:5])
    edited = own[2].model_copy(update={"date": dt.date(1930, 1, 1), "date_precision": DatePrecision.year,
                                       "end_date": None})
    events = [own[0], edited, own[1], own[3]]
    columns = catalog_columns(events, shipped_catalog)
    assert columns.start.tolist() == [e.date.toordinal() for e in events]
    assert columns.end.tolist() == [uncertainty_end(e).toordinal() for e in events]
    assert columns.side.tolist() == lanes_of(events, shipped_catalog)


def _refuse(*_args, **_kwargs):
    raise AssertionError("the catalog's columns were computed again")
