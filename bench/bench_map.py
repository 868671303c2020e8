"""The map figure at 32, 300, 3,000 and 30,000 events: ours against a naive ``px.scatter_geo``.

    .venv/bin/python bench/bench_map.py [--runs 5] [--sizes 32 300 3000 30000]

For each size, the synthetic catalog of ``bench/synthetic.py`` (schema-valid
events spread over the gazetteer's places, 1945–1970; written once under
``/tmp/exchanges-bench-<n>-<digest of synthetic.py>``) is read, then, in interleaved runs (ours,
naive, ours, …), the build time (CPU time of this process and wall time, from
``bench/timing.py``) and the figure's JSON size are measured:

* ours: ``exchanges.charts.map_figure.build_map_figure`` (one mark per place,
  names, outlines, movements), plus ``to_json`` (what a rerun sends);
* naive: what a plain app does, ``px.scatter_geo`` of one point per
  (event, place) coloured by type, plus ``to_json``.

Prints medians and the ratio ours / naive (of CPU time: the machine is
shared). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
from pathlib import Path

import pandas as pd
import plotly.express as px
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402  (bench/ is not a package)
from synthetic import write_catalog  # noqa: E402
from timing import Run, run_once  # noqa: E402

from exchanges.charts.map_figure import build_map_figure  # noqa: E402
from exchanges.gazetteer import Gazetteer  # noqa: E402
from exchanges.loader import load_catalog  # noqa: E402
from exchanges.models import Event  # noqa: E402

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def synthetic_events(n: int) -> list[Event]:
    """The ``n - 32`` synthetic events of ``bench/synthetic.py`` (validated by the model)."""
    # Named by the generator's own digest: a changed bench/synthetic.py writes a new catalog.
    digest = hashlib.blake2b(Path(synthetic.__file__).read_bytes(), digest_size=4).hexdigest()
    folder = Path(f"/tmp/exchanges-bench-{n}-{digest}")
    if not (folder / "events").is_dir():
        write_catalog(n, folder)
    events = []
    for path in sorted((folder / "events").glob("*.yaml")):
        events += [Event.model_validate(record) for record in yaml.load(path.read_text("utf-8"), Loader=Loader)]
    return events


def naive_figure(events: list[Event], gazetteer: Gazetteer):
    """The plain app's map: a point per (event, place), coloured by type."""
    rows = [
        {"lat": place.lat, "lon": place.lon, "title": event.title, "type": event.event_type.value,
         "date": event.date.isoformat()}
        for event in events for place_id in event.places if (place := gazetteer.get(place_id)) is not None
    ]
    frame = pd.DataFrame(rows, columns=["lat", "lon", "title", "type", "date"])
    return px.scatter_geo(frame, lat="lat", lon="lon", color="type", hover_name="title", hover_data=["date"])


def _interleaved(events, catalog, gazetteer, runs: int) -> tuple[list[Run], list[Run], tuple[int, int]]:
    """Runs of ours and of the naive map (build + ``to_json``), interleaved, and their JSON sizes."""
    sizes = [0, 0]

    def ours() -> None:
        sizes[0] = len(build_map_figure(events, catalog, gazetteer).to_json())

    def naive() -> None:
        sizes[1] = len(naive_figure(events, gazetteer).to_json())

    ours(), naive()  # warm-up (caches, imports)
    ours_runs, naive_runs = [], []
    for _ in range(runs):
        ours_runs.append(run_once(ours))
        naive_runs.append(run_once(naive))
    return ours_runs, naive_runs, (sizes[0], sizes[1])


def _medians(runs: list[Run]) -> tuple[float, float]:
    """Median CPU and wall seconds."""
    return statistics.median(r.cpu for r in runs), statistics.median(r.wall for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 300, 3000, 30000])
    args = parser.parse_args()
    gazetteer = Gazetteer.load()
    catalog = load_catalog(gazetteer=gazetteer)
    print(f"{'events':>7} {'ours CPU s':>11} {'ours wall s':>12} {'naive CPU s':>12} {'naive wall s':>13} "
          f"{'CPU ratio':>10} {'ours KB':>8} {'naive KB':>9}  places")
    for n in args.sizes:
        events = list(catalog.events) + (synthetic_events(n) if n > len(catalog.events) else [])
        ours_runs, naive_runs, sizes = _interleaved(events, catalog, gazetteer, args.runs)
        (ours_cpu, ours_wall), (naive_cpu, naive_wall) = _medians(ours_runs), _medians(naive_runs)
        places = len({p for e in events for p in e.places if p in gazetteer})
        print(f"{len(events):>7} {ours_cpu:>11.3f} {ours_wall:>12.3f} {naive_cpu:>12.3f} {naive_wall:>13.3f} "
              f"{ours_cpu / naive_cpu:>10.2f} {sizes[0] / 1024:>8.0f} {sizes[1] / 1024:>9.0f}  {places}",
              flush=True)

if __name__ == "__main__":
    main()
