"""What an export shows: the events on screen, the highlighted and muted ones, the frame.

The explore page, the presentation page and the command line all build an
:class:`ExportView` from the same filter state, so an export shows what the
screen shows. The title it carries is the filter's own wording
(:func:`exchanges.filters.filter_title_parts`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from exchanges.catalog import Catalog
from exchanges.charts.style import ChartStyle
from exchanges.export.layout import highlight_title_parts
from exchanges.filters import FilterState, filter_title_parts
from exchanges.gazetteer import Gazetteer
from exchanges.mapping import MapView
from exchanges.models import Event
from exchanges.timeline import LaneMode


@dataclass(frozen=True)
class ExportView:
    """What is on screen: the filtered events, the highlighted and muted ones,
    the map view and the timeline's lanes."""

    events: tuple[Event, ...]
    highlight: str | None = None
    muted: frozenset[str] = field(default_factory=frozenset)
    view: MapView | None = None
    title: str | None = None
    subtitle: str | None = None
    style: ChartStyle | None = None
    lanes: LaneMode = "side"

    @classmethod
    def of(
        cls,
        events: Sequence[Event],
        *,
        highlight: str | None = None,
        muted: Collection[str] = (),
        view: MapView | None = None,
        title: str | None = None,
        subtitle: str | None = None,
        style: ChartStyle | None = None,
        lanes: LaneMode = "side",
    ) -> ExportView:
        return cls(tuple(events), highlight, frozenset(muted), view, title, subtitle, style, lanes)

    @classmethod
    def from_filters(
        cls,
        state: FilterState,
        catalog: Catalog,
        gazetteer: Gazetteer | None = None,
        *,
        title: str | None = None,
        view: MapView | None = None,
        style: ChartStyle | None = None,
        lanes: LaneMode = "side",
    ) -> ExportView:
        """The view the explore page shows for a filter state (its selection
        highlighted) and its choice of timeline lanes."""
        described, subtitle = filter_title_parts(state, catalog, gazetteer)
        if state.selected and catalog.has_event(state.selected):  # the title says the highlighted event
            described, subtitle = highlight_title_parts(catalog.event(state.selected), described, subtitle)
        return cls.of(
            state.apply(catalog.events),
            highlight=state.selected,
            view=view,
            title=title if title is not None else described,
            subtitle=subtitle,
            style=style,
            lanes=lanes,
        )

    def cache_key(self) -> tuple[Any, ...]:
        """Hashable identity of the view, for caching rendered bytes."""
        return (
            tuple(e.model_dump_json() for e in self.events),
            self.highlight,
            tuple(sorted(self.muted)),
            (self.view.lon_range, self.view.lat_range) if self.view else None,
            self.title,
            self.subtitle,
            repr(self.style),
            self.lanes,
        )
