"""Every session key of the app, and the link (URL) sync, in one place.

Pages and components read and write ``st.session_state`` and
``st.query_params`` through this module only (``tests/test_architecture.py``
checks it). It imports nothing from ``components`` or ``views``, so any of
them may import it without a cycle.

**Session keys.** Every key a page or a component reads or writes in the
session is named here: a widget's key is its value's session key (Streamlit
keeps the value under it), and so are the values no widget holds (the
timeline's zoom, the present page's last step per tour, what the link said
last). Keys that only tell widgets apart (a button's) stay beside the widget.
Values shared between pages and components have named accessors
(:func:`selected_event`, :func:`timeline_zoom` …); a page's own form values
go through :func:`get` / :func:`put`.

**The link.** Three pages keep their view in the URL:

- *Map & timeline*: the filters (:class:`~exchanges.filters.FilterState`,
  whose round trip through query parameters is ``to_query_params`` /
  ``from_query_params``): :func:`filters_from_url` reads it,
  :func:`write_filters_to_url` writes it;
- *Present*: the tour and the step (``?tour=…&step=4``) and two display
  toggles (``?projector=off&timeline=on``): :func:`tour_link`,
  :func:`link_tour_step`, :func:`toggles_from_url`, :func:`toggle_to_url`;
- *Documents*: the document read (``?doc=…``): :func:`document_from_url`,
  :func:`write_document_to_url`.

A page reads its link only when the link changed since this session wrote it
(a pasted link, a link from another page, the first load): coming back to a
page with a bare URL keeps the session's view.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Collection, Sequence
from typing import Any

import streamlit as st

from exchanges.filters import FILTER_PARAMS, LANE_MODES, FilterState
from exchanges.timeline import LaneMode

# --------------------------------------------------------------------------- keys

# Map & timeline: the filter widgets (their values make the FilterState).
KEY_DATES = "flt_dates"
KEY_ACTORS = "flt_actors"
KEY_PLACES = "flt_places"
KEY_TYPES = "flt_types"
KEY_THEMES = "flt_themes"
KEY_QUERY = "flt_query"
KEY_SELECTED = "flt_event"
"""The selected event id: the selectbox beside the detail card; a click on the map, the
timeline or the events table sets it (the last interaction wins)."""
_KEY_CARD_SHOWS = "_card_shows"
"""The selected event as the last full run of the explore page drew it (the card is outside
the charts fragment, so a fragment rerun does not redraw it)."""
_KEY_FILTERS_URL = "_flt_last_url"
_KEY_URL_WARNINGS = "_flt_url_warnings"

# The charts and the table (their selection state, read by their click callbacks).
KEY_MAP_CHART = "map_chart"
KEY_TIMELINE_CHART = "timeline_chart"
KEY_EVENTS_TABLE = "events_table"
KEY_EXPORT_BOX = "explore_export_box"
"""The explore page's export panel: built only while open (its expander reports it)."""

# The timeline.
KEY_LANES = "timeline_lanes"
"""The timeline's lanes (``side`` or ``type``): its segmented control."""
KEY_ZOOM = "timeline_zoom"
"""The timeline's zoom window: ``(first day, last day)``, or absent for the filters' whole range."""
KEY_ZOOM_YEAR = "timeline_zoom_year"

# The map.
KEY_MAP_PLACE = "map_place"
"""The place clicked on the map (its events get a chooser under it)."""
KEY_MAP_FRAME_EVENTS = "map_frame_events"
KEY_MAP_MOVEMENTS = "map_movements"
KEY_MAP_PERIOD_NAMES = "map_period_names"
KEY_MAP_PLACE_PICK = "map_place_pick"

# Present.
PARAM_TOUR = "tour"
PARAM_STEP = "step"
PARAM_PROJECTOR = "projector"
PARAM_TIMELINE = "timeline"
TOGGLE_VALUES = {"on": True, "off": False}
"""How a display toggle reads in the link (``?projector=off&timeline=on``)."""
KEY_TOUR = "present_tour"
KEY_PROJECTOR = "present_projector"
KEY_SHOW_TIMELINE = "present_show_timeline"
_KEY_TOUR_STEPS = "present_steps"  # tour id -> last step shown, for coming back from another page
_PRESENT_TOGGLES = ((PARAM_PROJECTOR, KEY_PROJECTOR), (PARAM_TIMELINE, KEY_SHOW_TIMELINE))

# Export panels: the images each rendered, under ``<its key>__rendered``.
_RENDERED_SUFFIX = "__rendered"

# Documents.
KEY_DOCUMENT = "doc"
"""The document read (its selectbox), also its query parameter."""
_KEY_DOCUMENT_URL = "_doc_last_url"

# Build a tour: its widgets and values.
TB_STEPS = "tb_steps"
TB_ID = "tb_id"
TB_TITLE = "tb_title"
TB_DESCRIPTION = "tb_description"
TB_START = "tb_start"
TB_PICKED = "tb_picked"
TB_SOURCE_TOUR = "tb_source_tour"
TB_PREVIEW = "tb_preview"
TB_OVERWRITE = "tb_overwrite"
TB_SAVED = "tb_saved"
TB_LOADED = "tb_loaded_revision"  # the store's revision when this page loaded (the conflict rule of saves)
TB_UPLOAD = "tb_upload"

# Add a document: its widgets and values.
ADD_DOC_TEXT = "add_doc_text"
ADD_DOC_UPLOAD = "add_doc_upload"
ADD_DOC_SUBMITTED = "add_doc_submitted"
ADD_DOC_DOC_ID = "add_doc_id"
ADD_DOC_DATE = "add_doc_date"
ADD_DOC_TITLE = "add_doc_title"
ADD_DOC_EDITOR = "add_doc_editor"
ADD_DOC_REVIEW_FORM = "add_doc_review"  # the review table and its save button
ADD_DOC_ADD_FORM = "add_doc_add_event"  # the "Add an event" form beside the review table
ADD_DOC_ADDED = "add_doc_added"  # the rows added with that form (they follow the table's rows)
ADD_DOC_BASE_ROWS = "add_doc_base_rows"  # the table's starting rows, kept so edits and added rows survive reruns
ADD_DOC_LOOKUP = "add_doc_lookup"
ADD_DOC_PLACE = "add_doc_place"  # + "_<field>_<the name>" for the "add to my places" forms
ADD_DOC_PLACE_ADDED = "add_doc_place_added"
ADD_DOC_MANUAL = "add_doc_manual"  # + "_<what>_<the name>": placing a name by hand
ADD_DOC_ANALYSIS = "add_doc_analysis"  # the current document's analysis (for the click map's centre)
ADD_DOC_IMPORT = "add_doc_import_upload"
ADD_DOC_SAVED_DRAFT = "add_doc_saved_draft"
ADD_DOC_DRAFT_DATE = "add_doc_draft_date"  # the opened draft's date: the analysis's anchor if the text has none


# --------------------------------------------------------------------------- plain access


def get(key: str, default: Any = None) -> Any:
    """The session's value under ``key`` (a page's own widget or value)."""
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def put_default(key: str, value: Any) -> Any:
    """``value`` under ``key`` unless the session has one already; the value kept."""
    return st.session_state.setdefault(key, value)


def drop(*keys: str) -> Any:
    """Forget ``keys``; the value of the last one (``None`` if absent)."""
    value = None
    for key in keys:
        value = st.session_state.pop(key, None)
    return value


def has(key: str) -> bool:
    return key in st.session_state


# --------------------------------------------------------------------------- named values


def selected_event() -> str | None:
    """The selected event id (``None``: nothing selected)."""
    return st.session_state.get(KEY_SELECTED)


def select_event(event_id: str | None) -> None:
    st.session_state[KEY_SELECTED] = event_id


def remember_card_selection() -> None:
    """A full run of the explore page draws the card of the event selected now."""
    st.session_state[_KEY_CARD_SHOWS] = selected_event()


def card_selection_is_stale() -> bool:
    """Whether an event was selected (or unselected) since the card was drawn: a click in the
    charts fragment, which only a full run can show in the card."""
    return st.session_state.get(_KEY_CARD_SHOWS) != selected_event()


def lanes() -> LaneMode | None:
    """The timeline's lanes as the reader chose them, ``None`` if not chosen (or not valid)."""
    value = st.session_state.get(KEY_LANES)
    return value if value in LANE_MODES else None


def timeline_zoom() -> tuple[dt.date, dt.date] | None:
    """The timeline's zoom window, ``None`` when it shows the filters' whole range."""
    return st.session_state.get(KEY_ZOOM)


def zoom_timeline(window: tuple[dt.date, dt.date] | None) -> None:
    """Zoom the timeline to ``window`` (``None``: back to all dates)."""
    if window is None:
        st.session_state.pop(KEY_ZOOM, None)
    else:
        st.session_state[KEY_ZOOM] = window


def clear_timeline_zoom() -> None:
    """Back to all dates, the "zoom to year" chooser too."""
    drop(KEY_ZOOM, KEY_ZOOM_YEAR)


def map_place() -> str | None:
    """The place clicked on the map, if any."""
    return st.session_state.get(KEY_MAP_PLACE)


def select_map_place(place_id: str | None) -> None:
    st.session_state[KEY_MAP_PLACE] = place_id


def map_switch(key: str, default: bool) -> bool:
    """One of the map's switches (``KEY_MAP_FRAME_EVENTS`` …)."""
    return bool(st.session_state.get(key, default))


def last_step(tour_id: str) -> int | None:
    """The step of ``tour_id`` this session showed last."""
    return st.session_state.get(_KEY_TOUR_STEPS, {}).get(tour_id)


def remember_step(tour_id: str, number: int) -> None:
    st.session_state.setdefault(_KEY_TOUR_STEPS, {})[tour_id] = number


def chosen_tour() -> str | None:
    return st.session_state.get(KEY_TOUR)


def choose_tour(tour_id: str) -> None:
    if st.session_state.get(KEY_TOUR) != tour_id:
        st.session_state[KEY_TOUR] = tour_id


def rendered_exports(panel_key: str) -> OrderedDict:
    """The slide images an export panel (``panel_key``) rendered in this session, newest last."""
    return st.session_state.setdefault(f"{panel_key}{_RENDERED_SUFFIX}", OrderedDict())


def projector_mode() -> bool:
    """Whether the present page is in projector mode (the default)."""
    return bool(st.session_state.get(KEY_PROJECTOR, True))


# --------------------------------------------------------------------------- the link: filters


def _filter_params() -> dict[str, list[str]]:
    """The filter keys of the URL, every value of each (repeated keys)."""
    return {key: st.query_params.get_all(key) for key in FILTER_PARAMS if key in st.query_params}


def filters_from_url(
    *, known_actors: Collection[str] | None = None, known_places: Collection[str] | None = None,
    known_themes: Collection[str] | None = None, known_events: Collection[str] | None = None,
) -> tuple[FilterState, list[str]] | None:
    """The filters the link holds, and what in it was ignored (unknown ids, bad dates), if
    the link is news to this session; else ``None``.

    ``None`` when this session wrote the link itself, or when the link has no
    filters after the session wrote some (back from another page): the
    session's filters stand. Read by :meth:`FilterState.from_query_params`.
    """
    params = _filter_params()
    last = st.session_state.get(_KEY_FILTERS_URL)
    if last is not None and (params == last or not params):
        return None
    return FilterState.from_query_params(params, known_actors=known_actors, known_places=known_places,
                                         known_themes=known_themes, known_events=known_events)


def write_filters_to_url(state: FilterState) -> None:
    """Put ``state`` in the URL (only the filter keys; others are left alone)."""
    wanted = state.to_query_params()
    for key in FILTER_PARAMS:
        if key in wanted:
            if st.query_params.get_all(key) != wanted[key]:
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[_KEY_FILTERS_URL] = wanted


def remember_url_warnings(view: FilterState, warnings: Sequence[str]) -> None:
    """What the link read held that was ignored, kept with the view it gave."""
    st.session_state[_KEY_URL_WARNINGS] = (view, list(warnings))


def url_warnings(current: FilterState) -> list[str]:
    """The last link's ignored values, while the view it gave is unchanged."""
    stored = st.session_state.get(_KEY_URL_WARNINGS)
    if not stored:
        return []
    view, warnings = stored
    return list(warnings) if view == current else []


# --------------------------------------------------------------------------- the link: present


def tour_link() -> tuple[str | None, str | None]:
    """The link's ``(tour, step)``, each ``None`` if absent."""
    return st.query_params.get(PARAM_TOUR), st.query_params.get(PARAM_STEP)


def link_tour_step(tour_id: str, number: int) -> None:
    """Put the tour and the step in the link (the page reads them on the next run)."""
    if st.query_params.get(PARAM_TOUR) != tour_id:
        st.query_params[PARAM_TOUR] = tour_id
    if st.query_params.get(PARAM_STEP) != str(number):
        st.query_params[PARAM_STEP] = str(number)


def toggles_from_url() -> list[str]:
    """Set the present page's display toggles from the link (``on``/``off``; absent: on as
    before); notes on values that make no sense."""
    notes = []
    for param, key in _PRESENT_TOGGLES:
        raw = st.query_params.get(param)
        value = TOGGLE_VALUES.get(raw.strip().lower()) if raw is not None else None
        if value is None:
            st.session_state.setdefault(key, True)
            if raw is not None:
                notes.append(f"Ignored {param}={raw[:20]!r} in the link: expected on or off.")
        else:
            st.session_state[key] = value
    return notes


def toggle_to_url(param: str, key: str) -> None:
    """Write one display toggle (as the session holds it) to the link."""
    value = "on" if st.session_state.get(key, True) else "off"
    if st.query_params.get(param) != value:
        st.query_params[param] = value


def toggles_to_url() -> None:
    for param, key in _PRESENT_TOGGLES:
        toggle_to_url(param, key)


# --------------------------------------------------------------------------- the link: documents


def document_from_url() -> str | None:
    """The document the link names, if the link changed since this session wrote it."""
    wanted = st.query_params.get(KEY_DOCUMENT)
    if wanted is None or wanted == st.session_state.get(_KEY_DOCUMENT_URL):
        return None
    return wanted


def write_document_to_url(document_id: str) -> None:
    if st.query_params.get(KEY_DOCUMENT) != document_id:
        st.query_params[KEY_DOCUMENT] = document_id
    st.session_state[_KEY_DOCUMENT_URL] = document_id
