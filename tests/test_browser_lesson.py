"""The tour builder and the search hints in a real browser (Playwright + Debian Chromium)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import browser_support as browser
import pytest

pytestmark = pytest.mark.browser


def test_a_copied_tour_is_saved_and_presented(app_url: str, app_user_data: Path) -> None:
    from playwright.sync_api import expect

    url, user_data = app_url, app_user_data
    with browser.chromium_page({"width": 1440, "height": 900}) as page:
        page.goto(f"{url}/{browser.page_url_path('views/tour_builder.py')}", wait_until="domcontentloaded")
        expect(page.get_by_role("heading", name="Build a tour")).to_be_visible(timeout=60_000)
        browser.wait_until_idle(page)
        page.get_by_text("A copy of a tour").click()
        browser.wait_until_idle(page)
        page.locator(".st-key-tb_start_button button").first.click()
        expect(page.get_by_role("heading", name="2. The steps (9)")).to_be_visible(timeout=30_000)
        browser.wait_until_idle(page)
        page.locator(".st-key-tb_save button").first.click()
        expect(page.get_by_text("It is in the Present page's tour menu now")).to_be_visible(timeout=30_000)
        with closing(sqlite3.connect(user_data / "exchanges.sqlite3")) as store:  # the app's store
            saved = [name for (name,) in store.execute("SELECT name FROM tours")]
        assert len(saved) == 1
        page.goto(f"{url}/present?tour={saved[0]}", wait_until="domcontentloaded")
        expect(page.locator(".st-key-present-counter")).to_have_text("1 / 9", timeout=60_000)
        assert page.outside_requests == [], page.outside_requests[:5]


def test_a_search_for_an_old_name_says_what_it_matched(app_url: str) -> None:
    from playwright.sync_api import expect

    url = app_url
    with browser.chromium_page({"width": 1440, "height": 900}) as page:
        page.goto(f"{url}/?q=Tientsin", wait_until="domcontentloaded")
        expect(page.locator(".st-key-flt_search_hints")).to_contain_text("“Tientsin” → Tianjin", timeout=60_000)
