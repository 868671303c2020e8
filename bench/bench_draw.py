"""How long plotly.js takes to draw each chart, ours vs the plain app's, in a bare page.

    .venv/bin/python bench/bench_draw.py [--sizes 32 3000] [--rounds 31]

For each size (the shipped 32 events, or ``bench/synthetic.py``'s catalog as the
user's data), runs the explore page (``app.py``) and the plain app
(``bench/plain_app.py``: ``px.scatter_geo`` + ``px.timeline``) once with
Streamlit's ``AppTest`` and takes the two figures each sends to the browser
(the specs of its chart elements). Then, in headless Debian Chromium, in a
page holding nothing but plotly.js (the copy plotly.py ships) and the same
offline basemap files, it draws each figure at 1200 px wide as Streamlit's
chart element does: ``Plotly.newPlot``, then ``Plotly.react`` with a JSON copy,
then one frame. Interleaved rounds; prints each chart's median and the ratio
ours / plain, per chart and for the two charts together.

This isolates the charts from the rest of the page (``bench_redraw.py``
measures the whole page): it is how the timeline was found to cost twice the
plain one, and what one x axis and fewer traces saved (docs/MAP.md). Nothing
is asserted.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

#: What each page's chart element is given: the map first, then the timeline.
CHARTS = ("map", "timeline")
WIDTH = 1200

_DRAW = """async ([spec, width]) => {
  const g = document.getElementById('g');
  Plotly.purge(g); g.innerHTML = '';
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const t0 = performance.now();
  const layout = Object.assign({}, spec.layout, {width});
  const config = {topojsonURL: location.origin + '/topojson/'};
  await Plotly.newPlot(g, spec.data, layout, config);
  const copy = JSON.parse(JSON.stringify({data: spec.data, layout}));
  await Plotly.react(g, copy.data, copy.layout, config);
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t0;
}"""


def sent_figures(script: Path) -> list[dict]:
    """The figure specs ``script``'s first run sends to the browser, in page order."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(script), default_timeout=600).run()
    return [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")][: len(CHARTS)]


def _serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def measure(specs: dict[str, dict], rounds: int) -> dict[str, float]:
    """Median ms to draw each spec (interleaved rounds, after three unmeasured ones)."""
    import browser_support as browser
    import plotly
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        page_dir = Path(folder)
        (page_dir / "index.html").write_text('<html><body style="margin:0"><div id="g"></div></body></html>')
        (page_dir / "plotly.min.js").symlink_to(Path(plotly.__file__).parent / "package_data" / "plotly.min.js")
        (page_dir / "topojson").symlink_to(ROOT / "static" / "topojson")
        server, url = _serve(page_dir)
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=str(browser.CHROMIUM),
                                                      args=browser.CHROMIUM_ARGS)
                page = chromium.new_page(viewport={"width": 1440, "height": 900})
                page.goto(url)
                page.add_script_tag(url=url + "plotly.min.js")
                for spec in specs.values():
                    for _ in range(3):
                        page.evaluate(_DRAW, [spec, WIDTH])
                times: dict[str, list[float]] = {name: [] for name in specs}
                for _ in range(rounds):
                    for name, spec in specs.items():
                        times[name].append(page.evaluate(_DRAW, [spec, WIDTH]))
                chromium.close()
        finally:
            server.shutdown()
    return {name: statistics.median(values) for name, values in times.items()}


def one_size(size: int, rounds: int) -> None:
    specs = {}
    for app, script in (("ours", ROOT / "app.py"), ("plain", ROOT / "bench" / "plain_app.py")):
        for chart, spec in zip(CHARTS, sent_figures(script), strict=True):
            specs[(app, chart)] = spec
    medians = measure({f"{app} {chart}": spec for (app, chart), spec in specs.items()}, rounds)
    sizes = {name: len(json.dumps(spec)) for name, spec in zip(medians, specs.values(), strict=True)}
    for chart in (*CHARTS, "both"):
        names = CHARTS if chart == "both" else (chart,)
        ours = sum(medians[f"ours {name}"] for name in names)
        plain = sum(medians[f"plain {name}"] for name in names)
        traces = "" if chart == "both" else (
            f"  traces {len(specs[('ours', chart)]['data'])} / {len(specs[('plain', chart)]['data'])}"
            f"  JSON {sizes[f'ours {chart}'] / 1000:.0f} / {sizes[f'plain {chart}'] / 1000:.0f} KB")
        print(f"{size:>6} events  {chart:8}  ours {ours:6.1f} ms  plain {plain:6.1f} ms  ratio {ours / plain:4.2f}"
              f"{traces}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 3000])
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args(argv)
    if args.one is not None:
        one_size(args.one, args.rounds)
        return 0
    from synthetic import write_catalog

    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            folder = Path(work) / f"user-{size}"
            if size > 32:
                write_catalog(size, folder)
            else:
                folder.mkdir()
            # Each size in a process of its own: Streamlit's caches hold the first catalog loaded.
            subprocess.run([sys.executable, __file__, "--one", str(size), "--rounds", str(args.rounds)],
                           env={**os.environ, "EXCHANGES_USER_DATA": str(folder)}, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
