"""How long a slide export takes: cold (new Chromium) vs warm (engine kept running).

    .venv/bin/python bench/bench_export.py [--runs 5] [--format png] [--width 1920]

Renders the map and the timeline of every event as slides (projector style,
title, notes and source line baked in: ``slide_figure``) and prints, per chart, the median/min/max seconds of:

* ``cold``     — a new ``ExportEngine``: kaleido's server and its Chromium started,
  plus the first render (what the first export of a CLI run or of a fresh app
  process costs);
* ``warm``     — further renders on the running engine (every later export);
* ``one-shot`` — ``kaleido.calc_fig_sync`` without a server, which starts and
  stops a browser for every image (what ``fig.to_image`` does by default).

Figures are built once, outside the timings: only rendering is measured. The
last lines give the ratio of our warm export to kaleido's one-shot one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exchanges.charts.style import PROJECTOR_STYLE  # noqa: E402
from exchanges.export.engine import ExportEngine, find_browser, topojson_url  # noqa: E402
from exchanges.export.options import options_for_width  # noqa: E402
from exchanges.export.slides import slide_figure  # noqa: E402
from exchanges.export.view import ExportView  # noqa: E402
from exchanges.gazetteer import Gazetteer  # noqa: E402
from exchanges.loader import load_catalog  # noqa: E402


def _time(action: Callable[[], bytes]) -> tuple[float, int]:
    start = time.perf_counter()
    data = action()
    return time.perf_counter() - start, len(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm renders per chart (default 5)")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold starts per chart (default 3)")
    parser.add_argument("--format", choices=("png", "svg", "pdf"), default="png")
    parser.add_argument("--width", type=int, default=1920)
    parser.add_argument("--skip-one-shot", action="store_true", help="do not time kaleido's one-shot mode")
    args = parser.parse_args(argv)

    gazetteer = Gazetteer.load()
    catalog = load_catalog(gazetteer=gazetteer)
    options = options_for_width(args.format, args.width)
    view = ExportView.of(catalog.events, title="All events", style=PROJECTOR_STYLE)
    figures = {chart: slide_figure(view, chart, catalog, gazetteer, options) for chart in ("map", "timeline")}
    browser = find_browser()
    print(f"{len(catalog.events)} events · {args.format.upper()} {options.pixel_size[0]}x{options.pixel_size[1]}"
          f" · browser {browser}")

    results: dict[tuple[str, str], list[float]] = {}
    sizes: dict[str, int] = {}
    for chart, figure in figures.items():
        cold = []
        for _ in range(args.cold_runs):
            engine = ExportEngine(browser)
            try:
                seconds, size = _time(lambda engine=engine, figure=figure: engine.render(figure, options))
            finally:
                engine.close()
            cold.append(seconds)
        results[(chart, "cold")] = cold
        with ExportEngine(browser) as engine:
            engine.render(figure, options)  # warm-up, not timed
            warm = []
            for _ in range(args.runs):
                seconds, size = _time(lambda engine=engine, figure=figure: engine.render(figure, options))
                warm.append(seconds)
        results[(chart, "warm")] = warm
        sizes[chart] = size
        if not args.skip_one_shot:
            import kaleido

            kopts = {"path": str(browser), "mathjax": False}
            one_shot = []
            for _ in range(args.cold_runs):
                seconds, _size = _time(lambda figure=figure, kopts=kopts: kaleido.calc_fig_sync(
                    figure.to_dict(), opts=options.to_kaleido(), topojson=topojson_url(), kopts=dict(kopts)))
                one_shot.append(seconds)
            results[(chart, "one-shot")] = one_shot

    print()
    print(f"{'chart':<10}{'mode':<10}{'runs':>5}{'median s':>10}{'min s':>8}{'max s':>8}{'size':>10}")
    print("-" * 61)
    for (chart, mode), times in results.items():
        print(f"{chart:<10}{mode:<10}{len(times):>5}{statistics.median(times):>10.2f}"
              f"{min(times):>8.2f}{max(times):>8.2f}{sizes[chart] / 1024:>8.0f} K")
    if not args.skip_one_shot:
        print()
        for chart in figures:
            warm, one_shot = (statistics.median(results[(chart, mode)]) for mode in ("warm", "one-shot"))
            print(f"{chart}: warm (ours) {warm:.2f} s vs one-shot {one_shot:.2f} s: {one_shot / warm:.1f}x faster")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
