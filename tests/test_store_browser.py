"""Two app processes on one store, in a real browser (headless Debian Chromium, Playwright).

Two ``streamlit run app.py`` servers share one user store (the same SQLite file, or the
same PostgreSQL database: a school's shared server behind a load balancer). A teacher
imports a file of events on the first; a student on the second sees them on the map page
at once (its cached catalog is keyed on the store's revision), and the first server's
page says "Saved", never more than once for the same name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import browser_support as browser
import pytest
from store_data import postgres_url_or_skip

from exchanges.paths import DATA_DIR
from exchanges.store import DATABASE_URL_ENV

pytestmark = pytest.mark.browser
TEMPLATE = DATA_DIR / "templates" / "events_template.yaml"


@pytest.fixture(params=["sqlite", "postgresql"])
def two_servers(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    if not browser.CHROMIUM.exists():
        pytest.skip(f"no Chromium at {browser.CHROMIUM}")
    env = {"EXCHANGES_USER_DATA": str(tmp_path / "user_data")}
    if request.param == "postgresql":
        env[DATABASE_URL_ENV] = postgres_url_or_skip()
    with browser.serve_app(env=env, timeout=180) as first, browser.serve_app(env=env, timeout=180) as second:
        yield first, second


def events_shown(page) -> int:  # noqa: ANN001
    return int(re.search(r"of (\d+) events", page.get_by_text(re.compile(r"of \d+ events")).first.inner_text())[1])


def test_a_save_on_one_server_shows_on_the_other(two_servers: tuple[str, str]) -> None:
    first, second = two_servers
    with browser.chromium_page() as page:
        page.set_default_timeout(180_000)
        page.goto(second)
        browser.wait_for_charts(page, timeout_ms=180_000)
        before = events_shown(page)

        teacher = page.context.browser.new_page(viewport=browser.VIEWPORT)  # another session
        teacher.set_default_timeout(180_000)
        teacher.goto(f"{first}/add-document")
        teacher.get_by_role("tab", name="Import a file of events").click()
        panel = teacher.get_by_role("tabpanel", name="Import a file of events")
        panel.locator('input[type="file"]').set_input_files(str(TEMPLATE))
        save = teacher.get_by_role("button", name=re.compile(r"Save the \d+ valid event"))
        save.wait_for()
        saved = int(re.search(r"Save the (\d+)", save.inner_text())[1])
        save.click()
        teacher.get_by_text(re.compile(rf"Saved {saved} event\(s\) as events/events_template")).wait_for()
        teacher.screenshot(path=str(browser.artifacts() / "store-two-servers-saved.png"))

        page.reload()  # the student's next page load on the other server
        browser.wait_for_charts(page, timeout_ms=180_000)
        assert events_shown(page) == before + saved
        assert not page.locator('[data-testid="stException"]').count()
