"""What-if replay on Dask: a generated log of 1,000,000 events over 10,000 customers.

The log is the replay benchmark's history made ten times longer and wider (200,000
incidents over eight months, every kind of event, the odd refund request and duplicate
purchase), written as JSON lines into a temporary directory, customers interleaved in
time order. ``premier-policy batch LOG --policy A --against B`` replays it under two
policies (the service as sold, and a 4-hour response target) in a child process, once
on a local cluster of 1 worker and once of 2, and the child reports its own peak
memory (the client: routing, index, scheduler; the workers are processes of their own).

Targets: 2 workers at least 1.6x faster than 1 (wall clock) on the 2-core machine, and
the client's peak memory under 1 GB. Both runs must print the same report.

Run: ``.venv/bin/python bench/bench_batch.py`` (or ``make bench``).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_replay import SPAN, START, _life

EVENTS = 1_000_000
CUSTOMERS = 10_000
INCIDENTS = 200_000
MIN_SPEEDUP = 1.6
MAX_CLIENT_BYTES = 1_000_000_000

#: The child: run the command in process, then print its own peak resident memory.
_CHILD = """
import resource, sys
from premier_policy.shell.cli import main
status = main(sys.argv[1:])
print("peak-rss-kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(status)
"""


def write_log(path: Path, events: int, customers: int, incidents: int, *, seed: int = 7) -> None:
    """A log of exactly ``events`` lines, as :func:`bench_replay.scenario` makes them,
    written one line at a time (the history is never held whole)."""
    rng = random.Random(seed)
    step = SPAN / events
    credits = dict.fromkeys(range(customers), 0)
    purchases = opened = 0
    active: list[tuple[str, list[dict[str, Any]]]] = []
    with path.open("w", encoding="utf-8") as log:
        for n in range(events):
            at = (START + step * n).isoformat()
            roll = rng.random()
            event: dict[str, Any]
            if opened < incidents and (not active or roll < incidents / events * 1.2):
                who = rng.randrange(customers)
                if credits[who] == 0:
                    purchases += 1
                    credits[who] += 3
                    event = {"type": "purchase", "customer": f"c{who}", "id": f"p{purchases}",
                             "product": "bundle-3"}  # fmt: skip
                else:
                    opened += 1
                    credits[who] -= 1
                    key = f"i{opened}"
                    active.append((key, _life(rng)))
                    event = {"type": "open", "customer": f"c{who}", "id": key, "area": "setup"}
            elif roll < 0.003:
                event = {"type": "refund_request", "customer": f"c{rng.randrange(customers)}",
                         "purchase": f"p{rng.randrange(1, purchases + 2)}"}  # fmt: skip
            elif roll < 0.004 and purchases:
                event = {"type": "purchase", "customer": "c0", "id": "p1", "product": "single"}
            else:
                slot = rng.randrange(len(active))
                key, steps = active[slot]
                event = {"incident": key, **steps.pop(0)}
                if not steps:
                    active[slot] = active[-1]
                    active.pop()
            log.write(json.dumps({"at": at, **event}) + "\n")


#: The calibration child: one replay of 20,000 events, its own CPU-bound time printed.
_PEER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from bench_replay import scenario
from premier_policy import replay
document = scenario(20_000, 200, 4_000)
began = time.perf_counter()
replay(document)
print(time.perf_counter() - began)
"""


def machine_parallelism() -> float:
    """How much more replay work two processes side by side get done than one alone:
    2.0 on two free cores, less when the cores share a physical one or the host is busy.
    It bounds what any split over 2 workers can gain here."""
    here = str(Path(__file__).resolve().parent)

    def start() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-c", _PEER, here], stdout=subprocess.PIPE, text=True
        )

    alone = float(start().communicate()[0])
    pair = [start(), start()]
    together = [float(child.communicate()[0]) for child in pair]
    return 2 * alone / max(together)


def run(log: Path, policies: tuple[Path, Path], workers: int, out: Path) -> tuple[float, int]:
    """Wall-clock seconds of one batch run and the client's peak memory in bytes."""
    command = [
        sys.executable, "-c", _CHILD, "batch", str(log), "--policy", str(policies[0]),
        "--against", str(policies[1]), "--workers", str(workers), "--json", str(out),
    ]  # fmt: skip
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    spent = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"batch failed ({done.returncode}): {done.stderr[-2000:]}")
    peak = next(
        int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak-rss")
    )
    return spent, peak * 1024


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    with tempfile.TemporaryDirectory(prefix="premier-bench-") as scratch:
        here = Path(scratch)
        log = here / "history.jsonl"
        began = time.perf_counter()
        write_log(log, EVENTS, CUSTOMERS, INCIDENTS)
        made = time.perf_counter() - began
        size = log.stat().st_size
        a, b = here / "as-sold.json", here / "target-4h.json"
        a.write_text("{}\n", encoding="utf-8")
        b.write_text('{"response_target_minutes": 240}\n', encoding="utf-8")
        parallel = machine_parallelism()
        one = run(log, (a, b), 1, here / "one.json")
        two = run(log, (a, b), 2, here / "two.json")
        same = (here / "one.json").read_text() == (here / "two.json").read_text()
        report = json.loads((here / "two.json").read_text())
    speedup = one[0] / two[0]
    peak = max(one[1], two[1])
    print(f"batch what-if, {EVENTS:,} events over {CUSTOMERS:,} customers, 2 policies")
    print(f"  log generated in {made:.1f} s ({size / 1e6:.0f} MB)")
    print(f"  1 worker:  {one[0]:6.1f} s wall, {EVENTS / one[0]:8,.0f} events/s, "
          f"client peak {one[1] / 1e6:,.0f} MB")  # fmt: skip
    print(f"  2 workers: {two[0]:6.1f} s wall, {EVENTS / two[0]:8,.0f} events/s, "
          f"client peak {two[1] / 1e6:,.0f} MB")  # fmt: skip
    print(f"  this machine: 2 processes side by side replay {parallel:.2f}x as much as 1 "
          "(2.00x on two free cores): the most any split can gain")  # fmt: skip
    print(f"  speed-up: {speedup:.2f}x (target >= {MIN_SPEEDUP}x); "
          f"client peak {peak / 1e6:,.0f} MB (target < {MAX_CLIENT_BYTES / 1e6:,.0f} MB)")  # fmt: skip
    rates = [v["response_targets"]["breach_rate"] for v in report["variants"]]
    print(f"  same report with 1 and 2 workers: {same}; breach rate {rates[0]:.1%} vs "
          f"{rates[1]:.1%}")  # fmt: skip
    return 0 if same and speedup >= MIN_SPEEDUP and peak < MAX_CLIENT_BYTES else 1


if __name__ == "__main__":
    sys.exit(main())
