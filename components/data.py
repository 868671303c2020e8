"""Cached access to the gazetteer and the catalog, shared by every page.

Both are loaded once per server process (``st.cache_resource``: they are
immutable, so every session may share them). The gazetteer includes the user's
own places, the catalog the user's saved documents and events, both from the
user's store (``exchanges.store``; the catalog validated against that same
gazetteer). Their cache key is the store's revision, which every save raises
(one small query per rerun): a place or event saved in any session, or in
another app process on the same database, shows up on the next rerun without
recomputing anything otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import replace

import plotly.graph_objects as go
import streamlit as st

from components.memo import DataMemo
from exchanges.catalog import Catalog
from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.charts.timeline_figure import build_timeline_figure
from exchanges.gazetteer import Gazetteer
from exchanges.issues import Issue
from exchanges.mapping import MapView, frame_locations, locate_events
from exchanges.store import database_url
from exchanges.timeline import Era, find_eras
from exchanges.tours import Tour, load_tours, tour_files
from exchanges.userdata import FileStamp, files_stamp, load_user_catalog, store_revision


def get_gazetteer() -> Gazetteer:
    """The shipped places plus the user's (bad rows are left out and listed in
    ``Gazetteer.issues``); reloaded when the store's revision changes."""
    return _load_gazetteer(_user_files_stamp())


@st.cache_resource(show_spinner="Loading the gazetteer…", max_entries=4)
def _load_gazetteer(stamp: UserStamp) -> Gazetteer:
    del stamp  # only the cache key: the user's store as it is now
    return Gazetteer.load_with_user_places()


def get_catalog() -> Catalog:
    """The shipped catalog plus the user's files (bad user records are skipped
    and listed in ``Catalog.issues``)."""
    return _load_catalog(_user_files_stamp())


UserStamp = tuple[str, int]


def _user_files_stamp() -> UserStamp:
    """The user's data the catalog depends on (places, documents, events): the store and its revision."""
    return database_url(), store_revision()


@st.cache_resource(show_spinner="Loading the documents and events…", max_entries=4)
def _load_catalog(stamp: UserStamp) -> Catalog:
    return load_user_catalog(gazetteer=_load_gazetteer(stamp))  # the stamp: the store as it is now


def get_map_view() -> MapView:
    """A map view framing every place of every event, so filtering never moves the map."""
    return _map_view(_user_files_stamp())


@st.cache_resource(max_entries=4)
def _map_view(stamp: UserStamp) -> MapView:
    gazetteer = get_gazetteer()
    locations = locate_events(_load_catalog(stamp).events, gazetteer)
    return frame_locations(locations, gazetteer, padding=0.05, aspect=DEFAULT_STYLE.map_aspect)


def events_digest(event_ids: Sequence[str]) -> str:
    """A short key for a list of events (the filter's result), for the figure caches."""
    return hashlib.blake2b("\n".join(event_ids).encode(), digest_size=16).hexdigest()


def get_events_frame(event_ids: Sequence[str]) -> MapView:
    """The view framing these events' places (cached per filter result)."""
    ids = tuple(event_ids)
    return _events_frame(_user_files_stamp(), events_digest(ids), ids)


@st.cache_data(max_entries=64, show_spinner=False)
def _events_frame(stamp: UserStamp, digest: str, _event_ids: tuple[str, ...]) -> MapView:
    del stamp, digest  # the cache key: the user's data, and ``_event_ids`` (not hashed: 30,000 ids)
    catalog, gazetteer = get_catalog(), get_gazetteer()
    locations = locate_events([catalog.event(i) for i in _event_ids], gazetteer)
    return frame_locations(locations, gazetteer, aspect=DEFAULT_STYLE.map_aspect)


#: The last figures built, per filter state, selection and page (``components.memo``): shared by
#: every session and handed out as they are, not copied (``st.cache_data`` would unpickle a figure
#: on every rerun, and plotly validates all of it again). Nobody changes a figure once built.
_MAP_FIGURES: DataMemo[go.Figure] = DataMemo(size=32)
_TIMELINE_FIGURES: DataMemo[go.Figure] = DataMemo(size=32)


def get_map_figure(
    event_ids: Sequence[str], *, view: MapView | None, highlight: str | None = None,
    selected_place: str | None = None, movements: bool = True, names_year: int | None = None,
    projector: bool = False, muted: Collection[str] = (), notice: str | None = None, size_note: bool = True,
    aspect: float | None = None, legend_strip: float | None = None, legend: bool = True,
) -> go.Figure:
    """The map of these events, built once per filter state and selection (``components.memo``):
    the explore page's, and a step of a tour on the Present page (``muted`` the earlier steps'
    events, ``notice`` what the map must say, no ``size_note`` when the page says it, ``aspect``
    the map's width / height when not the style's, ``legend_strip`` the legend's strip under the map,
    ``legend=False`` when the page draws the legend itself).
    ``view`` ``None``: framed on the events' places."""
    ids = tuple(event_ids)
    ranges = (view.lon_range, view.lat_range) if view is not None else None
    muted = tuple(sorted(muted))
    catalog, gazetteer = get_catalog(), get_gazetteer()
    style = PROJECTOR_STYLE if projector else DEFAULT_STYLE
    key = (ids, ranges, highlight, selected_place, movements, names_year, projector, muted, notice, size_note, aspect,
           legend_strip, legend)
    return _MAP_FIGURES.get(key, (catalog, gazetteer), lambda: build_map_figure(
        [catalog.event(i) for i in ids], catalog, gazetteer, highlight=highlight,
        selected_place=selected_place, view=MapView(*ranges) if ranges else None, missing_note=False,
        movements=movements, names_year=names_year, style=replace(style, map_aspect=aspect) if aspect else style,
        muted=muted, notice=notice, size_note=size_note, legend_strip=legend_strip, legend=legend,
    ))


def get_timeline_figure(
    event_ids: Sequence[str], *, highlight: str | None = None, lanes: str = "side",
    window: tuple[dt.date, dt.date] | None = None, show_legend: bool = False,
    muted: Collection[str] = (), projector: bool = False,
) -> go.Figure:
    """The timeline of these events, built once per filter state, selection, lanes and zoom
    (``components.memo``), like the map; on the Present page, per step (``muted``: the earlier
    steps' events; ``projector``: the projector's style)."""
    ids = tuple(event_ids)
    muted = tuple(sorted(muted))
    catalog = get_catalog()
    return _TIMELINE_FIGURES.get(
        (ids, highlight, lanes, window, show_legend, muted, projector), (catalog,),
        lambda: build_timeline_figure([catalog.event(i) for i in ids], catalog, highlight=highlight, lanes=lanes,
                                      window=window, show_legend=show_legend, muted=muted,
                                      style=PROJECTOR_STYLE if projector else DEFAULT_STYLE))


def get_eras() -> list[Era]:
    """The eras (clusters in time) of the whole catalog, for the era buttons."""
    return _eras(_user_files_stamp())


@st.cache_resource(max_entries=4)
def _eras(stamp: UserStamp) -> list[Era]:
    return find_eras(_load_catalog(stamp).events)


def get_tours() -> tuple[dict[str, Tour], list[Issue]]:
    """Every valid tour and the issues of the invalid ones; read again only when a shipped
    tour file or the user's store (its tours, and the catalog they are checked against)
    changes (not on every step)."""
    return _tours(_user_files_stamp(), files_stamp(tour_files()))


@st.cache_resource(max_entries=4)
def _tours(catalog_stamp: UserStamp, tours_stamp: FileStamp) -> tuple[dict[str, Tour], list[Issue]]:
    del tours_stamp  # only the cache key: the tour files as they are now
    return load_tours(_load_catalog(catalog_stamp), get_gazetteer())
