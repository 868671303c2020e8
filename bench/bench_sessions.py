"""A class at once: N concurrent browser sessions changing a filter, the app versus a plain app.

    .venv/bin/python bench/bench_sessions.py --sessions 5 [--changes 5] [--user-data /tmp/syn3000]
    .venv/bin/python bench/bench_sessions.py --sessions 30 --changes 5

For each app — ours (``app.py``, the *Map & timeline* page) and the naive baseline
(``bench/plain_app.py``: a plain ``st.slider`` and two ``px`` charts rebuilt on every
rerun) — a fresh Streamlit server is started (``tests/browser_support.serve_process``,
as the browser tests do), then N Playwright browser contexts (one headless Chromium, each context its own
session) open the page at once, wait for both charts, and change the date filter
``--changes`` times each (the first slider's lower handle, with the keyboard: End, to the
upper handle, then Home, back, …: every change redraws both charts), all sessions at the
same time. Printed per app:

* time to the first page with both charts drawn (p50, p95);
* time from a filter change to both charts redrawn (p50, p95): Plotly's
  ``plotly_afterplot`` event on both chart elements, or both replaced and drawn
  shown (Streamlit draws a new chart first hidden, at no set width, then again,
  shown; until 29 November the hidden first draw was counted);
* errors (timeouts, page errors, Streamlit exceptions on the page);
* the server's memory (resident set size, peak and at the end, MB);
* the server's CPU time over the run, beside its wall time: far below the wall
  time (times the cores), the waiting is in the browsers, not in the server;

and the ratio of our p95 to the plain app's (the issue's target: at most 1.5 at 30
sessions). Browsers and server share the machine: quote the numbers with its cores.
The app and the baseline run one after the other (not interleaved: each needs the
whole machine); repeat the command to see the spread.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, serve_process  # noqa: E402

SLIDER_THUMB = '[data-testid="stSlider"] input[type="range"], [data-testid="stSlider"] [role="slider"]'
CHARTS_DRAWN = """() => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    const running = document.querySelector('[data-testid="stStatusWidget"]');
    return plots.length >= 2 && !running && plots.every(gd => gd.querySelector('.main-svg'));
}"""
ARM = """() => {
    window.__bench = new Set();
    document.querySelectorAll('.js-plotly-plot').forEach((gd, index) => {
        gd.__benchId = index;
        if (!gd.__benchHooked && gd.on) {
            gd.on('plotly_afterplot', () => window.__bench && window.__bench.add(gd.__benchId));
            gd.__benchHooked = true;
        }
    });
}"""
REDRAWN = """() => {
    const plots = [...document.querySelectorAll('.js-plotly-plot')];
    if (plots.length < 2 || document.querySelector('[data-testid="stStatusWidget"]')) return false;
    // A new chart is drawn twice by Streamlit: hidden at no set width, then shown (bench_redraw.py).
    const fresh = plots.filter(gd => gd.__benchId === undefined && gd.querySelector('.main-svg')
        && gd.layout && gd.layout.width !== undefined && getComputedStyle(gd).visibility !== 'hidden').length;
    return window.__bench.size + fresh >= 2;
}"""


def plain_app() -> str:
    return "bench/plain_app.py"


class MemoryWatch:
    """Peak resident memory of the server process (Linux /proc), sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.last = pid, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _rss_mb(self) -> float:
        try:
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.last = self._rss_mb() or self.last
            self.peak = max(self.peak, self.last)
            time.sleep(0.2)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_seconds(self) -> float:
        """The server's CPU time so far (user + system, /proc/<pid>/stat), to compare with the wall time."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def one_session(browser, url: str, changes: int, result: dict) -> None:  # noqa: ANN001
    context = await browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(300_000)  # 30 pages loading at once on 2 cores: minutes, not Playwright's 30 s
    page = await context.new_page()
    page.on("pageerror", lambda error: result["errors"].append(f"page error: {error}"))
    try:
        start = time.perf_counter()
        await page.goto(url, wait_until="commit")  # then wait for the charts, not for every resource
        await page.wait_for_function(CHARTS_DRAWN, timeout=300_000, polling=100)
        result["first"].append(time.perf_counter() - start)
        thumb = page.locator(SLIDER_THUMB).first
        for change in range(changes):
            await page.evaluate(ARM)
            await thumb.focus()
            start = time.perf_counter()
            await page.keyboard.press("End" if change % 2 == 0 else "Home")  # narrow, wide, narrow, …
            await page.wait_for_function(REDRAWN, timeout=180_000, polling=50)
            result["change"].append(time.perf_counter() - start)
        if await page.locator('[data-testid="stException"]').count():
            result["errors"].append("an exception on the page")
    except Exception as error:  # noqa: BLE001 - counted and reported, the others go on
        result["errors"].append(f"{type(error).__name__}: {str(error).splitlines()[0][:120]}")
    finally:
        await context.close()


async def drive(url: str, sessions: int, changes: int) -> dict:
    from playwright.async_api import async_playwright

    result: dict = {"first": [], "change": [], "errors": []}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            await asyncio.gather(*(one_session(browser, url, changes, result) for _ in range(sessions)))
        finally:
            await browser.close()
    return result


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(script: str, sessions: int, changes: int, env: dict[str, str]) -> dict:
    """Start a server for ``script`` (tests/browser_support.serve_process), drive it, stop it."""
    with serve_process(script, env=env, timeout=120, log_name="bench-sessions") as (url, process):
        watch = MemoryWatch(process.pid)
        started, cpu_before = time.perf_counter(), watch.cpu_seconds()
        try:
            result = asyncio.run(drive(url, sessions, changes))
        finally:
            watch.stop()
        cpu = watch.cpu_seconds() - cpu_before
    result.update(peak=watch.peak, last=watch.last, cpu=cpu, wall=time.perf_counter() - started)
    return result


def report(name: str, result: dict) -> None:
    first, change = result["first"], result["change"]
    print(f"{name:<34} first page p50 {statistics.median(first) if first else float('nan'):6.2f} s "
          f"p95 {percentile(first, 0.95):6.2f} s | filter change p50 {percentile(change, 0.5):6.2f} s "
          f"p95 {percentile(change, 0.95):6.2f} s (n={len(change)}) | errors {len(result['errors'])} | "
          f"server RSS peak {result['peak']:.0f} MB, end {result['last']:.0f} MB | server CPU {result['cpu']:.0f} s "
          f"in {result['wall']:.0f} s")
    for error in sorted(set(result["errors"]))[:5]:
        print(f"    {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument("--user-data", type=Path, default=None,
                        help="a user data folder (e.g. from bench/synthetic.py); default: an empty one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as empty:
        folder = args.user_data or Path(empty)
        env = {"EXCHANGES_USER_DATA": str(folder)}
        env.pop("EXCHANGES_DATABASE_URL", None)
        print(f"{args.sessions} sessions x {args.changes} filter changes, {os.cpu_count()} cores, "
              f"user data {folder}")
        ours = measure("app.py", args.sessions, args.changes, env)
        report("app.py (Map & timeline)", ours)
        plain = measure(plain_app(), args.sessions, args.changes, env)
        report(f"{plain_app()} (naive)", plain)
    ratio = percentile(ours["change"], 0.95) / percentile(plain["change"], 0.95)
    print(f"filter change p95, ours / plain: {ratio:.2f} (target at 30 sessions: <= 1.5)")


if __name__ == "__main__":
    main()
