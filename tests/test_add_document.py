"""The "Add document" page (views/add_document.py) driven with AppTest, and its pure helpers
(exchanges.ingest.review): review, save, import, and no user text rendered as HTML."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from geocoding_data import KASHGAR, FakeGeopy, fill_cache, use_fake_nominatim
from geopy.exc import GeocoderUnavailable
from store_data import only_saved_set, saved_places, saved_sets
from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto
from streamlit.testing.v1 import AppTest

from exchanges.gazetteer import Gazetteer
from exchanges.geocoder import LIVE_ENV_VAR
from exchanges.ingest.analysis import analyse_document
from exchanges.ingest.drafts import propose_events
from exchanges.ingest.review import (
    draft_rows,
    events_from_rows,
    highlight_markdown,
    kept_row_numbers,
)
from exchanges.markdown import escape_markdown
from exchanges.paths import DATA_DIR, DOCUMENTS_DIR, PROJECT_ROOT
from exchanges.userdata import load_user_catalog

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
    records = only_saved_set()
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
    records = only_saved_set()
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
    assert saved_sets() == {}


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
    assert app.error and "not UTF-8" in app.error[0].value.replace("\\", "")
    with pytest.raises(KeyError):
        app.dataframe(key="add_doc_editor")


@pytest.mark.usefixtures("curated_gazetteer_only")  # the name is not in the curated gazetteer
def test_offline_unresolved_places_are_listed(user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXCHANGES_LIVE_GEOCODING", raising=False)
    note = "May 3, 1962\n\nA note\n\nOn 1 May a crowd gathered near Bakhtykol and crossed at Khorgos."
    app = paste(open_page(), note)
    texts = " ".join(m.value for m in app.markdown)
    assert "Bakhtykol" in texts
    assert app.info and "offline" in app.info[0].value
    assert not any(b.key == "add_doc_geocode" for b in app.button)


# --------------------------------------------------------------------------- names the gazetteer lacks

# Names no gazetteer has (the regional gazetteer knows Kashgar and Lanzhou now): the fake
# geocoder answers for "Zhuldyzkent" with Kashgar's point.
REMOTE = {"Zhuldyzkent": KASHGAR["Kashgar"]}

REMOTE_NOTE = "May 3, 1962\n\nA note on the border\n\nOn 1 May a statement was delivered in Zhuldyzkent.\n"
ACCEPT = "add_doc_accept_Zhuldyzkent"


@pytest.mark.usefixtures("curated_gazetteer_only")  # the name is not in the curated gazetteer
def test_a_geocoded_name_becomes_a_place_that_events_name(
    user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LIVE_ENV_VAR, "1")
    nominatim = FakeGeopy(REMOTE)
    use_fake_nominatim(monkeypatch, nominatim)
    app = paste(open_page(), REMOTE_NOTE)
    assert all(list(places) == [] for places in proposed(app)["places"])  # Zhuldyzkent is no place yet
    assert not any(b.key == ACCEPT for b in app.button)

    app.button(key="add_doc_geocode").click().run()
    assert nominatim.calls == ["Zhuldyzkent"] and not app.exception
    found = " ".join(m.value for m in app.markdown)
    assert "Kashi, Kashgar Prefecture, Xinjiang, China" in found and "39.4704" in found
    assert app.text_input(key="add_doc_place_id_Zhuldyzkent").value == "zhuldyzkent"

    app.button(key=ACCEPT).click().run()
    assert not app.exception and not app.error
    assert app.success and "zhuldyzkent" in app.success[0].value
    (row,) = saved_places()
    assert row["id"] == "zhuldyzkent" and "query 'Zhuldyzkent'" in row["source"] and "OpenStreetMap" in row["source"]
    assert all(list(places) == ["zhuldyzkent"] for places in proposed(app)["places"])  # both rows name it

    app.button(key="add_doc_save").click().run()
    assert app.success, [e.value for e in app.error]
    catalog = load_user_catalog()
    saved = [catalog.event(event_id) for event_id in proposed(app)["id"]]
    assert saved and all(event.places == ["zhuldyzkent"] for event in saved)
    assert nominatim.calls == ["Zhuldyzkent"]  # asked once: the rest came from the cache


@pytest.mark.usefixtures("curated_gazetteer_only")  # the name is not in the curated gazetteer
def test_offline_a_cached_answer_can_be_added(
    shipped_gazetteer: Gazetteer, user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LIVE_ENV_VAR, raising=False)
    fill_cache(shipped_gazetteer, {**REMOTE, "Bakhtykol": None})  # one answer, one "not found"
    app = paste(open_page(), REMOTE_NOTE.replace("Zhuldyzkent.", "Zhuldyzkent and near Bakhtykol."))
    assert app.info and f"{LIVE_ENV_VAR}=1" in app.info[0].value
    assert not any(b.key == "add_doc_geocode" for b in app.button)
    assert any("Bakhtykol" in m.value and "found nothing" in m.value for m in app.markdown)
    app.text_input(key="add_doc_place_country_Zhuldyzkent").set_value("PRC (Xinjiang)")
    app.button(key=ACCEPT).click().run()
    assert app.success, [e.value for e in app.error]
    assert Gazetteer.load_with_user_places().get("zhuldyzkent").country == "PRC (Xinjiang)"


@pytest.mark.usefixtures("curated_gazetteer_only")  # the name is not in the curated gazetteer
def test_a_place_reusing_a_shipped_name_is_refused(
    shipped_gazetteer: Gazetteer, user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(LIVE_ENV_VAR, raising=False)
    fill_cache(shipped_gazetteer, REMOTE)
    app = paste(open_page(), REMOTE_NOTE)
    app.text_input(key="add_doc_place_name_Zhuldyzkent").set_value("Peking")
    app.button(key=ACCEPT).click().run()
    assert app.error and not app.success
    message = app.error[0].value
    assert "field name" in message and "'beijing'" in message and "places" in message
    assert saved_places() == []


@pytest.mark.usefixtures("curated_gazetteer_only")  # the name is not in the curated gazetteer
def test_a_failed_live_look_up_is_reported(user_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(LIVE_ENV_VAR, "1")
    use_fake_nominatim(monkeypatch, FakeGeopy(error=GeocoderUnavailable("no route to host")))
    app = paste(open_page(), REMOTE_NOTE)
    app.button(key="add_doc_geocode").click().run()
    assert not app.exception
    assert any("Zhuldyzkent" in m.value and "no route to host" in m.value for m in app.markdown)
    assert len(proposed(app)) == 2  # the review goes on


def test_a_bad_places_file_is_reported_and_the_page_works(user_data: Path) -> None:
    (user_data / "places.csv").write_text(
        "id,name,kind,lat,lon,geometry,country,alt_names,source,note\n"
        "my-peking,Peking,city,39.9,116.4,,PRC,,my notes,\n", encoding="utf-8")
    app = paste(open_page(), STATEMENT)
    warning = " ".join(w.value for w in app.warning)
    assert "places file" in warning and "row 2" in warning and "field name" in warning
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
    assert list(saved_sets()) == ["mine"]


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
    assert app.error and message in app.error[0].value.replace("\\", "")
    assert saved_sets() == {}


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


def add_event(app: AppTest, **fields: object) -> AppTest:
    """Fill the "Add an event" form (text fields by name, pickers by their ids) and submit it."""
    for name, value in fields.items():
        key = f"add_doc_add_{name}"
        if name in ("summary", "passage"):
            app.text_area(key=key).set_value(value)
        elif name in ("sender", "recipient", "people", "places", "themes"):
            app.multiselect(key=key).set_value(value)
        else:
            app.text_input(key=key).set_value(value)
    return app.button(key="add_doc_add_submit").click().run()


def test_the_table_offers_no_new_row_the_form_adds_events(user_data: Path) -> None:
    """The grid's own new row could drop the first keys typed: rows are deleted there, added with the form."""
    app = paste(open_page(), STATEMENT)
    assert app.dataframe(key="add_doc_editor").proto.editing_mode == DataframeProto.EditingMode.DELETE_ONLY
    assert app.button(key="add_doc_add_submit").proto.form_id == "add_doc_add_event"


def test_an_event_added_with_the_form_is_saved_with_every_field(user_data: Path) -> None:
    app = paste(open_page(), STATEMENT)
    table = proposed(app)
    passage = next(p for p in table["passage"] if "26 June" in p)
    add_event(app, title="My missing event", summary="Added by the teacher.", passage=passage,
              sender=["soviet-government"], recipient=["prc-government"], places=["beijing"],
              figures="~1000 people | thousands")
    app.button(key="add_doc_save").click().run()
    assert app.success, [e.value for e in app.error]
    records = only_saved_set()
    added = next(r for r in records if r["title"] == "My missing event")
    assert len(records) == len(table) + 1
    assert added["date"] == "1962-08-10" and added["event_type"] == "other"  # the defaults
    assert added["sender"] == ["soviet-government"] and added["recipient"] == ["prc-government"]
    assert added["places"] == ["beijing"]
    assert added["figures"][0]["what"] == "people" and added["figures"][0]["quote"] == "thousands"
    assert added["id"] not in set(table["id"]) and added["source"]["passage"] == passage


def test_an_added_row_without_a_passage_is_reported(user_data: Path) -> None:
    app = add_event(paste(open_page(), STATEMENT), title="No source", summary="Not in the text.")
    app.button(key="add_doc_save").click().run()
    assert app.error and not app.success
    problems = app.dataframe[-1].value
    assert "passage" in list(problems["field"])
    assert saved_sets() == {}


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


# --------------------------------------------------------------------------- every field in the review table


def test_the_review_table_shows_and_saves_every_field(user_data: Path) -> None:
    """Sender, recipient, people, themes and figures are columns; edits to them are saved."""
    from exchanges.ingest.review import parse_figures

    app = paste(open_page(), STATEMENT)
    table = proposed(app)
    assert {"sender", "recipient", "people", "places", "themes", "figures"} <= set(table.columns)
    catalog = load_user_catalog()
    actor, theme = sorted(catalog.actors)[0], sorted(catalog.themes)[0]
    app.session_state["add_doc_editor"] = {
        "edited_rows": {1: {"people": [actor], "themes": [theme],
                            "figures": '7 persons crossing into China | seven persons'}},
        "added_rows": [], "deleted_rows": []}
    app.run()
    app.button(key="add_doc_save").click().run()
    assert app.success, [e.value for e in app.error]
    saved = next(r for r in only_saved_set() if r["id"] == table["id"].iloc[1])
    assert saved["people"] == [actor] and saved["themes"] == [theme]
    [figure] = saved["figures"]
    [expected] = parse_figures('7 persons crossing into China | seven persons')[0]
    assert (figure["low"], figure["what"], figure["quote"]) == (7, expected["what"], "seven persons")
    # The report says, row by row, what was saved.
    report = "\n".join(m.value for m in app.markdown).replace("\\", "")
    assert "row 2" in report and f"saved as `{table['id'].iloc[1]}`" in report


def test_an_unreadable_figure_is_reported_with_its_row(user_data: Path) -> None:
    app = paste(open_page(), STATEMENT)
    app.session_state["add_doc_editor"] = {
        "edited_rows": {0: {"figures": "lots of people"}}, "added_rows": [], "deleted_rows": []}
    app.run()
    app.button(key="add_doc_save").click().run()
    assert app.error and not app.success
    problems = app.dataframe[-1].value
    assert list(problems["field"]) == ["figures"] and list(problems["row"]) == [1]
    assert saved_sets() == {}


def test_the_save_report_says_what_was_not_saved_and_why() -> None:
    from exchanges.ingest.review import save_report
    from exchanges.issues import Issue

    rows = [{"keep": True, "id": "a", "title": "A"}, {"keep": False, "id": "b", "title": "B"},
            {"keep": True, "id": "c", "title": "C"}]
    lines = save_report(rows, ["a", "c"], [], {"a"})
    assert lines[0].endswith("saved as `a`")
    assert "keep* is unticked" in lines[1]
    assert "**not saved**" in lines[2]
    lines = save_report(rows, [], [Issue("t", 3, "date", "bad date")])
    assert "**not saved**" in lines[2] and "bad date" in lines[2]


def report_text(app: AppTest) -> str:
    """The page's Markdown with the escaping backslashes removed (the save report is escaped)."""
    return "\n".join(m.value for m in app.markdown).replace("\\", "")


def test_the_report_names_each_rows_missing_fields_and_why_nothing_was_saved(user_data: Path) -> None:
    """A half-typed added event and a cleared title: each row says what became of it."""
    app = paste(open_page(), STATEMENT)
    table = proposed(app)
    count = len(table)
    app.session_state["add_doc_editor"] = {"edited_rows": {1: {"title": None}}, "deleted_rows": [], "added_rows": []}
    app.run()
    add_event(app, title="Half typed")
    app.button(key="add_doc_save").click().run()
    assert app.error and not app.success
    assert saved_sets() == {}
    report = report_text(app)
    half = next(line for line in report.splitlines() if line.startswith(f"- row {count + 1}, Half typed:"))
    assert "**not saved** — " in half and "summary: required field is missing" in half
    assert "passage: an added event needs a passage" in half
    assert "- row 2, (no title): **not saved** — title: required field is missing" in report
    first = table["title"].iloc[0]
    assert (f"- row 1, {first}: not saved — nothing is saved while another row has a problem: fix it, "
            "then save again") in report
    assert "the store did not keep it" not in report


def test_an_event_typed_in_the_add_form_is_kept_and_saved(user_data: Path) -> None:
    """"Add an event": plain fields; the event follows the table's rows, in the save and its report."""
    app = paste(open_page(), STATEMENT)
    table = proposed(app)
    count = len(table)
    passage = next(p for p in table["passage"] if "26 June" in p)
    app.text_input(key="add_doc_add_title").set_value("Typed in the form")
    app.text_area(key="add_doc_add_summary").set_value("Typed.")
    app.text_area(key="add_doc_add_passage").set_value(passage)
    app.selectbox(key="add_doc_add_type").set_value("statement")
    app.button(key="add_doc_add_submit").click().run()
    assert not app.exception, app.exception
    assert any(list(frame.value.get("title", [])) == ["Typed in the form"] for frame in app.dataframe)  # shown
    app.text_input(key="add_doc_title").set_value("Another title").run()  # another rerun: still there
    app.button(key="add_doc_save").click().run()
    assert app.success and not app.error, [e.value for e in app.error]
    assert f"Saved {count + 1} of the {count + 1} kept row(s)" in app.success[0].value
    [typed] = [r for r in only_saved_set() if r["title"] == "Typed in the form"]
    assert typed["summary"] == "Typed." and typed["source"]["passage"] == passage
    assert typed["event_type"] == "statement" and typed["date"] == "1962-08-10"
    assert f"- row {count + 1}, Typed in the form: saved as `{typed['id']}`" in report_text(app)


def test_an_event_added_without_a_summary_is_reported_not_dropped(user_data: Path) -> None:
    app = paste(open_page(), STATEMENT)
    count = len(proposed(app))
    app.text_input(key="add_doc_add_title").set_value("No summary")
    app.button(key="add_doc_add_submit").click().run()
    app.button(key="add_doc_save").click().run()
    assert app.error and not app.success and saved_sets() == {}
    line = next(x for x in report_text(app).splitlines() if x.startswith(f"- row {count + 1}, No summary:"))
    assert "summary: required field is missing" in line and "passage: an added event needs a passage" in line
    app.button(key="add_doc_add_clear").click().run()  # removed: the rest saves
    app.button(key="add_doc_save").click().run()
    assert app.success and len(only_saved_set()) == count


def test_a_blank_added_row_is_ignored_and_said_so(user_data: Path) -> None:
    """An added row with only its defaults (a table row of a draft file, say) does not block the save;
    the form adds no event when nothing was typed, and says so."""
    app = paste(open_page(), STATEMENT)
    count = len(proposed(app))
    add_event(app)
    assert any("no event added" in w.value for w in app.warning)
    app.session_state["add_doc_editor"] = {"edited_rows": {}, "deleted_rows": [], "added_rows": [{}]}
    app.run()
    app.button(key="add_doc_save").click().run()
    assert app.success and not app.error, [e.value for e in app.error]
    assert f"Saved {count} of the {count} kept row(s)" in app.success[0].value
    assert len(only_saved_set()) == count
    assert (f"- row {count + 1}, (no title): not saved — an added row with nothing typed in it (ignored)"
            in report_text(app))


def test_the_review_table_and_its_save_are_one_form(user_data: Path) -> None:
    """Edits reach the app with the save, not at each cell: adding a row starts no rerun (whose
    redraw dropped what was being typed in the new row)."""
    app = paste(open_page(), STATEMENT)
    assert app.button(key="add_doc_save").proto.form_id == "add_doc_review"
    assert app.dataframe(key="add_doc_editor").proto.form_id == "add_doc_review"
    assert app.button(key="add_doc_analyse").proto.form_id == ""  # (a button outside any form)


# --------------------------------------------------------------------------- uploads: periods and documents


@pytest.mark.parametrize(("day", "precision", "start"), [
    ("1962-04-17", "month", "1962-04-01"), ("1962-04-20", "half_month", "1962-04-16"),
    ("1962-07-09", "season", "1962-06-01"), ("1963-02-10", "season", "1962-12-01"),
    ("1962-08-31", "year", "1962-01-01"), ("1962-04-17", "day", "1962-04-17"),
])
def test_a_date_moves_to_the_start_of_its_period(day: str, precision: str, start: str) -> None:
    import datetime as dt

    from exchanges.ingest.upload import period_start

    assert period_start(dt.date.fromisoformat(day), precision).isoformat() == start


def test_an_upload_with_any_day_of_its_month_is_accepted_and_says_so(user_data: Path) -> None:
    lines = (DATA_DIR / "templates" / "events_template.csv").read_text(encoding="utf-8").splitlines()
    month = lines[1].replace("example-zhang-hanfu-talk", "talk-in-june").replace("1962-06-11,day", "1962-06-11,month")
    app = open_page()
    app.file_uploader(key="add_doc_import_upload").upload("june.csv", "\n".join([lines[0], month]).encode(),
                                                          "text/csv")
    app.run()
    assert not app.exception
    notes = " ".join(i.value for i in app.info).replace("\\", "")
    assert "row 2: date 1962-06-11 with precision 'month' read as 1962-06-01" in notes  # the loader's row
    assert list(app.dataframe[-1].value["id"]) == ["talk-in-june"]
    app.button(key="add_doc_import_save").click().run()
    assert app.success
    [record] = only_saved_set()
    assert record["date"] == "1962-06-01" and record["date_precision"] == "month"


def test_a_file_may_carry_its_documents_with_its_events(user_data: Path) -> None:
    import yaml

    text = "Memorandum, 3 May 1962\n\nOn 2 May the consul in Kashgar reported many crossings at the border.\n"
    data = {
        "documents": [{"id": "my-memo-1962", "title": "A memorandum of May 1962", "date": "1962-05-03",
                       "text": text}],
        "events": [{"id": "consul-report-may-1962", "title": "The consul reports crossings",
                    "date": "1962-05-02", "date_precision": "day", "event_type": "report",
                    "summary": "The consul reports many crossings at the border.",
                    "source": {"document": "my-memo-1962",
                               "passage": "On 2 May the consul in Kashgar reported many crossings at the border."}}],
    }
    app = open_page()
    app.file_uploader(key="add_doc_import_upload").upload("memo.yaml", yaml.safe_dump(data).encode(),
                                                          "application/yaml")
    app.run()
    assert not app.exception
    shown = " ".join(m.value for m in app.markdown).replace("\\", "")
    assert "A memorandum of May 1962" in shown and "with 1 event(s) citing it" in shown
    app.button(key="add_doc_import_doc_1").click().run()
    assert app.success, [e.value for e in app.error]
    catalog = load_user_catalog()
    assert "my-memo-1962" in catalog.documents and catalog.has_event("consul-report-may-1962")


def test_a_carried_document_without_text_is_reported() -> None:
    import yaml

    from exchanges.ingest.upload import prepare_upload

    text = yaml.safe_dump({"documents": [{"id": "x", "title": "X", "date": "1962-01-01"}], "events": []})
    prepared = prepare_upload(text, "x.yaml")
    assert [str(problem) for problem in prepared.problems] == [
        "x.yaml, documents, row 1, field text: the document's text is missing"]


# --------------------------------------------------------------------------- placing a name by hand, offline

UNPLACED = "May 3, 1962\n\nMemorandum\n\nOn 2 May the refugees crossed near Zhuldyzkent and went on.\n"


def test_a_name_is_placed_by_searching_the_gazetteer_under_another_name(user_data: Path) -> None:
    app = paste(open_page(), UNPLACED)
    assert any("Place “Zhuldyzkent” yourself" in e.label for e in app.expander)
    app.text_input(key="add_doc_manual_search_Zhuldyzkent").set_value("Kuldja").run()
    pick = app.radio(key="add_doc_manual_pick_Zhuldyzkent")
    assert pick.options, "the gazetteer finds a place under its old name"
    app.button(key="add_doc_manual_use_search_Zhuldyzkent").click().run()
    assert not app.exception, app.exception
    app.button(key="add_doc_accept_Zhuldyzkent").click().run()
    assert not app.exception, app.exception
    [place] = saved_places()
    assert place["name"] == "Zhuldyzkent" and "offline gazetteer" in place["source"]


def test_a_name_is_placed_by_typing_coordinates_with_their_source(user_data: Path) -> None:
    app = paste(open_page(), UNPLACED)
    app.number_input(key="add_doc_manual_lat_Zhuldyzkent").set_value(44.5).run()
    app.number_input(key="add_doc_manual_lon_Zhuldyzkent").set_value(81.25).run()
    assert not [b for b in app.button if b.key == "add_doc_manual_use_typed_Zhuldyzkent"]  # no source yet
    app.text_input(key="add_doc_manual_source_Zhuldyzkent").set_value("Soviet 1:1,000,000 map, sheet K-44").run()
    app.button(key="add_doc_manual_use_typed_Zhuldyzkent").click().run()
    app.button(key="add_doc_accept_Zhuldyzkent").click().run()
    assert not app.exception, app.exception
    [place] = saved_places()
    assert (float(place["lat"]), float(place["lon"])) == (44.5, 81.25)
    assert "sheet K-44" in place["source"]


def test_the_click_map_reads_the_clicked_point() -> None:
    from exchanges.charts.place_picker import click_grid_figure, clicked_point

    figure = click_grid_figure((42.0, 85.0), span=2.0, step=0.5)
    trace = figure.data[0]
    assert len(trace.lat) == 9 * 9 and min(trace.lon) == 83.0 and max(trace.lat) == 44.0
    assert clicked_point({"selection": {"points": [{"lat": 43.5, "lon": 84.0}]}}) == (43.5, 84.0)
    assert clicked_point({"selection": {"points": []}}) is None


def test_an_added_events_text_survives_other_changes_on_the_page(user_data: Path) -> None:
    """Adding an event, then changing something else (the title): the event is still there."""
    app = paste(open_page(), STATEMENT)
    table = proposed(app)
    passage = next(p for p in table["passage"] if "26 June" in p)
    add_event(app, title="Typed before", summary="Kept across reruns.", passage=passage)
    app.text_input(key="add_doc_title").set_value("Another title").run()
    app.run()
    app.button(key="add_doc_save").click().run()
    assert app.success, [e.value for e in app.error]
    assert any(r["title"] == "Typed before" for r in only_saved_set())


def test_the_click_map_is_drawn_on_request(user_data: Path) -> None:
    app = paste(open_page(), UNPLACED)
    charts = len(app.get("plotly_chart"))
    app.toggle(key="add_doc_manual_show_map_Zhuldyzkent").set_value(True).run()
    assert not app.exception, app.exception
    assert len(app.get("plotly_chart")) == charts + 1


def test_a_document_without_a_date_asks_for_it_and_drafts_follow(user_data: Path) -> None:
    """No date line, no archive date: the page asks for the date, naming the dates it could not
    place; once a date is given, the drafts are proposed."""
    text = ("Note of the Embassy\n\nOn 26 June the Ministry handed a note to the Consul in Harbin.\n"
            "The Consul replied on 2 July that the request had been sent on to Moscow.\n")
    app = paste(open_page(), text)
    warnings = " ".join(w.value for w in app.warning)
    assert "give the document's date" in warnings and "26 June" in warnings
    assert "Set the document's date to see the proposed events." in warnings
    app.date_input(key="add_doc_date").set_value(dt.date(1955, 7, 10)).run()
    assert not app.exception
    assert "Set the document's date" not in " ".join(w.value for w in app.warning)
    assert len(proposed(app)) >= 1
