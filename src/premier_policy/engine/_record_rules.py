"""The lifecycle's steps on records, for the replay engine.

Every event on an incident and its timers (breaches and auto-closes) are taken by
:func:`judge_record` and :func:`advance_record` on the incident's record
(:mod:`premier_policy.incidents._record`) exactly as
:mod:`premier_policy.incidents._lifecycle` applies them to the value, without building
it: the lifecycle's table (:data:`~premier_policy.incidents._states.TRANSITIONS`), the
allowance's rules and the notifications are the lifecycle's own, and the credits an
extension takes and an invalidation gives back are taken on the account's record
(:mod:`premier_policy.engine._credit_rules`). The lifecycle itself, through the values,
takes what the table refuses, a reopen past its window, an extension without a usable
credit, a credit that cannot be given back (``credits.restore``) and any event on an
account kept as a value; it words the refusal. ``tests/engine/test_record_rules.py``
holds the two equal event by event, and the engine-against-world laws replay by replay.

The check :meth:`ResponseTarget.meet` makes on the value cannot fail in the engine, so
it is not made here: events come in time order (``input.out-of-order``) and a target
starts at an event or, restored, no later than the snapshot's instant. A target the
rules breached did so at its due instant, but a restored one may say breached earlier:
a resolution or an invalidation then goes to the value, whose
:meth:`~ResponseTarget.drop` refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Final, TypeAlias

from premier_policy.base._copies import maker
from premier_policy.base._events import (
    Close,
    CustomerReply,
    Extend,
    IncidentEvent,
    Invalidate,
    LogTime,
    Reopen,
    Resolve,
    StaffReply,
)
from premier_policy.base._instants import plain
from premier_policy.base._notifications import Notes, Sent
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId
from premier_policy.credits._record import AccountForm, AccountRecord, account_form, account_of
from premier_policy.engine._credit_rules import consume_record, restore_record
from premier_policy.incidents._allowance import Allowance
from premier_policy.incidents._lifecycle import KINDS, Step, apply_due
from premier_policy.incidents._record import (
    AUTO_CLOSE_AT,
    BREACHED,
    CLOSED_AT,
    CUSTOMER,
    DROPPED_AT,
    DUE_AT,
    ID,
    INVALID_REASON,
    LAST,
    LOTS,
    MET_AT,
    MINUTES,
    REOPEN_UNTIL,
    RESOLVED_AT,
    STARTED_AT,
    STATE,
    USED,
    VERSION,
    WARNED,
    Record,
    incident_of,
    record_due,
    record_of,
)
from premier_policy.incidents._states import TRANSITIONS, Kind, State
from premier_policy.terms._policy import Policy, response_due_at, wall_added

__all__ = ["RecordStep", "advance_record", "judge_record"]

#: An accepted event on a record: the new record, the account and what to send.
RecordStep: TypeAlias = tuple[Record, AccountForm, Sent]
_Quick: TypeAlias = Callable[
    [Policy, Record, IncidentEvent, datetime, State],
    "tuple[Record, Notes] | Refusal | None",
]

_Credited: TypeAlias = Callable[
    [Policy, Record, AccountRecord, IncidentEvent, datetime, State],
    "RecordStep | Refusal | None",
]

_new_allowance: Final = maker(Allowance)


# The newest target's fields.
_STARTED, _DUE, _MET, _BREACHED, _DROPPED = (
    LAST + STARTED_AT,
    LAST + DUE_AT,
    LAST + MET_AT,
    LAST + BREACHED,
    LAST + DROPPED_AT,
)


def _pending(r: Record) -> bool:
    # ResponseTarget.pending, of the newest target: neither met nor dropped.
    return r[_MET] is None and r[_DROPPED] is None


def _staff_reply(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, Notes]:
    new = list(r)
    new[STATE] = state
    if _pending(r):
        # ResponseTarget.meet: met at the reply, breached if it comes after the due instant.
        new[_MET], new[_BREACHED] = at, at > r[_DUE]
    return tuple(new), (("response_posted", at, r[CUSTOMER], r[ID]),)


def _customer_reply(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, Notes]:
    new = list(r)
    new[STATE] = state
    new += _waiting_on_staff(policy, r, at)
    return tuple(new), (("customer_replied", at, r[CUSTOMER], r[ID]),)


def _waiting_on_staff(policy: Policy, r: Record, at: datetime) -> tuple[object, ...]:
    # The lifecycle's _waiting_on_staff: the fields of a new target unless one is pending.
    return () if _pending(r) else (at, response_due_at(policy, at), None, False, None)


def _log_time(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, Notes] | Refusal:
    assert isinstance(event, LogTime)
    logged = _new_allowance(r[MINUTES], r[USED], r[WARNED]).log(
        event.minutes, warning_minutes=policy.warning_minutes
    )
    if isinstance(logged, Refusal):
        return Refusal(logged.rule, f"incident {r[ID]}: {logged.message}")
    allowance, kinds = logged
    new = list(r)
    new[MINUTES], new[USED], new[WARNED] = allowance.minutes, allowance.used, allowance.warned
    customer, key = r[CUSTOMER], r[ID]
    sent = tuple((kind, at, customer, key) for kind in kinds)
    return tuple(new), sent


def _dropped(r: Record, at: datetime) -> list[Any] | None:
    # The lifecycle's _dropped (ResponseTarget.drop): a pending target stops at ``at``,
    # which a breached target allows only once due (a restored state may hold one
    # breached early: None, for the value's drop to refuse it). The record's fields.
    new = list(r)
    if _pending(r):
        if r[_BREACHED] and at < r[_DUE]:
            return None
        new[_DROPPED] = at
    return new


def _resolve(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, Notes] | None:
    new = _dropped(r, at)
    if new is None:
        return None
    new[STATE], new[RESOLVED_AT] = state, at
    new[AUTO_CLOSE_AT] = wall_added(policy, at, days=policy.auto_close_days)
    return tuple(new), (("incident_resolved", at, r[CUSTOMER], r[ID]),)


def _closed(policy: Policy, r: Record, at: datetime, state: State) -> Record:
    # The lifecycle's _closed: by the customer, or by the auto-close at its instant.
    new = list(r)
    new[STATE], new[AUTO_CLOSE_AT], new[CLOSED_AT] = state, None, at
    new[REOPEN_UNTIL] = wall_added(policy, at, days=policy.reopen_days)
    return tuple(new)


def _close(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, Notes]:
    return _closed(policy, r, at, state), (("incident_closed", at, r[CUSTOMER], r[ID]),)


def _reopen(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, Notes] | None:
    until = r[REOPEN_UNTIL]
    if until is not None and at >= until:
        return None  # lifecycle.reopen-window: the lifecycle words the refusal
    new = list(r)
    new[STATE] = state
    new[RESOLVED_AT] = new[AUTO_CLOSE_AT] = new[CLOSED_AT] = new[REOPEN_UNTIL] = None
    new += _waiting_on_staff(policy, r, at)
    return tuple(new), (("incident_reopened", at, r[CUSTOMER], r[ID]),)


def _extend(
    policy: Policy, r: Record, account: AccountRecord, event: IncidentEvent, at: datetime,
    state: State,
) -> RecordStep | Refusal | None:  # fmt: skip
    # Judged before any credit is taken, so a needless extension costs nothing.
    allowance = _new_allowance(r[MINUTES], r[USED], r[WARNED]).extend(
        policy.allowance_minutes, warning_minutes=policy.warning_minutes
    )
    if isinstance(allowance, Refusal):
        return Refusal(allowance.rule, f"incident {r[ID]}: {allowance.message}")
    consumed = consume_record(account, at)
    if consumed is None:
        return None  # credits.none-available: the account words why
    account, lot_id = consumed
    new = list(r)
    # The state stays: the table moves no incident on an extension, and the value's
    # step does not set it.
    new[MINUTES], new[LOTS] = allowance.minutes, (*r[LOTS], lot_id)
    return tuple(new), account, (("incident_extended", at, r[CUSTOMER], r[ID]),)


def _invalidate(
    policy: Policy, r: Record, account: AccountRecord, event: IncidentEvent, at: datetime,
    state: State,
) -> RecordStep | None:  # fmt: skip
    assert isinstance(event, Invalidate)
    for lot_id in r[LOTS]:
        restored = restore_record(account, lot_id, at)
        if restored is None:
            return None  # credits.restore: the account words what is wrong
        account = restored
    new = _dropped(r, at)
    if new is None:
        return None
    new[STATE], new[INVALID_REASON], new[LOTS] = state, event.reason, ()
    new[AUTO_CLOSE_AT] = new[REOPEN_UNTIL] = None
    return tuple(new), account, (("incident_invalidated", at, r[CUSTOMER], r[ID]),)


# Each step under the table's name of its event (the lifecycle's KINDS).
_QUICK: dict[type[IncidentEvent], tuple[Kind, _Quick]] = {
    cls: (KINDS[cls], step)
    for cls, step in (
        (StaffReply, _staff_reply),
        (CustomerReply, _customer_reply),
        (LogTime, _log_time),
        (Resolve, _resolve),
        (Close, _close),
        (Reopen, _reopen),
    )
}
#: The events that take or give back credits, on an account record.
_CREDITED: dict[type[IncidentEvent], tuple[Kind, _Credited]] = {
    cls: (KINDS[cls], step) for cls, step in ((Extend, _extend), (Invalidate, _invalidate))
}


def judge_record(
    policy: Policy, record: Record, account: AccountForm, event: IncidentEvent
) -> RecordStep | Refusal:
    """As :func:`~premier_policy.incidents._lifecycle.apply_due` on the incident
    ``record`` holds (``account`` is its customer's, in the engine's form; the engine
    has checked who may act and fired the timers due before the event)."""
    quick = _QUICK.get(type(event))
    if quick is not None:
        kind, handler = quick
        move = TRANSITIONS.move(kind, record[STATE])
        if not isinstance(move, RuleId):  # a refusal is the lifecycle's to word
            terms = policy.terms(record[VERSION])
            done = handler(terms, record, event, plain(event.at), move)
            if isinstance(done, Refusal):
                return done
            if done is not None:  # None: the value's rules say what is wrong
                return done[0], account, done[1]
    elif type(account) is tuple and (credited := _CREDITED.get(type(event))) is not None:
        kind, by_record = credited
        move = TRANSITIONS.move(kind, record[STATE])
        if not isinstance(move, RuleId):
            terms = policy.terms(record[VERSION])
            taken = by_record(terms, record, account, event, plain(event.at), move)
            if taken is not None:
                return taken
    value = account_of(account)
    step = apply_due(policy, incident_of(record), value, event)
    if isinstance(step, Refusal):
        return step
    assert isinstance(step, Step)
    # The same account value back means no change: the same form, as the quick path.
    after = account if step.account is value else account_form(step.account, policy)
    return record_of(step.incident), after, step.notifications


def advance_record(policy: Policy, record: Record, until: datetime) -> tuple[Record, Notes]:
    """As :func:`~premier_policy.incidents._lifecycle.advance` (inclusive) on a record:
    response breaches (``response_overdue`` to staff at the due instant) and the
    auto-close at its instant."""
    terms = policy.terms(record[VERSION])
    fired: Notes = ()
    while (at := record_due(record)) is not None and at <= until:
        customer, key = record[CUSTOMER], record[ID]
        if _pending(record) and not record[_BREACHED]:
            new = list(record)
            new[_BREACHED] = True
            record = tuple(new)
            fired += (("response_overdue", at, customer, key),)
        else:
            state = TRANSITIONS.lands("auto_close", record[STATE])
            record = _closed(terms, record, at, state)
            fired += (("incident_closed", at, customer, key),)
    return record, fired
