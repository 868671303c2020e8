"""The store's events, validated from their JSON text, are the events the ordinary way gives.

``load_user_catalog`` hands the loader the store's records as JSON texts
(``RecordSource.json_records``); a text within the reader's limits is validated
by pydantic's JSON parser in one step. These tests load the same store both
ways — that, and each record decoded first and validated the ordinary way
(``check_record`` + ``model_validate``, how the store was read before) — and
compare the catalogs: a synthetic 300-event store, and records that are broken
in every way the loader reports.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.loader import _json_within_limits, load_catalog
from exchanges.reader import LIMITS, parse_json
from exchanges.store import events_table, open_store
from exchanges.userdata import load_user_catalog, store_sources

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import synthetic  # noqa: E402  (bench/synthetic.py)
from store_data import STATEMENT, event  # noqa: E402


def both_ways(gazetteer: Gazetteer) -> tuple[Catalog, Catalog]:
    """The store loaded from its JSON texts, and with every record decoded first (as a JSON file's
    are: a number of more than 30 digits is refused as such)."""
    snapshot = open_store().snapshot()
    documents, sets = store_sources(snapshot)
    assert all(s.json_records and not s.records for s in sets)
    decoded = [dataclasses.replace(s, records=[parse_json(t) for t in s.json_records], json_records=())
               for s in sets]
    fast, slow = (load_catalog(gazetteer=gazetteer, extra_event_files=event_sets, extra_document_files=documents,
                               skip_invalid_extra=True) for event_sets in (sets, decoded))
    return fast, slow


def assert_same(fast: Catalog, slow: Catalog) -> None:
    assert fast.events == slow.events  # every field of every event, in order
    assert [e.model_dump() for e in fast.events] == [e.model_dump() for e in slow.events]
    assert fast.event_origins == slow.event_origins
    assert fast.issues == slow.issues
    assert fast.documents == slow.documents


def test_a_synthetic_store_reads_the_same_both_ways(user_data, shipped_gazetteer):
    synthetic.write_catalog(300, user_data)  # an old folder of files: imported into the store on first use
    fast, slow = both_ways(shipped_gazetteer)
    assert len(fast.events) == 300 and not fast.issues
    assert_same(fast, slow)
    app = load_user_catalog(gazetteer=shipped_gazetteer)
    assert app.events == fast.events and app.store_revision == open_store().revision()


def nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


BROKEN = [
    event("good-1"),
    event("bad-date", date="1962-13-40"),
    event("bad-type", event_type="telegram", figures=[{"low": 5.0, "what": "people", "quote": "5"}]),
    event("unknown-field", colour="red"),
    {**event("missing-title"), "title": None},
    event("too-deep", summary=nested(LIMITS.max_depth + 3)),
    event("long-text", summary="x" * (LIMITS.max_chars + 1)),
    event("many-brackets", figures=[{"low": n, "what": "people", "quote": "11 June"} for n in range(12)],
          themes=[], sender=[], people=[]),  # valid, more brackets than the quick check allows
    event("bad-passage", source={"document": STATEMENT, "passage": "words that are not in the document"}),
    event("unknown-place", places=["atlantis"]),
    event("good-1", title="The same id again"),
    event("huge-number", figures=[{"low": 10**40, "what": "people", "quote": "11 June"}]),
    event("span-backwards", end_date="1962-06-01"),
    event("good-2", date_precision="month", date="1962-06-01", end_date="1962-07-31", is_document=False),
]


def test_broken_records_are_reported_the_same_both_ways(user_data, shipped_gazetteer):
    with open_store().write() as writer:
        writer.replace_set("broken", BROKEN[:10])
        writer.connection.execute(insert(events_table), [  # a second id "good-1", past the store's checks
            {"id": f"row-{n}", "set_name": "broken", "position": n, "record": json.dumps(record)}
            for n, record in enumerate(BROKEN[10:], start=11)])
    fast, slow = both_ways(shipped_gazetteer)
    assert_same(fast, slow)
    assert {e.id for e in fast.events if fast.is_user_event(e.id)} == {"good-1", "many-brackets", "good-2"}
    fields = {(issue.row, issue.field) for issue in fast.issues}
    assert {(2, "date"), (3, "event_type"), (4, "colour"), (5, "title"), (9, "source.passage"),
            (10, "places[0]"), (11, "id")} <= fields
    assert {row for row, _ in fields} >= {6, 7, 12, 13}


def test_a_text_that_is_not_json_is_an_issue_naming_its_set_and_row(user_data, shipped_gazetteer):
    with open_store().write() as writer:
        writer.replace_set("mixed", [event("good-1")])
        writer.connection.execute(insert(events_table), [
            {"id": "broken", "set_name": "mixed", "position": 2, "record": '{"id": "broken", "title": '}])
    catalog = load_user_catalog(gazetteer=shipped_gazetteer)
    assert catalog.is_user_event("good-1")
    (issue,) = [i for i in catalog.issues if i.file == "events/mixed"]
    assert issue.row == 2 and "not valid JSON" in issue.message


@pytest.mark.parametrize(("text", "within"), [
    ('{"id": "a", "places": ["x"]}', True),
    ("[" * LIMITS.max_depth + "]" * LIMITS.max_depth, True),
    ("[" * (LIMITS.max_depth + 1) + "]" * (LIMITS.max_depth + 1), False),
    ('"' + "x" * min(LIMITS.max_values, LIMITS.max_chars) + '"', False),
])
def test_the_quick_limits_check_passes_only_texts_that_cannot_break_the_limits(text, within):
    assert _json_within_limits(text) is within
