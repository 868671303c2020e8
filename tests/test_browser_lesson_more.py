"""More of the lesson in a real browser (Playwright + Debian Chromium): the
review table of "Add a document" and the deck download of the Present page."""

from __future__ import annotations

import io
import re
from pathlib import Path

import browser_support as browser
import pytest
from store_data import saved_sets

pytestmark = pytest.mark.browser

#: An invented document (not a real archive text): a date line, then places and dates of 1955.
DOCUMENT = """March 12, 1955

Memorandum of conversation

On 3 March 1955 the Soviet consul in Harbin met the city's authorities. He reported that 1,200 Soviet \
citizens in Harbin had asked to return home. On 10 March 1955 the embassy in Moscow proposed to send \
them by train from Harbin in April 1955."""

PASSAGE = "He reported that 1,200 Soviet citizens in Harbin had asked to return home."
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


def _open_the_review_table(page, base: str):  # type: ignore[no-untyped-def]
    """Paste DOCUMENT on the Add a document page, analyse it; the review table's locator."""
    from playwright.sync_api import expect

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
    return editor


def test_the_review_table_shows_every_field_and_reports_what_was_saved(app_url: str) -> None:
    from playwright.sync_api import expect

    with browser.chromium_page({"width": 1440, "height": 900}) as page:
        _open_the_review_table(page, app_url)
        headers = _grid_headers(page, ".st-key-add_doc_editor")
        for column in ("sender", "recipient", "people", "places", "themes", "figures"):
            assert column in headers, headers

        page.locator(".st-key-add_doc_save button").click()
        expect(page.get_by_text(re.compile(r"Saved \d+ of the \d+ kept row\(s\)"))).to_be_visible(timeout=60_000)
        expect(page.get_by_text(re.compile(r"row 1, .*: saved as")).first).to_be_visible(timeout=30_000)
        assert page.outside_requests == [], page.outside_requests[:5]


def _submit_the_added_event(page, report: str) -> None:  # type: ignore[no-untyped-def]
    """Click "Add this event" until the page reports the row: on a loaded machine the click can be
    lost (CI, twice: the form's fields still held what was typed, and no run followed). It is
    clicked again only once the page is idle with the title still typed and no report: a click
    that registered reruns the page, which clears the form."""
    from playwright.sync_api import expect

    title = page.locator(".st-key-add_doc_add_title input")
    shown = page.get_by_text(report)
    for _ in range(3):
        expect(title).not_to_have_value("")
        page.locator(".st-key-add_doc_add_submit button").click()
        try:
            expect(shown).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            browser.wait_until_idle(page)
            if shown.count() or not title.input_value():
                break  # it registered: the run is slow, not lost
    expect(shown).to_be_visible(timeout=60_000)


def test_an_event_typed_beside_the_table_is_kept_reported_and_saved(app_url: str, app_user_data: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """"Add an event" beside the review table: a title alone is kept and reported as missing its
    summary and passage (nothing saved); removed, typed again in full, with a rerun of the page in
    between, it is saved as an event with what was typed, and the report says so."""
    from playwright.sync_api import expect

    with browser.chromium_page({"width": 1440, "height": 900}) as page:
        editor = _open_the_review_table(page, app_url)
        new = editor.locator("[role=row]").count()  # (the header): the row after the table's
        page.get_by_text("Add an event the table is missing").click()
        title = page.locator(".st-key-add_doc_add_title input")
        expect(title).to_be_visible(timeout=30_000)

        title.fill("Typed new event title")
        _submit_the_added_event(page, f"rows {new} to {new} of the save report")
        browser.wait_until_idle(page)
        page.locator(".st-key-add_doc_save button").click()
        expect(page.get_by_text("Nothing saved: some rows of the table are not valid.")).to_be_visible(timeout=60_000)
        line = page.get_by_role("listitem").filter(has_text=re.compile(rf"^row {new}, Typed new event title: "))
        expect(line).to_contain_text("summary: required field is missing", timeout=30_000)
        expect(line).to_contain_text("passage: an added event needs a passage")
        expect(page.get_by_role("listitem").filter(
            has_text=re.compile(r"^row 1, .*: not saved — nothing is saved while another row")).first).to_be_visible()
        browser.wait_until_idle(page)

        page.locator(".st-key-add_doc_add_clear button").click()
        expect(page.get_by_text("of the save report")).to_have_count(0, timeout=60_000)
        browser.wait_until_idle(page)
        title.fill("Typed new event title")
        page.locator(".st-key-add_doc_add_summary textarea").fill("Typed summary of the new event")
        page.locator(".st-key-add_doc_add_passage textarea").fill(PASSAGE)
        _submit_the_added_event(page, f"rows {new} to {new} of the save report")
        browser.wait_until_idle(page)
        document_title = page.locator(".st-key-add_doc_title input")  # the page runs again
        document_title.fill("Memorandum about Harbin")
        document_title.press("Enter")
        browser.wait_until_idle(page)
        page.locator(".st-key-add_doc_save button").click()
        expect(page.get_by_text(f"Saved {new} of the {new} kept row(s)", exact=False)).to_be_visible(timeout=60_000)
        expect(page.get_by_role("listitem").filter(
            has_text=re.compile(rf"^row {new}, Typed new event title: saved as"))).to_be_visible()
        page.screenshot(path=str(browser.artifacts() / "review_added_event.png"), full_page=True)
        assert page.outside_requests == [], page.outside_requests[:5]

    monkeypatch.setenv("EXCHANGES_USER_DATA", str(app_user_data))
    [typed] = [r for records in saved_sets().values() for r in records if r["title"] == "Typed new event title"]
    assert typed["summary"] == "Typed summary of the new event"
    assert typed["source"]["passage"] == PASSAGE and typed["date"] == "1955-03-12"


def test_the_present_page_downloads_the_tour_as_a_pdf_deck(app_url: str, tmp_path) -> None:
    import yaml
    from playwright.sync_api import expect
    from pypdf import PdfReader

    from exchanges.paths import TOURS_DIR

    tour = yaml.safe_load((TOURS_DIR / f"{TOUR}.yaml").read_text(encoding="utf-8"))
    with browser.chromium_page({"width": 1440, "height": 900}) as page:
        page.goto(f"{app_url}/{browser.page_url_path('views/present.py')}?tour={TOUR}", wait_until="domcontentloaded")
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
