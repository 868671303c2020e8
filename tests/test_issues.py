"""One problem type for every reader (issue 11): a bad row read by any of them comes back as an
``exchanges.issues.Issue`` naming file, row and field, in one wording; and the app's own CSV and
JSON exports, uploaded back the way the Add-document page does it, give the same events."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from exchanges.catalog import Catalog
from exchanges.export.data import events_to_csv, events_to_json
from exchanges.gazetteer import COLUMNS, Gazetteer, Place, read_places_text
from exchanges.ingest.analysis import analyse_document
from exchanges.ingest.drafts import propose_events
from exchanges.ingest.review import TABLE_NAME, draft_rows, events_from_rows
from exchanges.ingest.upload import prepare_upload
from exchanges.issues import Issue, field_path, validation_issues
from exchanges.loader import event_to_record, read_event_records
from exchanges.models import Event
from exchanges.store_import import read_folder
from exchanges.tours import validate_tour_data
from exchanges.user_places import PlaceProposal
from exchanges.userdata import UserDataError, decode_upload, read_events_upload

BAD_ID = "Bad Id"
PATTERN_WORDS = "String should match pattern"

NOTE = """May 20, 1960

Note from the Consulate in Chuguchak on the Departure of Soviet Citizens

According to the Consulate in Chuguchak, about 300 Soviet citizens left Tacheng for the Soviet Union on 2 May.
"""


def assert_placed(issue: object, file: str, row: int | None, field: str) -> Issue:
    """The one type, with file, row and field set, in the one wording."""
    assert type(issue) is Issue, type(issue)
    assert (issue.file, issue.row, issue.field) == (file, row, field), issue
    where = f"{file}, row {row}" if row is not None else file
    assert str(issue) == f"{where}, field {field}: {issue.message}"
    return issue


def only(issues: list[Issue], field: str) -> Issue:
    found = [issue for issue in issues if issue.field == field]
    assert len(found) == 1, issues
    return found[0]


def bad_event_record(catalog: Catalog) -> dict:
    return {**event_to_record(catalog.events[0]), "id": BAD_ID}


def test_the_data_file_reader(tmp_path: Path, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    good = event_to_record(shipped_catalog.events[1])
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump([{**good, "id": "fine-one"}, bad_event_record(shipped_catalog)],
                                   allow_unicode=True), encoding="utf-8")
    events, issues = read_event_records(path, shipped_catalog, shipped_gazetteer)
    assert [e.id for e in events] == ["fine-one"]
    issue = assert_placed(only(issues, "id"), str(path), 2, "id")
    assert issue.message.startswith(PATTERN_WORDS) and issue.message.endswith(f"(got {BAD_ID!r})")


def test_the_gazetteer_reader(tmp_path: Path) -> None:
    row = {"id": BAD_ID, "name": "Testville", "kind": "city", "lat": "40", "lon": "80", "geometry": "",
           "country": "PRC", "alt_names": "", "source": "a test", "note": ""}
    text = ",".join(COLUMNS) + "\n" + ",".join(row[c] for c in COLUMNS) + "\n"
    places, _, issues = read_places_text(text, "places.csv", tmp_path)
    assert places == []
    issue = assert_placed(only(issues, "id"), "places.csv", 2, "id")  # the header is row 1
    assert issue.message.startswith(PATTERN_WORDS) and issue.message.endswith(f"(got {BAD_ID!r})")


def test_the_tour_reader(shipped_catalog: Catalog) -> None:
    data = {"id": "t", "title": "T", "steps": [{"event": shipped_catalog.events[0].id},
                                                {"event": BAD_ID, "captoin": "typo"}]}
    tour, issues = validate_tour_data(data, "tours/t")
    assert tour is None
    issue = assert_placed(only(issues, "event"), "tours/t", 2, "event")  # the row is the step
    assert issue.message.startswith(PATTERN_WORDS) and issue.message.endswith(f"(got {BAD_ID!r})")
    unknown = assert_placed(only(issues, "captoin"), "tours/t", 2, "captoin")
    assert unknown.message.startswith("unknown field (allowed: event, caption")


def test_the_review_table_reader(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    draft_set = propose_events(analyse_document(NOTE, shipped_gazetteer, actors=shipped_catalog.actors.values()))
    rows = draft_rows(draft_set)
    assert len(rows) >= 2
    rows[1]["places"] = [BAD_ID]
    rows[1]["title"] = ""
    events, issues = events_from_rows(rows, draft_set)
    assert len(events) == len(rows) - 1
    issue = assert_placed(only(issues, "places[0]"), TABLE_NAME, 2, "places[0]")
    assert issue.message.startswith(PATTERN_WORDS) and issue.message.endswith(f"(got {BAD_ID!r})")
    assert assert_placed(only(issues, "title"), TABLE_NAME, 2, "title").message == "required field is missing"


def test_the_user_places_readers(user_data: Path, shipped_gazetteer: Gazetteer) -> None:
    proposal = PlaceProposal(query="Testville", id="testville", kind="city", country="PRC", country_basis="a test",
                             lat=40.0, lon=80.0, found_as="Testville, China", source="a test answer")
    with pytest.raises(UserDataError) as refused:
        proposal.place(place_id=BAD_ID)
    (issue,) = refused.value.issues
    assert type(issue) is Issue and (issue.file, issue.field) == ("places.csv", "id")
    assert issue.row is None  # not in the file yet
    assert issue.message.startswith(PATTERN_WORDS) and str(issue) in refused.value.message
    # a bad row of the user's places file, as the app loads it
    (user_data / "places.csv").write_text(
        ",".join(COLUMNS) + "\n" + f"{BAD_ID},Testville,city,40,80,,PRC,,a test,\n", encoding="utf-8")
    loaded = Gazetteer.load_with_user_places()
    issue = assert_placed(only(list(loaded.issues), "id"), str(user_data / "places.csv"), 2, "id")
    assert issue.message.startswith(PATTERN_WORDS)


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".csv"])
def test_the_events_upload(suffix: str, shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    bad = bad_event_record(shipped_catalog)
    if suffix == ".csv":
        columns = ("id", "title", "date", "date_precision", "event_type", "summary")
        row = {**{k: str(bad[k]) for k in columns}, "source_document": bad["source"]["document"],
               "source_passage": bad["source"]["passage"]}
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
        text = out.getvalue()
    else:
        text = json.dumps([bad], default=str) if suffix == ".json" else yaml.safe_dump([bad], allow_unicode=True)
    name = f"mine{suffix}"
    prepared = prepare_upload(text, name)  # as the Add-document page reads an upload
    result = read_events_upload(prepared.data, name, shipped_catalog, shipped_gazetteer)
    assert result.events == []
    issue = assert_placed(only(result.issues, "id"), name, 2 if suffix == ".csv" else 1, "id")
    assert issue.message.startswith(PATTERN_WORDS) and issue.message.endswith(f"(got {BAD_ID!r})")


def test_a_document_carried_by_an_upload() -> None:
    text = yaml.safe_dump({"documents": [{"id": BAD_ID, "title": "X", "date": "1962-01-01", "text": "Some text."}],
                           "events": []})
    prepared = prepare_upload(text, "x.yaml")
    issue = assert_placed(only(prepared.problems, "id"), "x.yaml, documents", 1, "id")
    assert issue.message.startswith(PATTERN_WORDS) and issue.message.endswith(f"(got {BAD_ID!r})")


def test_duplicate_keys_are_refused_in_an_upload_too(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer) -> None:
    record = yaml.safe_dump([event_to_record(shipped_catalog.events[0])], allow_unicode=True)
    text = record.replace("- ", "- title: first\n  ", 1)  # the title written twice
    prepared = prepare_upload(text, "twice.yaml")
    assert prepared.data == text.encode("utf-8")  # passed on unchanged: the loader says what is wrong
    result = read_events_upload(prepared.data, "twice.yaml", shipped_catalog, shipped_gazetteer)
    assert result.events == [] and "duplicate key" in str(result.issues[0]) and result.issues[0].file == "twice.yaml"


def test_the_import_of_an_old_folder(tmp_path: Path) -> None:
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "old.yaml").write_text("- {title: no id}\n", encoding="utf-8")
    contents = read_folder(tmp_path)
    issue = assert_placed(only(contents.issues, "id"), "events/old.yaml", 1, "id")
    assert issue.message.startswith("an event needs an id")


# --------------------------------------------------------------------------- the translator itself


def test_the_translator_names_the_field_of_a_rule_across_fields(shipped_catalog: Catalog) -> None:
    record = {**event_to_record(shipped_catalog.events[0]),
              "figures": [{"low": 5, "high": 2, "what": "people", "quote": "5"}], "extra": 1}
    with pytest.raises(ValidationError) as invalid:
        Event.model_validate(record)
    issues = {i.field: i for i in validation_issues(invalid.value, "f.yaml", 7, model=Event)}
    assert issues["figures[0].high"].row == 7  # the figure's own rule, at the field it blames
    assert issues["extra"].message.startswith("unknown field (allowed: id, title")
    assert field_path(("figures", 0, "low")) == "figures[0].low" and field_path(()) is None


def test_the_translator_without_a_model_still_says_where() -> None:
    with pytest.raises(ValidationError) as invalid:
        Place.model_validate({"id": "x"})
    issues = validation_issues(invalid.value, "g.csv", 3)
    assert {i.field for i in issues} >= {"name", "kind", "lat", "source"}
    assert all(i.message == "required field is missing" and i.row == 3 for i in issues)


# --------------------------------------------------------------------------- the exports upload back


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_the_exports_upload_back_through_the_page_path(kind: str, shipped_catalog: Catalog,
                                                      shipped_gazetteer: Gazetteer) -> None:
    """``prepare_upload`` then ``read_events_upload``, as the Add-document page does: the same events."""
    events = list(shipped_catalog.events)
    data = (events_to_csv(events, shipped_catalog, shipped_gazetteer) if kind == "csv"
            else events_to_json(events, shipped_catalog))
    name = f"exchanges-events.{kind}"
    prepared = prepare_upload(decode_upload(data, name), name)
    assert prepared.problems == [] and prepared.documents == []
    without_events = dataclasses.replace(shipped_catalog, events=(), event_origins={})  # the ids are free
    result = read_events_upload(prepared.data, name, without_events, shipped_gazetteer)
    assert result.issues == []
    assert sorted(result.events, key=lambda e: e.id) == sorted(events, key=lambda e: e.id)


def test_a_csv_upload_keeps_its_line_numbers_when_a_date_moves(shipped_catalog: Catalog,
                                                              shipped_gazetteer: Gazetteer) -> None:
    """A moved date rewrites the CSV; blank lines and a line break inside a cell are kept, so the
    note and the issues name the teacher's own lines."""
    template = (Path(__file__).parent.parent / "data" / "templates" / "events_template.csv").read_text(
        encoding="utf-8").splitlines()
    first = template[1].replace("example-zhang-hanfu-talk", "talk-in-june").replace("1962-06-11,day",
                                                                                    "1962-06-11,month")
    second = template[1].replace("example-zhang-hanfu-talk", "Bad Id")
    text = "\n".join([template[0], "", first, "", second]) + "\n"
    prepared = prepare_upload(text, "june.csv")
    assert prepared.notes == ["row 3: date 1962-06-11 with precision 'month' read as 1962-06-01, the first day "
                              "of its month (the schema's rule)"]
    assert prepared.data != text.encode("utf-8")
    result = read_events_upload(prepared.data, "june.csv", shipped_catalog, shipped_gazetteer)
    assert [e.id for e in result.events] == ["talk-in-june"] and str(result.events[0].date) == "1962-06-01"
    assert_placed(only(result.issues, "id"), "june.csv", 5, "id")
    unchanged = "\n".join([template[0], second]) + "\n"
    assert prepare_upload(unchanged, "x.csv").data == unchanged.encode("utf-8")  # nothing moved: as it was


def test_the_readers_errors_share_one_base(tmp_path: Path, shipped_catalog: Catalog) -> None:
    """Whatever reader refuses a file, ``except IssuesError`` catches it and lists the issues."""
    from exchanges.issues import IssuesError
    from exchanges.tours import read_tour

    bad_places = tmp_path / "g.csv"
    bad_places.write_text("id,name\n", encoding="utf-8")
    tour = tmp_path / "t.yaml"
    tour.write_text("id: t\ntitle: T\nsteps:\n  - event: no-such-event\n", encoding="utf-8")
    for refuse in (lambda: Gazetteer.load(bad_places), lambda: read_tour(tour, shipped_catalog)):
        with pytest.raises(IssuesError) as refused:
            refuse()
        assert refused.value.issues and all(type(issue) is Issue for issue in refused.value.issues)
        assert all(str(issue) in str(refused.value) for issue in refused.value.issues)
