"""Running the real app in a real browser: shared by the browser tests and
``scripts/screenshot.py``.

``serve_app`` starts ``streamlit run app.py`` on a free local port (headless,
no usage statistics, static serving on for the offline basemap, output to
``test-artifacts/streamlit-<port>.log``) and stops it afterwards;
``chromium_page`` opens a Playwright page in Debian's headless Chromium.
Nothing here touches the network.
"""

from __future__ import annotations

import ast
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
from typing import Any
from urllib.parse import urlparse

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
VIEWPORT = {"width": 1440, "height": 1000}


def artifacts() -> Path:
    """``test-artifacts/`` (made if missing): screenshots and server logs."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page_url_path(script: str, app: Path = ROOT / "app.py") -> str:
    """The URL path ``app.py`` gives a page, read from its ``PAGES`` list of
    ``(script, title, url_path)`` (the first page is served at "/" too)."""
    tree = ast.parse(app.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        target = getattr(node, "target", None) or next(iter(getattr(node, "targets", [])), None)
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(target, ast.Name) and target.id == "PAGES":
            for page_script, _title, url_path in ast.literal_eval(node.value):
                if page_script == script:
                    return url_path
    raise LookupError(f"{app.name} lists no page {script!r} in PAGES")


@contextlib.contextmanager
def serve_app(
    script: str = "app.py", *, env: dict[str, str] | None = None, timeout: float = 60
) -> Iterator[str]:
    """Run the app in a subprocess; yield its base URL; stop it afterwards."""
    with serve_process(script, env=env, timeout=timeout) as (url, _process):
        yield url


@contextlib.contextmanager
def serve_process(
    script: str = "app.py", *, env: dict[str, str] | None = None, timeout: float = 60, log_name: str = "streamlit"
) -> Iterator[tuple[str, subprocess.Popen]]:
    """:func:`serve_app`, yielding the server's process too (``bench/bench_sessions.py`` reads its
    memory); its output goes to ``test-artifacts/<log_name>-<port>.log``."""
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
    log_path = artifacts() / f"{log_name}-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=process_env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, process, timeout, log_path)
            yield url, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}; see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s; see {log_path}")


def is_local(url: str) -> bool:
    """True for the app's own server and for in-page data (no network needed)."""
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


@contextlib.contextmanager
def chromium_page(viewport: dict[str, int] | None = None) -> Iterator[Any]:
    """A Playwright page in headless Debian Chromium.

    Kept on the page for the tests to check: ``page.console_messages`` (a list
    of (type, text)) and ``page.outside_requests`` (every URL it asked for
    that is not local, see :func:`is_local`).
    """
    from playwright.sync_api import sync_playwright  # only for browser runs

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport or VIEWPORT)
            messages: list[tuple[str, str]] = []
            outside: list[str] = []
            page.on("console", lambda message: messages.append((message.type, message.text)))
            page.on("pageerror", lambda error: messages.append(("pageerror", str(error))))
            page.on("request", lambda request: outside.append(request.url) if not is_local(request.url) else None)
            page.console_messages = messages
            page.outside_requests = outside
            yield page
        finally:
            browser.close()


def wait_for_charts(page: Any, *, timeout_ms: int = 45_000) -> None:
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
    wait_until_idle(page)


def wait_until_idle(page: Any, *, timeout_ms: int = 60_000) -> None:
    """Until the script run is over (no "Running…" widget), then a moment for the last layout pass."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=timeout_ms)
    page.wait_for_timeout(800)


def hide_streamlit_chrome(page: Any) -> None:
    """Hide the toolbar and running indicator, which are not part of the app."""
    page.add_style_tag(
        content='[data-testid="stToolbar"], [data-testid="stStatusWidget"], '
        '[data-testid="stDecoration"] { visibility: hidden !important; }'
    )
