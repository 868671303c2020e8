"""Loading the user's events from the store versus from YAML files, at scale.

    .venv/bin/python bench/bench_store.py [--sizes 3000 30000] [--runs 5]

For each size, ``bench/synthetic.py`` writes a user data folder of that many events
(documents of ~60 events each, as YAML files); the folder is then imported into a
fresh store (SQLite, as the app does on first start; the import time is printed).
Then, in interleaved runs, the same catalog is loaded both ways with the same
validation (the loader's, the shipped gazetteer given):

* **files**: ``load_catalog(extra_event_files=…, extra_document_files=…)`` over the
  YAML files, as the app loaded user data before the store;
* **store**: ``load_user_catalog`` — one read transaction, JSON records, the same
  loader checks (``RecordSource``).

Prints the medians, the ratio (store / files: below 1 means the store is faster)
and, for the reading alone, the snapshot read versus the YAML parse.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exchanges.gazetteer import Gazetteer  # noqa: E402
from exchanges.loader import _read_records, load_catalog  # noqa: E402
from exchanges.store import close_all, open_store  # noqa: E402
from exchanges.userdata import load_user_catalog  # noqa: E402


def yaml_files(folder: Path, sub: str) -> list[Path]:
    return sorted((folder / sub).glob("*.yaml"))


def interleaved(cases: dict[str, Callable[[], object]], runs: int) -> dict[str, list[float]]:
    """Seconds per run of each case, the cases taking turns (after one warm-up each)."""
    for action in cases.values():
        action()
    seconds: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, action in cases.items():
            start = time.perf_counter()
            action()
            seconds[name].append(time.perf_counter() - start)
    return seconds


def bench_size(size: int, runs: int, gazetteer: Gazetteer, workdir: Path) -> None:
    folder = workdir / f"synthetic-{size}"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synthetic.py"), str(size), str(folder)], check=True,
                   stdout=subprocess.DEVNULL)
    os.environ["EXCHANGES_USER_DATA"] = str(folder)
    os.environ.pop("EXCHANGES_DATABASE_URL", None)
    close_all()
    start = time.perf_counter()
    store = open_store()  # the one-time import of the folder
    imported = time.perf_counter() - start
    event_files, document_files = yaml_files(folder, "events"), yaml_files(folder, "sources")

    def from_files() -> object:
        return load_catalog(gazetteer=gazetteer, extra_event_files=event_files,
                            extra_document_files=document_files, skip_invalid_extra=True)

    def from_store() -> object:
        return load_user_catalog(gazetteer=gazetteer)

    def parse_yaml() -> object:  # the loader's own YAML reading (its fast loader), no validation
        return [_read_records(path, "events") for path in event_files] + [
            _read_records(path, "documents") for path in document_files]

    files_catalog, store_catalog = from_files(), from_store()
    assert len(files_catalog.events) == len(store_catalog.events), "the two ways must load the same events"
    assert not files_catalog.issues and not store_catalog.issues
    seconds = interleaved({"files": from_files, "store": from_store, "read: YAML parse": parse_yaml,
                           "read: store snapshot": store.snapshot}, runs)
    median = {name: statistics.median(values) for name, values in seconds.items()}
    print(f"\n{len(store_catalog.events):,} events ({size:,} asked), {len(document_files)} documents; "
          f"one-time import {imported:.2f} s")
    print(f"  {'load catalog from':<26} {'median s':>9} {'min s':>8} {'max s':>8}  (runs={runs})")
    for name, values in seconds.items():
        print(f"  {name:<26} {median[name]:>9.3f} {min(values):>8.3f} {max(values):>8.3f}")
    print(f"  store / files: {median['store'] / median['files']:.2f}   "
          f"snapshot / YAML parse: {median['read: store snapshot'] / median['read: YAML parse']:.2f}")
    close_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 30000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    gazetteer = Gazetteer.load()
    with tempfile.TemporaryDirectory(prefix="bench-store-") as workdir:
        for size in args.sizes:
            bench_size(size, args.runs, gazetteer, Path(workdir))


if __name__ == "__main__":
    main()
