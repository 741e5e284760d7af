"""Replay throughput: a generated scenario of 100,000 events, in process.

The scenario has 1,000 customers and 20,000 incidents living full lives: purchases,
openings, replies both ways, logged time, extensions, resolutions, customer closes,
reopenings, invalidations, refund requests and the odd duplicate, spread over eight
months so that breaches, auto-closes and expiry notices fire on the way. The 10,000
event run has a tenth of everything, so the ratio of the two times shows whether the
cost per event grows with the size of the world (it must not: at most 11x for 10x).

The last line is not a target but the main reason the ratio exceeds 10x: CPython's
cyclic garbage collector makes full passes over every live object once enough of them
have accumulated, which the 100,000-event world does (three or four passes) and the
10,000-event one does not. It prints the collector's CPU time in each run, and the
ratio with that time taken out.

Run: ``.venv/bin/python bench/bench_replay.py`` (or ``make bench``).
"""

from __future__ import annotations

import gc
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from typing import Any

from premier_policy import replay

PARIS_WINTER = timezone(timedelta(hours=1))
START = datetime(2026, 1, 5, 8, tzinfo=PARIS_WINTER)
SPAN = timedelta(days=240)
TARGET_EVENTS_PER_SECOND = 50_000  # issue #17
MAX_RATIO = 11.0


def _life(rng: random.Random) -> list[dict[str, Any]]:
    """The events of one incident after its opening, without instants or IDs."""
    steps: list[dict[str, Any]] = [{"type": "staff_reply"}]
    for _ in range(rng.randrange(3)):
        steps += [{"type": "customer_reply"}, {"type": "staff_reply"}]
    steps.append({"type": "log_time", "minutes": rng.choice((30, 60, 90, 185))})
    if rng.random() < 0.1:
        steps.append({"type": "extend"})  # refused unless the warning level is reached
    fate = rng.random()
    if fate < 0.08:
        steps.append({"type": "invalidate", "reason": "out_of_scope"})
    else:
        steps.append({"type": "resolve"})
        if fate < 0.3:
            steps.append({"type": "close"})
        if fate < 0.4:
            steps += [{"type": "reopen"}, {"type": "staff_reply"}, {"type": "resolve"}]
    return steps


def scenario(events: int, customers: int, incidents: int, *, seed: int = 7) -> dict[str, Any]:
    """A scenario of exactly ``events`` events over ``customers`` and ``incidents``."""
    rng = random.Random(seed)
    step = SPAN / events
    out: list[dict[str, Any]] = []
    credits = dict.fromkeys(range(customers), 0)
    purchases = opened = 0
    active: list[tuple[str, list[dict[str, Any]]]] = []
    while len(out) < events:
        at = (START + step * len(out)).isoformat()
        roll = rng.random()
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
        out.append({"at": at, **event})
    return {"until": (START + SPAN).isoformat(), "events": out}


class _Collector:
    """The CPU seconds the cyclic garbage collector ran, timed through ``gc.callbacks``."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._began = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.process_time()
        else:
            self.seconds += time.process_time() - self._began


def measure(
    events: int, customers: int, incidents: int, *, repeat: int
) -> tuple[float, float, float]:
    """The best of ``repeat`` replays: (wall-clock seconds, CPU seconds of this process,
    CPU seconds of it the cyclic garbage collector ran). Generating the scenario is not
    counted; building the outcome is."""
    document = scenario(events, customers, incidents)
    wall = cpu = collector_seconds = float("inf")
    for _ in range(repeat):
        collector = _Collector()
        gc.callbacks.append(collector)
        try:
            began, began_cpu = time.perf_counter(), time.process_time()
            replay(document)
            spent, spent_cpu = time.perf_counter() - began, time.process_time() - began_cpu
        finally:
            gc.callbacks.remove(collector)
        wall = min(wall, spent)
        if spent_cpu < cpu:
            cpu, collector_seconds = spent_cpu, collector.seconds
    return wall, cpu, collector_seconds


def main() -> int:
    """Print the figures; exit 1 when a target is missed (judged on CPU time, which other
    processes on the machine disturb less than the wall clock)."""
    small = measure(10_000, 100, 2_000, repeat=3)
    large = measure(100_000, 1_000, 20_000, repeat=2)
    rate, ratio = 100_000 / large[1], large[1] / small[1]
    print("replay, in process (scenario dict -> outcome dict; JSON text not involved)")
    print("                                                      wall      CPU")
    print(
        f"  10,000 events (100 customers, 2,000 incidents):   {small[0]:6.2f} s {small[1]:6.2f} s"
    )
    print(
        f"  100,000 events (1,000 customers, 20,000 incidents): {large[0]:5.2f} s {large[1]:6.2f} s"
    )
    print(f"  throughput: {rate:,.0f} events/s CPU, {100_000 / large[0]:,.0f} wall "
          f"(target >= {TARGET_EVENTS_PER_SECOND:,})")  # fmt: skip
    print(f"  100k / 10k time ratio: {ratio:.1f}x CPU (target <= {MAX_RATIO:.0f}x)")
    # Not a target: where the time beyond 10x goes. The collector's full passes scan every
    # live object, and only the large world is big enough to trigger them.
    bare = (large[1] - large[2]) / (small[1] - small[2])
    print(f"  of which the cyclic garbage collector: {small[2]:.2f} s and {large[2]:.2f} s; "
          f"ratio without its time: {bare:.1f}x")  # fmt: skip
    return 0 if rate >= TARGET_EVENTS_PER_SECOND and ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
