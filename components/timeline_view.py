"""The timeline on a page: the figure, lane choice and click-to-select."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import streamlit as st

from components.selection import show_selectable_chart
from exchanges.catalog import Catalog
from exchanges.charts.style import DEFAULT_STYLE, ChartStyle
from exchanges.charts.timeline_figure import LaneMode, build_timeline_figure
from exchanges.models import Event

TIMELINE_KEY = "timeline_chart"
LANES_KEY = "timeline_lanes"
LANE_LABELS: dict[str, str] = {"side": "Lanes by side", "type": "Lanes by event type"}


def lane_choice() -> LaneMode:
    """A small control choosing the timeline's lanes (kept for the session)."""
    return (
        st.segmented_control(
            "Lanes",
            options=list(LANE_LABELS),
            format_func=LANE_LABELS.__getitem__,
            default="side",
            key=LANES_KEY,
            required=True,
            label_visibility="collapsed",
            help="Side: who acted (from the sender's country); arrows run from sender to recipient.",
            persist_state="session",
        )
        or "side"
    )


def render_timeline(
    events: Sequence[Event],
    catalog: Catalog,
    *,
    selected: str | None = None,
    muted: Collection[str] = (),
    style: ChartStyle = DEFAULT_STYLE,
    key: str = TIMELINE_KEY,
    lanes: LaneMode | None = None,
    image_name: str = "timeline",
) -> None:
    """Draw the timeline; a click on an event selects it.

    Without ``lanes`` the reader chooses them (by side or by event type).
    ``image_name`` names the PNG of the chart's camera button.
    """
    if lanes is None:
        lanes = lane_choice()
    figure = build_timeline_figure(events, catalog, highlight=selected, muted=muted, style=style, lanes=lanes)
    show_selectable_chart(figure, key=key, image_name=image_name)
