"""A pytest plugin for mutation runs: registers the Hypothesis profile ``mutation``.

``tools/mutation.py`` loads it (``PYTEST_PLUGINS``) and selects the profile
(``HYPOTHESIS_PROFILE``), which ``tests/conftest.py`` then loads. Each mutant runs the
tests that reach its function; 25 derandomized examples per property keep that fast
and the verdict the same on every run, while the laws still see varied input.

A mutant needs a verdict, not a minimal counterexample, so the profile does not shrink:
shrinking the failure a mutant causes can outlast mutmut's timeout and turn a killed
mutant into a timeout (every mutant of ``Changing.between`` was one). ``hypothesis.find``
keeps shrinking: the strategies' doctests show its answer, which is the shrunk example.
"""

from __future__ import annotations

import functools
from typing import Any

import hypothesis
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
