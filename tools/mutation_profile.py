"""A pytest plugin for mutation runs: registers the Hypothesis profile ``mutation``.

``tools/mutation.py`` loads it (``PYTEST_PLUGINS``) and selects the profile
(``HYPOTHESIS_PROFILE``), which ``tests/conftest.py`` then loads. Each mutant runs the
tests that reach its function; 25 derandomized examples per property keep that fast
and the verdict the same on every run, while the laws still see varied input.

A mutant needs a verdict, not a minimal counterexample, so the profile does not shrink:
shrinking the failure a mutant causes can outlast mutmut's timeout and turn a killed
mutant into a timeout (every mutant of ``Changing.between`` was one). ``hypothesis.find``
keeps shrinking: the strategies' doctests show its answer, which is the shrunk example.

Under a mutant the plugin also orders the tests mutmut selected: the mutant's own
module's tests first (``premier_policy.hours._timetable`` -> ``tests/hours/
test_timetable.py``), then the rest, quickest first by the durations mutmut measured.
mutmut passes its selection in no fixed order and stops at the first failure, so a
killed mutant's verdict is the same in any order; but a slow test ahead of the one that
kills cost time, and a test that waits (a Dask cluster a mutant left without an answer)
turned a mutant its own tests kill into a timeout.

Under a mutant it leaves out ``tests/shell/test_batch.py``: each of its checks compares
a report computed on a Dask cluster with one computed in process, and a mutant changes
the library on both sides alike (the workers inherit the mutant's name and path); what
only the split can change, the in-process laws of ``tests/whatif`` check. Starting
clusters was 40% of the time of a mutant that survives (32 of 74 s for one of the
agenda's). Leaving tests out can only leave more mutants alive: the score can only be
understated.

And it gives a mutant's process a live Dask offload thread. mutmut forks each mutant's
process from its main one, which ran the clean suite first: Dask's module-level offload
executor (``distributed.utils._offload_executor``) had started its thread there, and a
fork copies the executor but not the thread, so a cluster test's ``gather`` waited
forever for a message nothing would ever decode, and every mutant that reached one ran
until its timeout.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, Phase, settings

settings.register_profile(
    "mutation",
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)

_find = hypothesis.find


@functools.wraps(_find)
def _shrinking_find(specifier: Any, condition: Any, **options: Any) -> Any:
    if options.get("settings") is None:  # find's own default, shrinking included
        options["settings"] = settings(max_examples=2000, phases=tuple(Phase))
    return _find(specifier, condition, **options)


# Doctests import find from hypothesis when they run, after this plugin is loaded.
hypothesis.find = _shrinking_find


def own_tests(mutant: str) -> str:
    """The test file of the module a mutant is in, as a node ID prefix.

    >>> own_tests("premier_policy.hours._timetable.xǁTimetableǁadd__mutmut_3")
    'tests/hours/test_timetable.py::'
    >>> own_tests("premier_policy.x_replay__mutmut_1")
    'tests/test_init.py::'
    >>> own_tests("premier_policy.base.x_named__mutmut_1")
    'tests/base/test_init.py::'
    """
    parts = mutant.split(".")
    modules = [part.removeprefix("_") for part in parts[1:] if not part.startswith("x")]
    # A function of an __init__ (the package's, or a wing's) is tested in test_init.py.
    return "/".join(["tests", *modules[:1], f"test_{(modules[1:] or ['init'])[0]}.py::"])


def _durations() -> dict[str, float]:
    """mutmut's measured duration of each test; mutmut runs the tests in ``mutants/``."""
    try:
        stats = json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    durations: dict[str, float] = stats.get("duration_by_test", {})
    return durations


def _under_a_mutant() -> bool:
    return "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", "")


def pytest_configure(config: pytest.Config) -> None:
    """Under a mutant: a fresh offload executor for Dask, if the parent had imported it."""
    utils = sys.modules.get("distributed.utils")
    if _under_a_mutant() and utils is not None:
        vars(utils)["_offload_executor"] = ThreadPoolExecutor(1, thread_name_prefix="Dask-Offload")


#: Tests a mutant does not run (see the module's docstring).
LEFT_OUT = ("tests/shell/test_batch.py::",)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under a mutant: the cluster tests left out, its own module's tests first, then
    the quickest first."""
    if not _under_a_mutant():  # the stats and clean runs keep pytest's order
        return
    left_out = [item for item in items if item.nodeid.startswith(LEFT_OUT)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.nodeid.startswith(LEFT_OUT)]
    own = own_tests(os.environ["MUTANT_UNDER_TEST"])
    durations = _durations()
    items.sort(key=lambda item: (not item.nodeid.startswith(own), durations.get(item.nodeid, 0.0)))
