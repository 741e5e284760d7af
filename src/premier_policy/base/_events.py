"""The events a host feeds the policy, as value objects validated on construction.

Field names are those of the scenario format, so the wire layer structures JSON into
these classes with cattrs and nothing is renamed in between.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal, TypeAlias

import pendulum
from attrs import Attribute, field, frozen

from premier_policy.base._checks import unwritable
from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import utc
from premier_policy.base._rules import RuleId

__all__ = [
    "AREAS",
    "CUSTOMER_SIDE",
    "INVALID_REASONS",
    "Area",
    "Close",
    "CustomerReply",
    "CustomerSideEvent",
    "Event",
    "Extend",
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
]

Area = Literal["configuration", "setup", "running", "minor_tweaking"]
AREAS: tuple[Area, ...] = ("configuration", "setup", "running", "minor_tweaking")
InvalidReason = Literal["out_of_scope", "custom_development", "unable_to_help", "vendor_bug"]
INVALID_REASONS: tuple[InvalidReason, ...] = (
    "out_of_scope",
    "custom_development",
    "unable_to_help",
    "vendor_bug",
)


def _malformed(attribute: Attribute[Any], detail: str) -> PolicyError:
    return PolicyError(detail, rule=RuleId.INPUT_MALFORMED, field=attribute.name)


def _instant(value: datetime) -> pendulum.DateTime:
    """An event's instant, stored in UTC: the one place an event's time is normalised,
    so the rules downstream take ``event.at`` as it is."""
    if type(value) is pendulum.DateTime and value.tzinfo is pendulum.UTC:
        return value  # the wire's parse already made it so
    if not isinstance(value, datetime):
        raise PolicyError(
            f"expected an aware datetime, got {type(value).__name__}",
            rule=RuleId.INPUT_MALFORMED,
            field="at",
        )
    return utc(value, field="at")


def _identifier(_: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise _malformed(attribute, f"expected a non-empty string, got {shown(value)}")
    if not value.isascii():  # ASCII is always writable: most IDs, without two calls
        _writable(attribute, value)


def _acting(_: object, attribute: Attribute[Any], value: object) -> None:
    if value is not None:
        _identifier(_, attribute, value)


def _text(_: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise _malformed(attribute, f"expected a string, got {type(value).__name__}")
    _writable(attribute, value)


def _writable(attribute: Attribute[Any], value: str) -> None:
    why = unwritable(value)
    if why is not None:
        raise _malformed(attribute, f"expected a string, got {shown(value)}: {why}")


def _positive(_: object, attribute: Attribute[Any], value: object) -> None:
    if type(value) is not int or value < 1:
        raise _malformed(attribute, f"expected a whole number of at least 1, got {shown(value)}")


def _reason(_: object, attribute: Attribute[Any], value: object) -> None:
    if value not in INVALID_REASONS:
        raise _malformed(
            attribute, f"expected one of {', '.join(INVALID_REASONS)}, got {shown(value)}"
        )


@frozen(kw_only=True)
class Purchase:
    """A customer buys ``count`` units of ``product``; ``id`` names the purchase (its lot)."""

    at: pendulum.DateTime = field(converter=_instant)
    customer: str = field(validator=_identifier)
    id: str = field(validator=_identifier)
    product: str = field(validator=_identifier)
    count: int = field(default=1, validator=_positive)


@frozen(kw_only=True)
class RefundRequest:
    """A customer asks for a purchase's money back (always refused: ``credits.no-refunds``)."""

    at: pendulum.DateTime = field(converter=_instant)
    customer: str = field(validator=_identifier)
    purchase: str = field(validator=_identifier)


@frozen(kw_only=True)
class Open:
    """A customer opens incident ``id`` in an area of support (any string; scope rules judge)."""

    at: pendulum.DateTime = field(converter=_instant)
    customer: str = field(validator=_identifier)
    id: str = field(validator=_identifier)
    area: str = field(validator=_text)


@frozen(kw_only=True)
class StaffReply:
    """Staff reply on an incident."""

    at: pendulum.DateTime = field(converter=_instant)
    incident: str = field(validator=_identifier)


@frozen(kw_only=True)
class CustomerReply:
    """The customer replies on an incident.

    ``customer``, when given, names who acts: the incident's own (``input.owner``).
    """

    at: pendulum.DateTime = field(converter=_instant)
    incident: str = field(validator=_identifier)
    customer: str | None = field(default=None, validator=_acting)


@frozen(kw_only=True)
class LogTime:
    """Staff log ``minutes`` of work on an incident."""

    at: pendulum.DateTime = field(converter=_instant)
    incident: str = field(validator=_identifier)
    minutes: int = field(validator=_positive)


@frozen(kw_only=True)
class Extend:
    """The customer spends one more credit on an incident's time allowance.

    ``customer``, when given, names who acts: the incident's own (``input.owner``).
    """

    at: pendulum.DateTime = field(converter=_instant)
    incident: str = field(validator=_identifier)
    customer: str | None = field(default=None, validator=_acting)


@frozen(kw_only=True)
class Resolve:
    """Staff resolve an incident."""

    at: pendulum.DateTime = field(converter=_instant)
    incident: str = field(validator=_identifier)


@frozen(kw_only=True)
class Close:
    """The customer closes a resolved incident before it closes itself.

    ``customer``, when given, names who acts: the incident's own (``input.owner``).
    """

    at: pendulum.DateTime = field(converter=_instant)
    incident: str = field(validator=_identifier)
    customer: str | None = field(default=None, validator=_acting)


@frozen(kw_only=True)
class Reopen:
    """The customer reopens a resolved or recently closed incident.

    ``customer``, when given, names who acts: the incident's own (``input.owner``).
    """

    at: pendulum.DateTime = field(converter=_instant)
    incident: str = field(validator=_identifier)
    customer: str | None = field(default=None, validator=_acting)


@frozen(kw_only=True)
class Invalidate:
    """Staff invalidate an incident, giving one of :data:`INVALID_REASONS`."""

    at: pendulum.DateTime = field(converter=_instant)
    incident: str = field(validator=_identifier)
    reason: InvalidReason = field(validator=_reason)


#: The incident events a customer sends, which may name the acting customer.
CustomerSideEvent: TypeAlias = CustomerReply | Extend | Close | Reopen
CUSTOMER_SIDE: tuple[type[CustomerSideEvent], ...] = (CustomerReply, Extend, Close, Reopen)
IncidentEvent: TypeAlias = (
    StaffReply | CustomerReply | LogTime | Extend | Resolve | Close | Reopen | Invalidate
)
Event: TypeAlias = Purchase | RefundRequest | Open | IncidentEvent
