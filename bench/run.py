"""``make bench``: every benchmark module, in one process, one table after another.

Each module in :data:`MODULES` lives beside this file and has ``main() -> int``, which
prints its tables and returns 1 when it misses a target. The exit status is 1 when any
module does.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Benchmarks run in this order; add a module name to add a benchmark.
MODULES = [
    "bench_calendar",
    "bench_holidays",
    "bench_replay",
    "bench_service",
    "bench_snapshot",
    "bench_batch",
    "bench_lots",
    "bench_process",
    "bench_scale",
]


def main() -> int:
    """Run each module's ``main`` and report which missed a target."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    missed = []
    for name in MODULES:
        print(f"=== {name} ===")
        began = time.perf_counter()
        run: Callable[[], int] = importlib.import_module(name).main
        if run() != 0:
            missed.append(name)
        print(f"({name}: {time.perf_counter() - began:.1f} s)\n")
    if missed:
        print(f"targets missed in: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
