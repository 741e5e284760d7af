"""The whole process: ``premier-policy replay FILE > out.json`` and ``premier-policy due``.

Two targets, each measured on real processes started here (the best of a few runs):

- **replay**: the 100,000-event scenario of ``bench_replay``, read from a file and its
  outcome written to a file, start-up, parsing and writing included: at least 30,000
  events per second of the process's CPU time (user + system, which other processes on
  the machine disturb less than the wall clock).
- **due**: ``premier-policy due INSTANT``, at most 120 ms of wall-clock time, beside a
  Python that does nothing (``python -c pass``) for scale.

Then where the replay's time goes, in this process: reading (bytes -> JSON, then each
event structured into its value object), the engine, the outcome as plain data
(unstructuring), the canonical text (encoding) and writing it. Everything but the engine
is the shell's and the wire's, and is printed per event.

Run: ``.venv/bin/python bench/bench_process.py`` (or ``make bench``).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_replay import scenario

TARGET_EVENTS_PER_SECOND = 30_000
MAX_DUE_SECONDS = 0.120
EVENTS = 100_000
INSTANT = "2026-11-27T18:30:00+01:00"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_process(argv: list[str], *, out: Path | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``argv``, standard output to ``out``."""
    cpu = _children_cpu()
    began = time.perf_counter()
    with open(os.devnull if out is None else out, "wb") as sink:
        subprocess.run(argv, stdout=sink, check=True)
    return time.perf_counter() - began, _children_cpu() - cpu


def best(argv: list[str], repeat: int, *, out: Path | None = None) -> tuple[float, float]:
    """The best wall and the best CPU time of ``repeat`` runs."""
    runs = [run_process(argv, out=out) for _ in range(repeat)]
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def _timed(call: Callable[[], Any]) -> tuple[Any, float]:
    began = time.process_time()
    value = call()
    return value, time.process_time() - began


def breakdown(path: Path, out: Path) -> dict[str, float]:
    """CPU seconds of each part of a replay, in this process: read, structure, engine,
    unstructure, encode, write."""
    import premier_policy.engine._replay as engine_replay
    from premier_policy import event_from_dict, replay
    from premier_policy.shell._encoding import decode, encode_outcome

    document, read = _timed(lambda: decode(path.read_bytes().decode("utf-8")))
    _, structure = _timed(lambda: [event_from_dict(raw) for raw in document["events"]])
    spent = [0.0]
    # The engine's replay calls the wire's outcome_dict: timed through the module's dict.
    names = vars(engine_replay)
    outcome_dict = names["outcome_dict"]

    def unstructure(*args: Any) -> dict[str, Any]:  # the wire's part of replay, timed
        data, seconds = _timed(lambda: outcome_dict(*args))
        spent[0] += seconds
        result: dict[str, Any] = data
        return result

    names["outcome_dict"] = unstructure
    try:
        outcome, whole = _timed(lambda: replay(document))
    finally:
        names["outcome_dict"] = outcome_dict
    text, encode = _timed(lambda: encode_outcome(outcome))
    _, write = _timed(lambda: out.write_text(text, encoding="utf-8"))
    return {
        "read (bytes -> JSON)": read,
        "structure (JSON -> events)": structure,
        "engine": whole - structure - spent[0],
        "unstructure (outcome -> data)": spent[0],
        "encode (data -> text)": encode,
        "write": write,
    }


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        path, out = Path(folder) / "scenario.json", Path(folder) / "out.json"
        path.write_text(json.dumps(scenario(EVENTS, 1_000, 20_000)), encoding="utf-8")
        command = [python, "-m", "premier_policy", "replay", str(path)]
        wall, cpu = best(command, 2, out=out)
        size = out.stat().st_size
        startup = best([python, "-c", "import premier_policy.shell.cli"], 5)
        parts = breakdown(path, out)
    rate = EVENTS / cpu
    print(f"premier-policy replay FILE > out.json, {EVENTS:,} events ({size / 1e6:.0f} MB out)")
    print(f"  whole process: {wall:.2f} s wall, {cpu:.2f} s CPU: {rate:,.0f} events/s CPU, "
          f"{EVENTS / wall:,.0f} wall (target >= {TARGET_EVENTS_PER_SECOND:,})")  # fmt: skip
    print(f"  start-up (import the command): {startup[1] * 1000:.0f} ms CPU")
    print("  where the time goes (CPU, in process):")
    total = sum(parts.values())
    for name, seconds in parts.items():
        print(f"    {name:<31} {seconds:6.2f} s {seconds / EVENTS * 1e6:6.1f} us/event "
              f"{seconds / total:4.0%}")  # fmt: skip
    shell = total - parts["engine"] + startup[1]
    print(f"  the shell's and the wire's part (all but the engine, start-up included): "
          f"{shell / EVENTS * 1e6:.1f} us/event")  # fmt: skip
    due = best([python, "-m", "premier_policy", "due", INSTANT], 10)
    floor = best([python, "-c", "pass"], 10)
    print(f"premier-policy due INSTANT: {due[0] * 1000:.0f} ms wall, best of 10 "
          f"(target <= {MAX_DUE_SECONDS * 1000:.0f}); python -c pass: {floor[0] * 1000:.0f} ms")  # fmt: skip
    return 0 if rate >= TARGET_EVENTS_PER_SECOND and due[0] <= MAX_DUE_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
