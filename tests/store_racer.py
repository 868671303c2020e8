"""One of two processes saving at the same moment, for the race test (tests/test_store_race.py).

Each round both processes wait at a barrier, then save, with the app's own code and a catalog
loaded once at the start (so, like a browser session, it goes stale as the other one saves):

* ``imports``: an upload named ``notes.yaml`` (different ids in each process);
* ``same_id``: a new event with the same id, in a set of its own name;
* ``document``: the same new document id, with a different text;
* ``place``: a place of its own; ``same_place``: a place with the same id and name;
* ``cache``: 15 live geocoder answers of its own (a fake provider);
* ``same_tour``: the same tour id, replacing it if there is one, from the tour builder's code
  (its caption names the process); ``own_tour``: a tour of its own.

Every outcome ("ok" or "refused" with the message) goes back through ``results``.
"""

from __future__ import annotations

import os
from typing import Any

from geocoding_data import FakeGeopy

from exchanges.gazetteer import Gazetteer, Place
from exchanges.geocoder import Geocoder
from exchanges.loader import load_catalog
from exchanges.models import Document, Event
from exchanges.tour_builder import DraftStep, save_tour, tour_data
from exchanges.user_places import add_user_place
from exchanges.userdata import (
    ImportResult,
    UserDataError,
    load_user_catalog,
    save_document,
    save_events,
    save_imported,
)

STATEMENT = "soviet-statement-1962-08-10"
TALK_PASSAGE = "During his 11 June talk with the Soviet Ambassador, Comrade Zhang Hanfu said"
KINDS = ("imports", "same_id", "document", "place", "same_place", "cache", "same_tour", "own_tour")
CACHED_PER_ROUND = 15


def talk(event_id: str, **changes: Any) -> Event:
    fields = {"id": event_id, "title": "A talk", "date": "1962-06-11", "date_precision": "day",
              "event_type": "talk", "summary": "A talk.", "places": ["beijing"],
              "source": {"document": STATEMENT, "passage": TALK_PASSAGE}}
    return Event.model_validate({**fields, **changes})


def place(place_id: str, name: str, who: str) -> Place:
    return Place(id=place_id, name=name, kind="city", lat=40.0, lon=80.0, country="PRC",
                 source=f"the race test, process {who}")


def town(who: str, number: int, k: int) -> str:
    return f"Racetown {who} {number} {k}"


def tour_caption(who: str, number: int) -> str:
    return f"Said by process {who} in round {number}."


def save_a_tour(tour_id: str, who: str, number: int, catalog: Any, gazetteer: Gazetteer) -> str:
    steps = [DraftStep(event=catalog.events[0].id, caption=tour_caption(who, number))]
    return save_tour(tour_data(tour_id, f"Tour {tour_id}", "", steps), catalog, gazetteer, overwrite=True).saved_as


def save(kind: str, who: str, number: int, catalog: Any, gazetteer: Gazetteer) -> str:  # noqa: PLR0911
    if kind == "same_tour":
        return save_a_tour(f"tour-{number}", who, number, catalog, gazetteer)
    if kind == "own_tour":
        return save_a_tour(f"{who.lower()}-tour-{number}", who, number, catalog, gazetteer)
    if kind == "imports":
        events = [talk(f"{who.lower()}-{number}-{k}") for k in range(3)]
        return save_imported(ImportResult("notes.yaml", events), catalog, gazetteer).saved_as
    if kind == "same_id":
        return save_events(f"{who.lower()}-set-{number}", [talk(f"same-{number}")], catalog, gazetteer).saved_as
    if kind == "document":
        text = f"Written by process {who} in round {number}."
        document = Document(id=f"doc-{number}", title=f"By {who}", date="1955-03-03", file="x.txt")
        event = talk(f"doc-{number}-event", source={"document": f"doc-{number}", "passage": text})
        return save_document(document, text, [event], catalog, gazetteer).saved_as
    if kind == "place":
        return add_user_place(place(f"{who.lower()}-place-{number}", f"Place {who} {number}", who))
    if kind == "same_place":
        return add_user_place(place(f"shared-{number}", f"Shared {number}", who))
    answers = {town(who, number, k): (40.0 + k / 100, 80.0, f"{town(who, number, k)}, Somewhere")
               for k in range(CACHED_PER_ROUND)}
    geocoder = Geocoder(gazetteer, live=True, geocoder=FakeGeopy(answers), min_delay_seconds=0)
    report = geocoder.resolve_many(list(answers))
    if report.unresolved or report.cache_failures:
        raise UserDataError(f"geocoding failed: {report}")
    return f"{len(report.resolved)} cached"


def race(who: str, rounds: int, barrier: Any, results: Any, env: dict[str, str]) -> None:
    """The body of one racing process (started with the ``spawn`` method)."""
    os.environ.update(env)
    gazetteer = Gazetteer.load()
    load_catalog(gazetteer=gazetteer)  # warm: both processes reach the barrier ready to save
    catalog = load_user_catalog(gazetteer=gazetteer)
    for number in range(rounds):
        for kind in KINDS:
            barrier.wait(timeout=120)
            try:
                results.put((kind, number, who, "ok", save(kind, who, number, catalog, gazetteer)))
            except UserDataError as error:
                results.put((kind, number, who, "refused", str(error)))
            except Exception as error:  # noqa: BLE001 - reported to the test, which fails on it
                results.put((kind, number, who, "crashed", repr(error)))
