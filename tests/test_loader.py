"""Tests of exchanges.loader on a tiny data set (tests/fixtures/data_minimal) and
bad files (tests/fixtures/data_bad), with a stand-in gazetteer (a set of ids)."""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path

import pytest
import yaml
from minimal_data import FIXTURES, MINIMAL, PLACES, USER_EVENT

from exchanges.catalog import Catalog
from exchanges.issues import Issue
from exchanges.loader import (
    DataValidationError,
    event_to_record,
    load_catalog,
    normalise_text,
    parse_simple_figures,
    read_event_records,
    validate_event_records,
)
from exchanges.models import Event

BAD = FIXTURES / "data_bad"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the minimal data set."""
    target = tmp_path / "data"
    shutil.copytree(MINIMAL, target)
    return target


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog(MINIMAL, gazetteer=PLACES)


def issues_of(excinfo: pytest.ExceptionInfo[DataValidationError]) -> list[Issue]:
    return excinfo.value.issues


# --- good data --------------------------------------------------------------


def test_minimal_data_loads(catalog: Catalog) -> None:
    assert set(catalog.documents) == {"note-1"}
    assert set(catalog.actors) == {"alice", "bob", "border-guards"}
    assert set(catalog.themes) == {"diplomacy", "border"}
    assert {e.id for e in catalog.events} == {"note-1960-03-05", "proposal-1960-03-02", "crossings-1959"}
    assert catalog.issues == ()


def test_events_are_sorted_by_date(catalog: Catalog) -> None:
    dates = [event.date for event in catalog.events]
    assert dates == sorted(dates)
    assert catalog.events[0].id == "crossings-1959"  # listed last in the file


def test_catalog_accessors(catalog: Catalog) -> None:
    assert catalog.event("proposal-1960-03-02").sender == ["bob"]
    with pytest.raises(KeyError):
        catalog.event("nope")
    assert catalog.actor_name("alice") == "Alice"
    assert catalog.actor_name("ghost") == "ghost"
    assert catalog.theme_label("border") == "The border"
    assert "Bob’s government" in catalog.document_text("note-1")
    assert catalog.document_event("note-1").id == "note-1960-03-05"
    assert len(catalog.events_of_document("note-1")) == 3
    assert not catalog.is_user_event("crossings-1959")


def test_catalog_pickles(catalog: Catalog) -> None:
    """Streamlit's st.cache_data pickles what it caches."""
    copy = pickle.loads(pickle.dumps(catalog))
    assert copy.event("crossings-1959") == catalog.event("crossings-1959")
    assert copy.document_text("note-1") == catalog.document_text("note-1")


def test_passage_with_straight_quotes_matches_typographic_text(catalog: Catalog) -> None:
    # The fixture passage uses ' " - where the text has ’ “ ” — and a line break.
    passage = catalog.event("proposal-1960-03-02").source.passage
    assert passage not in catalog.document_text("note-1")
    assert normalise_text(passage) in normalise_text(catalog.document_text("note-1"))


def test_normalise_text_folds_and_collapses() -> None:
    assert normalise_text("  “A”\u00a0—\n‘b’ …  ") == "\"A\" - 'b' ..."


def test_gazetteer_like_object_is_accepted() -> None:
    class StandIn:
        def __init__(self, ids: set[str]) -> None:
            self.ids = ids

        def __contains__(self, place_id: object) -> bool:
            return place_id in self.ids

    assert len(load_catalog(MINIMAL, gazetteer=StandIn(set(PLACES))).events) == 3


# --- bad data: every kind names file, row and field ---------------------------

BAD_EVENT_FILES = [
    ("events_bad_date.yaml", "date", "month"),
    ("events_unknown_place.yaml", "places[1]", "atlantis"),
    ("events_missing_field.yaml", "summary", "missing"),
    ("events_unknown_field.yaml", "sumary", "unknown field"),
    ("events_end_before_start.yaml", "end_date", "before"),
    ("events_passage_not_in_document.yaml", "source.passage", "does not occur"),
    ("events_duplicate_id.yaml", "id", "duplicate"),
    ("events_unknown_actor.yaml", "recipient[0]", "carol"),
    ("events_bad_figure.yaml", "figures[0].high", "below"),
    ("events_precision_mismatch.yaml", "date", "1st of the month"),
    ("events_unknown_theme.yaml", "themes[0]", "did you mean 'border'"),
    ("events_unknown_document.yaml", "source.document", "note-2"),
    ("events_quote_not_in_document.yaml", "figures[0].quote", "5,000"),
    ("events_bad_enum.yaml", "event_type", "telegram"),
]


@pytest.mark.parametrize(("bad_file", "field", "message_part"), BAD_EVENT_FILES)
def test_bad_events_file_names_file_row_and_field(
    data_dir: Path, bad_file: str, field: str, message_part: str
) -> None:
    shutil.copy(BAD / bad_file, data_dir / "events.yaml")
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    issues = issues_of(excinfo)
    assert len(issues) == 1, issues
    (issue,) = issues
    assert issue.file.endswith("events.yaml")
    assert issue.row == 2
    assert issue.field == field
    assert message_part.lower() in issue.message.lower()
    assert f"events.yaml, row 2, field {field}: " in str(excinfo.value)


def test_all_errors_are_collected_not_just_the_first(data_dir: Path) -> None:
    def rows_of(name: str) -> list[dict]:  # BaseLoader: all text, so a bad date stays as written
        return yaml.load((BAD / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)

    good = rows_of("events_bad_date.yaml")[0]
    bad_rows = [rows_of(name)[1]
                for name, *_ in BAD_EVENT_FILES if name != "events_duplicate_id.yaml"]
    records = [good, *bad_rows, good | {"title": "Same id as row 1"}]
    (data_dir / "events.yaml").write_text(yaml.safe_dump(records), encoding="utf-8")
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    reported = {issue.row for issue in issues_of(excinfo)}
    assert reported == set(range(2, len(records) + 1))


def test_duplicate_actor_id(data_dir: Path) -> None:
    shutil.copy(BAD / "actors_duplicate_id.yaml", data_dir / "actors.yaml")
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    (issue,) = issues_of(excinfo)
    assert (Path(issue.file).name, issue.row, issue.field) == ("actors.yaml", 3, "id")


def test_missing_document_text_and_unknown_author(data_dir: Path) -> None:
    shutil.copy(BAD / "documents_missing_text.yaml", data_dir / "documents.yaml")
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    found = {(Path(i.file).name, i.row, i.field) for i in issues_of(excinfo)}
    # the events citing the broken note-1 are not reported a second time
    assert found == {("documents.yaml", 1, "file"), ("documents.yaml", 2, "author[0]")}


def test_duplicate_yaml_key_is_a_file_error_with_its_line(data_dir: Path) -> None:
    shutil.copy(BAD / "events_duplicate_key.yaml", data_dir / "events.yaml")
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    (issue,) = issues_of(excinfo)
    assert issue.row is None
    assert "duplicate key 'title'" in issue.message
    assert "line 6" in issue.message


def test_missing_required_file(data_dir: Path) -> None:
    (data_dir / "actors.yaml").unlink()
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    messages = [(Path(i.file).name, i.message) for i in issues_of(excinfo)]
    assert ("actors.yaml", "file not found") in messages


def test_two_is_document_events_for_one_document(data_dir: Path) -> None:
    events = yaml.safe_load((data_dir / "events.yaml").read_text(encoding="utf-8"))
    events.append(events[0] | {"id": "second-copy"})
    (data_dir / "events.yaml").write_text(yaml.safe_dump(events), encoding="utf-8")
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    (issue,) = issues_of(excinfo)
    assert (issue.row, issue.field) == (4, "is_document")


def test_is_document_event_must_have_the_document_date(data_dir: Path) -> None:
    events = yaml.safe_load((data_dir / "events.yaml").read_text(encoding="utf-8"))
    events[0]["date"] = "1960-03-06"
    (data_dir / "events.yaml").write_text(yaml.safe_dump(events), encoding="utf-8")
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    (issue,) = issues_of(excinfo)
    assert (issue.row, issue.field) == (1, "date")


def test_themes_file_is_optional_but_then_no_theme_is_known(data_dir: Path) -> None:
    (data_dir / "themes.yaml").unlink()
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(data_dir, gazetteer=PLACES)
    assert {i.field for i in issues_of(excinfo)} == {"themes[0]", "themes[1]"}


# --- user event files -------------------------------------------------------

BAD_USER_EVENT = USER_EVENT | {"id": "user-bad", "places": ["nowhere"]}


def test_user_yaml_file_keeps_valid_rows(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump([USER_EVENT, BAD_USER_EVENT]), encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    assert [e.id for e in events] == ["user-crossings"]
    assert [(i.row, i.field) for i in issues] == [(2, "places[0]")]
    assert issues[0].file.endswith("mine.yaml")


def test_user_json_file_with_events_key(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"events": [BAD_USER_EVENT, USER_EVENT]}), encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    assert [e.id for e in events] == ["user-crossings"]
    assert [(i.row, i.field) for i in issues] == [(1, "places[0]")]


def test_user_json_syntax_error_names_the_line(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[\n  {"id": "x",\n  }\n]', encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    assert events == []
    (issue,) = issues
    assert issue.row is None and "line 3" in issue.message


CSV_TEXT = """\
id,title,date,date_precision,end_date,event_type,sender,recipient,places,figures,summary,themes,source_document,source_passage
user-a,Simple figures,1959-04-16,half_month,1960-03-05,border_crossing,,,border-a,"~2,500 people who crossed | approximately 2,500",Crossings.,border,note-1,"approximately 2,500 people"
user-b,"A title
over two lines",1960-03-02,day,,proposal,bob;alice,,capital-a; border-a,,Bob proposes.,diplomacy;border,note-1,proposed “closing the border”
user-c,Bad place,1960-03-02,day,,proposal,bob,alice,atlantis,,Bob proposes.,,note-1,Note from Alice to Bob
user-d,JSON figures,1960-03-02,day,,border_crossing,,,,"[{""low"": 2500, ""approximate"": true, ""what"": ""people"", ""quote"": ""approximately 2,500""}]",Crossings.,,note-1,Note from Alice to Bob
user-e,Bad date,1960-02-30,day,,proposal,,,,,x,,note-1,Note from Alice to Bob
"""


def test_user_csv_file(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    by_id = {event.id: event for event in events}
    assert set(by_id) == {"user-a", "user-b", "user-d"}
    assert by_id["user-b"].sender == ["bob", "alice"]
    assert by_id["user-b"].places == ["capital-a", "border-a"]
    assert by_id["user-b"].title == "A title\nover two lines"
    figure = by_id["user-a"].figures[0]
    assert (figure.low, figure.approximate, figure.quote) == (2500, True, "approximately 2,500")
    assert by_id["user-d"].figures[0].low == 2500
    # CSV rows are named by their line: user-b spans lines 3-4, so user-c is on line 5
    assert sorted((i.row, i.field) for i in issues) == [(5, "places[0]"), (7, "date")]


def test_user_csv_passage_not_in_document_uses_column_name(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,title,date,date_precision,event_type,summary,source_document,source_passage\n"
        "user-x,X,1960-03-02,day,proposal,x,note-1,words never written\n",
        encoding="utf-8",
    )
    events, issues = read_event_records(path, catalog, PLACES)
    assert events == []
    assert [(i.row, i.field) for i in issues] == [(2, "source_passage")]


def test_user_csv_unknown_column(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("id,title,colour\nx,X,red\n", encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    assert events == []
    assert [(i.row, i.field) for i in issues] == [(1, "colour")]


def test_user_csv_repeated_column(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("id,title,title\nx,X,Y\n", encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    assert events == []
    assert [(i.row, i.field) for i in issues] == [(1, "title")]


def test_user_csv_bad_simple_figure(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,title,date,date_precision,event_type,summary,figures,source_document,source_passage\n"
        "user-x,X,1960-03-02,day,proposal,x,many people,note-1,Note from Alice to Bob\n",
        encoding="utf-8",
    )
    events, issues = read_event_records(path, catalog, PLACES)
    assert events == []
    assert [(i.row, i.field) for i in issues] == [(2, "figures")]


def test_parse_simple_figures() -> None:
    assert parse_simple_figures("100-150 families; ~3,000 citizens | the 3,000 citizens") == [
        {"low": 100, "high": 150, "approximate": False, "what": "families", "quote": "100-150"},
        {"low": 3000, "approximate": True, "what": "citizens", "quote": "the 3,000 citizens"},
    ]
    with pytest.raises(ValueError):
        parse_simple_figures("some families")


def test_unsupported_user_file_type(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.txt"
    path.write_text("hello", encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    assert events == [] and len(issues) == 1 and "unsupported" in issues[0].message


def test_user_event_ids_may_not_clash_with_shipped_ones(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump([USER_EVENT | {"id": "crossings-1959"}]), encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    assert events == []
    assert [(i.row, i.field) for i in issues] == [(1, "id")]


def test_extra_event_files_are_merged(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump([USER_EVENT]), encoding="utf-8")
    catalog = load_catalog(MINIMAL, gazetteer=PLACES, extra_event_files=[path])
    assert catalog.has_event("user-crossings")
    assert catalog.is_user_event("user-crossings")
    assert not catalog.is_user_event("crossings-1959")
    # re-reading the merged file does not clash with itself
    events, issues = read_event_records(path, catalog, PLACES)
    assert [e.id for e in events] == ["user-crossings"] and issues == []


def test_bad_extra_event_file_raises_or_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump([USER_EVENT, BAD_USER_EVENT]), encoding="utf-8")
    with pytest.raises(DataValidationError) as excinfo:
        load_catalog(MINIMAL, gazetteer=PLACES, extra_event_files=[path])
    assert [(Path(i.file).name, i.row) for i in issues_of(excinfo)] == [("mine.yaml", 2)]

    catalog = load_catalog(MINIMAL, gazetteer=PLACES, extra_event_files=[path], skip_invalid_extra=True)
    assert catalog.has_event("user-crossings") and not catalog.has_event("user-bad")
    assert [(Path(i.file).name, i.row, i.field) for i in catalog.issues] == [("mine.yaml", 2, "places[0]")]


def test_extra_document_files(tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "diary.txt").write_text("Dear diary, the border closed today.", encoding="utf-8")
    docs = tmp_path / "documents.yaml"
    docs.write_text(yaml.safe_dump([{"id": "diary", "title": "Diary", "date": "1960-04-01",
                                     "file": "diary.txt", "author": ["bob"]}]), encoding="utf-8")
    events = tmp_path / "events.yaml"
    events.write_text(yaml.safe_dump([USER_EVENT | {
        "id": "diary-closure", "figures": [],
        "source": {"document": "diary", "passage": "the border closed today"}}]), encoding="utf-8")
    catalog = load_catalog(MINIMAL, gazetteer=PLACES, extra_document_files=[docs],
                           extra_event_files=[events])
    assert catalog.document_text("diary").startswith("Dear diary")
    assert catalog.event("diary-closure").source.document == "diary"


def test_validate_event_records_for_a_form(catalog: Catalog) -> None:
    events, issues = validate_event_records([USER_EVENT, {"id": "half"}], catalog, PLACES, file="form")
    assert [e.id for e in events] == ["user-crossings"]
    assert {(i.file, i.row) for i in issues} == {("form", 2)}
    assert {i.field for i in issues} >= {"title", "date", "summary", "source"}


def test_event_to_record_round_trips(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "saved.yaml"
    path.write_text(yaml.safe_dump([event_to_record(e) for e in catalog.events], allow_unicode=True),
                    encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES, taken_ids=())
    assert issues == []
    assert events == list(catalog.events)
    assert all(isinstance(e, Event) for e in events)


# --- the one reader: limits, bounded messages, hostile files (exchanges.reader) ------------

import time  # noqa: E402 - this section's own helper

from exchanges.reader import (  # noqa: E402
    HAVE_LIBYAML,
    LIMITS,
    OversizedNumber,
    ReadError,
    check_record,
    csv_rows,
    parse_json,
    parse_yaml,
    short_repr,
)

BILLION_LAUGHS = (
    "- id: laughs\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    + "".join(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
    + "  title: *a8\n"
)


def _read(tmp_path: Path, catalog: Catalog, name: str, text: str) -> tuple[list[Event], list[Issue]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read_event_records(path, catalog, PLACES, taken_ids=())


def test_yaml_is_parsed_by_libyaml_with_dates_as_text_and_duplicates_refused() -> None:
    assert HAVE_LIBYAML
    assert parse_yaml("d: 1962-01-01\nn: 12\nb: true\nx: null\nf: 2.5") == {
        "d": "1962-01-01", "n": 12, "b": True, "x": None, "f": 2.5}
    with pytest.raises(ReadError, match="duplicate key 'a'") as raised:
        parse_yaml("a: 1\nb: 2\na: 3\n")
    assert raised.value.line == 3
    with pytest.raises(ReadError, match="duplicate key"):
        parse_json('{"a": 1, "a": 2}')


def test_billion_laughs_is_refused_quickly_with_a_short_message(tmp_path: Path, catalog: Catalog) -> None:
    start = time.perf_counter()
    events, issues = _read(tmp_path, catalog, "laughs.yaml", BILLION_LAUGHS + "- " + yaml.safe_dump(
        USER_EVENT, default_flow_style=True))
    assert time.perf_counter() - start < 10  # seconds, against minutes and gigabytes before
    assert [e.id for e in events] == ["user-crossings"]  # the good record is kept
    [issue] = issues
    assert (issue.row, issue.field) == (1, "a5") and "more than 100,000 values" in issue.message
    assert len(str(issue)) < 300


def test_a_recursive_alias_is_refused(tmp_path: Path, catalog: Catalog) -> None:
    events, issues = _read(tmp_path, catalog, "loop.yaml", "- &a {id: x, title: [*a]}\n")
    assert events == [] and issues[0].row == 1 and "contains itself" in issues[0].message


@pytest.mark.parametrize("suffix, deep", [
    (".yaml", "- {id: deep, title: " + "[" * 900 + "]" * 900 + "}\n"),
    (".json", '[{"id": "deep", "title": ' + "[" * 900 + "]" * 900 + "}]"),
    (".json", '[{"id": "deep", "title": ' + "[" * 50_000 + "]" * 50_000 + "}]"),
    (".yaml", "- {id: deep, title: " + "[" * 50_000 + "]" * 50_000 + "}\n"),
])
def test_deep_nesting_is_a_message_not_a_crash(tmp_path: Path, catalog: Catalog, suffix: str, deep: str) -> None:
    events, issues = _read(tmp_path, catalog, "deep" + suffix, deep)
    assert events == [] and issues
    assert any("nest" in issue.message for issue in issues), issues
    assert all(len(str(issue)) < 400 for issue in issues)


def test_deep_nesting_in_a_csv_figures_cell(tmp_path: Path, catalog: Catalog) -> None:
    cell = "[" * 5000 + "]" * 5000
    events, issues = _read(tmp_path, catalog, "deep.csv", f"id,title,figures\nx,T,{cell}\n")
    assert events == [] and any(i.field == "figures" and "nested" in i.message for i in issues)


@pytest.mark.parametrize("suffix, text", [
    (".yaml", "- " + yaml.safe_dump(USER_EVENT | {"figures": [{"low": "HUGE", "what": "w", "quote": "q"}]},
                                    default_flow_style=True).replace("HUGE", "9" * 5000)),
    (".json", json.dumps([USER_EVENT | {"figures": [{"low": 0, "what": "w", "quote": "q"}]}]).replace(
        '"low": 0', '"low": ' + "9" * 5000)),
])
def test_a_huge_integer_is_refused_at_its_field(tmp_path: Path, catalog: Catalog, suffix: str, text: str) -> None:
    events, issues = _read(tmp_path, catalog, "huge" + suffix, text)
    assert events == []
    low = [i for i in issues if i.field == "figures[0].low"]
    assert low and "5,000 digits" in low[0].message and "more than 30 digits" in low[0].message
    assert all(len(str(i)) < 400 for i in issues)


def test_a_huge_integer_in_a_csv_figure(tmp_path: Path, catalog: Catalog) -> None:
    events, issues = _read(tmp_path, catalog, "huge.csv", f"id,title,figures\nx,T,{'9' * 5000} people\n")
    assert events == [] and issues[0].field == "figures" and "more than 30 digits" in issues[0].message
    assert len(str(issues[0])) < 400


def test_the_csv_header_is_checked_in_linear_time(tmp_path: Path, catalog: Catalog) -> None:
    header = ",".join(["title", "summary"] * 200)  # 400 columns, all repeated
    events, issues = _read(tmp_path, catalog, "wide.csv", header + "\n")
    assert {(i.row, i.field) for i in issues} == {(1, "title"), (1, "summary")}
    table = csv_rows(",".join(["x"] * 100_000) + "\n")  # quadratic before: minutes
    assert table.header == [] and "100,000 columns" in table.problems[0][2]


def test_too_many_columns_are_refused(tmp_path: Path, catalog: Catalog) -> None:
    events, issues = _read(tmp_path, catalog, "wide.csv", ",".join(f"c{i}" for i in range(LIMITS.max_columns + 1)))
    assert events == [] and [(i.row, i.field) for i in issues] == [(1, None)]


@pytest.mark.parametrize("value, message", [
    ({"date": "9999-12-31"}, "outside the years 1800-2100"),
    ({"end_date": "0001-01-01"}, "outside the years 1800-2100"),
    ({"date": "1962-06-11T00:00:00"}, "YYYY-MM-DD"),
    ({"date": -252460800}, "YYYY-MM-DD"),
    ({"date": 0}, "YYYY-MM-DD"),
    ({"title": "x" * 100_000}, "at most 300 characters"),
    ({"summary": "x" * 10_000}, "at most 5000 characters"),
])
def test_values_the_app_cannot_show_are_refused(catalog: Catalog, value: dict, message: str) -> None:
    events, issues = validate_event_records([USER_EVENT | value], catalog, PLACES, taken_ids=())
    [field] = value
    assert events == [] and [i.field for i in issues] == [field] and message in issues[0].message
    assert len(str(issues[0])) < 300


@pytest.mark.parametrize("low", [True, "12", 2.0, 10**30, -1])
def test_figures_are_strict_integers(catalog: Catalog, low: object) -> None:
    figure = {"low": low, "what": "people on some days", "quote": "thousands"}
    events, issues = validate_event_records([USER_EVENT | {"figures": [figure]}], catalog, PLACES, taken_ids=())
    assert events == [] and [i.field for i in issues] == ["figures[0].low"]


def test_dates_at_the_supported_ends_are_accepted(catalog: Catalog) -> None:
    early = USER_EVENT | {"id": "early", "date": "1800-01-01", "date_precision": "day"}
    late = USER_EVENT | {"id": "late", "date": "2100-12-31", "date_precision": "day"}
    events, issues = validate_event_records([early, late], catalog, PLACES, taken_ids=())
    assert issues == [] and len(events) == 2


def test_a_symlink_to_itself_is_listed_not_fatal(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    catalog = load_catalog(MINIMAL, gazetteer=PLACES, extra_event_files=[loop], skip_invalid_extra=True)
    [issue] = catalog.issues
    assert issue.file.endswith("loop.yaml") and "cannot read" in issue.message


def test_a_fifo_is_not_waited_on(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    catalog = load_catalog(MINIMAL, gazetteer=PLACES, extra_event_files=[fifo], skip_invalid_extra=True)
    assert "not a regular file" in catalog.issues[0].message


def test_utf16_with_a_bom_is_read(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes(yaml.safe_dump([USER_EVENT], allow_unicode=True).encode("utf-16"))
    events, issues = read_event_records(path, catalog, PLACES, taken_ids=())
    assert issues == [] and [e.id for e in events] == ["user-crossings"]


def test_short_repr_never_builds_the_whole_value() -> None:
    shared: list = ["x" * 10]
    for _ in range(60):  # 2**60 leaves if expanded
        shared = [shared, shared]
    start = time.perf_counter()
    assert len(short_repr(shared)) <= 80
    assert len(short_repr(10**20000)) <= 80 and "digits" in short_repr(10**20000)
    assert len(short_repr("y" * 1_000_000)) <= 80
    assert time.perf_counter() - start < 1
    assert repr(OversizedNumber(5000)) == "<a number of 5,000 digits>"


def test_check_record_accepts_real_records_and_names_the_field() -> None:
    assert check_record(USER_EVENT) is None
    problem = check_record({"id": "x", "summary": "s" * (LIMITS.max_chars + 1)})
    assert problem is not None and problem.field == "summary"


# --- the app's own exports upload back to the same events (issue 11, item 3) ---------------


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_exports_upload_back_to_the_same_events(shipped_catalog: Catalog, shipped_gazetteer, kind: str) -> None:
    from exchanges.export.data import events_to_csv, events_to_json
    from exchanges.userdata import read_events_upload

    letter = shipped_catalog.events[0]
    hostile = [letter.model_copy(update={"id": f"hostile-{i}", "title": text, "summary": text,
                                         "date_label": label, "is_document": False})
               for i, (text, label) in enumerate([("=HYPERLINK(\"http://x\")", " =1+1"),
                                                  ("+1+cmd|' /C calc'!A0", "\v@SUM(A1)"),
                                                  ("-2+3", "\xa0-1"), ("@SUM(1)", "plain label")])]
    events = [*shipped_catalog.events, *hostile]
    data = (events_to_csv(events, shipped_catalog, shipped_gazetteer) if kind == "csv"
            else events_to_json(events, shipped_catalog))
    import dataclasses

    without_events = dataclasses.replace(shipped_catalog, events=(), event_origins={})  # the ids are free
    result = read_events_upload(data, f"export.{kind}", without_events, shipped_gazetteer)
    assert result.issues == []
    back = {event.id: event for event in result.events}
    assert len(back) == len(events)
    for event in events:
        expected = event
        if kind == "csv" and event.date_label is not None:  # a CSV cell's outer white space is not kept
            expected = event.model_copy(update={"date_label": event.date_label.strip()})
        assert back[event.id] == expected, event.id


def test_the_export_csv_is_formula_safe_after_white_space(shipped_catalog: Catalog, shipped_gazetteer) -> None:
    import csv as csv_module
    import io

    from exchanges.export.data import FORMULA_TRIGGERS, events_to_csv

    letter = shipped_catalog.events[0]
    labels = [" =1+1", "\n=1", "\v@SUM(A1)", "\xa0-1", "\u200b+1", "\t=1", "\r=1", "\uff1dcmd"]
    events = [letter.model_copy(update={"id": f"e{i}", "date_label": label}) for i, label in enumerate(labels)]
    rows = list(csv_module.DictReader(io.StringIO(
        events_to_csv(events, shipped_catalog, shipped_gazetteer).decode("utf-8-sig"))))
    for row in rows:
        for column, cell in row.items():
            visible = cell.lstrip(" \t\r\n\v\f\xa0\u200b")
            assert not visible.startswith(FORMULA_TRIGGERS) or cell.startswith("'"), (column, cell)
    assert all(row["date_label"].startswith("'") for row in rows)
