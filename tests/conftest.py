"""Fixtures shared by the test modules.

Keep this file to fixtures more than one area can use; an area's own helpers
belong in its test module (or a ``tests/<area>_data.py`` helper module).

Dashboard fixtures:

* ``shipped_gazetteer`` / ``shipped_catalog``: the real data, loaded once.
* ``mini_gazetteer`` / ``mini_catalog``: a small hand-built world (two eras,
  a span, imprecise dates, an event without a place, one with a place the
  gazetteer lacks), so chart and filter tests do not depend on the wording
  of the shipped data.
* ``user_data``: an empty user-data folder (``EXCHANGES_USER_DATA``), so
  nothing the developer saved leaks into a test.

Browser fixtures (``tests/browser_support.py``):

* ``app_url``: ``app.py`` served for a test module (one server per module),
  on an empty user-data folder of its own, ``app_user_data`` (to read back
  what the app saved); skipped where there is no Chromium.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import browser_support as browser
import pytest

from exchanges.catalog import Catalog
from exchanges.export.engine import ExportEngine, export_status
from exchanges.gazetteer import Gazetteer, Place
from exchanges.geocoder import NOMINATIM_BREAKER
from exchanges.models import Actor, Citation, Document, Event, Figure


@pytest.fixture(scope="session")
def shipped_gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="session")
def shipped_catalog(shipped_gazetteer: Gazetteer) -> Catalog:
    from exchanges.loader import load_catalog

    return load_catalog(gazetteer=shipped_gazetteer)


@pytest.fixture(scope="module")
def engine() -> Iterator[ExportEngine]:
    """One Kaleido export engine (system Chromium) for a test module; skips without Chromium."""
    if not export_status()[0]:
        pytest.skip("no Chromium to render with")
    with ExportEngine() as running:
        yield running


@pytest.fixture
def user_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user_data"
    folder.mkdir()
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(folder))
    return folder


@pytest.fixture(scope="module")
def app_user_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The user-data folder of the module's app server (``app_url``): empty at first."""
    return tmp_path_factory.mktemp("user_data")


@pytest.fixture(scope="module")
def app_url(app_user_data: Path) -> Iterator[str]:
    """The base URL of ``app.py`` served for the module's browser tests, on ``app_user_data``."""
    if not browser.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    with browser.serve_app(env={"EXCHANGES_USER_DATA": str(app_user_data)}) as url:
        yield url


@pytest.fixture
def curated_gazetteer_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave the generated regional gazetteer (geodata/regional.tsv) out of every
    ``Gazetteer.load()``: for tests about names the gazetteer lacks, which the regional
    gazetteer knows (Kashgar, Lanzhou, Kazakh SSR)."""
    monkeypatch.setattr("exchanges.gazetteer.REGIONAL_PATH", tmp_path / "no-regional.tsv")


# --------------------------------------------------------------------------- a small world

MINI_TEXT = {
    "doc-a": "On 3 March 1950 the Ministry wrote to the Embassy in Harbin about 40 families. "
    "In April 1950 the Embassy answered.",
    "doc-b": "Talks were held in Urumqi on 2 May 1960. From June to August 1960 some 5,000 people "
    "crossed the border. Nothing is said about where the report was written.",
}


def _box(lon0: float, lat0: float, lon1: float, lat1: float) -> dict:
    ring = [[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture(scope="session")
def mini_gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("mini_geodata")
    geometries = {
        "north.geojson": _box(60, 42, 140, 60),
        "south.geojson": _box(75, 20, 135, 44),
        "east-region.geojson": _box(120, 40, 132, 50),
        "frontier.geojson": {
            "type": "LineString",
            "coordinates": [[75, 42], [80, 43], [85, 44], [90, 44], [100, 43], [110, 43], [120, 44], [132, 44]],
        },
    }
    for name, geometry in geometries.items():
        (folder / name).write_text(json.dumps(geometry), encoding="utf-8")
    source = "test fixture"
    places = [
        Place(id="harbin", name="Harbin", kind="city", lat=45.75, lon=126.65, country="PRC", source=source),
        Place(id="urumqi", name="Urumqi", kind="city", lat=43.8, lon=87.6, country="PRC", source=source,
              alt_names=["Ürümqi", "Tihwa"]),
        Place(id="moscow", name="Moscow", kind="city", lat=55.75, lon=37.62, country="USSR", source=source),
        Place(id="east-region", name="East Region", kind="region", lat=45.0, lon=126.0, country="PRC",
              source=source, geometry="east-region.geojson"),
        Place(id="frontier", name="The Frontier", kind="border", lat=44.0, lon=100.0, country="PRC/USSR",
              source=source, geometry="frontier.geojson"),
        Place(id="north", name="Northland", kind="country", lat=55.0, lon=90.0, country="USSR", source=source,
              geometry="north.geojson", alt_names=["NL"]),
        Place(id="south", name="Southland", kind="country", lat=35.0, lon=105.0, country="PRC", source=source,
              geometry="south.geojson", alt_names=["SL"]),
    ]
    return Gazetteer(places, geometry_dir=folder)


def _event(event_id: str, day: dt.date, document: str, passage: str, **fields) -> Event:
    fields.setdefault("date_precision", "day")
    fields.setdefault("event_type", "letter")
    fields.setdefault("title", event_id.replace("-", " ").capitalize())
    fields.setdefault("summary", f"Summary of {event_id}.")
    return Event(id=event_id, date=day, source=Citation(document=document, passage=passage), **fields)


@pytest.fixture(scope="session")
def mini_events() -> tuple[Event, ...]:
    return (
        _event("ministry-letter", dt.date(1950, 3, 3), "doc-a", "the Ministry wrote to the Embassy",
               sender=["ministry"], recipient=["embassy"], places=["harbin", "moscow"],
               figures=[Figure(low=40, what="families", quote="40 families")], themes=["repatriation"],
               is_document=True),
        _event("embassy-answer", dt.date(1950, 4, 1), "doc-a", "In April 1950 the Embassy answered",
               date_precision="month", event_type="reply", sender=["embassy"], recipient=["ministry"],
               places=["east-region"], themes=["diplomacy"]),
        _event("urumqi-talks", dt.date(1960, 5, 2), "doc-b", "Talks were held in Urumqi",
               event_type="talk", sender=["embassy"], recipient=["local-officials"], places=["urumqi"],
               themes=["diplomacy"]),
        _event("crossings", dt.date(1960, 6, 1), "doc-b", "some 5,000 people crossed the border",
               end_date=dt.date(1960, 8, 31), date_precision="month", event_type="border_crossing",
               people=["residents"], places=["frontier"],
               figures=[Figure(low=5000, approximate=True, what="people", quote="some 5,000 people")],
               themes=["border"]),
        _event("unplaced-report", dt.date(1960, 8, 15), "doc-b", "Nothing is said about where",
               event_type="report", sender=["ministry"]),
        _event("lost-place", dt.date(1960, 7, 1), "doc-b", "crossed the border", event_type="other",
               places=["atlantis"], summary="An event naming a place the gazetteer lacks."),
    )


@pytest.fixture(scope="session")
def mini_catalog(mini_events: tuple[Event, ...]) -> Catalog:
    actors = [
        Actor(id="ministry", name="The Ministry", kind="office", country="USSR"),
        Actor(id="embassy", name="The Embassy", kind="office", country="USSR"),
        Actor(id="local-officials", name="Local officials", kind="group", country="PRC"),
        Actor(id="residents", name="Border residents", kind="group", country="PRC"),
    ]
    documents = [
        Document(id="doc-a", title="Letter of the Ministry", date=dt.date(1950, 3, 3), file="a.txt",
                 archive_source="Archive A, file 1", record_id="A-1"),
        Document(id="doc-b", title="Report on the frontier", date=dt.date(1960, 9, 1), file="b.txt",
                 archive_source="Archive B", record_id="B-2"),
    ]
    return Catalog(
        documents={d.id: d for d in documents},
        actors={a.id: a for a in actors},
        events=mini_events,
        texts=dict(MINI_TEXT),
    )


@pytest.fixture(autouse=True)
def _main_module_kept() -> Iterator[None]:
    """Streamlit's script runner (``AppTest``) installs the page it runs as ``__main__`` and leaves it
    there; a test that then starts a "spawn" process would have the child re-import that page (for
    ``AppTest.from_function``, a temporary file already gone). Every test ends with pytest's own
    ``__main__`` back in place."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


@pytest.fixture(autouse=True)
def _live_geocoding_not_paused() -> None:
    """The pause after a live geocoding failure is kept per process (the app's clicks share it);
    every test starts with it closed, so one test's failure never pauses another's look-ups."""
    NOMINATIM_BREAKER.open_until = None
    NOMINATIM_BREAKER.last_failure = None
