"""The replay engine's store: the rules of :class:`~premier_policy.World` over mutable
working copies that never leave :func:`~premier_policy.replay`."""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter
from typing import Any, Final

import pendulum

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import Event, Open, Purchase, RefundRequest
from premier_policy.base._instants import as_stored
from premier_policy.base._notifications import NotificationLog, Tally
from premier_policy.base._refusal import Refusal
from premier_policy.credits._account import Account, Purchased
from premier_policy.engine._agenda import DraftAgenda
from premier_policy.engine._record_rules import advance_record, judge_record
from premier_policy.engine._time_order import (
    ACCEPTED,
    Accepted,
    IncidentTimers,
    Undo,
    fire,
    judge,
    next_due,
    precheck,
    refusal_for,
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
        self.accounts: DraftAgenda[str, Account] = DraftAgenda()
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
            due = account.next_timer_at(policy)
            fold.accounts.set(account.customer, account, due=due, order=order)
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
            self.accounts.ordered(),
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
        refused = precheck(
            self.policy, event, at, self.at, self.incidents, self.purchases, _CUSTOMER
        )
        if refused is not None:
            return refused
        mark = self.notifications.mark()
        undo: Undo = []
        try:
            self._fire(at, undo, inclusive=False)
            result = self._step(event)
        except PolicyError as error:  # a timer past the year 9999 cannot fire
            result = refusal_for(error)
        if isinstance(result, Refusal):
            for is_account, key, before, due, order in reversed(undo):
                store: DraftAgenda[str, Any] = self.accounts if is_account else self.incidents
                store.set(key, before, due=due, order=order)
            self.notifications.rollback(mark)
            return result
        self.at = at
        return result

    def _step(self, event: Event) -> Accepted | Refusal:
        # As step() of the rules of time order, on records; the timers have fired.
        policy, accounts, incidents = self.policy, self.accounts, self.incidents
        record: Record | None
        try:
            if isinstance(event, (Purchase, RefundRequest, Open)):
                judged = judge(policy, accounts, {}, event)
                if isinstance(judged, Refusal):
                    return judged
                account, sent = judged.account, judged.notifications
                record = None if isinstance(judged, Purchased) else record_of(judged.incident)
            else:
                record = incidents[event.incident]
                done = judge_record(policy, record, accounts[record[CUSTOMER]], event)
                if isinstance(done, Refusal):
                    return done
                record, account, sent = done
            changed = account is not accounts.get(account.customer)
            account_due = account.next_timer_at(policy) if changed else None
            due = None if record is None else record_due(record)
        except PolicyError as error:
            return refusal_for(error)
        # Entities are never removed, so counting them gives a unique creation order.
        if changed:
            order = len(accounts) + len(incidents)
            accounts.set(account.customer, account, due=account_due, order=order)
        if record is None:
            assert isinstance(judged, Purchased)
            purchases = self.purchases
            purchases.set(judged.lot.id, account.customer, due=None, order=len(purchases))
        else:
            order = len(accounts) + len(incidents)
            incidents.set(record[ID], record, due=due, order=order)
        self.notifications.extend(sent)
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


def _record_timer(policy: Policy, record: Record) -> datetime | None:
    return record_due(record)


_RECORD_TIMERS: Final[IncidentTimers] = (advance_record, _record_timer)
