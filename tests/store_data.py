"""Helpers for tests that look at what the user's store (exchanges.store) holds."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError

from exchanges.store import DATABASE_URL_ENV, close_all, describe, metadata, open_store

STATEMENT = "soviet-statement-1962-08-10"
TALK_PASSAGE = "During his 11 June talk with the Soviet Ambassador, Comrade Zhang Hanfu said"


def event(event_id: str, **changes: object) -> dict:
    """A valid user event record (a talk quoting the shipped 1962 statement), with ``changes``."""
    record = {"id": event_id, "title": "A talk", "date": "1962-06-11", "date_precision": "day",
              "event_type": "talk", "summary": "A talk.", "places": ["beijing"],
              "source": {"document": STATEMENT, "passage": TALK_PASSAGE}}
    return {**record, **changes}


def saved_sets() -> dict[str, list[dict[str, Any]]]:
    """The store's event sets: name -> the records saved, in order."""
    return {s.name: s.records for s in open_store().snapshot().sets}


def only_saved_set() -> list[dict[str, Any]]:
    """The records of the one event set saved (fails if there is not exactly one)."""
    (records,) = saved_sets().values()
    return records


def saved_places() -> list[dict[str, str]]:
    """The rows of the user's places.csv as the store keeps it."""
    text = open_store().read_file("places.csv")
    return list(csv.DictReader(io.StringIO(text or "")))


# --------------------------------------------------------------------------- the two backends

POSTGRES_ENV = "EXCHANGES_TEST_POSTGRES_URL"
"""A PostgreSQL database the store's tests may empty and use (``.ci/run`` sets it), e.g.
``postgresql+psycopg://exchanges:exchanges@localhost/exchanges_test``."""


def postgres_url_or_skip() -> str:
    """The test database's URL; the test is skipped (locally) or fails (in CI) without one."""
    url = os.environ.get(POSTGRES_ENV, "").strip()
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set: CI must run the PostgreSQL tests (.ci/run sets it)")
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql+psycopg://user:pw@localhost/db); "
                    ".ci/run installs PostgreSQL and sets it")
    try:
        engine = create_engine(url)
        with engine.begin() as connection:
            metadata.drop_all(connection)  # an empty database for this test
        engine.dispose()
    except SQLAlchemyError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL at {describe(url)} is not reachable: {exc}")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, user_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each test twice: on SQLite in the user data folder, and on PostgreSQL (EXCHANGES_DATABASE_URL)."""
    close_all()
    if request.param == "postgresql":
        monkeypatch.setenv(DATABASE_URL_ENV, postgres_url_or_skip())
    else:
        monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    yield request.param
    close_all()
