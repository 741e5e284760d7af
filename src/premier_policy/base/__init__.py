"""The ground every wing stands on: the rule registry, the one exception type, refusals,
events, notifications and the boundary where instants are checked and normalised.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a type checker and a reader see; at run time, __getattr__ below
    from premier_policy.base._errors import PolicyError
    from premier_policy.base._events import (
        AREAS,
        INVALID_REASONS,
        Area,
        Close,
        CustomerReply,
        Event,
        Extend,
        IncidentEvent,
        Invalidate,
        InvalidReason,
        LogTime,
        Open,
        Purchase,
        RefundRequest,
        Reopen,
        Resolve,
        StaffReply,
    )
    from premier_policy.base._notifications import Audience, Notification, NotificationKind
    from premier_policy.base._refusal import Refusal
    from premier_policy.base._rules import RULES, Rule, RuleId

__all__ = [
    "AREAS",
    "INVALID_REASONS",
    "RULES",
    "Area",
    "Audience",
    "Close",
    "CustomerReply",
    "Event",
    "Extend",
    "IncidentEvent",
    "InvalidReason",
    "Invalidate",
    "LogTime",
    "Notification",
    "NotificationKind",
    "Open",
    "PolicyError",
    "Purchase",
    "RefundRequest",
    "Refusal",
    "Reopen",
    "Resolve",
    "Rule",
    "RuleId",
    "StaffReply",
]

#: Where each name lives, imported on first use: a wing that needs only the rules and
#: instants (the calendar, ``premier-policy due``) never loads the events' classes.
_HOMES: dict[str, str] = {
    **dict.fromkeys(("PolicyError",), "premier_policy.base._errors"),
    **dict.fromkeys(
        (
            "AREAS",
            "Area",
            "Close",
            "CustomerReply",
            "Event",
            "Extend",
            "INVALID_REASONS",
            "IncidentEvent",
            "InvalidReason",
            "Invalidate",
            "LogTime",
            "Open",
            "Purchase",
            "RefundRequest",
            "Reopen",
            "Resolve",
            "StaffReply",
        ),
        "premier_policy.base._events",
    ),
    **dict.fromkeys(
        ("Audience", "Notification", "NotificationKind"), "premier_policy.base._notifications"
    ),
    **dict.fromkeys(("Refusal",), "premier_policy.base._refusal"),
    **dict.fromkeys(("RULES", "Rule", "RuleId"), "premier_policy.base._rules"),
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use (PEP 562), then kept."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'premier_policy.base' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
