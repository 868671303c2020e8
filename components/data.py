"""Cached access to the gazetteer and the catalog, shared by every page.

Both are loaded once per server process (``st.cache_resource``: they are
immutable, so every session may share them). The catalog includes the user's
saved documents and events (``exchanges.userdata``); its cache key is the list
of those files with their modification times, so a saved event shows up on the
next rerun without recomputing anything otherwise.
"""

from __future__ import annotations

import streamlit as st

from exchanges.catalog import Catalog
from exchanges.charts.map_figure import locate_events, view_points
from exchanges.charts.style import DEFAULT_STYLE, MapView, fit_view
from exchanges.charts.timeline_figure import Era, find_eras
from exchanges.gazetteer import Gazetteer
from exchanges.userdata import load_user_catalog, user_document_files, user_event_files

FileStamp = tuple[tuple[str, int, int], ...]


@st.cache_resource(show_spinner="Loading the gazetteer…")
def get_gazetteer() -> Gazetteer:
    return Gazetteer.load()


def get_catalog() -> Catalog:
    """The shipped catalog plus the user's files (bad user records are skipped
    and listed in ``Catalog.issues``)."""
    return _load_catalog(_user_files_stamp())


def _user_files_stamp() -> FileStamp:
    stamps = []
    for path in [*user_document_files(), *user_event_files()]:
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


@st.cache_resource(show_spinner="Loading the documents and events…", max_entries=4)
def _load_catalog(stamp: FileStamp) -> Catalog:
    del stamp  # only the cache key: the user's files as they are now
    return load_user_catalog(gazetteer=get_gazetteer())


def get_map_view() -> MapView:
    """A map view framing every place of every event, so filtering never moves the map."""
    return _map_view(_user_files_stamp())


@st.cache_resource(max_entries=4)
def _map_view(stamp: FileStamp) -> MapView:
    gazetteer = get_gazetteer()
    locations = locate_events(_load_catalog(stamp).events, gazetteer)
    return fit_view(view_points(locations.markers, gazetteer), padding=0.05, aspect=DEFAULT_STYLE.map_aspect)


def get_eras() -> list[Era]:
    """The eras (clusters in time) of the whole catalog, for the era buttons."""
    return _eras(_user_files_stamp())


@st.cache_resource(max_entries=4)
def _eras(stamp: FileStamp) -> list[Era]:
    return find_eras(_load_catalog(stamp).events)
