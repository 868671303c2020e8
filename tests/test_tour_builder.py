"""The tour builder: start, reorder, caption and question, frame, preview, save with every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from exchanges.store import open_store
from exchanges.tour_builder import (
    DraftStep,
    check_draft,
    move,
    save_tour,
    steps_from_events,
    steps_from_tour,
    suggest_id,
    tour_data,
)
from exchanges.tours import TourValidationError, load_tours

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "tour_builder.py")
pytestmark = pytest.mark.usefixtures("user_data")


@pytest.fixture
def tours(shipped_catalog, shipped_gazetteer):
    from exchanges.tours import load_tours_strict

    return load_tours_strict(shipped_catalog, shipped_gazetteer)


def test_steps_reorder_and_keep_their_identity() -> None:
    steps = [DraftStep(event=e) for e in ("a", "b", "c")]
    moved = move(steps, 2, -1)
    assert [s.event for s in moved] == ["a", "c", "b"]
    assert [s.uid for s in moved] == [steps[0].uid, steps[2].uid, steps[1].uid]
    assert [s.event for s in move(steps, 0, -1)] == ["a", "b", "c"]  # stays inside the list


def test_a_duplicated_tour_saves_and_reads_back(shipped_catalog, shipped_gazetteer, tours, user_data) -> None:
    source = tours["xinjiang-1962"]
    steps = steps_from_tour(source)
    steps[0] = DraftStep(event=steps[0].event, caption="My words.", question="Why now?", frame="ranges",
                         lon_range=(70.0, 100.0), lat_range=(35.0, 50.0))
    data = tour_data("my-xinjiang", "My Xinjiang tour", "", steps)
    saved = save_tour(data, shipped_catalog, shipped_gazetteer)
    assert saved.saved_as == "tours/my-xinjiang"
    tour = load_tours(shipped_catalog, shipped_gazetteer)[0]["my-xinjiang"]
    assert tour.stored_as == "tours/my-xinjiang" and tour.path is None
    assert tour.event_ids() == source.event_ids()
    assert (tour.steps[0].caption, tour.steps[0].question) == ("My words.", "Why now?")
    assert tour.steps[0].view.lon_range == (70.0, 100.0)
    assert tour.steps[2].view.place == source.steps[2].view.place


def test_saving_lists_every_problem_at_once(shipped_catalog, shipped_gazetteer, tours, user_data) -> None:
    steps = [DraftStep(event="no-such-event"), DraftStep(event=tours["xinjiang-1962"].steps[0].event,
                                                         frame="place", place="atlantis")]
    data = tour_data("xinjiang-1962", "", "", steps)  # a shipped id, no title
    with pytest.raises(TourValidationError) as raised:
        save_tour(data, shipped_catalog, shipped_gazetteer)
    found = {(issue.row, issue.field) for issue in raised.value.issues}
    assert {(None, "id"), (None, "title"), (1, "event"), (2, "view.place")} <= found
    assert open_store().tours()[1] == []  # nothing saved
    assert not (user_data / "tours").exists()


def test_the_users_own_tour_is_replaced_only_when_asked(shipped_catalog, shipped_gazetteer, user_data) -> None:
    steps = steps_from_events(shipped_catalog.events[:2])
    data = tour_data("mine", "Mine", "", steps)
    save_tour(data, shipped_catalog, shipped_gazetteer)
    _, issues = check_draft(data, shipped_catalog, shipped_gazetteer)
    assert [i.field for i in issues] == ["id"]
    assert check_draft(data, shipped_catalog, shipped_gazetteer, overwrite=True)[1] == []


def test_suggest_id() -> None:
    assert suggest_id("1962: The Border!", []) == "1962-the-border"
    assert suggest_id("Mine", ["mine", "mine-2"]) == "mine-3"


# --------------------------------------------------------------------------- the page


def test_the_page_builds_and_saves_a_tour(shipped_catalog, user_data) -> None:
    picked = [e.id for e in sorted(shipped_catalog.events, key=lambda e: e.date)[:3]]
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    at.multiselect(key="tb_picked").set_value(picked).run()
    at.button(key="tb_start_button").click().run()
    steps = at.session_state["tb_steps"]
    assert [s.event for s in steps] == picked
    # Move the last step up, write a caption and a question.
    at.button(key=f"tb_up_{steps[2].uid}").click().run()
    assert [s.event for s in at.session_state["tb_steps"]] == [picked[0], picked[2], picked[1]]
    at.text_area(key=f"tb_caption_{steps[2].uid}").set_value("Say this.").run()
    at.text_input(key=f"tb_question_{steps[2].uid}").set_value("Ask that?").run()
    at.text_input(key="tb_title").set_value("My lesson").run()
    assert not at.exception, at.exception
    assert at.get("plotly_chart"), "the preview map"
    at.button(key="tb_save").click().run()
    assert at.success, [e.value for e in at.error]
    (stored,) = [t for t in open_store().tours()[1] if t.name == "my-lesson"]
    saved = yaml.safe_load(stored.text)
    assert [s["event"] for s in saved["steps"]] == [picked[0], picked[2], picked[1]]
    assert saved["steps"][1]["caption"] == "Say this." and saved["steps"][1]["question"] == "Ask that?"


def test_the_page_lists_all_problems_when_saving(user_data) -> None:
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.run()
    at.radio(key="tb_start").set_value("tour").run()
    at.selectbox(key="tb_source_tour").set_value("xinjiang-1962").run()
    at.button(key="tb_start_button").click().run()
    at.text_input(key="tb_id").set_value("xinjiang-1962").run()
    at.text_input(key="tb_title").set_value("").run()
    at.button(key="tb_save").click().run()
    assert at.error and not at.success
    problems = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "already used by a shipped tour" in problems and "field title" in problems
