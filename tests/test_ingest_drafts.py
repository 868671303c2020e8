"""Draft events (exchanges.ingest.drafts): what is proposed for the corpus documents, and that
drafts are valid events the loader accepts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.ingest.analysis import analyse_document
from exchanges.ingest.drafts import DraftSet, document_file_for, propose_events, write_draft
from exchanges.loader import load_catalog
from exchanges.models import DatePrecision, EventType
from exchanges.paths import DOCUMENTS_DIR
from exchanges.text import slugify

D = dt.date


def drafts_for(name: str, gazetteer: Gazetteer, catalog: Catalog) -> DraftSet:
    text = (DOCUMENTS_DIR / name).read_text(encoding="utf-8")
    return propose_events(analyse_document(text, gazetteer, actors=catalog.actors.values()))


@pytest.fixture(scope="module")
def statement(shipped_gazetteer: Gazetteer, shipped_catalog: Catalog) -> DraftSet:
    return drafts_for("1962-08-10_soviet_statement_xinjiang_exodus.txt", shipped_gazetteer, shipped_catalog)


@pytest.fixture(scope="module")
def letter(shipped_gazetteer: Gazetteer, shipped_catalog: Catalog) -> DraftSet:
    return drafts_for("1952-01-07_gromyko_to_stalin_repatriation.txt", shipped_gazetteer, shipped_catalog)


def by_type_and_date(draft_set: DraftSet) -> set[tuple[EventType, dt.date]]:
    return {(e.event_type, e.date) for e in draft_set.events if not e.is_document}


def test_the_document_itself_is_one_event(statement: DraftSet) -> None:
    documents = [e for e in statement.events if e.is_document]
    assert len(documents) == 1
    event = documents[0]
    assert event.date == D(1962, 8, 10) and event.date_precision is DatePrecision.day
    assert event.event_type is EventType.statement  # from the title "Statement of …"
    assert event.id == statement.document.id
    assert "huang-zhen" in event.recipient and "mesyatsev" in event.sender  # "delivered to … by …"
    assert "beijing" in event.places  # the Soviet Embassy in China


def test_statement_exchanges(statement: DraftSet) -> None:
    found = by_type_and_date(statement)
    for expected in [
        (EventType.statement, D(1962, 6, 8)),
        (EventType.statement, D(1962, 6, 11)),
        (EventType.reply, D(1962, 6, 26)),
        (EventType.talk, D(1962, 6, 11)),
        (EventType.border_crossing, D(1962, 4, 16)),
    ]:
        assert expected in found, expected


def test_the_same_exchange_is_proposed_once(statement: DraftSet) -> None:
    # "the reply" of 26 June is later called "the 26 June statement": one exchange
    on_26_june = [e for e in statement.events if e.date == D(1962, 6, 26)]
    assert len(on_26_june) == 1
    keys = [(e.event_type, e.date, e.end_date) for e in statement.events]
    assert len(keys) == len(set(keys))


def test_draft_fields(statement: DraftSet) -> None:
    exodus = next(e for e in statement.events if e.event_type is EventType.border_crossing)
    assert exodus.date_precision is DatePrecision.half_month
    assert "the second half of April" in exodus.source.passage
    assert {f.low for f in exodus.figures} == {1000}  # "thousands of people crossed the border"
    talk = next(e for e in statement.events if e.event_type is EventType.talk)
    assert "zhang-hanfu" in talk.people
    for event in statement.events:
        assert event.source.document == statement.document.id
        assert event.summary and event.title


def test_letter_proposals(letter: DraftSet) -> None:
    found = by_type_and_date(letter)
    assert (EventType.repatriation, D(1947, 1, 1)) in found
    assert (EventType.repatriation, D(1952, 3, 1)) in found
    spring = next(e for e in letter.events if e.date == D(1952, 3, 1))
    assert (spring.date_precision, spring.end_date) == (DatePrecision.season, D(1952, 8, 31))
    december = [e for e in letter.events if e.date == D(1951, 12, 20)]
    assert len(december) == 1  # "within a week" does not make a second event
    document = next(e for e in letter.events if e.is_document)
    assert (document.sender, document.recipient) == (["gromyko"], ["stalin"])
    assert document.event_type is EventType.letter


def test_written_draft_loads_with_the_loader(statement: DraftSet, shipped_gazetteer: Gazetteer, tmp_path: Path) -> None:
    path = write_draft(statement, tmp_path / "draft.yaml")
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(records) == len(statement.events)
    merged = load_catalog(gazetteer=shipped_gazetteer, extra_document_files=[document_file_for(path)],
                          extra_event_files=[path])
    assert statement.document.id in merged.documents
    assert len(merged.events_of_document(statement.document.id)) == len(statement.events)


def test_draft_defaults_to_user_drafts_dir(statement: DraftSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(tmp_path / "user"))
    path = write_draft(statement)
    assert path.parent == tmp_path / "user" / "drafts"
    assert (path.parent / "documents" / statement.document.file).read_text(encoding="utf-8") == statement.text


def test_document_without_date_is_drafted_with_its_date_to_fill_in(shipped_gazetteer: Gazetteer) -> None:
    analysis = analyse_document("Some undated notes about a meeting in Beijing.", shipped_gazetteer)
    draft_set = propose_events(analysis)  # a readable document is never refused
    assert draft_set.needs_date and draft_set.document.date is None
    assert draft_set.date_request == analysis.date_request and "give the document's date" in draft_set.date_request
    [document] = draft_set.events
    assert document.is_document and document.date is None and document.places == ["beijing"]


def test_slugify() -> None:
    assert slugify("Chargé d’affaires: Ürümqi 1962!") == "charge-d-affaires-urumqi-1962"
    assert slugify("!!!") == ""  # the caller's fallback: a drafted document is "user-<date>-document"
    assert slugify("Lüshun, 1950", 6) == "lushun" and slugify("Notes_v1.2 (copy)", keep="._") == "notes_v1.2-copy"
