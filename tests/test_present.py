"""The presentation page, run by Streamlit's AppTest (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sent_charts import sent_spec
from streamlit.testing.v1 import AppTest

from exchanges.export.engine import export_status

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "present.py")
TOUR = "xinjiang-1962"


pytestmark = pytest.mark.usefixtures("user_data")  # nothing the developer saved leaks in


@pytest.fixture
def tours(shipped_catalog, shipped_gazetteer):
    from exchanges.tours import load_tours_strict

    return load_tours_strict(shipped_catalog, shipped_gazetteer)


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


def test_opens_the_tour_in_the_link(shipped_catalog, tours) -> None:
    catalog = shipped_catalog
    tour = tours[TOUR]
    at = open_page(tour=TOUR)
    assert counter(at) == f"1 / {len(tour.steps)}"
    assert shown_title(at) == catalog.event(tour.steps[0].event).title
    assert at.query_params["tour"] == TOUR and at.query_params["step"] == "1"
    assert at.button(key="present_previous").disabled
    assert not at.button(key="present_next").disabled


def test_next_and_previous_move_and_update_the_link(shipped_catalog, tours) -> None:
    catalog = shipped_catalog
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


def test_link_to_a_step_and_last_and_first(shipped_catalog, tours) -> None:
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
def test_junk_step_is_clamped_with_a_note(tours, raw, expected, note) -> None:
    total = len(tours[TOUR].steps)
    at = open_page(tour=TOUR, step=raw)
    number = expected or total
    assert counter(at) == f"{number} / {total}"
    assert any(note in w.value for w in at.warning)
    assert at.query_params["step"] == str(number)


def test_unknown_tour_falls_back_with_a_note() -> None:
    at = open_page(tour="no-such-tour")
    assert any("no-such-tour" in w.value.replace("\\", "") for w in at.warning)
    assert at.query_params["tour"] != "no-such-tour"


# --------------------------------------------------------------------------- the card's date note, the toggles


def test_an_on_or_before_date_is_not_called_exact(tours, shipped_catalog) -> None:
    from exchanges.wording import date_note, is_latest_bound

    tour_id, number, event = next(
        (tour_id, number, shipped_catalog.event(step.event))
        for tour_id, tour in tours.items()
        for number, step in enumerate(tour.steps, start=1)
        if is_latest_bound(shipped_catalog.event(step.event))
    )
    at = open_page(tour=tour_id, step=str(number))
    source = next(c.value for c in at.caption if c.value.startswith("Source:"))
    assert "on or before" in date_note(event)
    assert date_note(event) in source.replace("\\", "")
    assert "exact day" not in source


def test_display_toggles_live_in_the_link() -> None:
    at = open_page(tour=TOUR, step="3", timeline="off", projector="off")
    toggles = {t.label: t for t in at.toggle}
    assert toggles["Projector mode"].value is False
    assert toggles["Show the timeline"].value is False
    assert not [c for c in at.get("plotly_chart") if "Timeline" in str(c.proto)]
    assert at.query_params["timeline"] == "off" and at.query_params["projector"] == "off"
    assert at.query_params["step"] == "3"
    toggles["Show the timeline"].set_value(True).run()
    assert at.query_params["timeline"] == "on"
    assert [c for c in at.get("plotly_chart") if "Timeline" in str(c.proto)]


def test_a_nonsense_toggle_in_the_link_is_said() -> None:
    at = open_page(tour=TOUR, timeline="maybe")
    assert any("timeline" in w.value for w in at.warning)
    assert {t.label: t.value for t in at.toggle}["Show the timeline"] is True


def test_choosing_another_tour_starts_at_step_1(shipped_catalog, tours) -> None:
    catalog = shipped_catalog
    at = open_page(tour=TOUR, step="3")
    at.selectbox(key="present_tour").set_value("repatriation-1952").run()
    assert at.query_params["tour"] == "repatriation-1952" and at.query_params["step"] == "1"
    first = tours["repatriation-1952"].steps[0].event
    assert shown_title(at) == catalog.event(first).title


def test_all_events_in_date_order(shipped_catalog) -> None:
    catalog = shipped_catalog
    at = open_page(tour="all-events")
    assert counter(at) == f"1 / {len(catalog.events)}"
    assert shown_title(at) == catalog.events[0].title


def test_a_bad_teacher_tour_is_listed_not_fatal(tours, tmp_path, monkeypatch) -> None:
    user = tmp_path / "teacher"
    (user / "tours").mkdir(parents=True)
    (user / "tours" / "mine.yaml").write_text(
        "id: mine\ntitle: Mine\nsteps:\n  - event: no-such-event\n", encoding="utf-8"
    )
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(user))
    at = open_page(tour=TOUR)
    assert counter(at).startswith("1 / ")
    texts = [m.value.replace("\\", "") for m in at.markdown]
    assert any("tours/mine" in t and "row 1" in t and "no-such-event" in t for t in texts)  # imported once


def test_a_tour_fixed_while_the_page_is_open_is_read_again(shipped_catalog, tmp_path, monkeypatch) -> None:
    """Tours are cached between steps, but keyed on the store's revision: a tour saved (here by
    another session) shows at the next rerun. The old tours/ file is imported once."""
    from exchanges.userdata import save_tour_text

    tour_file = tmp_path / "teacher" / "tours" / "mine.yaml"
    tour_file.parent.mkdir(parents=True)
    tour_file.write_text("id: mine\ntitle: Mine\nsteps:\n  - event: no-such-event\n", encoding="utf-8")
    monkeypatch.setenv("EXCHANGES_USER_DATA", str(tmp_path / "teacher"))
    at = open_page(tour="mine")
    assert any("no-such-event" in m.value.replace("\\", "") for m in at.markdown)
    first = shipped_catalog.events[0]
    save_tour_text("mine", f"id: mine\ntitle: Mine\nsteps:\n  - event: {first.id}\n", overwrite=True,
                   loaded_revision=10**6)
    at.query_params["tour"] = "mine"
    at.run()
    assert not at.exception, at.exception
    assert counter(at) == "1 / 1"
    assert shown_title(at) == first.title


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


def test_coming_back_without_a_link_resumes_the_tour() -> None:
    at = open_page(tour=TOUR, step="5")
    at.query_params.clear()  # what switching pages in the app does
    at.run()
    assert at.query_params["tour"] == TOUR and at.query_params["step"] == "5"


# --------------------------------------------------------------------------- the slide's map


def map_spec(at: AppTest) -> dict:
    return sent_spec(at.get("plotly_chart")[0])


def _mercator_aspect(lon_range, lat_range) -> float:
    import math

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    return math.radians(lon_range[1] - lon_range[0]) / (y(lat_range[1]) - y(lat_range[0]))


def test_a_step_whose_event_has_no_place_says_so(tours, shipped_catalog) -> None:
    tour = tours[TOUR]
    numbers = {n: not shipped_catalog.event(s.event).places for n, s in enumerate(tour.steps, start=1)}
    unplaced, placed = next(n for n, v in numbers.items() if v), next(n for n, v in numbers.items() if not v)
    for number, expect_note in ((unplaced, True), (placed, False)):
        at = open_page(tour=TOUR, step=str(number))
        notes = [m.value for m in at.markdown if "names no place" in m.value]
        assert bool(notes) == expect_note, number
    # The map itself writes no note over its markers: the page says it.
    layout = map_spec(open_page(tour=TOUR, step=str(unplaced)))["layout"]
    assert not [a for a in layout.get("annotations", []) if a.get("name") in ("missing-places-note", "size-note")]


def test_earlier_events_without_a_place_are_listed_under_the_map(tours, shipped_catalog) -> None:
    tour = tours[TOUR]
    without = [n for n, s in enumerate(tour.steps, start=1) if not shipped_catalog.event(s.event).places]
    number = next(n for n in range(1, len(tour.steps) + 1) if sum(1 for w in without if w < n) >= 2)
    earlier = [shipped_catalog.event(tour.steps[w - 1].event).title for w in without if w < number]
    at = open_page(tour=TOUR, step=str(number))
    caption = next(c for c in at.caption if "Marker size" in c.value)
    assert f"{len(earlier)} events naming no place" in caption.value
    tooltip = caption.proto.help.replace("\\", "")
    assert all(title in tooltip for title in earlier)


@pytest.mark.parametrize(("tour", "step"), [(TOUR, "2"), ("repatriation-1952", "2")],
                         ids=["framed on the event", "event without a place, framed on the story so far"])
def test_the_map_fills_its_box(tour, step) -> None:
    """The CSS gives the map's box one shape, and the map's view has the same shape: no blank bands."""
    import re

    at = open_page(tour=tour, step=step)
    css = at.get("html")[0].proto.body
    box_aspect = float(re.search(r"\.st-key-present-map \{ aspect-ratio: ([\d.]+);", css)[1])
    layout = map_spec(at)["layout"]
    assert layout["margin"] == {"l": 0, "r": 0, "t": 0, "b": 0}
    geo = layout["geo"]
    bottom, top = geo["domain"]["y"]
    assert geo["domain"]["x"] == [0, 1] and top == 1 and 0 < bottom < 0.3
    geo_aspect = box_aspect / (top - bottom)  # the map above the legend's strip
    assert _mercator_aspect(geo["lonaxis"]["range"], geo["lataxis"]["range"]) == pytest.approx(geo_aspect, rel=2e-3)
    # The legend hangs from the map's lower edge, in the strip under it: off the map, inside the figure.
    legend = layout["legend"]
    assert legend["orientation"] == "h" and legend["yanchor"] == "top" and 0 < legend["y"] <= bottom


# --------------------------------------------------------------------------- the slide in a browser


@pytest.fixture(scope="module")
def present_url(tmp_path_factory: pytest.TempPathFactory):
    """URL of the present page of the whole app, running."""
    import browser_support as browser

    if not browser.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    env = {"EXCHANGES_USER_DATA": str(tmp_path_factory.mktemp("user_data"))}
    with browser.serve_app("app.py", env=env) as base:
        yield f"{base}/{browser.page_url_path('views/present.py')}"


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box


def _slide_boxes(page, url: str, viewport: dict[str, int]) -> dict[str, dict]:
    """Open a step with the sidebar collapsed; the boxes of the slide's parts."""
    import browser_support as browser

    page.set_viewport_size(viewport)
    page.goto(url, wait_until="domcontentloaded")
    page.locator(".st-key-present-card").wait_for(timeout=60_000)
    page.locator(".js-plotly-plot .geo .layer.land path").first.wait_for(state="attached", timeout=60_000)
    browser.wait_until_idle(page)
    if page.locator('[data-testid="stSidebar"][data-collapsed="false"]').count():
        page.locator('[data-testid="stSidebar"]').hover()
        page.locator('[data-testid="stSidebarCollapseButton"] button').click()
        page.locator('[data-testid="stSidebar"][data-collapsed="true"]').wait_for(timeout=10_000)
        page.wait_for_timeout(800)  # the main area widens, the map redraws
    selectors = {
        "header": ".st-key-present-header", "next": ".st-key-present_next button",
        "map box": ".st-key-present-map", "map": ".st-key-present-map .js-plotly-plot .geo .layer.bg rect",
        "legend": ".st-key-present-map .js-plotly-plot .legend", "caption": ".st-key-present-mapnote",
        "title": ".st-key-present-card h3", "date": ".st-key-present-card p strong",
        "passage": ".st-key-present-card blockquote",
        "source": ".st-key-present-source",
    }
    if page.locator(".st-key-present-noplace").count():
        selectors["no place"] = ".st-key-present-noplace p"
    return {name: _box(page, selector) for name, selector in selectors.items()}


def _overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.browser
def test_the_slide_fits_a_projector_screen(present_url: str) -> None:
    """At 1280x720 and 1920x1080 (sidebar collapsed): everything that matters above the fold,
    the map filling its box, the no-place note clear of the legend; and the same slide at both sizes."""
    import browser_support as browser

    url = f"{present_url}?tour={TOUR}&step=4"  # an event that names no place
    seen = {}
    with browser.chromium_page() as page:
        for width, height in ((1280, 720), (1920, 1080)):
            boxes = _slide_boxes(page, url, {"width": width, "height": height})
            for name, box in boxes.items():
                assert box["y"] >= 0 and box["y"] + box["height"] <= height, (width, name, box)
                assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, name, box)
            assert "no place" in boxes, "the note that the event names no place"
            assert not _overlap(boxes["no place"], boxes["legend"])
            # The map's plot fills its box: no blank bands above, below or beside it.
            assert boxes["map"]["width"] >= 0.97 * boxes["map box"]["width"], width
            # ... above the legend's strip, the legend under the map and inside its box.
            assert boxes["map"]["height"] >= 0.8 * boxes["map box"]["height"], width
            assert boxes["legend"]["y"] >= boxes["map"]["y"] + boxes["map"]["height"] - 1, width
            assert boxes["legend"]["y"] + boxes["legend"]["height"] <= boxes["map box"]["y"] + boxes["map box"]["height"] + 1
            assert boxes["map box"]["width"] >= 0.45 * width  # a large map
            seen[width] = boxes
    # Type and layout scale with the screen: 1920x1080 is the 1280x720 slide, larger.
    for name in ("map box", "passage", "header"):
        small, large = seen[1280][name], seen[1920][name]
        assert large["width"] / small["width"] == pytest.approx(1.5, rel=0.05), name
        assert large["y"] / small["y"] == pytest.approx(1.5, rel=0.08), name


@pytest.mark.browser
def test_projector_mode_starts_with_the_sidebar_closed_and_the_source_on_screen(present_url: str) -> None:
    """Step 12 of the Xinjiang tour (a long passage) at 1280x720: the sidebar starts closed in
    projector mode, the card does not scroll, and the source line under it is on the screen in full."""
    import browser_support as browser

    with browser.chromium_page() as page:
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(f"{present_url}?tour={TOUR}&step=12", wait_until="domcontentloaded")
        page.locator(".st-key-present-source").wait_for(timeout=60_000)
        browser.wait_until_idle(page)
        sidebar = _box(page, '[data-testid="stSidebar"]')
        assert sidebar["x"] + sidebar["width"] <= 0, sidebar
        box = _box(page, ".st-key-present-source")
        assert box["y"] >= 0 and box["y"] + box["height"] <= 720, box
        card = page.locator(".st-key-present-card")
        assert card.evaluate("el => !/(auto|scroll)/.test(getComputedStyle(el).overflowY)")  # not a scroll box
        assert _box(page, ".st-key-present-card")["y"] + _box(page, ".st-key-present-card")["height"] <= box["y"] + 1


def test_a_long_passage_is_trimmed_in_projector_mode_and_whole_on_a_screen(tours, shipped_catalog) -> None:
    """Projector mode trims step 12's long passage at a word with "…" and offers the whole of it;
    with projector mode off the card shows it all."""
    tour = tours[TOUR]
    passage = " ".join(shipped_catalog.event(tour.steps[11].event).source.passage.split())
    at = open_page(tour=TOUR, step="12", projector="on")
    quote = next(m.value for m in at.markdown if m.value.startswith("> "))
    shown = quote[2:].replace("\\", "")
    assert shown.endswith("…") and len(shown) < len(passage)
    assert passage.startswith(shown[:-1].rstrip())
    assert at.button(key="present_whole_passage")
    at = open_page(tour=TOUR, step="12", projector="off")
    quote = next(m.value for m in at.markdown if m.value.startswith("> "))
    assert not quote.endswith("…")
    assert not [b for b in at.button if b.key == "present_whole_passage"]


def test_the_slide_map_puts_every_mark_at_its_place(shipped_catalog, shipped_gazetteer, tours) -> None:
    """The slide's marks sit at their places' own coordinates (never pushed aside), one per place,
    and a step whose event names no place keeps the last frame and says so on the map."""
    tour_id, number = "repatriation-1952", 3  # Beijing and Tianjin close together
    at = open_page(tour=tour_id, step=str(number), projector="on")
    spec = map_spec(at)
    (trace,) = [t for t in spec["data"] if (t.get("meta") or {}).get("layer") == "events"]
    for lon, lat, (_, place_id) in zip(trace["lon"], trace["lat"], trace["customdata"], strict=True):
        place = shipped_gazetteer.get(place_id)
        assert (lon, lat) == (place.lon, place.lat)
    assert len({d[1] for d in trace["customdata"]}) == len(trace["customdata"])


def test_the_tour_can_be_downloaded_as_slides_and_a_worksheet() -> None:
    """The sidebar offers the tour's deck (PDF, PowerPoint) and its worksheet."""
    at = open_page(tour=TOUR, step="3")
    keys = {element.proto.id for element in at.get("download_button")}
    labels = [element.proto.label for element in at.get("download_button")]
    assert any("present_tour_files_deck_pdf" in k for k in keys)
    assert any("present_tour_files_deck_pptx" in k for k in keys)
    assert any("present_tour_files_worksheet" in k for k in keys)
    assert "Slides (PDF)" in labels and "Slides (PowerPoint)" in labels and "Worksheet (PDF)" in labels
