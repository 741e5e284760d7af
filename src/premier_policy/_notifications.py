"""Notifications: the effects a host application must send, as data."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, get_args

import pendulum
from attrs import frozen

__all__ = ["AUDIENCES", "Audience", "Notification", "NotificationKind", "notify"]

Audience = Literal["customer", "staff"]
NotificationKind = Literal[
    "credits_purchased",
    "incident_opened",
    "response_posted",
    "customer_replied",
    "response_overdue",
    "allowance_warning",
    "allowance_exhausted",
    "incident_extended",
    "incident_resolved",
    "incident_closed",
    "incident_reopened",
    "incident_invalidated",
    "credits_expiring",
    "credits_expired",
]

#: Who hears of each kind, in the order the notifications are emitted.
AUDIENCES: Mapping[NotificationKind, tuple[Audience, ...]] = MappingProxyType(
    {
        "credits_purchased": ("customer",),
        "incident_opened": ("customer", "staff"),
        "response_posted": ("customer",),
        "customer_replied": ("staff",),
        "response_overdue": ("staff",),
        "allowance_warning": ("customer",),
        "allowance_exhausted": ("customer", "staff"),
        "incident_extended": ("customer", "staff"),
        "incident_resolved": ("customer",),
        "incident_closed": ("customer",),
        "incident_reopened": ("staff",),
        "incident_invalidated": ("customer",),
        "credits_expiring": ("customer",),
        "credits_expired": ("customer",),
    }
)
assert set(AUDIENCES) == set(get_args(NotificationKind)), "every kind has an audience"


@frozen
class Notification:
    """One message to send: when, what, to whom, about which customer and incident."""

    at: pendulum.DateTime
    kind: NotificationKind
    to: Audience
    customer: str
    incident: str | None = None


# Notifications are the most numerous values a replay makes (one or two per event), so
# notify() fills the slots directly: attrs' frozen __init__ goes through a bound
# object.__setattr__ per field. Equivalent only while Notification has no validators,
# converters or post-init (a test pins that).
_new = object.__new__
_SET_AT, _SET_KIND, _SET_TO, _SET_CUSTOMER, _SET_INCIDENT = (
    Notification.__dict__[name].__set__ for name in ("at", "kind", "to", "customer", "incident")
)
# A plain dict: a mapping proxy's lookup costs a Python-level indirection per call.
_AUDIENCES: dict[NotificationKind, tuple[Audience, ...]] = dict(AUDIENCES)


def _made(
    at: pendulum.DateTime, kind: NotificationKind, to: Audience, customer: str, incident: str | None
) -> Notification:
    made: Notification = _new(Notification)
    _SET_AT(made, at)
    _SET_KIND(made, kind)
    _SET_TO(made, to)
    _SET_CUSTOMER(made, customer)
    _SET_INCIDENT(made, incident)
    return made


def notify(
    kind: NotificationKind, at: pendulum.DateTime, customer: str, incident: str | None = None
) -> tuple[Notification, ...]:
    """The notifications of one kind, one per audience of that kind.

    >>> at = pendulum.datetime(2026, 11, 27, 10, tz="Europe/Paris")
    >>> [n.to for n in notify("incident_opened", at, "acme", "i1")]
    ['customer', 'staff']
    """
    audiences = _AUDIENCES[kind]
    if len(audiences) == 1:
        return (_made(at, kind, audiences[0], customer, incident),)
    return tuple([_made(at, kind, to, customer, incident) for to in audiences])
