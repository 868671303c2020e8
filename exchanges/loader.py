"""Load and validate the data files, and the user's own event files.

Every record is validated with the pydantic models of ``exchanges.models``
(types, allowed values, unknown fields). On top of that this module checks
what one file alone cannot: that every actor, place, theme and document an
event names exists, that its passage (and each figure's quote) really occurs
in its document, that ids are unique, and that a date agrees with its
``date_precision`` (see ``data/SCHEMA.md``).

Problems are collected, never stopped at the first: each is an ``Issue``
(``exchanges.issues``) naming the file, the row (the 1-based position of the
record in a YAML/JSON list, or the line of a CSV file) and the field path (``figures[0].low``).
``load_catalog`` raises ``DataValidationError`` with all of them;
``read_event_records`` returns the valid events and the issues of the rest, so
a user's file can be used in part.

Files are read by ``exchanges.reader`` (libyaml, JSON, CSV; limits on nesting,
size, aliases, numbers and columns, checked per record before validation), so
no file, however broken, raises here: it becomes issues. The app's own CSV and
JSON exports (``exchanges.export.data``) read back as the same events.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import unicodedata
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from exchanges.catalog import SHIPPED, Catalog
from exchanges.issues import Issue, IssuesError, validation_issues
from exchanges.models import Actor, DatePrecision, Document, Event, Theme
from exchanges.paths import DATA_DIR, PROJECT_ROOT
from exchanges.reader import (
    LIMITS,
    ReadError,
    check_record,
    csv_rows,
    parse_json,
    parse_yaml,
    read_text_file,
    short_repr,
)

THEMES_FILE = "themes.yaml"
ACTORS_FILE = "actors.yaml"
DOCUMENTS_FILE = "documents.yaml"
EVENTS_FILE = "events.yaml"
DOCUMENTS_SUBDIR = "documents"
"""Texts of the documents listed in a documents file live in this folder beside it."""

EVENT_FILE_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
CSV_LIST_SEPARATOR = ";"
CSV_LIST_FIELDS = ("sender", "recipient", "people", "places", "from_places", "to_places", "themes")
CSV_SOURCE_COLUMNS = {
    "source_document": "document",
    "source_passage": "passage",
    "source.document": "document",
    "source.passage": "passage",
}

EXPORT_CSV_COLUMNS = {
    "sender_ids": "sender",
    "recipient_ids": "recipient",
    "people_ids": "people",
    "place_ids": "places",
    "from_place_ids": "from_places",
    "to_place_ids": "to_places",
    "figures_json": "figures",
}
"""Columns of the app's own CSV export (``exchanges.export.data``) that carry an event field as data."""
EXPORT_CSV_SOURCE = {"document_id": "source_document", "passage": "source_passage"}
EXPORT_CSV_DERIVED = frozenset({
    "date_text", "senders", "recipients", "people", "places", "from_places", "to_places", "figures",
    "document_title", "document_date", "archive_source", "record_id", "collection"})
"""Readable columns of the export (names for ids, the document's metadata): ignored on upload."""
_EXPORT_MARKER = "figures_json"
_FORMULA_PREFIXED = re.compile(r"'[\s\x00-\x1f\u200b-\u200f\u2060\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]")

ModelT = TypeVar("ModelT", bound=BaseModel)


# ---------------------------------------------------------------------------
# Issues
# ---------------------------------------------------------------------------


class DataValidationError(IssuesError):
    """The data did not validate. ``issues`` lists every problem found."""

    def __init__(self, issues: Sequence[Issue]):
        count = len(issues)
        super().__init__(issues, f"{count} problem{'s' if count != 1 else ''} in the data:")


# ---------------------------------------------------------------------------
# Text comparison
# ---------------------------------------------------------------------------

_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4`", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u00ad": None,  # soft hyphen
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text in the form passages are compared in: Unicode NFKC (so '…' is '...'
    and a no-break space a space), typographic quotes and dashes folded to
    ASCII, runs of whitespace collapsed to one space. Case is kept."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    return _WHITESPACE.sub(" ", text).strip()


# ---------------------------------------------------------------------------
# Reading files into raw records
# ---------------------------------------------------------------------------


@dataclass
class _RawFile:
    """Records read from one file, with the row number of each."""

    display: str
    rows: list[tuple[int, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    field_aliases: Mapping[str, str] = field(default_factory=dict)
    json_rows: list[tuple[int, str]] = field(default_factory=list)
    """Records still as JSON texts (``RecordSource.json_records``), with their rows."""
    checked: set[int] = field(default_factory=set)
    """Rows whose records passed ``check_record`` when read (not walked again to validate them)."""


def resolved(path: Path) -> Path:
    """``path`` made absolute with its symlinks resolved, as far as they resolve
    (a symlink loop or an unreadable folder leaves the rest as written)."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return Path(os.path.abspath(path))


def display_path(path: Path) -> str:
    """How a file is named in issues: relative to the project if inside it."""
    try:
        return str(resolved(path).relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _records_from_document(data: Any, raw: _RawFile, list_key: str) -> None:
    """Accept a list of records, or a mapping holding that list under ``list_key``."""
    if data is None:
        return
    if isinstance(data, Mapping) and set(data) == {list_key}:
        data = data[list_key]
    elif isinstance(data, Mapping) and data.get("format") == "exchanges-events" and list_key == "events":
        data = _exported_events(data.get("events"))
    if not isinstance(data, list):
        raw.issues.append(
            Issue(raw.display, None, None,
                      f"expected a list of records (or a mapping with the key '{list_key}'), "
                      f"found {type(data).__name__}")
        )
        return
    for row, record in enumerate(data, start=1):
        _add_row(raw, row, record)


def _add_row(raw: _RawFile, row: int, record: Any) -> None:
    """Keep a record read from a file, unless it breaks the reader's limits (then it is
    listed): whoever reads ``raw.rows`` (validation, the store's import) gets only records
    that are safe to walk, copy and serialise."""
    too_big = check_record(record)
    if too_big is None:
        raw.rows.append((row, record))
        raw.checked.add(row)
    else:
        raw.issues.append(Issue(raw.display, row, too_big.field, too_big.message))


def _exported_events(items: Any) -> Any:
    """The event records of the app's own JSON export (each ``{"event": …, "citation": …}``)."""
    if not isinstance(items, list):
        return items
    return [item["event"] if isinstance(item, Mapping) and "event" in item else item for item in items]


def _read_text(path: Path, raw: _RawFile) -> str | None:
    try:
        return read_text_file(path)
    except ReadError as exc:
        raw.issues.append(Issue(raw.display, None, None, exc.message))
    return None


def _read_yaml(path: Path, list_key: str) -> _RawFile:
    raw = _RawFile(display_path(path))
    text = _read_text(path, raw)
    if text is None:
        return raw
    try:
        data = parse_yaml(text)
    except ReadError as exc:
        raw.issues.append(Issue(raw.display, None, None, exc.message))
        return raw
    _records_from_document(data, raw, list_key)
    return raw


def _read_json(path: Path, list_key: str) -> _RawFile:
    raw = _RawFile(display_path(path))
    text = _read_text(path, raw)
    if text is None:
        return raw

    try:
        data = parse_json(text)
    except ReadError as exc:
        raw.issues.append(Issue(raw.display, None, None, exc.message))
        return raw
    _records_from_document(data, raw, list_key)
    return raw


_SIMPLE_FIGURE = re.compile(
    r"^(?P<approx>~)?\s*(?P<low>\d[\d,]*)(?:\s*[-\u2013]\s*(?P<high>\d[\d,]*))?\s+(?P<what>[^|]+?)"
    r"\s*(?:\|\s*(?P<quote>.+))?$"
)


def parse_simple_figures(cell: str) -> list[dict[str, Any]]:
    """Figures written in the simple CSV form, one per ';'-separated item::

        ~2,500 unemployed Soviet citizens | approximately 2,500
        100-150 families of Soviet citizens in dire need

    ``~`` marks an approximate figure; ``LOW-HIGH`` a range; the text after
    ``|`` is the source's words (``quote``); without it the number as written
    is the quote. Raises ValueError for an item that does not fit the form.
    """
    figures = []
    for item in (part.strip() for part in cell.split(CSV_LIST_SEPARATOR)):
        if not item:
            continue
        match = _SIMPLE_FIGURE.match(item)
        if match is None:
            raise ValueError(
                f"cannot read figure {short_repr(item, 60)}: write '[~]LOW[-HIGH] what [| quote]' "
                "(e.g. '~2,500 unemployed Soviet citizens | approximately 2,500') or JSON"
            )
        low, high = match["low"], match["high"]
        if max(len(low), len(high or "")) > LIMITS.max_number_digits:
            raise ValueError(f"cannot read figure {short_repr(item, 60)}: a number of more than "
                             f"{LIMITS.max_number_digits} digits")
        written = f"{low}-{high}" if high else low
        figure: dict[str, Any] = {
            "low": int(low.replace(",", "")),
            "approximate": bool(match["approx"]),
            "what": match["what"].strip(),
            "quote": (match["quote"] or written).strip(),
        }
        if high:
            figure["high"] = int(high.replace(",", ""))
        figures.append(figure)
    return figures


def _csv_record(row: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Turn one CSV row (column -> cell) into an event record; empty cells are left out."""
    record: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    source: dict[str, str] = {}
    for column, cell in row.items():
        cell = (cell or "")
        if _FORMULA_PREFIXED.match(cell):  # the ' a CSV export puts before a formula-like cell
            cell = cell[1:]
        cell = cell.strip()
        if not cell or not column:
            continue
        if column in CSV_SOURCE_COLUMNS:
            source[CSV_SOURCE_COLUMNS[column]] = cell
        elif column in CSV_LIST_FIELDS:
            record[column] = [part.strip() for part in cell.split(CSV_LIST_SEPARATOR) if part.strip()]
        elif column == "figures":
            if cell[0] in "[{":
                try:
                    figures = parse_json(cell)
                except ReadError as exc:
                    problems.append(("figures", f"figures cell is {exc.message}"))
                    continue
                record["figures"] = figures if isinstance(figures, list) else [figures]
            else:
                try:
                    record["figures"] = parse_simple_figures(cell)
                except ValueError as exc:
                    problems.append(("figures", str(exc)))
        else:
            record[column] = cell
    if source:
        record["source"] = source
    return record, problems


def _read_csv(path: Path) -> _RawFile:
    raw = _RawFile(display_path(path), field_aliases={
        "source.document": "source_document", "source.passage": "source_passage"})
    text = _read_text(path, raw)
    if text is None:
        return raw
    table = csv_rows(text)
    header = _export_layout(table.header)
    allowed = (set(Event.model_fields) - {"source"}) | set(CSV_SOURCE_COLUMNS)
    allowed.add("")  # a readable column of the app's own export
    for name in header:
        if name not in allowed:
            raw.issues.append(Issue(raw.display, 1, _short_name(name),
                                        f"unknown column (allowed: {', '.join(sorted(allowed))})"))
    header_problems = [(line, column, message) for line, column, message in table.problems if line == 1]
    raw.issues += [Issue(raw.display, line, column and _short_name(column), message)
                   for line, column, message in header_problems]
    if raw.issues:
        return raw
    for line, cells in table.rows:
        if len(cells) > len(header):
            raw.issues.append(Issue(raw.display, line, None,
                                        f"{len(cells)} cells but the header has {len(header)} columns"))
            continue
        record, problems = _csv_record(dict(zip(header, cells, strict=False)))
        if problems:
            raw.issues += [Issue(raw.display, line, name, message) for name, message in problems]
            continue
        _add_row(raw, line, record)
    raw.issues += [Issue(raw.display, line, column, message)
                   for line, column, message in table.problems if line != 1]
    return raw


def _export_layout(header: list[str]) -> list[str]:
    """The header with the app's own export columns renamed to event fields (readable
    columns become ``""``, ignored); any other header unchanged."""
    if _EXPORT_MARKER not in header:
        return header
    renamed = {**EXPORT_CSV_COLUMNS, **EXPORT_CSV_SOURCE}
    return ["" if name in EXPORT_CSV_DERIVED else renamed.get(name, name) for name in header]


def _short_name(name: str, limit: int = 60) -> str:
    """A column name as issues show it: cut to ``limit`` characters."""
    return name if len(name) <= limit else name[: limit - 3] + "..."


@dataclass(frozen=True)
class RecordSource:
    """Records that do not come from a file (the user's store, ``exchanges.store``).

    ``display`` names them in issues; ``origin`` is what ``Catalog.event_origins``
    records for their events; ``texts`` holds the texts of documents by id (for a
    source of documents). They are validated exactly as the records of a file.
    ``json_records``, instead of ``records``: the records as JSON texts (the
    store's), validated from the text (see :func:`_validate_source`).
    """

    display: str
    records: Sequence[Any] = ()
    origin: str = ""
    texts: Mapping[str, str] = field(default_factory=dict)
    json_records: Sequence[str] = ()


def _read_source(source: Path | RecordSource, list_key: str) -> _RawFile:
    if isinstance(source, RecordSource):
        return _RawFile(source.display, rows=list(enumerate(source.records, start=1)),
                        json_rows=list(enumerate(source.json_records, start=len(source.records) + 1)))
    return _read_records(source, list_key)


def _source_origin(source: Path | RecordSource) -> str:
    return source.origin or source.display if isinstance(source, RecordSource) else str(resolved(Path(source)))


def _read_records(path: Path, list_key: str) -> _RawFile:
    """Records of a YAML, JSON or CSV file (chosen by suffix)."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path, list_key)
    if suffix == ".json":
        return _read_json(path, list_key)
    if suffix == ".csv" and list_key == "events":
        return _read_csv(path)
    raw = _RawFile(display_path(path))
    allowed = EVENT_FILE_SUFFIXES if list_key == "events" else (".yaml", ".yml", ".json")
    raw.issues.append(Issue(raw.display, None, None,
                                f"unsupported file type {suffix or '(none)'!r}; use {', '.join(allowed)}"))
    return raw


# ---------------------------------------------------------------------------
# Validating records with the models
# ---------------------------------------------------------------------------

_JSON_WITHIN_LIMITS = min(LIMITS.max_values, LIMITS.max_chars)


def _json_within_limits(text: str) -> bool:
    """Whether a JSON text is too small to break the reader's limits (``check_record``): it
    holds at most as many values and characters per string as it has characters, no more
    containers nested than its brackets, and JSON has no aliases. (Brackets inside strings
    are counted too: a text that fails is only checked the ordinary way.)"""
    return len(text) <= _JSON_WITHIN_LIMITS and text.count("{") + text.count("[") <= LIMITS.max_depth


def _validate_source(raw: _RawFile, model: type[ModelT]) -> tuple[list[tuple[int, ModelT]], set[str]]:
    """:func:`_validate_rows`, the JSON texts of ``raw.json_rows`` (the store's records) first.

    A text within the reader's limits (:func:`_json_within_limits`) is validated from the
    text by pydantic's own JSON parser: one step, instead of decoding it to Python objects,
    walking them for the limits and validating those (a third of the time of loading a large
    store). Any other text, and any that does not validate, is decoded and goes the ordinary
    way, so its problems are reported exactly as a file's; a valid text gives the same object
    either way (``tests/test_store_fast_read.py``).
    """
    fast: list[tuple[int, ModelT]] = []
    for row, text in raw.json_rows:
        if _json_within_limits(text):
            try:
                fast.append((row, model.model_validate_json(text)))
                continue
            except ValidationError:
                pass  # reported by the ordinary way below, as any record's problems are
        try:
            raw.rows.append((row, parse_json(text)))
        except ReadError as exc:
            raw.issues.append(Issue(raw.display, row, None, exc.message))
    raw.json_rows = []
    valid, invalid_ids = _validate_rows(raw, model)
    return sorted([*fast, *valid], key=lambda item: item[0]), invalid_ids


def _validate_rows(raw: _RawFile, model: type[ModelT],
                   invalid: list[tuple[int, Mapping[str, Any], set[str]]] | None = None,
                   ) -> tuple[list[tuple[int, ModelT]], set[str]]:
    """Validate each raw record; issues go to ``raw.issues``.

    Returns the valid objects with their rows, and the ids written in the
    invalid ones (so that references to them do not cause a second, misleading
    "unknown id" issue). ``invalid``, if given, collects each invalid mapping
    with its row and the fields already reported (for the cross-file checks).
    """
    valid: list[tuple[int, ModelT]] = []
    invalid_ids: set[str] = set()
    for row, record in raw.rows:
        if not isinstance(record, Mapping):
            raw.issues.append(Issue(raw.display, row, None,
                                        f"expected a mapping of fields, found {type(record).__name__}"))
            continue
        too_big = None if row in raw.checked else check_record(record)
        if too_big is not None:  # never handed to pydantic: it could take minutes and gigabytes
            raw.issues.append(Issue(raw.display, row, too_big.field, too_big.message))
            if isinstance(record.get("id"), str):
                invalid_ids.add(record["id"])
            continue
        try:
            valid.append((row, model.model_validate(record)))
        except ValidationError as exc:
            if isinstance(record.get("id"), str):
                invalid_ids.add(record["id"])
            issues = validation_issues(exc, raw.display, row, model=model)
            if invalid is not None:
                invalid.append((row, record, {issue.field or "" for issue in issues}))
            raw.issues += [dataclasses.replace(issue, field=raw.field_aliases.get(issue.field or "", issue.field))
                           for issue in issues]
    return valid, invalid_ids


def _unique(
    raw: _RawFile, rows: list[tuple[int, ModelT]], taken: set[str], what: str
) -> list[tuple[int, ModelT]]:
    """Drop (and report) records whose id is already in ``taken``; add the rest to it."""
    kept = []
    for row, obj in rows:
        obj_id = obj.id  # type: ignore[attr-defined]
        if obj_id in taken:
            raw.issues.append(Issue(raw.display, row, "id", f"duplicate {what} id {obj_id!r}"))
            continue
        taken.add(obj_id)
        kept.append((row, obj))
    return kept


# ---------------------------------------------------------------------------
# Cross-file checks
# ---------------------------------------------------------------------------


def _ids_of(container: Container[str]) -> list[str]:
    """Ids to suggest from: works for sets and dicts of ids and for a Gazetteer of Places."""
    if not isinstance(container, Iterable):
        return []
    ids = []
    for item in container:
        item_id = getattr(item, "id", item)
        if isinstance(item_id, str):
            ids.append(item_id)
    return ids


def _unknown(kind: str, value: str, known: Container[str], where: str) -> str:
    close = difflib.get_close_matches(value, _ids_of(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown {kind} id {value!r} (not in {where}){hint}"


@dataclass(frozen=True)
class _References:
    """What events may refer to."""

    actor_ids: Collection[str]
    theme_ids: Collection[str]
    places: Container[str]
    documents: Mapping[str, Document]
    texts: Mapping[str, str]  # document id -> normalised text
    document_ids: Collection[str]  # also ids of documents that failed to validate


def _check_event(event: Event, refs: _References) -> list[tuple[str, str]]:
    """(field path, message) for everything the event refers to that is not there."""
    problems = _reference_problems(event, refs)
    problems += _date_problems(event)
    document = refs.documents.get(event.source.document)
    if event.is_document and document is not None and event.date != document.date:
        problems.append(("date", f"the is_document event must have its document's date "
                                 f"{document.date.isoformat()}, not {event.date.isoformat()}"))
    return problems


def _reference_problems(event: Event | SimpleNamespace, refs: _References) -> list[tuple[str, str]]:
    """The actors, places, themes, document, passage and quotes of ``event`` that are not there.

    ``event`` is an ``Event`` or the readable parts of an invalid record
    (``_raw_event_view``: a part it could not read is ``None`` and skipped).
    """
    problems: list[tuple[str, str]] = []
    for role in ("sender", "recipient", "people"):
        for index, actor_id in enumerate(getattr(event, role)):
            if actor_id not in refs.actor_ids:
                problems.append((f"{role}[{index}]",
                                 _unknown("actor", actor_id, refs.actor_ids, ACTORS_FILE)))
    for role in ("places", "from_places", "to_places"):
        for index, place_id in enumerate(getattr(event, role, ())):
            if place_id not in refs.places:
                problems.append((f"{role}[{index}]",
                                 _unknown("place", place_id, refs.places, "the gazetteer")))
    for index, theme_id in enumerate(event.themes):
        if theme_id not in refs.theme_ids:
            problems.append((f"themes[{index}]",
                             _unknown("theme", theme_id, refs.theme_ids, THEMES_FILE)))
    doc_id = event.source.document
    if doc_id is None:
        return problems
    if doc_id not in refs.document_ids:
        problems.append(("source.document",
                         _unknown("document", doc_id, refs.document_ids, DOCUMENTS_FILE)))
        return problems
    text = refs.texts.get(doc_id)
    if text is None:  # the document itself is broken and already reported
        return problems
    if event.source.passage and normalise_text(event.source.passage) not in text:
        problems.append(("source.passage",
                         f"passage does not occur in document {doc_id!r} (compared with whitespace "
                         "collapsed and typographic quotes and dashes folded)"))
    for index, figure in enumerate(event.figures):
        if figure.quote and normalise_text(figure.quote) not in text:
            problems.append((f"figures[{index}].quote",
                             f"quote {short_repr(figure.quote)} does not occur in document {doc_id!r}"))
    return problems


def _raw_event_view(record: Mapping[str, Any]) -> SimpleNamespace:
    """The parts of an invalid event record that the cross-file checks can still read.

    A field of the wrong shape is left empty (its pydantic issue already says
    what is wrong), so one bad field does not hide the problems of the others.
    """
    def ids(name: str) -> list[str]:
        value = record.get(name)
        if isinstance(value, str):  # a single id where a list is expected
            value = [value]
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    source = record.get("source") if isinstance(record.get("source"), Mapping) else {}
    figures = record.get("figures") if isinstance(record.get("figures"), list) else []
    return SimpleNamespace(
        sender=ids("sender"), recipient=ids("recipient"), people=ids("people"), places=ids("places"),
        from_places=ids("from_places"), to_places=ids("to_places"), themes=ids("themes"),
        source=SimpleNamespace(document=source.get("document") if isinstance(source.get("document"), str) else None,
                               passage=source.get("passage") if isinstance(source.get("passage"), str) else None),
        figures=[SimpleNamespace(quote=f.get("quote") if isinstance(f, Mapping) and isinstance(f.get("quote"), str)
                                 else None) for f in figures],
    )


def _check_invalid_event(record: Mapping[str, Any], reported: set[str], refs: _References) -> list[tuple[str, str]]:
    """The cross-file problems of a record that failed validation on other fields.

    Fields pydantic already reported are skipped; so is what needs a valid
    event (the date rules, the is_document date).
    """
    problems = _reference_problems(_raw_event_view(record), refs)
    return [(path, message) for path, message in problems
            if path not in reported and path.split("[")[0] not in reported]


_SEASON_STARTS = (3, 6, 9, 12)  # meteorological seasons, northern hemisphere


def _date_problems(event: Event) -> list[tuple[str, str]]:
    """``date`` must be the first day its precision allows (see SCHEMA.md)."""
    day, precision = event.date, event.date_precision
    rule = {
        DatePrecision.month: (day.day == 1, "the 1st of the month"),
        DatePrecision.half_month: (day.day in (1, 16), "the 1st or the 16th of the month"),
        DatePrecision.season: (day.day == 1 and day.month in _SEASON_STARTS,
                               "the 1st of March, June, September or December"),
        DatePrecision.year: ((day.month, day.day) == (1, 1), "1 January"),
    }.get(precision)
    if rule is None or rule[0]:
        return []
    return [("date", f"with date_precision '{precision.value}' the date must be {rule[1]} "
                     f"(the first day the source allows), not {day.isoformat()}")]


def _check_events(raw: _RawFile, rows: list[tuple[int, Event]], refs: _References,
                  taken_ids: set[str], document_events: dict[str, str]) -> list[Event]:
    """Cross-check validated events; report problems and return the events that pass.

    ``taken_ids`` (event ids already in use) and ``document_events`` (document
    id -> id of its is_document event) are updated with the events kept.
    """
    kept = []
    for row, event in rows:
        problems = _check_event(event, refs)
        if event.id in taken_ids:
            problems.insert(0, ("id", f"duplicate event id {event.id!r}"))
        if event.is_document and event.source.document in document_events:
            problems.append(("is_document",
                             f"document {event.source.document!r} already has its is_document event "
                             f"{document_events[event.source.document]!r}"))
        if problems:
            raw.issues += [Issue(raw.display, row, raw.field_aliases.get(path, path), message)
                           for path, message in problems]
            continue
        taken_ids.add(event.id)
        if event.is_document:
            document_events[event.source.document] = event.id
        kept.append(event)
    return kept


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


def _required(gazetteer: Container[str] | None) -> Container[str]:
    """The place ids to check against: the caller's (the loader does not choose a gazetteer;
    ``exchanges.userdata`` does, for the app)."""
    if gazetteer is None:
        raise TypeError("pass the gazetteer the place ids are checked against "
                        "(exchanges.gazetteer.Gazetteer.load(), or a set of ids)")
    return gazetteer


def _document_text(path: Path | RecordSource, document: Document) -> tuple[str | None, str]:
    """A document's text (from the source, or ``documents/`` beside the file), or why it cannot be read."""
    if isinstance(path, RecordSource):
        text = path.texts.get(document.id)
        return text, "" if text is not None else f"the document text of {document.id!r} is missing"
    text_path = path.parent / DOCUMENTS_SUBDIR / document.file
    try:
        return text_path.read_text(encoding="utf-8"), ""
    except (OSError, UnicodeDecodeError) as exc:
        reason = "file not found" if isinstance(exc, FileNotFoundError) else str(exc)
        return None, f"cannot read the document text {display_path(text_path)}: {reason}"


def _load_documents(path: Path | RecordSource, raw: _RawFile, actor_ids: Collection[str], taken: set[str],
                    ) -> tuple[dict[str, Document], dict[str, str], set[str]]:
    """Validate a documents file and read the texts (from ``documents/`` beside it, or from the source)."""
    rows, invalid_ids = _validate_rows(raw, Document)
    documents: dict[str, Document] = {}
    texts: dict[str, str] = {}
    for row, document in _unique(raw, rows, taken, "document"):
        for role in ("author", "recipient"):
            for index, actor_id in enumerate(getattr(document, role)):
                if actor_id not in actor_ids:
                    raw.issues.append(Issue(raw.display, row, f"{role}[{index}]",
                                                _unknown("actor", actor_id, actor_ids, ACTORS_FILE)))
        text, problem = _document_text(path, document)
        if text is None:
            raw.issues.append(Issue(raw.display, row, "file", problem))
            invalid_ids.add(document.id)
            continue
        texts[document.id] = text
        documents[document.id] = document
    return documents, texts, invalid_ids


def load_catalog(
    data_dir: Path = DATA_DIR,
    gazetteer: Container[str] | None = None,
    extra_event_files: Sequence[Path | RecordSource] = (),
    *,
    extra_document_files: Sequence[Path | RecordSource] = (),
    skip_invalid_extra: bool = False,
) -> Catalog:
    """Load ``themes.yaml`` (optional), ``actors.yaml``, ``documents.yaml`` and
    ``events.yaml`` from ``data_dir``, then the user's files, and cross-check them.

    ``gazetteer`` is the ``exchanges.gazetteer.Gazetteer`` that place ids are
    checked against (anything with ``in`` works, e.g. a set of ids); required.
    ``extra_document_files`` add documents (their
    texts in ``documents/`` beside each file); ``extra_event_files`` add events
    (YAML, JSON or CSV) after the shipped ones, in order. Either may also be a
    :class:`RecordSource` (records from the user's store), validated the same way.

    Raises ``DataValidationError`` listing every problem. With
    ``skip_invalid_extra=True`` problems in the *extra* files do not raise:
    the bad records are left out and reported in ``Catalog.issues``.
    """
    data_dir = Path(data_dir)
    places = _required(gazetteer)
    shipped_files: list[_RawFile] = []
    extra_files: list[_RawFile] = []

    themes_path = data_dir / THEMES_FILE
    themes: dict[str, Theme] = {}
    theme_ids: set[str] = set()
    if themes_path.exists():
        raw = _read_records(themes_path, "themes")
        shipped_files.append(raw)
        rows, invalid = _validate_rows(raw, Theme)
        themes = {theme.id: theme for _, theme in _unique(raw, rows, theme_ids, "theme")}
        theme_ids |= invalid

    raw = _read_records(data_dir / ACTORS_FILE, "actors")
    shipped_files.append(raw)
    rows, invalid = _validate_rows(raw, Actor)
    actor_ids: set[str] = set()
    actors = {actor.id: actor for _, actor in _unique(raw, rows, actor_ids, "actor")}
    actor_ids |= invalid

    documents: dict[str, Document] = {}
    texts: dict[str, str] = {}
    document_ids: set[str] = set()
    for path, sink in [(data_dir / DOCUMENTS_FILE, shipped_files),
                       *((_as_source(p), extra_files) for p in extra_document_files)]:
        raw = _read_source(path, "documents")
        sink.append(raw)
        docs, doc_texts, invalid = _load_documents(path, raw, actor_ids, document_ids)
        documents |= docs
        texts |= doc_texts
        document_ids |= invalid

    refs = _References(
        actor_ids=actor_ids, theme_ids=theme_ids, places=places, documents=documents,
        texts={doc_id: normalise_text(text) for doc_id, text in texts.items()},
        document_ids=document_ids,
    )
    taken_ids: set[str] = set()
    document_events: dict[str, str] = {}
    events: list[Event] = []
    origins: dict[str, str] = {}
    for path, sink in [(data_dir / EVENTS_FILE, shipped_files),
                       *((_as_source(p), extra_files) for p in extra_event_files)]:
        raw = _read_source(path, "events")
        sink.append(raw)
        rows, invalid = _validate_source(raw, Event)
        kept = _check_events(raw, rows, refs, taken_ids, document_events)
        origin = SHIPPED if sink is shipped_files else _source_origin(path)
        origins |= {event.id: origin for event in kept}
        events += kept
        taken_ids |= invalid  # a later row with a broken earlier row's id is a duplicate too

    shipped_issues = [issue for raw in shipped_files for issue in raw.issues]
    extra_issues = [issue for raw in extra_files for issue in raw.issues]
    if shipped_issues or (extra_issues and not skip_invalid_extra):
        raise DataValidationError(shipped_issues + extra_issues)
    return Catalog(documents=documents, actors=actors, events=tuple(events), themes=themes,
                   texts=texts, event_origins=origins, issues=tuple(extra_issues))


def _as_source(item: Path | str | RecordSource) -> Path | RecordSource:
    return item if isinstance(item, RecordSource) else Path(item)


def _references_of(catalog: Catalog, places: Container[str]) -> _References:
    texts = {doc_id: normalise_text(catalog.document_text(doc_id)) for doc_id in catalog.documents}
    return _References(actor_ids=set(catalog.actors), theme_ids=set(catalog.themes), places=places,
                       documents=catalog.documents, texts=texts, document_ids=set(catalog.documents))


def _taken_by_others(catalog: Catalog, origin: str | None) -> tuple[set[str], dict[str, str]]:
    """Event ids (and is_document events) of the catalog, except those from ``origin``."""
    others = [e for e in catalog.events if origin is None or catalog.event_origins.get(e.id) != origin]
    return ({e.id for e in others},
            {e.source.document: e.id for e in others if e.is_document})


def validate_event_records(
    records: Iterable[Any],
    catalog: Catalog,
    gazetteer: Container[str],
    *,
    file: str = "<input>",
    taken_ids: Collection[str] | None = None,
) -> tuple[list[Event], list[Issue]]:
    """Validate event records given as mappings (a form, a draft) like rows of a file.

    Rows are numbered from 1 in the order given. Ids may not repeat within
    ``records`` nor clash with ``taken_ids`` (by default every event of the
    catalog). Returns the valid events and the issues of the others.
    """
    raw = _RawFile(file, rows=list(enumerate(records, start=1)))
    return _validate_raw_events(raw, catalog, gazetteer, taken_ids, origin=None)


def _validate_raw_events(raw: _RawFile, catalog: Catalog, gazetteer: Container[str],
                         taken_ids: Collection[str] | None, origin: str | None,
                         ) -> tuple[list[Event], list[Issue]]:
    places = _required(gazetteer)
    taken, document_events = _taken_by_others(catalog, origin)
    if taken_ids is not None:  # the caller says which events are in use
        taken = set(taken_ids)
        document_events = {doc: ev for doc, ev in document_events.items() if ev in taken}
    invalid: list[tuple[int, Mapping[str, Any], set[str]]] = []
    rows, _ = _validate_rows(raw, Event, invalid)
    refs = _references_of(catalog, places)
    for row, record, reported in invalid:  # every problem of a row at once, not one round at a time
        raw.issues += [Issue(raw.display, row, raw.field_aliases.get(path, path), message)
                       for path, message in _check_invalid_event(record, reported, refs)]
    kept = _check_events(raw, rows, refs, taken, document_events)
    order = {id(issue): index for index, issue in enumerate(raw.issues)}
    raw.issues.sort(key=lambda issue: (issue.row is not None, issue.row or 0, order[id(issue)]))
    return kept, raw.issues


def read_event_records(
    path: Path,
    catalog: Catalog,
    gazetteer: Container[str],
    *,
    taken_ids: Collection[str] | None = None,
) -> tuple[list[Event], list[Issue]]:
    """Read a user's file of events (YAML, JSON or CSV; see ``data/SCHEMA.md``).

    Each record is validated and cross-checked against ``catalog`` (actors,
    themes, documents and their texts) and ``gazetteer`` (place ids). Returns the valid events and the issues of
    the rest, so the caller can keep the good rows.

    Event ids must be new: by default, not used by any catalog event except
    those that came from this same file (so re-reading a file already merged
    into the catalog does not clash with itself); ``taken_ids`` overrides that.
    """
    path = Path(path)
    raw = _read_records(path, "events")
    if raw.issues and not raw.rows:
        return [], raw.issues
    return _validate_raw_events(raw, catalog, gazetteer, taken_ids, origin=str(resolved(path)))


def event_to_record(event: Event) -> dict[str, Any]:
    """An event as a plain mapping (JSON types, defaults left out) that reads back
    to the same event: for writing the user's events to YAML or JSON."""
    return event.model_dump(mode="json", exclude_defaults=True)
