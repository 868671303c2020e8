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
