"""The map & timeline page in a real browser (headless Debian Chromium, Playwright).

Starts ``streamlit run app.py`` on a free port (``browser_support``, shared
with ``scripts/screenshot.py``), checks that the map draws its offline basemap
and markers, that the keyboard moves the date filter and the charts follow,
and that a click on a marker opens its card. Screenshots go to
``test-artifacts/``.
"""

from __future__ import annotations

import re

import browser_support as browser
import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(app_url: str):
    with browser.chromium_page() as page:
        failed: list[str] = []
        page.on("requestfailed", lambda request: failed.append(request.url))
        page.failed_requests = failed  # type: ignore[attr-defined]
        yield page


def _map_points(page) -> int:
    return page.locator(".js-plotly-plot .geo .scattergeo path.point").count()


def _summary(page) -> str:
    return page.get_by_text(re.compile(r"of \d+ events")).first.inner_text()


def test_map_and_timeline_render_offline(page, app_url):
    page.goto(app_url)
    browser.wait_for_charts(page)
    assert page.locator(".js-plotly-plot").count() >= 2
    assert page.locator(".js-plotly-plot .geo .layer.land path").count() > 0  # the basemap loaded
    assert _map_points(page) > 5
    assert page.locator(".js-plotly-plot .barlayer path").count() > 0  # timeline bars
    messages = [text for _, text in page.console_messages]
    assert not [m for m in messages if "topojson" in m.lower()], messages
    external = [url for url in page.failed_requests if not url.startswith(app_url)]
    assert not external, f"requests that needed the network: {external}"
    assert not page.outside_requests, f"the page fetched from the internet: {page.outside_requests[:5]}"
    page.screenshot(path=str(browser.artifacts() / "browser-explore.png"))


def test_keyboard_moves_the_date_filter_and_the_charts_follow(page, app_url):
    page.goto(app_url)
    browser.wait_for_charts(page)
    points_before, summary_before = _map_points(page), _summary(page)
    thumbs = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]')
    assert thumbs.count() == 2
    lower = thumbs.first
    lower.focus()
    before = lower.get_attribute("aria-valuetext")
    upper = thumbs.last.get_attribute("aria-valuetext")
    page.keyboard.press("End")  # the start handle moves up to the end handle: one month
    after = lower.get_attribute("aria-valuetext")
    assert after != before and after == upper, (before, after, upper)
    # The app reruns and writes the new range into the URL.
    page.wait_for_url(re.compile(r"from=\d{4}-\d{2}-01"), timeout=30_000)
    browser.wait_for_charts(page)
    page.wait_for_function(
        "(before) => [...document.querySelectorAll('p')].some("
        "p => /of \\d+ events match/.test(p.innerText) && p.innerText !== before)",
        arg=summary_before,
        timeout=30_000,
    )
    assert "match the filters" in _summary(page)
    assert _map_points(page) < points_before
    page.screenshot(path=str(browser.artifacts() / "browser-explore-filtered.png"))


def _element_kinds(frames: list) -> list[str]:
    """What the server sent in these websocket frames: each delta's element type
    (``plotly_chart``, ``multiselect`` …) or the message's type."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    kinds = []
    for frame in frames:
        if isinstance(frame, str):
            continue
        message = ForwardMsg()
        message.ParseFromString(frame)
        kind = message.WhichOneof("type")
        if kind == "delta":
            delta = message.delta.WhichOneof("type")
            kind = message.delta.new_element.WhichOneof("type") if delta == "new_element" else delta
        kinds.append(kind)
    return kinds


def test_a_date_change_reruns_the_charts_not_the_other_filters_or_the_card(page, app_url):
    """The date slider, charts and table are one fragment (views/explore.py): a date change
    sends them again and not the other widgets or the card; a search (a full run) does."""
    frames: list = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(payload)))
    page.goto(app_url)
    browser.wait_for_charts(page)
    browser.wait_until_idle(page)
    frames.clear()
    page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first.focus()
    page.keyboard.press("End")
    page.wait_for_url(re.compile(r"from=\d{4}-\d{2}-01"), timeout=30_000)
    browser.wait_for_charts(page)
    browser.wait_until_idle(page)
    sent = _element_kinds(frames)
    assert "script_finished" in sent, sent
    assert sent.count("plotly_chart") + sent.count("ref_hash") >= 2 and "dataframe" in sent, sent
    assert "slider" in sent, sent  # the dates are drawn by the fragment, in the sidebar
    # Nor the other filters, the era buttons, the map's switches, the lanes, the chooser.
    assert not {"text_input", "multiselect", "button", "checkbox", "button_group", "selectbox"} & set(sent), sent
    frames.clear()
    search = page.locator('[data-testid="stSidebar"] [data-testid="stTextInputField"]')
    search.fill("Xinjiang")
    search.press("Enter")
    page.wait_for_url(re.compile(r"q=Xinjiang"), timeout=30_000)
    browser.wait_for_charts(page)
    browser.wait_until_idle(page)
    sent = _element_kinds(frames)
    assert {"text_input", "multiselect", "button", "checkbox", "button_group", "selectbox", "slider"} <= set(sent), sent


def test_clicking_a_marker_opens_its_card(page, app_url):
    page.goto(app_url)
    browser.wait_for_charts(page)
    card = page.locator(".st-key-detail_card")
    assert "No event selected" in card.inner_text()
    marker = page.locator(".js-plotly-plot .geo .scattergeo path.point").last
    marker.click(force=True)
    page.wait_for_function(
        "() => document.querySelector('.st-key-detail_card blockquote') !== null", timeout=30_000
    )
    assert "Source:" in card.inner_text()
    assert "event=" in page.url
    page.screenshot(path=str(browser.artifacts() / "browser-explore-selected.png"))


#: Every name's box and every event marker's box on the page's maps, as the browser draws them.
_DRAWN_MAP = """() => {
  const texts = [], points = [];
  document.querySelectorAll('.js-plotly-plot .geo .scattergeo').forEach(group => {
    const trace = group.__data__ && group.__data__[0] && group.__data__[0].trace;
    // The browser is sent each meta as a one-item list (exchanges.charts.browser).
    const layer = trace && trace.meta ? [].concat(trace.meta)[0].layer : null;
    const box = r => [r.left, r.top, r.right, r.bottom];
    if (layer === 'names') {
      group.querySelectorAll('text').forEach(t => texts.push([t.textContent, box(t.getBoundingClientRect())]));
    } else if (layer === 'events' || layer === 'highlight') {
      group.querySelectorAll('path.point').forEach(p => {
        const r = p.getBoundingClientRect(), w = (parseFloat(getComputedStyle(p).strokeWidth) || 0) / 2;
        points.push([layer, [r.left - w, r.top - w, r.right + w, r.bottom + w]]);
      });
    }
  });
  return {texts, points};
}"""


def _names_on_markers(page) -> list:
    drawn = page.evaluate(_DRAWN_MAP)
    assert len(drawn["texts"]) >= 2 and drawn["points"]
    inner = 1.0  # px: a glyph box touching an outline is not on it

    def over(a, b):
        return a[0] + inner < b[2] and b[0] < a[2] - inner and a[1] + inner < b[3] and b[1] < a[3] - inner

    return [(name, layer) for name, text in drawn["texts"] for layer, point in drawn["points"] if over(text, point)]


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 1440, "height": 1000}],
                         ids=lambda v: f"{v['width']}x{v['height']}")
def test_place_names_keep_off_the_markers(app_url, viewport):
    """The explore page with the Xinjiang exodus selected (its ✕ enlarged) and the
    present page's step of it: no name is drawn on a marker, at either screen size."""
    with browser.chromium_page(viewport) as page:
        for path in ("?event=xinjiang-exodus-1962", "present?tour=xinjiang-1962&step=2"):
            page.goto(f"{app_url}/{path}")
            page.wait_for_function("() => document.querySelectorAll("
                                   "'.js-plotly-plot .geo .scattergeo path.point').length > 0", timeout=45_000)
            browser.wait_until_idle(page)
            assert _names_on_markers(page) == [], path
        page.screenshot(path=str(browser.artifacts() / f"browser-present-names-{viewport['width']}.png"))


def test_the_wheel_zooms_the_map_and_scrolls_the_page_elsewhere(page, app_url):
    """Over the map the wheel zooms it (issue 7; the modebar's home button resets the view);
    elsewhere it scrolls the page."""
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(app_url)
    browser.wait_for_charts(page)
    scale = "() => document.querySelector('.js-plotly-plot .geo')" \
            ".closest('.js-plotly-plot')._fullLayout.geo.projection.scale"
    before = page.evaluate(scale)
    box = page.locator(".js-plotly-plot .geo").first.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    page.wait_for_timeout(800)
    assert page.evaluate(scale) > before
    heading = page.get_by_role("heading", name="Map & timeline").bounding_box()
    page.mouse.move(heading["x"] + 20, heading["y"] + heading["height"] / 2)
    scrolled = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop")
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(800)
    assert page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTop") > scrolled


def test_timeline_dates_never_repeat(page, app_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{app_url}/?from=1962-01-01")
    browser.wait_for_charts(page)
    panels = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .xaxislayer-above')]
        .map(layer => [...layer.querySelectorAll('.xtick text, [class*="tick"] text')].map(t => t.textContent))""")
    labels = [label for panel in panels for label in panel]
    assert labels and len(set(labels)) == len(labels), labels


def test_documents_page_links_mentions_to_events(page, app_url):
    page.goto(f"{app_url}/documents")
    page.wait_for_selector('.st-key-document_text a[href*="event="]', timeout=45_000)
    assert page.locator(".st-key-document_text a").count() > 5
    assert page.locator(".st-key-document_text script").count() == 0
    page.screenshot(path=str(browser.artifacts() / "browser-documents.png"), full_page=True)
