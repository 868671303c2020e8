"""Crash test of the user's store, in the spirit of SQLite's own: a process saving in a loop
(tests/store_saver.py, forked) is killed with SIGKILL at random moments, again and again; after
every kill, each save it acknowledged must be there whole, and nothing may be half written
(a document without its events, a set without its document, a cache entry, a places line or a
tour without the rest of its transaction) or left behind (temporary files)."""

from __future__ import annotations

import os
import random
import signal
import time
import traceback
from pathlib import Path

import pytest
import yaml
from sqlalchemy import text
from store_data import backend  # noqa: F401 - the fixture
from store_saver import run

from exchanges.store import close_all, open_store

KILLS = {"sqlite": 40, "postgresql": 12}  # bounded: about 30 s on SQLite, 10 s on PostgreSQL
ROUNDS_PER_LIFE = 100_000  # each life saves rounds from its own range, so no round is saved twice


def live_and_die(first_round: int, rng: random.Random) -> list[tuple[int, int, int]]:
    """Fork a saver, kill it at a random moment once it saves, return the rounds it acknowledged.

    Forked (not started afresh) so that 40 lives cost no 40 interpreter start-ups; the parent
    holds no database connection across the fork (``close_all``), as SQLite requires.
    """
    close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the saver
        os.close(read_end)
        try:
            run(first_round, write_end)
        except BaseException:  # said on the pipe, so that the test's message shows why
            os.write(write_end, traceback.format_exc().encode())
        finally:
            os._exit(3)  # only reached on an error: the test sees the wrong exit status
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as stream:
        ready = stream.readline()
        assert ready.strip() == "READY", ready
        first = stream.readline()  # saving has begun (however loaded the machine is)
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        output = first + stream.read()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, \
        f"the saver stopped on its own:\n{output[-3000:]}"
    acks = []
    for line in output.splitlines():
        if line.startswith("ACK ") and line.count(" ") == 3:  # the last line may be cut by the kill
            _, number, events, length = line.split()
            acks.append((int(number), int(events), int(length)))
    return acks


def check_whole(acknowledged: list[tuple[int, int, int]]) -> None:
    snapshot = open_store().snapshot()
    documents = {d.id: d for d in snapshot.documents}
    sets = {s.name: s for s in snapshot.sets}
    cache = open_store().cache_entries()
    places = (open_store().read_file("places.csv") or "").splitlines()
    tours = {t.name: yaml.safe_load(t.text) for t in open_store().tours()[1]}
    for number, events, length in acknowledged:  # every acknowledged save is there, whole
        document = documents[f"doc-{number}"]
        assert (document.record["events"], len(document.text)) == (events, length)
        assert len(sets[f"doc-{number}"].records) == events
    for doc_id, document in documents.items():  # and everything committed is whole, acknowledged or not
        number = int(doc_id.removeprefix("doc-"))
        assert len(document.text) == document.record["length"]
        assert [r["id"] for r in sets[doc_id].records] == [f"ev-{number}-{k}" for k in range(document.record["events"])]
        assert f"nominatim:round-{number}" in cache
        assert [s["event"] for s in tours[f"tour-{number}"]["steps"]] == [r["id"] for r in sets[doc_id].records]
    assert set(sets) == set(documents) and len(cache) == len(documents)
    assert set(tours) == {f"tour-{doc_id.removeprefix('doc-')}" for doc_id in documents}
    assert places == [] if not documents else places[0] == "id,name"
    assert len(places) == len(set(places)) == (len(documents) + 1 if documents else 0)
    assert all(line.count(",") == 1 for line in places)


def test_kills_at_random_moments_lose_no_acknowledged_save(backend: str, user_data: Path) -> None:  # noqa: F811
    open_store()  # created (and the empty folder imported) before the first kill
    rng = random.Random(20261129)
    acknowledged: list[tuple[int, int, int]] = []
    for life in range(KILLS[backend]):
        acknowledged += live_and_die(life * ROUNDS_PER_LIFE, rng)
        if life % 8 == 7 or life == KILLS[backend] - 1:
            close_all()  # look at it as a new process would
            check_whole(acknowledged)
    assert len(acknowledged) > KILLS[backend]  # the kills did land among saves
    if backend == "sqlite":
        with open_store().engine.connect() as connection:
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert {p.name for p in user_data.iterdir()} <= {"exchanges.sqlite3", "exchanges.sqlite3-wal",
                                                         "exchanges.sqlite3-shm"}  # no debris
    close_all()


def test_the_saver_is_stopped_by_a_kill_not_by_an_error(user_data: Path) -> None:
    """The crash test means something only if the saver runs until killed."""
    close_all()
    acks = live_and_die(0, random.Random(1))
    assert acks or pytest.fail("no save acknowledged before the kill")
