"""Mutation testing: run mutmut over ``src/premier_policy`` and gate on the score.

``make mutation`` runs this. mutmut (3.x, configured in ``[tool.mutmut]`` of
``pyproject.toml``) copies the sources into ``mutants/``, runs the whole
suite once to learn which tests reach which function (the doctests of ``src/``, the docs
and the README included), then runs each mutant against the tests that reach it (in the
order, and without the cluster tests, that ``tools/mutation_profile.py`` sets). This
script gives mutmut a time budget, exports its statistics
(``mutmut export-cicd-stats`` writes ``mutants/mutmut-cicd-stats.json``) and prints

    score = killed / (total - skipped - no_tests)

exiting 1 below the threshold (90% by default). Mutants not yet checked when the budget
ran out count against the score, so a partial run can only understate it; the script
says so. Results are kept in ``mutants/``, so running again resumes where it stopped.

Usage: ``python tools/mutation.py [--budget MINUTES] [--children N] [--threshold PCT]
[--report] [PATTERN ...]`` where a pattern selects mutants by name, for example
``'premier_policy.terms._catalog.*'`` for one module, and ``--report`` only reports the
results kept from earlier runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATS = ROOT / "mutants" / "mutmut-cicd-stats.json"
# Outcomes mutmut counts in ``total`` besides killed, survived, no_tests and skipped.
OTHER_OUTCOMES = ("suspicious", "timeout", "segfault", "check_was_interrupted_by_user")


def mutmut() -> str:
    """The mutmut beside this interpreter (the project's .venv), else the one on PATH."""
    here = Path(sys.executable).with_name("mutmut")
    found = str(here) if here.exists() else shutil.which("mutmut")
    if found is None:
        sys.exit("mutmut is not installed: make mutation installs the 'mutation' extra")
    return found


def environment() -> dict[str, str]:
    """The environment of a mutation run: the light Hypothesis profile of
    ``tools/mutation_profile.py``, whatever profile CI would otherwise pick."""
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "tools"), env.get("PYTHONPATH")]))
    env["PYTEST_PLUGINS"] = "mutation_profile"
    env["HYPOTHESIS_PROFILE"] = "mutation"
    return env


def run_with_budget(command: list[str], budget_s: float) -> bool:
    """Run ``command`` in its own process group; stop the group when the budget is spent.
    True if it finished by itself."""
    with subprocess.Popen(command, cwd=ROOT, env=environment(), start_new_session=True) as process:
        try:
            process.wait(timeout=budget_s)
        except subprocess.TimeoutExpired:
            print(f"\nbudget of {budget_s / 60:.0f} min spent: stopping mutmut", flush=True)
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            return False
    return process.returncode == 0


def unsettled() -> list[str]:
    """The mutants that survived or timed out, by name: the verdicts that tests written
    since, or a less loaded machine, can change."""
    from mutmut.stats import status_by_exit_code  # mutmut's own exit-code meanings

    names = []
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        names += [
            name
            for name, code in codes.items()
            if code is not None and status_by_exit_code[code] in ("survived", "timeout")
        ]
    return names


def score(stats: dict[str, int]) -> tuple[float, int, int]:
    """killed / (total - skipped - no_tests), with the numerator and the denominator."""
    counted = stats["total"] - stats["skipped"] - stats["no_tests"]
    return (stats["killed"] / counted if counted else 0.0), stats["killed"], counted


def report(stats: dict[str, int], threshold: float, wall_s: float, finished: bool) -> int:
    value, killed, counted = score(stats)
    checked = sum(stats[k] for k in ("killed", "survived", "no_tests", "skipped", *OTHER_OUTCOMES))
    unchecked = stats["total"] - checked
    print(f"mutants: {stats['total']} in all, {killed} killed, {stats['survived']} survived,")
    print(
        f"         {stats['no_tests']} with no tests, {stats['skipped']} skipped, "
        + ", ".join(f"{stats[k]} {k}" for k in OTHER_OUTCOMES if stats[k])
        + (f", {unchecked} not checked" if unchecked else "")
    )
    print(f"score: {killed}/{counted} = {value:.1%} (threshold {threshold:.0%})")
    print(f"wall time: {wall_s / 60:.1f} min" + ("" if finished else " (budget spent: partial)"))
    if unchecked:
        done = checked - stats["skipped"] - stats["no_tests"]
        print(f"over the {checked} mutants checked: {killed}/{done} = {killed / max(done, 1):.1%}")
        print("partial run: unchecked mutants count as not killed; run again to resume")
    return 0 if value >= threshold else 1


def by_module() -> dict[str, Counter[str]]:
    """Each mutated module's outcomes, read from mutmut's per-file results, by its path
    in the package (``hours/_calendar``: two wings both have an ``_events``)."""
    from mutmut.stats import status_by_exit_code  # mutmut's own exit-code meanings

    package = ROOT / "mutants" / "src" / "premier_policy"
    modules: dict[str, Counter[str]] = {}
    for meta in sorted(package.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        if codes:
            name = meta.relative_to(package).as_posix().removesuffix(".py.meta")
            modules[name] = Counter(status_by_exit_code[code] for code in codes.values())
    return modules


def by_wing(modules: dict[str, Counter[str]]) -> dict[str, Counter[str]]:
    """The outcomes of each wing (``hours/``, ``credits/``...); the package's own modules
    (``rules``, ``__init__``) are the wing ``(top)``."""
    wings: dict[str, Counter[str]] = {}
    for name, counts in modules.items():
        wing = name.split("/")[0] + "/" if "/" in name else "(top)"
        wings.setdefault(wing, Counter()).update(counts)
    return wings


def print_modules(modules: dict[str, Counter[str]], title: str = "module") -> None:
    """One line per module: its mutants, and the score over those checked so far."""
    print(f"{title:<24} {'mutants':>7} {'checked':>7} {'killed':>6} {'survived':>8}  score")
    for name, counts in modules.items():
        total = sum(counts.values())
        checked = total - counts["not checked"]
        counted = checked - counts["skipped"] - counts["no tests"]
        shown = f"{counts['killed'] / counted:.1%}" if counted else "-"
        print(
            f"{name:<24} {total:>7} {checked:>7} {counts['killed']:>6} "
            f"{counts['survived']:>8}  {shown}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("patterns", nargs="*", help="mutant name patterns (default: all)")
    parser.add_argument("--budget", type=float, default=40, help="minutes (default 40)")
    parser.add_argument("--children", type=int, default=2, help="parallel workers (default 2)")
    parser.add_argument("--threshold", type=float, default=90, help="percent (default 90)")
    parser.add_argument("--report", action="store_true", help="report the last run only")
    args = parser.parse_args(argv)

    start = time.monotonic()
    finished = True
    if not args.report:
        deadline = start + args.budget * 60
        command = [mutmut(), "run", "--max-children", str(args.children), *args.patterns]
        finished = run_with_budget(command, deadline - time.monotonic())
        # mutmut keeps a verdict once given: survivors and timeouts are run once more, by
        # name, so that tests written since their verdict count.
        again = unsettled() if finished and not args.patterns else []
        if again:
            print(
                f"re-running {len(again)} survivors and timeouts against today's tests", flush=True
            )
            command = [mutmut(), "run", "--max-children", str(args.children), *again]
            finished = run_with_budget(command, max(deadline - time.monotonic(), 60))
    exported = subprocess.run([mutmut(), "export-cicd-stats"], cwd=ROOT, check=False)
    if exported.returncode != 0 or not STATS.exists():
        print("no mutation statistics were written: see mutmut's output above")
        return 2
    stats = json.loads(STATS.read_text(encoding="utf-8"))
    modules = by_module()
    print_modules(modules)
    print()
    print_modules(by_wing(modules), "wing")
    return report(stats, args.threshold / 100, time.monotonic() - start, finished)


if __name__ == "__main__":
    sys.exit(main())
