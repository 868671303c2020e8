"""The presentation page in a real browser: the arrow keys step through a tour.

Starts the whole app (``streamlit run app.py``, so its offline basemap is
served) and opens its Present page (``/present``, the URL path ``app.PAGES``
gives it), driven with Playwright in the Debian Chromium (``browser_support``).
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import browser_support as browser
import pytest

pytestmark = pytest.mark.browser

TOUR = "xinjiang-1962"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the present page of a running app."""
    if not browser.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    env = {"EXCHANGES_USER_DATA": str(tmp_path_factory.mktemp("user_data"))}
    with browser.serve_app("app.py", env=env) as base:
        yield f"{base}/{browser.page_url_path('views/present.py')}"


def _wait_until_idle(page) -> None:
    """Until the script run is over and the slide is drawn (for screenshots)."""
    from playwright.sync_api import expect

    expect(page.locator(".st-key-present-card")).to_be_visible(timeout=60_000)
    browser.wait_until_idle(page)


def _counter(page) -> str:
    return page.locator(".st-key-present-counter").inner_text().strip()


def test_arrow_keys_step_through_a_tour(server: str) -> None:
    from playwright.sync_api import expect

    artifacts = browser.artifacts()
    with browser.chromium_page({"width": 1280, "height": 720}) as page:
        page.goto(f"{server}?tour={TOUR}", wait_until="domcontentloaded")
        counter = page.locator(".st-key-present-counter")
        expect(counter).to_have_text(re.compile(r"^\s*1 / \d+\s*$"), timeout=60_000)
        total = int(_counter(page).split("/")[1])
        next_button = page.locator(".st-key-present_next button")
        expect(next_button).to_be_enabled(timeout=60_000)
        _wait_until_idle(page)
        # The app serves the basemap: the map has land, not only markers.
        expect(page.locator(".js-plotly-plot .geo .layer.land path").first).to_be_attached(timeout=30_000)
        page.screenshot(path=str(artifacts / "present_step1.png"))

        for expected in (2, 3, 4):
            expect(next_button).to_be_enabled(timeout=30_000)
            page.keyboard.press("ArrowRight")
            expect(counter).to_have_text(re.compile(rf"^\s*{expected} / {total}\s*$"), timeout=30_000)
        expect(page.get_by_role("heading", level=3).first).to_be_visible()
        _wait_until_idle(page)
        page.screenshot(path=str(artifacts / "present_step4.png"))
        assert _counter(page) == f"4 / {total}"
        assert re.search(r"[?&]step=4\b", page.url), page.url

        page.keyboard.press("ArrowLeft")
        expect(counter).to_have_text(re.compile(rf"^\s*3 / {total}\s*$"), timeout=30_000)

        # A link straight to a step, and a junk step that is clamped with a note.
        page.goto(f"{server}?tour={TOUR}&step=999", wait_until="domcontentloaded")
        expect(counter).to_have_text(re.compile(rf"^\s*{total} / {total}\s*$"), timeout=60_000)
        expect(page.get_by_text(re.compile("showing the last one"))).to_be_visible()
        page.screenshot(path=str(artifacts / "present_clamped.png"))
        assert page.outside_requests == [], f"the page fetched from the internet: {page.outside_requests[:5]}"


# --------------------------------------------------------------------------- read from the back row

#: Smallest type on a 1280x720 projector slide, in CSS px.
MIN_QUOTE_PX, MIN_BODY_PX, MIN_SOURCE_PX = 28, 22, 18
#: WCAG AA for normal text.
MIN_CONTRAST = 4.5

# Font sizes, contrast against the page, what scrolls inside a box, and where the
# map and the quote end, for the slide on screen.
MEASURE_SLIDE = """() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const text = (el) => {
    const style = getComputedStyle(el);
    const fg = parse(style.color), bg = background(el);
    const alpha = fg.length > 3 ? fg[3] : 1;
    const mixed = fg.slice(0, 3).map((v, i) => alpha * v + (1 - alpha) * bg[i]);
    const opacity = Number(style.opacity);
    const seen = mixed.map((v, i) => opacity * v + (1 - opacity) * bg[i]);
    const [hi, lo] = [lum(seen), lum(bg)].sort((a, b) => b - a);
    return {px: parseFloat(style.fontSize), contrast: (hi + 0.05) / (lo + 0.05), text: el.innerText.slice(0, 40)};
  };
  const all = (sel) => [...document.querySelectorAll(sel)].filter((el) => el.innerText.trim());
  const bottom = (sel) => {
    const el = document.querySelector(sel);
    return el ? el.getBoundingClientRect().bottom : null;
  };
  const scrolling = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    if (el.closest('.js-plotly-plot')) continue;
    const style = getComputedStyle(el);
    if (/(auto|scroll)/.test(style.overflowY + style.overflowX) &&
        (el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)) {
      scrolling.push((el.className || el.tagName).toString().slice(0, 60));
    }
  }
  return {
    quote: all('.st-key-present-card blockquote p').map(text),
    body: all('.st-key-present-card p:not(blockquote p):not(button p)').map(text),
    source: all('.st-key-present-source p').map(text),
    mapnote: all('.st-key-present-mapnote p').map(text),
    scrolling,
    mapBottom: bottom('.st-key-present-map'),
    quoteBottom: bottom('.st-key-present-card blockquote'),
    quoteText: (document.querySelector('.st-key-present-card blockquote') || {innerText: ''}).innerText,
    captionTrimmed: all('.st-key-present-card p:not(blockquote p):not(button p)')
      .some((el) => el.innerText.trim().endsWith('…')),
    wholePassageButton: document.querySelectorAll('.st-key-present_whole_passage button').length,
    fold: window.innerHeight,
  };
}"""


def _shipped_tours() -> list[tuple[str, int]]:
    import yaml

    from exchanges.paths import TOURS_DIR

    tours = []
    for path in sorted(TOURS_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        tours.append((data["id"], len(data["steps"])))
    return tours


def _measure_settled(page, tries: int = 6) -> dict:
    """The slide's measures once two in a row agree (the last elements of a rerun can land late)."""
    last = page.evaluate(MEASURE_SLIDE)
    for _ in range(tries):
        page.wait_for_timeout(400)
        current = page.evaluate(MEASURE_SLIDE)
        if current == last:
            break
        last = current
    return last


def _check_legible(slide: dict, where: str) -> list[str]:
    """What is wrong with one measured slide (empty: nothing)."""
    problems = []
    for kind, least in (("quote", MIN_QUOTE_PX), ("body", MIN_BODY_PX), ("source", MIN_SOURCE_PX),
                        ("mapnote", MIN_SOURCE_PX)):
        if not slide[kind]:
            problems.append(f"{where}: no {kind} on the slide")
        for piece in slide[kind]:
            if piece["px"] < least - 0.05:
                problems.append(f"{where}: {kind} {piece['text']!r} is {piece['px']:.1f} px (< {least})")
            if piece["contrast"] < MIN_CONTRAST:
                problems.append(f"{where}: {kind} {piece['text']!r} contrast {piece['contrast']:.2f} (< 4.5)")
    if slide["scrolling"]:
        problems.append(f"{where}: scrolls inside a box: {slide['scrolling']}")
    for part in ("mapBottom", "quoteBottom"):
        if slide[part] is None or slide[part] > slide["fold"]:
            problems.append(f"{where}: {part} {slide[part]} is below the fold {slide['fold']}")
    trimmed = slide["quoteText"].rstrip().endswith("…") or slide["captionTrimmed"]
    if trimmed != bool(slide["wholePassageButton"]):
        problems.append(f"{where}: trimmed quote {trimmed} but whole-passage button {slide['wholePassageButton']}")
    return problems


def test_every_step_of_every_tour_reads_from_the_back_row(server: str) -> None:
    """1280x720, projector mode (the default): on every step of every shipped tour the quote is
    ≥ 28 px, the card's text ≥ 22 px, the source line and the map note ≥ 18 px, all with AA contrast;
    nothing scrolls inside a box; the map and the quote end above the fold; a trimmed quote ends
    with "…" and offers the whole passage."""
    from playwright.sync_api import expect

    problems: list[str] = []
    steps_seen = 0
    with browser.chromium_page({"width": 1280, "height": 720}) as page:
        for tour, total in _shipped_tours():
            page.goto(f"{server}?tour={tour}&step=1", wait_until="domcontentloaded")
            counter = page.locator(".st-key-present-counter")
            for number in range(1, total + 1):
                expect(counter).to_have_text(re.compile(rf"^\s*{number} / {total}\s*$"), timeout=60_000)
                _wait_until_idle(page)
                problems += _check_legible(_measure_settled(page), f"{tour} step {number}")
                steps_seen += 1
                if number < total:
                    expect(page.locator(".st-key-present_next button")).to_be_enabled(timeout=30_000)
                    page.keyboard.press("ArrowRight")
    assert steps_seen == sum(total for _, total in _shipped_tours())
    assert not problems, "\n".join(problems)


def test_the_whole_passage_is_one_click_away(server: str) -> None:
    """A trimmed quote (step 12 of the 1962 tour): the button opens the passage in full."""
    import yaml

    from exchanges.paths import DATA_DIR, TOURS_DIR

    tour = yaml.safe_load((TOURS_DIR / f"{TOUR}.yaml").read_text(encoding="utf-8"))
    event_id = tour["steps"][11]["event"]
    events = yaml.safe_load((DATA_DIR / "events.yaml").read_text(encoding="utf-8"))
    events = events["events"] if isinstance(events, dict) else events
    passage = " ".join(next(e for e in events if e["id"] == event_id)["source"]["passage"].split())
    from playwright.sync_api import expect

    with browser.chromium_page({"width": 1280, "height": 720}) as page:
        page.goto(f"{server}?tour={TOUR}&step=12", wait_until="domcontentloaded")
        _wait_until_idle(page)
        quote = page.locator(".st-key-present-card blockquote").inner_text()
        assert quote.rstrip().endswith("…") and len(quote) < len(passage)
        page.locator(".st-key-present_whole_passage button").click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_be_visible(timeout=30_000)
        shown = " ".join(dialog.locator("blockquote").inner_text().split())
        assert shown == passage
        page.screenshot(path=str(browser.artifacts() / "present_whole_passage.png"))
