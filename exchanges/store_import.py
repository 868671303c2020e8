"""Read the user's old folder of files once, for the store (``exchanges.store``) to import.

What is read (the layout before the store; every file is left as it was):

* ``events/*.yaml`` — each file becomes the event set of its name;
* ``sources/*.yaml`` with their texts in ``sources/documents/`` — the documents;
* ``tours/*.yaml`` — each tour kept as its YAML text, under its ``id`` (its file
  name's stem if the id does not read); validated whenever tours are loaded;
* ``places.csv`` — kept whole (the gazetteer reads it as before);
* ``geocoder_cache.json`` — its entries.

Records are taken as they are: the loader validates them whenever the catalog
is loaded, exactly as it validated the files. What cannot be taken is listed as
an :class:`exchanges.issues.Issue` naming file, row and field: a file that does not read,
an event without an id or with an id used earlier, and a document whose text is
not a plain file inside ``sources/documents/`` (an absolute path, ``..`` or a
symbolic link is refused, so a shared or hand-edited folder cannot make the app
show any other file of the machine).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from exchanges.issues import Issue
from exchanges.loader import _read_records  # the loader's reader: the same limits and messages as for uploads
from exchanges.reader import ReadError, parse_yaml, read_text_file

EVENTS_SUBDIR = "events"
SOURCES_SUBDIR = "sources"
TOURS_SUBDIR = "tours"
SOURCE_TEXTS_SUBDIR = "documents"
PLACES_FILE = "places.csv"
CACHE_FILE = "geocoder_cache.json"
MAX_TEXT_BYTES = 20 * 1024 * 1024  # a document text larger than this is not imported


@dataclass
class FolderContents:
    """What the old folder holds, ready to be written in one transaction."""

    event_sets: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    documents: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)  # id -> (record, text)
    files: dict[str, str] = field(default_factory=dict)
    tours: dict[str, str] = field(default_factory=dict)  # name (the tour's id) -> its YAML text
    cache_entries: dict[str, Any] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.event_sets or self.documents or self.files or self.tours or self.cache_entries
                    or self.issues)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


def _display(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_folder(root: Path) -> FolderContents:
    """Everything importable under ``root`` (nothing is written or moved)."""
    contents = FolderContents()
    root = Path(root)
    if not root.is_dir():
        return contents
    _read_documents(root, contents)
    _read_events(root, contents)
    _read_places(root, contents)
    _read_tours(root, contents)
    _read_cache(root, contents)
    if not contents.empty:
        contents.issues = [dataclasses.replace(i, message=f"{i.message} (not imported into the store; "
                                                          "the file is unchanged)") for i in contents.issues]
    return contents


def _read_events(root: Path, contents: FolderContents) -> None:
    taken: dict[str, str] = {}
    for path in _yaml_files(root / EVENTS_SUBDIR):
        display = _display(path, root)
        name = path.stem
        raw = _read_records(path, "events")
        contents.issues += [dataclasses.replace(i, file=display) for i in raw.issues]
        records = []
        for row, record in raw.rows:
            event_id = record.get("id") if isinstance(record, dict) else None
            if not isinstance(event_id, str) or not event_id.strip():
                contents.issues.append(Issue(display, row, "id", "an event needs an id"))
            elif event_id in taken:
                contents.issues.append(Issue(display, row, "id",
                                                   f"duplicate event id {event_id!r} (first in {taken[event_id]})"))
            else:
                taken[event_id] = display
                records.append(record)
        contents.event_sets[name] = records


def _read_documents(root: Path, contents: FolderContents) -> None:
    for path in _yaml_files(root / SOURCES_SUBDIR):
        display = _display(path, root)
        raw = _read_records(path, "documents")
        contents.issues += [dataclasses.replace(i, file=display) for i in raw.issues]
        for row, record in raw.rows:
            doc_id = record.get("id") if isinstance(record, dict) else None
            if not isinstance(doc_id, str) or not doc_id.strip():
                contents.issues.append(Issue(display, row, "id", "a document needs an id"))
                continue
            if doc_id in contents.documents:
                contents.issues.append(Issue(display, row, "id", f"duplicate document id {doc_id!r}"))
                continue
            text, problem = read_document_text(root / SOURCES_SUBDIR / SOURCE_TEXTS_SUBDIR, record.get("file"))
            if problem:
                contents.issues.append(Issue(display, row, "file", problem))
                continue
            contents.documents[doc_id] = (record, text)


def read_document_text(folder: Path, name: Any) -> tuple[str, str | None]:
    """The text of a document record's ``file``, read only from inside ``folder``.

    Refused, with the reason: not a plain relative name, an absolute path, ``..``,
    a symbolic link anywhere on the way, not a file, too large, not UTF-8.
    """
    where = f"{SOURCES_SUBDIR}/{SOURCE_TEXTS_SUBDIR}/"
    if not isinstance(name, str) or not name.strip():
        return "", "the document record needs a file name (its text in " + where + ")"
    relative = PurePosixPath(name.replace("\\", "/"))
    if relative.is_absolute() or Path(name).is_absolute() or ".." in relative.parts:
        return "", (f"the text file {name!r} is outside {where}: only a file inside that folder is read "
                    "(no absolute path, no '..')")
    path = folder
    for part in relative.parts:
        path = path / part
        if path.is_symlink():
            return "", f"the text file {name!r} is a symbolic link ({_display(path, folder)}); only plain files " \
                       f"inside {where} are read"
    try:
        if not path.is_file():
            return "", f"the text file {where}{name} does not exist"
        if path.stat().st_size > MAX_TEXT_BYTES:
            return "", f"the text file {where}{name} is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB"
        return path.read_text(encoding="utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return "", f"the text file {where}{name} is not UTF-8 text ({exc.reason})"
    except OSError as exc:
        return "", f"cannot read the text file {where}{name}: {exc.strerror or exc}"


def _read_places(root: Path, contents: FolderContents) -> None:
    path = root / PLACES_FILE
    if not path.exists():
        return
    try:  # the one reader of data files: its limits and messages
        contents.files[PLACES_FILE] = read_text_file(path)
    except ReadError as bad:
        contents.issues.append(Issue(PLACES_FILE, None, None, bad.message))


def _read_tours(root: Path, contents: FolderContents) -> None:
    """Each tour file's text, under the tour's id (else the file's stem). A file that cannot be
    read as text is an issue; one that is text but not a valid tour is imported as it is, and
    its problems are listed whenever tours are loaded (as they were for the file)."""
    taken: dict[str, str] = {}
    for path in _yaml_files(root / TOURS_SUBDIR):
        display = _display(path, root)
        try:
            text = read_text_file(path)
        except ReadError as bad:
            contents.issues.append(Issue(display, None, None, bad.message))
            continue
        try:
            data = parse_yaml(text)
        except ReadError:
            data = None
        tour_id = data.get("id") if isinstance(data, dict) else None
        name = tour_id.strip() if isinstance(tour_id, str) and tour_id.strip() else path.stem
        if name in taken:
            contents.issues.append(Issue(display, None, "id", f"tour id {name!r} is already used by "
                                               f"{taken[name]}"))
            continue
        taken[name] = display
        contents.tours[name] = text


def _read_cache(root: Path, contents: FolderContents) -> None:
    path = root / CACHE_FILE
    if not path.exists():
        return
    try:  # plain json: the entries are stored as JSON again (a reader's OversizedNumber would not be)
        data = json.loads(read_text_file(path))
        entries = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(entries, dict):
            raise ValueError("expected an object with 'entries'")
    except (ReadError, ValueError) as exc:
        contents.issues.append(Issue(CACHE_FILE, None, None, f"not a geocoder cache: {exc}"))
        return
    contents.cache_entries = {str(key): entry for key, entry in entries.items() if isinstance(entry, dict)}
