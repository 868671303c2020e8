"""The user's own places (``places.csv``): propose one from a geocoder answer, add it safely.

A name the gazetteer lacks but the geocoder found (in its cache or live) can
become one of the user's places, so that events can name it.
:func:`propose_place` fills in what the answer supports, for the user to check:

* ``id``: a slug of the name as the document writes it ("Kashgar" -> ``kashgar``),
  made unique;
* ``kind``: from the provider's category (a country, an administrative area =
  region, anything else a point = city);
* ``country`` at the time: the ``country`` of the gazetteer country whose outline
  contains the point (the shipped outlines are today's borders, so the note says
  so); outside them, today's country as the provider names it;
* ``source``: the provider's answer, from the geocoder cache entry (query, time,
  display name, OpenStreetMap id, licence).

:func:`add_user_place` checks a place against the shipped and the user's places
(no id or name may be reused, see ``geodata/README.md``) and the file as it
would be written, then appends the row to the ``places.csv`` that the user's
store keeps (``exchanges.store``), in one write transaction: writers are
serialised, so two processes adding places at once both keep theirs (or the
second is told its id or name is now taken); a refused or failed write leaves
the places unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError
from shapely.geometry import Point, shape

from exchanges.gazetteer import (
    DEFAULT_PATH,
    USER_PLACES_FILE,
    Gazetteer,
    GazetteerError,
    Place,
    format_places_csv,
    normalize_name,
    read_places_text,
    user_places_path,
)
from exchanges.issues import Issue, validation_issues
from exchanges.store import StoreError, open_store
from exchanges.store_import import PLACES_FILE
from exchanges.text import slugify
from exchanges.userdata import UserDataError

KINDS = ("city", "region", "country")
"""Kinds a user place may have here: a ``border`` needs an outline file, added by hand."""


class LocatedLike(Protocol):
    """A geocoder answer (``exchanges.ingest.analysis.Located`` or ``geocoder.Resolution``)."""

    name: str  # the provider's display name
    lat: float
    lon: float
    source: str
    kind_hint: str | None


@dataclass(frozen=True)
class PlaceProposal:
    """A place proposed for a name the geocoder found; every field can be changed before adding."""

    query: str  # the name as the document writes it
    id: str
    kind: str
    country: str
    country_basis: str  # how ``country`` was chosen, for the note
    lat: float
    lon: float
    found_as: str  # the provider's display name
    source: str

    def place(
        self,
        *,
        place_id: str | None = None,
        name: str | None = None,
        kind: str | None = None,
        country: str | None = None,
        added_from: str = "a geocoder answer",
    ) -> Place:
        """The place as the user settles it; ``UserDataError`` names each bad field.

        The note records that the user added it, from what, and how the country was chosen.
        """
        name = (name if name is not None else self.query).strip()
        country = (country if country is not None else self.country).strip()
        basis = self.country_basis if country == self.country.strip() else "as entered by the user"
        values = {
            "id": (place_id if place_id is not None else self.id).strip(),
            "name": name,
            "kind": kind or self.kind,
            "lat": self.lat,
            "lon": self.lon,
            "country": country,
            "alt_names": [self.query] if normalize_name(self.query) != normalize_name(name) else [],
            "source": self.source,
            "note": f"Added by the user from {added_from}, found as {self.found_as!r}. Country: {basis}.",
        }
        try:
            return Place.model_validate(values)
        except ValidationError as exc:
            issues = validation_issues(exc, USER_PLACES_FILE, model=Place)
            raise UserDataError("not added: " + "; ".join(str(issue) for issue in issues), issues) from None


def propose_place(query: str, located: LocatedLike, gazetteer: Gazetteer) -> PlaceProposal:
    """What to add for ``query``, which the geocoder placed at ``located`` (see the module doc)."""
    kind = located.kind_hint if located.kind_hint in KINDS else "city"
    country, basis = _country_of(located, gazetteer)
    return PlaceProposal(
        query=query.strip(),
        id=unique_place_id(query, gazetteer),
        kind=kind,
        country=country,
        country_basis=basis,
        lat=float(located.lat),
        lon=float(located.lon),
        found_as=located.name,
        source=located.source,
    )


def unique_place_id(name: str, gazetteer: Gazetteer) -> str:
    """A slug of ``name`` that is neither an id nor a name of a place yet ("kashgar", "kashgar-2")."""
    base = slugify(name) or "place"  # a name without Latin letters gives no slug
    candidate, number = base, 2
    while candidate in gazetteer or gazetteer.lookup(candidate) is not None:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def country_outline_at(gazetteer: Gazetteer, lat: float, lon: float) -> Place | None:
    """The gazetteer country whose outline contains the point, if any."""
    point = Point(lon, lat)
    for place in gazetteer:
        if place.kind != "country" or not place.geometry:
            continue
        try:
            geometry = gazetteer.geometry(place.id)
        except GazetteerError:
            continue
        if geometry is not None and shape(geometry).covers(point):
            return place
    return None


def _country_of(located: LocatedLike, gazetteer: Gazetteer) -> tuple[str, str]:
    outline = country_outline_at(gazetteer, located.lat, located.lon)
    if outline is not None:
        return outline.country, (f"inside the outline of {outline.name} in the gazetteer "
                                 "(today's borders: check it for the time)")
    today = located.name.rsplit(",", 1)[-1].strip()
    if today:
        return today, "today's country as OpenStreetMap gives it (check it for the time)"
    return "", "not known"


def add_user_place(place: Place, *, shipped: Path = DEFAULT_PATH) -> str:
    """Add ``place`` to the user's places (in the store); return how they are named (``places.csv``).

    Refused with ``UserDataError`` (row and field in the message, nothing
    written) when the id or a name is taken by a shipped or user place, or the
    row would not read back as written (e.g. the file's header is broken), or
    the store cannot be written.
    """
    path = user_places_path()
    try:
        with open_store().write() as writer:
            existing = writer.read_file(PLACES_FILE) or ""
            if existing.strip():
                existing += "" if existing.endswith("\n") else "\n"
                text = existing + format_places_csv([place], header=False)
                line = existing.count("\n") + 1
            else:
                existing, text, line = "", format_places_csv([place]), 2
            _check_new_row(place, existing, text, line, path, shipped)
            writer.put_file(PLACES_FILE, text)
    except StoreError as exc:
        raise UserDataError(f"not added: {exc}") from exc
    return f"{path.name} in your saved data"


def _check_new_row(place: Place, existing: str, text: str, line: int, path: Path, shipped: Path) -> None:
    """Refuse unless the new file reads back with ``place`` valid on ``line`` and clashing with nothing."""
    places, lines, issues = read_places_text(text, str(path), path.parent)
    problems: list[Issue] = [issue for issue in issues if issue.row == line]
    read_back = next((p for p in places if lines.get(p.id) == line), None)
    if read_back is None and not problems:
        problems = [issue for issue in issues if issue.row is None or issue.row == 1] or [
            Issue(str(path), line, None, "the row does not read back")]
    if not problems:
        before, before_lines, _ = read_places_text(existing, str(path), path.parent)
        current, _ = Gazetteer.load(shipped).with_places(before, file=str(path), lines=before_lines,
                                                         geometry_dir=path.parent)
        _, problems = current.with_places([place], file=str(path), lines={place.id: line},
                                          geometry_dir=path.parent)
    if problems:
        raise UserDataError("not added: " + "; ".join(str(issue) for issue in problems))


def accept_all(
    located: Mapping[str, LocatedLike], gazetteer: Gazetteer, *, added_from: str,
) -> tuple[list[Place], dict[str, str]]:
    """Add every located name as proposed (for the command line): the places added, and why others were not."""
    added: list[Place] = []
    refused: dict[str, str] = {}
    for query, answer in located.items():
        try:
            proposal = propose_place(query, answer, gazetteer)
            place = proposal.place(added_from=added_from)
            add_user_place(place)
        except UserDataError as error:
            refused[query] = error.message
            continue
        added.append(place)
        gazetteer, _ = gazetteer.with_places([place], file=str(user_places_path()))
    return added, refused
