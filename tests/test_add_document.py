"""The "Add document" page (views/add_document.py) driven with AppTest, and its pure helpers
(exchanges.ingest.review): review, save, import, and no user text rendered as HTML."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml
from geopy.exc import GeocoderUnavailable
from streamlit.testing.v1 import AppTest

from exchanges.gazetteer import Gazetteer
from exchanges.geocoder import LIVE_ENV_VAR
from exchanges.ingest.analysis import analyse_document
from exchanges.ingest.drafts import propose_events
from exchanges.ingest.review import (
    draft_rows,
    escape_markdown,
    events_from_rows,
    highlight_markdown,
    kept_row_numbers,
)
from exchanges.paths import DATA_DIR, DOCUMENTS_DIR, PROJECT_ROOT
from exchanges.userdata import load_user_catalog
from geocoding_data import KASHGAR, FakeGeopy, fill_cache, use_fake_nominatim

PAGE = PROJECT_ROOT / "views" / "add_document.py"
STATEMENT = (DOCUMENTS_DIR / "1962-08-10_soviet_statement_xinjiang_exodus.txt").read_text(encoding="utf-8")
PAYLOAD = "<script>alert(1)</script>"
HOSTILE = (
    f"May 3, 1962\n\n{PAYLOAD} Letter on the border\n\n"
    f"On 1 May the {PAYLOAD} statement was delivered in Beijing. [a](javascript:alert(1)) $x$ :red[boo]\n"
)


def open_page() -> AppTest:
    app = AppTest.from_file(str(PAGE), default_timeout=60)
    app.run()
    assert not app.exception
    return app


def paste(app: AppTest, text: str) -> AppTest:
    app.text_area(key="add_doc_text").set_value(text)
    app.button(key="add_doc_analyse").click().run()
    assert not app.exception
    return app


def proposed(app: AppTest):  # type: ignore[no-untyped-def]
    return app.dataframe(key="add_doc_editor").value


def rendered_markdown(app: AppTest) -> list:  # type: ignore[no-untyped-def]
    """Every element whose text Streamlit renders as Markdown."""
    elements = [*app.markdown, *app.caption, *app.success, *app.error, *app.warning, *app.info,
                *app.subheader, *app.title]
    return elements


# --------------------------------------------------------------------------- the page


def test_paste_review_and_save(user_data: Path) -> None:
    app = paste(open_page(), STATEMENT)
    assert app.text_input(key="add_doc_title").value.startswith("Statement of the Soviet Government")
    assert str(app.date_input(key="add_doc_date").value) == "1962-08-10"
    table = proposed(app)
    assert {"keep", "title", "date", "date_precision", "event_type", "places", "summary"} <= set(table.columns)
    assert any("26 June" in passage for passage in table["passage"])
    assert table["keep"].all()
    assert table["why"].iloc[0] == "the document itself"

    app.button(key="add_doc_save").click().run()
    assert not app.exception
    assert app.success, [e.value for e in app.error]
    saved = list((user_data / "events").glob("*.yaml"))
    assert len(saved) == 1
    records = yaml.safe_load(saved[0].read_text(encoding="utf-8"))
    assert len(records) == len(table)
    catalog = load_user_catalog()  # what get_catalog loads on the next run
    assert all(catalog.has_event(r["id"]) for r in records)


def test_discarded_rows_are_not_saved(user_data: Path) -> None:
    app = paste(open_page(), STATEMENT)
    table = proposed(app)
    app.session_state["add_doc_editor"] = {
        "edited_rows": {1: {"keep": False}, 2: {"title": "My own title"}}, "added_rows": [], "deleted_rows": []}
    app.run()
    app.button(key="add_doc_save").click().run()
    assert app.success, [e.value for e in app.error]
    records = yaml.safe_load(next((user_data / "events").glob("*.yaml")).read_text(encoding="utf-8"))
    ids = [r["id"] for r in records]
    assert table["id"].iloc[1] not in ids and len(ids) == len(table) - 1
    assert next(r for r in records if r["id"] == table["id"].iloc[2])["title"] == "My own title"


def test_invalid_edit_is_reported_and_nothing_saved(user_data: Path) -> None:
    app = paste(open_page(), STATEMENT)
    # row 2 discarded; row 3 gets month precision, but its date is not the 1st of a month
    app.session_state["add_doc_editor"] = {
        "edited_rows": {1: {"keep": False}, 2: {"date_precision": "month"}}, "added_rows": [], "deleted_rows": []}
    app.run()
    app.button(key="add_doc_save").click().run()
    assert app.error and not app.success
    problems = app.dataframe[-1].value
    assert list(problems["field"]) == ["date"] and list(problems["row"]) == [3]  # numbered as in the table
    assert not (user_data / "events").exists()


def test_empty_text_asks_for_input(user_data: Path) -> None:
    app = open_page()
    app.button(key="add_doc_analyse").click().run()
    assert app.warning and "Paste" in app.warning[0].value


def test_uploaded_text_file(user_data: Path) -> None:
    app = open_page()
    app.file_uploader(key="add_doc_upload").upload("statement.txt", STATEMENT.encode(), "text/plain")
    app.button(key="add_doc_analyse").click().run()
    assert not app.exception
    assert len(proposed(app)) >= 5


def test_uploaded_latin1_file_is_refused_clearly(user_data: Path) -> None:
    app = open_page()
    app.file_uploader(key="add_doc_upload").upload("old.txt", "Ürümqi, 3 May 1950".encode("latin-1"), "text/plain")
    app.button(key="add_doc_analyse").click().run()
    assert app.error and "not UTF-8" in app.error[0].value
    with pytest.raises(KeyError):
        app.dataframe(key="add_doc_editor")


def test_offline_unresolved_places_are_listed(user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXCHANGES_LIVE_GEOCODING", raising=False)
    app = paste(open_page(), "May 3, 1962\n\nA note\n\nOn 1 May a crowd gathered near Lanzhou and crossed at Khorgos.")
    texts = " ".join(m.value for m in app.markdown)
    assert "Lanzhou" in texts
    assert app.info and "offline" in app.info[0].value
    assert not any(b.key == "add_doc_geocode" for b in app.button)


# --------------------------------------------------------------------------- names the gazetteer lacks

KASHGAR_NOTE = "May 3, 1962\n\nA note on the border\n\nOn 1 May a statement was delivered in Kashgar.\n"
ACCEPT = "add_doc_accept_Kashgar"


def test_a_geocoded_name_becomes_a_place_that_events_name(
    user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LIVE_ENV_VAR, "1")
    nominatim = FakeGeopy(KASHGAR)
    use_fake_nominatim(monkeypatch, nominatim)
    app = paste(open_page(), KASHGAR_NOTE)
    assert all(list(places) == [] for places in proposed(app)["places"])  # Kashgar is no place yet
    assert not any(b.key == ACCEPT for b in app.button)

    app.button(key="add_doc_geocode").click().run()
    assert nominatim.calls == ["Kashgar"] and not app.exception
    found = " ".join(m.value for m in app.markdown)
    assert "Kashi, Kashgar Prefecture, Xinjiang, China" in found and "39.4704" in found
    assert app.text_input(key="add_doc_place_id_Kashgar").value == "kashgar"

    app.button(key=ACCEPT).click().run()
    assert not app.exception and not app.error
    assert app.success and "kashgar" in app.success[0].value
    (row,) = csv.DictReader((user_data / "places.csv").open(encoding="utf-8"))
    assert row["id"] == "kashgar" and "query 'Kashgar'" in row["source"] and "OpenStreetMap" in row["source"]
    assert all(list(places) == ["kashgar"] for places in proposed(app)["places"])  # both rows name it

    app.button(key="add_doc_save").click().run()
    assert app.success, [e.value for e in app.error]
    catalog = load_user_catalog()
    saved = [catalog.event(event_id) for event_id in proposed(app)["id"]]
    assert saved and all(event.places == ["kashgar"] for event in saved)
    assert nominatim.calls == ["Kashgar"]  # asked once: the rest came from the cache


def test_offline_a_cached_answer_can_be_added(
    shipped_gazetteer: Gazetteer, user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LIVE_ENV_VAR, raising=False)
    fill_cache(shipped_gazetteer, {**KASHGAR, "Lanzhou": None})  # one answer, one "not found"
    app = paste(open_page(), KASHGAR_NOTE.replace("Kashgar.", "Kashgar and near Lanzhou."))
    assert app.info and f"{LIVE_ENV_VAR}=1" in app.info[0].value
    assert not any(b.key == "add_doc_geocode" for b in app.button)
    assert any("Lanzhou" in m.value and "found nothing" in m.value for m in app.markdown)
    app.text_input(key="add_doc_place_country_Kashgar").set_value("PRC (Xinjiang)")
    app.button(key=ACCEPT).click().run()
    assert app.success, [e.value for e in app.error]
    assert Gazetteer.load_with_user_places().get("kashgar").country == "PRC (Xinjiang)"


def test_a_place_reusing_a_shipped_name_is_refused(
    shipped_gazetteer: Gazetteer, user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LIVE_ENV_VAR, raising=False)
    fill_cache(shipped_gazetteer, KASHGAR)
    app = paste(open_page(), KASHGAR_NOTE)
    app.text_input(key="add_doc_place_name_Kashgar").set_value("Peking")
    app.button(key=ACCEPT).click().run()
    assert app.error and not app.success
    message = app.error[0].value
    assert "column name" in message and "'beijing'" in message and "places" in message
    assert not (user_data / "places.csv").exists()


def test_a_failed_live_look_up_is_reported(user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIVE_ENV_VAR, "1")
    use_fake_nominatim(monkeypatch, FakeGeopy(error=GeocoderUnavailable("no route to host")))
    app = paste(open_page(), KASHGAR_NOTE)
    app.button(key="add_doc_geocode").click().run()
    assert not app.exception
    assert any("Kashgar" in m.value and "no route to host" in m.value for m in app.markdown)
    assert len(proposed(app)) == 2  # the review goes on


def test_a_bad_places_file_is_reported_and_the_page_works(user_data: Path) -> None:
    (user_data / "places.csv").write_text(
        "id,name,kind,lat,lon,geometry,country,alt_names,source,note\n"
        "my-peking,Peking,city,39.9,116.4,,PRC,,my notes,\n", encoding="utf-8")
    app = paste(open_page(), STATEMENT)
    warning = " ".join(w.value for w in app.warning)
    assert "places file" in warning and "line 2" in warning and "column name" in warning
    assert len(proposed(app)) >= 5


def test_user_text_is_never_rendered_as_html(user_data: Path) -> None:
    app = paste(open_page(), HOSTILE)
    app.button(key="add_doc_save").click().run()
    assert app.success
    elements = rendered_markdown(app)
    assert any("script" in element.value for element in elements)  # the payload is shown, as text
    for element in elements:
        assert "<script" not in element.value.lower(), element.value
        assert "](javascript" not in element.value
        assert not getattr(element.proto, "allow_html", False)
    assert any(PAYLOAD in title for title in proposed(app)["title"])  # data cells keep it as data


def test_page_source_never_allows_html() -> None:
    source = PAGE.read_text(encoding="utf-8")
    assert "unsafe_allow_html" not in source
    assert "st.html" not in source and "components.html" not in source


# --------------------------------------------------------------------------- import tab


def test_import_valid_rows_and_report_bad_ones(user_data: Path) -> None:
    lines = (DATA_DIR / "templates" / "events_template.csv").read_text(encoding="utf-8").splitlines()
    bad = lines[1].replace("example-zhang-hanfu-talk", "broken").replace("1962-06-11", "11/06/1962")
    app = open_page()
    app.file_uploader(key="add_doc_import_upload").upload("mine.csv", "\n".join([*lines, bad]).encode(), "text/csv")
    app.run()
    assert not app.exception
    valid, problems = app.dataframe[-2].value, app.dataframe[-1].value
    assert list(valid["id"]) == ["example-zhang-hanfu-talk", "example-unemployed-1952"]
    assert (list(problems["row"]), list(problems["field"])) == ([4], ["date"])
    app.button(key="add_doc_import_save").click().run()
    assert app.success
    assert [p.name for p in (user_data / "events").iterdir()] == ["mine.yaml"]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("old.csv", "id,title\nx,Zhōu Ēnlái café\n".encode("cp1252", errors="replace"), "not UTF-8"),
        ("big.yaml", b"#" * (6 * 1024 * 1024), "larger than the limit"),
    ],
)
def test_import_refuses_bad_files(user_data: Path, name: str, data: bytes, message: str) -> None:
    app = open_page()
    app.file_uploader(key="add_doc_import_upload").upload(name, data, "application/octet-stream")
    app.run()
    assert app.error and message in app.error[0].value
    assert not (user_data / "events").exists()


# --------------------------------------------------------------------------- review helpers


@pytest.fixture(scope="module")
def hostile_drafts(shipped_gazetteer: Gazetteer):  # type: ignore[no-untyped-def]
    analysis = analyse_document(HOSTILE, shipped_gazetteer)
    return analysis, propose_events(analysis)


def test_escape_markdown() -> None:
    escaped = escape_markdown("a *b* <i>c</i> & $x$ :red[d] [e](f)")
    assert "<" not in escaped and ">" not in escaped
    assert "&lt;i&gt;" in escaped and "&amp;" in escaped
    assert "\\*b\\*" in escaped and "\\$x\\$" in escaped and "\\:red\\[d\\]" in escaped


def test_highlight_marks_mentions_and_escapes_the_rest(hostile_drafts) -> None:  # type: ignore[no-untyped-def]
    analysis, _ = hostile_drafts
    markdown = highlight_markdown(analysis)
    assert ":blue-background[Beijing]" in markdown
    assert ":orange-background[1 May]" in markdown
    assert "<script" not in markdown and "&lt;script&gt;" in markdown
    # the only directives are ours: every ":x-background[" is preceded by no backslash
    assert not re.search(r"(?<!\\):red\[", markdown)


def test_rows_round_trip_and_row_issues(hostile_drafts) -> None:  # type: ignore[no-untyped-def]
    _, draft_set = hostile_drafts
    rows = draft_rows(draft_set)
    events, issues = events_from_rows(rows, draft_set)
    assert issues == [] and [e.id for e in events] == [d.event.id for d in draft_set.drafts]
    rows[0]["keep"] = False
    rows[1]["event_type"] = "parade"
    rows[1]["title"] = "  "
    events, issues = events_from_rows(rows, draft_set)
    assert events == []
    assert sorted((i.row, i.field) for i in issues) == [(2, "event_type"), (2, "title")]
    rows[1].update(event_type="meeting", title="A meeting", places="beijing; prc")
    events, issues = events_from_rows(rows, draft_set)
    assert issues == [] and events[0].places == ["beijing", "prc"]
    assert kept_row_numbers(rows) == [2]


def test_long_texts_are_highlighted_up_to_a_limit(shipped_gazetteer: Gazetteer) -> None:
    analysis = analyse_document("May 1, 1950\n\nNotes\n\n" + "A line about Beijing.\n\n" * 200, shipped_gazetteer)
    full, cut = highlight_markdown(analysis), highlight_markdown(analysis, max_chars=500)
    assert full.count("Beijing") == 200
    assert cut.count("Beijing") < 40 and cut.endswith("not shown here)*")


# --------------------------------------------------------------------------- review findings


def test_a_row_added_to_the_table_is_saved_with_defaults(user_data: Path) -> None:
    app = paste(open_page(), STATEMENT)
    table = proposed(app)
    passage = next(p for p in table["passage"] if "26 June" in p)
    app.session_state["add_doc_editor"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{"title": "My missing event", "summary": "Added by the teacher.", "passage": passage}]}
    app.run()
    app.button(key="add_doc_save").click().run()
    assert app.success, [e.value for e in app.error]
    records = yaml.safe_load(next((user_data / "events").glob("*.yaml")).read_text(encoding="utf-8"))
    added = next(r for r in records if r["title"] == "My missing event")
    assert len(records) == len(table) + 1
    assert added["date"] == "1962-08-10" and added["event_type"] == "other"  # the defaults
    assert added["id"] not in set(table["id"]) and added["source"]["passage"] == passage


def test_an_added_row_without_a_passage_is_reported(user_data: Path) -> None:
    app = paste(open_page(), STATEMENT)
    app.session_state["add_doc_editor"] = {
        "edited_rows": {}, "deleted_rows": [], "added_rows": [{"title": "No source", "summary": "Not in the text."}]}
    app.run()
    app.button(key="add_doc_save").click().run()
    assert app.error and not app.success
    problems = app.dataframe[-1].value
    assert "passage" in list(problems["field"])
    assert not (user_data / "events").exists()


def test_import_lists_every_problem_in_full(user_data: Path) -> None:
    lines = (DATA_DIR / "templates" / "events_template.csv").read_text(encoding="utf-8").splitlines()
    bad = (lines[1].replace("example-zhang-hanfu-talk", "broken").replace("1962-06-11", "11/06/1962")
           .replace("soviet-ambassador-prc-1962", "nobody-at-all"))
    app = open_page()
    app.file_uploader(key="add_doc_import_upload").upload("mine.csv", "\n".join([lines[0], bad]).encode(), "text/csv")
    app.run()
    problems = app.dataframe[-1].value
    assert {"date", "recipient[0]"} <= set(problems["field"])  # both at once, not one after the other
    listed = " ".join(m.value for m in app.markdown)
    for message in problems["problem"]:  # every message in full below the table
        assert escape_markdown(message) in listed
