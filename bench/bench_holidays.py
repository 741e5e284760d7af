"""Holidays and dated changes on the hot path: peers of one calendar, one process.

``hours.holidays`` and ``policy.changes`` promise no slowdown of business-time
arithmetic: a year's holidays are computed once, with the year's table, and a timeline
of hours looks up its segment with one bisection. Three calendars run the same
workloads on the same 20,000 random instants over 2026-2027 (seeded), taking turns
chunk by chunk so that load on the machine hits them alike:

- ``plain``: ``Calendar()``, the service's office hours;
- ``holidays``: the same, closed on French public holidays;
- ``changing``: the hours of a policy whose hours change on 1 January 2027 (French
  holidays from then on), as every version of that policy counts them.

Workloads: ``add`` (+2 business hours) and ``between`` (business time over 30 days).
Targets: each peer within :data:`TARGET` times the plain calendar's cost. Tables are
warm (each calendar is built once, its first call made before timing).

Run: ``.venv/bin/python bench/bench_holidays.py`` (or ``make bench``).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from premier_policy import Calendar, Policy, PolicyChange, PublicHolidays

INSTANTS = 20_000
SEED = 2026
FIRST, LAST = datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
TWO_HOURS = timedelta(hours=2)
MONTH = timedelta(days=30)
TARGET = 1.5  # a peer costs at most this many times the plain calendar
CHUNKS = 10
ROUNDS = 3


def calendars() -> dict[str, Calendar]:
    """The three peers, their tables warm."""
    france = Calendar(holidays=PublicHolidays("FR"))
    change = PolicyChange(datetime(2027, 1, 1, tzinfo=UTC), Policy(calendar=france))
    found = {
        "plain": Calendar(),
        "holidays": france,
        "changing": Policy(changes=[change]).versions[0].calendar,
    }
    for calendar in found.values():
        for year in (2026, 2027, 2028):
            calendar.add(datetime(year, 6, 1, tzinfo=UTC), TWO_HOURS)
    return found


def timed(
    runs: dict[str, Callable[[datetime], Any]], inputs: Sequence[datetime]
) -> dict[str, float]:
    """µs per call of each peer over ``inputs``, best of :data:`ROUNDS` per chunk."""
    best = {name: [float("inf")] * CHUNKS for name in runs}
    size = -(-len(inputs) // CHUNKS)
    for _ in range(ROUNDS):
        for chunk in range(CHUNKS):
            part = inputs[chunk * size : (chunk + 1) * size]
            for name, call in runs.items():
                began = time.perf_counter()
                list(map(call, part))
                best[name][chunk] = min(best[name][chunk], time.perf_counter() - began)
    return {name: sum(best[name]) / len(inputs) * 1e6 for name in runs}


def table(title: str, costs: dict[str, float]) -> tuple[float, list[str]]:
    """The printed table of one workload, and its worst ratio to ``plain``."""
    lines = [title, f"  {'calendar':<12}{'µs/call':>9}{'ratio':>9}"]
    plain = costs["plain"]
    for name, cost in costs.items():
        lines.append(f"  {name:<12}{cost:>9.2f}{cost / plain:>8.2f}x")
    worst = max(cost / plain for cost in costs.values())
    verdict = "OK" if worst <= TARGET else "MISSED"
    lines.append(f"  target: every peer within {TARGET}x of plain -> {worst:.2f}x {verdict}")
    return worst, lines


def adder(calendar: Calendar) -> Callable[[datetime], Any]:
    """+2 business hours under ``calendar``."""
    return lambda t: calendar.add(t, TWO_HOURS)


def counter(calendar: Calendar) -> Callable[[datetime], Any]:
    """Business time in the 30 days from an instant under ``calendar``."""
    return lambda t: calendar.between(t, t + MONTH)


def main() -> int:
    """Print both tables; 1 when a peer misses the target."""
    rng = random.Random(SEED)
    seconds = int((LAST - FIRST).total_seconds())
    starts = [FIRST + timedelta(seconds=rng.randrange(seconds)) for _ in range(INSTANTS)]
    peers = calendars()
    add = timed({name: adder(c) for name, c in peers.items()}, starts)
    between = timed({name: counter(c) for name, c in peers.items()}, starts)
    worst_add, add_lines = table("add: +2 business hours", add)
    worst_between, between_lines = table("between: 30 days", between)
    print("\n".join([*add_lines, "", *between_lines]))
    return 0 if max(worst_add, worst_between) <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
