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

Shipped tours live in ``data/tours/``; teachers add their own there or in
``user_data_dir()/tours/``. Each file is checked against the models below and
then against the catalog (every ``event`` must exist) and the gazetteer (every
``view.place``). Problems are reported as :class:`DataIssue`\\ s naming the file,
the 1-based step number and the field, e.g.
``data/tours/x.yaml, step 3, field event: unknown event id 'nope'``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import Field, PrivateAttr, ValidationError, model_validator

from exchanges.loader import DataIssue, DataValidationError, display_path
from exchanges.models import Event, Identifier, NonEmptyText, StrictModel
from exchanges.paths import TOURS_DIR, user_data_dir

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.charts.style import MapView
    from exchanges.gazetteer import Gazetteer

ALL_EVENTS_TOUR_ID = "all-events"
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
    view: StepView | None = None


class Tour(StrictModel):
    """An ordered walk through events, with captions for the class."""

    id: Identifier
    title: NonEmptyText
    description: NonEmptyText | None = None
    steps: list[TourStep] = Field(min_length=1)

    _path: Path | None = PrivateAttr(default=None)

    @property
    def path(self) -> Path | None:
        """The file the tour was read from (``None`` for built-in tours)."""
        return self._path

    def __len__(self) -> int:
        return len(self.steps)

    def event_ids(self) -> list[str]:
        return [step.event for step in self.steps]


class TourValidationError(DataValidationError):
    """A tour file is invalid; ``issues`` name the file, the step and the field."""

    def __str__(self) -> str:
        return "\n".join(format_issue(issue) for issue in self.issues)


def format_issue(issue: DataIssue) -> str:
    """'data/tours/x.yaml, step 3, field event: unknown event id …'.

    The loader's own wording, except that tour issues use ``row`` for the
    1-based step number; YAML syntax errors have no step and give the line in
    the message.
    """
    text = str(issue)
    row = f"{issue.file}, row {issue.row}"
    if issue.row is None or not text.startswith(row):
        return text
    return f"{issue.file}, step {issue.row}{text[len(row):]}"


def _issue_from_error(file: str, error: dict[str, Any]) -> DataIssue:
    """Turn one pydantic error into an issue with the step number and field path."""
    loc = list(error.get("loc", ()))
    row = None
    if len(loc) >= 2 and loc[0] == "steps" and isinstance(loc[1], int):
        row = loc[1] + 1
        loc = loc[2:]
    field = ".".join(str(part) for part in loc) or None
    message = error.get("msg", "invalid")
    if error.get("type") == "extra_forbidden":
        message = "unknown field (check the spelling)"
    elif "input" in error and error.get("type") not in ("missing",):
        shown = repr(error["input"])
        message = f"{message} (got {shown[:80]})"
    return DataIssue(file=file, row=row, field=field, message=message)


def parse_tour(data: Any, file: str) -> tuple[Tour | None, list[DataIssue]]:
    """Validate a parsed YAML document against :class:`Tour` (no catalog checks)."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        return None, [DataIssue(file, None, None, f"a tour is a mapping with id, title, steps; got {kind}")]
    try:
        return Tour.model_validate(data), []
    except ValidationError as invalid:
        return None, [_issue_from_error(file, error) for error in invalid.errors()]


def check_tour(
    tour: Tour, file: str, catalog: Catalog, gazetteer: Gazetteer | None = None
) -> list[DataIssue]:
    """Cross-checks: every step's event is in the catalog, every view place in the gazetteer."""
    known = {event.id for event in catalog.events}
    issues = []
    for number, step in enumerate(tour.steps, start=1):
        if step.event not in known:
            issues.append(DataIssue(file, number, "event", f"unknown event id {step.event!r}"))
        if gazetteer is not None and step.view is not None and step.view.place is not None:
            if step.view.place not in gazetteer:
                issues.append(
                    DataIssue(file, number, "view.place", f"unknown place id {step.view.place!r}")
                )
    return issues


def read_tour(
    path: Path, catalog: Catalog | None = None, gazetteer: Gazetteer | None = None
) -> Tour:
    """Read, validate and cross-check one tour file. Raises :class:`TourValidationError`."""
    file = display_path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as bad:
        mark = getattr(bad, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(bad, "problem", None) or str(bad)
        message = f"not valid YAML at line {line}: {problem}" if line else f"not valid YAML: {problem}"
        raise TourValidationError([DataIssue(file, None, None, message)]) from bad
    except (OSError, UnicodeDecodeError) as unreadable:
        raise TourValidationError([DataIssue(file, None, None, f"cannot read: {unreadable}")]) from unreadable
    tour, issues = parse_tour(data, file)
    if tour is not None and catalog is not None:
        issues = check_tour(tour, file, catalog, gazetteer)
    if issues or tour is None:
        raise TourValidationError(issues)
    tour._path = path
    return tour


def tour_dirs() -> list[Path]:
    """Where tours are looked for: the shipped folder, then the user's."""
    return [TOURS_DIR, user_data_dir() / "tours"]


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
) -> tuple[dict[str, Tour], list[DataIssue]]:
    """Every valid tour by id, and the issues of the invalid ones.

    A bad teacher file must not hide the good tours, so issues are returned,
    not raised; a tour whose id repeats an earlier one is an issue too.
    """
    tours: dict[str, Tour] = {}
    issues: list[DataIssue] = []
    for path in tour_files(dirs):
        try:
            tour = read_tour(path, catalog, gazetteer)
        except TourValidationError as invalid:
            issues.extend(invalid.issues)
            continue
        if tour.id == ALL_EVENTS_TOUR_ID:
            issues.append(DataIssue(display_path(path), None, "id", f"{tour.id!r} is reserved"))
        elif tour.id in tours:
            first = tours[tour.id].path
            issues.append(
                DataIssue(
                    display_path(path),
                    None,
                    "id",
                    f"tour id {tour.id!r} is already used by {display_path(first) if first else 'another tour'}",
                )
            )
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


#: Place kinds framed by their outline; cities and countries by their point
#: (a country's is its capital, where the map puts its marker), as the map does.
OUTLINED_KINDS = ("region", "border")


def _place_bounds(place_id: str, gazetteer: Gazetteer) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a place: a region's or border's outline, else its point.

    An outline wider than half the globe (one crossing the antimeridian) would
    frame the whole world, so it falls back to the point too.
    """
    place = gazetteer.get(place_id)
    if place is None:
        return None
    geometry = gazetteer.geometry(place_id) if place.kind in OUTLINED_KINDS else None
    if geometry:
        from shapely.geometry import shape

        try:
            west, south, east, north = shape(geometry).bounds
        except (ValueError, TypeError, AttributeError):
            pass
        else:
            if east - west <= 180:
                return (west, south, east, north)
    return (place.lon, place.lat, place.lon, place.lat)


def bounds_view(bounds: Iterable[tuple[float, float, float, float]]) -> MapView | None:
    """A map view framing all the (west, south, east, north) boxes (``None`` for none).

    Framing rules (padding, minimum span) are the charts' own ``fit_view``.
    """
    from exchanges.charts.style import fit_view

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
    from exchanges.charts.style import MapView

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
        from exchanges.charts.style import MapView

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
    from exchanges.charts.map_figure import locate_events

    unmapped = locate_events(shown, gazetteer).missing
    return StepState(tour, number, event, shown, muted, step_view(step, event, gazetteer), unmapped)


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
