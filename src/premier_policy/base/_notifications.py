"""Notifications: the effects a host application must send, as data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Literal, get_args, overload

import pendulum
from attrs import frozen

__all__ = [
    "AUDIENCES",
    "Audience",
    "Notification",
    "NotificationKind",
    "NotificationLog",
    "notify",
]

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


class NotificationLog(Sequence[Notification]):
    """Notifications in emission order, kept as five parallel lists.

    The replay engine logs every notification of a replay, hundreds of thousands in a
    long one. As :class:`Notification` objects they were the most numerous objects the
    garbage collector traced on each of its passes, so the cost per event grew with the
    length of the replay; as lists of shared instants and strings they add none.
    Reading an item builds its :class:`Notification`.

    >>> at = pendulum.datetime(2026, 11, 27, 10, tz="UTC")
    >>> log = NotificationLog()
    >>> log.extend(notify("incident_opened", at, "acme", "i1"))
    >>> len(log), log[-1].to, [n.kind for n in log[:1]]
    (2, 'staff', ['incident_opened'])
    >>> log.truncate(1)
    >>> list(log) == [notify("incident_opened", at, "acme", "i1")[0]]
    True
    """

    __slots__ = ("at", "customer", "incident", "kind", "to")

    def __init__(self) -> None:
        self.at: list[pendulum.DateTime] = []
        self.kind: list[NotificationKind] = []
        self.to: list[Audience] = []
        self.customer: list[str] = []
        self.incident: list[str | None] = []

    def extend(self, batch: Iterable[Notification]) -> None:
        """Append ``batch``, in order."""
        for each in batch:
            self.at.append(each.at)
            self.kind.append(each.kind)
            self.to.append(each.to)
            self.customer.append(each.customer)
            self.incident.append(each.incident)

    def truncate(self, size: int) -> None:
        """Keep the first ``size`` notifications only (undoing what came after)."""
        for column in (self.at, self.kind, self.to, self.customer, self.incident):
            del column[size:]

    def __len__(self) -> int:
        return len(self.at)

    @overload
    def __getitem__(self, index: int) -> Notification: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Notification]: ...

    def __getitem__(self, index: int | slice) -> Notification | Sequence[Notification]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        return _made(
            self.at[index], self.kind[index], self.to[index], self.customer[index],
            self.incident[index],
        )  # fmt: skip

    def __iter__(self) -> Iterator[Notification]:
        return map(_made, self.at, self.kind, self.to, self.customer, self.incident)
