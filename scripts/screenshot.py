"""Screenshot the running app for the README, and the helpers the browser tests use.

    .venv/bin/python scripts/screenshot.py [--out docs/screenshot-explore.png] [--event ID]

Starts ``streamlit run app.py`` on a free port (headless, no usage stats,
static serving on for the offline basemap), opens it in Debian's Chromium with
Playwright, waits until the map and the timeline are drawn, and saves a
screenshot. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1440, "height": 1000}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_app(
    script: str = "app.py", *, env: dict[str, str] | None = None, timeout: float = 60
) -> Iterator[str]:
    """Run the app in a subprocess; yield its base URL; stop it afterwards."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.enableStaticServing", "true",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    process_env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false", **(env or {})}
    log = open(ROOT / "test-artifacts" / f"streamlit-{port}.log", "w") if _artifacts() else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=ROOT, env=process_env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, timeout)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if log is not subprocess.DEVNULL:
            log.close()


def _artifacts() -> Path:
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@contextlib.contextmanager
def chromium_page(viewport: dict[str, int] | None = None):
    """A Playwright page in headless Debian Chromium; console messages are kept
    in ``page.console_messages`` (a list of (type, text))."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only for browser runs

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport or VIEWPORT)
            messages: list[tuple[str, str]] = []
            page.on("console", lambda message: messages.append((message.type, message.text)))
            page.on("pageerror", lambda error: messages.append(("pageerror", str(error))))
            page.console_messages = messages  # type: ignore[attr-defined]
            yield page
        finally:
            browser.close()


def wait_for_charts(page, *, timeout_ms: int = 45_000) -> None:
    """Wait until the map (a geo subplot with event markers) and the timeline are drawn."""
    page.wait_for_function(
        """() => {
            const plots = document.querySelectorAll('.js-plotly-plot');
            if (plots.length < 2) return false;
            const geo = document.querySelector('.js-plotly-plot .geo');
            if (!geo) return false;
            const land = geo.querySelectorAll('.layer.land path');
            const markers = geo.querySelectorAll('.scattergeo path.point');
            const bars = document.querySelectorAll('.js-plotly-plot .barlayer path, .js-plotly-plot .scatterlayer path.point');
            return land.length > 0 && markers.length > 0 && bars.length > 0;
        }""",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(800)  # let the last layout pass settle before a screenshot


def hide_streamlit_chrome(page) -> None:
    """Hide the toolbar and running indicator, which are not part of the app."""
    page.add_style_tag(
        content='[data-testid="stToolbar"], [data-testid="stStatusWidget"], '
        '[data-testid="stDecoration"] { visibility: hidden !important; }'
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-explore.png")
    parser.add_argument("--event", default="soviet-statement-1962-08-10", help="event to select")
    parser.add_argument("--path", default="", help="page path, e.g. documents")
    parser.add_argument("--height", type=int, default=1400, help="viewport height in px")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with serve_app() as url, chromium_page({"width": VIEWPORT["width"], "height": args.height}) as page:
        query = f"?event={args.event}" if args.event else ""
        page.goto(f"{url}/{args.path}{query}")
        if not args.path:
            wait_for_charts(page)
        else:
            page.wait_for_selector('[data-testid="stMarkdownContainer"]', timeout=45_000)
            page.wait_for_timeout(1500)
        hide_streamlit_chrome(page)
        page.screenshot(path=str(args.out), full_page=False)
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
