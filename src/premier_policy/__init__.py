"""Premier Support policy: business hours, incident credits, response targets, lifecycle.

Pure functions and value objects, no I/O: every instant is a parameter.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what a type checker and a reader see; at run time, __getattr__ below
    from premier_policy.base import (
        AREAS,
        INVALID_REASONS,
        RULES,
        Area,
        Audience,
        Close,
        CustomerReply,
        Event,
        Extend,
        IncidentEvent,
        Invalidate,
        InvalidReason,
        LogTime,
        Notification,
        NotificationKind,
        Open,
        PolicyError,
        Purchase,
        RefundRequest,
        Refusal,
        Reopen,
        Resolve,
        Rule,
        RuleId,
        StaffReply,
    )
    from premier_policy.credits import Account, Consumed, ExpiryNotice, Lot, Purchased
    from premier_policy.engine import (
        ACCEPTED,
        Accepted,
        Applied,
        CreditLedger,
        IncidentStory,
        LedgerEntry,
        Moment,
        StoryFact,
        StoryStep,
        Trace,
        World,
        credit_ledger,
        incident_story,
        replay,
        trace,
    )
    from premier_policy.hours import (
        Calendar,
        ClosedWhy,
        CountedSpan,
        Deadline,
        Opening,
        PublicHolidays,
        SkippedStretch,
        Span,
        Weekday,
        WeeklySchedule,
    )
    from premier_policy.incidents import (
        TRANSITIONS,
        Allowance,
        Incident,
        ResponseTarget,
        State,
        Step,
        Transition,
        TransitionTable,
        advance,
        apply,
        mermaid_diagram,
        open_incident,
    )
    from premier_policy.terms import Catalog, Money, Policy, PolicyChange, Product, Quote
    from premier_policy.wire import ScenarioError, event_from_dict, event_to_dict, policy_from_dict

#: This release, as pyproject.toml gives it: a literal, so that importing the library
#: reads no file (``tests/test_version.py`` keeps the two equal, and equal to the
#: installed metadata that ``premier-policy --version`` reads).
__version__ = "0.1.0"

__all__ = [
    "ACCEPTED",
    "AREAS",
    "INVALID_REASONS",
    "RULES",
    "TRANSITIONS",
    "Accepted",
    "Account",
    "Allowance",
    "Applied",
    "Area",
    "Audience",
    "Calendar",
    "Catalog",
    "Close",
    "ClosedWhy",
    "Consumed",
    "CountedSpan",
    "CreditLedger",
    "CustomerReply",
    "Deadline",
    "Event",
    "ExpiryNotice",
    "Extend",
    "Incident",
    "IncidentEvent",
    "IncidentStory",
    "InvalidReason",
    "Invalidate",
    "LedgerEntry",
    "LogTime",
    "Lot",
    "Moment",
    "Money",
    "Notification",
    "NotificationKind",
    "Open",
    "Opening",
    "Policy",
    "PolicyChange",
    "PolicyError",
    "Product",
    "PublicHolidays",
    "Purchase",
    "Purchased",
    "Quote",
    "RefundRequest",
    "Refusal",
    "Reopen",
    "Resolve",
    "ResponseTarget",
    "Rule",
    "RuleId",
    "ScenarioError",
    "SkippedStretch",
    "Span",
    "StaffReply",
    "State",
    "Step",
    "StoryFact",
    "StoryStep",
    "Trace",
    "Transition",
    "TransitionTable",
    "Weekday",
    "WeeklySchedule",
    "World",
    "advance",
    "apply",
    "credit_ledger",
    "event_from_dict",
    "event_to_dict",
    "incident_story",
    "mermaid_diagram",
    "open_incident",
    "policy_from_dict",
    "replay",
    "trace",
]

#: Where each public name lives: a name is imported from its wing when first used, so
#: that ``import premier_policy`` (and ``premier-policy due``) loads only what it needs.
_HOMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "AREAS",
            "Area",
            "Audience",
            "Close",
            "CustomerReply",
            "Event",
            "Extend",
            "INVALID_REASONS",
            "IncidentEvent",
            "InvalidReason",
            "Invalidate",
            "LogTime",
            "Notification",
            "NotificationKind",
            "Open",
            "PolicyError",
            "Purchase",
            "RULES",
            "RefundRequest",
            "Refusal",
            "Reopen",
            "Resolve",
            "Rule",
            "RuleId",
            "StaffReply",
        ),
        "premier_policy.base",
    ),
    **dict.fromkeys(
        ("Account", "Consumed", "ExpiryNotice", "Lot", "Purchased"), "premier_policy.credits"
    ),
    **dict.fromkeys(
        (
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
        ),
        "premier_policy.engine",
    ),
    **dict.fromkeys(
        (
            "Calendar",
            "ClosedWhy",
            "CountedSpan",
            "Deadline",
            "Opening",
            "PublicHolidays",
            "SkippedStretch",
            "Span",
            "Weekday",
            "WeeklySchedule",
        ),
        "premier_policy.hours",
    ),
    **dict.fromkeys(
        (
            "Allowance",
            "Incident",
            "ResponseTarget",
            "State",
            "Step",
            "TRANSITIONS",
            "Transition",
            "TransitionTable",
            "advance",
            "apply",
            "mermaid_diagram",
            "open_incident",
        ),
        "premier_policy.incidents",
    ),
    **dict.fromkeys(
        ("Catalog", "Money", "Policy", "PolicyChange", "Product", "Quote"), "premier_policy.terms"
    ),
    **dict.fromkeys(
        ("ScenarioError", "event_from_dict", "event_to_dict", "policy_from_dict"),
        "premier_policy.wire",
    ),
}


def __getattr__(name: str) -> Any:
    """A public name, imported from its wing on first use (PEP 562), then kept."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'premier_policy' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
