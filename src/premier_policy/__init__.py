"""Premier Support policy: business hours, incident credits, response targets, lifecycle.

Pure functions and value objects, no I/O: every instant is a parameter.
"""

from premier_policy._account import Account, Consumed, Purchased
from premier_policy._allowance import Allowance
from premier_policy._calendar import Calendar
from premier_policy._catalog import Catalog, Product, Quote
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
from premier_policy._incident import Incident
from premier_policy._lifecycle import Step, advance, apply, open_incident
from premier_policy._lots import ExpiryNotice, Lot
from premier_policy._money import Money
from premier_policy._notifications import Audience, Notification, NotificationKind
from premier_policy._openings import Opening
from premier_policy._policy import Policy
from premier_policy._refusal import Refusal
from premier_policy._response import ResponseTarget
from premier_policy._rules import RULES, Rule, RuleId
from premier_policy._span import Span
from premier_policy._states import (
    TRANSITIONS,
    State,
    Transition,
    TransitionTable,
    mermaid_diagram,
)
from premier_policy._weekly import Weekday, WeeklySchedule

__all__ = [
    "AREAS",
    "INVALID_REASONS",
    "RULES",
    "TRANSITIONS",
    "Account",
    "Allowance",
    "Area",
    "Audience",
    "Calendar",
    "Catalog",
    "Close",
    "Consumed",
    "CustomerReply",
    "Event",
    "ExpiryNotice",
    "Extend",
    "Incident",
    "IncidentEvent",
    "InvalidReason",
    "Invalidate",
    "LogTime",
    "Lot",
    "Money",
    "Notification",
    "NotificationKind",
    "Open",
    "Opening",
    "Policy",
    "PolicyError",
    "Product",
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
    "Span",
    "StaffReply",
    "State",
    "Step",
    "Transition",
    "TransitionTable",
    "Weekday",
    "WeeklySchedule",
    "advance",
    "apply",
    "mermaid_diagram",
    "open_incident",
]
