"""The user's store: one transactional database for everything the user saves.

SQLite (WAL mode) in the user data folder by default (``exchanges.sqlite3``);
PostgreSQL, for a shared school server, when ``EXCHANGES_DATABASE_URL`` names it
(``postgresql+psycopg://user:password@host/database``). One code path
(SQLAlchemy Core) serves both.

What it holds (raw records: validation is the loader's job, ``exchanges.userdata``):

* ``event_sets`` / ``events``: named sets of events (what ``events/<name>.yaml``
  files used to be; a document's events are the set named after it). An event
  id is unique across every set by a primary key;
* ``documents``: the documents the user added, their records and texts;
* ``files``: small text files kept whole (the user's ``places.csv``);
* ``tours``: the user's tours, each kept as its YAML text (the file format of
  ``data/tours/README.md``, validated whenever tours are loaded, like the files were);
* ``drafts``: draft events proposed from a document by ``python -m exchanges ingest``
  (the document record, its text and the draft events), to open for review in the app;
* ``geocoder_cache``: one row per cached geocoder answer (no lost entries when
  two geocoders write at once);
* ``import_issues``: what could not be imported from the user's old folder.

Rules:

* Every write is one transaction (:meth:`Store.write`); writers are serialised
  (SQLite ``BEGIN IMMEDIATE``; PostgreSQL ``SELECT … FOR UPDATE`` on the revision
  row), so a check made inside a write holds until it commits.
* Each write raises the store's **revision** by one. Sets and documents record
  the revision that last wrote them: a save made from a catalog loaded at an
  earlier revision that would overwrite a newer write is refused
  (``exchanges.userdata`` checks it inside the write), never silently lost.
* A kill at any point leaves the old or the new state (the database's own
  journal); nothing else is written, so there is no debris.
* A SQLite store is created by its first write (reading an empty store writes
  nothing). The first time a store is opened it imports the user's old folder of files
  (``events/``, ``sources/``, ``tours/``, ``places.csv``, ``geocoder_cache.json``) once, in
  one transaction (:mod:`exchanges.store_import`), and leaves the files as they were.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    Text,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from exchanges.issues import Issue
from exchanges.paths import DATA_DIR, GEODATA_DIR, user_data_dir
from exchanges.store_import import PLACES_FILE, FolderContents, read_folder

DATABASE_URL_ENV = "EXCHANGES_DATABASE_URL"
DB_FILE_NAME = "exchanges.sqlite3"
MAX_OPEN_STORES = 8
SQLITE_BUSY_SECONDS = 30  # how long a writer waits for another one before saying so
PG_CONNECT_SECONDS = 10

metadata = MetaData()
revision_table = Table(
    "revision", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", Integer, nullable=False),
)
meta_table = Table(
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)
sets_table = Table(
    "event_sets", metadata,
    Column("name", Text, primary_key=True),
    Column("document_id", Text, nullable=True),
    Column("version", Integer, nullable=False),
)
events_table = Table(
    "events", metadata,
    Column("id", Text, primary_key=True),  # unique across every set: the constraint behind the check
    Column("set_name", Text, ForeignKey("event_sets.name", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("record", Text, nullable=False),  # JSON
)
documents_table = Table(
    "documents", metadata,
    Column("id", Text, primary_key=True),
    Column("record", Text, nullable=False),  # JSON
    Column("text", Text, nullable=False),
    Column("version", Integer, nullable=False),
)
files_table = Table(
    "files", metadata,
    Column("name", Text, primary_key=True),
    Column("text", Text, nullable=False),
    Column("version", Integer, nullable=False),
)
cache_table = Table(
    "geocoder_cache", metadata,
    Column("key", Text, primary_key=True),
    Column("entry", Text, nullable=False),  # JSON
)
tours_table = Table(
    "tours", metadata,
    Column("name", Text, primary_key=True),  # the tour's id (imported from a file whose id does not read: its stem)
    Column("text", Text, nullable=False),  # the tour in its file format (YAML, data/tours/README.md)
    Column("version", Integer, nullable=False),
)
drafts_table = Table(
    "drafts", metadata,
    Column("name", Text, primary_key=True),  # the draft's document id
    Column("document", Text, nullable=False),  # JSON: the draft document record
    Column("text", Text, nullable=False),  # the document's text
    Column("events", Text, nullable=False),  # JSON: the draft event records
    Column("version", Integer, nullable=False),
)
import_issues_table = Table(
    "import_issues", metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("file", Text, nullable=False),
    Column("row", Integer, nullable=True),
    Column("field", Text, nullable=True),
    Column("message", Text, nullable=False),
)

IMPORTED_KEY = "imported_from"


class StoreError(Exception):
    """The store cannot be opened, read or written; the message says why (nothing was written)."""


@dataclass(frozen=True)
class EventSet:
    name: str
    document_id: str | None
    version: int
    texts: list[str] = field(default_factory=list)
    """Each event record as the store keeps it (JSON text), in order: the loader validates the
    texts as they are (``RecordSource.json_records``), without decoding them first."""

    @cached_property
    def records(self) -> list[Any]:
        """The event records, decoded (once, on first use)."""
        return [json.loads(text_) for text_ in self.texts]


@dataclass(frozen=True)
class StoredDocument:
    id: str
    record: Any
    text: str
    version: int


@dataclass(frozen=True)
class StoredTour:
    name: str
    text: str
    version: int


@dataclass(frozen=True)
class StoredDraft:
    name: str
    document: Any
    text: str
    events: list[Any]
    version: int


@dataclass(frozen=True)
class Snapshot:
    """Everything the catalog needs, read in one transaction (a consistent state)."""

    revision: int
    sets: list[EventSet]
    documents: list[StoredDocument]
    import_issues: list[Issue]


def database_url() -> str:
    """``EXCHANGES_DATABASE_URL``, else SQLite in the user data folder."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    return url or f"sqlite:///{user_data_dir() / DB_FILE_NAME}"


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(an invalid database URL)"


# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        resolved = Path(database).resolve()
        for protected in (DATA_DIR, GEODATA_DIR):
            if protected.resolve() in resolved.parents:
                raise StoreError(f"refusing to write {database}: the shipped data in {protected} is never modified")
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves (below)
        cursor = dbapi_connection.cursor()
        _use_wal(cursor)
        cursor.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut, not only a kill
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        writing = connection.get_execution_options().get("exchanges_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def _use_wal(cursor: sqlite3.Cursor) -> None:
    """Put the database in WAL mode (it stays so: the mode is kept in the file).

    Changing the journal mode does not wait for a lock as a write does: with
    another process opening the same new file, ``PRAGMA journal_mode=WAL``
    failed at once with "database is locked" in ~1 open in 15 (four processes
    at once). So it is asked only when the file is not in WAL mode yet, and
    tried again until ``SQLITE_BUSY_SECONDS``, as a write would wait.
    """
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchall()[0][0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL").fetchall()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _create_engine(url: str) -> Engine:
    try:
        dialect = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise StoreError(f"{DATABASE_URL_ENV} is not a database URL: {exc}") from None
    if dialect == "sqlite":
        return _sqlite_engine(url)
    if dialect == "postgresql":
        # a server that does not answer is said so within seconds (the URL may set another connect_timeout)
        timeout = {} if "connect_timeout" in url else {"connect_timeout": PG_CONNECT_SECONDS}
        return create_engine(url, pool_pre_ping=True, connect_args=timeout)
    raise StoreError(f"unsupported database {dialect!r} in {describe(url)}: use sqlite:/// or postgresql+psycopg://")


_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def open_store(url: str | None = None) -> Store:
    """The store at ``url`` (default :func:`database_url`), created and imported on first use.

    One :class:`Store` (and connection pool) per URL and process.
    """
    url = url or database_url()
    with _STORES_LOCK:
        store = _STORES.get(url)
        if store is None:
            store = Store(url)
            store.prepare()
            _STORES[url] = store
            while len(_STORES) > MAX_OPEN_STORES:  # e.g. tests, each with its own folder
                _STORES.pop(next(iter(_STORES))).engine.dispose()
    return store


def close_all() -> None:
    """Close every open store's connections (tests, and before a fork)."""
    with _STORES_LOCK:
        for store in _STORES.values():
            store.engine.dispose()
        _STORES.clear()


def stored_places() -> tuple[str | None, list[str]]:
    """The user's ``places.csv`` as the store keeps it (``None`` if there is none), and what
    could not be imported of the old file. Raises :class:`StoreError`."""
    store = open_store()
    return store.read_file(PLACES_FILE), [i.message for i in store.import_issues() if i.file == PLACES_FILE]


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store:
    """One database; see the module docstring. Thread-safe (a connection pool)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _create_engine(url)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        database = make_url(url).database if self.is_sqlite else None
        self._file = Path(database) if database and database != ":memory:" else None
        self._ready = False  # tables made and the old folder imported

    def __repr__(self) -> str:
        return f"Store({describe(self.url)!r})"

    # ------------------------------------------------------------ set-up

    def prepare(self) -> None:
        """Create the tables if missing and import the user's old folder once.

        A SQLite store with nothing to keep yet (no database file, nothing to import) is
        created by the first write instead: reading an empty store writes no file.
        """
        if self._file is not None and not self._file.exists() and read_folder(user_data_dir()).empty:
            return
        self._create_and_import()

    def _ensure(self, *, create: bool) -> bool:
        """Whether the tables exist (made now if ``create``, or if another process made the file)."""
        if not self._ready and (create or self._file is None or self._file.exists()):
            self._create_and_import()
        return self._ready

    def _create_and_import(self) -> None:
        if self._file is not None:
            try:
                self._file.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder of the store {self._file}: {exc.strerror or exc}") \
                    from exc
        try:
            with self._transaction(write=True) as connection:
                if not self.is_sqlite:  # two servers starting at once: one creates the tables
                    connection.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
                metadata.create_all(connection)
                if connection.execute(select(revision_table.c.value)).first() is None:
                    connection.execute(insert(revision_table).values(id=1, value=0))
            if self._meta(IMPORTED_KEY) is None:
                with self._write() as writer:
                    if writer.meta(IMPORTED_KEY) is None:  # another process may have done it meanwhile
                        writer.import_contents(read_folder(user_data_dir()))
                        writer.set_meta(IMPORTED_KEY, str(user_data_dir()))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot open the store {describe(self.url)}: {_reason(exc)}") from exc
        self._ready = True

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection]:
        with self.engine.connect() as connection:
            if write:
                connection.execution_options(exchanges_write=True)
            with connection.begin():
                yield connection

    def _meta(self, key: str) -> str | None:
        with self._transaction(write=False) as connection:
            return connection.execute(select(meta_table.c.value).where(meta_table.c.key == key)).scalar()

    # ------------------------------------------------------------ reading

    def revision(self) -> int:
        """The number of writes so far: a cache key that changes with every save (one small query)."""
        if not self._ensure(create=False):
            return 0
        try:
            with self._transaction(write=False) as connection:
                return int(connection.execute(select(revision_table.c.value)).scalar_one())
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc

    def snapshot(self) -> Snapshot:
        """Every event set, document and import issue at one revision."""
        if not self._ensure(create=False):
            return Snapshot(0, [], [], [])
        try:
            with self._transaction(write=False) as connection:
                return _read_snapshot(connection)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc

    def read_file(self, name: str) -> str | None:
        if not self._ensure(create=False):
            return None
        try:
            with self._transaction(write=False) as connection:
                return connection.execute(select(files_table.c.text).where(files_table.c.name == name)).scalar()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc

    def import_issues(self) -> list[Issue]:
        if not self._ensure(create=False):
            return []
        try:
            with self._transaction(write=False) as connection:
                return _import_issues(connection)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc

    def cache_entries(self) -> dict[str, Any]:
        if not self._ensure(create=False):
            return {}
        try:
            with self._transaction(write=False) as connection:
                rows = connection.execute(select(cache_table.c.key, cache_table.c.entry)).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc
        return {key: json.loads(entry) for key, entry in rows}

    def cache_entry(self, key: str) -> Any | None:
        if not self._ensure(create=False):
            return None
        try:
            with self._transaction(write=False) as connection:
                entry = connection.execute(select(cache_table.c.entry).where(cache_table.c.key == key)).scalar()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc
        return None if entry is None else json.loads(entry)

    def tours(self) -> tuple[int, list[StoredTour]]:
        """The store's revision and every user tour (by name), read in one transaction."""
        if not self._ensure(create=False):
            return 0, []
        try:
            with self._transaction(write=False) as connection:
                revision = int(connection.execute(select(revision_table.c.value)).scalar_one())
                rows = connection.execute(select(tours_table.c.name, tours_table.c.text, tours_table.c.version)
                                          .order_by(tours_table.c.name)).all()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc
        return revision, [StoredTour(*row) for row in rows]

    def draft_names(self) -> list[str]:
        """The names (document ids) of the saved drafts, in order."""
        if not self._ensure(create=False):
            return []
        try:
            with self._transaction(write=False) as connection:
                return list(connection.execute(select(drafts_table.c.name).order_by(drafts_table.c.name)).scalars())
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc

    def draft(self, name: str) -> StoredDraft | None:
        if not self._ensure(create=False):
            return None
        try:
            with self._transaction(write=False) as connection:
                row = connection.execute(select(drafts_table).where(drafts_table.c.name == name)).first()
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {describe(self.url)}: {_reason(exc)}") from exc
        if row is None:
            return None
        return StoredDraft(row.name, json.loads(row.document), row.text, json.loads(row.events), row.version)

    def set_names(self) -> set[str]:
        if not self._ensure(create=False):
            return set()
        with self._transaction(write=False) as connection:
            return set(connection.execute(select(sets_table.c.name)).scalars())

    def document_ids(self) -> set[str]:
        if not self._ensure(create=False):
            return set()
        with self._transaction(write=False) as connection:
            return set(connection.execute(select(documents_table.c.id)).scalars())

    # ------------------------------------------------------------ writing

    @contextmanager
    def write(self) -> Iterator[Writer]:
        """One write transaction: serialised with every other writer, the revision raised by one.

        Raises :class:`StoreError` with nothing written if anything fails before the
        commit; an exception raised inside the block also rolls it back.
        """
        self._ensure(create=True)
        with self._write() as writer:
            yield writer

    @contextmanager
    def _write(self) -> Iterator[Writer]:
        try:
            with self._transaction(write=True) as connection:
                current = connection.execute(
                    select(revision_table.c.value).where(revision_table.c.id == 1).with_for_update()
                ).scalar_one()
                connection.execute(update(revision_table).where(revision_table.c.id == 1)
                                   .values(value=current + 1))
                yield Writer(connection, current + 1)
        except SQLAlchemyError as exc:
            raise StoreError(f"not saved in the store {describe(self.url)}: {_reason(exc)}") from exc

    def drop_everything(self) -> None:
        """Remove every table (tests only)."""
        with self._transaction(write=True) as connection:
            metadata.drop_all(connection)
        with _STORES_LOCK:
            _STORES.pop(self.url, None)
        self.engine.dispose()


class Writer:
    """The operations of one write transaction (:meth:`Store.write`)."""

    def __init__(self, connection: Connection, revision: int) -> None:
        self.connection = connection
        self.revision = revision

    # -- meta
    def meta(self, key: str) -> str | None:
        return self.connection.execute(select(meta_table.c.value).where(meta_table.c.key == key)).scalar()

    def set_meta(self, key: str, value: str) -> None:
        self.connection.execute(delete(meta_table).where(meta_table.c.key == key))
        self.connection.execute(insert(meta_table).values(key=key, value=value))

    # -- event sets
    def set_version(self, name: str) -> int | None:
        return self.connection.execute(select(sets_table.c.version).where(sets_table.c.name == name)).scalar()

    def set_exists(self, name: str) -> bool:
        return self.set_version(name) is not None

    def owners(self, event_ids: Sequence[str], *, except_set: str | None = None) -> dict[str, str]:
        """Which set holds each of these event ids (other than ``except_set``)."""
        owners: dict[str, str] = {}
        ids = list(dict.fromkeys(event_ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            query = select(events_table.c.id, events_table.c.set_name).where(events_table.c.id.in_(chunk))
            if except_set is not None:
                query = query.where(events_table.c.set_name != except_set)
            owners.update(dict(self.connection.execute(query).all()))
        return owners

    def replace_set(self, name: str, records: Sequence[Mapping[str, Any]], *, document_id: str | None = None,
                    ) -> None:
        """Put ``records`` (each with a string ``id``) as the set ``name``, replacing what it held."""
        self.delete_set(name)
        self.connection.execute(insert(sets_table).values(name=name, document_id=document_id,
                                                          version=self.revision))
        rows = [{"id": record["id"], "set_name": name, "position": position, "record": _dumps(record)}
                for position, record in enumerate(records, start=1)]
        if rows:
            self.connection.execute(insert(events_table), rows)

    def delete_set(self, name: str) -> None:
        self.connection.execute(delete(events_table).where(events_table.c.set_name == name))
        self.connection.execute(delete(sets_table).where(sets_table.c.name == name))

    # -- documents
    def document_version(self, doc_id: str) -> int | None:
        return self.connection.execute(
            select(documents_table.c.version).where(documents_table.c.id == doc_id)).scalar()

    def put_document(self, doc_id: str, record: Mapping[str, Any], text_: str) -> None:
        self.connection.execute(delete(documents_table).where(documents_table.c.id == doc_id))
        self.connection.execute(insert(documents_table).values(id=doc_id, record=_dumps(record), text=text_,
                                                               version=self.revision))

    # -- tours
    def tour_version(self, name: str) -> int | None:
        return self.connection.execute(select(tours_table.c.version).where(tours_table.c.name == name)).scalar()

    def put_tour(self, name: str, text_: str) -> None:
        self.connection.execute(delete(tours_table).where(tours_table.c.name == name))
        self.connection.execute(insert(tours_table).values(name=name, text=text_, version=self.revision))

    def delete_tour(self, name: str) -> None:
        self.connection.execute(delete(tours_table).where(tours_table.c.name == name))

    # -- drafts
    def put_draft(self, name: str, document: Mapping[str, Any], text_: str, events: Sequence[Any]) -> None:
        self.connection.execute(delete(drafts_table).where(drafts_table.c.name == name))
        self.connection.execute(insert(drafts_table).values(name=name, document=_dumps(document), text=text_,
                                                            events=_dumps(list(events)), version=self.revision))

    # -- whole files
    def read_file(self, name: str) -> str | None:
        return self.connection.execute(select(files_table.c.text).where(files_table.c.name == name)).scalar()

    def put_file(self, name: str, text_: str) -> None:
        self.connection.execute(delete(files_table).where(files_table.c.name == name))
        self.connection.execute(insert(files_table).values(name=name, text=text_, version=self.revision))

    # -- geocoder cache
    def put_cache_entries(self, entries: Mapping[str, Any]) -> None:
        if not entries:
            return
        keys = list(entries)
        self.connection.execute(delete(cache_table).where(cache_table.c.key.in_(keys)))
        self.connection.execute(insert(cache_table), [{"key": k, "entry": _dumps(entries[k])} for k in keys])

    # -- the one-time import of the old folder
    def import_contents(self, contents: FolderContents) -> None:
        for name, records in contents.event_sets.items():
            self.replace_set(name, records, document_id=name if name in contents.documents else None)
        for doc_id, (record, text_) in contents.documents.items():
            self.put_document(doc_id, record, text_)
        for name, text_ in contents.files.items():
            self.put_file(name, text_)
        for name, text_ in contents.tours.items():
            self.put_tour(name, text_)
        self.put_cache_entries(contents.cache_entries)
        self.add_import_issues(contents.issues)

    # -- import issues
    def add_import_issues(self, issues: Sequence[Issue]) -> None:
        start = self.connection.execute(select(func.count()).select_from(import_issues_table)).scalar_one()
        rows = [{"position": start + n, "file": i.file, "row": i.row, "field": i.field, "message": i.message}
                for n, i in enumerate(issues, start=1)]
        if rows:
            self.connection.execute(insert(import_issues_table), rows)


def _read_snapshot(connection: Connection) -> Snapshot:
    revision = int(connection.execute(select(revision_table.c.value)).scalar_one())
    sets = {name: EventSet(name, document_id, version) for name, document_id, version in connection.execute(
        select(sets_table.c.name, sets_table.c.document_id, sets_table.c.version).order_by(sets_table.c.name))}
    rows = connection.execute(select(events_table.c.set_name, events_table.c.record)
                              .order_by(events_table.c.set_name, events_table.c.position))
    loads = json.loads
    for set_name, record in rows:
        sets[set_name].texts.append(record)  # decoded only if asked (EventSet.records)
    documents = [StoredDocument(doc_id, loads(record), text_, version) for doc_id, record, text_, version in
                 connection.execute(select(documents_table.c.id, documents_table.c.record, documents_table.c.text,
                                           documents_table.c.version).order_by(documents_table.c.id))]
    return Snapshot(revision, list(sets.values()), documents, _import_issues(connection))


def _import_issues(connection: Connection) -> list[Issue]:
    return [Issue(*row) for row in connection.execute(
        select(import_issues_table.c.file, import_issues_table.c.row, import_issues_table.c.field,
               import_issues_table.c.message).order_by(import_issues_table.c.position))]


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    return str(original or exc).strip().splitlines()[0] if str(original or exc).strip() else type(exc).__name__
