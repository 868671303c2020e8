"""Building a tour in the app: the steps being edited, and saving them as a tour file.

The tour builder page (``views/tour_builder.py``) keeps a list of
:class:`DraftStep` — started from picked events, from the events of the current
filter, or from a shipped tour to duplicate — lets the teacher reorder them and
write a caption and a question per step and choose where the map looks, then
saves the tour (its text in the file format of ``data/tours/README.md``) in the
user's store (``exchanges.userdata.save_tour_text``: one transaction, and a save
from a page loaded before another session saved the same tour is refused).
Saving validates exactly as reading does
(:func:`exchanges.tours.validate_tour_data`), every problem at once; nothing is
written unless the tour is valid.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal

from exchanges.issues import Issue
from exchanges.reader import ReadError, dump_yaml, parse_yaml
from exchanges.tours import (
    ALL_EVENTS_TOUR_ID,
    Tour,
    TourValidationError,
    load_tours,
    stored_tour_display,
    validate_tour_data,
)
from exchanges.userdata import UserDataError, decode_upload, save_tour_text

MAX_TOUR_UPLOAD_BYTES = 1024 * 1024

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer
    from exchanges.models import Event

Frame = Literal["event", "place", "ranges"]
FRAMES: dict[str, str] = {
    "event": "the event's places (default)",
    "place": "a place of the gazetteer",
    "ranges": "longitude and latitude ranges",
}
_uids = itertools.count(1)


@dataclass(frozen=True)
class DraftStep:
    """One step being edited. ``uid`` stays with the step when it moves (its widgets' keys)."""

    event: str
    caption: str = ""
    question: str = ""
    frame: Frame = "event"
    place: str | None = None
    lon_range: tuple[float, float] = (60.0, 140.0)
    lat_range: tuple[float, float] = (30.0, 58.0)
    uid: int = field(default_factory=lambda: next(_uids))


def steps_from_events(events: Iterable[Event]) -> list[DraftStep]:
    """A step per event, in date order."""
    ordered = sorted(events, key=lambda e: (e.date, e.last_date, e.id))
    return [DraftStep(event=e.id) for e in ordered]


def steps_from_tour(tour: Tour) -> list[DraftStep]:
    """The steps of a tour, to edit (duplicating a shipped tour)."""
    steps = []
    for step in tour.steps:
        draft = DraftStep(event=step.event, caption=step.caption or "", question=step.question or "")
        if step.view is not None and step.view.place is not None:
            draft = replace(draft, frame="place", place=step.view.place)
        elif step.view is not None and step.view.lon_range and step.view.lat_range:
            draft = replace(draft, frame="ranges", lon_range=tuple(step.view.lon_range),
                            lat_range=tuple(step.view.lat_range))
        steps.append(draft)
    return steps


def move(steps: Sequence[DraftStep], index: int, offset: int) -> list[DraftStep]:
    """The steps with the one at ``index`` moved by ``offset`` (kept inside the list)."""
    out = list(steps)
    target = min(max(index + offset, 0), len(out) - 1)
    out.insert(target, out.pop(index))
    return out


def _step_record(step: DraftStep) -> dict[str, Any]:
    record: dict[str, Any] = {"event": step.event}
    if step.caption.strip():
        record["caption"] = " ".join(step.caption.split())
    if step.question.strip():
        record["question"] = " ".join(step.question.split())
    if step.frame == "place":
        record["view"] = {"place": step.place or ""}
    elif step.frame == "ranges":
        record["view"] = {"lon_range": list(step.lon_range), "lat_range": list(step.lat_range)}
    return record


def tour_data(tour_id: str, title: str, description: str, steps: Sequence[DraftStep]) -> dict[str, Any]:
    """The tour as the YAML file holds it (empty fields left out)."""
    data: dict[str, Any] = {"id": tour_id.strip(), "title": " ".join(title.split())}
    if description.strip():
        data["description"] = " ".join(description.split())
    data["steps"] = [_step_record(step) for step in steps]
    return data


def tour_yaml(data: dict[str, Any]) -> str:
    return dump_yaml(data, header="A tour made with the tour builder. Format: data/tours/README.md")


def read_tour_upload(data: bytes, filename: str) -> dict[str, Any]:
    """An uploaded tour file (YAML) as data to check and save with :func:`save_tour`; ``UserDataError``
    if it is refused as a whole (size, empty, binary, not UTF-8, not YAML, not a mapping)."""
    try:
        parsed = parse_yaml(decode_upload(data, filename, max_bytes=MAX_TOUR_UPLOAD_BYTES))
    except ReadError as bad:
        raise UserDataError(f"{filename}: {bad.message}") from None
    if not isinstance(parsed, dict):
        raise UserDataError(f"{filename}: a tour is a mapping with id, title and steps (data/tours/README.md)")
    return parsed


def suggest_id(title: str, taken: Iterable[str]) -> str:
    """A free tour id made from a title: 'my-tour', 'my-tour-2', …"""
    base = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:60] or "my-tour"
    used = set(taken)
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def check_draft(
    data: dict[str, Any], catalog: Catalog, gazetteer: Gazetteer | None, *, overwrite: bool = False
) -> tuple[Tour | None, list[Issue]]:
    """Validate a tour about to be saved: the file rules and cross-checks, and an id no other
    tour uses (the user's own file of that id may be replaced with ``overwrite``). All at once."""
    tour_id = str(data.get("id") or "")
    file = stored_tour_display(tour_id or "new-tour")
    tour, issues = validate_tour_data(data, file, catalog, gazetteer)
    issues = list(issues)
    if tour_id == ALL_EVENTS_TOUR_ID:
        issues.insert(0, Issue(file, None, "id", f"{tour_id!r} is reserved"))
    else:
        existing, _ = load_tours(catalog, gazetteer)
        other = existing.get(tour_id)
        if other is not None:
            own = other.stored_as == stored_tour_display(tour_id)
            if not own or not overwrite:
                where = "your tour" if other.stored_as is not None else "a shipped tour"
                issues.insert(0, Issue(file, None, "id", f"tour id {tour_id!r} is already used by {where} "
                                           f"({other.origin}); choose another id"))
    return (tour if not issues else None), issues


@dataclass(frozen=True)
class SavedTour:
    saved_as: str  # "tours/<id>"
    revision: int  # the store's revision of the save: the page's "loaded at" from now on


def save_tour(
    data: dict[str, Any], catalog: Catalog, gazetteer: Gazetteer | None, *, overwrite: bool = False,
    loaded_revision: int | None = None,
) -> SavedTour:
    """Save a valid tour in the user's store; raise :class:`TourValidationError` with every
    problem (nothing written) otherwise, or ``UserDataError`` if the store refuses it (the id
    taken meanwhile, or the tour saved by another session after ``loaded_revision``, by default
    the revision ``catalog`` was read at)."""
    tour, issues = check_draft(data, catalog, gazetteer, overwrite=overwrite)
    if tour is None:
        raise TourValidationError(issues)
    loaded = catalog.store_revision if loaded_revision is None else loaded_revision
    revision = save_tour_text(tour.id, tour_yaml(data), overwrite=overwrite, loaded_revision=loaded)
    return SavedTour(stored_tour_display(tour.id), revision)
