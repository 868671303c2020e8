"""Screenshot the running app for the README.

    .venv/bin/python scripts/screenshot.py [--out docs/screenshot-explore.png] [--event ID]
    .venv/bin/python scripts/screenshot.py --path documents --event "" --out docs/screenshot-documents.png

Starts ``streamlit run app.py`` on a free port and opens it in Debian's
Chromium with Playwright (``tests/browser_support.py``, which the browser
tests use too), waits until the page is drawn, and saves a screenshot.
Nothing touches the network.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import browser_support as browser  # noqa: E402 - after the path is set


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-explore.png")
    parser.add_argument("--event", default="soviet-statement-1962-08-10", help="event to select ('' for none)")
    parser.add_argument("--query", default="", help="more of the URL's query, e.g. 'from=1962-01-01'")
    parser.add_argument("--path", default="", help="page path, e.g. documents")
    parser.add_argument("--width", type=int, default=browser.VIEWPORT["width"], help="viewport width in px")
    parser.add_argument("--height", type=int, default=1400, help="viewport height in px")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    query = "&".join(part for part in (f"event={args.event}" if args.event else "", args.query) if part)
    with browser.serve_app() as url, browser.chromium_page({"width": args.width, "height": args.height}) as page:
        page.goto(f"{url}/{args.path}{'?' + query if query else ''}")
        if args.path in ("", "present"):  # the pages with charts
            browser.wait_for_charts(page)
        else:
            page.wait_for_selector('[data-testid="stMarkdownContainer"]', timeout=45_000)
            browser.wait_until_idle(page)
        browser.hide_streamlit_chrome(page)
        page.screenshot(path=str(args.out), full_page=False)
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
