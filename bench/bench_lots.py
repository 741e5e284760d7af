"""Lots per customer: the cost of one event as one customer's lots grow to 20,000.

One customer buys ``n`` single-credit lots (one a minute, all applied to a
:class:`~premier_policy.World`), then the same few hundred events run against each
world: an incident opened (a credit consumed, ``credits.consume-order``), invalidated
(the credit restored, ``credits.restore``), and the customer's balance asked for. Their
cost per event, in CPU seconds (best of a few runs), is printed for ``n`` = 1,000,
5,000 and 20,000, and the target is a flat line: the 20,000-lot cost at most
:data:`MAX_RATIO` times the 1,000-lot one (it grew with ``n`` when every event scanned
and copied the customer's lots).

Run: ``.venv/bin/python bench/bench_lots.py`` (or ``make bench``).
"""

from __future__ import annotations

import gc
import sys
import time

import pendulum

from premier_policy import Invalidate, Open, Purchase, World

SIZES = (1_000, 5_000, 20_000)
MAX_RATIO = 2.0
EVENTS = 200  # open + invalidate pairs, each with a balance asked for
START = pendulum.datetime(2026, 1, 5, 8, tz="UTC")


def bought(n: int) -> World:
    """A world where customer ``acme`` bought ``n`` single-credit lots, one a minute."""
    world = World()
    for i in range(n):
        event = Purchase(at=START.add(minutes=i), customer="acme", id=f"p{i}", product="single")
        world = world.apply(event).world
    return world


def run(world: World, n: int) -> float:
    """CPU seconds per event for :data:`EVENTS` opens and invalidations on ``world``."""
    at = START.add(minutes=n + 1)
    gc.collect()
    began = time.process_time()
    for i in range(EVENTS):
        at = at.add(minutes=1)
        world = world.apply(Open(at=at, customer="acme", id=f"i{i}", area="setup")).world
        world.accounts["acme"].balance(at)
        at = at.add(minutes=1)
        world = world.apply(Invalidate(at=at, incident=f"i{i}", reason="vendor_bug")).world
        world.accounts["acme"].balance(at)
    assert world.accounts["acme"].balance(at) == n  # every credit came back
    return (time.process_time() - began) / (2 * EVENTS)


def main() -> int:
    """Print the per-event costs; exit 1 when the 20,000-lot one is not flat."""
    cost: dict[int, float] = {}
    built: dict[int, float] = {}
    for n in SIZES:
        began = time.process_time()
        world = bought(n)
        built[n] = (time.process_time() - began) / n
        cost[n] = min(run(world, n) for _ in range(3))
    print(f"{'lots':>8} {'per purchase (built)':>22} {'per event':>12} {'vs 1,000':>9}")
    for n in SIZES:
        ratio = cost[n] / cost[SIZES[0]]
        print(f"{n:>8,} {built[n] * 1e6:>19.0f} us {cost[n] * 1e6:>9.0f} us {ratio:>8.2f}x")
    ratio = cost[SIZES[-1]] / cost[SIZES[0]]
    if ratio > MAX_RATIO:
        print(f"MISSED: {SIZES[-1]:,} lots cost {ratio:.2f}x the 1,000-lot event (> {MAX_RATIO}x)")
        return 1
    print(f"ok: {SIZES[-1]:,} lots cost {ratio:.2f}x the 1,000-lot event (target <= {MAX_RATIO}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
