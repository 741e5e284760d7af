"""The replay engine's store: the rules of :class:`~premier_policy.World` over mutable
working copies that never leave :func:`~premier_policy.replay`."""

from __future__ import annotations

from typing import Any

import pendulum

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import (
    Event,
)
from premier_policy.base._notifications import NotificationLog, Tally
from premier_policy.base._refusal import Refusal
from premier_policy.credits._account import Account
from premier_policy.engine._agenda import DraftAgenda
from premier_policy.engine._time_order import (
    Accepted,
    Undo,
    fire,
    next_due,
    precheck,
    refusal_for,
    step,
    until_instant,
)
from premier_policy.incidents._incident import Incident
from premier_policy.terms._policy import Policy
from premier_policy.wire._snapshot import Parts, write_snapshot

__all__ = ["Fold"]


class Fold:
    """The replay engine: the rules of :class:`World` over mutable working copies.

    It exists for speed (a dict write and a heap push per change, no copies, no garbage
    for the collector to chase) and never leaves :func:`~premier_policy.replay`, so no
    caller can see it change. Its results are those of folding a :class:`World`.
    """

    __slots__ = ("accounts", "at", "incidents", "notifications", "policy", "purchases")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.accounts: DraftAgenda[str, Account] = DraftAgenda()
        self.incidents: DraftAgenda[str, Incident] = DraftAgenda()
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
            fold.incidents.set(
                incident.id, incident, due=incident.next_timer_at(policy), order=order
            )
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
            self.incidents.ordered(),
            self.purchases.ordered(),
            (tally.at, tally.counts.items()),
        )

    @property
    def next_event_at(self) -> pendulum.DateTime | None:
        """As :attr:`World.next_event_at`."""
        return next_due(self.accounts, self.incidents)

    def apply(self, event: Event) -> Accepted | Refusal:
        """As :meth:`World.apply`, in place; the notifications go to the log. A refusal
        undoes the timers fired before it, so it changes nothing here either."""
        policy = self.policy
        at = event.at
        refused = precheck(policy, event, at, self.at, self.incidents, self.purchases)
        if refused is not None:
            return refused
        mark = self.notifications.mark()
        undo: Undo = []
        try:
            *_, result = step(
                policy,
                self.accounts,
                self.incidents,
                self.purchases,
                event,
                at,
                self.notifications,
                undo,
            )
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

    def advance(self, until: pendulum.DateTime) -> None:
        """As :meth:`World.advance`, in place."""
        self.at = until_instant(self.policy, until, self.at)
        fire(
            self.policy, self.accounts, self.incidents, self.at, self.notifications, inclusive=True
        )
