"""The filtered events as a table; choosing a row selects the event.

The table's own toolbar offers "Download as CSV" of what it shows, so what it
shows goes through the same formula guard as every CSV the app offers
(``exchanges.export.data.neutralise_frame``): a cell a spreadsheet would run as
a formula is shown, and downloaded, with a leading ``'``.

What goes to the browser is kept small, since it is sent again on every filter
change (at 3,000 events it was most of the page's bytes): the ids stay on the
server (they map a chosen row back to its event), and the columns whose text
repeats (type, senders, recipients, places, document) go as categories, so each
distinct text is sent once (Arrow dictionary encoding); the cells read the same.
The table of a list of events is made once and kept for the last few lists,
for every session (``components.memo``): a filter changed back and forth, or a
class on the same view, does not make it again.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.memo import DataMemo
from components.selection import table_selection_callback
from components.state import KEY_EVENTS_TABLE
from exchanges.catalog import Catalog
from exchanges.export.data import neutralise_frame
from exchanges.gazetteer import Gazetteer
from exchanges.models import Event
from exchanges.text_metrics import text_width
from exchanges.wording import actor_names, date_label, event_type_label, short_date

#: The table's font size (px; Streamlit's data grid draws 14 px sans-serif), and a cell's
#: padding and sort icon.
TABLE_FONT_PX = 14
DATE_CELL_PADDING_PX = 28
#: Columns whose few distinct texts repeat from row to row: sent as categories.
REPEATED_COLUMNS = ("Type", "From", "To", "Places", "Document")
_TABLES: DataMemo[tuple[list[str], pd.DataFrame, int]] = DataMemo(size=8)


def events_frame(events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer) -> pd.DataFrame:
    """One row per event, in the given order, as plain text, formula-safe (see the module)."""

    def places(event: Event) -> str:
        names = []
        for place_id in event.places:
            place = gazetteer.get(place_id)
            names.append(place.name if place is not None else f"{place_id} (unknown)")
        return ", ".join(names)

    return neutralise_frame(pd.DataFrame(
        {
            "Date": [short_date(e) for e in events],
            "Event": [e.title for e in events],
            "Type": [event_type_label(e.event_type) for e in events],
            "From": [actor_names(e.sender, catalog) for e in events],
            "To": [actor_names(e.recipient, catalog) for e in events],
            "Places": [places(e) for e in events],
            "Document": [
                catalog.documents[e.source.document].title if e.source.document in catalog.documents else ""
                for e in events
            ],
            "Dated in the source": [date_label(e) for e in events],
        },
        index=pd.Index([e.id for e in events], name="id"),
    ))


def date_column_width(dates: Sequence[str]) -> int:
    """Pixels the Date column needs for its widest date ("by 7 Jan 1952") to show in full,
    measured with the font's own metrics (``exchanges.text_metrics``). The distinct dates are
    few (days repeat), so this is not a measurement per row."""
    widest = max((text_width(text, TABLE_FONT_PX) for text in {*dates, "Date"}), default=0.0)
    return round(widest + DATE_CELL_PADDING_PX)


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """What the browser gets of :func:`events_frame`: no index, repeated texts as categories."""
    shown = frame.reset_index(drop=True)
    for column in REPEATED_COLUMNS:
        shown[column] = shown[column].astype("category")
    return shown


def _table(events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer) -> tuple[list[str], pd.DataFrame, int]:
    """(row ids, displayed frame, Date column width) of ``events``, made once per list of events and data."""

    def build() -> tuple[list[str], pd.DataFrame, int]:
        frame = events_frame(events, catalog, gazetteer)
        return list(frame.index), display_frame(frame), date_column_width(list(frame["Date"]))

    return _TABLES.get(tuple(event.id for event in events), (catalog, gazetteer), build)


def render_events_table(events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer) -> None:
    row_ids, frame, date_width = _table(events, catalog, gazetteer)
    st.dataframe(
        frame,
        key=KEY_EVENTS_TABLE,
        hide_index=True,
        on_select=table_selection_callback(KEY_EVENTS_TABLE, row_ids),
        selection_mode="single-row",
        column_order=["Date", "Event", "Type", "From", "To", "Places", "Document", "Dated in the source"],
        column_config={
            "Date": st.column_config.TextColumn(width=date_width),
            "Event": st.column_config.TextColumn(width="large"),
            "Type": st.column_config.TextColumn(width="small"),
        },
        width="stretch",
    )
