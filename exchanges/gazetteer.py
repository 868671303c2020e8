"""The offline gazetteer: places, their historical names and their outlines.

``geodata/gazetteer.csv`` (schema in ``geodata/README.md``) lists every place an
event may name, with a representative point, the name forms documents of the
period use (Wade-Giles/postal romanisations, Russian, Uyghur, Chinese…), where
the coordinate comes from, and optionally a GeoJSON outline in ``geodata/``.

Names are matched by :func:`normalize_name`, which ignores case, accents and
diacritics, punctuation, spaces and a leading "the": "Alma Ata" = "Alma-Ata",
"Ürümqi" = "Urumqi", "Pei-p'ing" = "Peiping". Two places may not share a name in
that sense, so a name always means one place (checked on load).

The user's own places, ``places.csv`` in the user data folder (same columns),
are merged after the shipped ones by :meth:`Gazetteer.load_with_user_places`.
A user place may not reuse a shipped id or name; a bad user row is left out and
reported in :attr:`Gazetteer.issues` instead of stopping the app.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from exchanges.models import Identifier, NonEmptyText, StrictModel
from exchanges.paths import GEODATA_DIR, user_data_dir

PlaceKind = Literal["city", "region", "border", "country"]
COLUMNS = ("id", "name", "kind", "lat", "lon", "geometry", "country", "alt_names", "source", "note")
"""The gazetteer CSV's columns, in order (documented in ``geodata/README.md``)."""
ALT_NAME_SEPARATOR = ";"
DEFAULT_PATH = GEODATA_DIR / "gazetteer.csv"
USER_PLACES_FILE = "places.csv"


def user_places_path() -> Path:
    """The user's own places: ``places.csv`` in :func:`exchanges.paths.user_data_dir`."""
    return user_data_dir() / USER_PLACES_FILE


class Place(StrictModel):
    """A city, region, border or country that events can be placed at."""

    id: Identifier
    name: NonEmptyText
    kind: PlaceKind
    lat: float = Field(ge=-90, le=90, description="Representative point (label point)")
    lon: float = Field(ge=-180, le=180)
    geometry: str | None = Field(None, description="GeoJSON file name in geodata/")
    alt_names: list[NonEmptyText] = Field(default_factory=list)
    country: NonEmptyText = Field(description="Country at the time, e.g. PRC, USSR")
    source: NonEmptyText = Field(description="Where the coordinate (and outline) come from")
    note: str | None = None

    @property
    def names(self) -> list[str]:
        """The name followed by the alternative names."""
        return [self.name, *self.alt_names]


@dataclass(frozen=True)
class GazetteerIssue:
    """One problem in a gazetteer file; ``line`` is 1-based (the header is line 1)."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


class GazetteerError(ValueError):
    """A gazetteer or geometry file is malformed; ``issues`` says where and why."""

    def __init__(self, issues: list[GazetteerIssue]):
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


def _file_error(file: str, message: str) -> GazetteerError:
    """An error about a whole file (no line or column)."""
    return GazetteerError([GazetteerIssue(file, None, None, message)])


_LEADING_ARTICLE = re.compile(r"^the\s+")


def normalize_name(text: str) -> str:
    """The form names are compared in: no accents, case, punctuation, spaces or leading "the".

    Letters of every script are kept (Cyrillic, Arabic, Chinese), so "Пекин"
    stays distinct from "Peking".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = _LEADING_ARTICLE.sub("", bare.casefold().strip())
    return "".join(c for c in folded if c.isalnum())


def _geometry_of(data: Any, file: str) -> dict:
    """The geometry of a GeoJSON FeatureCollection, Feature or bare geometry."""
    if not isinstance(data, dict) or "type" not in data:
        raise _file_error(file, "not a GeoJSON object")
    if data["type"] == "FeatureCollection":
        geometries = [f.get("geometry") for f in data.get("features", [])]
        geometries = [g for g in geometries if g]
        if not geometries:
            raise _file_error(file, "no feature has a geometry")
        if len(geometries) == 1:
            return geometries[0]
        return {"type": "GeometryCollection", "geometries": geometries}
    if data["type"] == "Feature":
        if not data.get("geometry"):
            raise _file_error(file, "the feature has no geometry")
        return data["geometry"]
    if "coordinates" in data or data["type"] == "GeometryCollection":
        return data
    raise _file_error(file, f"unknown GeoJSON type {data['type']!r}")


class Gazetteer:
    """The places, looked up by id or by any of their names.

    Build it with :meth:`load` (the shipped file) or :meth:`load_with_user_places`;
    the constructor takes already validated places. ``issues`` lists the problems
    of the user's places file that were tolerated (those rows are left out).
    """

    def __init__(
        self,
        places: Iterable[Place],
        geometry_dir: Path = GEODATA_DIR,
        *,
        file: str = "<gazetteer>",
        lines: dict[str, int] | None = None,
    ):
        self._places: dict[str, Place] = {}
        self._geometry_dir = geometry_dir
        self._exact: dict[str, Place] = {}
        self._normalized: dict[str, Place] = {}
        self._origins: dict[str, tuple[str, int | None, Path]] = {}  # id -> file, line, geometry folder
        self._user_ids: set[str] = set()
        self._geometries: dict[Path, dict] = {}
        self._lock = threading.Lock()
        self.issues: tuple[GazetteerIssue, ...] = ()
        lines = lines or {}
        issues = [issue for place in places
                  for issue in self._add(place, file, lines.get(place.id), geometry_dir, whole=False)]
        if issues:
            raise GazetteerError(issues)

    def _add(self, place: Place, file: str, line: int | None, geometry_dir: Path, *,
             whole: bool) -> list[GazetteerIssue]:
        """Index ``place``; return what is wrong with it (a reused id or name).

        ``whole``: add the place only if nothing is wrong (user places); otherwise
        (the shipped file, which must load entirely) its unshared names are kept
        so later clashes with them are reported too.
        """
        issues: list[GazetteerIssue] = []

        def issue(column: str, message: str) -> None:
            issues.append(GazetteerIssue(file, line, column, message))

        if place.id in self._places:
            issue("id", f"duplicate id {place.id!r}{self._where(place.id, file)}")
            return issues
        names: dict[str, str] = {}  # normalised -> as written
        for column, name in [("id", place.id), ("name", place.name)] + [
            ("alt_names", n) for n in place.alt_names
        ]:
            key = normalize_name(name)
            if not key:
                issue(column, f"{name!r} has no letters or digits")
                continue
            other = self._normalized.get(key)
            if other is not None:
                issue(column, f"{name!r} is also a name of {other.id!r}{self._where(other.id, file)}; "
                      "a name must mean one place")
                continue
            names.setdefault(key, name)
        if issues and whole:
            return issues
        self._places[place.id] = place
        self._origins[place.id] = (file, line, geometry_dir)
        for key, name in names.items():
            self._normalized[key] = place
        for name in [place.id, *place.names]:
            if normalize_name(name) in names:
                self._exact.setdefault(name, place)
        return issues

    def _where(self, place_id: str, file: str) -> str:
        """Where a place was defined, for messages: ' (line N)', or ' (other file, line N)'."""
        origin_file, line, _ = self._origins.get(place_id, (file, None, self._geometry_dir))
        parts = ([] if origin_file == file else [origin_file]) + ([f"line {line}"] if line else [])
        return f" ({', '.join(parts)})" if parts else ""

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Gazetteer:
        """Read and validate a gazetteer CSV; geometry files are looked up beside it.

        Raises :class:`GazetteerError` listing every problem by file, line and column.
        """
        path = Path(path)
        file = str(path)
        places, lines, issues = read_places_file(path)
        if any(issue.line is None for issue in issues):  # unreadable as a whole
            raise GazetteerError(issues)
        try:
            gazetteer = cls(places, path.parent, file=file, lines=lines)
        except GazetteerError as exc:
            issues.extend(exc.issues)
        if issues:
            raise GazetteerError(sorted(issues, key=lambda i: (i.line or 0)))
        return gazetteer

    @classmethod
    def load_with_user_places(cls, path: Path = DEFAULT_PATH, user_path: Path | None = None) -> Gazetteer:
        """The shipped gazetteer plus the user's places (default :func:`user_places_path`).

        The shipped file must be valid (else :class:`GazetteerError`, as :meth:`load`).
        The user's file is optional; its problems never raise: each bad row (bad
        value, or an id or name that is already taken) is left out and listed in
        ``issues`` of the result, with file, line and column.
        """
        shipped = cls.load(path)
        user_path = user_places_path() if user_path is None else Path(user_path)
        if not user_path.exists():
            return shipped
        places, lines, issues = read_places_file(user_path)
        merged, clashes = shipped.with_places(places, file=str(user_path), lines=lines,
                                              geometry_dir=user_path.parent)
        merged.issues = tuple(sorted([*issues, *clashes], key=lambda i: i.line or 0))
        return merged

    def with_places(
        self, places: Iterable[Place], *, file: str, lines: dict[str, int] | None = None,
        geometry_dir: Path | None = None,
    ) -> tuple[Gazetteer, list[GazetteerIssue]]:
        """A new gazetteer: these places, then ``places`` (user places, from ``file``).

        A place that reuses an id or a name of an earlier place is left out; the
        issues say which, where it was defined, and where the clash is.
        ``geometry_dir`` is where the new places' outlines are (default: beside ``file``).
        """
        merged = Gazetteer([], self._geometry_dir)
        for place in self:  # already consistent: nothing to report
            origin_file, line, folder = self._origins[place.id]
            merged._add(place, origin_file, line, folder, whole=False)
        merged._user_ids = set(self._user_ids)
        merged.issues = self.issues
        folder = Path(file).parent if geometry_dir is None else geometry_dir
        lines = lines or {}
        issues: list[GazetteerIssue] = []
        for place in places:
            problems = merged._add(place, file, lines.get(place.id), folder, whole=True)
            if problems:
                issues.extend(problems)
            else:
                merged._user_ids.add(place.id)
        return merged, issues

    # ----------------------------------------------------------------- queries

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)

    def is_user_place(self, place_id: str) -> bool:
        """Whether the place comes from the user's ``places.csv`` (not the shipped file)."""
        return place_id in self._user_ids

    def user_places(self) -> list[Place]:
        """The user's places, in file order."""
        return [place for place in self if place.id in self._user_ids]

    def lookup(self, name: str) -> Place | None:
        """The place with this id, name or alternative name, compared exactly first,
        then ignoring case, accents, punctuation and spaces; ``None`` if none."""
        if not isinstance(name, str):
            return None
        return self._exact.get(name) or self._normalized.get(normalize_name(name))

    def name_index(self) -> dict[str, Place]:
        """Normalised name or alternative name (see :func:`normalize_name`) -> place.

        Ids are not included (only the names documents may use). A new dict each call.
        """
        return {
            normalize_name(n): place for place in self._places.values() for n in place.names
        }

    def geometry(self, place_id: str) -> dict | None:
        """The GeoJSON geometry of a place's outline (a copy), or ``None`` if it has none.

        Read from ``geodata/`` on first use and cached. Raises :class:`GazetteerError`
        if the file is missing or is not GeoJSON.
        """
        place = self._places.get(place_id)
        if place is None or not place.geometry:
            return None
        path = self._origins[place_id][2] / place.geometry
        with self._lock:
            cached = self._geometries.get(path)
            if cached is None:
                cached = self._read_geometry(path)
                self._geometries[path] = cached
        return copy.deepcopy(cached)

    @staticmethod
    def _read_geometry(path: Path) -> dict:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise _file_error(str(path), f"cannot read: {exc}") from exc
        except ValueError as exc:
            raise _file_error(str(path), f"not JSON: {exc}") from exc
        return _geometry_of(data, str(path))


# ------------------------------------------------------------------- CSV rows


def read_places_file(path: Path) -> tuple[list[Place], dict[str, int], list[GazetteerIssue]]:
    """The valid places of a gazetteer-format CSV, their lines, and the issues of the rest.

    Never raises: a file that cannot be read at all gives one issue without a line.
    Geometry files are looked up beside ``path``.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], {}, [GazetteerIssue(str(path), None, None, f"not UTF-8 text: {exc}")]
    except OSError as exc:
        return [], {}, [GazetteerIssue(str(path), None, None, f"cannot read: {exc}")]
    return read_places_text(text, str(path), path.parent)


def read_places_text(
    text: str, file: str, geometry_dir: Path
) -> tuple[list[Place], dict[str, int], list[GazetteerIssue]]:
    """:func:`read_places_file` for text already read (``file`` names it in issues)."""
    return _read_rows(io.StringIO(text, newline=""), file, geometry_dir)


def place_row(place: Place) -> dict[str, str]:
    """A place as a gazetteer CSV row (the inverse of reading one)."""
    values = place.model_dump()
    row = {column: "" if values[column] is None else str(values[column]) for column in COLUMNS}
    row["alt_names"] = ALT_NAME_SEPARATOR.join(place.alt_names)
    row["lat"], row["lon"] = repr(place.lat), repr(place.lon)
    return row


def format_places_csv(places: Iterable[Place], *, header: bool = True) -> str:
    """Places as gazetteer CSV text (Unix line ends), with the header row unless told not to."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(place_row(place) for place in places)
    return buffer.getvalue()


def _read_rows(
    fh: Iterable[str], file: str, geometry_dir: Path
) -> tuple[list[Place], dict[str, int], list[GazetteerIssue]]:
    """Parse and validate the rows; return the valid places, their lines and the issues."""
    reader = csv.reader(fh, strict=True)
    issues: list[GazetteerIssue] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], {}, [GazetteerIssue(file, 1, None, f"CSV syntax error: {exc}")]
    if header is None:
        return [], {}, [GazetteerIssue(file, 1, None, "empty file: expected a header row")]
    header = [h.strip() for h in header]
    for column in COLUMNS:
        if column not in header:
            issues.append(GazetteerIssue(file, 1, column, "missing column"))
    for column in header:
        if column not in COLUMNS:
            issues.append(GazetteerIssue(file, 1, column or "(blank)",
                                         f"unknown column (expected {', '.join(COLUMNS)})"))
        elif header.count(column) > 1:
            issues.append(GazetteerIssue(file, 1, column, "column appears more than once"))
    if issues:
        return [], {}, issues

    places: list[Place] = []
    lines: dict[str, int] = {}
    last_line = reader.line_num
    while True:
        start = last_line + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            issues.append(GazetteerIssue(file, reader.line_num, None, f"CSV syntax error: {exc}"))
            break
        last_line = reader.line_num
        if not any(field.strip() for field in record):
            continue  # blank line
        if len(record) != len(header):
            issues.append(GazetteerIssue(
                file, start, None, f"{len(record)} fields, but the header has {len(header)}"
                " (a comma inside a value needs double quotes)"))
            continue
        row = dict(zip(header, record, strict=True))
        place, row_issues = _parse_row(row, file, start, geometry_dir)
        issues.extend(row_issues)
        if place is None:
            continue
        if place.id in lines:
            issues.append(GazetteerIssue(
                file, start, "id", f"duplicate id {place.id!r} (first on line {lines[place.id]})"))
            continue
        places.append(place)
        lines[place.id] = start
    return places, lines, issues


def _parse_row(
    row: dict[str, str], file: str, line: int, geometry_dir: Path
) -> tuple[Place | None, list[GazetteerIssue]]:
    issues: list[GazetteerIssue] = []

    def bad(column: str, message: str) -> None:
        issues.append(GazetteerIssue(file, line, column, message))

    values: dict[str, Any] = {k: v.strip() for k, v in row.items()}
    for column in ("lat", "lon"):
        try:
            values[column] = float(values[column])
        except ValueError:
            bad(column, f"not a number: {row[column]!r}")
    alt = values["alt_names"]
    values["alt_names"] = [a.strip() for a in alt.split(ALT_NAME_SEPARATOR)] if alt else []
    if any(not a for a in values["alt_names"]):
        bad("alt_names", f"empty name between {ALT_NAME_SEPARATOR!r} separators "
            "(check for a doubled or trailing separator)")
    for column in ("geometry", "note"):
        values[column] = values[column] or None
    geometry = values["geometry"]
    if geometry is not None:
        if Path(geometry).name != geometry or not geometry.endswith(".geojson"):
            bad("geometry", f"{geometry!r} must be the name of a .geojson file in {geometry_dir}")
        elif not (geometry_dir / geometry).is_file():
            bad("geometry", f"no such file: {geometry_dir / geometry}")
    elif values["kind"] == "border":
        bad("geometry", "a border needs a geometry (its line)")
    if issues:
        return None, issues
    try:
        return Place.model_validate(values), []
    except ValidationError as exc:
        for error in exc.errors():
            column = str(error["loc"][0]) if error["loc"] else None
            value = row.get(column, "") if column else ""
            bad(column or "(row)", f"{error['msg']} (value {value!r})")
        return None, issues
