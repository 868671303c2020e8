"""The user's saves (exchanges.userdata over exchanges.store): validated transactional saves,
failed or conflicting saves lose nothing, shipped data is never written, and bad uploads get
clear messages."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from exchanges import userdata
from exchanges.catalog import Catalog
from exchanges.cli import main
from exchanges.gazetteer import Gazetteer
from exchanges.models import Citation, DatePrecision, Document, Event, EventType
from exchanges.paths import DATA_DIR, GEODATA_DIR
from exchanges.store import Writer, open_store
from exchanges.userdata import (
    MAX_UPLOAD_BYTES,
    UserDataError,
    atomic_write_text,
    decode_upload,
    load_user_catalog,
    read_events_upload,
    save_document,
    save_events,
    save_imported,
)

TEMPLATES = DATA_DIR / "templates"
STATEMENT = "soviet-statement-1962-08-10"
TALK_PASSAGE = "During his 11 June talk with the Soviet Ambassador, Comrade Zhang Hanfu said"


@pytest.fixture(autouse=True)
def user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user"
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(folder))
    return folder


def event(event_id: str = "my-talk", **changes: object) -> Event:
    fields: dict[str, object] = dict(
        id=event_id,
        title="Zhang Hanfu's talk",
        date="1962-06-11",
        date_precision=DatePrecision.day,
        event_type=EventType.talk,
        summary="A talk.",
        places=["beijing"],
        source=Citation(document=STATEMENT, passage=TALK_PASSAGE),
    )
    fields.update(changes)
    return Event.model_validate(fields)


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------- saving


def stored_sets() -> dict[str, list[str]]:
    """The store's event sets and their event ids, straight from the database."""
    return {s.name: [r["id"] for r in s.records] for s in open_store().snapshot().sets}


def test_save_and_load_back(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer, user_dir: Path) -> None:
    result = save_events("mine", [event()], shipped_catalog, shipped_gazetteer)
    assert result.saved_as == "events/mine"
    assert stored_sets() == {"mine": ["my-talk"]}
    merged = load_user_catalog(gazetteer=shipped_gazetteer)
    assert merged.has_event("my-talk") and merged.is_user_event("my-talk")
    assert not merged.issues and merged.store_revision > 0
    # the database and its write-ahead log: nothing else, no temporary files
    assert {p.name for p in user_dir.iterdir()} <= {"exchanges.sqlite3", "exchanges.sqlite3-wal",
                                                    "exchanges.sqlite3-shm"}


def test_resaving_the_same_set_replaces_it(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    save_events("mine", [event()], shipped_catalog, shipped_gazetteer)
    merged = load_user_catalog(gazetteer=shipped_gazetteer)  # now contains my-talk from that set
    save_events("mine", [event(title="Renamed")], merged, shipped_gazetteer)
    assert load_user_catalog(gazetteer=shipped_gazetteer).event("my-talk").title == "Renamed"


def test_a_stale_catalog_cannot_overwrite_another_sessions_save(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer
) -> None:
    save_events("mine", [event()], shipped_catalog, shipped_gazetteer)
    seen_by_both = load_user_catalog(gazetteer=shipped_gazetteer)
    save_events("mine", [event(title="Saved by the first session")], seen_by_both, shipped_gazetteer)
    with pytest.raises(UserDataError, match="saved by another session") as error:
        save_events("mine", [event(title="Saved by the second session")], seen_by_both, shipped_gazetteer)
    assert "Reload" in error.value.message
    assert load_user_catalog(gazetteer=shipped_gazetteer).event("my-talk").title == "Saved by the first session"


def test_ids_must_not_clash_with_other_events(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    taken = shipped_catalog.events[0].id
    with pytest.raises(UserDataError) as error:
        save_events("mine", [event(taken)], shipped_catalog, shipped_gazetteer)
    assert any(issue.field == "id" for issue in error.value.issues)


def test_an_id_saved_meanwhile_in_another_set_is_refused_by_the_store(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer
) -> None:
    save_events("first", [event()], shipped_catalog, shipped_gazetteer)
    # shipped_catalog does not know "first": validation passes, the store's check refuses
    with pytest.raises(UserDataError, match="already exist") as error:
        save_events("second", [event(title="Same id")], shipped_catalog, shipped_gazetteer)
    (issue,) = error.value.issues
    assert issue.field == "id" and "an event with this id already exists in events/first" in issue.message
    assert stored_sets() == {"first": ["my-talk"]}


def test_a_failed_write_keeps_the_earlier_set(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_events("mine", [event()], shipped_catalog, shipped_gazetteer)
    merged = load_user_catalog(gazetteer=shipped_gazetteer)
    real_replace = Writer.replace_set

    def replace_then_fail(self: Writer, *args: object, **kwargs: object) -> None:
        real_replace(self, *args, **kwargs)
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    with monkeypatch.context() as patched:
        patched.setattr(Writer, "replace_set", replace_then_fail)
        with pytest.raises(UserDataError, match="disk I/O error"):
            save_events("mine", [event(title="New title")], merged, shipped_gazetteer)
    after = load_user_catalog(gazetteer=shipped_gazetteer)
    assert after.event("my-talk").title == "Zhang Hanfu's talk" and after.store_revision == merged.store_revision


def test_validation_error_keeps_the_earlier_set(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    save_events("mine", [event()], shipped_catalog, shipped_gazetteer)
    merged = load_user_catalog(gazetteer=shipped_gazetteer)
    bad = [event(), event("other", places=["atlantis"]), {"id": "x", "title": "no date"}]
    with pytest.raises(UserDataError) as error:
        save_events("mine", bad, merged, shipped_gazetteer)
    issues = error.value.issues
    assert any(i.row == 2 and i.field == "places[0]" and "atlantis" in i.message for i in issues)
    assert any(i.row == 3 and i.field == "date" for i in issues)
    assert all(i.file == "events/mine" for i in issues)
    assert stored_sets() == {"mine": ["my-talk"]}


def document_and_events(text: str = "March 3, 1955\n\nA note\n\nThe delegation met in Beijing on 2 March.",
                        passage: str = "The delegation met in Beijing on 2 March.") -> tuple[Document, list[Event]]:
    document = Document(id="my-note", title="A note", date="1955-03-03", file="ignored.txt")
    events = [event("my-meeting", date="1955-03-02", event_type=EventType.meeting,
                    source=Citation(document="my-note", passage=passage))]
    return document, events


def test_save_document_saves_text_record_and_events(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer, user_dir: Path
) -> None:
    text = "March 3, 1955\n\nA note\n\nThe delegation met in Beijing on 2 March."
    document, events = document_and_events(text)
    result = save_document(document, text, events, shipped_catalog, shipped_gazetteer)
    assert result.document_id == "my-note" and result.saved_as == "events/my-note"
    (stored,) = open_store().snapshot().documents
    assert stored.text == text and stored.record["file"] == "my-note.txt"
    merged = load_user_catalog(gazetteer=shipped_gazetteer)
    assert "my-note" in merged.documents and merged.has_event("my-meeting")
    assert merged.document_text("my-note") == text
    assert "my-note" not in userdata.shipped_document_ids(merged)


def test_save_document_passage_must_be_in_the_text(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer, user_dir: Path
) -> None:
    document, events = document_and_events(passage="words that are not there")
    with pytest.raises(UserDataError) as error:
        save_document(document, "Some other text.", events, shipped_catalog, shipped_gazetteer)
    assert [i.field for i in error.value.issues] == ["source.passage"]
    assert not user_dir.exists() or open_store().snapshot().documents == []


def test_save_document_is_one_transaction(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text and record are written first; the events' write fails: nothing of the save remains."""
    document, events = document_and_events()

    def fail(*_: object, **__: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    with monkeypatch.context() as patched:
        patched.setattr(Writer, "replace_set", fail)
        with pytest.raises(UserDataError, match="disk is full"):
            save_document(document, "The delegation met in Beijing on 2 March.", events, shipped_catalog,
                          shipped_gazetteer)
    snapshot = open_store().snapshot()
    assert snapshot.documents == [] and snapshot.sets == []


def test_a_document_saved_by_another_session_is_not_overwritten(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer
) -> None:
    text = "The delegation met in Beijing on 2 March."
    document, events = document_and_events(text)
    save_document(document, text, events, shipped_catalog, shipped_gazetteer)  # the other session
    with pytest.raises(UserDataError, match="the document 'my-note' was saved by another session"):
        save_document(document, text + " Another text.", events, shipped_catalog, shipped_gazetteer)
    assert load_user_catalog(gazetteer=shipped_gazetteer).document_text("my-note") == text


def test_shipped_document_ids_are_refused(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    document = Document(id=STATEMENT, title="Mine", date="1962-08-10", file="x.txt")
    with pytest.raises(UserDataError, match="shipped document"):
        save_document(document, "text", [], shipped_catalog, shipped_gazetteer)


def test_never_writes_into_shipped_data(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(DATA_DIR), tree_digest(GEODATA_DIR)
    with pytest.raises(UserDataError, match="never modified"):
        atomic_write_text(DATA_DIR / "events.yaml", "- oops\n")
    with pytest.raises(UserDataError, match="never modified"):
        atomic_write_text(GEODATA_DIR / "sub" / "x.csv", "oops")
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(DATA_DIR))
    with pytest.raises(UserDataError, match="never modified"):
        save_events("mine", [event()], shipped_catalog, shipped_gazetteer)
    assert (tree_digest(DATA_DIR), tree_digest(GEODATA_DIR)) == before


def test_bad_names_are_refused(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    for name in ("../escape", "Upper", "", "a/b"):
        with pytest.raises(UserDataError, match="invalid name"):
            save_events(name, [event()], shipped_catalog, shipped_gazetteer)


def test_write_files_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text("old a", encoding="utf-8")
    real = userdata.atomic_write_text

    def fail_on_b(path: Path, text: str) -> None:
        if Path(path).name == "b.yaml":
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(userdata, "atomic_write_text", fail_on_b)
    with pytest.raises(OSError, match="No space"):
        userdata.write_files({first: "new a", second: "new b"})
    assert first.read_text(encoding="utf-8") == "old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.yaml"]


# --------------------------------------------------------------------------- uploads


def test_empty_upload() -> None:
    with pytest.raises(UserDataError, match="empty"):
        decode_upload(b"", "events.csv")
    with pytest.raises(UserDataError, match="empty"):
        decode_upload(b"  \n\n", "events.csv")


def test_binary_upload() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    with pytest.raises(UserDataError, match="binary"):
        decode_upload(png, "picture.csv")


def test_too_large_upload_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch, shipped_catalog: Catalog) -> None:
    def must_not_parse(*_: object, **__: object) -> None:
        raise AssertionError("parsed a file over the size limit")

    monkeypatch.setattr(userdata, "read_event_records", must_not_parse)
    big = b"a" * (50 * 1024 * 1024)
    with pytest.raises(UserDataError, match="larger than the limit") as error:
        read_events_upload(big, "huge.csv", shipped_catalog)
    assert "50.0 MB" in str(error.value)
    assert len(big) > MAX_UPLOAD_BYTES


def test_latin1_upload_is_named_as_not_utf8() -> None:
    data = "id,title\nx,Ürümqi café, Zhōu\n".encode("latin-1", errors="replace")
    with pytest.raises(UserDataError, match="not UTF-8"):
        decode_upload(data, "events.csv")


def test_utf8_with_bom_is_accepted() -> None:
    assert decode_upload("\ufeffid,title\n".encode(), "events.csv") == "id,title\n"


def test_unsupported_type() -> None:
    with pytest.raises(UserDataError, match="unsupported file type"):
        read_events_upload(b"hello", "events.docx", None)  # type: ignore[arg-type]


def test_bad_rows_are_reported_and_good_rows_kept(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    template = (TEMPLATES / "events_template.csv").read_text(encoding="utf-8").splitlines()
    header, good = template[0], template[1]
    bad_date = good.replace("example-zhang-hanfu-talk", "bad-date").replace("1962-06-11", "1962-13-45")
    columns = header.split(",")
    cells = next(csv.reader([good]))
    cells[columns.index("id")], cells[columns.index("places")] = "bad-place", "atlantis"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    bad_place = out.getvalue()
    data = "\n".join([header, good, bad_date, bad_place]).encode()
    result = read_events_upload(data, "mine.csv", shipped_catalog, shipped_gazetteer)
    assert [e.id for e in result.events] == ["example-zhang-hanfu-talk"]
    by_row = {(i.row, i.field) for i in result.issues}
    assert (3, "date") in by_row  # CSV line 3: the bad date
    assert (4, "places[0]") in by_row  # CSV line 4: the unknown place
    assert all(i.file == "mine.csv" for i in result.issues)


@pytest.mark.parametrize("name", ["events_template.csv", "events_template.yaml"])
def test_templates_are_valid(name: str, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    result = read_events_upload((TEMPLATES / name).read_bytes(), name, shipped_catalog, shipped_gazetteer)
    assert result.issues == []
    assert len(result.events) >= 2


def test_json_upload(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    import json

    data = json.dumps([event().model_dump(mode="json"), {"id": "broken"}]).encode()
    result = read_events_upload(data, "mine.json", shipped_catalog, shipped_gazetteer)
    assert [e.id for e in result.events] == ["my-talk"]
    assert {i.row for i in result.issues} == {2}


def test_saving_an_import_never_overwrites(
    shipped_catalog: Catalog, shipped_gazetteer: Gazetteer, user_dir: Path
) -> None:
    data = (TEMPLATES / "events_template.yaml").read_bytes()
    upload = read_events_upload(data, "Class Notes.yaml", shipped_catalog, shipped_gazetteer)
    first = save_imported(upload, shipped_catalog, shipped_gazetteer)
    second_upload = data.replace(b"example-", b"second-")
    # a stale catalog (another session imported meanwhile): the name is chosen in the transaction
    second = save_imported(read_events_upload(second_upload, "Class Notes.yaml", shipped_catalog,
                                              shipped_gazetteer), shipped_catalog, shipped_gazetteer)
    assert (first.saved_as, second.saved_as) == ("events/class-notes", "events/class-notes-2")
    assert len(load_user_catalog(gazetteer=shipped_gazetteer).events) == len(shipped_catalog.events) + 2 * len(
        upload.events)


def test_import_with_nothing_valid_cannot_be_saved(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    result = read_events_upload(b"- {id: only-an-id}\n", "bad.yaml", shipped_catalog, shipped_gazetteer)
    assert result.events == [] and result.issues
    with pytest.raises(UserDataError, match="no valid events"):
        save_imported(result, shipped_catalog, shipped_gazetteer)




def test_a_latin1_file_is_named_as_western_not_a_rare_code_page() -> None:
    data = "Kuldja, 3 March 1960. Note from the Consulate: Ürümqi, café, naïve, Zürich.\n".encode("latin-1")
    with pytest.raises(UserDataError) as caught:
        decode_upload(data, "note.txt")
    assert "Latin-1/Windows-1252" in caught.value.message
    assert "cp775" not in caught.value.message and "UTF-8" in caught.value.message


def test_a_binary_txt_upload_asks_for_a_txt_file() -> None:
    with pytest.raises(UserDataError) as caught:
        decode_upload(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "scan.txt")
    assert ".txt" in caught.value.message
    assert not any(kind in caught.value.message for kind in (".csv", ".json", ".yaml"))


def test_a_row_reports_every_problem_at_once(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    template = (TEMPLATES / "events_template.csv").read_text(encoding="utf-8").splitlines()
    columns = template[0].split(",")
    cells = next(csv.reader([template[1]]))
    for column, value in (("date", "1962-13-45"), ("recipient", "nobody-at-all"), ("places", "atlantis"),
                          ("source_passage", "")):
        cells[columns.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    result = read_events_upload(f"{template[0]}\n{out.getvalue()}".encode(), "mine.csv", shipped_catalog,
                                shipped_gazetteer)
    fields = {issue.field for issue in result.issues}
    assert {"date", "recipient[0]", "places[0]"} <= fields
    assert any(field and "passage" in field for field in fields)


@pytest.mark.parametrize("name", ["events_template.csv", "events_template.yaml"])
def test_templates_show_date_bound(name: str, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    result = read_events_upload((TEMPLATES / name).read_bytes(), name, shipped_catalog, shipped_gazetteer)
    assert "date_bound" in (TEMPLATES / name).read_text(encoding="utf-8")
    assert any(event.date_bound.value == "by" for event in result.events)


# --------------------------------------------------------------------------- drafts (files)


def test_a_draft_is_written_whole_or_not_at_all(
    shipped_gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The disk fills up at the last of the draft's three files: none is left, and the command says so."""
    note = tmp_path / "note.txt"
    note.write_text("March 3, 1955\n\nA note\n\nThe delegation met in Beijing on 2 March.", encoding="utf-8")
    out = tmp_path / "drafts" / "note.yaml"
    real = userdata.atomic_write_text

    def full_disk_at_the_events(path: Path, text: str) -> None:
        if Path(path) == out:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(userdata, "atomic_write_text", full_disk_at_the_events)
    assert main(["ingest", str(note), "--out", str(out)]) != 0
    assert "cannot write the draft" in capsys.readouterr().err
    assert [p for p in (tmp_path / "drafts").rglob("*") if p.is_file()] == []
