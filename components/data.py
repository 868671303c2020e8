"""Cached access to the gazetteer and the catalog, shared by every page.

Both are loaded once per server process (``st.cache_resource``: they are
immutable, so every session may share them). The gazetteer includes the user's
own places (``places.csv``), the catalog the user's saved documents and events
(``exchanges.userdata``), validated against that same gazetteer. Their cache
keys are the user's files with their modification times and sizes, so a saved
place or event shows up on the next rerun without recomputing anything otherwise.
"""

from __future__ import annotations

import streamlit as st

from exchanges.catalog import Catalog
from exchanges.charts.map_figure import locate_events, view_points
from exchanges.charts.style import DEFAULT_STYLE, MapView, fit_view
from exchanges.charts.timeline_figure import Era, find_eras
from exchanges.gazetteer import Gazetteer, user_places_path
from exchanges.loader import DataIssue
from exchanges.tours import Tour, load_tours, tour_files
from exchanges.userdata import FileStamp, files_stamp, load_user_catalog, user_document_files, user_event_files


def get_gazetteer() -> Gazetteer:
    """The shipped places plus the user's ``places.csv`` (its bad rows are left out
    and listed in ``Gazetteer.issues``); reloaded when that file changes."""
    return _load_gazetteer(files_stamp([user_places_path()]))


@st.cache_resource(show_spinner="Loading the gazetteer…", max_entries=4)
def _load_gazetteer(stamp: FileStamp) -> Gazetteer:
    del stamp  # only the cache key: the user's places file as it is now
    return Gazetteer.load_with_user_places()


def get_catalog() -> Catalog:
    """The shipped catalog plus the user's files (bad user records are skipped
    and listed in ``Catalog.issues``)."""
    return _load_catalog(_user_files_stamp())


def _user_files_stamp() -> FileStamp:
    """The user's files the catalog depends on: places (for validation), documents, events."""
    return files_stamp([user_places_path(), *user_document_files(), *user_event_files()])


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


def get_tours() -> tuple[dict[str, Tour], list[DataIssue]]:
    """Every valid tour and the issues of the invalid ones; read again only when
    a tour file or the catalog it is checked against changes (not on every step)."""
    return _tours(_user_files_stamp(), files_stamp(tour_files()))


@st.cache_resource(max_entries=4)
def _tours(catalog_stamp: FileStamp, tours_stamp: FileStamp) -> tuple[dict[str, Tour], list[DataIssue]]:
    del tours_stamp  # only the cache key: the tour files as they are now
    return load_tours(_load_catalog(catalog_stamp), get_gazetteer())
