"""Map & timeline: filter the events, see them on both, select one to read it.

Filters live in the sidebar and in the URL (a link reopens the same view).
Selecting an event on the map, the timeline, the table or the selectbox
highlights it everywhere and opens its card with the source's own words.

Runs inside the app's navigation or alone (``streamlit run views/explore.py``).
"""

from __future__ import annotations

import streamlit as st

from components.data import get_catalog, get_eras, get_gazetteer, get_map_view
from components.detail_card import render_detail_card
from components.events_table import render_events_table
from components.export_panel import ExportView, render_export_panel
from components.filters_sidebar import filter_options, render_filters, sync_from_url
from components.map_view import map_frame, render_map
from components.page_style import compact_page
from components.selection import CHOOSER_LIMIT, event_option_labels
from components.state import (
    KEY_EXPORT_BOX,
    KEY_SELECTED,
    select_event,
    selected_event,
    url_warnings,
    write_filters_to_url,
)
from components.timeline_view import lane_choice, render_timeline
from exchanges.catalog import Catalog
from exchanges.filters import FilterState
from exchanges.markdown import escape_markdown
from exchanges.models import Event


def _event_option_label(event_id: str | None, labels: dict[str, str]) -> str:
    return "— choose an event —" if event_id is None else labels[event_id]


def _export_stem(state: FilterState) -> str:
    """File names of the exports: ``explore``, with the date range when one is set."""
    dates = [day.isoformat() for day in (state.date_from, state.date_to) if day is not None]
    return "_".join(["explore", *dates])


def _selectable(events: list[Event], catalog: Catalog) -> tuple[list[str | None], bool]:
    """Options of the event selectbox: the filtered events (if at most ``CHOOSER_LIMIT``), and
    the selected one; and whether the filtered events are listed."""
    listed = len(events) <= CHOOSER_LIMIT
    options: list[str | None] = [None, *(e.id for e in events)] if listed else [None]
    selected = selected_event()
    if selected is not None and selected not in options:
        if catalog.has_event(selected):
            options.append(selected)
        else:
            select_event(None)
    return options, listed


catalog = get_catalog()
gazetteer = get_gazetteer()
options = filter_options(catalog, gazetteer)

sync_from_url(catalog, gazetteer, options)
state = render_filters(catalog, gazetteer, options, get_eras())
events = state.apply(catalog.events)
event_options, events_listed = _selectable(events, catalog)  # may clear a selection that no longer exists
option_labels = event_option_labels(catalog)
state = state.with_selected(selected_event())
write_filters_to_url(state)

compact_page()
st.title("Map & timeline")
summary = f"**{len(events)}** of {len(catalog.events)} events"
summary += "" if state.is_default else " match the filters"
st.markdown(summary + ". Click an event on the map or the timeline to read it.")
for warning in url_warnings(state):
    st.warning(escape_markdown(warning), icon=":material/link_off:")
if catalog.issues:
    with st.expander(f"{len(catalog.issues)} problems in your own files (those records are left out)"):
        st.markdown("\n".join(f"- {escape_markdown(str(issue))}" for issue in catalog.issues))

map_view = map_frame(events, get_map_view())  # the filtered events, unless the reader keeps the whole region
file_stem = _export_stem(state)
charts_column, card_column = st.columns([5, 2], gap="medium")
with charts_column:
    render_map(events, catalog, gazetteer, selected=state.selected, view=map_view, image_name=f"{file_stem}_map")
    with st.container(horizontal=True, vertical_alignment="center", key="timeline_header"):
        st.subheader("Timeline", anchor=False)
        lanes = lane_choice()
    render_timeline(events, catalog, selected=state.selected, lanes=lanes, image_name=f"{file_stem}_timeline")
    # The same filter state, selection, map framing and timeline lanes as the
    # charts above, so what is downloaded is what is on screen. The panel is
    # built only while it is open (``on_change`` makes the expander report
    # it): every element of a page is drawn again on each rerun, and a filter
    # change need not redraw the downloads.
    with st.expander("Export: slide images and data", icon=":material/download:", key=KEY_EXPORT_BOX,
                     on_change="rerun") as export_box:
        if export_box.open:
            render_export_panel(
                ExportView.from_filters(state, catalog, gazetteer, view=map_view, lanes=lanes),
                catalog,
                gazetteer,
                key="explore_export",
                file_stem=file_stem,
            )
with card_column:
    st.selectbox(
        "Selected event",
        options=event_options,
        format_func=lambda event_id: _event_option_label(event_id, option_labels),
        key=KEY_SELECTED,
        help="Or click an event on the map, the timeline or the table below.",
        persist_state="session",
    )
    if not events_listed:
        st.caption(f"{len(events):,} events match: too many to list here (at most {CHOOSER_LIMIT:,}). "
                   "Click one on the map, the timeline or the table, or search or narrow the filters.")
    with st.container(border=True, key="detail_card"):  # grows with the card: nothing scrolls inside a box
        if state.selected is None:
            st.markdown(
                ":gray[No event selected. Click a marker on the map or the timeline, "
                "pick a row of the table below, or choose an event above.]"
            )
        else:
            if state.selected not in {e.id for e in events}:
                st.info("This event is outside the current filters, so it is not on the charts.")
            render_detail_card(catalog.event(state.selected), catalog, gazetteer, heading_level=5)

st.subheader("Events", anchor=False)
render_events_table(events, catalog, gazetteer)
