"""The lifecycle's common steps on records, for the replay engine.

Most events of a replay are replies, logged time, resolutions and closes, and most
timers are breaches and auto-closes. :func:`judge_record` and :func:`advance_record`
apply these to an incident's record (:mod:`premier_policy.incidents._record`) exactly as
:mod:`premier_policy.incidents._lifecycle` applies them to the value, without building
it: the lifecycle's table (:data:`~premier_policy.incidents._states.TRANSITIONS`), the
allowance's rules and the notifications are the lifecycle's own. Every other event
(an extension, a reopen, an invalidation) and every event the table refuses go to the
lifecycle itself, through the value. ``tests/engine/test_record_rules.py`` holds the two
equal event by event, and the engine-against-world laws replay by replay.

The check :meth:`ResponseTarget.meet` makes on the value cannot fail in the engine, so
it is not made here: events come in time order (``input.out-of-order``) and a target
starts at an event or, restored, no later than the snapshot's instant. A target the
rules breached did so at its due instant, but a restored one may say breached earlier:
a resolution then goes to the value, whose :meth:`~ResponseTarget.drop` refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final, TypeAlias

from premier_policy.base._copies import maker
from premier_policy.base._events import (
    Close,
    CustomerReply,
    IncidentEvent,
    LogTime,
    Resolve,
    StaffReply,
)
from premier_policy.base._instants import plain, stored
from premier_policy.base._notifications import Notification, notify
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId
from premier_policy.credits._record import AccountForm, account_form, account_of
from premier_policy.incidents._allowance import Allowance
from premier_policy.incidents._lifecycle import Step, apply_due
from premier_policy.incidents._record import (
    AUTO_CLOSE_AT,
    BREACHED,
    CLOSED_AT,
    CUSTOMER,
    DROPPED_AT,
    DUE_AT,
    ID,
    LAST,
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
from premier_policy.terms._policy import Policy

__all__ = ["RecordStep", "advance_record", "judge_record"]

#: An accepted event on a record: the new record, the account and what to send.
RecordStep: TypeAlias = tuple[Record, AccountForm, tuple[Notification, ...]]
_Quick: TypeAlias = Callable[
    [Policy, Record, IncidentEvent, datetime, State],
    "tuple[Record, tuple[Notification, ...]] | Refusal | None",
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
) -> tuple[Record, tuple[Notification, ...]]:
    new = list(r)
    new[STATE] = state
    if _pending(r):
        # ResponseTarget.meet: met at the reply, breached if it comes after the due instant.
        new[_MET], new[_BREACHED] = at, at > r[_DUE]
    return tuple(new), notify("response_posted", at, r[CUSTOMER], r[ID])  # type: ignore[arg-type]


def _customer_reply(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, tuple[Notification, ...]]:
    new = list(r)
    new[STATE] = state
    if not _pending(r):  # the lifecycle's _waiting_on_staff: a new target unless one is pending
        new += (at, plain(policy.utc(policy.response_due(event.at))), None, False, None)
    return tuple(new), notify("customer_replied", at, r[CUSTOMER], r[ID])  # type: ignore[arg-type]


def _log_time(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, tuple[Notification, ...]] | Refusal:
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
    sent = tuple(n for kind in kinds for n in notify(kind, at, customer, key))  # type: ignore[arg-type]
    return tuple(new), sent


def _resolve(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, tuple[Notification, ...]] | None:
    new = list(r)
    if _pending(r):
        # The lifecycle's _dropped (ResponseTarget.drop): the target stops at the resolution,
        # which a breached target allows only once due (a restored state may hold one
        # breached early: the value's drop refuses it).
        if r[_BREACHED] and at < r[_DUE]:
            return None
        new[_DROPPED] = at
    new[STATE], new[RESOLVED_AT] = state, at
    new[AUTO_CLOSE_AT] = plain(policy.wall_add(event.at, days=policy.auto_close_days))
    return tuple(new), notify("incident_resolved", at, r[CUSTOMER], r[ID])  # type: ignore[arg-type]


def _closed(policy: Policy, r: Record, at: datetime, state: State) -> Record:
    # The lifecycle's _closed: by the customer, or by the auto-close at its instant.
    new = list(r)
    new[STATE], new[AUTO_CLOSE_AT], new[CLOSED_AT] = state, None, at
    new[REOPEN_UNTIL] = plain(policy.wall_add(stored(at), days=policy.reopen_days))
    return tuple(new)


def _close(
    policy: Policy, r: Record, event: IncidentEvent, at: datetime, state: State
) -> tuple[Record, tuple[Notification, ...]]:
    return _closed(policy, r, at, state), notify("incident_closed", at, r[CUSTOMER], r[ID])  # type: ignore[arg-type]


_QUICK: dict[type[IncidentEvent], tuple[Kind, _Quick]] = {
    StaffReply: ("staff_reply", _staff_reply),
    CustomerReply: ("customer_reply", _customer_reply),
    LogTime: ("log_time", _log_time),
    Resolve: ("resolve", _resolve),
    Close: ("close", _close),
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
    value = account_of(account)
    step = apply_due(policy, incident_of(record), value, event)
    if isinstance(step, Refusal):
        return step
    assert isinstance(step, Step)
    # The same account value back means no change: the same form, as the quick path.
    after = account if step.account is value else account_form(step.account, policy)
    return record_of(step.incident), after, step.notifications


def advance_record(
    policy: Policy, record: Record, until: datetime
) -> tuple[Record, tuple[Notification, ...]]:
    """As :func:`~premier_policy.incidents._lifecycle.advance` (inclusive) on a record:
    response breaches (``response_overdue`` to staff at the due instant) and the
    auto-close at its instant."""
    terms = policy.terms(record[VERSION])
    fired: tuple[Notification, ...] = ()
    while (at := record_due(record)) is not None and at <= until:
        customer, key = record[CUSTOMER], record[ID]
        if _pending(record) and not record[_BREACHED]:
            new = list(record)
            new[_BREACHED] = True
            record = tuple(new)
            fired += notify("response_overdue", at, customer, key)  # type: ignore[arg-type]
        else:
            state = TRANSITIONS.lands("auto_close", record[STATE])
            record = _closed(terms, record, at, state)
            fired += notify("incident_closed", at, customer, key)  # type: ignore[arg-type]
    return record, fired
