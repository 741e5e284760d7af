"""The engine: the :class:`~premier_policy.World` that applies events in time order and
fires timers, and ``replay``, a scenario in and an outcome out.
"""

from premier_policy.engine._ledger import CreditLedger, LedgerEntry, credit_ledger
from premier_policy.engine._replay import Moment, Trace, replay, trace
from premier_policy.engine._story import IncidentStory, StoryFact, StoryStep, incident_story
from premier_policy.engine._time_order import ACCEPTED, Accepted
from premier_policy.engine._world import Applied, World

__all__ = [
    "ACCEPTED",
    "Accepted",
    "Applied",
    "CreditLedger",
    "IncidentStory",
    "LedgerEntry",
    "Moment",
    "StoryFact",
    "StoryStep",
    "Trace",
    "World",
    "credit_ledger",
    "incident_story",
    "replay",
    "trace",
]
