"""Guided tours: ordered walks through the events for a class.

A tour is a YAML file (format in ``data/tours/README.md``)::

    id: repatriation-1952
    title: "1952: repatriation from China"
    description: …
    steps:
      - event: <event id>
        caption: <what to say to the class, optional>
        view: {place: <gazetteer id>}            # optional, or
        view: {lon_range: [70, 90], lat_range: [38, 50]}

Shipped tours live in ``data/tours/`` (files, reviewed in git); a teacher's own
tours live in the user's store (``exchanges.store``, table ``tours``, each kept as
its YAML text and named ``tours/<id>`` in messages): saved by the tour builder,
uploaded as YAML, or imported once from an old ``user_data_dir()/tours/`` folder.
Each tour is checked against the models below and
then against the catalog (every ``event`` must exist) and the gazetteer (every
``view.place``). Problems are reported as :class:`exchanges.issues.Issue`\\ s
naming the file, the row (the 1-based step number) and the field, e.g.
``data/tours/x.yaml, row 3, field event: unknown event id 'nope'``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import Field, PrivateAttr, ValidationError, model_validator

from exchanges.issues import Issue, validation_issues
from exchanges.loader import DataValidationError, display_path
from exchanges.mapping import MapView, fit_view, locate_events, place_bounds
from exchanges.models import Event, Identifier, NonEmptyText, StrictModel
from exchanges.paths import TOURS_DIR
from exchanges.reader import ReadError, check_record, parse_yaml, read_text_file
from exchanges.store import StoredTour, StoreError, open_store

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer

ALL_EVENTS_TOUR_ID = "all-events"
STORED_TOURS = "tours/"  # how the user's stored tours are named in messages: "tours/<id>"
TOUR_SUFFIXES = (".yaml", ".yml")


class StepView(StrictModel):
    """Where the map looks during a step: a gazetteer place, or explicit ranges."""

    place: Identifier | None = None
    lon_range: tuple[float, float] | None = None
    lat_range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> StepView:
        has_ranges = self.lon_range is not None or self.lat_range is not None
        if self.place is not None and has_ranges:
            raise ValueError("give either place or lon_range + lat_range, not both")
        if self.place is None and not has_ranges:
            raise ValueError("give place, or lon_range and lat_range")
        if has_ranges and (self.lon_range is None or self.lat_range is None):
            raise ValueError("lon_range and lat_range go together")
        if self.lon_range is not None:
            west, east = self.lon_range
            if not (-180 <= west < east <= 180):
                raise ValueError(f"lon_range {list(self.lon_range)} must be west < east within -180..180")
        if self.lat_range is not None:
            south, north = self.lat_range
            if not (-90 <= south < north <= 90):
                raise ValueError(f"lat_range {list(self.lat_range)} must be south < north within -90..90")
        return self


class TourStep(StrictModel):
    """One stop of a tour: an event, what to say about it, where to look."""

    event: Identifier
    caption: NonEmptyText | None = None
    #: A question for the class (the worksheet's question for this step).
    question: NonEmptyText | None = None
    view: StepView | None = None


class Tour(StrictModel):
    """An ordered walk through events, with captions for the class."""

    id: Identifier
    title: NonEmptyText
    description: NonEmptyText | None = None
    steps: list[TourStep] = Field(min_length=1)

    _path: Path | None = PrivateAttr(default=None)
    _stored_as: str | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The file the tour was read from (``None`` for built-in and the user's stored tours)."""
        return self._path

    @property
    def stored_as(self) -> str | None:
        """``tours/<name>`` for a tour of the user's store, else ``None``."""
        return self._stored_as

    @property
    def origin(self) -> str:
        """Where the tour comes from, for messages: its file, or ``tours/<name>`` in the user's store."""
        return self._stored_as or (display_path(self._path) if self._path else "another tour")

    def __len__(self) -> int:
        return len(self.steps)

    def event_ids(self) -> list[str]:
        return [step.event for step in self.steps]


class TourValidationError(DataValidationError):
    """A tour file is invalid; ``issues`` name the file, the step and the field."""

    def __str__(self) -> str:
        return "\n".join(str(issue) for issue in self.issues)


def parse_tour(data: Any, file: str) -> tuple[Tour | None, list[Issue]]:
    """Validate a parsed YAML document against :class:`Tour` (no catalog checks)."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        return None, [Issue(file, None, None, f"a tour is a mapping with id, title, steps; got {kind}")]
    too_big = check_record(data)
    if too_big is not None:
        return None, [Issue(file, None, too_big.field, too_big.message)]
    try:
        return Tour.model_validate(data), []
    except ValidationError as invalid:
        return None, validation_issues(invalid, file, model=Tour, rows_in="steps")


def check_tour(
    tour: Tour, file: str, catalog: Catalog, gazetteer: Gazetteer | None = None
) -> list[Issue]:
    """Cross-checks: every step's event is in the catalog, every view place in the gazetteer."""
    known = {event.id for event in catalog.events}
    issues = []
    for number, step in enumerate(tour.steps, start=1):
        if step.event not in known:
            issues.append(Issue(file, number, "event", f"unknown event id {step.event!r}"))
        if (gazetteer is not None and step.view is not None and step.view.place is not None
                and step.view.place not in gazetteer):
            issues.append(Issue(file, number, "view.place", f"unknown place id {step.view.place!r}"))
    return issues


def _check_raw_steps(data: Any, file: str, catalog: Catalog, gazetteer: Gazetteer | None) -> list[Issue]:
    """The cross-checks of :func:`check_tour` on the raw steps of a tour that did not validate,
    so a misspelt field and an unknown event are reported together, not one per reload."""
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, list):
        return []
    known = {event.id for event in catalog.events}
    issues = []
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            continue
        event = step.get("event")
        if isinstance(event, str) and event not in known:
            issues.append(Issue(file, number, "event", f"unknown event id {event!r}"))
        view = step.get("view")
        place = view.get("place") if isinstance(view, dict) else None
        if gazetteer is not None and isinstance(place, str) and place not in gazetteer:
            issues.append(Issue(file, number, "view.place", f"unknown place id {place!r}"))
    return issues


def validate_tour_data(
    data: Any, file: str, catalog: Catalog | None = None, gazetteer: Gazetteer | None = None
) -> tuple[Tour | None, list[Issue]]:
    """Validate a parsed tour and cross-check it against the catalog: every problem at once,
    in step order (the tour builder saves through this; :func:`read_tour` reads through it)."""
    tour, issues = parse_tour(data, file)
    if catalog is not None:
        issues = issues + (check_tour(tour, file, catalog, gazetteer) if tour is not None
                           else _check_raw_steps(data, file, catalog, gazetteer))
    issues.sort(key=lambda issue: (issue.row or 0, issue.field or ""))
    return (tour if not issues else None), issues


def read_tour(
    path: Path, catalog: Catalog | None = None, gazetteer: Gazetteer | None = None
) -> Tour:
    """Read, validate and cross-check one tour file. Raises :class:`TourValidationError`."""
    tour = _valid_tour(lambda: read_text_file(path), display_path(path), catalog, gazetteer)
    tour._path = path
    return tour


def _valid_tour(read: Callable[[], str], file: str, catalog: Catalog | None, gazetteer: Gazetteer | None) -> Tour:
    """The tour in the text ``read`` gives, parsed by the one reader of every data file (its limits
    and messages: :mod:`exchanges.reader`), validated and cross-checked (:func:`validate_tour_data`).
    Raises :class:`TourValidationError`."""
    try:
        data = parse_yaml(read())
    except ReadError as bad:
        raise TourValidationError([Issue(file, None, None, bad.message)]) from None
    tour, issues = validate_tour_data(data, file, catalog, gazetteer)
    if issues or tour is None:
        raise TourValidationError(issues)
    return tour


def tour_dirs() -> list[Path]:
    """Where tour files are looked for: the shipped folder (the user's tours are in the store)."""
    return [TOURS_DIR]


def stored_tour_display(name: str) -> str:
    """How a stored tour is named in messages: ``tours/<name>``."""
    return f"{STORED_TOURS}{name}"


def read_stored_tour(stored: StoredTour, catalog: Catalog | None = None,
                     gazetteer: Gazetteer | None = None) -> Tour:
    """Validate and cross-check a tour of the user's store, exactly as a file is
    (:func:`validate_tour_data`). Raises :class:`TourValidationError`."""
    file = stored_tour_display(stored.name)
    tour = _valid_tour(lambda: stored.text, file, catalog, gazetteer)
    tour._stored_as = file
    return tour


def stored_tours() -> tuple[list[StoredTour], list[Issue]]:
    """The user's stored tours, or an issue saying why the store cannot be read."""
    try:
        return open_store().tours()[1], []
    except StoreError as exc:
        return [], [Issue("your saved tours", None, None, f"cannot be read: {exc}")]


def tour_files(dirs: Iterable[Path] | None = None) -> list[Path]:
    files = []
    for folder in tour_dirs() if dirs is None else dirs:
        if folder.is_dir():
            files.extend(sorted(p for p in folder.iterdir() if p.suffix.lower() in TOUR_SUFFIXES))
    return files


def load_tours(
    catalog: Catalog,
    gazetteer: Gazetteer | None = None,
    dirs: Iterable[Path] | None = None,
) -> tuple[dict[str, Tour], list[Issue]]:
    """Every valid tour by id, and the issues of the invalid ones.

    A bad teacher tour must not hide the good tours, so issues are returned,
    not raised; a tour whose id repeats an earlier one is an issue too. With
    ``dirs`` left out: the shipped files, then the user's tours from the store;
    with ``dirs``: the tour files of those folders only.
    """
    tours: dict[str, Tour] = {}
    issues: list[Issue] = []
    readers: list[Callable[[], Tour]] = [
        lambda path=path: read_tour(path, catalog, gazetteer) for path in tour_files(dirs)]
    if dirs is None:
        stored, problems = stored_tours()
        issues.extend(problems)
        readers += [lambda one=one: read_stored_tour(one, catalog, gazetteer) for one in stored]
    for read in readers:
        try:
            tour = read()
        except TourValidationError as invalid:
            issues.extend(invalid.issues)
            continue
        if tour.id == ALL_EVENTS_TOUR_ID:
            issues.append(Issue(tour.origin, None, "id", f"{tour.id!r} is reserved"))
        elif tour.id in tours:
            issues.append(Issue(tour.origin, None, "id",
                                    f"tour id {tour.id!r} is already used by {tours[tour.id].origin}"))
        else:
            tours[tour.id] = tour
    return tours, issues


def load_tours_strict(
    catalog: Catalog, gazetteer: Gazetteer | None = None, dirs: Iterable[Path] | None = None
) -> dict[str, Tour]:
    """Like :func:`load_tours` but raises :class:`TourValidationError` on any issue (CI, CLI)."""
    tours, issues = load_tours(catalog, gazetteer, dirs)
    if issues:
        raise TourValidationError(issues)
    return tours


def all_events_tour(events: Sequence[Event], title: str = "All events in date order") -> Tour:
    """A tour through the given events in date order (the catalog's, or a filtered set).

    With no events the tour has no steps (built without validation: a file
    tour needs at least one step, this one is only shown, never saved).
    """
    ordered = sorted(events, key=lambda e: (e.date, e.last_date, e.id))
    fields = {
        "id": ALL_EVENTS_TOUR_ID,
        "title": title,
        "description": "Every event of the collection, oldest first.",
        "steps": [TourStep(event=e.id) for e in ordered],
    }
    return Tour(**fields) if ordered else Tour.model_construct(**fields)


# --------------------------------------------------------------------------- map views


def _place_bounds(place_id: str, gazetteer: Gazetteer) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a place: a region's or border's outline, else its point.

    An outline wider than half the globe (one crossing the antimeridian) would
    frame the whole world, so it falls back to the point too.
    """
    place = gazetteer.get(place_id)
    return None if place is None else place_bounds(gazetteer, place)


def bounds_view(bounds: Iterable[tuple[float, float, float, float]]) -> MapView | None:
    """A map view framing all the (west, south, east, north) boxes (``None`` for none).

    Framing rules (padding, minimum span) are the charts' own ``fit_view``.
    """
    boxes = list(bounds)
    corners = [(b[0], b[1]) for b in boxes] + [(b[2], b[3]) for b in boxes]
    return fit_view(corners) if corners else None


def event_view(event: Event, gazetteer: Gazetteer) -> MapView | None:
    """The map view framing the event's places (``None`` if it names none)."""
    bounds = [b for p in event.places if (b := _place_bounds(p, gazetteer)) is not None]
    return bounds_view(bounds)


#: How far inside a widened view's edge a marker is kept, as a fraction of the span.
VIEW_EDGE_MARGIN = 0.08


def widen_to_show(view: MapView, points: Iterable[tuple[float, float]]) -> MapView:
    """``view`` grown just enough that every ``(lon, lat)`` point is inside, clear of the edges."""
    (west, east), (south, north) = view.lon_range, view.lat_range
    lon_margin, lat_margin = VIEW_EDGE_MARGIN * (east - west), VIEW_EDGE_MARGIN * (north - south)
    for lon, lat in points:
        west, east = min(west, lon - lon_margin), max(east, lon + lon_margin)
        south, north = min(south, lat - lat_margin), max(north, lat + lat_margin)
    widened = MapView(lon_range=(max(west, -180.0), min(east, 180.0)),
                      lat_range=(max(south, -85.0), min(north, 85.0)))
    return view if widened == view else widened


def step_view(step: TourStep, event: Event, gazetteer: Gazetteer) -> MapView | None:
    """Where the map looks at a step: the step's own view, else the event's places.

    A step's own view is widened if the event's marker would fall outside it:
    the highlighted event is never off the map.
    """
    if step.view is None:
        return event_view(event, gazetteer)
    if step.view.place is not None:
        bounds = _place_bounds(step.view.place, gazetteer)
        if bounds is None:
            return event_view(event, gazetteer)
        view = bounds_view([bounds])
    else:
        assert step.view.lon_range is not None and step.view.lat_range is not None
        view = MapView(lon_range=step.view.lon_range, lat_range=step.view.lat_range)
    assert view is not None
    markers = [(place.lon, place.lat) for place_id in event.places if (place := gazetteer.get(place_id))]
    return widen_to_show(view, markers)


# --------------------------------------------------------------------------- stepping through


@dataclass(frozen=True)
class StepState:
    """What the screen shows at one step of a tour.

    The current event is highlighted, the earlier steps' events are drawn muted,
    the later ones are not drawn yet; the map looks at ``view``.
    """

    tour: Tour
    number: int  # 1-based
    event: Event
    shown: tuple[Event, ...]
    muted: frozenset[str]
    view: MapView | None
    unmapped: tuple[Event, ...] = ()
    """Shown events the map cannot draw (no place, or none the gazetteer knows);
    empty when the state was made without a gazetteer."""
    kept_frame: bool = False
    """Whether ``view`` is an earlier step's frame (this step's event names no place)."""

    @property
    def step(self) -> TourStep:
        return self.tour.steps[self.number - 1]

    @property
    def total(self) -> int:
        return len(self.tour.steps)

    @property
    def progress_label(self) -> str:
        """'4 / 15'."""
        return f"{self.number} / {self.total}"

    @property
    def title(self) -> str:
        """Title of the step's slide: '4/15 · event title' (the tour's title is the subtitle)."""
        return f"{self.number}/{self.total} · {self.event.title}"

    @property
    def event_on_map(self) -> bool:
        """Whether the map can show the current event (``False``: it names no known place)."""
        return all(event.id != self.event.id for event in self.unmapped)

    @property
    def earlier_unmapped(self) -> tuple[Event, ...]:
        """Events of the earlier steps the map cannot show."""
        return tuple(event for event in self.unmapped if event.id != self.event.id)


def step_state(
    tour: Tour, number: int, catalog: Catalog, gazetteer: Gazetteer | None
) -> StepState:
    """The state of step ``number`` (1-based, must be in range)."""
    if not 1 <= number <= len(tour.steps):
        raise IndexError(f"step {number} is outside 1..{len(tour.steps)} of tour {tour.id!r}")
    step = tour.steps[number - 1]
    event = catalog.event(step.event)
    shown_ids = list(dict.fromkeys(s.event for s in tour.steps[:number]))
    shown = tuple(catalog.event(event_id) for event_id in shown_ids)
    muted = frozenset(shown_ids) - {event.id}
    if gazetteer is None:
        return StepState(tour, number, event, shown, muted, None)
    unmapped = locate_events(shown, gazetteer).missing
    view = step_view(step, event, gazetteer)
    kept = False
    # A step whose event names no place keeps the frame of the last step that had one.
    for earlier in range(number - 1, 0, -1) if view is None else ():
        earlier_step = tour.steps[earlier - 1]
        view = step_view(earlier_step, catalog.event(earlier_step.event), gazetteer)
        if view is not None:
            kept = True
            break
    return StepState(tour, number, event, shown, muted, view, unmapped, kept_frame=kept)


def clamp_step(raw: object, total: int) -> tuple[int, str | None]:
    """A 1-based step number from untrusted input (a URL), and a note if it was fixed.

    ``"4"`` -> ``(4, None)``; ``"99"`` of 15 -> ``(15, note)``; ``"abc"`` ->
    ``(1, note)``. With no steps at all, ``(0, note)``.
    """
    if total <= 0:
        return 0, "This tour has no steps."
    if raw is None or raw == "":
        return 1, None
    try:
        number = int(str(raw).strip())
    except ValueError:
        return 1, f"Step {str(raw)[:20]!r} is not a number; showing step 1 of {total}."
    if number < 1:
        return 1, f"There is no step {number}; showing step 1 of {total}."
    if number > total:
        return total, f"This tour has {total} steps; showing the last one."
    return number, None
