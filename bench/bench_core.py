"""How long the work behind every page load takes, without Streamlit.

    .venv/bin/python bench/bench_core.py [--runs 7]

Prints the median/min/max seconds of: loading and validating the shipped data
(gazetteer + catalog, what the app's cache saves on every rerun), building the
map and the timeline of every event, serialising the map to JSON (what is sent
to the browser on every rerun), and analysing each corpus document as the
"Add a document" page does (places, dates, figures, draft events).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import timed  # noqa: E402  (bench/ is not a package)

from exchanges.charts.map_figure import build_map_figure  # noqa: E402
from exchanges.charts.timeline_figure import build_timeline_figure
from exchanges.gazetteer import Gazetteer
from exchanges.ingest.analysis import analyse_document
from exchanges.loader import load_catalog


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    gazetteer = Gazetteer.load()
    catalog = load_catalog(gazetteer=gazetteer)
    events = list(catalog.events)
    map_figure = build_map_figure(events, catalog, gazetteer)

    cases: dict[str, Callable[[], object]] = {
        "load gazetteer + catalog": lambda: load_catalog(gazetteer=Gazetteer.load()),
        f"build map ({len(events)} events)": lambda: build_map_figure(events, catalog, gazetteer),
        f"build timeline ({len(events)} events)": lambda: build_timeline_figure(events, catalog),
        "map figure to JSON": map_figure.to_json,
    }
    for document_id in catalog.documents:
        text = catalog.document_text(document_id)
        cases[f"analyse document {document_id} ({len(text):,} chars)"] = (
            lambda text=text: analyse_document(text, gazetteer=gazetteer)
        )

    print(f"{'what':<62} {'median s':>9} {'min s':>8} {'max s':>8}  (runs={runs})")
    for name, action in cases.items():
        seconds = timed(action, runs)
        print(f"{name:<62} {statistics.median(seconds):>9.4f} {min(seconds):>8.4f} {max(seconds):>8.4f}")
    print(f"map figure JSON size: {len(map_figure.to_json()) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
