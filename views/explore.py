"""Map & timeline: filter the events, see them on both, select one to read it.

Filters live in the sidebar and in the URL (a link reopens the same view).
Selecting an event on the map, the timeline, the table or the selectbox
highlights it everywhere and opens its card with the source's own words.

The date slider, the charts, the export panel and the events table are one
fragment (``_charts``), written into slots the page lays out: moving the dates,
zooming the timeline or picking a place on the map reruns only it, so the
browser redraws those and not the other filters, the switches, the chooser and
the card (Streamlit redraws every element a run writes; see docs/MAP.md). The
other widgets and a selection rerun the whole page: a click on a chart selects
in the fragment, which then asks for a full run so the card shows it.

Runs inside the app's navigation or alone (``streamlit run views/explore.py``).
"""

from __future__ import annotations

import streamlit as st

from components.data import get_catalog, get_eras, get_gazetteer, get_map_view
from components.detail_card import render_detail_card
from components.events_table import render_events_table
from components.export_panel import ExportView, render_export_panel
from components.filters_sidebar import filter_options, render_dates, render_filters, sync_from_url, widget_state
from components.map_view import map_frame, render_map, render_map_options
from components.page_style import compact_page
from components.selection import CHOOSER_LIMIT, event_option_labels
from components.state import (
    KEY_EXPORT_BOX,
    KEY_SELECTED,
    card_selection_is_stale,
    remember_card_selection,
    select_event,
    selected_event,
    url_warnings,
    write_filters_to_url,
)
from components.timeline_view import GLYPH_KEY, lane_choice, render_timeline
from exchanges.catalog import Catalog
from exchanges.filters import LANE_MODES, FilterState
from exchanges.markdown import escape_markdown

#: The chooser's label for "no event": its first option, and what it shows while none is selected
#: (Streamlit shows a placeholder, not the option's label, when the value is None).
NO_EVENT = "— choose an event —"


def _event_option_label(event_id: str | None, labels: dict[str, str]) -> str:
    return NO_EVENT if event_id is None else labels[event_id]


def _export_stem(state: FilterState) -> str:
    """File names of the exports: ``explore``, with the date range when one is set."""
    dates = [day.isoformat() for day in (state.date_from, state.date_to) if day is not None]
    return "_".join(["explore", *dates])


def _selectable(catalog: Catalog) -> tuple[list[str | None], bool]:
    """Options of the event selectbox: every event (if at most ``CHOOSER_LIMIT``), and the
    selected one; and whether the events are listed. Not the filtered events: the chooser is
    outside the charts fragment, so a date change does not redraw it."""
    events = catalog.events
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
dates_slot = render_filters(catalog, gazetteer, options, get_eras())
event_options, events_listed = _selectable(catalog)  # may clear a selection that no longer exists
option_labels = event_option_labels(catalog)
remember_card_selection()

compact_page()
st.title("Map & timeline")
if catalog.issues:
    with st.expander(f"{len(catalog.issues)} problems in your own files (those records are left out)"):
        st.markdown("\n".join(f"- {escape_markdown(str(issue))}" for issue in catalog.issues))
# The page's frame, drawn by a full run. The empty containers are slots the
# charts fragment fills; the switches between them are outside it (switching
# one reruns the page, which is rare), so a date change does not redraw them.
charts_column, card_column = st.columns([5, 2], gap="medium")
with charts_column:
    summary_slot = st.container()
    render_map_options(gazetteer)
    map_slot = st.container()
    with st.container(horizontal=True, vertical_alignment="center", key="timeline_header"):
        st.subheader("Timeline", anchor=False)
        lane_choice()
    timeline_slot = st.container()
    st.caption(GLYPH_KEY)
    export_slot = st.container()
table_slot = st.container(key="events_table_box")
table_slot.subheader("Events", anchor=False)


@st.fragment
def _charts() -> None:
    """The date slider (in the sidebar's slot), the summary, the map, the timeline, the
    export panel and the events table, for the filters as they are now."""
    if card_selection_is_stale():
        st.rerun()  # a click here selected an event: the whole page shows it
    with dates_slot:
        render_dates(options)
    state = widget_state(options)
    events = state.apply(catalog.events)
    write_filters_to_url(state)
    with summary_slot:
        summary = f"**{len(events)}** of {len(catalog.events)} events"
        summary += "" if state.is_default else " match the filters"
        summary += ". Click an event on the map or the timeline to read it."
        if state.selected is not None and state.selected not in {e.id for e in events}:
            summary += " The selected event is outside the filters, so it is not on the charts."
        st.markdown(summary)
        for warning in url_warnings(state):
            st.warning(escape_markdown(warning), icon=":material/link_off:")
    map_view = map_frame(events, get_map_view())  # the filtered events, unless the reader keeps the whole region
    file_stem = _export_stem(state)
    with map_slot:
        render_map(events, catalog, gazetteer, selected=state.selected, view=map_view, image_name=f"{file_stem}_map")
    lanes = state.lanes or LANE_MODES[0]  # the state leaves the default lanes out
    with timeline_slot:
        render_timeline(events, catalog, selected=state.selected, lanes=lanes, image_name=f"{file_stem}_timeline")
    # The same filter state, selection, map framing and timeline lanes as the
    # charts above, so what is downloaded is what is on screen. The panel is
    # built only while it is open (``on_change`` makes the expander report
    # it): a filter change need not redraw the downloads.
    with export_slot, st.expander("Export: slide images and data", icon=":material/download:", key=KEY_EXPORT_BOX,
                                  on_change="rerun") as export_box:
        if export_box.open:
            render_export_panel(
                ExportView.from_filters(state, catalog, gazetteer, view=map_view, lanes=lanes),
                catalog,
                gazetteer,
                key="explore_export",
                file_stem=file_stem,
            )
    with table_slot:
        render_events_table(events, catalog, gazetteer)


_charts()
with card_column:
    st.selectbox(
        "Selected event",
        options=event_options,
        format_func=lambda event_id: _event_option_label(event_id, option_labels),
        key=KEY_SELECTED,
        placeholder=NO_EVENT,
        help="Or click an event on the map, the timeline or the table below.",
        persist_state="session",
    )
    if not events_listed:
        st.caption(f"{len(catalog.events):,} events: too many to list here (at most {CHOOSER_LIMIT:,}). "
                   "Click one on the map, the timeline or the table, or search.")
    with st.container(border=True, key="detail_card"):  # grows with the card: nothing scrolls inside a box
        selected = selected_event()
        if selected is None:
            st.markdown(
                ":gray[No event selected. Click a marker on the map or the timeline, "
                "pick a row of the table below, or choose an event above.]"
            )
        else:
            render_detail_card(catalog.event(selected), catalog, gazetteer, heading_level=5)
