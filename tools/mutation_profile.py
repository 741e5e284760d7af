"""A pytest plugin for mutation runs: registers the Hypothesis profile ``mutation``.

``tools/mutation.py`` loads it (``PYTEST_PLUGINS``) and selects the profile
(``HYPOTHESIS_PROFILE``), which ``tests/conftest.py`` then loads. Each mutant runs the
tests that reach its function; 25 derandomized examples per property keep that fast
and the verdict the same on every run, while the laws still see varied input.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "mutation",
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
