"""A date-filter change in a real browser: how long until both charts are redrawn, ours vs the plain app.

    .venv/bin/python bench/bench_redraw.py [--changes 7] [--sizes 32 3000]

For each size (the shipped 32 events, or ``bench/synthetic.py``'s catalog as
the user's data), starts our app (``app.py``) and the plain one
(``bench/plain_app.py``: ``st.slider`` + ``px.scatter_geo`` + ``px.timeline``;
``bench/static`` links to ``static/``, so it draws the same offline basemap) in
headless Debian Chromium at 1440x900, and, in
interleaved rounds, moves each app's lower date handle to the end and back (End, Home) with the
keyboard and measures (in the page, ``performance.now()``) the time from the
key press until the script run is over and both charts have been drawn again
(each chart's ``_fullLayout`` replaced) and shown, checked once per frame
(``requestAnimationFrame``). Streamlit's chart element draws a new chart twice:
first hidden (``visibility: hidden``, no width set), then, once it has set the
width, again and visible. Until 29 November the check took the first, hidden
draw, on a 20 ms timer that could run before or after the second (a timer
cannot fire during a task), so it measured sometimes one, sometimes the other.
Prints p50 and p95 of each and the ratio ours / plain. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import browser_support as browser  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from synthetic import write_catalog  # noqa: E402

VIEWPORT = {"width": 1440, "height": 900}

_ARM = """() => {
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  window.__before = plots.map(p => p._fullLayout);
  window.__t0 = performance.now();
}"""
_DONE = """() => {
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (plots.length < 2 || !window.__before) return false;
  // Drawn since the key press, and shown: Streamlit's chart element first draws a new chart
  // hidden, at no set width, then sets the width and draws it again, visible.
  const redrawn = plots.every(p => p._fullLayout && !window.__before.includes(p._fullLayout)
    && p.layout && p.layout.width !== undefined && getComputedStyle(p).visibility !== 'hidden');
  return redrawn ? performance.now() - window.__t0 : false;
}"""


def _ready(page) -> None:
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .geo path.point').length > 0"
                           " && document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=180_000)
    browser.wait_until_idle(page, timeout_ms=180_000)


def one_change(page, key: str) -> float:
    """Move the lower date handle to the end or back (End, Home); ms until both charts are drawn again."""
    thumb = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first
    thumb.focus()
    page.evaluate(_ARM)
    page.keyboard.press(key)
    handle = page.wait_for_function(_DONE, timeout=180_000, polling="raf")
    elapsed = float(handle.json_value())
    browser.wait_until_idle(page, timeout_ms=180_000)
    return elapsed


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(size: int, changes: int, workdir: Path) -> None:
    env = {}
    if size > 32:
        folder = workdir / f"synthetic-{size}"
        if not folder.exists():
            write_catalog(size, folder)
        env["EXCHANGES_USER_DATA"] = str(folder)
    else:
        env["EXCHANGES_USER_DATA"] = str(workdir / "empty-user-data")
    times: dict[str, list[float]] = {"ours": [], "plain": []}
    with browser.serve_app("app.py", env=env, timeout=180) as ours_url, \
            browser.serve_app("bench/plain_app.py", env=env, timeout=180) as plain_url, \
            sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(browser.CHROMIUM), args=browser.CHROMIUM_ARGS)
        ours, plain = chromium.new_page(viewport=VIEWPORT), chromium.new_page(viewport=VIEWPORT)
        ours.goto(ours_url)
        plain.goto(plain_url)
        _ready(ours)
        _ready(plain)
        for round_ in range(changes):  # interleaved; alternate direction so the range stays wide
            key = "End" if round_ % 2 == 0 else "Home"
            times["ours"].append(one_change(ours, key))
            times["plain"].append(one_change(plain, key))
        chromium.close()
    a50, b50 = statistics.median(times["ours"]), statistics.median(times["plain"])
    print(f"{size:>6} events  ours p50 {a50 / 1000:.2f} s  p95 {p95(times['ours']) / 1000:.2f} s   "
          f"plain p50 {b50 / 1000:.2f} s  p95 {p95(times['plain']) / 1000:.2f} s   ratio p50 {a50 / b50:.2f}",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 3000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-redraw-") as workdir:
        for size in args.sizes:
            measure(size, args.changes, Path(workdir))


if __name__ == "__main__":
    main()
