"""Before an events file is read: dates moved to the start of their period, documents taken out.

Two things a teacher's file may do that the schema does not:

* give a month, season, half-month or year precision with any day of that
  period ("1962-04-17", precision month). The schema wants the first day the
  source allows; :func:`prepare_upload` moves the date there (1962-04-01) and
  says so, row by row;
* carry the documents its events cite (YAML or JSON: a mapping with
  ``documents:`` — each with ``id``, ``title``, ``date`` and its ``text`` —
  and ``events:``). Those documents and the events citing them are taken out,
  to be saved together (``userdata.save_document``); the other events are read
  as before (``userdata.read_events_upload``).

The rest of the file goes on unchanged, in its own format, so the loader
checks every row with the usual messages (file, row, field). The file is parsed
by the one reader of data files (``exchanges.reader``: duplicate keys refused,
the same limits); a file it refuses is passed on as it is, for the loader to
say why. A carried document's problems are :class:`exchanges.issues.Issue`\\ s
of ``<file>, documents`` with the document's row in that list.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from exchanges.issues import Issue, validation_issues
from exchanges.models import Document
from exchanges.reader import ReadError, dump_yaml, parse_json, parse_yaml

_SEASON_STARTS = (12, 3, 6, 9)  # meteorological seasons (the schema's), December first


def period_start(day: dt.date, precision: str) -> dt.date:
    """The first day of the period ``day`` falls in, for a date precision (day: ``day`` itself)."""
    if precision == "month":
        return day.replace(day=1)
    if precision == "half_month":
        return day.replace(day=1 if day.day < 16 else 16)
    if precision == "season":
        month = 12 if day.month in (12, 1, 2) else max(m for m in _SEASON_STARTS[1:] if m <= day.month)
        year = day.year - 1 if day.month in (1, 2) else day.year
        return dt.date(year, month, 1)
    if precision == "year":
        return dt.date(day.year, 1, 1)
    return day


PERIOD_NAMES = {"month": "month", "half_month": "half-month", "season": "season", "year": "year"}


@dataclass
class DocumentUpload:
    """A document carried by the file, with its text and the records of the events citing it."""

    document: Document
    text: str
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PreparedUpload:
    """The file to read (same name and format), what was changed, and the documents it carried."""

    data: bytes
    filename: str
    notes: list[str] = field(default_factory=list)
    documents: list[DocumentUpload] = field(default_factory=list)
    problems: list[Issue] = field(default_factory=list)


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def normalise_record(record: dict[str, Any], row: int, notes: list[str]) -> None:
    """Move the record's date to the start of its precision's period, noting it (in place)."""
    precision = str(record.get("date_precision") or "").strip()
    day = _as_date(record.get("date"))
    if day is None or precision not in PERIOD_NAMES:
        return
    start = period_start(day, precision)
    if start != day:
        record["date"] = start.isoformat() if isinstance(record.get("date"), str) else start
        notes.append(f"row {row}: date {day.isoformat()} with precision {precision!r} read as "
                     f"{start.isoformat()}, the first day of its {PERIOD_NAMES[precision]} (the schema's rule)")


def _prepare_csv(text: str, prepared: PreparedUpload) -> None:
    """Dates moved in the ``date`` column. Rows are numbered by their line, as the loader
    numbers them (the header is row 1); the file is rewritten only if a date moved, and
    then line for line (blank lines and line breaks inside cells kept), so the loader's
    row numbers stay those of the teacher's file."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    header: list[str] | None = None
    last_line, moved = 0, False
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num
        rows.append(cells)
        if header is None:
            header = [name.strip() for name in cells]
            continue
        if "date" not in header or len(cells) > len(header):
            continue  # the loader reports a row longer than the header
        record = dict(zip(header, cells, strict=False))
        normalise_record(record, line, prepared.notes)
        at = header.index("date")
        if at < len(cells) and record["date"] != cells[at]:
            cells[at], moved = record["date"], True
    if moved:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        prepared.data = out.getvalue().encode("utf-8")


def _documents(raw: Any, prepared: PreparedUpload) -> dict[str, DocumentUpload]:
    """The documents of the file's ``documents:`` list, checked; problems noted."""
    carried: dict[str, DocumentUpload] = {}
    file = f"{prepared.filename}, documents"
    for number, item in enumerate(raw if isinstance(raw, list) else [], start=1):
        if not isinstance(item, Mapping):
            prepared.problems.append(Issue(file, number, None, "a document is a mapping with id, title, date, text"))
            continue
        record = dict(item)
        text = str(record.pop("text", "") or "")
        if not text.strip():
            prepared.problems.append(Issue(file, number, "text", "the document's text is missing"))
            continue
        record.setdefault("file", f"{record.get('id', 'document')}.txt")
        try:
            document = Document.model_validate(record)
        except ValidationError as invalid:
            prepared.problems += validation_issues(invalid, file, number, model=Document)
            continue
        carried[document.id] = DocumentUpload(document, text)
    return carried


def _cited(record: Mapping[str, Any]) -> str | None:
    source = record.get("source")
    return str(source.get("document")) if isinstance(source, Mapping) and source.get("document") else None


def _prepare_structured(data: Any, suffix: str, prepared: PreparedUpload) -> None:
    """YAML or JSON: a list of events, or a mapping with ``events`` (and ``documents``)."""
    if isinstance(data, Mapping):
        carried = _documents(data.get("documents"), prepared)
        events = data.get("events")
    else:
        carried, events = {}, data
    if not isinstance(events, list):
        return  # the loader says what is wrong with the file
    rest = []
    notes_before = len(prepared.notes)
    for number, record in enumerate(events, start=1):
        if isinstance(record, dict):
            normalise_record(record, number, prepared.notes)
            owner = carried.get(_cited(record) or "")
            if owner is not None:
                owner.events.append(record)
                continue
        rest.append(record)
    prepared.documents = list(carried.values())
    if prepared.documents:
        moved = sum(len(d.events) for d in prepared.documents)
        prepared.notes.append(f"{len(prepared.documents)} document(s) in the file, with the {moved} event(s) "
                              "citing them: they are saved together")
    if len(prepared.notes) == notes_before and not (isinstance(data, Mapping) and "documents" in data):
        return  # nothing moved or taken out: the file goes on as it was
    # the file's other keys go on (the app's own JSON export is recognised by its "format")
    out = {**{k: v for k, v in data.items() if k != "documents"}, "events": rest} if isinstance(data, Mapping) \
        else rest
    text = json.dumps(out, ensure_ascii=False) if suffix == ".json" else dump_yaml(out)
    prepared.data = text.encode("utf-8")


def prepare_upload(text: str, filename: str) -> PreparedUpload:
    """Normalise the dates of an events file's text and take out the documents it carries.

    ``text`` is the decoded upload (``userdata.decode_upload``). A file that
    does not parse is passed on as it is: the loader reports its problem.
    """
    prepared = PreparedUpload(text.encode("utf-8"), filename)
    suffix = Path(filename).suffix.lower()
    try:
        if suffix == ".csv":
            _prepare_csv(text, prepared)
        elif suffix in (".yaml", ".yml", ".json"):
            data = parse_json(text) if suffix == ".json" else parse_yaml(text)
            _prepare_structured(data, suffix, prepared)
    except (ReadError, ValueError, TypeError, yaml.YAMLError, csv.Error):
        return PreparedUpload(text.encode("utf-8"), filename)
    return prepared
