"""Events on the wire: one scenario event in, one value object out, and back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cattrs.errors import (
    ClassValidationError,
)

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._events import (
    CUSTOMER_SIDE,
    Close,
    CustomerReply,
    Event,
    Extend,
    Invalidate,
    LogTime,
    Open,
    Purchase,
    RefundRequest,
    Reopen,
    Resolve,
    StaffReply,
)
from premier_policy.base._rules import RuleId
from premier_policy.wire._converter import CONVERTER, explain, json_kind, plain

__all__ = ["EVENT_TYPES", "event_from_dict", "event_to_dict"]

#: The scenario format's event types and the value classes they structure into.
EVENT_TYPES: Mapping[str, type[Event]] = {
    "purchase": Purchase,
    "refund_request": RefundRequest,
    "open": Open,
    "staff_reply": StaffReply,
    "customer_reply": CustomerReply,
    "log_time": LogTime,
    "extend": Extend,
    "resolve": Resolve,
    "close": Close,
    "reopen": Reopen,
    "invalidate": Invalidate,
}
_TYPE_NAMES: Mapping[type[Event], str] = {cls: name for name, cls in EVENT_TYPES.items()}


def event_from_dict(raw: object) -> Event:
    """One event of a scenario, or a :class:`PolicyError` naming the rule and field.

    >>> event_from_dict({"at": "2026-11-27T10:00:00+01:00", "type": "staff_reply",
    ...                  "incident": "i1"})
    StaffReply(at=DateTime(2026, 11, 27, 9, 0, 0, tzinfo=Timezone('UTC')), incident='i1')
    >>> event_from_dict({"at": "2026-11-27T10:00:00+01:00", "type": "log_time",
    ...                  "incident": "i1", "minutes": "90"})
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: input.malformed: minutes: expected a whole number of at least 1, got '90'
    """
    if not isinstance(raw, Mapping):
        raise PolicyError(
            f"an event is an object, got {json_kind(raw)}",
            rule=RuleId.INPUT_MALFORMED,
            field="event",
        )
    plain(raw, holder="event")
    kind = raw.get("type")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        detail = "missing" if "type" not in raw else f"unknown event type {shown(kind)}"
        raise PolicyError(
            f"{detail}; expected one of {', '.join(EVENT_TYPES)}",
            rule=RuleId.INPUT_MALFORMED,
            field="type",
        )
    fields = {key: value for key, value in raw.items() if key != "type"}
    if cls in CUSTOMER_SIDE and "customer" in fields and fields["customer"] is None:
        # Optional means "may be left out", not "may be null": null names no one.
        raise PolicyError(
            "expected a non-empty string, got None",
            rule=RuleId.INPUT_MALFORMED,
            field="customer",
        )
    try:
        return CONVERTER.structure(fields, cls)
    except (ClassValidationError, PolicyError) as error:
        raise explain(error, None) from None


def event_to_dict(event: Event) -> dict[str, Any]:
    """An event as the scenario format writes it (the inverse of :func:`event_from_dict`),
    its instant in UTC as the event stores it.

    >>> from datetime import datetime, timedelta, timezone
    >>> event_to_dict(Resolve(at=datetime(2026, 11, 30, 15, tzinfo=timezone(timedelta(hours=1))), incident="i1"))
    {'type': 'resolve', 'at': '2026-11-30T14:00:00+00:00', 'incident': 'i1'}
    """
    name = _TYPE_NAMES.get(type(event))
    if name is None:
        raise PolicyError(
            f"expected an event, got {type(event).__name__}",
            rule=RuleId.INPUT_MALFORMED,
            field="event",
        )
    body: dict[str, Any] = CONVERTER.unstructure(event)
    return {"type": name, **body}
