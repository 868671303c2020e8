"""Hostile uploads in a real browser (headless Debian Chromium, Playwright; issue 13).

A year-9999 row and a "billion laughs" YAML, uploaded on the *Add document*
page, are listed as problems (the valid row of the same file can be saved),
and another session's map & timeline page still opens and draws — before the
fix one upload froze the server for a minute or broke the default page for
everyone. User text that looks like a web address stays text.
"""

from __future__ import annotations

import re
import time

import browser_support as browser
import pytest

pytestmark = pytest.mark.browser

DOCUMENT = "gromyko-to-stalin-1952-01-07"
HEADER = "id,title,date,date_precision,event_type,summary,source_document,source_passage\n"
YEAR_9999 = (HEADER + f"far-future,The far future,9999-12-31,day,letter,s,{DOCUMENT},Top Secret\n"
             + f"web-title,See https://evil.example/x and www.evil.example,1952-01-07,day,letter,"
               f"Summary at https://evil.example/y,{DOCUMENT},Top Secret\n")
LAUGHS = ("- id: laughs\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
          + "".join(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
          + "  title: *a8\n")


def upload(page, url: str, name: str, data: str) -> None:
    page.set_default_timeout(180_000)  # a busy CI machine: the page itself may take a while
    page.goto(f"{url}/add-document")
    page.get_by_role("tab", name="Import a file of events").click()
    panel = page.get_by_role("tabpanel", name="Import a file of events")
    panel.locator('input[type="file"]').set_input_files(
        files=[{"name": name, "mimeType": "text/plain", "buffer": data.encode("utf-8")}])
    # the verdict line ("N valid event(s), M problem(s).") — not the save button, which says "valid event(s)" too
    panel.get_by_text(re.compile(r"valid event\(s\), \d+ problem\(s\)")).wait_for(timeout=180_000)
    browser.wait_until_idle(page)


def explore_still_works(page, url: str, events: int) -> None:
    """Another session (a new browser context) opens the default page and draws both charts."""
    other = page.context.browser.new_page(viewport=browser.VIEWPORT)
    errors: list[str] = []
    other.on("pageerror", lambda error: errors.append(str(error)))
    try:
        other.goto(url)
        browser.wait_for_charts(other, timeout_ms=180_000)
        assert f"of {events} events" in other.get_by_text(re.compile(r"of \d+ events")).first.inner_text()
        assert not errors
        assert not other.locator('[data-testid="stException"]').count()
    finally:
        other.close()


def test_billion_laughs_upload_is_refused_quickly(app_url: str) -> None:
    with browser.chromium_page() as page:
        start = time.monotonic()
        upload(page, app_url, "laughs.yaml", LAUGHS)
        assert time.monotonic() - start < 120  # seconds; the server froze for 66 s before, idle
        panel = page.get_by_role("tabpanel", name="Import a file of events")
        assert "more than 100,000 values" in panel.inner_text()
        page.screenshot(path=str(browser.artifacts() / "hostile-upload-laughs.png"))
        explore_still_works(page, app_url, 32)


def test_year_9999_row_is_listed_and_the_rest_saved(app_url: str) -> None:
    with browser.chromium_page() as page:
        upload(page, app_url, "![i](x).csv", YEAR_9999)
        panel = page.get_by_role("tabpanel", name="Import a file of events")
        panel.locator('[data-testid="stMarkdownContainer"]').get_by_text(
            re.compile("outside the years 1800-2100")).first.wait_for()
        assert "1 valid event(s), 1 problem(s)" in panel.inner_text()
        assert panel.locator('a[href*="evil.example"]').count() == 0  # addresses stay text
        assert panel.locator("img").count() == 0  # the file name is not markup
        page.get_by_role("button", name=re.compile("Save the 1 valid event")).click()
        page.get_by_text(re.compile("Saved 1 event")).wait_for(timeout=180_000)
        page.screenshot(path=str(browser.artifacts() / "hostile-upload-9999.png"))
        explore_still_works(page, app_url, 33)
    with browser.chromium_page() as page:  # the saved event's title, shown on the explore page
        page.goto(f"{app_url}/?event=web-title")
        browser.wait_for_charts(page, timeout_ms=180_000)
        assert page.get_by_text("https://evil.example/x", exact=False).count() > 0
        assert page.locator('a[href*="evil.example"]').count() == 0
