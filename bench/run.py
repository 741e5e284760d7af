"""``make bench``: every benchmark module, one table after another, each in a process of
its own.

Each module in :data:`MODULES` lives beside this file and has ``main() -> int``, which
prints its tables and returns 1 when it misses a target (and exits with it when run as a
script). The exit status is 1 when any module does.

A process per module, because one module's leftovers would weigh on the next: the
calendar bench imports pandas and businesstimedelta, whose 50,000 objects every full
pass of the cyclic garbage collector would then trace during the replays measured after
it. Peers still run side by side within a module, in the same process.
"""

from __future__ import annotations

import subprocess
import sys
import time
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
    """Run each module in a process of its own and report which missed a target."""
    here = Path(__file__).resolve().parent
    missed = []
    for name in MODULES:
        print(f"=== {name} ===", flush=True)
        began = time.perf_counter()
        if subprocess.run([sys.executable, str(here / f"{name}.py")], check=False).returncode:
            missed.append(name)
        print(f"({name}: {time.perf_counter() - began:.1f} s)\n", flush=True)
    if missed:
        print(f"targets missed in: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
