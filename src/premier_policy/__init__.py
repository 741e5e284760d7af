"""Premier Support policy: business hours, incident credits, response targets, lifecycle.

Pure functions and value objects, no I/O: every instant is a parameter.
"""

from premier_policy._calendar import Calendar
from premier_policy._catalog import Catalog
from premier_policy._errors import PolicyError
from premier_policy._events import (
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
from premier_policy._notifications import Audience, Notification, NotificationKind
from premier_policy._policy import Policy
from premier_policy._refusal import Refusal
from premier_policy._rules import RULES, Rule, RuleId

__all__ = [
    "AREAS",
    "INVALID_REASONS",
    "RULES",
    "Area",
    "Audience",
    "Calendar",
    "Catalog",
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
    "Policy",
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
