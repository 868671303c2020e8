"""``python -m exchanges ingest FILE``: draft events from an archival document.

Examples::

    python -m exchanges ingest letter.txt
    python -m exchanges ingest letter.txt --out drafts/letter.yaml --live-geocoding
    python -m exchanges ingest letter.txt --live-geocoding --accept-places
    python -m exchanges ingest notes.txt --date 1962-08-10

Writes the draft events (events schema) to ``--out`` (default:
``user_data_dir()/drafts/<document id>.yaml``), with the document record and
text beside it, and prints what was found: places with their counts, names
that could not be placed, dates with their precision, figures. Nothing is added
to the user's saved events: review the draft, then save it in the app.

Places are the shipped gazetteer's and the user's own (``places.csv``). A name
the geocoder places outside them (from its cache, or online with
``--live-geocoding``) is only reported, unless ``--accept-places`` adds it to
``places.csv`` (source: the geocoder's answer; ``exchanges.user_places``); the
drafts then name it.

Exit status: 0 on success; 2 for a file that cannot be used (missing, empty,
binary, not UTF-8, too large) or a bad argument (an ``--id`` that is not a
lower-case slug or is a shipped document's id); 1 when the document cannot be
turned into drafts (no date found and no ``--date``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # pragma: no cover - imported when used, to keep `--help` fast
    from exchanges.gazetteer import Gazetteer, Place
    from exchanges.ingest.analysis import Located

EXIT_BAD_INPUT = 2
EXIT_NO_DRAFT = 1


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="propose draft events from a document's text",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("file", type=Path, help="the document as a UTF-8 text file")
    parser.add_argument("--out", type=Path, default=None, help="where to write the draft events (.yaml)")
    parser.add_argument(
        "--live-geocoding",
        action="store_true",
        help="look up unknown place names online (Nominatim); off by default: gazetteer and cache only",
    )
    parser.add_argument(
        "--accept-places",
        action="store_true",
        help="add the names the geocoder places outside the gazetteer to your places (places.csv in the "
             "user data folder), so the drafts can name them; otherwise they are only reported",
    )
    parser.add_argument("--date", type=_iso_date, default=None,
                        help="the document's date (YYYY-MM-DD) if its text has no date line")
    parser.add_argument("--id", dest="document_id", default=None, help="id for the document (a lower-case slug)")
    parser.set_defaults(func=run)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    from exchanges.userdata import UserDataError, check_size, decode_upload  # noqa: PLC0415

    path: Path = args.file
    if not path.exists():
        return _fail(err, f"{path}: file not found", EXIT_BAD_INPUT)
    if not path.is_file():
        return _fail(err, f"{path}: not a file", EXIT_BAD_INPUT)
    try:
        check_size(path.stat().st_size, str(path))  # before reading it
        text = decode_upload(path.read_bytes(), str(path))
    except UserDataError as exc:
        return _fail(err, exc.message, EXIT_BAD_INPUT)
    except OSError as exc:
        return _fail(err, f"{path}: cannot read: {exc.strerror or exc}", EXIT_BAD_INPUT)
    if args.out is not None and args.out.suffix.lower() not in (".yaml", ".yml"):
        return _fail(err, f"--out {args.out}: the draft is YAML; give a .yaml file name", EXIT_BAD_INPUT)
    return _ingest(text, args, out, err)


def _fail(err: TextIO, message: str, status: int) -> int:
    print(f"error: {message}", file=err)
    return status


def _ingest(text: str, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from exchanges.gazetteer import Gazetteer  # noqa: PLC0415 - keep `--help` fast
    from exchanges.geocoder import Geocoder  # noqa: PLC0415
    from exchanges.ingest.analysis import analyse_document  # noqa: PLC0415
    from exchanges.ingest.drafts import propose_events, write_draft  # noqa: PLC0415
    from exchanges.loader import DataValidationError, load_catalog  # noqa: PLC0415
    from exchanges.userdata import UserDataError, check_document_id  # noqa: PLC0415

    gazetteer = Gazetteer.load_with_user_places()
    for issue in gazetteer.issues:
        print(f"warning: left out of your places: {issue}", file=err)
    try:
        catalog = load_catalog(gazetteer=gazetteer)
        actors, shipped_ids = list(catalog.actors.values()), set(catalog.documents)
    except DataValidationError as exc:
        print(f"warning: the shipped data did not load, actors are not matched:\n{exc}", file=err)
        actors, shipped_ids = [], _shipped_document_ids()
    if args.document_id:
        try:
            check_document_id(args.document_id, shipped_ids)
        except UserDataError as exc:
            return _fail(err, f"--id: {exc.message}", EXIT_BAD_INPUT)
    geocoder = Geocoder(gazetteer, live=bool(args.live_geocoding))
    analysis = analyse_document(text, gazetteer, actors=actors, geocoder=geocoder, anchor=args.date)
    accepted = Accepted()
    if args.accept_places and analysis.resolution.located:
        accepted = _accept_places(analysis.resolution.located, gazetteer)
        if accepted.places:  # read again: the new places are now gazetteer names of the text
            gazetteer = Gazetteer.load_with_user_places()
            geocoder = Geocoder(gazetteer, live=False)  # what was left is answered from the cache
            analysis = analyse_document(text, gazetteer, actors=actors, geocoder=geocoder, anchor=args.date)
    try:
        draft_set = propose_events(analysis, args.document_id)
    except ValueError as exc:
        return _fail(err, f"{args.file}: {exc} (or pass --date YYYY-MM-DD)", EXIT_NO_DRAFT)
    try:
        written = write_draft(draft_set, args.out)
    except (OSError, UserDataError) as exc:
        return _fail(err, f"cannot write the draft: {exc}", EXIT_BAD_INPUT)
    print(summary(analysis, draft_set, gazetteer, written, accepted), file=out)
    if analysis.resolution.unresolved and not args.live_geocoding:
        print("(--live-geocoding looks the unresolved names up online, in OpenStreetMap's Nominatim)", file=out)
    for name, reason in accepted.refused.items():
        print(f"warning: {name} was not added to your places: {reason}", file=err)
    return 0


def _shipped_document_ids() -> set[str]:
    """The shipped documents' ids read straight from ``documents.yaml`` (when the catalog did not load)."""
    import yaml  # noqa: PLC0415

    from exchanges.paths import DATA_DIR  # noqa: PLC0415

    try:
        records = yaml.safe_load((DATA_DIR / "documents.yaml").read_text(encoding="utf-8")) or []
    except (OSError, yaml.YAMLError):
        return set()
    return {str(r["id"]) for r in records if isinstance(r, dict) and "id" in r} if isinstance(records, list) else set()


@dataclass
class Accepted:
    """What ``--accept-places`` did: the places added (and to which file), the names refused and why."""

    places: list[Place] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    path: Path | None = None


def _accept_places(located: Mapping[str, Located], gazetteer: Gazetteer) -> Accepted:
    from exchanges.gazetteer import user_places_path  # noqa: PLC0415
    from exchanges.user_places import accept_all  # noqa: PLC0415

    added, refused = accept_all(located, gazetteer, added_from="a geocoder answer (exchanges ingest --accept-places)")
    return Accepted(added, refused, user_places_path())


def summary(analysis, draft_set, gazetteer, written: Path,  # type: ignore[no-untyped-def]
            accepted: Accepted | None = None) -> str:
    """The report printed after ingesting: what was found and where the draft is."""
    document = analysis.document
    lines = [f"Document: {draft_set.document.title}",
             f"  id {draft_set.document.id}; date {draft_set.document.date.isoformat()}"
             + ("" if document.date else " (not in the header: taken from the text or --date)")]
    for label, value in (("classification", document.classification), ("archive source", document.archive_source),
                         ("record id", document.record_id), ("translated by", document.translated_by)):
        if value:
            lines.append(f"  {label}: {value}")

    counts = analysis.place_counts()
    lines.append(f"Places found ({len(counts)}):")
    for place_id, count in counts.items():
        place = gazetteer.get(place_id)
        lines.append(f"  {place_id} ({place.name if place else place_id}): {count}")
    for mention in {m.id: m for m in analysis.inferred_places()}.values():
        lines.append(f"  {mention.id} (inferred): {mention.inferred}")
    resolution = analysis.resolution
    if resolution.resolved:
        lines.append("Place names resolved by the geocoder:")
        lines += [f"  {name} -> {place_id}" for name, place_id in resolution.resolved.items()]
    if accepted is not None and accepted.places:
        lines.append(f"Added to your places ({accepted.path}):")
        lines += [f"  {place.id} ({place.name}): {place.lat:.4f}, {place.lon:.4f}, {place.kind}, {place.country}"
                  for place in accepted.places]
    if resolution.located:
        lines.append("Located outside the gazetteer (--accept-places adds them to your places, so events "
                     "can name them):")
        lines += [f"  {name}: {loc.lat:.4f}, {loc.lon:.4f} ({loc.name}; {loc.provenance})"
                  for name, loc in resolution.located.items()]
    if resolution.unresolved:
        lines.append(f"Unresolved place names ({len(resolution.unresolved)}):")
        lines += [f"  {name}: {reason}" for name, reason in resolution.unresolved.items()]
    else:
        lines.append("Unresolved place names: none")

    lines.append(f"Dates ({len(analysis.dates)}):")
    for date in analysis.dates:
        span = f"{date.date.isoformat()}..{date.end_date.isoformat()}" if date.is_span else date.date.isoformat()
        kind = "" if date.kind == "absolute" else f", {date.kind}"
        lines.append(f"  {date.text!r} -> {span} ({date.precision.value}{kind})")
    lines.append(f"Figures ({len(analysis.figures)}):")
    for figure in analysis.figures:
        value = f"{figure.low}-{figure.high}" if figure.high is not None else f"{figure.low}"
        approx = " (approximate)" if figure.approximate else ""
        lines.append(f"  {figure.quote!r} -> {value} {figure.what}{approx}")
    lines.append(f"Draft events: {len(draft_set.drafts)} written to {written}")
    lines.append("Review them, then save them in the app's 'Add document' page.")
    return "\n".join(lines)
