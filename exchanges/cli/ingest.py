"""``python -m exchanges ingest FILE``: draft events from an archival document.

Examples::

    python -m exchanges ingest letter.txt
    python -m exchanges ingest letter.txt --out drafts/letter.yaml --live-geocoding
    python -m exchanges ingest letter.txt --out drafts/letter.yaml --no-store
    python -m exchanges ingest letter.txt --live-geocoding --accept-places
    python -m exchanges ingest notes.txt --date 1962-08-10

Keeps the draft (the document record, its text and the draft events) in the
user's store (table ``drafts``; one transaction), where the app's "Add a
document" page lists it under "Open a saved draft"; with ``--out PATH`` it also
writes the draft events (events schema) to PATH, with the document record and
text beside it (all three files or none); ``--no-store`` leaves the store out
(``--out`` is then needed). It prints what was found: places with their counts,
names that could not be placed, dates with their precision, figures. Nothing is
added to the user's saved events: review the draft, then save it in the app.

Places are the shipped gazetteer's and the user's own (``places.csv``). A name
the geocoder places outside them (from its cache, or online with
``--live-geocoding``) is only reported, unless ``--accept-places`` adds it to
``places.csv`` (source: the geocoder's answer; ``exchanges.user_places``); the
drafts then name it.

The document's date comes from its header (a date line, an archive's
"Publication Date", a decimal file number, a "[Received …]" note) or
``--date``. Without one the document is still analysed and drafted: the
drafts whose date cannot be known are written with the date empty, and the
report ends with a request for the date.

Exit status: 0 on success (also when the date is still to be given); 2 for a
file that cannot be used (missing, empty, binary, not UTF-8, too large) or a
bad argument (an ``--id`` that is not a lower-case slug or is a shipped
document's id); 1 when the text holds nothing to draft from.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import yaml

from exchanges.gazetteer import Gazetteer, Place, user_places_path
from exchanges.geocoder import Geocoder
from exchanges.ingest.analysis import Located, analyse_document
from exchanges.ingest.drafts import propose_events, store_draft, write_draft
from exchanges.loader import DataValidationError, load_catalog
from exchanges.paths import DATA_DIR
from exchanges.user_places import accept_all
from exchanges.userdata import UserDataError, check_document_id, check_size, decode_upload

EXIT_BAD_INPUT = 2
EXIT_NO_DRAFT = 1


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest",
        help="propose draft events from a document's text",
        description=__doc__.split("\n\n")[0] if __doc__ else None,
    )
    parser.add_argument("file", type=Path, help="the document as a UTF-8 text file")
    parser.add_argument("--out", type=Path, default=None,
                        help="also write the draft as files: the draft events (.yaml), the document beside them")
    parser.add_argument("--no-store", dest="store", action="store_false",
                        help="do not keep the draft in your store (the app's 'Open a saved draft'); needs --out")
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
    if args.out is None and not getattr(args, "store", True):
        return _fail(err, "--no-store: give --out PATH, or the draft is written nowhere", EXIT_BAD_INPUT)
    return _ingest(text, args, out, err)


def _fail(err: TextIO, message: str, status: int) -> int:
    print(f"error: {message}", file=err)
    return status


def _ingest(text: str, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
        return _fail(err, f"{args.file}: {exc}", EXIT_NO_DRAFT)
    written, problem = _write(draft_set, args.out, store=getattr(args, "store", True))
    if problem:
        return _fail(err, problem, EXIT_BAD_INPUT)
    print(summary(analysis, draft_set, gazetteer, written, accepted), file=out)
    if analysis.resolution.unresolved and not args.live_geocoding:
        print("(--live-geocoding looks the unresolved names up online, in OpenStreetMap's Nominatim)", file=out)
    for name, reason in accepted.refused.items():
        print(f"warning: {name} was not added to your places: {reason}", file=err)
    if draft_set.date_request:
        undated = sum(draft.needs_date for draft in draft_set.drafts)
        print(f"DATE NEEDED: {draft_set.date_request} {undated} draft(s) were written without a date: run again "
              f"with --date YYYY-MM-DD, or give the date in the app's 'Add a document' page.", file=out)
    return 0


def _write(draft_set, out: Path | None, *, store: bool) -> tuple[str, str | None]:  # type: ignore[no-untyped-def]
    """Write the draft files (``out``) and keep the draft in the store (``store``): where it went,
    and what could not be written (said, never reported as written)."""
    places = []
    if out is not None:
        try:
            places.append(str(write_draft(draft_set, out)))
        except (OSError, UserDataError) as exc:
            return "", f"cannot write the draft: {exc}"
    if store:
        try:
            places.append(f"your store as {store_draft(draft_set)} (the app: Add a document, Open a saved draft)")
        except UserDataError as exc:
            wrote = f"the draft files were written ({places[0]}), but " if places else ""
            return "", f"{wrote}the draft was not kept in your store: {exc.message}"
    return " and kept in ".join(places), None


def _shipped_document_ids() -> set[str]:
    """The shipped documents' ids read straight from ``documents.yaml`` (when the catalog did not load)."""
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
    added, refused = accept_all(located, gazetteer, added_from="a geocoder answer (exchanges ingest --accept-places)")
    return Accepted(added, refused, user_places_path())


def summary(analysis, draft_set, gazetteer, written: Path | str,  # type: ignore[no-untyped-def]
            accepted: Accepted | None = None) -> str:
    """The report printed after ingesting: what was found and where the draft is."""
    document = analysis.document
    date = draft_set.document.date
    source = analysis.date_source
    lines = [f"Document: {draft_set.document.title}",
             f"  id {draft_set.document.id}; date "
             + (f"{date.isoformat()} ({'from --date' if source == 'given' else source})" if date
                else "unknown (to be given: see DATE NEEDED below)")]
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

    people = list(dict.fromkeys(person.name for person in analysis.people))
    if people:
        lines.append(f"People who are not known actors ({len(people)}; add them as actors to name them in events):")
        lines += [f"  {name}" for name in people]
    lines.append(f"Dates ({len(analysis.dates)}):")
    for mention in analysis.dates:
        span = (f"{mention.date.isoformat()}..{mention.end_date.isoformat()}" if mention.is_span
                else mention.date.isoformat())
        kind = "" if mention.kind == "absolute" else f", {mention.kind}"
        lines.append(f"  {mention.text!r} -> {span} ({mention.precision.value}{kind})")
    if analysis.unresolved_dates:
        lines.append(f"Dates without a year ({len(analysis.unresolved_dates)}; the document's date would place them):")
        lines += [f"  {u.text.strip()!r}" for u in analysis.unresolved_dates]
    lines.append(f"Figures ({len(analysis.figures)}):")
    for figure in analysis.figures:
        value = f"{figure.low}-{figure.high}" if figure.high is not None else f"{figure.low}"
        approx = " (approximate)" if figure.approximate else ""
        lines.append(f"  {figure.quote!r} -> {value} {figure.what}{approx}")
    lines.append(f"Draft events: {len(draft_set.drafts)} written to {written}")
    lines.append("Review them, then save them in the app's 'Add document' page.")
    return "\n".join(lines)
