"""A small, hand-built catalog for the classroom tests (tours, export, CLI).

Built directly from the data model, so the tests do not depend on the wording
of the shipped events. Place ids are real gazetteer ids, so the real gazetteer
can draw them.

Fixtures for the test modules that use it (import them by name):
``catalog`` (this small catalog) and ``gazetteer`` (the shipped one).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from exchanges.catalog import Catalog
from exchanges.models import Actor, Citation, Document, Event, Figure

DOCUMENTS = {
    "letter-1952": Document(
        id="letter-1952",
        title="Letter from A to B about repatriation",
        date=dt.date(1952, 1, 7),
        file="letter.txt",
        author=["gromyko"],
        recipient=["stalin"],
    ),
    "statement-1962": Document(
        id="statement-1962",
        title="Statement of the Soviet Government on the border",
        date=dt.date(1962, 8, 10),
        file="statement.txt",
        author=["soviet-government"],
        recipient=["prc-government"],
        archive_source="PRC FMA 118-01767-01, 7-11",
        record_id="118207",
        collection="Wilson Center Digital Archive",
    ),
}

ACTORS = {
    "gromyko": Actor(id="gromyko", name="A.A. Gromyko", kind="person", country="USSR"),
    "stalin": Actor(id="stalin", name="I.V. Stalin", kind="person", country="USSR"),
    "soviet-government": Actor(
        id="soviet-government", name="Soviet Government", kind="government", country="USSR"
    ),
    "prc-government": Actor(
        id="prc-government", name="Government of the PRC", kind="government", country="PRC"
    ),
}


def _event(event_id: str, day: dt.date, doc: str, **fields) -> Event:
    base = {
        "id": event_id,
        "title": f"Title of {event_id}",
        "date": day,
        "date_precision": "day",
        "event_type": "letter",
        "summary": f"Summary of {event_id}.",
        "source": Citation(document=doc, passage=f"Passage of {event_id}."),
    }
    base.update(fields)
    return Event(**base)


EVENTS = (
    _event(
        "letter",
        dt.date(1952, 1, 7),
        "letter-1952",
        sender=["gromyko"],
        recipient=["stalin"],
        places=["beijing", "shanghai"],
        figures=[Figure(low=2500, approximate=True, what="unemployed citizens", quote="approximately 2,500")],
        themes=["repatriation"],
        is_document=True,
    ),
    _event(
        "unemployment",
        dt.date(1952, 1, 7),
        "letter-1952",
        event_type="other",
        places=["tianjin"],
        themes=["unemployment"],
    ),
    _event(
        "exodus",
        dt.date(1962, 4, 16),
        "statement-1962",
        title="Mass exodus across the border",
        event_type="border_crossing",
        date_precision="half_month",
        end_date=dt.date(1962, 8, 10),
        places=["xinjiang", "sino-soviet-border-xinjiang"],
        themes=["border"],
    ),
    _event(
        "statement",
        dt.date(1962, 8, 10),
        "statement-1962",
        title="Statement delivered in Beijing",
        event_type="statement",
        sender=["soviet-government"],
        recipient=["prc-government"],
        places=["beijing"],
        themes=["border"],
        is_document=True,
    ),
    _event(
        "no-place",
        dt.date(1962, 6, 8),
        "statement-1962",
        title="A statement with no place",
        event_type="statement",
        sender=["soviet-government"],
    ),
)


def make_catalog(events: tuple[Event, ...] = EVENTS) -> Catalog:
    return Catalog(documents=DOCUMENTS, actors=ACTORS, events=events)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return make_catalog()


@pytest.fixture
def gazetteer(shipped_gazetteer):
    return shipped_gazetteer


def write_tour(folder: Path, name: str, data: object) -> Path:
    """Write ``data`` as YAML (or a raw string as is) to ``folder/name``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def good_tour(tour_id: str = "demo", events: tuple[str, ...] = ("letter", "exodus", "statement")) -> dict:
    return {
        "id": tour_id,
        "title": f"Tour {tour_id}",
        "description": "A tour for tests.",
        "steps": [{"event": e, "caption": f"About {e}."} for e in events],
    }
