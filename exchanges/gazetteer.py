"""The offline gazetteer: places, their historical names and their outlines.

``geodata/gazetteer.csv`` (schema in ``geodata/README.md``) lists every place an
event may name, with a representative point, the name forms documents of the
period use (Wade-Giles/postal romanisations, Russian, Uyghur, Chinese…), where
the coordinate comes from, and optionally a GeoJSON outline in ``geodata/``.

Names are matched by :func:`normalize_name`, which ignores case, accents and
diacritics, punctuation, spaces and a leading "the": "Alma Ata" = "Alma-Ata",
"Ürümqi" = "Urumqi", "Pei-p'ing" = "Peiping". Two places may not share a name in
that sense, so a name always means one place (checked on load).
"""

from __future__ import annotations

import copy
import csv
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
from exchanges.paths import GEODATA_DIR

PlaceKind = Literal["city", "region", "border", "country"]
COLUMNS = ("id", "name", "kind", "lat", "lon", "geometry", "country", "alt_names", "source", "note")
"""The gazetteer CSV's columns, in order (documented in ``geodata/README.md``)."""
ALT_NAME_SEPARATOR = ";"
DEFAULT_PATH = GEODATA_DIR / "gazetteer.csv"


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

    Build it with :meth:`load`; the constructor takes already validated places.
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
        self._file = file
        self._exact: dict[str, Place] = {}
        self._normalized: dict[str, Place] = {}
        self._geometries: dict[str, dict] = {}
        self._lock = threading.Lock()
        issues = self._index(list(places), lines or {})
        if issues:
            raise GazetteerError(issues)

    def _index(self, places: list[Place], lines: dict[str, int]) -> list[GazetteerIssue]:
        issues: list[GazetteerIssue] = []
        owner: dict[str, str] = {}  # normalised name -> place id

        def issue(place: Place, column: str, message: str) -> None:
            issues.append(GazetteerIssue(self._file, lines.get(place.id), column, message))

        for place in places:
            if place.id in self._places:
                issue(place, "id", f"duplicate id {place.id!r}")
                continue
            self._places[place.id] = place
            for column, name in [("id", place.id), ("name", place.name)] + [
                ("alt_names", n) for n in place.alt_names
            ]:
                key = normalize_name(name)
                if not key:
                    issue(place, column, f"{name!r} has no letters or digits")
                    continue
                other = owner.setdefault(key, place.id)
                if other != place.id:
                    where = f" (line {lines[other]})" if other in lines else ""
                    issue(place, column, f"{name!r} is also a name of {other!r}{where}; "
                          "a name must mean one place")
                    continue
                self._exact.setdefault(name, place)
                self._normalized[key] = place
        return issues

    # ------------------------------------------------------------------ loading

    @classmethod
    def load(cls, path: Path = DEFAULT_PATH) -> Gazetteer:
        """Read and validate a gazetteer CSV; geometry files are looked up beside it.

        Raises :class:`GazetteerError` listing every problem by file, line and column.
        """
        path = Path(path)
        file = str(path)
        try:
            with path.open(newline="", encoding="utf-8-sig") as fh:
                places, lines, issues = _read_rows(fh, file, path.parent)
        except UnicodeDecodeError as exc:
            raise _file_error(file, f"not UTF-8 text: {exc}") from exc
        except OSError as exc:
            raise _file_error(file, f"cannot read: {exc}") from exc
        try:
            gazetteer = cls(places, path.parent, file=file, lines=lines)
        except GazetteerError as exc:
            issues.extend(exc.issues)
        if issues:
            raise GazetteerError(sorted(issues, key=lambda i: (i.line or 0)))
        return gazetteer

    # ----------------------------------------------------------------- queries

    def get(self, place_id: str) -> Place | None:
        return self._places.get(place_id)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._places

    def __iter__(self) -> Iterator[Place]:
        return iter(self._places.values())

    def __len__(self) -> int:
        return len(self._places)

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
        with self._lock:
            cached = self._geometries.get(place.geometry)
            if cached is None:
                cached = self._read_geometry(place.geometry)
                self._geometries[place.geometry] = cached
        return copy.deepcopy(cached)

    def _read_geometry(self, name: str) -> dict:
        path = self._geometry_dir / name
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise _file_error(str(path), f"cannot read: {exc}") from exc
        except ValueError as exc:
            raise _file_error(str(path), f"not JSON: {exc}") from exc
        return _geometry_of(data, str(path))


# ------------------------------------------------------------------- CSV rows


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
