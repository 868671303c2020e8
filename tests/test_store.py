"""The user's store (exchanges.store) on both backends: saves in one transaction, the revision
that keys the app's caches, the one-time import of an old user data folder (left as it was),
document texts read only from inside that folder, and a store that cannot be used said so."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
import yaml
from store_data import (
    STATEMENT,
    backend,  # noqa: F401 - the fixture
    event,
)

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.models import Document, Event
from exchanges.store import DATABASE_URL_ENV, StoreError, close_all, open_store
from exchanges.userdata import UserDataError, load_user_catalog, save_document, save_events


def digest(folder: Path) -> str:
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        hashed.update(str(path).encode())
        if path.is_file() and not path.is_symlink():
            hashed.update(path.read_bytes())
    return hashed.hexdigest()


def test_a_document_and_its_events_are_one_save(
    backend: str, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer  # noqa: F811
) -> None:
    store = open_store()
    with store.write():  # created (a SQLite store is made by its first write)
        pass
    before = store.revision()
    text = "The delegation met in Beijing on 2 March 1955."
    document = Document(id="my-note", title="A note", date="1955-03-03", file="x.txt")
    events = [Event.model_validate(event("my-meeting", date="1955-03-02", event_type="meeting",
                                         source={"document": "my-note", "passage": text}))]
    save_document(document, text, events, shipped_catalog, shipped_gazetteer)
    assert store.revision() == before + 1  # one transaction, one revision
    catalog = load_user_catalog(gazetteer=shipped_gazetteer)
    assert catalog.store_revision == before + 1
    assert catalog.document_text("my-note") == text and catalog.event("my-meeting").source.document == "my-note"
    assert catalog.is_user_event("my-meeting") and not catalog.issues


def test_records_from_the_store_get_the_loaders_checks(
    backend: str, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer  # noqa: F811
) -> None:
    """Rows written by another program (or an older version) are validated like a file's rows."""
    with open_store().write() as writer:
        writer.replace_set("by-hand", [event("fine"), event("bad-date", date="1962-02-30"),
                                       event("bad-place", places=["atlantis"]),
                                       event("bad-passage", source={"document": STATEMENT, "passage": "not there"})])
    catalog = load_user_catalog(gazetteer=shipped_gazetteer)
    assert catalog.has_event("fine") and len(catalog.events) == len(shipped_catalog.events) + 1
    where = {(issue.file, issue.row, issue.field) for issue in catalog.issues}
    assert {("events/by-hand", 2, "date"), ("events/by-hand", 3, "places[0]"),
            ("events/by-hand", 4, "source.passage")} <= where


def test_an_id_is_unique_by_constraint(backend: str, shipped_catalog: Catalog) -> None:  # noqa: F811
    """Even a writer that skips the checks cannot store one event id twice."""
    with open_store().write() as writer:
        writer.replace_set("first", [event("same")])
    with pytest.raises(StoreError), open_store().write() as writer:
        writer.replace_set("second", [event("same")])
    assert [s.name for s in open_store().snapshot().sets] == ["first"]


# --------------------------------------------------------------------------- the one-time import


def old_folder(root: Path) -> None:
    """A user data folder as the app wrote it before the store."""
    (root / "events").mkdir(parents=True)
    (root / "events" / "mine.yaml").write_text(yaml.safe_dump([event("my-talk")]), encoding="utf-8")
    (root / "events" / "more.yaml").write_text(
        yaml.safe_dump([event("my-talk", title="A duplicate"), event("other-talk")]), encoding="utf-8")
    (root / "sources" / "documents").mkdir(parents=True)
    (root / "sources" / "my-note.yaml").write_text(
        yaml.safe_dump([{"id": "my-note", "title": "A note", "date": "1955-03-03", "file": "my-note.txt"}]),
        encoding="utf-8")
    (root / "sources" / "documents" / "my-note.txt").write_text("The delegation met in Beijing.", encoding="utf-8")
    (root / "events" / "my-note.yaml").write_text(yaml.safe_dump([event(
        "my-meeting", source={"document": "my-note", "passage": "The delegation met in Beijing."})]),
        encoding="utf-8")
    (root / "places.csv").write_text(
        "id,name,kind,lat,lon,geometry,country,alt_names,source,note\n"
        "my-town,My Town,city,40.0,80.0,,PRC,,my notes,\n", encoding="utf-8")
    (root / "geocoder_cache.json").write_text(json.dumps({"version": 1, "entries": {
        "nominatim:nowhere": {"provider": "nominatim", "query": "Nowhere", "timestamp": "2026-01-01T00:00:00+00:00",
                              "status": "miss"}}}), encoding="utf-8")
    (root / "drafts").mkdir()
    (root / "drafts" / "x.yaml").write_text("- {id: a-draft}\n", encoding="utf-8")


def test_an_old_folder_is_imported_once_and_left_as_it_was(
    backend: str, user_data: Path, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer  # noqa: F811
) -> None:
    old_folder(user_data)
    before = digest(user_data)
    catalog = load_user_catalog()
    for event_id in ("my-talk", "other-talk", "my-meeting"):
        assert catalog.is_user_event(event_id)
    assert catalog.document_text("my-note") == "The delegation met in Beijing."
    assert Gazetteer.load_with_user_places().is_user_place("my-town")
    assert "nominatim:nowhere" in open_store().cache_entries()
    (duplicate,) = catalog.issues
    assert (duplicate.file, duplicate.row, duplicate.field) == ("events/more.yaml", 1, "id")
    assert "duplicate event id 'my-talk'" in duplicate.message and "not imported" in duplicate.message
    stored = {p.relative_to(user_data) for p in user_data.rglob("*")} - {Path(n) for n in (
        "exchanges.sqlite3", "exchanges.sqlite3-wal", "exchanges.sqlite3-shm")}
    assert digest(user_data) == before or backend == "sqlite"  # SQLite adds its own file beside them
    assert all((user_data / p).exists() for p in stored)
    assert {p.name for p in user_data.iterdir()} - {"exchanges.sqlite3", "exchanges.sqlite3-wal",
                                                     "exchanges.sqlite3-shm"} == {
        "events", "sources", "places.csv", "geocoder_cache.json", "drafts"}

    # once: what is saved now lives in the store; a later change to the old files is not read again
    save_events("mine", [event("my-talk", title="Renamed")], catalog, Gazetteer.load_with_user_places())
    (user_data / "events" / "late.yaml").write_text(yaml.safe_dump([event("late-talk")]), encoding="utf-8")
    close_all()  # a new process
    again = load_user_catalog()
    assert again.event("my-talk").title == "Renamed" and not again.has_event("late-talk")
    assert yaml.safe_load((user_data / "events" / "mine.yaml").read_text(encoding="utf-8"))[0]["title"] == "A talk"


@pytest.mark.parametrize(
    ("file", "reason"),
    [
        ("../../../../../../../../etc/passwd", "no absolute path, no '..'"),
        ("/etc/passwd", "no absolute path, no '..'"),
        ("sub/../../secret.txt", "no absolute path, no '..'"),
        ("link.txt", "symbolic link"),
        ("linked-folder/passwd", "symbolic link"),
        ("missing.txt", "does not exist"),
    ],
)
def test_a_document_text_is_read_only_from_inside_the_folder(
    backend: str, user_data: Path, file: str, reason: str  # noqa: F811
) -> None:
    texts = user_data / "sources" / "documents"
    texts.mkdir(parents=True)
    (user_data / "secret.txt").write_text("a secret of the machine", encoding="utf-8")
    os.symlink("/etc/passwd", texts / "link.txt")
    os.symlink("/etc", texts / "linked-folder")
    (user_data / "sources" / "evil.yaml").write_text(
        yaml.safe_dump([{"id": "evil", "title": "Evil", "date": "1955-03-03", "file": file}]), encoding="utf-8")
    catalog = load_user_catalog()
    assert "evil" not in catalog.documents
    (issue,) = catalog.issues
    assert (issue.file, issue.row, issue.field) == ("sources/evil.yaml", 1, "file")
    assert reason in issue.message and "not imported" in issue.message
    assert "root:" not in repr(open_store().snapshot())


# --------------------------------------------------------------------------- a store that cannot be used


def test_a_store_that_cannot_be_reached_is_said_so(
    monkeypatch: pytest.MonkeyPatch, user_data: Path, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer
) -> None:
    close_all()
    monkeypatch.setenv(DATABASE_URL_ENV, "postgresql+psycopg://nobody:secret@127.0.0.1:9/none?connect_timeout=2")
    catalog = load_user_catalog(gazetteer=shipped_gazetteer)  # the app still shows the shipped data
    assert len(catalog.events) == len(shipped_catalog.events)
    (issue,) = catalog.issues
    assert "cannot be read" in issue.message and "secret" not in issue.message  # no password in messages
    with pytest.raises(UserDataError, match="not saved: cannot open the store"):
        save_events("mine", [event("my-talk")], shipped_catalog, shipped_gazetteer)
    assert any("cannot be read" in str(i) for i in Gazetteer.load_with_user_places().issues)
    close_all()


def test_a_store_whose_folder_cannot_be_made_is_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer
) -> None:
    close_all()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(blocker / "user_data"))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    with pytest.raises(UserDataError, match="not saved: cannot create the folder of the store"):
        save_events("mine", [event("my-talk")], shipped_catalog, shipped_gazetteer)
    catalog = load_user_catalog(gazetteer=shipped_gazetteer)  # nothing was saved: the shipped data, no error
    assert len(catalog.events) == len(shipped_catalog.events) and not catalog.issues
    close_all()
