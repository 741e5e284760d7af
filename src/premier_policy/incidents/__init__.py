"""Incidents (``lifecycle.*``, ``response.*``, ``time.*``, ``scope.*``): states and the
transition table, response targets, the time allowance and the lifecycle that applies events.
"""

from premier_policy.incidents._allowance import Allowance
from premier_policy.incidents._incident import Incident
from premier_policy.incidents._lifecycle import Step, advance, apply, open_incident
from premier_policy.incidents._response import ResponseTarget
from premier_policy.incidents._states import (
    TRANSITIONS,
    State,
    Transition,
    TransitionTable,
    mermaid_diagram,
)

__all__ = [
    "TRANSITIONS",
    "Allowance",
    "Incident",
    "ResponseTarget",
    "State",
    "Step",
    "Transition",
    "TransitionTable",
    "advance",
    "apply",
    "mermaid_diagram",
    "open_incident",
]
