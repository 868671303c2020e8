"""The timeline's build time and size, against a plain ``px.timeline`` of the same events.

    .venv/bin/python bench/bench_timeline.py            # 32, 300, 3,000 and 30,000 events
    .venv/bin/python bench/bench_timeline.py 32 3000    # some sizes only

The events are the shipped 32 plus synthetic ones made by ``bench/synthetic.py``
(schema-valid, spread over 1945–1970), validated in memory (no YAML: loading
is measured by ``bench/bench_load.py``) and made a catalog, as the app's is.
For each size the two builders run in turn (interleaved, so a busy machine
slows both alike); medians are printed, with their ratio, our figure's JSON
size, height and trace count. The timeline reads each event's days and lane
from columns computed once per catalog (``exchanges.timeline.catalog_columns``),
as every rerun and filter of the app does; ``first`` is the CPU time of the
very first build of a new catalog, computing them.
Ours is built as the explore page builds it (no legend: a caption explains the
glyphs), at the explore page's narrowest width (``DEFAULT_STYLE``).
Targets (issue 8): ≤ 0.3 s and ≤ 300 KB at 30,000 events, ≤ 1.5× the plain
timeline at 32. Nothing is asserted: the tests never time anything.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd
import plotly.express as px

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402  (bench/synthetic.py, beside this file)

from exchanges.catalog import Catalog  # noqa: E402
from exchanges.charts.timeline_figure import build_timeline_figure  # noqa: E402
from exchanges.gazetteer import Gazetteer  # noqa: E402
from exchanges.loader import load_catalog  # noqa: E402
from exchanges.models import Event  # noqa: E402
from exchanges.timeline import lanes_of, uncertainty_end  # noqa: E402

SIZES = (32, 300, 3_000, 30_000)


def synthetic_catalog(catalog: Catalog, n: int) -> Catalog:
    """``catalog`` with the events of :func:`synthetic_events` (as the app's catalog holds them)."""
    return dataclasses.replace(catalog, events=tuple(synthetic_events(catalog, n)))


def synthetic_events(catalog: Catalog, n: int, seed: int = 1962) -> list[Event]:
    """The shipped events and ``n - 32`` synthetic ones, as ``bench/synthetic.py`` writes them."""
    places, actors, themes = synthetic._shipped_ids()
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) for rank in range(len(places))]
    rng.shuffle(weights)
    document = next(iter(catalog.documents))
    events = list(catalog.events)
    for index in range(max(n - len(events), 0)):
        record, _ = synthetic._event(index, document, rng, places, weights, actors, themes)
        events.append(Event.model_validate(record))
    return events[:n]


def plain_timeline(events: Sequence[Event], catalog: Catalog):
    """What ``px.timeline`` draws of the same events: a bar per event, by lane, coloured by type."""
    frame = pd.DataFrame({
        "start": [event.date for event in events],
        "end": [uncertainty_end(event) + dt.timedelta(days=1) for event in events],
        "lane": lanes_of(events, catalog),
        "type": [event.event_type.value for event in events],
        "title": [event.title for event in events],
        "id": [event.id for event in events],
    })
    return px.timeline(frame, x_start="start", x_end="end", y="lane", color="type", hover_name="title",
                       custom_data=["id"])


def interleaved(runs: int, *builders: Callable[[], object]) -> list[tuple[float, float]]:
    """Median (wall, CPU) seconds of each builder, run in turn ``runs`` times (after one warm-up each).

    The CPU time (this process's) is what to read on a shared machine: other
    processes stretch the wall time, not it.
    """
    times: list[list[tuple[float, float]]] = [[] for _ in builders]
    for build in builders:
        build()
    for _ in range(runs):
        for index, build in enumerate(builders):
            start, cpu = time.perf_counter(), time.process_time()
            build()
            times[index].append((time.perf_counter() - start, time.process_time() - cpu))
    return [(statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for t in times]


def main(argv: list[str]) -> int:
    sizes = [int(arg) for arg in argv] or list(SIZES)
    catalog = load_catalog(gazetteer=Gazetteer.load())
    print("wall and CPU medians; ratio = ours / px.timeline (CPU)")
    print(f"{'events':>7} {'ours wall':>10} {'ours CPU':>9} {'px wall':>9} {'px CPU':>9} {'ratio':>6} "
          f"{'first':>7} {'JSON':>7} {'height':>7} {'traces':>7}  summarised lanes")
    for n in sizes:
        bigger = synthetic_catalog(catalog, n)
        events = list(bigger.events)
        first = time.process_time()
        build_timeline_figure(events, bigger, show_legend=False)
        first = time.process_time() - first
        ours, plain = interleaved(
            5 if n >= 30_000 else 9,
            lambda events=events, bigger=bigger: build_timeline_figure(events, bigger, show_legend=False),
            lambda events=events, bigger=bigger: plain_timeline(events, bigger))
        figure = build_timeline_figure(events, bigger, show_legend=False)
        size_kb = len(figure.to_json()) / 1024
        meta = figure.layout.meta["exchanges_timeline"]
        print(f"{n:>7,} {ours[0] * 1000:>8.0f}ms {ours[1] * 1000:>7.0f}ms {plain[0] * 1000:>7.0f}ms "
              f"{plain[1] * 1000:>7.0f}ms {ours[1] / plain[1]:>5.2f}x {first * 1000:>5.0f}ms {size_kb:>5.0f}KB "
              f"{figure.layout.height:>5}px "
              f"{len(figure.data):>7}  {', '.join(meta['summarised']) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
