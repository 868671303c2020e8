"""Fuzzing every reader of user input: a clear message or a valid result, never an exception.

Generated inputs (hypothesis, a bounded number of examples so CI stays fast) go
through the one reader (``exchanges.reader``), the loader's file reading and
validation (YAML, JSON, CSV), uploads (raw bytes, any encoding) and tour files.
Every problem must come back as a ``Issue`` (or the reader's own error)
with a bounded message — never a traceback, never a whole value.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from minimal_data import MINIMAL, PLACES, USER_EVENT

from exchanges.catalog import Catalog
from exchanges.issues import Issue
from exchanges.loader import load_catalog, read_event_records, validate_event_records
from exchanges.reader import ReadError, check_record, csv_rows, parse_json, parse_yaml
from exchanges.tours import TourValidationError, read_tour
from exchanges.userdata import UserDataError, read_events_upload

MESSAGE_LIMIT = 2_000  # characters: a message names the problem, it never shows a whole value

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


# JSON-like values, with the awkward corners: huge and negative numbers, bools,
# long and odd text, dates out of range, nesting.
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=False), st.text(max_size=40),
    st.sampled_from(["9999-12-31", "0001-01-01", "1962-06-11T00:00:00", "1962-13-01", "", " =cmd", "12"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=20)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(MINIMAL, gazetteer=PLACES)


def assert_clear(issues: list[Issue]) -> None:
    for issue in issues:
        assert isinstance(issue, Issue)
        assert len(str(issue)) < MESSAGE_LIMIT, str(issue)[:200]


# --------------------------------------------------------------------------- the reader itself


@FUZZ
@given(st.text(max_size=300))
def test_any_text_is_yaml_or_a_read_error(text: str) -> None:
    try:
        data = parse_yaml(text)
    except ReadError as error:
        assert len(error.message) < MESSAGE_LIMIT
        return
    check_record(data)  # never raises


@FUZZ
@given(st.text(alphabet="[]{}\"',:0123456789 \n-&*ab", max_size=200))
def test_bracket_soup_is_json_or_a_read_error(text: str) -> None:
    try:
        check_record(parse_json(text))
    except ReadError as error:
        assert len(error.message) < MESSAGE_LIMIT


@FUZZ
@given(st.text(alphabet='abc,"\n\r ;=', max_size=300))
def test_any_text_splits_as_csv_with_problems_listed(text: str) -> None:
    table = csv_rows(text)
    assert all(isinstance(line, int) for line, _ in table.rows)
    assert all(len(message) < MESSAGE_LIMIT for _, _, message in table.problems)


# --------------------------------------------------------------------------- files of events


@FUZZ
@given(field=st.sampled_from(sorted(USER_EVENT) + ["figures.low", "source.passage", "end_date", "unknown"]),
       value=values)
def test_one_bad_field_is_named_or_the_event_is_valid(catalog: Catalog, field: str, value: object) -> None:
    record = json.loads(json.dumps(USER_EVENT))
    if field == "figures.low":
        record["figures"][0]["low"] = value
    elif field == "source.passage":
        record["source"]["passage"] = value
    else:
        record[field] = value
    events, issues = validate_event_records([record], catalog, PLACES, taken_ids=())
    assert len(events) + bool(issues) == 1
    assert_clear(issues)
    for event in events:  # what is accepted is what the app can show
        assert 1800 <= event.date.year <= 2100 and 1800 <= event.last_date.year <= 2100
        assert all(type(f.low) is int for f in event.figures)


@FUZZ
@given(records=st.lists(st.one_of(values, st.just(USER_EVENT)), max_size=4),
       kind=st.sampled_from([".yaml", ".json"]))
def test_any_file_of_records_is_read_with_issues(tmp_path_factory, catalog: Catalog, records: list,
                                                  kind: str) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"events{kind}"
    text = json.dumps(records) if kind == ".json" else yaml.safe_dump(records, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES, taken_ids=())
    assert_clear(issues)
    assert all(issue.row is None or 1 <= issue.row <= len(records) for issue in issues)


@FUZZ
@given(rows=st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30),
                              min_size=1, max_size=6), max_size=5),
       header=st.lists(st.sampled_from(["id", "title", "date", "date_precision", "figures", "places",
                                        "summary", "event_type", "source_document", "source_passage", "x"]),
                       min_size=1, max_size=8))
def test_any_csv_of_events_is_read_with_issues(tmp_path_factory, catalog: Catalog, rows: list,
                                               header: list) -> None:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path = tmp_path_factory.mktemp("fuzz") / "events.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES, taken_ids=())
    assert_clear(issues)


# --------------------------------------------------------------------------- uploads and tours


@FUZZ
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".json", ".yaml", ".txt", ""]),
       name=st.text(max_size=20))
def test_any_upload_is_read_or_refused_with_a_message(catalog: Catalog, data: bytes, suffix: str, name: str) -> None:
    try:
        result = read_events_upload(data, name + suffix, catalog, PLACES)
    except UserDataError as refused:
        assert refused.message
        return
    assert_clear(result.issues)


@FUZZ
@given(text=st.one_of(st.text(max_size=200), values.map(lambda v: yaml.safe_dump(v, allow_unicode=True))))
def test_any_tour_file_is_a_tour_or_a_listed_problem(tmp_path_factory, catalog: Catalog, text: str) -> None:
    path = tmp_path_factory.mktemp("tour") / "tour.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_tour(path, catalog)
    except TourValidationError as invalid:
        assert invalid.issues
        assert_clear(invalid.issues)


@pytest.mark.parametrize("text", [
    "id: t\ntitle: T\nsteps:\n  - event: " + "[" * 900 + "]" * 900 + "\n",
    "id: t\ntitle: T\nsteps:\n  - event: e\n    caption: " + "9" * 5000 + "\n",
    "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)) + "id: *a8\n",
])
def test_hostile_tour_files_are_problems_not_crashes(tmp_path: Path, catalog: Catalog, text: str) -> None:
    path = tmp_path / "tour.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TourValidationError) as invalid:
        read_tour(path, catalog)
    assert_clear(invalid.value.issues)
