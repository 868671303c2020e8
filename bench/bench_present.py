"""A Present step drawn again: the explore page's cached builders against building both figures anew.

    .venv/bin/python bench/bench_present.py [--runs 5]
    EXCHANGES_USER_DATA=/tmp/syn3000 .venv/bin/python bench/bench_present.py   # after bench/synthetic.py 3000 …

The Present page asks ``components.data.get_map_figure`` / ``get_timeline_figure``
for a step's map and timeline (the same ``st.cache_data`` builders as the explore
page), so a step shown again (a rerun, a toggle, Previous then Next) is a cache
hit; before, it built both figures on every run. Measured on the middle step of
the "all events" tour (the catalog's events, half of them shown, the earlier
ones muted), in projector style, from interleaved runs: CPU medians and the ratio.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import run_once  # noqa: E402  (bench/ is not a package)

from components.data import get_catalog, get_gazetteer, get_map_figure, get_timeline_figure  # noqa: E402
from exchanges.charts.map_figure import build_map_figure  # noqa: E402
from exchanges.charts.style import PROJECTOR_STYLE  # noqa: E402
from exchanges.charts.timeline_figure import build_timeline_figure  # noqa: E402
from exchanges.mapping import with_aspect  # noqa: E402
from exchanges.tours import all_events_tour, step_state  # noqa: E402

GEO_ASPECT = 1.3 / (1 - 0.14)  # views/present.py: MAP_ASPECT / (1 - LEGEND_SHARE)
LEGEND_SHARE = 0.14


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    logging.disable(logging.WARNING)  # "no runtime found": the caches work in memory outside Streamlit

    catalog, gazetteer = get_catalog(), get_gazetteer()
    tour = all_events_tour(catalog.events)
    number = max(1, len(tour.steps) // 2)
    state = step_state(tour, number, catalog, gazetteer)
    ids = [event.id for event in state.shown]
    view = with_aspect(state.view, GEO_ASPECT) if state.view is not None else None

    def cached() -> None:
        get_map_figure(ids, view=view, highlight=state.event.id, muted=state.muted, projector=True,
                       size_note=False, aspect=GEO_ASPECT, legend_strip=LEGEND_SHARE)
        get_timeline_figure(ids, highlight=state.event.id, muted=state.muted, projector=True)

    def anew() -> None:
        build_map_figure(state.shown, catalog, gazetteer, highlight=state.event.id, muted=state.muted, view=view,
                         style=replace(PROJECTOR_STYLE, map_aspect=GEO_ASPECT), missing_note=False,
                         size_note=False, legend_strip=LEGEND_SHARE)
        build_timeline_figure(state.shown, catalog, highlight=state.event.id, muted=state.muted,
                              style=PROJECTOR_STYLE, show_legend=False)

    cached()  # the step's first visit fills the cache
    ours, naive = [], []
    for _ in range(runs):
        ours.append(run_once(cached).cpu)
        naive.append(run_once(anew).cpu)
    ours_ms, naive_ms = statistics.median(ours) * 1000, statistics.median(naive) * 1000
    print(f"{len(catalog.events):,} events, step {number} shows {len(ids):,}: "
          f"cached {ours_ms:.1f} ms, built anew {naive_ms:.1f} ms (CPU medians of {runs}), "
          f"ratio {naive_ms / ours_ms:.1f}x")


if __name__ == "__main__":
    main()
