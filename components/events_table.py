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
CELL_PADDING_PX = 28
#: The widest a measured column starts (px): a longer text is cut with "…" (the reader can
#: widen the column, and the card shows it whole).
MAX_COLUMN_PX = 280
#: The columns, in order. "Event" is wide ("large"); every other one is measured here.
COLUMNS = ("Date", "Event", "Type", "From", "To", "Places", "Document", "Dated in the source")
#: Columns whose few distinct texts repeat from row to row: sent as categories.
REPEATED_COLUMNS = ("Type", "From", "To", "Places", "Document")
_TABLES: DataMemo[tuple[list[str], pd.DataFrame, dict[str, int]]] = DataMemo(size=8)


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


def column_width(heading: str, texts: Sequence[str], most: float = float("inf")) -> int:
    """Pixels a column needs for its widest text (or heading) to show in full, at most
    ``most``, measured with the font's own metrics (``exchanges.text_metrics``) once per
    distinct text (dates, names and documents repeat from row to row).

    Every column but "Event" gets its width from here: a column without one is sized by
    the browser, which measured its cells on every redraw (about a fifth of the explore
    page's browser time per date change; docs/MAP.md)."""
    widest = 0.0
    for text in sorted({*texts, heading}, key=len, reverse=True):  # longest first: the cap comes soon
        widest = max(widest, text_width(text, TABLE_FONT_PX))
        if widest + CELL_PADDING_PX >= most:
            break
    return round(min(widest + CELL_PADDING_PX, most))


def column_widths(frame: pd.DataFrame) -> dict[str, int]:
    """The measured widths of :func:`events_frame`'s columns: the Date in full (it is short),
    the others up to ``MAX_COLUMN_PX``."""
    widths = {"Date": column_width("Date", list(frame["Date"]))}
    for column in COLUMNS[2:]:
        widths[column] = column_width(column, list(frame[column]), MAX_COLUMN_PX)
    return widths


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """What the browser gets of :func:`events_frame`: no index, repeated texts as categories."""
    shown = frame.reset_index(drop=True)
    for column in REPEATED_COLUMNS:
        shown[column] = shown[column].astype("category")
    return shown


def _table(
    events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer
) -> tuple[list[str], pd.DataFrame, dict[str, int]]:
    """(row ids, displayed frame, column widths) of ``events``, made once per list of events and data."""

    def build() -> tuple[list[str], pd.DataFrame, dict[str, int]]:
        frame = events_frame(events, catalog, gazetteer)
        return list(frame.index), display_frame(frame), column_widths(frame)

    return _TABLES.get(tuple(event.id for event in events), (catalog, gazetteer), build)


def render_events_table(events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer) -> None:
    row_ids, frame, widths = _table(events, catalog, gazetteer)
    st.dataframe(
        frame,
        key=KEY_EVENTS_TABLE,
        hide_index=True,
        on_select=table_selection_callback(KEY_EVENTS_TABLE, row_ids),
        selection_mode="single-row",
        column_order=list(COLUMNS),
        column_config={
            "Event": st.column_config.TextColumn(width="large"),
            **{column: st.column_config.TextColumn(width=width) for column, width in widths.items()},
        },
        width="stretch",
    )
