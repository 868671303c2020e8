"""``python -m exchanges export``: slides and data files from the command line.

Examples::

    python -m exchanges export --from 1962-04-01 --to 1962-08-31 --format png --out slides/
    python -m exchanges export --tour xinjiang-1962 --chart map --out slides/
    python -m exchanges export --tour xinjiang-1962 --format pptx --out slides/   # one deck
    python -m exchanges export --tour xinjiang-1962 --worksheet both --paper letter --out handouts/
    python -m exchanges export --type letter --format csv --out handouts/
    python -m exchanges export --search Peking --format json --out handouts/

Images show exactly what the explore page shows for the same filters (the same
filter state and figure builders), with the title and source line baked in.
Bad arguments end with exit status 2 and a message naming the argument; a
missing Chromium ends with status 3 and says what to install. Everything is
checked (and the events found) before the output folder is made, and a run that
writes nothing takes away any folder it made. Files are named after the whole
filter (:func:`filter_stem`), e.g. ``from-1962-04-01_to-1962-08-31_map.png``.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import difflib
import hashlib
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from exchanges.catalog import Catalog
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.export.data import events_to_csv, events_to_json
from exchanges.export.deck import build_deck, deck_pdf, deck_pptx
from exchanges.export.engine import ExportError, ExportUnavailable, shared_engine
from exchanges.export.options import (
    CHART_CHOICES,
    IMAGE_FORMATS,
    MAX_EXPORT_WIDTH,
    MAX_SCALE,
    MIN_EXPORT_WIDTH,
    MIN_SCALE,
    image_filename,
    options_for_width,
)
from exchanges.export.slides import export_view
from exchanges.export.view import ExportView
from exchanges.export.worksheet import worksheet_pdf
from exchanges.filters import MAX_QUERY_LENGTH, FilterState, SearchNames, describe_filters
from exchanges.gazetteer import Gazetteer, GazetteerError
from exchanges.loader import DataValidationError
from exchanges.models import Event, EventType
from exchanges.paths import DATA_DIR
from exchanges.text import slugify
from exchanges.tours import ALL_EVENTS_TOUR_ID, Tour, all_events_tour, load_tours, step_state
from exchanges.userdata import load_user_catalog

DATA_FORMATS = ("csv", "json")
DECK_FORMATS = ("pdf", "pptx")
EXIT_EXPORT_UNAVAILABLE = 3

_DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "day"),
    (re.compile(r"^\d{4}-\d{2}$"), "month"),
    (re.compile(r"^\d{4}$"), "year"),
)


# --------------------------------------------------------------------------- argument types


def _parse_date(text: str, *, end: bool) -> dt.date:
    """YYYY-MM-DD, YYYY-MM or YYYY; a month or year means its first (or, for --to, last) day."""
    value = text.strip()
    for pattern, kind in _DATE_FORMATS:
        if not pattern.match(value):
            continue
        try:
            if kind == "day":
                return dt.date.fromisoformat(value)
            year = int(value[:4])
            if kind == "month":
                month = int(value[5:7])
                day = calendar.monthrange(year, month)[1] if end else 1
                return dt.date(year, month, day)
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        except ValueError as bad:
            raise argparse.ArgumentTypeError(f"{text!r} is not a real date ({bad})") from bad
    raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")


def start_date(text: str) -> dt.date:
    return _parse_date(text, end=False)


def end_date(text: str) -> dt.date:
    return _parse_date(text, end=True)


def _bounded(kind: type, low: float, high: float, unit: str = "") -> Any:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a {kind.__name__}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is outside {low:g}–{high:g}{unit}")
        return value

    parse.__name__ = kind.__name__
    return parse


def _split_values(values: Iterable[str] | None) -> list[str]:
    """--actor a --actor b,c -> [a, b, c]."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return list(dict.fromkeys(out))


# --------------------------------------------------------------------------- parser


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "export",
        help="write the map and timeline as images (PNG/SVG/PDF) or the events as CSV/JSON",
        description=__doc__.split("\n\n")[0],
        epilog=(
            "examples:\n"
            "  python -m exchanges export --from 1962-04-01 --to 1962-08-31 --format png --out slides/\n"
            "  python -m exchanges export --tour xinjiang-1962 --chart map --out slides/\n"
            "  python -m exchanges export --tour xinjiang-1962 --format pdf --out slides/   # one deck\n"
            "  python -m exchanges export --tour xinjiang-1962 --worksheet student --paper a4 --out handouts/\n"
            "  python -m exchanges export --actor gromyko --format csv --out handouts/"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = parser.add_argument_group("what to export")
    what.add_argument("--from", dest="date_from", type=start_date, metavar="DATE",
                      help="first day (YYYY-MM-DD, YYYY-MM or YYYY)")
    what.add_argument("--to", dest="date_to", type=end_date, metavar="DATE",
                      help="last day (YYYY-MM-DD, YYYY-MM or YYYY)")
    what.add_argument("--actor", action="append", metavar="ID",
                      help="only events naming this actor (repeat or comma-separate for several)")
    what.add_argument("--place", action="append", metavar="ID",
                      help="only events at this gazetteer place (repeatable)")
    what.add_argument("--type", dest="event_type", action="append", metavar="TYPE",
                      help=f"only events of this type (repeatable): {', '.join(t.value for t in EventType)}")
    what.add_argument("--theme", action="append", metavar="ID",
                      help="only events tagged with this theme (repeatable)")
    what.add_argument("--search", metavar="TEXT",
                      help="only events whose text matches, as the explore page's search does "
                           "(accents and case ignored; a place's or actor's other names count, "
                           "so 'Peking' finds Beijing)")
    what.add_argument("--event", metavar="ID",
                      help="highlight this event (as when it is selected on the explore page)")
    what.add_argument("--tour", metavar="NAME",
                      help="this tour (id or title; 'all-events' for every event): one image per step and "
                           "chart, or with --format pdf / pptx one deck (a title slide, then a slide per step)")
    how = parser.add_argument_group("output")
    how.add_argument("--format", choices=IMAGE_FORMATS + ("pptx",) + DATA_FORMATS, default="png",
                     help="png, svg, pdf (images; with --tour, pdf is one deck) or pptx (a tour's deck) "
                          "or csv, json (data); default png")
    lesson = parser.add_argument_group("a tour's deck and worksheet")
    lesson.add_argument("--images", action="store_true",
                        help="with --tour --format pdf: one PDF image per step and chart, not one deck")
    lesson.add_argument("--worksheet", choices=("student", "teacher", "both"),
                        help="with --tour: a printable worksheet (PDF) instead of slides; the teacher's "
                             "version adds the captions")
    lesson.add_argument("--paper", choices=("a4", "letter"), default="a4",
                        help="the worksheet's paper size; default a4")
    how.add_argument("--out", type=Path, default=Path("slides"), metavar="DIR",
                     help="folder to write into (created if missing); default slides/")
    how.add_argument("--chart", choices=("map", "timeline", "both"), default="both",
                     help="which chart to export; default both")
    how.add_argument("--width", type=_bounded(int, MIN_EXPORT_WIDTH, MAX_EXPORT_WIDTH, " px"),
                     default=1920, help="layout width in pixels; default 1920 (height is 16:9)")
    how.add_argument("--scale", type=_bounded(float, MIN_SCALE, MAX_SCALE), default=1.0,
                     help="pixel density: 2 doubles the pixels of a PNG; default 1")
    how.add_argument("--style", choices=("projector", "screen"), default="projector",
                     help="projector: large type, strong contrast (default); screen: the app's look")
    how.add_argument("--lanes", choices=("side", "type"), default="side",
                     help="timeline lanes: by the side an event comes from (default) or by event type")
    how.add_argument("--data-dir", type=Path, default=DATA_DIR, metavar="DIR",
                     help=argparse.SUPPRESS)
    parser.set_defaults(func=run_export, export_parser=parser)
    return parser


# --------------------------------------------------------------------------- run


def _suggest(value: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.5)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _check_known(parser: argparse.ArgumentParser, option: str, values: Sequence[str], known: Iterable[str]) -> None:
    known = set(known)
    for value in values:
        if value not in known:
            parser.error(f"argument {option}: unknown {option[2:]} {value!r}{_suggest(value, known)}")


class OutputFolder:
    """The ``--out`` folder, made only once everything is checked, and taken away
    again (with any parent folders made for it) if nothing was written into it,
    so a failed export leaves no empty folder of ours behind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.created: list[Path] = []  # deepest first
        self.written: list[Path] = []

    def create(self, parser: argparse.ArgumentParser) -> None:
        """Make the folder (and its parents); a folder that cannot be written ends with status 2."""
        missing = [p for p in (self.folder, *self.folder.parents) if not p.exists()]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as failed:
            self._note_created(missing)
            self.discard_if_empty()
            parser.error(f"argument --out: cannot create {self.folder}: {failed.strerror or failed}")
        self._note_created(missing)
        if not os.access(self.folder, os.W_OK | os.X_OK):
            self.discard_if_empty()
            parser.error(f"argument --out: {self.folder} is not writable")

    def _note_created(self, missing: Iterable[Path]) -> None:
        self.created = [p for p in missing if p.is_dir()]

    def write(self, name: str, data: bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data)
        self.written.append(path)
        return path

    def discard_if_empty(self) -> None:
        """Remove the folders we made if we wrote nothing (``rmdir`` leaves a folder
        someone else has put something into)."""
        if self.written:
            return
        for folder in self.created:
            try:
                folder.rmdir()
            except OSError:
                break
        self.created = []


def _find_tour(parser: argparse.ArgumentParser, name: str, catalog: Catalog, gazetteer: Gazetteer) -> Tour:
    if name == ALL_EVENTS_TOUR_ID:
        return all_events_tour(catalog.events)
    tours, issues = load_tours(catalog, gazetteer)
    for issue in issues:
        print(f"warning: skipped invalid tour: {issue}", file=sys.stderr)
    if name in tours:
        return tours[name]
    by_title = [t for t in tours.values() if t.title.casefold() == name.casefold()]
    if by_title:
        return by_title[0]
    known = sorted(tours) + [ALL_EVENTS_TOUR_ID]
    parser.error(f"argument --tour: unknown tour {name!r}{_suggest(name, known)}; known tours: {', '.join(known)}")
    raise AssertionError("unreachable")


MAX_STEM_LENGTH = 80
"""Longer file-name stems are cut and end with a hash of the whole, so they stay distinct."""


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def _slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens only (accents dropped); a hash
    of the text when nothing of it is left (e.g. a search in Chinese)."""
    return slugify(text) or _short_hash(text)


def _shorten(stem: str) -> str:
    if len(stem) <= MAX_STEM_LENGTH:
        return stem
    return f"{stem[:MAX_STEM_LENGTH - 9].rstrip('-_.')}-{_short_hash(stem)}"


def filter_stem(state: FilterState, *, highlight: str | None = None) -> str:
    """A file-name stem naming the whole filter, its parts in a fixed order:
    ``from-1962-04-01_to-1962-08-31``, ``from-1962-08-10_to-end``, ``actor-gromyko``,
    ``type-letter.proposal_search-peking``; ``all-events`` for no filter. Several
    values of one filter are sorted and joined with dots; only ``a-z0-9._-``."""
    parts: list[str] = []
    if state.date_from or state.date_to:
        parts.append(f"from-{state.date_from.isoformat() if state.date_from else 'start'}")
        parts.append(f"to-{state.date_to.isoformat() if state.date_to else 'end'}")
    for key, values in _list_filters(state):
        parts.append(f"{key}-{'.'.join(sorted(_slug(v) for v in values))}")
    if state.query:
        parts.append(f"search-{_slug(state.query)}")
    if highlight:
        parts.append(f"event-{_slug(highlight)}")
    return _shorten("_".join(parts)) if parts else "all-events"


def _list_filters(state: FilterState) -> list[tuple[str, list[str]]]:
    """The list-valued filters that are set, as (name, values), in a fixed order."""
    lists = (
        ("actor", list(state.actors)),
        ("place", list(state.places)),
        ("type", [t.value for t in state.event_types]),
        ("theme", list(state.themes)),
    )
    return [(name, values) for name, values in lists if values]


def run_export(args: argparse.Namespace) -> int:
    """Check the arguments against the data and find the events, then make the
    folder and write the files (a failure writing nothing leaves no folder)."""
    parser: argparse.ArgumentParser = args.export_parser
    if args.date_from and args.date_to and args.date_from > args.date_to:
        parser.error(
            f"argument --from: {args.date_from.isoformat()} is after --to {args.date_to.isoformat()}"
        )
    query = " ".join((args.search or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        parser.error(f"argument --search: longer than {MAX_QUERY_LENGTH} characters")
    actors = _split_values(args.actor)
    places = _split_values(args.place)
    types = _split_values(args.event_type)
    themes = _split_values(args.theme)
    _check_known(parser, "--type", types, (t.value for t in EventType))

    catalog, gazetteer = _load_data(parser, args.data_dir)
    _check_known(parser, "--actor", actors, catalog.actors)
    _check_known(parser, "--place", places, (p.id for p in gazetteer))
    if catalog.themes:
        _check_known(parser, "--theme", themes, catalog.themes)
    if args.event is not None and not catalog.has_event(args.event):
        parser.error(
            f"argument --event: unknown event {args.event!r}{_suggest(args.event, (e.id for e in catalog.events))}"
        )

    state = FilterState(
        date_from=args.date_from,
        date_to=args.date_to,
        actors=tuple(actors),
        places=tuple(places),
        event_types=tuple(types),
        themes=tuple(themes),
        query=query,
        selected=args.event,
        names=SearchNames.build(gazetteer, catalog.actors.values()),
    )
    selected = state.apply(catalog.events)
    _check_lesson_options(parser, args)
    tour = _find_tour(parser, args.tour, catalog, gazetteer) if args.tour else None

    if tour is not None:
        keep = {e.id for e in selected}
        steps = [(n, step) for n, step in enumerate(tour.steps, start=1) if step.event in keep]
        if not steps:
            parser.error(f"argument --tour: no step of tour {tour.id!r} matches the filters "
                         f"({describe_filters(state, catalog, gazetteer)})")
    elif not selected:
        parser.error(f"no events match the filters ({describe_filters(state, catalog, gazetteer)}); "
                     "nothing to export")

    out = OutputFolder(args.out)
    out.create(parser)
    try:
        if args.format in DATA_FORMATS:
            events = [catalog.event(step.event) for _, step in steps] if tour else list(selected)
            return _write_data(args, out, events, catalog, gazetteer, tour, state)
        if tour is not None and _wants_lesson(args):
            return _write_lesson(args, out, tour, [number for number, _ in steps], catalog, gazetteer)
        return _write_images(args, out, selected, catalog, gazetteer, tour, state)
    finally:
        out.discard_if_empty()


def _wants_lesson(args: argparse.Namespace) -> bool:
    """A deck or a worksheet rather than one image per step."""
    return bool(args.worksheet) or args.format == "pptx" or (args.format == "pdf" and not args.images)


def _check_lesson_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if not args.tour:
        for given, option in ((args.format == "pptx", "--format pptx"), (args.worksheet, "--worksheet"),
                              (args.images, "--images")):
            if given:
                parser.error(f"argument {option}: needs --tour (a deck and a worksheet are made from a tour)")
    if args.worksheet and args.format not in ("png", "pdf"):
        parser.error(f"argument --worksheet: a worksheet is a PDF; --format {args.format} does not apply")
    if args.images and args.format != "pdf":
        parser.error("argument --images: only with --format pdf (png and svg are always one image per chart)")


def _write_lesson(
    args: argparse.Namespace,
    out: OutputFolder,
    tour: Tour,
    steps: Sequence[int],
    catalog: Catalog,
    gazetteer: Gazetteer,
) -> int:
    """The tour's deck (PDF or PowerPoint), or its worksheet(s), for the steps that match the filters."""
    stem = _slug(tour.id)
    if args.worksheet:
        versions = ("student", "teacher") if args.worksheet == "both" else (args.worksheet,)
        for version in versions:
            data = worksheet_pdf(tour, catalog, paper=args.paper, version=version, steps=steps)
            path = out.write(f"{stem}_worksheet_{version}_{args.paper}.pdf", data)
            print(f"wrote {path} ({version}'s worksheet, {args.paper.upper()}, {len(steps)} steps)")
        return 0
    try:
        deck = build_deck(tour, catalog, gazetteer, steps=steps)
    except (ExportUnavailable, ExportError) as failed:
        print(f"error: {failed}", file=sys.stderr)
        return EXIT_EXPORT_UNAVAILABLE
    data = deck_pptx(deck) if args.format == "pptx" else deck_pdf(deck)
    path = out.write(f"{stem}_slides.{args.format}", data)
    print(f"wrote {path} ({len(deck)} slides: a title slide and {len(deck.slides)} steps)")
    return 0


def _load_data(parser: argparse.ArgumentParser, data_dir: Path) -> tuple[Catalog, Gazetteer]:
    """The places and the catalog the app shows (as ``components.data`` loads
    them): shipped data plus the user's own places, documents and events."""
    try:
        gazetteer = Gazetteer.load_with_user_places()
        catalog = load_user_catalog(data_dir, gazetteer=gazetteer)
    except (DataValidationError, GazetteerError) as invalid:
        print(f"error: the data does not load:\n{invalid}", file=sys.stderr)
        raise SystemExit(EXIT_EXPORT_UNAVAILABLE) from invalid
    for issue in catalog.issues:
        print(f"warning: skipped in your own files: {issue}", file=sys.stderr)
    return catalog, gazetteer


def _write_data(
    args: argparse.Namespace,
    out: OutputFolder,
    events: Sequence[Event],
    catalog: Catalog,
    gazetteer: Gazetteer,
    tour: Tour | None,
    state: FilterState,
) -> int:
    stem = filter_stem(state)
    if tour is not None:
        stem = _slug(tour.id) if state.is_default else _shorten(f"{_slug(tour.id)}_{stem}")
    if args.format == "csv":
        data = events_to_csv(events, catalog, gazetteer)
    else:
        described = describe_filters(state, catalog, gazetteer)
        if tour is None:
            description = described
        elif state.is_default:
            description = f"Tour: {tour.title}"
        else:
            description = f"Tour: {tour.title} ({described})"
        data = events_to_json(events, catalog, description=description)
    path = out.write(f"{stem}_events.{args.format}", data)
    print(f"wrote {path} ({len(events)} events)")
    return 0


def _write_images(
    args: argparse.Namespace,
    out: OutputFolder,
    selected: Sequence[Event],
    catalog: Catalog,
    gazetteer: Gazetteer,
    tour: Tour | None,
    state: FilterState,
) -> int:
    options = options_for_width(args.format, args.width, args.scale)
    style = PROJECTOR_STYLE if args.style == "projector" else DEFAULT_STYLE
    charts = CHART_CHOICES[args.chart]
    jobs: list[tuple[str, ExportView]] = []
    if tour is None:
        view = ExportView.from_filters(state, catalog, gazetteer, style=style, lanes=args.lanes)
        jobs.append((filter_stem(state, highlight=state.selected), view))
    else:
        keep = {e.id for e in selected}
        for number, step in enumerate(tour.steps, start=1):
            if step.event not in keep:
                continue
            current = step_state(tour, number, catalog, gazetteer)
            view = ExportView.of(
                current.shown,
                highlight=current.event.id,
                muted=current.muted,
                view=current.view,
                title=current.title,
                subtitle=tour.title,
                style=style,
                lanes=args.lanes,
            )
            jobs.append((f"{tour.id}_{number:02d}_{step.event}", view))
    try:
        engine = shared_engine()
        for stem, view in jobs:
            images = export_view(view, catalog, gazetteer, charts=charts, options=options, engine=engine)
            for chart, data in images.items():
                path = out.write(image_filename(stem, chart, options), data)
                width, height = options.pixel_size
                size = f"{width}x{height}" if options.format == "png" else options.format.upper()
                print(f"wrote {path} ({size})")
    except ExportUnavailable as missing:
        print(f"error: {missing}", file=sys.stderr)
        return EXIT_EXPORT_UNAVAILABLE
    except ExportError as failed:
        print(f"error: {failed}", file=sys.stderr)
        return EXIT_EXPORT_UNAVAILABLE
    return 0
