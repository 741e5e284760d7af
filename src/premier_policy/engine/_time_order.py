"""The rules of time order, written once for both kinds of store: the world's persistent
agendas and the replay engine's working copies.

``input.out-of-order``, ``input.timers``, ``input.duplicate-id``,
``input.unknown-incident`` and the engine's side of ``input.owner`` live here; everything else is the accounts' and incidents' own
business. Before an event at t is applied, every timer due strictly before t fires, in
time order across all accounts and incidents (ties: the entity created first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from operator import attrgetter
from typing import Any, Final, Protocol, TypeAlias, TypeVar

import pendulum
from attrs import frozen

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import (
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
from premier_policy.base._instants import as_stored
from premier_policy.base._notifications import Notification, Sent
from premier_policy.base._owner import owner_refusal
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId
from premier_policy.credits._account import Account, Purchased
from premier_policy.engine._agenda import Entries
from premier_policy.incidents._incident import Incident
from premier_policy.incidents._lifecycle import Step, advance, apply_due, open_incident
from premier_policy.terms._policy import Policy

__all__ = [
    "ACCEPTED",
    "VALUE_TIMERS",
    "Accepted",
    "Sink",
    "Timers",
    "Undo",
    "check_event",
    "fire",
    "judge",
    "next_due",
    "precheck",
    "refusal_for",
    "step",
    "store",
    "until_instant",
]

_EVENTS = (
    Purchase,
    RefundRequest,
    Open,
    StaffReply,
    CustomerReply,
    LogTime,
    Extend,
    Resolve,
    Close,
    Reopen,
    Invalidate,
)

_BY_CUSTOMER = (Purchase, RefundRequest, Open)

A = TypeVar("A", bound=Entries[str, Any])
I = TypeVar("I", bound=Entries[str, Any])  # noqa: E741 - the incidents' type, beside A
P = TypeVar("P", bound=Entries[str, str])


@frozen
class Accepted:
    """The result of an event the policy applied."""

    def __repr__(self) -> str:
        return "ACCEPTED"


#: The one :class:`Accepted` value.
ACCEPTED: Final = Accepted()


def refusal_for(error: PolicyError) -> Refusal:
    """The refusal of an event that is malformed input (``input.malformed``, or
    ``input.aware-only`` for a naive instant), naming the field at fault.

    >>> refusal_for(PolicyError("missing", rule=RuleId.INPUT_MALFORMED, field="at")).message
    'malformed event: at: missing'
    >>> refusal_for(PolicyError("too late", rule=RuleId.CREDITS_VALIDITY, field="at")).message
    'at: too late'
    """
    rule = error.rule if error.rule is not None else RuleId.INPUT_MALFORMED
    # A business rule raised on input that is well formed (a lot that would expire
    # after 9999) is that rule's refusal, not a malformed event.
    lead = "malformed event: " if rule in _MALFORMED else ""
    return Refusal(rule, f"{lead}{error.field}: {error.detail}")


_MALFORMED = frozenset({RuleId.INPUT_MALFORMED, RuleId.INPUT_AWARE_ONLY})


# --- the rules of time order, written once for both kinds of store ----------------------


class Sink(Protocol):
    """Where the rules of time order put notifications: a list (the world's, which its
    value timers fill with notifications), or the engine's log (which its record timers
    fill with notes, :data:`~premier_policy.base._notifications.Note`)."""

    def extend(self, batch: Iterable[Any], /) -> None: ...


#: Undo records of fired timers: (an account's?, key, value before, its due, its order).
Undo = list[tuple[bool, str, Any, datetime, int]]


def _advance_account(
    policy: Policy, account: Account, t: datetime
) -> tuple[Account, tuple[Notification, ...]]:
    return account.advance(policy, as_stored(t), inclusive=True)


def _account_due(policy: Policy, account: Account) -> datetime | None:
    return account.next_timer_at(policy)


def _advance_incident(
    policy: Policy, incident: Incident, t: datetime
) -> tuple[Incident, tuple[Notification, ...]]:
    return advance(policy, incident, t, inclusive=True)


def _incident_due(policy: Policy, incident: Incident) -> datetime | None:
    return incident.next_timer_at(policy)


_Fires: TypeAlias = Callable[[Policy, Any, datetime], tuple[Any, Sent]]
_Due: TypeAlias = Callable[[Policy, Any], datetime | None]
#: How the entities of a store let time pass: an account's timers due at or before an
#: instant and its next timer, then an incident's. The world's are values; the replay
#: engine's are records (``engine/_fold.py``).
Timers: TypeAlias = tuple[_Fires, _Due, _Fires, _Due]
VALUE_TIMERS: Final[Timers] = (_advance_account, _account_due, _advance_incident, _incident_due)


def fire(
    policy: Policy,
    accounts: A,
    incidents: I,
    until: datetime,
    sink: Sink,
    undo: Undo | None = None,
    *,
    inclusive: bool,
    timers: Timers = VALUE_TIMERS,
) -> tuple[A, I]:
    """Fire every timer due before ``until`` (or at it, if ``inclusive``), one entity at a
    time in (instant, creation order), appending the notifications to ``sink`` as they
    come, so that they are in time order; ``undo`` records what each firing replaced.
    ``timers`` says how the entities fire (values by default)."""
    advance_account, account_due, advance_incident, incident_due = timers
    while True:
        a, i = accounts.first, incidents.first
        # Orders are unique across both maps, so these tuples never compare keys.
        nxt = i if a is None or (i is not None and i < a) else a
        if nxt is None or nxt[0] > until or (nxt[0] == until and not inclusive):
            return accounts, incidents
        t, order, key = nxt
        before: Any
        due: datetime | None
        if nxt is a:
            before = account = accounts[key]
            account, sent = advance_account(policy, account, t)
            due = account_due(policy, account)
            accounts = accounts.set(key, account, due=due, order=order)
        else:
            before = incident = incidents[key]
            incident, sent = advance_incident(policy, incident, t)
            due = incident_due(policy, incident)
            incidents = incidents.set(key, incident, due=due, order=order)
        if undo is not None:
            undo.append((nxt is a, key, before, t, order))
        if due is not None and due <= t:
            # A timer that does not move on would fire forever: a bug, never input.
            raise AssertionError(f"the timer of {key!r} at {t} did not move on")
        sink.extend(sent)


def precheck(
    policy: Policy,
    event: Event,
    at: pendulum.DateTime,
    clock: pendulum.DateTime | None,
    incidents: Mapping[str, Any],
    purchases: Mapping[str, str],
    customer_of: Callable[[Any], str] = attrgetter("customer"),
) -> Refusal | None:
    """The refusals that need no timers: order, malformed product, known IDs, and who
    may act (``input.owner``); ``customer_of`` reads an incident's customer."""
    if clock is not None and at < clock:
        return Refusal(
            RuleId.INPUT_OUT_OF_ORDER,
            # The last event may be another customer's: its instant is not this one's to know.
            f"this event at {policy.show(at)} is earlier than the last one applied: events "
            "must come in time order",
        )
    if isinstance(event, Purchase):
        try:
            policy.in_force(at).catalog.product(event.product)
        except PolicyError as error:
            return refusal_for(error)
        if event.id in purchases:
            return Refusal(
                RuleId.INPUT_DUPLICATE_ID,
                f"purchase {event.id} is already recorded; it is not charged again",
            )
    elif isinstance(event, Open):
        if event.id in incidents:
            return Refusal(
                RuleId.INPUT_DUPLICATE_ID,
                f"incident {event.id} already exists; it is not opened again",
            )
    elif isinstance(event, RefundRequest):
        owner = purchases.get(event.purchase)
        if owner is not None:
            return owner_refusal(event, owner)
    else:
        incident = incidents.get(event.incident)
        if incident is None:
            return Refusal(
                RuleId.INPUT_UNKNOWN_INCIDENT,
                f"there is no incident {event.incident}; open one first",
            )
        # Before any timer or state is looked at: a stranger learns nothing of it.
        return owner_refusal(event, customer_of(incident))
    return None


def step(
    policy: Policy,
    accounts: A,
    incidents: I,
    purchases: P,
    event: Event,
    at: pendulum.DateTime,
    sink: Sink,
    undo: Undo | None = None,
) -> tuple[A, I, P, Accepted | Refusal]:
    """Fire the timers due before ``event`` (at ``at``, UTC), then judge it and, if
    accepted, apply it; notifications go to ``sink``. The caller has run
    :func:`precheck`; on a refusal it discards the maps returned (or undoes the firings
    recorded in ``undo``). A date the rules cannot represent (past the year 9999) in the
    judging is a refusal; a timer that cannot fire raises :class:`PolicyError`."""
    accounts, incidents = fire(policy, accounts, incidents, at, sink, undo, inclusive=False)
    try:
        step = judge(policy, accounts, incidents, event)
        if isinstance(step, Refusal):
            return accounts, incidents, purchases, step
        account = step.account
        changed = account is not accounts.get(account.customer)
        account_due = account.next_timer_at(policy) if changed else None
        incident = None if isinstance(step, Purchased) else step.incident
        incident_due = None if incident is None else incident.next_timer_at(policy)
    except PolicyError as error:
        return accounts, incidents, purchases, refusal_for(error)
    accounts, incidents, purchases = store(
        accounts,
        incidents,
        purchases,
        account.customer,
        account if changed else None,
        account_due,
        None if incident is None else (incident.id, incident, incident_due),
        step.lot.id if isinstance(step, Purchased) else None,
    )
    sink.extend(step.notifications)
    return accounts, incidents, purchases, ACCEPTED


def store(
    accounts: A,
    incidents: I,
    purchases: P,
    customer: str,
    account: object,
    account_due: datetime | None,
    incident: tuple[str, object, datetime | None] | None,
    lot: str | None,
) -> tuple[A, I, P]:
    """Put what an accepted event changed in the maps, in either store's form: the
    customer's ``account`` with its next timer (None when unchanged), then the
    ``incident`` as (key, value, next timer) or, for a purchase, who owns ``lot``."""
    # Entities are never removed, so counting them gives a unique creation order.
    if account is not None:
        order = len(accounts) + len(incidents)
        accounts = accounts.set(customer, account, due=account_due, order=order)
    if incident is not None:
        key, value, due = incident
        incidents = incidents.set(key, value, due=due, order=len(accounts) + len(incidents))
    else:
        assert lot is not None, "an accepted customer event without an incident is a purchase"
        purchases = purchases.set(lot, customer, due=None, order=len(purchases))
    return accounts, incidents, purchases


def judge(
    policy: Policy, accounts: Mapping[str, Account], incidents: Mapping[str, Incident], event: Event
) -> Purchased | Step | Refusal:
    """What the accounts' and incidents' own rules make of ``event``."""
    if isinstance(event, _BY_CUSTOMER):
        account = accounts.get(event.customer) or Account(event.customer)
        if isinstance(event, Purchase):
            return account.purchase(policy, event)
        if isinstance(event, Open):
            return open_incident(policy, account, event)
        return account.refund(policy, event)
    # precheck found the incident and its customer may act; step fired the timers due
    # before the event, so the incident's own checks and timers need no second look.
    incident = incidents[event.incident]
    return apply_due(policy, incident, accounts[incident.customer], event)


def next_due(accounts: Entries[str, Any], incidents: Entries[str, Any]) -> datetime | None:
    a, i = accounts.first, incidents.first
    if a is None or (i is not None and i < a):
        a = i
    return None if a is None else a[0]


def until_instant(
    policy: Policy, until: object, clock: pendulum.DateTime | None
) -> pendulum.DateTime:
    t = policy.utc(until, field="until")
    if clock is not None and t < clock:
        raise PolicyError(
            f"{policy.show(t)} is earlier than the world's clock, {policy.show(clock)} "
            "(its last event or advance)",
            rule=RuleId.INPUT_OUT_OF_ORDER,
            field="until",
        )
    return t


def check_event(event: object) -> Event:
    if not isinstance(event, _EVENTS):
        raise PolicyError(f"expected an event, got {type(event).__name__}", field="event")
    return event
