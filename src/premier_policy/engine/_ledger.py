"""A customer's credits ledger: a scenario replayed, told move by move for one customer.

:func:`credit_ledger` replays a scenario and lists, in order, every lot the customer
bought (product, price, validity window), every move of a credit (taken by which
incident, given back when and why), every expiry notice (and every one dealt with
silently because its lot held nothing), every refusal about the customer's credits,
and the balance after each. The accounts are the replay's own; the expiry timers are
fired with the account's own ``advance``, one instant at a time, so that each notice
gets its entry. The ledger's final balance is the outcome's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import pendulum
from attrs import frozen

from premier_policy.base._events import Event, IncidentEvent, Open, Purchase, RefundRequest
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId
from premier_policy.credits._account import Account
from premier_policy.credits._lots import Lot
from premier_policy.engine._replay import Trace, trace
from premier_policy.engine._story import event_kind, horizons_of
from premier_policy.terms._policy import Policy

__all__ = ["CreditLedger", "LedgerEntry", "credit_ledger"]

#: What an entry records.
EntryKind = Literal[
    "purchased", "taken", "restored", "expiring", "expired", "notice_skipped", "refused"
]


@frozen(kw_only=True)
class LedgerEntry:
    """One move in a customer's credits: ``change`` credits (negative when taken or
    lost to expiry) on ``lot`` for ``incident``, and the usable ``balance`` after it.

    ``index`` is the event's index in the scenario, None for an expiry timer.
    """

    at: pendulum.DateTime
    index: int | None
    kind: EntryKind
    rule: RuleId
    lot: str | None
    incident: str | None
    change: int
    balance: int
    text: str


def _iso(policy: Policy, t: pendulum.DateTime) -> str:
    return policy.local(t).isoformat()


@frozen(kw_only=True)
class CreditLedger:
    """The credits of ``customer``: the lots bought and every move, and the balance at
    ``as_of`` (the outcome's)."""

    policy: Policy
    customer: str
    lots: tuple[Lot, ...]
    entries: tuple[LedgerEntry, ...]
    balance: int
    as_of: pendulum.DateTime | None

    def lines(self) -> tuple[str, ...]:
        """The ledger for a person: the lots, then a line per move with the balance."""
        policy = self.policy
        show = policy.show
        until = "" if self.as_of is None else f" until {show(self.as_of)}"
        lines = [f"Credits of {self.customer}, replayed in {policy.tz.name}{until}"]
        for lot in self.lots:
            lines.append(
                f"lot {lot.id}: {lot.credits} x {lot.product} credit(s) for {lot.price}, valid "
                f"{show(lot.purchased_at)} to {show(lot.expires_at)} (exclusive), "
                f"{lot.remaining} left  [{RuleId.CREDITS_VALIDITY}]"
            )
        for entry in self.entries:
            where = "timer" if entry.index is None else f"#{entry.index}"
            change = f"{entry.change:+d}" if entry.change else " 0"
            lines.append(
                f"{where} {show(entry.at)}  {change}  balance {entry.balance}  "
                f"{entry.text}  [{entry.rule}]"
            )
        lines.append(f"balance: {self.balance}")
        return tuple(lines)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        policy = self.policy
        return {
            "customer": self.customer,
            "as_of": None if self.as_of is None else _iso(policy, self.as_of),
            "lots": [
                {
                    "id": lot.id,
                    "product": lot.product,
                    "credits": lot.credits,
                    "remaining": lot.remaining,
                    "price": str(lot.price),
                    "purchased_at": _iso(policy, lot.purchased_at),
                    "expires_at": _iso(policy, lot.expires_at),
                }
                for lot in self.lots
            ],
            "entries": [
                {
                    "index": e.index,
                    "at": _iso(policy, e.at),
                    "kind": e.kind,
                    "rule": e.rule.value,
                    "lot": e.lot,
                    "incident": e.incident,
                    "change": e.change,
                    "balance": e.balance,
                    "text": e.text,
                }
                for e in self.entries
            ],
            "balance": self.balance,
        }


def _timers(
    policy: Policy, account: Account, until: pendulum.DateTime
) -> tuple[list[LedgerEntry], Account]:
    """Each expiry notice of ``account`` due up to ``until`` (included), as its own entry,
    and the account after them."""
    found: list[LedgerEntry] = []
    while (at := account.next_timer_at(policy)) is not None and at <= until:
        after, _ = account.advance(policy, at, inclusive=True)
        moves: list[tuple[EntryKind, str, int, str]] = []
        for old, new in zip(account.lots, after.lots, strict=True):
            left = old.remaining
            for kind in new.notices[len(old.notices) :]:
                if kind == "credits_expiring":
                    text = f"lot {old.id}: {left} unused credit(s) expire {policy.show(old.expires_at)}; customer told (credits_expiring)"
                    moves.append(("expiring", old.id, 0, text))
                else:
                    text = f"lot {old.id}: {left} unused credit(s) expired; customer told (credits_expired)"
                    moves.append(("expired", old.id, -left, text))
        # Balances run backwards from the one after every notice of this instant.
        balance = after.balance(at)
        entries: list[LedgerEntry] = []
        for entry_kind, lot, change, text in reversed(moves):
            entries.append(
                LedgerEntry(
                    at=at,
                    index=None,
                    kind=entry_kind,
                    rule=RuleId.CREDITS_EXPIRY_NOTICE,
                    lot=lot,
                    incident=None,
                    change=change,
                    balance=balance,
                    text=text,
                )
            )
            balance -= change
        found += reversed(entries)
        account = after
    # Stable: at one instant, the notices sent come before those skipped.
    return sorted((*found, *_skipped(policy, account, until)), key=lambda e: e.at), account


def _skipped(policy: Policy, account: Account, until: pendulum.DateTime) -> list[LedgerEntry]:
    """The notices of used-up lots due strictly before ``until``: never sent (nor named
    as timers), listed as such. One due at ``until`` may yet be sent, if an event then
    refills its lot (``input.timers``)."""
    return [
        LedgerEntry(
            at=at,
            index=None,
            kind="notice_skipped",
            rule=RuleId.CREDITS_EXPIRY_NOTICE,
            lot=lot.id,
            incident=None,
            change=0,
            balance=account.balance(at),
            text=f"lot {lot.id}: no {kind} notice, nothing left in it",
        )
        for lot in account.lots
        if not lot.remaining
        for at, kind in lot.pending(policy)
        if at < until
    ]


def _lot_of(event: Event) -> str | None:
    if isinstance(event, Purchase):
        return event.id
    return event.purchase if isinstance(event, RefundRequest) else None


def _incident_of(event: Event) -> str | None:
    if isinstance(event, Open):
        return event.id
    return event.incident if isinstance(event, IncidentEvent) else None


def _customer_of(event: Event, trace_world_incidents: Any) -> str | None:
    if isinstance(event, Purchase | RefundRequest | Open):
        return event.customer
    incident = trace_world_incidents.get(event.incident)
    return None if incident is None else str(incident.customer)


def ledger_of(done: Trace, customer: str) -> CreditLedger:
    """The ledger of ``customer`` in the replay ``done``."""
    policy = done.policy
    entries: list[LedgerEntry] = []
    account: Account | None = None
    horizons = horizons_of(done)
    # Each notice is listed once, the first time it is met: the world's accounts fire
    # a notice due at an event's instant only after it, while the ledger lists it first.
    listed: set[tuple[str | None, bool]] = set()

    def new(fired: list[LedgerEntry]) -> list[LedgerEntry]:
        found = [e for e in fired if (e.lot, "credits_expired" in e.text) not in listed]
        listed.update((e.lot, "credits_expired" in e.text) for e in found)
        return found

    for moment in done.moments:
        event = moment.event
        if event is None:
            continue
        # Incidents are never removed and never change customer: the world after the
        # event knows the customer of every incident the event can name.
        mine = _customer_of(event, moment.world.incidents) == customer
        result = moment.result
        if isinstance(result, Refusal):
            if mine and result.rule in _CREDIT_REFUSALS:
                horizon = horizons[moment.index]
                if account is not None and horizon is not None:
                    # Timers up to the refused event's instant, unless the world's clock
                    # will not get that far before its next accepted event.
                    fired, account = _timers(policy, account, min(event.at, horizon))
                    entries += new(fired)
                entries.append(
                    LedgerEntry(
                        at=event.at,
                        index=moment.index,
                        kind="refused",
                        rule=result.rule,
                        lot=_lot_of(event),
                        incident=_incident_of(event),
                        change=0,
                        balance=entries[-1].balance if entries else 0,
                        text=f"{event_kind(event)} refused: {result.message}",
                    )
                )
            continue
        if account is not None:
            # A lot expiring at the event's instant is unusable then: its notice is
            # listed first, although the world sends it just after the event.
            fired, account = _timers(policy, account, event.at)
            entries += new(fired)
        after = moment.world.accounts.get(customer)
        if mine and after is not None:
            entries += _moves(policy, moment.index, event, account, after, moment.world.incidents)
        if after is not None:
            # The world's account has not fired those yet; a lot bought now may have a
            # notice due at once (a validity shorter than the notice period).
            fired, after = _timers(policy, after, event.at)
            entries += new(fired)
        account = after
    if account is not None and done.as_of is not None:
        fired, account = _timers(policy, account, done.as_of)
        entries += new(fired)
    balance = 0 if account is None or done.as_of is None else account.balance(done.as_of)
    return CreditLedger(
        policy=policy,
        customer=customer,
        lots=() if account is None else account.lots,
        entries=tuple(entries),
        balance=balance,
        as_of=done.as_of,
    )


_CREDIT_REFUSALS = frozenset(
    {
        RuleId.CREDITS_NONE_AVAILABLE,
        RuleId.CREDITS_NO_REFUNDS,
        RuleId.INPUT_DUPLICATE_ID,
        RuleId.CREDITS_VALIDITY,
        RuleId.TIME_EXTENSION_NOT_NEEDED,
    }
)


def _moves(
    policy: Policy,
    index: int,
    event: Event,
    old: Account | None,
    new: Account,
    incidents: Any,
) -> Iterator[LedgerEntry]:
    at = event.at
    balance = new.balance(at)
    before = {} if old is None else {lot.id: lot for lot in old.lots}
    incident = _incident_of(event)
    for lot in new.lots:
        was = before.get(lot.id)
        if was is None:
            yield LedgerEntry(
                at=at,
                index=index,
                kind="purchased",
                rule=RuleId.CREDITS_VALIDITY,
                lot=lot.id,
                incident=None,
                change=lot.remaining,
                balance=balance,
                text=f"bought {lot.credits} credit(s) ({lot.product}, {lot.price}) as lot {lot.id}, "
                f"usable until {policy.show(lot.expires_at)}",
            )
        elif lot.remaining < was.remaining:
            why = "opened" if isinstance(event, Open) else "extended"
            yield LedgerEntry(
                at=at,
                index=index,
                kind="taken",
                rule=RuleId.CREDITS_CONSUME_ORDER,
                lot=lot.id,
                incident=incident,
                change=lot.remaining - was.remaining,
                balance=balance,
                text=f"1 credit of lot {lot.id} taken: incident {incident} {why} "
                "(the usable lot that expires first)",
            )
        elif lot.remaining > was.remaining:
            # Only an invalidation gives credits back, and it names its incident.
            reason = incidents[incident].invalid_reason
            usable = lot.valid_at(at)
            note = "" if usable else "; the lot has expired, so it stays unusable"
            yield LedgerEntry(
                at=at,
                index=index,
                kind="restored",
                rule=RuleId.CREDITS_RESTORE,
                lot=lot.id,
                incident=incident,
                change=lot.remaining - was.remaining if usable else 0,
                balance=balance,
                text=f"{lot.remaining - was.remaining} credit(s) back to lot {lot.id}: incident "
                f"{incident} invalidated ({reason}), keeping the lot's expiry{note}",
            )


def credit_ledger(scenario: object, customer: str) -> CreditLedger:
    """Replay ``scenario`` (a parsed JSON document) and list ``customer``'s credits move
    by move; raises :class:`~premier_policy.ScenarioError` like :func:`~premier_policy.replay`.

    >>> ledger = credit_ledger({"events": [
    ...     {"at": "2026-11-27T10:00:00+01:00", "type": "purchase", "customer": "acme",
    ...      "id": "p1", "product": "bundle-3"},
    ...     {"at": "2026-11-27T18:30:00+01:00", "type": "open", "customer": "acme",
    ...      "id": "i1", "area": "setup"}]}, "acme")
    >>> print("\\n".join(ledger.lines()))
    Credits of acme, replayed in Europe/Paris until 2026-11-27 18:30 CET
    lot p1: 3 x bundle-3 credit(s) for 225.00 USD, valid 2026-11-27 10:00 CET to 2027-11-27 10:00 CET (exclusive), 2 left  [credits.validity]
    #0 2026-11-27 10:00 CET  +3  balance 3  bought 3 credit(s) (bundle-3, 225.00 USD) as lot p1, usable until 2027-11-27 10:00 CET  [credits.validity]
    #1 2026-11-27 18:30 CET  -1  balance 2  1 credit of lot p1 taken: incident i1 opened (the usable lot that expires first)  [credits.consume-order]
    balance: 2
    """
    return ledger_of(trace(scenario), customer)
