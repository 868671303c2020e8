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
from collections.abc import Sequence

import plotly.graph_objects as go
import streamlit as st

from exchanges.catalog import Catalog
from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.charts.timeline_figure import Era, build_timeline_figure, find_eras
from exchanges.gazetteer import Gazetteer
from exchanges.loader import DataIssue
from exchanges.mapping import MapView, frame_locations, locate_events
from exchanges.store import database_url
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


def get_map_figure(
    event_ids: Sequence[str], *, view: MapView, highlight: str | None = None, selected_place: str | None = None,
    movements: bool = True, names_year: int | None = None, projector: bool = False,
) -> go.Figure:
    """The map of these events, built once per filter state and selection (``st.cache_data``)."""
    ids = tuple(event_ids)
    return _map_figure(_user_files_stamp(), events_digest(ids), view.lon_range, view.lat_range, highlight,
                       selected_place, movements, names_year, projector, ids)


@st.cache_data(max_entries=64, show_spinner=False)
def _map_figure(
    stamp: UserStamp, digest: str, lon_range: tuple[float, float], lat_range: tuple[float, float],
    highlight: str | None, selected_place: str | None, movements: bool, names_year: int | None,
    projector: bool, _event_ids: tuple[str, ...],
) -> go.Figure:
    del stamp, digest  # the cache key: the user's data, and ``_event_ids``
    catalog = get_catalog()
    return build_map_figure(
        [catalog.event(i) for i in _event_ids], catalog, get_gazetteer(), highlight=highlight,
        selected_place=selected_place, view=MapView(lon_range, lat_range), missing_note=False,
        movements=movements, names_year=names_year, style=PROJECTOR_STYLE if projector else DEFAULT_STYLE,
    )


def get_timeline_figure(
    event_ids: Sequence[str], *, highlight: str | None = None, lanes: str = "side",
    window: tuple[dt.date, dt.date] | None = None, show_legend: bool = False,
) -> go.Figure:
    """The explore page's timeline of these events (default style, nothing muted), built once per
    filter state, selection, lanes and zoom (``st.cache_data``), like the map."""
    ids = tuple(event_ids)
    return _timeline_figure(_user_files_stamp(), events_digest(ids), highlight, lanes, window, show_legend, ids)


@st.cache_data(max_entries=64, show_spinner=False)
def _timeline_figure(
    stamp: UserStamp, digest: str, highlight: str | None, lanes: str, window: tuple[dt.date, dt.date] | None,
    show_legend: bool, _event_ids: tuple[str, ...],
) -> go.Figure:
    del stamp, digest  # the cache key: the user's data, and ``_event_ids``
    catalog = get_catalog()
    return build_timeline_figure([catalog.event(i) for i in _event_ids], catalog, highlight=highlight,
                                 lanes=lanes, window=window, show_legend=show_legend)


def get_eras() -> list[Era]:
    """The eras (clusters in time) of the whole catalog, for the era buttons."""
    return _eras(_user_files_stamp())


@st.cache_resource(max_entries=4)
def _eras(stamp: UserStamp) -> list[Era]:
    return find_eras(_load_catalog(stamp).events)


def get_tours() -> tuple[dict[str, Tour], list[DataIssue]]:
    """Every valid tour and the issues of the invalid ones; read again only when a shipped
    tour file or the user's store (its tours, and the catalog they are checked against)
    changes (not on every step)."""
    return _tours(_user_files_stamp(), files_stamp(tour_files()))


@st.cache_resource(max_entries=4)
def _tours(catalog_stamp: UserStamp, tours_stamp: FileStamp) -> tuple[dict[str, Tour], list[DataIssue]]:
    del tours_stamp  # only the cache key: the tour files as they are now
    return load_tours(_load_catalog(catalog_stamp), get_gazetteer())
