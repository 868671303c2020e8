"""The one timing helper of the benchmarks (``bench/`` scripts import it: ``from timing import …``).

On a machine shared with other work, wall time measures the neighbours as much
as the code: the benchmarks print CPU time (``time.process_time``) beside it,
from interleaved runs, and compare medians.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Run:
    """One timed run: wall seconds and CPU seconds of this process."""

    wall: float
    cpu: float


def run_once(action: Callable[[], object]) -> Run:
    """Wall and CPU seconds of one call of ``action``."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return Run(time.perf_counter() - wall, time.process_time() - cpu)


def timed_runs(action: Callable[[], object], runs: int, *, warm_up: bool = True) -> list[Run]:
    """``runs`` timed calls of ``action``, after one untimed warm-up call (unless ``warm_up`` is false)."""
    if warm_up:
        action()
    return [run_once(action) for _ in range(runs)]


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Wall seconds per run of ``action``, after one untimed warm-up run."""
    return [run.wall for run in timed_runs(action, runs)]
