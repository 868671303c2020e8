"""How long loading and validating a big catalog takes, and its peak memory.

    .venv/bin/python bench/bench_load.py [--sizes 30000 100000] [--runs 3] [--modes store ours]

For each size, a synthetic user data folder (``bench/synthetic.py``, cached in
``/tmp/exchanges-bench-load-<N>``) is loaded and fully validated — the shipped
data plus every document, its text and every event with its passage checked
verbatim — by ``load_catalog`` three ways, interleaved, each run in a fresh
process so its peak memory (max RSS) is its own:

- ``ours``: the loader as it is (``exchanges.reader``: libyaml's C parser,
  the limits checked per record);
- ``before``: the same loader with the pure-Python YAML parser it used before
  (``yaml.SafeLoader`` with the same duplicate-key and date handling);
- ``safe_load``: parsing only, every file with plain ``yaml.safe_load``
  (no validation): what the YAML step alone costs the pure-Python way;
- ``ours_json``: the same records as JSON files (written once beside the YAML
  folder), loaded and validated by the loader: the cost once the YAML is
  parsed;
- ``store``: the path the app uses (``exchanges.userdata.load_user_catalog``):
  the same folder imported once into a user store (SQLite, cached in
  ``/tmp/exchanges-bench-load-<N>-store``; the import is not timed), read in
  one transaction and validated from the JSON texts (``RecordSource.json_records``);
- ``store_decoded``: the same store read, each record decoded to Python objects
  first and validated the ordinary way (``check_record`` + ``model_validate``):
  how the store was read before.

Prints the median seconds and peak MB of each, and the ratios before / ours
and store_decoded / store. Targets (issue 8): 30,000 events in <= 5 s,
100,000 in <= 20 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MODES = ("store", "store_decoded", "ours", "before", "safe_load", "ours_json")
STORE_MODES = ("store", "store_decoded")


def _files(folder: Path, suffix: str = ".yaml") -> tuple[list[Path], list[Path]]:
    return sorted((folder / "events").glob(f"*{suffix}")), sorted((folder / "sources").glob(f"*{suffix}"))


def json_folder(folder: Path) -> Path:
    """``folder``'s YAML files as JSON (texts linked), written once."""
    target = folder.with_name(folder.name + "-json")
    if (target / "events").is_dir():
        return target
    from exchanges.reader import parse_yaml  # noqa: PLC0415

    for path in [*folder.glob("events/*.yaml"), *folder.glob("sources/*.yaml")]:
        out = target / path.parent.name / (path.stem + ".json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(parse_yaml(path.read_text(encoding="utf-8"))), encoding="utf-8")
    (target / "sources" / "documents").symlink_to(folder / "sources" / "documents")
    return target


def _pure_python_parse_yaml(text: str, limits: object = None) -> object:
    """The loader's YAML step before (git history): pure-Python ``SafeLoader``, dates kept
    as text, duplicate keys refused."""
    import yaml  # noqa: PLC0415 - only in the child process

    class Before(yaml.SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping", node.start_mark, f"duplicate key {key!r}", key_node.start_mark)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    Before.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return yaml.load(text, Loader=Before)  # noqa: S506 - a SafeLoader subclass


def _decoded_store_sources() -> None:
    """Make ``load_user_catalog`` hand the loader decoded records, as it did before."""
    import dataclasses  # noqa: PLC0415

    import exchanges.userdata as userdata  # noqa: PLC0415

    sources = userdata.store_sources

    def decoded(snapshot: object) -> tuple[list, list]:
        documents, sets = sources(snapshot)
        return documents, [dataclasses.replace(s, records=[json.loads(t) for t in s.json_records], json_records=())
                           for s in sets]

    userdata.store_sources = decoded


def run_store(mode: str, folder: Path) -> dict:
    """Load the user's store in ``folder`` once, as the app does."""
    os.environ["EXCHANGES_USER_DATA"] = str(folder)
    from exchanges.gazetteer import Gazetteer  # noqa: PLC0415
    from exchanges.store import open_store  # noqa: PLC0415
    from exchanges.userdata import load_user_catalog  # noqa: PLC0415

    gazetteer = Gazetteer.load_with_user_places()
    open_store()  # opened (the engine made) before the clock starts, as the app's is
    if mode == "store_decoded":
        _decoded_store_sources()
    start, cpu_start = time.perf_counter(), time.process_time()
    catalog = load_user_catalog(gazetteer=gazetteer)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if catalog.issues:
        raise SystemExit(f"the store did not load cleanly: {catalog.issues[:3]}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "seconds": seconds, "cpu": cpu, "events": len(catalog.events), "peak_mb": peak_mb}


def run_once(mode: str, folder: Path) -> dict:
    """Load the folder once in this process; seconds, events and peak RSS in MB."""
    if mode in STORE_MODES:
        return run_store(mode, folder)
    from exchanges.gazetteer import Gazetteer  # noqa: PLC0415
    from exchanges.loader import load_catalog  # noqa: PLC0415

    events, documents = _files(folder, ".json" if mode == "ours_json" else ".yaml")
    gazetteer = Gazetteer.load()
    if mode == "before":
        import exchanges.loader as loader  # noqa: PLC0415

        loader.parse_yaml = _pure_python_parse_yaml
    start, cpu_start = time.perf_counter(), time.process_time()
    if mode == "safe_load":
        import yaml  # noqa: PLC0415

        count = sum(len(yaml.safe_load(path.read_text(encoding="utf-8")) or []) for path in events)
        for path in documents:
            yaml.safe_load(path.read_text(encoding="utf-8"))
    else:
        catalog = load_catalog(gazetteer=gazetteer, extra_event_files=events, extra_document_files=documents)
        count = len(catalog.events)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"mode": mode, "seconds": seconds, "cpu": cpu, "events": count, "peak_mb": peak_mb}


def catalog_folder(size: int) -> Path:
    folder = Path(f"/tmp/exchanges-bench-load-{size}")
    if not (folder / "events").is_dir():
        subprocess.run([sys.executable, str(ROOT / "bench" / "synthetic.py"), str(size), str(folder)],
                       check=True, stdout=subprocess.DEVNULL)
    return folder


def store_folder(size: int) -> Path:
    """A user data folder holding a store imported from :func:`catalog_folder` (made once)."""
    source = catalog_folder(size)
    folder = Path(f"/tmp/exchanges-bench-load-{size}-store")
    if not (folder / "exchanges.sqlite3").exists():
        folder.mkdir(exist_ok=True)
        for sub in ("events", "sources"):
            if not (folder / sub).exists():
                (folder / sub).symlink_to(source / sub)
        print(f"  importing {size:,} events into {folder} (once)", flush=True)
        subprocess.run([sys.executable, "-c", "from exchanges.store import open_store; open_store()"], check=True,
                       cwd=ROOT, env={**os.environ, "EXCHANGES_USER_DATA": str(folder)})
    return folder


def _where(mode: str, size: int) -> Path:
    if mode in STORE_MODES:
        return store_folder(size)
    return json_folder(catalog_folder(size)) if mode == "ours_json" else catalog_folder(size)


def measure(size: int, runs: int, modes: tuple[str, ...]) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {mode: [] for mode in modes}
    for mode in modes:
        _where(mode, size)  # made before the first run
    for _ in range(runs):
        for mode in modes:  # interleaved: a busy machine slows every mode alike
            where = _where(mode, size)
            out = subprocess.run([sys.executable, __file__, "--one", mode, str(where)],
                                 check=True, capture_output=True, text=True).stdout
            results[mode].append(json.loads(out.strip().splitlines()[-1]))
            run = results[mode][-1]
            print(f"  run: {size:,} events, {mode:<10} {run['seconds']:7.2f} s wall, {run['cpu']:7.2f} s CPU, "
                  f"peak {run['peak_mb']:6.0f} MB", flush=True)
    return results


def report(size: int, results: dict[str, list[dict]]) -> None:
    medians = {mode: statistics.median(r["seconds"] for r in runs) for mode, runs in results.items()}
    cpu = {mode: statistics.median(r["cpu"] for r in runs) for mode, runs in results.items()}
    print(f"\n{size:,} events ({len(next(iter(results.values())))} runs each, medians; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs):")
    for mode, runs in results.items():
        peak = max(r["peak_mb"] for r in runs)
        print(f"  {mode:<10} {medians[mode]:8.2f} s wall {cpu[mode]:8.2f} s CPU   peak {peak:7.0f} MB   "
              f"({runs[0]['events']:,} events)")
    for naive, ours in (("before", "ours"), ("safe_load", "ours"), ("store_decoded", "store")):
        if naive in medians and ours in medians:
            print(f"  ratio {naive}/{ours}: {medians[naive] / medians[ours]:.1f}x wall, "
                  f"{cpu[naive] / cpu[ours]:.1f}x CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    parser.add_argument("--one", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_once(args.one[0], Path(args.one[1]))))
        return
    for size in args.sizes:
        report(size, measure(size, args.runs, tuple(args.modes)))


if __name__ == "__main__":
    main()
