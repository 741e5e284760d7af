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
from premier_policy._replay import Moment, Trace, replay, trace
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
from premier_policy._wire import ScenarioError, event_from_dict, event_to_dict
from premier_policy._world import ACCEPTED, Accepted, Applied, World

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
    "Moment",
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
    "ScenarioError",
    "Span",
    "StaffReply",
    "State",
    "Step",
    "Trace",
    "Transition",
    "TransitionTable",
    "Weekday",
    "WeeklySchedule",
    "World",
    "advance",
    "apply",
    "event_from_dict",
    "event_to_dict",
    "mermaid_diagram",
    "open_incident",
    "replay",
    "trace",
]
