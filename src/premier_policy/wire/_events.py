"""Events on the wire: one scenario event in, one value object out, and back."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
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
from premier_policy.wire._converter import CONVERTER, _instant, explain, json_kind, plain

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


def _shape(cls: type[Event]) -> tuple[type[Event], frozenset[str], frozenset[str]]:
    """The class of an event type, the keys its object may have and those it must have."""
    fields = attrs.fields(cls)
    may = frozenset({"type", *(each.name for each in fields)})
    must = frozenset({"type", *(each.name for each in fields if each.default is attrs.NOTHING)})
    return cls, may, must


#: Per event type: what an event of the common shape is checked against on the quick path.
_SHAPES: Final = {name: _shape(cls) for name, cls in EVENT_TYPES.items()}
#: The values an event's fields hold on the quick path: JSON's flat ones.
_SCALARS: Final = frozenset({str, int, bool, float, type(None)})
_KEYS: Final = frozenset({str})


def _quick(raw: object) -> Event | None:
    """The event of a well-formed object of the common shape (a dict of known fields, all
    present, flat values, string keys), built straight from its class; None for anything
    else, and for anything the class refuses: the full path below then says what is wrong
    exactly as it always did, and what this returns is what that path would build."""
    if type(raw) is not dict:
        return None
    kind = raw.get("type")
    shape = _SHAPES.get(kind) if type(kind) is str else None
    if shape is None:
        return None
    cls, may, must = shape
    if not (
        must <= raw.keys() <= may
        and _KEYS.issuperset(map(type, raw))
        and _SCALARS.issuperset(map(type, raw.values()))
    ):
        return None
    fields = dict(raw)
    del fields["type"]
    if fields.get("customer", "") is None:  # null names no one: the full path says so
        return None
    try:
        fields["at"] = _instant(fields["at"], None)
        return cls(**fields)
    except PolicyError:
        return None


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
    event = _quick(raw)
    return _full(raw) if event is None else event


def _full(raw: object) -> Event:
    """:func:`event_from_dict` by cattrs, every check made in turn: what it refuses, it
    names the field of."""
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
