"""The presentation page, run by Streamlit's AppTest (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from exchanges.export import export_status

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "present.py")
TOUR = "xinjiang-1962"


@pytest.fixture(scope="module")
def data():
    from exchanges.gazetteer import Gazetteer
    from exchanges.loader import load_catalog
    from exchanges.tours import load_tours_strict

    gazetteer = Gazetteer.load()
    catalog = load_catalog(gazetteer=gazetteer)
    return catalog, load_tours_strict(catalog, gazetteer)


@pytest.fixture(autouse=True)
def no_user_data(tmp_path, monkeypatch):
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(tmp_path / "user_data"))


def open_page(**params: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def counter(at: AppTest) -> str:
    return next(m.value for m in at.markdown if " / " in m.value and m.value.replace(" / ", "").isdigit())


def shown_title(at: AppTest) -> str:
    heading = next(m.value for m in at.markdown if m.value.startswith("### "))
    return heading[4:].replace("\\", "")


def test_opens_the_tour_in_the_link(data) -> None:
    catalog, tours = data
    tour = tours[TOUR]
    at = open_page(tour=TOUR)
    assert counter(at) == f"1 / {len(tour.steps)}"
    assert shown_title(at) == catalog.event(tour.steps[0].event).title
    assert at.query_params["tour"] == TOUR and at.query_params["step"] == "1"
    assert at.button(key="present_previous").disabled
    assert not at.button(key="present_next").disabled


def test_next_and_previous_move_and_update_the_link(data) -> None:
    catalog, tours = data
    tour = tours[TOUR]
    at = open_page(tour=TOUR)
    at.button(key="present_next").click().run()
    at.button(key="present_next").click().run()
    assert counter(at) == f"3 / {len(tour.steps)}"
    assert shown_title(at) == catalog.event(tour.steps[2].event).title
    assert at.query_params["step"] == "3"
    at.button(key="present_previous").click().run()
    assert at.query_params["step"] == "2"
    assert shown_title(at) == catalog.event(tour.steps[1].event).title
    # The step's caption is on the slide.
    caption = tour.steps[1].caption
    assert any(caption.split()[0] in m.value for m in at.markdown)


def test_link_to_a_step_and_last_and_first(data) -> None:
    catalog, tours = data
    tour = tours[TOUR]
    at = open_page(tour=TOUR, step="4")
    assert counter(at) == f"4 / {len(tour.steps)}"
    at.button(key="present_last").click().run()
    assert at.query_params["step"] == str(len(tour.steps))
    assert at.button(key="present_next").disabled
    at.button(key="present_first").click().run()
    assert at.query_params["step"] == "1"


@pytest.mark.parametrize(("raw", "expected", "note"), [("abc", 1, "not a number"), ("999", None, "last one"),
                                                        ("-2", 1, "no step")])
def test_junk_step_is_clamped_with_a_note(data, raw, expected, note) -> None:
    _, tours = data
    total = len(tours[TOUR].steps)
    at = open_page(tour=TOUR, step=raw)
    number = expected or total
    assert counter(at) == f"{number} / {total}"
    assert any(note in w.value for w in at.warning)
    assert at.query_params["step"] == str(number)


def test_unknown_tour_falls_back_with_a_note(data) -> None:
    at = open_page(tour="no-such-tour")
    assert any("no-such-tour" in w.value for w in at.warning)
    assert at.query_params["tour"] != "no-such-tour"


def test_choosing_another_tour_starts_at_step_1(data) -> None:
    catalog, tours = data
    at = open_page(tour=TOUR, step="3")
    at.selectbox(key="present_tour").set_value("repatriation-1952").run()
    assert at.query_params["tour"] == "repatriation-1952" and at.query_params["step"] == "1"
    first = tours["repatriation-1952"].steps[0].event
    assert shown_title(at) == catalog.event(first).title


def test_all_events_in_date_order(data) -> None:
    catalog, _ = data
    at = open_page(tour="all-events")
    assert counter(at) == f"1 / {len(catalog.events)}"
    assert shown_title(at) == catalog.events[0].title


def test_a_bad_teacher_tour_is_listed_not_fatal(data, tmp_path, monkeypatch) -> None:
    user = tmp_path / "teacher"
    (user / "tours").mkdir(parents=True)
    (user / "tours" / "mine.yaml").write_text(
        "id: mine\ntitle: Mine\nsteps:\n  - event: no-such-event\n", encoding="utf-8"
    )
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(user))
    at = open_page(tour=TOUR)
    assert counter(at).startswith("1 / ")
    texts = [m.value.replace("\\", "") for m in at.markdown]
    assert any("mine.yaml" in t and "step 1" in t and "no-such-event" in t for t in texts)


@pytest.mark.skipif(not export_status()[0], reason="no Chromium to render with")
def test_export_panel_renders_the_current_slide() -> None:
    at = open_page(tour=TOUR, step="2")
    at.selectbox(key="present_export_chart").set_value("map").run()
    at.selectbox(key="present_export_width").set_value(1280).run()
    at.button(key="present_export_render").click().run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert "Download map (PNG)" in labels
    assert "CSV" in labels and "JSON" in labels


def test_coming_back_without_a_link_resumes_the_tour(data) -> None:
    at = open_page(tour=TOUR, step="5")
    at.query_params.clear()  # what switching pages in the app does
    at.run()
    assert at.query_params["tour"] == TOUR and at.query_params["step"] == "5"
