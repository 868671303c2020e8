"""The map in a real browser (headless Debian Chromium, Playwright): clicks land on marks,
names sit at their places, and a 3,000-event catalog of one's own draws both charts.

Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import browser_support as browser
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from synthetic import write_catalog  # noqa: E402  (bench/ is not a package)

from exchanges.gazetteer import Gazetteer  # noqa: E402

pytestmark = pytest.mark.browser
VIEWPORT = {"width": 1440, "height": 900}

#: Centre (page px) and customdata of every mark, and the centre and text of every place name.
_MARKS_AND_NAMES = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(p => p._fullLayout && p._fullLayout.geo);
  const marks = [], names = [];
  const centre = el => {
    const r = el.getBoundingClientRect();
    return [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
  };
  gd.querySelectorAll('.geo .scattergeo').forEach(group => {
    const cd = group.__data__ && group.__data__[0];
    const trace = cd && cd.trace;
    // The browser is sent each meta as a one-item list (exchanges.charts.browser).
    const layer = trace && trace.meta ? [].concat(trace.meta)[0].layer : null;
    if (layer === 'events') {
      group.querySelectorAll('path.point').forEach((p, i) => marks.push(
        {at: centre(p), data: trace.customdata[i], hover: trace.hovertext[i]}));
    } else if (layer === 'names') {
      // one text point per name, in order; meta.kinds says which names name a place or region
      const kinds = [].concat(trace.meta)[0].kinds;
      const plain = html => { const d = document.createElement('div'); d.innerHTML = html.replace(/<br>/g, '');
                              return d.textContent; };
      group.querySelectorAll('text').forEach((t, i) => {
        if (t.textContent !== plain(trace.text[i])) throw new Error(`text ${i} is not name ${i}`);
        if (kinds[i] === 'context-labels') return;
        const r = t.getBoundingClientRect();
        names.push({text: t.textContent, box: [r.left, r.top, r.right, r.bottom]});
      });
    }
  });
  return {marks, names};
}"""


@pytest.fixture(scope="module")
def shipped_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not browser.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    with browser.serve_app(env={"EXCHANGES_USER_DATA": str(tmp_path_factory.mktemp("user_data"))}) as url:
        yield url


def test_clicking_the_centre_of_every_mark_selects_it(shipped_url):
    """Every mark at 1440x900: a click at its centre selects its place and event (the card opens,
    the link names the event, a place with several events offers them by its name), never a
    neighbour drawn over it (Tianjin by Beijing) nor the country or region fill beneath."""
    gazetteer = Gazetteer.load()
    with browser.chromium_page(VIEWPORT) as page:
        page.goto(shipped_url)
        browser.wait_for_charts(page)
        drawn = page.evaluate(_MARKS_AND_NAMES)
        assert len(drawn["marks"]) >= 8
        for index in range(len(drawn["marks"])):
            mark = page.evaluate(_MARKS_AND_NAMES)["marks"][index]  # positions as drawn now
            event_id, place_id = mark["data"]
            page.mouse.click(*mark["at"])
            page.wait_for_url(re.compile(rf"event={re.escape(event_id)}(&|$)"), timeout=30_000)
            browser.wait_for_charts(page)
            page.wait_for_function(
                "() => document.querySelector('.st-key-detail_card blockquote') !== null", timeout=30_000)
            count = int(re.search(r"· ([\d,]+) events?", mark["hover"])[1].replace(",", ""))
            if count > 1:
                name = gazetteer.get(place_id).name
                page.get_by_text(f"{count} events at {name}").first.wait_for(timeout=30_000)
        page.screenshot(path=str(browser.artifacts() / "browser-map-clicked.png"))


def test_a_click_on_a_busy_place_offers_its_events(shipped_url):
    with browser.chromium_page(VIEWPORT) as page:
        page.goto(shipped_url)
        browser.wait_for_charts(page)
        marks = page.evaluate(_MARKS_AND_NAMES)["marks"]
        beijing = next(m for m in marks if m["data"][1] in ("beijing", "prc"))
        page.mouse.click(*beijing["at"])
        page.get_by_text(re.compile(r"\d+ events at (Beijing|People)")).first.wait_for(timeout=30_000)


def test_closed_panels_are_built_when_the_reader_opens_them(shipped_url):
    """The export panel and the list of events not on the map are made only while open (a filter
    change need not redraw them): opening each in a real browser shows its contents."""
    with browser.chromium_page(VIEWPORT) as page:
        page.goto(shipped_url)
        browser.wait_for_charts(page)
        assert page.get_by_text("Data with citations").count() == 0
        page.get_by_text("Export: slide images and data").click()
        page.get_by_text("Data with citations").wait_for(timeout=60_000)
        page.get_by_role("button", name=re.compile("CSV")).first.wait_for(timeout=60_000)
        unplaced = page.get_by_text(re.compile(r"\d+ events not on the map"))
        unplaced.click()
        page.get_by_text("The Politburo discusses", exact=False).first.wait_for(timeout=60_000)


@pytest.fixture(scope="module")
def synthetic_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not browser.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    folder = write_catalog(3000, tmp_path_factory.mktemp("synthetic-3000"))
    with browser.serve_app(env={"EXCHANGES_USER_DATA": str(folder)}) as url:
        yield url


def test_a_3000_event_catalog_draws_both_charts_with_every_name_at_its_place(synthetic_url):
    with browser.chromium_page(VIEWPORT) as page:
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(synthetic_url)
        browser.wait_for_charts(page, timeout_ms=120_000)
        assert page.get_by_text(re.compile(r"of 3,?000 events")).count() >= 1
        assert page.locator(".js-plotly-plot").count() >= 2
        drawn = page.evaluate(_MARKS_AND_NAMES)
        assert drawn["marks"] and drawn["names"]
        # every name beside its own mark: its box touches the mark's neighbourhood (a few px + the mark)
        centres = [m["at"] for m in drawn["marks"]]
        for name in drawn["names"]:
            x0, y0, x1, y1 = name["box"]
            near = [c for c in centres if x0 - 40 <= c[0] <= x1 + 40 and y0 - 40 <= c[1] <= y1 + 40]
            assert near, name
        assert not page.locator('[data-testid="stException"]').count()
        assert not errors, errors
        page.screenshot(path=str(browser.artifacts() / "browser-map-3000.png"))
