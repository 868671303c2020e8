"""The presentation page in a real browser: the arrow keys step through a tour.

Starts ``streamlit run app.py`` (or the page alone, if the app's navigation
does not list it yet) on a free port and drives it with Playwright in the
Debian Chromium. Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path(os.environ.get("BROWSER_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TOUR = "xinjiang-1962"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _url_path_in_app() -> str | None:
    """The URL path app.py's navigation gives the page, or None if it does not list it."""
    app = ROOT / "app.py"
    if not app.exists():
        return None
    # An entry of PAGES: ("views/present.py", "Title", [icon,] "url-path").
    entry = re.search(
        r'\(\s*"views/present\.py"\s*(?:,\s*"[^"]*"\s*)*?,\s*"([^"]+)"\s*\)',
        app.read_text(encoding="utf-8"),
    )
    return entry.group(1) if entry else None


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running app (the present page's URL)."""
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    port = _free_port()
    url_path = _url_path_in_app()
    script = "app.py" if url_path else "views/present.py"
    log = (tmp_path_factory.mktemp("streamlit") / "server.log").open("w")
    env = {**os.environ, "EXCHANGES_USER_DATA": str(tmp_path_factory.mktemp("user_data"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script,
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {log.name}")
            time.sleep(0.3)
        yield f"{base}/{url_path}" if url_path else base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _is_local(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


def _wait_until_idle(page) -> None:
    """Until the script run is over and the charts are drawn (for screenshots)."""
    from playwright.sync_api import expect

    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)
    expect(page.locator(".st-key-present-card")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(800)


def _counter(page) -> str:
    return page.locator(".st-key-present-counter").inner_text().strip()


def test_arrow_keys_step_through_a_tour(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            outside: list[str] = []
            page.on("request", lambda r: outside.append(r.url) if not _is_local(r.url) else None)
            page.goto(f"{server}?tour={TOUR}", wait_until="domcontentloaded")
            counter = page.locator(".st-key-present-counter")
            expect(counter).to_have_text(re.compile(r"^\s*1 / \d+\s*$"), timeout=60_000)
            total = int(_counter(page).split("/")[1])
            next_button = page.locator(".st-key-present_next button")
            expect(next_button).to_be_enabled(timeout=60_000)
            _wait_until_idle(page)
            page.screenshot(path=str(ARTIFACTS / "present_step1.png"))

            for expected in (2, 3, 4):
                expect(next_button).to_be_enabled(timeout=30_000)
                page.keyboard.press("ArrowRight")
                expect(counter).to_have_text(re.compile(rf"^\s*{expected} / {total}\s*$"), timeout=30_000)
            expect(page.get_by_role("heading", level=3).first).to_be_visible()
            _wait_until_idle(page)
            page.screenshot(path=str(ARTIFACTS / "present_step4.png"))
            assert _counter(page) == f"4 / {total}"
            assert re.search(r"[?&]step=4\b", page.url), page.url

            page.keyboard.press("ArrowLeft")
            expect(counter).to_have_text(re.compile(rf"^\s*3 / {total}\s*$"), timeout=30_000)

            # A link straight to a step, and a junk step that is clamped with a note.
            page.goto(f"{server}?tour={TOUR}&step=999", wait_until="domcontentloaded")
            expect(counter).to_have_text(re.compile(rf"^\s*{total} / {total}\s*$"), timeout=60_000)
            expect(page.get_by_text(re.compile("showing the last one"))).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "present_clamped.png"))
            assert outside == [], f"the page fetched from the internet: {outside[:5]}"
        finally:
            browser.close()
