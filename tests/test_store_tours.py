"""The user's tours and drafts in the store (exchanges.store), on both backends: a tour save is one
transaction with the conflict rule of event sets, tours are validated as files are (every problem
at once), an old ``user_data/tours/`` folder is imported once and left as it was, a tour can be
downloaded and uploaded as YAML, and drafts of ``exchanges ingest`` are kept for review."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml
from store_data import backend  # noqa: F401 - the fixture
from streamlit.testing.v1 import AppTest

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.store import close_all, open_store
from exchanges.tour_builder import DraftStep, read_tour_upload, save_tour, tour_data, tour_yaml
from exchanges.tours import load_tours
from exchanges.userdata import UserDataError, save_draft, save_tour_text, saved_draft, saved_drafts

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "tour_builder.py")


def a_tour(catalog: Catalog, tour_id: str, caption: str) -> dict:
    return tour_data(tour_id, f"Tour {tour_id}", "", [DraftStep(event=catalog.events[0].id, caption=caption)])


def digest(folder: Path) -> str:
    hashed = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        hashed.update(str(path).encode())
        if path.is_file():
            hashed.update(path.read_bytes())
    return hashed.hexdigest()


def stored_caption(tour_id: str) -> str:
    (stored,) = [t for t in open_store().tours()[1] if t.name == tour_id]
    return yaml.safe_load(stored.text)["steps"][0]["caption"]


def test_a_tour_save_is_one_transaction_and_reads_back(
    backend: str, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer  # noqa: F811
) -> None:
    with open_store().write():  # created (a SQLite store is made by its first write)
        pass
    before = open_store().revision()
    saved = save_tour(a_tour(shipped_catalog, "lesson", "First."), shipped_catalog, shipped_gazetteer)
    assert saved.saved_as == "tours/lesson" and saved.revision == before + 1 == open_store().revision()
    tours, issues = load_tours(shipped_catalog, shipped_gazetteer)
    assert not issues and tours["lesson"].steps[0].caption == "First."
    assert {"xinjiang-1962", "lesson"} <= set(tours)  # the shipped files and the store


def test_a_save_from_a_page_loaded_before_another_sessions_save_is_refused(
    backend: str, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer  # noqa: F811
) -> None:
    first = save_tour(a_tour(shipped_catalog, "lesson", "Mine."), shipped_catalog, shipped_gazetteer)
    loaded = first.revision  # this page's state: it saw its own save
    other = save_tour(a_tour(shipped_catalog, "lesson", "Theirs."), shipped_catalog, shipped_gazetteer,
                      overwrite=True, loaded_revision=first.revision)  # another session, up to date
    with pytest.raises(UserDataError, match="saved by another session after this page loaded it"):
        save_tour(a_tour(shipped_catalog, "lesson", "Mine again."), shipped_catalog, shipped_gazetteer,
                  overwrite=True, loaded_revision=loaded)
    assert stored_caption("lesson") == "Theirs." and open_store().revision() == other.revision  # nothing written
    again = save_tour(a_tour(shipped_catalog, "lesson", "Mine again."), shipped_catalog, shipped_gazetteer,
                      overwrite=True, loaded_revision=other.revision)  # after a reload
    assert stored_caption("lesson") == "Mine again." and again.revision == other.revision + 1


def test_an_existing_tour_is_replaced_only_when_asked(backend: str) -> None:  # noqa: F811
    save_tour_text("mine", "id: mine\n", overwrite=False, loaded_revision=0)
    with pytest.raises(UserDataError, match="already have a tour with the id 'mine'"):
        save_tour_text("mine", "id: mine\ntitle: x\n", overwrite=False, loaded_revision=10**6)
    with pytest.raises(UserDataError, match="invalid name"):
        save_tour_text("../escape", "id: x\n", overwrite=True, loaded_revision=10**6)
    assert [(t.name, t.text) for t in open_store().tours()[1]] == [("mine", "id: mine\n")]


def test_an_old_tours_folder_is_imported_once_and_left_as_it_was(
    backend: str, user_data: Path, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer  # noqa: F811
) -> None:
    close_all()
    folder = user_data / "tours"
    folder.mkdir()
    first = shipped_catalog.events[0].id
    (folder / "good.yaml").write_text(f"id: my-good\ntitle: Good\nsteps:\n  - event: {first}\n", encoding="utf-8")
    (folder / "bad.yaml").write_text("id: my-bad\ntitle: Bad\nsteps:\n  - event: nope\n    sorting: 1\n",
                                     encoding="utf-8")
    (folder / "broken.yml").write_text("id: [unclosed\n", encoding="utf-8")
    (folder / "latin.yaml").write_bytes("id: x\ntitle: caf\xe9\n".encode("latin-1"))
    (folder / "twin.yaml").write_text(f"id: my-good\ntitle: Twin\nsteps:\n  - event: {first}\n", encoding="utf-8")
    before = digest(user_data / "tours")
    tours, issues = load_tours(shipped_catalog, shipped_gazetteer)
    assert tours["my-good"].stored_as == "tours/my-good" and tours["my-good"].title == "Good"
    messages = [str(i) for i in issues]
    # the invalid tour: every problem at once, named by where it is now
    assert any(m.startswith("tours/my-bad, row 1, field event") and "nope" in m for m in messages)
    assert any(m.startswith("tours/my-bad, row 1, field sorting") for m in messages)
    assert any(m.startswith("tours/broken") for m in messages)  # imported as it was, its YAML error listed
    problems = [str(i) for i in open_store().import_issues()]
    assert any("tours/latin.yaml" in p and "UTF-8" in p for p in problems)
    assert any("tours/twin.yaml" in p and "already used by tours/good.yaml" in p for p in problems)
    assert digest(user_data / "tours") == before  # left as it was
    (folder / "later.yaml").write_text(f"id: later\ntitle: Later\nsteps:\n  - event: {first}\n", encoding="utf-8")
    close_all()
    assert "later" not in load_tours(shipped_catalog, shipped_gazetteer)[0]  # imported once only


def test_drafts_are_kept_and_listed(backend: str) -> None:  # noqa: F811
    assert saved_drafts() == []
    document = {"id": "my-letter", "title": "A letter", "file": "my-letter.txt"}
    assert save_draft("my-letter", document, "The text.", [{"id": "e1"}]) == "drafts/my-letter"
    save_draft("my-letter", document, "The text, again.", [{"id": "e1"}, {"id": "e2"}])  # replaced
    assert saved_drafts() == ["my-letter"]
    draft = saved_draft("my-letter")
    assert draft is not None and draft.text == "The text, again." and [e["id"] for e in draft.events] == ["e1", "e2"]
    assert draft.document == document and saved_draft("nothing") is None


# --------------------------------------------------------------------------- the page


def test_the_page_refuses_a_save_over_another_sessions_tour(shipped_catalog: Catalog, user_data: Path) -> None:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    at.radio(key="tb_start").set_value("tour").run()
    at.selectbox(key="tb_source_tour").set_value("xinjiang-1962").run()
    at.button(key="tb_start_button").click().run()
    at.text_input(key="tb_id").set_value("lesson").run()
    save_tour_text("lesson", "id: lesson\n", overwrite=False, loaded_revision=0)  # another session, meanwhile
    at.checkbox(key="tb_overwrite").check().run()
    at.button(key="tb_save").click().run()
    assert at.error and not at.success
    assert "saved by another session" in at.error[0].value.replace("\\", "")
    assert [t.text for t in open_store().tours()[1]] == ["id: lesson\n"]  # not overwritten


def test_a_downloaded_tour_uploads_back(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer,
                                       user_data: Path) -> None:
    data = a_tour(shipped_catalog, "uploaded", "From a file.")
    uploaded = read_tour_upload(tour_yaml(data).encode("utf-8"), "uploaded.yaml")  # what the page downloads
    assert uploaded == data
    assert save_tour(uploaded, shipped_catalog, shipped_gazetteer).saved_as == "tours/uploaded"
    assert load_tours(shipped_catalog, shipped_gazetteer)[0]["uploaded"].steps[0].caption == "From a file."
    for bad, message in ((b"- a list\n", "a tour is a mapping"), (b"id: [x\n", "x.yaml"),
                         (b"\xff\xfe\x00\x00", "x.yaml"), (b"", "empty")):
        with pytest.raises(UserDataError, match=message):
            read_tour_upload(bad, "x.yaml")
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    assert any(b.proto.label == "Download the tour (YAML)" for b in at.get("download_button"))


def test_a_draft_of_the_command_line_opens_for_review(user_data: Path, tmp_path: Path) -> None:
    """``exchanges ingest`` keeps the draft in the store; the Add a document page lists it and opens it:
    the same document id, the date given with --date for a text without one, the same proposals."""
    from exchanges.cli import main
    from exchanges.paths import PROJECT_ROOT

    note = tmp_path / "note.txt"
    note.write_text("The delegation met in Beijing and issued a statement on 4 [March].\n", encoding="utf-8")
    assert main(["ingest", str(note), "--id", "my-note", "--date", "1955-03-05"]) == 0
    draft = saved_draft("my-note")
    assert draft is not None and draft.document["date"] == "1955-03-05"
    app = AppTest.from_file(str(PROJECT_ROOT / "views" / "add_document.py"), default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    assert app.selectbox(key="add_doc_saved_draft").options == ["my-note"]
    app.button(key="add_doc_open_draft").click().run()
    assert not app.exception, app.exception
    assert app.text_area(key="add_doc_text").value == draft.text
    assert str(app.date_input(key="add_doc_date").value) == "1955-03-05"
    table = app.dataframe(key="add_doc_editor").value
    assert list(table["id"]) == [e["id"] for e in draft.events]  # the draft the command line proposed
    app.button(key="add_doc_save").click().run()
    assert app.success, [e.value for e in app.error]
