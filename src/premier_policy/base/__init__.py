"""The ground every wing stands on: the rule registry, the one exception type, refusals,
events, notifications and the boundary where instants are checked and normalised.
"""

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
