"""Tours: the file format, cross-checks against the catalog, stepping, map views."""

from __future__ import annotations

from pathlib import Path

import pytest
from classroom_data import EVENTS, catalog, gazetteer, good_tour, write_tour  # noqa: F401 - fixtures

from exchanges.mapping import MapView
from exchanges.paths import TOURS_DIR
from exchanges.tours import (
    ALL_EVENTS_TOUR_ID,
    TourStep,
    TourValidationError,
    all_events_tour,
    clamp_step,
    load_tours,
    load_tours_strict,
    read_tour,
    step_state,
    step_view,
    tour_dirs,
)

# --------------------------------------------------------------------------- reading


def test_valid_tour_is_read_with_its_steps(tmp_path: Path, catalog) -> None:
    path = write_tour(tmp_path, "demo.yaml", good_tour())
    tour = read_tour(path, catalog)
    assert tour.id == "demo"
    assert tour.event_ids() == ["letter", "exodus", "statement"]
    assert tour.steps[1].caption == "About exodus."
    assert tour.path == path


def test_unknown_event_names_file_step_and_field(tmp_path: Path, catalog) -> None:
    data = good_tour(events=("letter", "exodus", "no-such-event"))
    path = write_tour(tmp_path, "broken.yaml", data)
    with pytest.raises(TourValidationError) as raised:
        read_tour(path, catalog)
    [issue] = raised.value.issues
    assert issue.row == 3  # 1-based step number
    assert issue.field == "event"
    assert "no-such-event" in issue.message
    text = str(raised.value)
    assert "broken.yaml" in text and "row 3" in text and "field event" in text


def test_every_unknown_event_is_reported(tmp_path: Path, catalog) -> None:
    path = write_tour(tmp_path, "two.yaml", good_tour(events=("nope-1", "letter", "nope-2")))
    with pytest.raises(TourValidationError) as raised:
        read_tour(path, catalog)
    assert [(i.row, i.field) for i in raised.value.issues] == [(1, "event"), (3, "event")]


def test_bad_yaml_reports_file_and_line(tmp_path: Path, catalog) -> None:
    path = write_tour(tmp_path, "syntax.yaml", "id: x\ntitle: [unclosed\nsteps:\n  - event: letter\n")
    with pytest.raises(TourValidationError) as raised:
        read_tour(path, catalog)
    text = str(raised.value)
    assert "syntax.yaml" in text
    assert "not valid YAML at line" in text


@pytest.mark.parametrize(
    ("step", "field", "words"),
    [
        ({"event": "letter", "captoin": "typo"}, "captoin", "unknown field"),
        ({"caption": "no event"}, "event", "required field is missing"),
        ({"event": "letter", "view": {"place": "xinjiang", "lon_range": [70, 90], "lat_range": [30, 50]}},
         "view", "not both"),
        ({"event": "letter", "view": {"lon_range": [90, 70], "lat_range": [30, 50]}}, "view.lon_range",
         "west < east"),
        ({"event": "letter", "view": {"lon_range": [70, 90]}}, "view.lon_range", "go together"),
    ],
)
def test_schema_errors_name_step_and_field(tmp_path: Path, catalog, step, field, words) -> None:
    data = good_tour()
    data["steps"].insert(1, step)
    path = write_tour(tmp_path, "schema.yaml", data)
    with pytest.raises(TourValidationError) as raised:
        read_tour(path, catalog)
    issue = raised.value.issues[0]
    assert (issue.row, issue.field) == (2, field)
    assert words in issue.message


def test_tour_without_steps_or_title_is_rejected(tmp_path: Path, catalog) -> None:
    path = write_tour(tmp_path, "empty.yaml", {"id": "empty", "steps": []})
    with pytest.raises(TourValidationError) as raised:
        read_tour(path, catalog)
    fields = {issue.field for issue in raised.value.issues}
    assert {"title", "steps"} <= fields


def test_non_mapping_file_is_rejected(tmp_path: Path, catalog) -> None:
    path = write_tour(tmp_path, "list.yaml", "- event: letter\n")
    with pytest.raises(TourValidationError, match="a tour is a mapping"):
        read_tour(path, catalog)


def test_unknown_view_place_is_an_issue(tmp_path: Path, catalog, gazetteer) -> None:
    data = good_tour()
    data["steps"][0]["view"] = {"place": "atlantis"}
    path = write_tour(tmp_path, "place.yaml", data)
    with pytest.raises(TourValidationError) as raised:
        read_tour(path, catalog, gazetteer)
    [issue] = raised.value.issues
    assert (issue.row, issue.field) == (1, "view.place")


def test_all_problems_of_a_tour_are_reported_at_once(tmp_path: Path, catalog, gazetteer) -> None:
    """A misspelt field, an unknown event and an unknown place: three issues from one read."""
    data = good_tour()
    data["steps"][0]["captoin"] = data["steps"][0].pop("caption", "Hello")
    data["steps"][1]["event"] = "no-such-event"
    data["steps"][2]["view"] = {"place": "atlantis"}
    path = write_tour(tmp_path, "many.yaml", data)
    with pytest.raises(TourValidationError) as raised:
        read_tour(path, catalog, gazetteer)
    found = [(i.row, i.field) for i in raised.value.issues]
    assert found == [(1, "captoin"), (2, "event"), (3, "view.place")]


def test_a_step_may_ask_a_question(tmp_path: Path, catalog) -> None:
    data = good_tour()
    data["steps"][0]["question"] = "Who wrote first?"
    tour = read_tour(write_tour(tmp_path, "q.yaml", data), catalog)
    assert tour.steps[0].question == "Who wrote first?"


# --------------------------------------------------------------------------- folders


def test_bad_file_does_not_hide_good_tours(tmp_path: Path, catalog) -> None:
    write_tour(tmp_path, "a.yaml", good_tour("a"))
    write_tour(tmp_path, "b.yaml", good_tour("b", events=("missing",)))
    write_tour(tmp_path, "notes.txt", "not a tour")
    tours, issues = load_tours(catalog, dirs=[tmp_path])
    assert list(tours) == ["a"]
    assert len(issues) == 1 and issues[0].file.endswith("b.yaml")
    with pytest.raises(TourValidationError):
        load_tours_strict(catalog, dirs=[tmp_path])


def test_duplicate_and_reserved_ids_are_issues(tmp_path: Path, catalog) -> None:
    write_tour(tmp_path / "one", "x.yaml", good_tour("same"))
    write_tour(tmp_path / "two", "y.yaml", good_tour("same"))
    write_tour(tmp_path / "two", "z.yaml", good_tour(ALL_EVENTS_TOUR_ID))
    tours, issues = load_tours(catalog, dirs=[tmp_path / "one", tmp_path / "two"])
    assert list(tours) == ["same"]
    messages = [str(i) for i in issues]
    assert any("already used" in m and "y.yaml" in m for m in messages)
    assert any("reserved" in m for m in messages)


def test_teacher_tours_come_from_the_store(tmp_path: Path, catalog, monkeypatch) -> None:
    """The user's tours are in the store; an old user_data/tours/ folder is imported once, left as it was."""
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(tmp_path))
    assert tour_dirs() == [TOURS_DIR]
    path = write_tour(tmp_path / "tours", "mine.yaml", good_tour("mine"))
    before = path.read_bytes()
    tours, _ = load_tours(catalog)
    assert tours["mine"].stored_as == "tours/mine" and path.read_bytes() == before


def test_shipped_tours_are_valid_and_in_date_order(shipped_catalog, gazetteer) -> None:
    catalog = shipped_catalog
    tours = load_tours_strict(catalog, gazetteer, dirs=[TOURS_DIR])
    assert {"repatriation-1952", "xinjiang-1962"} <= set(tours)
    assert len(tours) >= 3
    for tour in tours.values():
        dates = [catalog.event(step.event).date for step in tour.steps]
        assert dates == sorted(dates), tour.id
        assert all(step.caption for step in tour.steps), tour.id
    years = {catalog.event(s.event).date.year for s in tours["repatriation-1952"].steps}
    assert 1952 in years and 1962 not in years
    assert {catalog.event(s.event).date.year for s in tours["xinjiang-1962"].steps} >= {1962}
    across = [t for t in tours.values() if t.id not in ("repatriation-1952", "xinjiang-1962")]
    assert any({catalog.event(s.event).date.year for s in t.steps} >= {1952, 1962} for t in across)


# --------------------------------------------------------------------------- stepping


def test_step_state_highlights_current_and_mutes_earlier(tmp_path: Path, catalog) -> None:
    tour = read_tour(write_tour(tmp_path, "t.yaml", good_tour()), catalog)
    state = step_state(tour, 2, catalog, None)
    assert state.event.id == "exodus"
    assert [e.id for e in state.shown] == ["letter", "exodus"]  # later steps hidden
    assert state.muted == {"letter"}
    assert state.progress_label == "2 / 3"
    assert "Mass exodus" in state.title
    with pytest.raises(IndexError):
        step_state(tour, 4, catalog, None)


def test_all_events_tour_is_in_date_order(catalog) -> None:
    tour = all_events_tour(reversed(EVENTS))
    dates = [catalog.event(step.event).date for step in tour.steps]
    assert dates == sorted(dates)
    assert len(tour.steps) == len(EVENTS)
    assert all_events_tour(()).steps == []


@pytest.mark.parametrize(
    ("raw", "expected", "noted"),
    [("4", 4, False), (None, 1, False), ("", 1, False), ("99", 15, True), ("0", 1, True),
     ("-3", 1, True), ("abc", 1, True), ("2.5", 1, True), (" 7 ", 7, False)],
)
def test_clamp_step(raw, expected, noted) -> None:
    number, note = clamp_step(raw, 15)
    assert number == expected
    assert (note is not None) == noted


# --------------------------------------------------------------------------- map views


def _inside(view: MapView, lon: float, lat: float) -> bool:
    return view.lon_range[0] <= lon <= view.lon_range[1] and view.lat_range[0] <= lat <= view.lat_range[1]


def test_step_view_explicit_ranges(catalog, gazetteer) -> None:
    step = TourStep.model_validate({"event": "exodus", "view": {"lon_range": [70, 90], "lat_range": [30, 50]}})
    assert step_view(step, catalog.event("exodus"), gazetteer) == MapView((70.0, 90.0), (30.0, 50.0))


def test_step_view_frames_a_place_or_the_event(catalog, gazetteer) -> None:
    by_place = step_view(
        TourStep.model_validate({"event": "exodus", "view": {"place": "xinjiang"}}),
        catalog.event("exodus"),
        gazetteer,
    )
    urumqi = gazetteer.get("urumqi")
    assert _inside(by_place, urumqi.lon, urumqi.lat)
    beijing = gazetteer.get("beijing")
    assert not _inside(by_place, beijing.lon, beijing.lat)

    by_event = step_view(TourStep(event="letter"), catalog.event("letter"), gazetteer)
    for place_id in ("beijing", "shanghai"):
        place = gazetteer.get(place_id)
        assert _inside(by_event, place.lon, place.lat)
    assert step_view(TourStep(event="no-place"), catalog.event("no-place"), gazetteer) is None


@pytest.mark.parametrize("view", [{"lon_range": [70, 90], "lat_range": [30, 50]}, {"place": "xinjiang"}])
def test_a_step_view_is_widened_to_show_its_event(catalog, gazetteer, view) -> None:
    """A teacher's view that leaves the highlighted event off the map grows to show it."""
    letter = catalog.event("letter")  # Beijing and Shanghai, east of both views
    as_given = step_view(TourStep.model_validate({"event": "exodus", "view": view}), catalog.event("exodus"),
                         gazetteer)
    widened = step_view(TourStep.model_validate({"event": "letter", "view": view}), letter, gazetteer)
    for place_id in letter.places:
        place = gazetteer.get(place_id)
        assert not _inside(as_given, place.lon, place.lat)
        assert _inside(widened, place.lon, place.lat)
    # It keeps all it showed.
    assert widened.lon_range[0] <= as_given.lon_range[0] and widened.lat_range[0] <= as_given.lat_range[0]
    assert widened.lat_range[1] >= as_given.lat_range[1]


def test_a_country_view_frames_its_point_not_the_globe(catalog, gazetteer) -> None:
    """The USSR's outline crosses the antimeridian; its bounds would be the whole world."""
    ussr = gazetteer.get("ussr")
    view = step_view(TourStep.model_validate({"event": "exodus", "view": {"place": "ussr"}}),
                     catalog.event("no-place"), gazetteer)
    assert _inside(view, ussr.lon, ussr.lat)
    assert view.lon_range[1] - view.lon_range[0] < 90


def test_step_state_says_which_events_the_map_cannot_show(tmp_path: Path, catalog, gazetteer) -> None:
    data = good_tour(events=("no-place", "letter", "exodus"))
    tour = read_tour(write_tour(tmp_path, "t.yaml", data), catalog, gazetteer)
    first = step_state(tour, 1, catalog, gazetteer)
    assert not first.event_on_map and first.earlier_unmapped == ()
    third = step_state(tour, 3, catalog, gazetteer)
    assert third.event_on_map
    assert [e.id for e in third.earlier_unmapped] == ["no-place"]
    # Without a gazetteer nothing is known to be off the map.
    assert step_state(tour, 1, catalog, None).event_on_map
