"""The replay engine's store: the rules of :class:`~premier_policy.World` over mutable
working copies that never leave :func:`~premier_policy.replay`."""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter
from typing import Any, Final, get_args

import pendulum

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import CUSTOMER_SIDE, Event, IncidentEvent, Open, Purchase
from premier_policy.base._instants import as_stored
from premier_policy.base._notifications import NotificationLog, Sent, Tally
from premier_policy.base._refusal import Refusal
from premier_policy.credits._account import Account, Purchased
from premier_policy.credits._record import AccountForm, account_form, account_of
from premier_policy.credits._record import account_due as account_due_of
from premier_policy.engine._agenda import DraftAgenda
from premier_policy.engine._credit_rules import (
    advance_account_record,
    open_record,
    purchase_record,
)
from premier_policy.engine._record_rules import advance_record, judge_record
from premier_policy.engine._time_order import (
    ACCEPTED,
    Accepted,
    Timers,
    Undo,
    fire,
    judge,
    next_due,
    precheck,
    refusal_for,
    store,
    until_instant,
)
from premier_policy.incidents._record import (
    CUSTOMER,
    ID,
    Record,
    incident_of,
    record_due,
    record_of,
)
from premier_policy.terms._policy import Policy
from premier_policy.wire._snapshot import Parts, write_snapshot

__all__ = ["Fold"]


class Fold:
    """The replay engine: the rules of :class:`World` over mutable working copies.

    It exists for speed (a dict write and a heap push per change, no copies) and never
    leaves :func:`~premier_policy.replay`, so no caller can see it change. Its results
    are those of folding a :class:`World`. Its incidents are records
    (:mod:`premier_policy.incidents._record`), which the garbage collector does not
    trace, and their common steps are taken on the records
    (:mod:`premier_policy.engine._record_rules`).
    """

    __slots__ = ("accounts", "at", "incidents", "notifications", "policy", "purchases")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.accounts: DraftAgenda[str, AccountForm] = DraftAgenda()
        self.incidents: DraftAgenda[str, Record] = DraftAgenda()
        self.purchases: DraftAgenda[str, str] = DraftAgenda()
        self.at: pendulum.DateTime | None = None
        self.notifications = NotificationLog()

    @classmethod
    def restored(cls, parts: Parts) -> Fold:
        """A working copy of the world a snapshot describes (read and checked)."""
        fold = cls(parts.policy)
        policy = parts.policy
        for account, order in zip(parts.accounts, parts.account_orders, strict=True):
            form = account_form(account, policy)
            fold.accounts.set(account.customer, form, due=account_due_of(form, policy), order=order)
        for incident, order in zip(parts.incidents, parts.incident_orders, strict=True):
            record = record_of(incident)
            fold.incidents.set(incident.id, record, due=record_due(record), order=order)
        for order, (purchase, customer) in enumerate(parts.purchases):
            fold.purchases.set(purchase, customer, due=None, order=order)
        fold.at = parts.at
        fold.notifications = NotificationLog(Tally(parts.at, dict(parts.tally)))
        return fold

    def snapshot(self) -> dict[str, Any]:
        """As :meth:`World.snapshot`."""
        tally = self.notifications.tally
        return write_snapshot(
            self.policy,
            self.at,
            [(key, account_of(form), order) for key, form, order in self.accounts.ordered()],
            [(key, incident_of(record), order) for key, record, order in self.incidents.ordered()],
            self.purchases.ordered(),
            (None if tally.at is None else as_stored(tally.at), tally.counts.items()),
        )

    @property
    def next_event_at(self) -> pendulum.DateTime | None:
        """As :attr:`World.next_event_at`."""
        due = next_due(self.accounts, self.incidents)
        return None if due is None else as_stored(due)

    def apply(self, event: Event) -> Accepted | Refusal:
        """As :meth:`World.apply`, in place; the notifications go to the log. A refusal
        undoes the timers fired before it, so it changes nothing here either."""
        at = event.at
        clock = self.at
        # Most events act in time order on a known incident, named by its staff or its own
        # customer, which precheck would let through: checked here without the call.
        acting = _ON_INCIDENT.get(type(event))
        if (
            acting is None
            or (clock is not None and at < clock)
            or (record := self.incidents.get(event.incident)) is None  # type: ignore[union-attr]
            or (acting and event.customer not in (None, record[CUSTOMER]))  # type: ignore[union-attr]
        ):
            refused = precheck(
                self.policy, event, at, clock, self.incidents, self.purchases, _CUSTOMER
            )
            if refused is not None:
                return refused
        # Most events find no timer due before them: fire() only when one is, and only
        # then is there anything a refusal must take back (the step itself sends nothing
        # it refuses).
        if self.accounts.due_before(at) or self.incidents.due_before(at):
            result = self._fire_and_step(event, at)
        else:
            result = self._step(event)  # nothing fired, so nothing to take back
        if result is ACCEPTED:
            self.at = at
        return result

    def _fire_and_step(self, event: Event, at: datetime) -> Accepted | Refusal:
        # The timers due before the event, then the event; a refusal undoes the timers.
        mark = self.notifications.mark()
        undo: Undo = []
        try:
            self._fire(at, undo, inclusive=False)
            result = self._step(event)
        except PolicyError as error:  # a timer past the year 9999 cannot fire
            result = refusal_for(error)
        if result is not ACCEPTED:
            for is_account, key, before, due, order in reversed(undo):
                store: DraftAgenda[str, Any] = self.accounts if is_account else self.incidents
                store.set(key, before, due=due, order=order)
            self.notifications.rollback(mark)
        return result

    def _step(self, event: Event) -> Accepted | Refusal:
        # As step() of the rules of time order, on records; the timers have fired.
        policy, accounts, incidents = self.policy, self.accounts, self.incidents
        record: Record | None = None
        lot: str | None = None
        try:
            if isinstance(event, IncidentEvent):
                record = incidents[event.incident]
                customer = record[CUSTOMER]
                judged = judge_record(policy, record, accounts[customer], event)
                if isinstance(judged, Refusal):
                    return judged
                record, account, sent = judged
            else:
                customer = event.customer
                before = accounts.get(customer)
                form = (customer,) if before is None else before
                quick: Any = None
                if type(form) is tuple:
                    if isinstance(event, Purchase):
                        quick = purchase_record(policy, form, event)
                        if quick is not None:
                            account, lot, sent = quick
                    elif isinstance(event, Open):
                        quick = open_record(policy, form, event)
                        if quick is not None:
                            record, account, sent = quick
                if quick is None:
                    by_value = judge(policy, {customer: account_of(form)}, {}, event)
                    if isinstance(by_value, Refusal):
                        return by_value
                    account = account_form(by_value.account, policy)
                    sent = by_value.notifications
                    if isinstance(by_value, Purchased):
                        lot = by_value.lot.id
                    else:
                        record = record_of(by_value.incident)
            changed = account is not accounts.get(customer)
            account_due = account_due_of(account, policy) if changed else None
            due = None if record is None else record_due(record)
        except PolicyError as error:
            return refusal_for(error)
        store(
            accounts,
            incidents,
            self.purchases,
            customer,
            account if changed else None,
            account_due,
            None if record is None else (record[ID], record, due),
            lot,
        )
        log = self.notifications
        log.extend(sent)
        # Nothing accepted is taken back, so its rows may be sealed: most events take no
        # mark (fire() does), and a log never sealed would be one list per column that
        # every full pass of the collector visits item by item.
        if len(log.at) >= log.CHUNK:
            log.seal()
        return ACCEPTED

    def _fire(self, until: datetime, undo: Undo | None, *, inclusive: bool) -> None:
        fire(
            self.policy,
            self.accounts,
            self.incidents,
            until,
            self.notifications,
            undo,
            inclusive=inclusive,
            timers=_RECORD_TIMERS,
        )

    def advance(self, until: pendulum.DateTime) -> None:
        """As :meth:`World.advance`, in place."""
        self.at = until_instant(self.policy, until, self.at)
        self._fire(self.at, None, inclusive=True)


_CUSTOMER: Final = itemgetter(CUSTOMER)
#: Each event on an incident: whether it may name the customer acting (input.owner).
_ON_INCIDENT: Final[dict[type[Event], bool]] = {
    cls: cls in CUSTOMER_SIDE for cls in get_args(IncidentEvent)
}


def _advance_account(policy: Policy, form: AccountForm, t: datetime) -> tuple[AccountForm, Sent]:
    if isinstance(form, Account):
        return form.advance(policy, as_stored(t), inclusive=True)
    return advance_account_record(policy, form, t)


def _account_due(policy: Policy, form: AccountForm) -> datetime | None:
    return account_due_of(form, policy)


def _incident_due(policy: Policy, record: Record) -> datetime | None:
    return record_due(record)


_RECORD_TIMERS: Final[Timers] = (_advance_account, _account_due, advance_record, _incident_due)
