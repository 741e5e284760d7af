"""Hypothesis strategies for property-testing code that uses ``premier_policy``.

Install the ``strategies`` extra (``pip install premier-policy[strategies]``) and import
this module from your tests only: it needs Hypothesis, which ``import premier_policy``
never loads.

Every option is keyword-only. A bad option raises Hypothesis's
:class:`~hypothesis.errors.InvalidArgument` as soon as the strategy is built, never a
surprise halfway through a test run.

>>> from hypothesis import find
>>> from premier_policy.strategies import instants
>>> t = find(instants(), lambda t: t.hour == 19 and t.minute == 0)
>>> t.tzinfo.name, t.format("HH:mm:ss.SSSSSS")
('Europe/Paris', '19:00:00.000000')
"""

from __future__ import annotations

from premier_policy.strategies._accounts import accounts
from premier_policy.strategies._events import events
from premier_policy.strategies._instants import instants
from premier_policy.strategies._options import (
    DEFAULT_MAX,
    DEFAULT_MIN,
    HOLIDAYS,
    ZONES,
    Bias,
    Holidays,
    Terms,
    Validity,
)
from premier_policy.strategies._policies import calendars, policies
from premier_policy.strategies._scenarios import scenarios
from premier_policy.strategies._timelines import timelines

__all__ = []

__all__ = [
    "DEFAULT_MAX",
    "DEFAULT_MIN",
    "HOLIDAYS",
    "ZONES",
    "Bias",
    "Holidays",
    "Terms",
    "Validity",
    "accounts",
    "calendars",
    "events",
    "instants",
    "policies",
    "scenarios",
    "timelines",
]
