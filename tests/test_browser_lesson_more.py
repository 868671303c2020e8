"""More of the lesson in a real browser (Playwright + Debian Chromium): the
review table of "Add a document" and the deck download of the Present page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import browser_support as browser
import pytest

pytestmark = pytest.mark.browser

#: An invented document (not a real archive text): a date line, then places and dates of 1955.
DOCUMENT = """March 12, 1955

Memorandum of conversation

On 3 March 1955 the Soviet consul in Harbin met the city's authorities. He reported that 1,200 Soviet \
citizens in Harbin had asked to return home. On 10 March 1955 the embassy in Moscow proposed to send \
them by train from Harbin in April 1955."""

TOUR = "repatriation-1952"


def _grid_headers(page, selector: str) -> list[str]:
    """Every column header of a glide data grid (it draws only the visible ones): wheel it sideways."""
    grid = page.locator(f"{selector} .dvn-scroller")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 20)
    seen: list[str] = []
    left = -1
    while True:
        for name in page.locator(f"{selector} [role=columnheader]").all_inner_texts():
            if name.strip() not in seen:
                seen.append(name.strip())
        now = grid.evaluate("el => el.scrollLeft")
        if now == left:
            return seen
        left = now
        page.mouse.wheel(400, 0)
        page.wait_for_timeout(400)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not browser.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    user_data = tmp_path_factory.mktemp("user_data")
    with browser.serve_app("app.py", env={"EXCHANGES_USER_DATA": str(user_data)}) as url:
        yield url


def test_the_review_table_shows_every_field_and_reports_what_was_saved(base: str) -> None:
    from playwright.sync_api import expect

    with browser.chromium_page({"width": 1440, "height": 900}) as page:
        page.goto(f"{base}/{browser.page_url_path('views/add_document.py')}", wait_until="domcontentloaded")
        text = page.get_by_label("Document text")
        expect(text).to_be_visible(timeout=60_000)
        text.fill(DOCUMENT)
        page.keyboard.press("Control+Enter")
        browser.wait_until_idle(page)
        page.locator(".st-key-add_doc_analyse button").click()
        expect(page.get_by_role("heading", name="Proposed events")).to_be_visible(timeout=60_000)
        editor = page.locator(".st-key-add_doc_editor")
        expect(editor.locator("[role=columnheader]").first).to_be_attached(timeout=60_000)
        browser.wait_until_idle(page)

        headers = _grid_headers(page, ".st-key-add_doc_editor")
        for column in ("sender", "recipient", "people", "places", "themes", "figures"):
            assert column in headers, headers

        page.locator(".st-key-add_doc_save button").click()
        expect(page.get_by_text(re.compile(r"Saved \d+ of the \d+ kept row\(s\)"))).to_be_visible(timeout=60_000)
        expect(page.get_by_text(re.compile(r"row 1, .*: saved as")).first).to_be_visible(timeout=30_000)
        assert page.outside_requests == [], page.outside_requests[:5]


def test_the_present_page_downloads_the_tour_as_a_pdf_deck(base: str, tmp_path) -> None:
    import yaml
    from playwright.sync_api import expect
    from pypdf import PdfReader

    from exchanges.paths import TOURS_DIR

    tour = yaml.safe_load((TOURS_DIR / f"{TOUR}.yaml").read_text(encoding="utf-8"))
    with browser.chromium_page({"width": 1440, "height": 900}) as page:
        page.goto(f"{base}/{browser.page_url_path('views/present.py')}?tour={TOUR}", wait_until="domcontentloaded")
        expect(page.locator(".st-key-present-counter")).to_contain_text("1 /", timeout=60_000)
        browser.wait_until_idle(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        if not sidebar.is_visible() or sidebar.get_attribute("aria-expanded") == "false":
            page.locator(
                '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapsedControl"] button'
            ).first.click()
        expander = sidebar.get_by_text("Download this tour as slides")
        expect(expander).to_be_visible(timeout=30_000)
        expander.click()
        button = sidebar.get_by_role("button", name="Slides (PDF)")
        expect(button).to_be_visible(timeout=30_000)
        with page.expect_download(timeout=300_000) as download_info:
            button.click()
        path = tmp_path / "deck.pdf"
        download_info.value.save_as(path)

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == len(tour["steps"]) + 1
    assert tour["title"] in reader.pages[0].extract_text()
    assert reader.metadata.title == tour["title"]
