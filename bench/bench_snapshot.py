"""Snapshots: restoring the 100,000-event bench world against replaying its events.

The world is the one ``bench_replay`` builds (1,000 customers, 20,000 incidents over
eight months). Three figures, each the best of a few runs, timed in CPU seconds:

- **restore**: ``World.restore(snapshot)`` (digest and every check included) against
  ``replay`` of the 100,000 events; the target is at least 5x faster. A continued
  ``replay`` (``"state"``, no events) is printed beside it: it writes the same outcome as
  the full replay, so the outcome's cost is in both.
- **size**: the snapshot's JSON text, in bytes per incident (not a target).
- **one more event**: applying one event to the restored world against applying it to
  the world built by applying the events one by one; the target is a ratio within
  0.5x-2x (the same cost: the restored world is the same value).

Run: ``.venv/bin/python bench/bench_snapshot.py`` (or ``make bench``).
"""

from __future__ import annotations

import functools
import gc
import json
import sys
import time
from collections.abc import Callable

from bench_replay import scenario

from premier_policy import StaffReply, World, event_from_dict, replay

MIN_RESTORE_SPEEDUP = 5.0
SAME_COST = (0.5, 2.0)


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


def best(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """The least CPU seconds of ``repeat`` runs, and the collector's share of that run."""
    spent, collected = float("inf"), 0.0
    for _ in range(repeat):
        gc.collect()
        collector = _Collector()
        gc.callbacks.append(collector)
        try:
            began = time.process_time()
            run()
            took = time.process_time() - began
        finally:
            gc.callbacks.remove(collector)
        if took < spent:
            spent, collected = took, collector.seconds
    return spent, collected


def per_event(world: World, event: StaffReply, repeat: int = 2000) -> float:
    """CPU seconds for ``world.apply(event)``, averaged over ``repeat`` applications."""
    began = time.process_time()
    for _ in range(repeat):
        world.apply(event)
    return (time.process_time() - began) / repeat


def main() -> int:
    """Print the figures; exit 1 when a target is missed.

    Each side runs with only its own input alive, as in a host: the replay with the
    scenario, the restore with the snapshot (kept as JSON text in between, which the
    garbage collector does not trace). Both pay the collector's passes over what they
    build, which is much of a restore's time; the line after the targets says how much.
    """
    events = {"events": scenario(100_000, 1_000, 20_000)["events"]}
    text = json.dumps(replay({**events, "return_state": True})["state"], ensure_ascii=False)
    replayed, replayed_gc = best(functools.partial(replay, events), 2)
    del events
    state = json.loads(text)
    restored, restored_gc = best(lambda: World.restore(state), 3)
    continued, _ = best(lambda: replay({"events": [], "state": state}), 2)
    size = len(text.encode())
    incidents = len(state["incidents"])
    world = World.restore(state)
    folded = World(world.policy)
    for raw in scenario(100_000, 1_000, 20_000)["events"]:  # the same again (one seed)
        folded = folded.apply(event_from_dict(raw)).world
    assert world.snapshot() == folded.snapshot()
    waiting = next(
        key for key, incident in world.incidents.items() if incident.state == "waiting_on_staff"
    )
    assert world.at is not None
    event = StaffReply(at=world.at.add(minutes=1), incident=waiting)
    on_restored, on_folded = per_event(world, event), per_event(folded, event)

    speedup = replayed / restored
    same = on_restored / on_folded
    print("snapshots of the 100,000-event world (1,000 customers, 20,000 incidents), CPU")
    print(f"  replay of its events:                  {replayed:6.2f} s")
    print(f"  World.restore(snapshot):               {restored:6.2f} s   "
          f"{speedup:.1f}x faster (target >= {MIN_RESTORE_SPEEDUP:.0f}x)")  # fmt: skip
    print(f"  replay continued from state, no events: {continued:5.2f} s   "
          f"{replayed / continued:.1f}x faster (same outcome written)")  # fmt: skip
    print(f"  of which the cyclic garbage collector: {replayed_gc:.2f} s and {restored_gc:.2f} s; "
          f"{(replayed - replayed_gc) / (restored - restored_gc):.1f}x without it")  # fmt: skip
    print(f"  snapshot size: {size:,} bytes of JSON, {size / incidents:,.0f} "
          f"bytes per incident ({incidents:,} incidents)")  # fmt: skip
    print(f"  one more event: {on_restored * 1e6:.0f} us on the restored world, "
          f"{on_folded * 1e6:.0f} us on the world built event by event: {same:.2f}x "
          f"(target {SAME_COST[0]}x-{SAME_COST[1]}x)")  # fmt: skip
    ok = speedup >= MIN_RESTORE_SPEEDUP and SAME_COST[0] <= same <= SAME_COST[1]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
