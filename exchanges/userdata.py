"""The user's own saved events and documents, and uploads of event files.

Layout under ``user_data_dir()`` (``EXCHANGES_USER_DATA`` overrides it)::

    events/<name>.yaml               the user's events (a YAML list, events schema)
    sources/<doc-id>.yaml            a document the user added (a one-item documents list)
    sources/documents/<doc-id>.txt   its text
    drafts/…                         drafts written by the ingester (not loaded)
    places.csv                       the user's places (gazetteer columns; exchanges.user_places)

The loader reads them with ``load_catalog(extra_document_files=user_document_files(),
extra_event_files=user_event_files())``.

Rules:

* Everything is validated with the same models and cross-checks as the shipped
  data (``exchanges.loader``) before anything is written.
* Writes are atomic: a temporary file in the same folder, flushed and fsynced,
  then ``os.replace``. A save that fails (validation or I/O) leaves the files
  as they were; a save of several files restores the earlier ones if a later
  write fails.
* Nothing is ever written under the shipped ``data/`` (or ``geodata/``) folder.
* Uploads are refused before parsing when larger than ``MAX_UPLOAD_BYTES``,
  empty, binary or not UTF-8, each with a message saying so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import tempfile
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from exchanges.catalog import Catalog
from exchanges.loader import (
    EVENT_FILE_SUFFIXES,
    DataIssue,
    DataValidationError,
    event_to_record,
    read_event_records,
    validate_event_records,
)
from exchanges.models import Document, Event
from exchanges.paths import DATA_DIR, GEODATA_DIR, user_data_dir

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest upload accepted (5 MB): far above any document or event list, far below
what would make parsing slow. Checked before anything is decoded or parsed."""

EVENTS_SUBDIR = "events"
SOURCES_SUBDIR = "sources"
SOURCE_TEXTS_SUBDIR = "documents"  # the loader reads texts from documents/ beside a documents file
PROTECTED_DIRS = (DATA_DIR, GEODATA_DIR)

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class UserDataError(Exception):
    """A save or an upload was refused. ``issues`` names file, row and field where known."""

    def __init__(self, message: str, issues: Sequence[DataIssue] = ()) -> None:
        self.issues = list(issues)
        lines = [message, *(f"  {issue}" for issue in self.issues)]
        super().__init__("\n".join(lines))
        self.message = message


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------


def events_dir() -> Path:
    return user_data_dir() / EVENTS_SUBDIR


def sources_dir() -> Path:
    return user_data_dir() / SOURCES_SUBDIR


def user_event_files() -> list[Path]:
    """The user's event files, in name order (the order the loader merges them)."""
    folder = events_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def user_document_files() -> list[Path]:
    """The documents the user added (one documents file each), in name order."""
    folder = sources_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def check_name(name: str) -> str:
    """A file name stem for the user's files: lower-case letters, digits, '.', '_' and '-'."""
    if not _NAME.match(name):
        raise UserDataError(
            f"invalid name {name!r}: use lower-case letters, digits, '.', '_' and '-' (at most 100)"
        )
    return name


def check_document_id(doc_id: str, shipped_ids: Container[str]) -> str:
    """A valid id for a document the user adds: a name, and not a shipped document's id
    (``data/SCHEMA.md``: the id may not be a shipped document's)."""
    check_name(doc_id)
    if doc_id in shipped_ids:
        raise UserDataError(
            f"document id {doc_id!r} is taken by a shipped document; choose another id (e.g. 'user-{doc_id}')"
        )
    return doc_id


def _ensure_not_protected(path: Path) -> None:
    resolved = Path(path).resolve()
    for protected in PROTECTED_DIRS:
        if resolved == protected.resolve() or protected.resolve() in resolved.parents:
            raise UserDataError(f"refusing to write {path}: the shipped data in {protected} is never modified")


# ---------------------------------------------------------------------------
# Atomic writes
# ---------------------------------------------------------------------------


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically: the file is either the old or the new one.

    The text goes to a temporary file in the same folder (same file system),
    which is flushed and fsynced before ``os.replace`` puts it in place; the
    folder is fsynced after, so the rename survives a crash. On any error the
    temporary file is removed and the old file is untouched.
    """
    path = Path(path)
    _ensure_not_protected(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


class _Transaction:
    """Several atomic writes that are undone together if one fails."""

    def __init__(self) -> None:
        self._before: list[tuple[Path, bytes | None]] = []

    def write(self, path: Path, text: str) -> None:
        path = Path(path)
        previous = path.read_bytes() if path.exists() else None
        atomic_write_text(path, text)
        self._before.append((path, previous))

    def rollback(self) -> None:
        for path, previous in reversed(self._before):
            with contextlib.suppress(OSError):
                if previous is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write_text(path, previous.decode("utf-8"))


def _dump(records: list[dict], header: str) -> str:
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + yaml.safe_dump(records, sort_keys=False, allow_unicode=True, width=100)


# ---------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    events_file: Path
    events: list[Event]
    document_file: Path | None = None


def _without_origin(catalog: Catalog, path: Path) -> Catalog:
    """The catalog less the events that came from ``path`` (the file about to be replaced)."""
    origin = str(Path(path).resolve())
    kept = tuple(e for e in catalog.events if catalog.event_origins.get(e.id) != origin)
    origins = {k: v for k, v in catalog.event_origins.items() if v != origin}
    return dataclasses.replace(catalog, events=kept, event_origins=origins)


def validate_events(
    events: Sequence[Event | dict],
    catalog: Catalog,
    gazetteer: Container[str] | None,
    *,
    file: str,
) -> tuple[list[Event], list[DataIssue]]:
    """Validate events (or raw records) exactly as the loader validates a user file."""
    records = [event_to_record(e) if isinstance(e, Event) else e for e in events]
    return validate_event_records(records, catalog, gazetteer, file=file)


def save_events(
    name: str,
    events: Sequence[Event | dict],
    catalog: Catalog,
    gazetteer: Container[str] | None = None,
) -> SaveResult:
    """Validate and write ``events`` to ``events/<name>.yaml`` (replacing that file).

    All or nothing: if any event is invalid, ``UserDataError`` lists every
    issue and nothing is written.
    """
    path = events_dir() / f"{check_name(name)}.yaml"
    base = _without_origin(catalog, path)
    valid, issues = validate_events(events, base, gazetteer, file=_display(path))
    if issues:
        raise UserDataError(f"not saved: {len(issues)} problem(s) in the events", issues)
    if not valid:
        raise UserDataError("not saved: there are no events to save")
    try:
        atomic_write_text(path, _dump([event_to_record(e) for e in valid], "Your events (schema: data/SCHEMA.md)."))
    except OSError as exc:
        raise UserDataError(f"not saved: cannot write {path}: {exc.strerror or exc}") from exc
    return SaveResult(path, valid)


def save_document(
    document: Document,
    text: str,
    events: Sequence[Event | dict],
    catalog: Catalog,
    gazetteer: Container[str] | None = None,
) -> SaveResult:
    """Save a document the user added, with its events, after validating both.

    The document must not reuse the id of a shipped document; saving a user
    document again replaces its text, record and events. Events are checked
    against the catalog plus this document (its passages must occur in
    ``text``). Writes text, record and events; if one write fails the others
    are restored.
    """
    check_name(document.id)
    if document.id in catalog.documents and not _is_user_document(document.id):
        try:
            check_document_id(document.id, catalog.documents)
        except UserDataError as exc:
            raise UserDataError(f"not saved: {exc.message}") from None
    if not text.strip():
        raise UserDataError("not saved: the document text is empty")
    document = document.model_copy(update={"file": f"{document.id}.txt"})
    record_path = sources_dir() / f"{document.id}.yaml"
    text_path = sources_dir() / SOURCE_TEXTS_SUBDIR / document.file
    events_path = events_dir() / f"{document.id}.yaml"

    base = _without_origin(catalog, events_path)
    base = dataclasses.replace(
        base,
        documents={**base.documents, document.id: document},
        texts={**base.texts, document.id: text},
    )
    valid, issues = validate_events(events, base, gazetteer, file=_display(events_path))
    if issues:
        raise UserDataError(f"not saved: {len(issues)} problem(s) in the events", issues)

    transaction = _Transaction()
    try:
        transaction.write(text_path, text)
        transaction.write(record_path, _dump([document.model_dump(mode="json", exclude_defaults=True)],
                                             "A document you added (schema: data/SCHEMA.md)."))
        transaction.write(events_path, _dump([event_to_record(e) for e in valid],
                                             f"Events of the document {document.id}."))
    except (OSError, UserDataError) as exc:
        transaction.rollback()
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UserDataError(f"not saved: {reason}") from exc
    return SaveResult(events_path, valid, record_path)


def shipped_document_ids(catalog: Catalog) -> set[str]:
    """The ids of the catalog's documents that are not the user's own."""
    return {doc_id for doc_id in catalog.documents if not _is_user_document(doc_id)}


def _is_user_document(doc_id: str) -> bool:
    return (sources_dir() / f"{doc_id}.yaml").exists()


def _display(path: Path) -> str:
    try:
        return str(Path(path).relative_to(user_data_dir()))
    except ValueError:
        return str(path)


def unique_events_name(stem: str) -> str:
    """A new file name stem under ``events/`` made of ``stem`` ("my-events", "my-events-2", …)."""
    base = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")[:90] or "events"
    name, number = base, 2
    while (events_dir() / f"{name}.yaml").exists():
        name, number = f"{base}-{number}", number + 1
    return name


# ---------------------------------------------------------------------------
# Uploads
# ---------------------------------------------------------------------------


def decode_upload(data: bytes, filename: str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The text of an uploaded file, or ``UserDataError`` saying why it is refused.

    Refused, in this order and before any parsing: larger than ``max_bytes``;
    empty (or only whitespace); binary (NUL bytes or control characters); not
    UTF-8 (a UTF-8 byte-order mark is accepted) — the message names the
    encoding ``charset_normalizer`` guesses, if it is installed.
    """
    check_size(len(data), filename, max_bytes=max_bytes)
    if not data.strip():
        raise UserDataError(f"{filename}: the file is empty")
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.01:
        raise UserDataError(f"{filename}: this is a binary file, not text; upload {_text_kinds(filename)}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserDataError(
            f"{filename}: the file is not UTF-8 text; {_encoding_hint(data)} (byte {exc.start} cannot be read). "
            "Save it as UTF-8 and upload it again"
        ) from None


def check_size(size: int, filename: str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Refuse a file larger than ``max_bytes`` (before reading or parsing it)."""
    if size > max_bytes:
        raise UserDataError(
            f"{filename}: the file is {_megabytes(size)}, larger than the limit of {_megabytes(max_bytes)}; "
            "nothing was read"
        )


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    controls = sum(1 for byte in data if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / len(data)


def _text_kinds(filename: str) -> str:
    """What text file the upload should have been: the kind its name says, else any we read."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".txt":
        return "the document as a UTF-8 .txt file"
    if suffix in EVENT_FILE_SUFFIXES:
        return f"a UTF-8 {suffix} file"
    return "a UTF-8 .txt, .csv, .json or .yaml file"


# Encodings a teacher's file is most likely in, by the name people know them by.
_WESTERN = {"latin_1": "Latin-1/Windows-1252", "iso8859_1": "Latin-1/Windows-1252",
            "cp1252": "Latin-1/Windows-1252", "iso8859_15": "Latin-9 (ISO-8859-15)",
            "cp1251": "Cyrillic Windows-1251", "koi8_r": "Cyrillic KOI8-R", "utf_16": "UTF-16",
            "utf_16_le": "UTF-16", "utf_16_be": "UTF-16", "gb2312": "Chinese GB2312", "gbk": "Chinese GBK",
            "gb18030": "Chinese GB18030", "big5": "Chinese Big5", "mac_roman": "Mac Roman"}
_CONFIDENT = 0.2  # charset_normalizer's chaos ratio at or below which its guess is worth naming


def _encoding_hint(data: bytes) -> str:
    """ "it may be Latin-1/Windows-1252": a named guess only when it is a likely one and confident."""
    guess = _guess_encoding(data)
    if guess is not None and guess in _WESTERN and guess not in ("latin_1", "iso8859_1", "cp1252"):
        return f"it may be {_WESTERN[guess]}"
    return f"it may be {_WESTERN['cp1252']}"


def _guess_encoding(data: bytes) -> str | None:
    """charset_normalizer's guess, when it is confident, else ``None``."""
    try:
        from charset_normalizer import from_bytes  # noqa: PLC0415 - optional
    except ImportError:  # pragma: no cover - installed with streamlit's requests
        return None
    best = from_bytes(data[:65536]).best()
    if best is None or best.chaos > _CONFIDENT or len(data) < 64:
        return None
    return best.encoding


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass
class ImportResult:
    """Events read from an upload: the valid ones, and an issue per bad row and field."""

    filename: str
    events: list[Event] = field(default_factory=list)
    issues: list[DataIssue] = field(default_factory=list)


def read_events_upload(
    data: bytes,
    filename: str,
    catalog: Catalog,
    gazetteer: Container[str] | None = None,
) -> ImportResult:
    """Read an uploaded CSV/JSON/YAML of events with the loader; keep the valid rows.

    Raises ``UserDataError`` for a file refused as a whole (size, empty,
    binary, encoding, file type). Issues name the uploaded file, row and field.
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in EVENT_FILE_SUFFIXES:
        raise UserDataError(f"{filename}: unsupported file type {suffix or '(none)'!r}; use {', '.join(EVENT_FILE_SUFFIXES)}")
    text = decode_upload(data, filename)
    with tempfile.TemporaryDirectory(prefix="exchanges-upload-") as folder:
        staged = Path(folder) / f"upload{suffix}"
        staged.write_text(text, encoding="utf-8")
        events, issues = read_event_records(staged, catalog, gazetteer)
    staged_name = str(staged)
    renamed = [
        dataclasses.replace(issue, file=filename) if issue.file in (staged_name, str(staged.resolve())) else issue
        for issue in issues
    ]
    if not events and not renamed:
        renamed.append(DataIssue(filename, None, None, "the file holds no events"))
    return ImportResult(filename, events, renamed)


def save_imported(result: ImportResult, catalog: Catalog, gazetteer: Container[str] | None = None) -> SaveResult:
    """Save the valid events of an upload as a new file under ``events/`` (never over another)."""
    if not result.events:
        raise UserDataError(f"{result.filename}: there are no valid events to save")
    name = unique_events_name(Path(result.filename).stem)
    return save_events(name, result.events, catalog, gazetteer)


def load_user_catalog(data_dir: Path = DATA_DIR, gazetteer: Container[str] | None = None) -> Catalog:
    """The shipped catalog plus the user's documents and events (bad user records are
    skipped and listed in ``Catalog.issues``).

    ``gazetteer`` defaults to the shipped places plus the user's ``places.csv``
    (``Gazetteer.load_with_user_places``). The rows of ``places.csv`` that were left
    out (``Gazetteer.issues``) are listed first in ``Catalog.issues``, so the app
    shows them with the other problems of the user's files.
    """
    from exchanges.gazetteer import Gazetteer  # noqa: PLC0415
    from exchanges.loader import load_catalog  # noqa: PLC0415

    if gazetteer is None:
        gazetteer = Gazetteer.load_with_user_places()
    catalog = load_catalog(
        data_dir,
        gazetteer,
        extra_event_files=user_event_files(),
        extra_document_files=user_document_files(),
        skip_invalid_extra=True,
    )
    place_issues = [DataIssue(i.file, i.line, i.column, i.message) for i in getattr(gazetteer, "issues", ())]
    if not place_issues:
        return catalog
    return dataclasses.replace(catalog, issues=(*place_issues, *catalog.issues))


FileStamp = tuple[tuple[str, int, int], ...]


def files_stamp(paths: Iterable[Path]) -> FileStamp:
    """(path, modification time, size) of each existing file: a cache key that changes with them."""
    stamps = []
    for path in paths:
        try:
            stat = Path(path).stat()
        except OSError:
            continue
        stamps.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


__all__ = [
    "MAX_UPLOAD_BYTES",
    "DataValidationError",
    "ImportResult",
    "SaveResult",
    "UserDataError",
    "atomic_write_text",
    "decode_upload",
    "events_dir",
    "files_stamp",
    "load_user_catalog",
    "read_events_upload",
    "save_document",
    "save_events",
    "save_imported",
    "sources_dir",
    "user_document_files",
    "user_event_files",
]
