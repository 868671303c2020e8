"""The user's own saved events and documents, and uploads of event files.

Everything the user saves lives in the user's store (:mod:`exchanges.store`):
SQLite in the user data folder (``EXCHANGES_USER_DATA``) by default, or the
PostgreSQL database ``EXCHANGES_DATABASE_URL`` names. There:

* **event sets**: the events the user saved or imported, under a name
  (``events/<name>`` in messages; what ``events/<name>.yaml`` files used to be);
* **documents** the user added, with their texts; a document's events are the
  set named after the document;
* **tours** the user built or uploaded (:func:`save_tour_text`; read by
  ``exchanges.tours.load_tours``), and **drafts** of ``python -m exchanges ingest``
  (:func:`save_draft`, :func:`saved_drafts`).

:func:`load_user_catalog` validates them with the loader (``exchanges.loader``,
records given as :class:`~exchanges.loader.RecordSource`): the same models and
cross-checks as the shipped data and uploads.

Rules:

* Everything is validated before anything is written; a save is one
  transaction (a document, its text and its events together), so a failure or a
  kill leaves the store as it was before or after, never in between.
* Event ids are unique by a constraint of the store and checked in the save's
  transaction ("an event with the id … already exists in events/…").
* Two sessions saving at once both succeed, or one is told of the conflict: a
  save from a catalog loaded before another session wrote the same set or
  document is refused (``Catalog.store_revision``), never silently overwritten.
* Nothing is ever written under the shipped ``data/`` (or ``geodata/``) folder.
* Uploads are refused before parsing when larger than ``MAX_UPLOAD_BYTES``,
  empty, binary or not UTF-8, each with a message saying so.
* YAML, CSV and JSON stay the formats to import and export; an old user data
  folder of files is imported into the store once and left as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import tempfile
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.issues import Issue
from exchanges.loader import (
    EVENT_FILE_SUFFIXES,
    DataValidationError,
    RecordSource,
    event_to_record,
    load_catalog,
    read_event_records,
    validate_event_records,
)
from exchanges.models import Document, Event
from exchanges.paths import DATA_DIR, GEODATA_DIR, user_data_dir
from exchanges.reader import UTF16_BOMS, decode_text
from exchanges.store import Snapshot, StoreError, Writer, open_store
from exchanges.text import slugify

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest upload accepted (5 MB): far above any document or event list, far below
what would make parsing slow. Checked before anything is decoded or parsed."""

PROTECTED_DIRS = (DATA_DIR, GEODATA_DIR)
STORE_ORIGIN = "store:"  # Catalog.event_origins of the user's events: "store:events/<name>"

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


class UserDataError(Exception):
    """A save or an upload was refused. ``issues`` names file, row and field where known."""

    def __init__(self, message: str, issues: Sequence[Issue] = ()) -> None:
        self.issues = list(issues)
        lines = [message, *(f"  {issue}" for issue in self.issues)]
        super().__init__("\n".join(lines))
        self.message = message


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def set_display(name: str) -> str:
    """How an event set is named in messages: ``events/<name>``."""
    return f"events/{name}"


def set_origin(name: str) -> str:
    """``Catalog.event_origins`` of the events of a set."""
    return f"{STORE_ORIGIN}{set_display(name)}"


def check_name(name: str) -> str:
    """A name for the user's event sets and documents: lower-case letters, digits, '.', '_' and '-'."""
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
# Atomic file writes (drafts and exports; the user's saves go to the store)
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


def write_files(files: Mapping[Path, str]) -> None:
    """Write several files, each atomically, all or nothing: if one write fails, the
    ones written before are put back as they were (or removed if they were new), and
    ``OSError`` (or ``UserDataError``) is raised for the caller to report."""
    written: list[tuple[Path, bytes | None]] = []
    try:
        for path, text in files.items():
            path = Path(path)
            previous = path.read_bytes() if path.exists() else None
            atomic_write_text(path, text)
            written.append((path, previous))
    except BaseException:
        for path, previous in reversed(written):
            with contextlib.suppress(OSError):
                if previous is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write_text(path, previous.decode("utf-8"))
        raise


# ---------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveResult:
    saved_as: str  # "events/<name>": the set the events were saved as
    events: list[Event]
    document_id: str | None = None


def _without_origin(catalog: Catalog, origin: str) -> Catalog:
    """The catalog less the events of ``origin`` (the set about to be replaced)."""
    kept = tuple(e for e in catalog.events if catalog.event_origins.get(e.id) != origin)
    origins = {k: v for k, v in catalog.event_origins.items() if v != origin}
    return dataclasses.replace(catalog, events=kept, event_origins=origins)


def validate_events(
    events: Sequence[Event | dict],
    catalog: Catalog,
    gazetteer: Container[str] | None,
    *,
    file: str,
) -> tuple[list[Event], list[Issue]]:
    """Validate events (or raw records) exactly as the loader validates a user file
    (place ids against ``gazetteer``, by default the shipped one)."""
    records = [event_to_record(e) if isinstance(e, Event) else e for e in events]
    return validate_event_records(records, catalog, shipped_or(gazetteer), file=file)


def shipped_or(gazetteer: Container[str] | None) -> Container[str]:
    """``gazetteer``, or the shipped gazetteer when none is given (place ids are checked against it)."""
    return Gazetteer.load() if gazetteer is None else gazetteer


@contextlib.contextmanager
def _transaction() -> Iterator[Writer]:
    """One write transaction of the user's store; its failures become ``UserDataError``.

    A ``UserDataError`` raised inside (a refused check) rolls it back: nothing is written.
    """
    _ensure_not_protected(user_data_dir())
    try:
        with open_store().write() as writer:
            yield writer
    except StoreError as exc:
        raise UserDataError(f"not saved: {exc}") from exc


def _check_fresh(version: int | None, catalog: Catalog, what: str) -> None:
    """Refuse to overwrite what another session wrote after ``catalog`` was loaded."""
    if version is not None and version > catalog.store_revision:
        raise UserDataError(
            f"not saved: {what} was saved by another session after this page loaded it, and saving would "
            "overwrite that. Reload the page to see what was saved, then save again (or choose another name)."
        )


def _check_ids_free(writer: Writer, events: Sequence[Event], own_set: str) -> None:
    """Event ids are unique across the store (a primary key); say where a clash is before it fails."""
    owners = writer.owners([e.id for e in events], except_set=own_set)
    if owners:
        issues = [Issue(set_display(own_set), row, "id",
                            f"an event with this id already exists in {set_display(owners[e.id])}: {e.id!r}")
                  for row, e in enumerate(events, start=1) if e.id in owners]
        raise UserDataError(f"not saved: {len(issues)} event id(s) already exist in your other events", issues)


def save_events(
    name: str,
    events: Sequence[Event | dict],
    catalog: Catalog,
    gazetteer: Container[str] | None = None,
) -> SaveResult:
    """Validate ``events`` and save them as the set ``name`` (replacing it).

    All or nothing: if any event is invalid, ``UserDataError`` lists every
    issue and nothing is written; so it does if another session saved this set
    after ``catalog`` was loaded, or an id is taken by another set meanwhile.
    """
    check_name(name)
    base = _without_origin(catalog, set_origin(name))
    valid, issues = validate_events(events, base, gazetteer, file=set_display(name))
    if issues:
        raise UserDataError(f"not saved: {len(issues)} problem(s) in the events", issues)
    if not valid:
        raise UserDataError("not saved: there are no events to save")
    with _transaction() as writer:
        _check_fresh(writer.set_version(name), catalog, f"{set_display(name)}")
        _check_ids_free(writer, valid, name)
        writer.replace_set(name, [event_to_record(e) for e in valid])
    return SaveResult(set_display(name), valid)


def save_document(
    document: Document,
    text: str,
    events: Sequence[Event | dict],
    catalog: Catalog,
    gazetteer: Container[str] | None = None,
) -> SaveResult:
    """Save a document the user added, with its text and events, in one transaction.

    The document must not reuse the id of a shipped document; saving a user
    document again replaces its text, record and events (unless another session
    saved it after ``catalog`` was loaded: then nothing is written and the error
    says so). Events are checked against the catalog plus this document (its
    passages must occur in ``text``).
    """
    check_name(document.id)
    if document.id in catalog.documents and document.id in shipped_document_ids(catalog):
        try:
            check_document_id(document.id, catalog.documents)
        except UserDataError as exc:
            raise UserDataError(f"not saved: {exc.message}") from None
    if not text.strip():
        raise UserDataError("not saved: the document text is empty")
    document = document.model_copy(update={"file": f"{document.id}.txt"})
    base = _without_origin(catalog, set_origin(document.id))
    base = dataclasses.replace(
        base,
        documents={**base.documents, document.id: document},
        texts={**base.texts, document.id: text},
    )
    valid, issues = validate_events(events, base, gazetteer, file=set_display(document.id))
    if issues:
        raise UserDataError(f"not saved: {len(issues)} problem(s) in the events", issues)
    with _transaction() as writer:
        versions = [v for v in (writer.document_version(document.id), writer.set_version(document.id))
                    if v is not None]
        _check_fresh(max(versions, default=None), catalog, f"the document {document.id!r}")
        _check_ids_free(writer, valid, document.id)
        writer.put_document(document.id, document.model_dump(mode="json", exclude_defaults=True), text)
        writer.replace_set(document.id, [event_to_record(e) for e in valid], document_id=document.id)
    return SaveResult(set_display(document.id), valid, document.id)


def save_tour_text(tour_id: str, text: str, *, overwrite: bool, loaded_revision: int) -> int:
    """Save a tour (its YAML text, already validated by the caller) under its id, in one
    transaction; returns the revision of the write.

    Refused, nothing written (``UserDataError``): a tour of this id exists and
    ``overwrite`` is not given; or it was saved by another session after the page
    was loaded (its version is above ``loaded_revision``) — the conflict rule of
    event sets, never a silent overwrite.
    """
    check_name(tour_id)
    with _transaction() as writer:
        version = writer.tour_version(tour_id)
        if version is not None and not overwrite:
            raise UserDataError(f"not saved: you already have a tour with the id {tour_id!r} (tours/{tour_id}); "
                                "choose another id, or tick the box to replace it")
        if version is not None and version > loaded_revision:
            raise UserDataError(
                f"not saved: the tour tours/{tour_id} was saved by another session after this page loaded it, "
                "and saving would overwrite that. Reload the page to see what was saved, then save again "
                "(or choose another id).")
        writer.put_tour(tour_id, text)
        return writer.revision


@dataclass(frozen=True)
class SavedDraft:
    """A draft of ``python -m exchanges ingest`` as the store keeps it."""

    name: str
    document: dict
    text: str
    events: list[dict]


def save_draft(name: str, document: Mapping, text: str, events: Sequence[Mapping]) -> str:
    """Keep a draft (document record, text, draft event records) in the store, replacing one of
    the same name, in one transaction; returns ``drafts/<name>``. ``UserDataError`` if not saved."""
    check_name(name)
    with _transaction() as writer:
        writer.put_draft(name, dict(document), text, [dict(e) for e in events])
    return f"drafts/{name}"


def saved_drafts() -> list[str]:
    """The names of the drafts in the store (none if it cannot be read)."""
    try:
        return open_store().draft_names()
    except StoreError:
        return []


def saved_draft(name: str) -> SavedDraft | None:
    """One saved draft, or ``None`` (not there, or the store cannot be read)."""
    try:
        stored = open_store().draft(name)
    except StoreError:
        return None
    return None if stored is None else SavedDraft(stored.name, stored.document, stored.text, stored.events)


def shipped_document_ids(catalog: Catalog) -> set[str]:
    """The ids of the catalog's documents that are not the user's own."""
    return set(catalog.documents) - user_document_ids()


def user_document_ids() -> set[str]:
    """The ids of the documents in the user's store (none if it cannot be read)."""
    try:
        return open_store().document_ids()
    except StoreError:
        return set()


def _slug(stem: str) -> str:
    """An event set's name made of a file name's stem (dots and underscores kept)."""
    return slugify(stem, 90, keep="._") or "events"


def _free_name(taken: Container[str], stem: str) -> str:
    base = _slug(stem)
    name, number = base, 2
    while name in taken:
        name, number = f"{base}-{number}", number + 1
    return name


def unique_events_name(stem: str) -> str:
    """A name for a new set made of ``stem`` ("my-events", "my-events-2", …), free in the store now."""
    try:
        taken = open_store().set_names()
    except StoreError:
        taken = set()
    return _free_name(taken, stem)


# ---------------------------------------------------------------------------
# Uploads
# ---------------------------------------------------------------------------


def decode_upload(data: bytes, filename: str, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The text of an uploaded file, or ``UserDataError`` saying why it is refused.

    Refused, in this order and before any parsing: larger than ``max_bytes``;
    empty (or only whitespace); binary (NUL bytes or control characters); not
    UTF-8 (a UTF-8 byte-order mark is accepted) — the message names the
    encoding ``charset_normalizer`` guesses, if it is installed. UTF-16 with a
    byte-order mark is decoded (``exchanges.reader.decode_text``).
    """
    check_size(len(data), filename, max_bytes=max_bytes)
    if not data.strip():
        raise UserDataError(f"{filename}: the file is empty")
    if data.startswith(UTF16_BOMS):
        return _decode_utf16(data, filename)
    head = data[:8192]
    if b"\x00" in head or _control_ratio(head) > 0.01:
        raise UserDataError(f"{filename}: this is a binary file, not text; upload {_text_kinds(filename)}")
    try:
        return decode_text(data)
    except UnicodeDecodeError as exc:
        raise UserDataError(
            f"{filename}: the file is not UTF-8 text; {_encoding_hint(data)} (byte {exc.start} cannot be read). "
            "Save it as UTF-8 and upload it again"
        ) from None


def _decode_utf16(data: bytes, filename: str) -> str:
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        raise UserDataError(f"{filename}: the file starts as UTF-16 text but byte {exc.start} cannot be read; "
                            "save it as UTF-8 and upload it again") from None
    if not text.strip():
        raise UserDataError(f"{filename}: the file is empty")
    if "\x00" in text or _control_ratio(text[:8192].encode("utf-8")) > 0.01:
        raise UserDataError(f"{filename}: this is a binary file, not text; upload {_text_kinds(filename)}")
    return text


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
    issues: list[Issue] = field(default_factory=list)


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
        raise UserDataError(f"{filename}: unsupported file type {suffix or '(none)'!r}; "
                            f"use {', '.join(EVENT_FILE_SUFFIXES)}")
    text = decode_upload(data, filename)
    with tempfile.TemporaryDirectory(prefix="exchanges-upload-") as folder:
        staged = Path(folder) / f"upload{suffix}"
        staged.write_text(text, encoding="utf-8")
        events, issues = read_event_records(staged, catalog, shipped_or(gazetteer))
    staged_name = str(staged)
    renamed = [
        dataclasses.replace(issue, file=filename) if issue.file in (staged_name, str(staged.resolve())) else issue
        for issue in issues
    ]
    if not events and not renamed:
        renamed.append(Issue(filename, None, None, "the file holds no events"))
    return ImportResult(filename, events, renamed)


def save_imported(result: ImportResult, catalog: Catalog, gazetteer: Container[str] | None = None) -> SaveResult:
    """Save the valid events of an upload as a new set named after the file (never over another:
    "class-notes", "class-notes-2", …, the name chosen inside the save's transaction)."""
    if not result.events:
        raise UserDataError(f"{result.filename}: there are no valid events to save")
    stem = Path(result.filename).stem
    valid, issues = validate_events(result.events, catalog, gazetteer, file=set_display(_slug(stem)))
    if issues:
        raise UserDataError(f"not saved: {len(issues)} problem(s) in the events", issues)
    with _transaction() as writer:
        name = _free_name(_TakenNames(writer), stem)
        _check_ids_free(writer, valid, name)
        writer.replace_set(name, [event_to_record(e) for e in valid])
    return SaveResult(set_display(name), valid)


class _TakenNames:
    """``name in taken``: whether a set of that name exists (asked inside a write transaction)."""

    def __init__(self, writer: Writer) -> None:
        self._writer = writer

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._writer.set_exists(name)


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


def store_sources(snapshot: Snapshot) -> tuple[list[RecordSource], list[RecordSource]]:
    """The store's documents and event sets as sources for ``load_catalog`` (the events as the
    store keeps them, JSON texts: validated from the text, ``RecordSource.json_records``)."""
    documents = [RecordSource(f"documents/{d.id}", [d.record], texts={d.id: d.text}) for d in snapshot.documents]
    sets = [RecordSource(set_display(s.name), origin=set_origin(s.name), json_records=s.texts)
            for s in snapshot.sets]
    return documents, sets


def load_user_catalog(data_dir: Path = DATA_DIR, gazetteer: Container[str] | None = None) -> Catalog:
    """The shipped catalog plus the user's documents and events from the store (bad user
    records are skipped and listed in ``Catalog.issues``).

    ``gazetteer`` defaults to the shipped places plus the user's
    (``Gazetteer.load_with_user_places``). Listed first in ``Catalog.issues``:
    the user's places that were left out (``Gazetteer.issues``) and what could not
    be imported from an old user data folder. If the store cannot be read at all,
    the shipped catalog is returned with one issue saying why.
    """
    if gazetteer is None:
        gazetteer = Gazetteer.load_with_user_places()
    place_issues = list(getattr(gazetteer, "issues", ()))
    try:
        snapshot = open_store().snapshot()
    except StoreError as exc:
        catalog = load_catalog(data_dir, gazetteer)
        problem = Issue("your saved data", None, None, f"cannot be read: {exc}")
        return dataclasses.replace(catalog, issues=(*place_issues, problem))
    documents, sets = store_sources(snapshot)
    catalog = load_catalog(data_dir, gazetteer, extra_event_files=sets, extra_document_files=documents,
                           skip_invalid_extra=True)
    return dataclasses.replace(catalog, issues=(*snapshot.import_issues, *place_issues, *catalog.issues),
                               store_revision=snapshot.revision)


def store_revision() -> int:
    """The user's store's revision: a cache key that changes with every save (-1 if it cannot be read)."""
    try:
        return open_store().revision()
    except StoreError:
        return -1


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
    "files_stamp",
    "load_user_catalog",
    "read_events_upload",
    "save_document",
    "save_events",
    "save_draft",
    "save_imported",
    "save_tour_text",
    "saved_draft",
    "saved_drafts",
    "store_revision",
    "write_files",
]
