"""The timeline with 3,000 events of a teacher's own, in a real browser (headless Debian Chromium).

A synthetic catalog (``bench/synthetic.py``: the shipped 32 events and 2,968
more) is the user's data. The explore page must show both charts; the
timeline must fit the screen with its lane names and its date axis in view,
say that its lanes are summarised, and zoom in when a column is clicked.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import browser_support as browser
import pytest

sys.path.insert(0, str(browser.ROOT / "bench"))
import synthetic  # noqa: E402  (bench/synthetic.py)

pytestmark = pytest.mark.browser

LANES = ("Soviet side", "Chinese side", "Third parties")
TIMEOUT_MS = 240_000  # 3,000 events to load and validate on a busy machine


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not browser.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    folder: Path = synthetic.write_catalog(3000, tmp_path_factory.mktemp("synthetic-3000"))
    with browser.serve_app(env={"EXCHANGES_USER_DATA": str(folder)}, timeout=120) as url:
        yield url


def _timeline(page):
    """The timeline's plot: the one whose texts name the lanes."""
    return page.locator(".js-plotly-plot").filter(has=page.locator(".textpoint text", has_text="Soviet side"))


def _texts(plot, selector: str) -> list[str]:
    """The text of SVG elements (``inner_text`` is for HTML)."""
    return plot.locator(selector).evaluate_all("elements => elements.map(e => e.textContent || '')")


def _open(page, url: str):
    page.goto(url, timeout=TIMEOUT_MS)
    browser.wait_for_charts(page, timeout_ms=TIMEOUT_MS)
    browser.hide_streamlit_chrome(page)
    timeline = _timeline(page)
    timeline.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    return timeline


@pytest.mark.parametrize("viewport", [{"width": 1440, "height": 900}, {"width": 1280, "height": 720}],
                         ids=lambda v: f"{v['width']}x{v['height']}")
def test_3000_events_fit_the_screen_with_lanes_and_axis(app_url, viewport):
    with browser.chromium_page(viewport) as page:
        timeline = _open(page, app_url)
        assert page.locator(".js-plotly-plot .geo .scattergeo path.point").count() > 0  # the map is there too
        assert timeline.count() == 1
        box = timeline.bounding_box()
        assert box["height"] <= viewport["height"] - 40, box  # the whole timeline fits on the screen
        for lane in LANES:
            assert timeline.locator(".textpoint text", has_text=lane).first.is_visible(), lane
        ticks = [t for t in _texts(timeline, ".xtick text") if t.strip()]
        assert len(ticks) >= 3, ticks
        assert timeline.locator(".xtick text").first.is_visible()
        note = timeline.locator(".annotation-text", has_text="3,000 events are too many to name")
        assert note.count() == 1 and note.first.is_visible()
        assert timeline.locator(".barlayer path").count() > 20  # the columns of counts
        timeline.screenshot(path=str(browser.artifacts() / f"browser-timeline-3000-{viewport['width']}.png"))
        assert not [m for m in page.console_messages if m[0] == "pageerror"], page.console_messages


def test_a_click_on_a_column_zooms_the_timeline_in(app_url):
    with browser.chromium_page({"width": 1440, "height": 900}) as page:
        timeline = _open(page, app_url)
        labels: list[str] = []
        for _zoom in range(3):  # a column may still hold too many events: the reader clicks again
            columns = timeline.locator(".barlayer .trace path")
            if not columns.count():
                break
            columns.nth(min(10, columns.count() - 1)).click(force=True)
            page.get_by_text("Timeline zoomed to").wait_for(timeout=TIMEOUT_MS)
            browser.wait_until_idle(page)
            timeline = _timeline(page)
            labels = _texts(timeline, ".annotation-text, .textpoint text")
            if any("Synthetic" in text for text in labels):
                break
        assert any("Synthetic" in text for text in labels), labels  # events named again
        page.get_by_role("button", name="Show all dates").click()
        page.get_by_text("Timeline zoomed to").wait_for(state="detached", timeout=TIMEOUT_MS)
