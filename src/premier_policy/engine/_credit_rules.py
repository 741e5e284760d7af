"""The credits' common steps on account records, for the replay engine.

A purchase, an opening (the credit it takes) and the expiry notices are most of what
happens to an account in a replay. These functions apply them to an account's record
(:mod:`premier_policy.credits._record`) exactly as :class:`~premier_policy.Account` and
the lifecycle's :func:`~premier_policy.incidents._lifecycle.open_incident` apply them to
the value: the lot is made by :class:`~premier_policy.credits._lots.Lot` and its expiry
by :func:`~premier_policy.credits._lots.valid_until`, the order credits are taken in is
``credits.consume-order``'s. Each returns None where the value must judge instead: a
purchase ID already recorded, an account about to outgrow its record, no usable
credit, an area outside the support. ``tests/engine/test_credit_rules.py`` holds the
two equal step by step, and the engine-against-world laws replay by replay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from premier_policy.base._events import AREAS, Open, Purchase
from premier_policy.base._instants import plain
from premier_policy.base._notifications import Notification, notify
from premier_policy.credits._book import Book
from premier_policy.credits._lots import EXPIRY_NOTICES, Lot, valid_until
from premier_policy.credits._record import (
    EXPIRES_AT,
    LOT_FIELDS,
    LOT_ID,
    NOTICES,
    PURCHASED_AT,
    REMAINING,
    AccountRecord,
    lot_fields,
    lots_of,
    pending,
)
from premier_policy.incidents._record import Record
from premier_policy.incidents._states import TRANSITIONS
from premier_policy.terms._policy import Policy

__all__ = ["advance_account_record", "consume_record", "open_record", "purchase_record"]


def _order(f: AccountRecord) -> tuple[Any, ...]:
    # credits.consume-order: soonest expiry, then earlier purchase, then purchase ID.
    return (f[EXPIRES_AT], f[PURCHASED_AT], f[LOT_ID])


def purchase_record(
    policy: Policy, record: AccountRecord, event: Purchase
) -> tuple[AccountRecord, Lot, tuple[Notification, ...]] | None:
    """As :meth:`Account.purchase` on a record (``policy`` is the engine's)."""
    if (len(record) - 1) // LOT_FIELDS >= Book.SMALL:
        return None
    if any(f[LOT_ID] == event.id for _, f in lots_of(record)):
        return None  # input.duplicate-id: the value words it
    at = event.at
    terms = policy.in_force(at)
    product = terms.catalog.product(event.product)
    count = event.count
    lot = Lot(
        id=event.id,
        product=product.name,
        credits=product.credits * count,
        remaining=product.credits * count,
        purchased_at=at,
        expires_at=valid_until(terms, at),
        price=product.price if count == 1 else product.price * count,
        policy_version=terms.version,
    )
    sent = notify("credits_purchased", at, record[0])
    return record + lot_fields(lot, policy), lot, sent


def consume_record(record: AccountRecord, t: datetime) -> tuple[AccountRecord, str] | None:
    """As :meth:`Account.consume` at ``t`` (UTC) on a record: one credit from the usable
    lot first in consume order, and its ID; None when no lot is usable."""
    chosen: AccountRecord | None = None
    where = 0
    for start, f in lots_of(record):
        if (
            f[REMAINING]
            and f[PURCHASED_AT] <= t < f[EXPIRES_AT]
            and (chosen is None or _order(f) < _order(chosen))
        ):
            chosen, where = f, start
    if chosen is None:
        return None
    new = list(record)
    new[where + REMAINING] -= 1
    return tuple(new), chosen[LOT_ID]


def open_record(
    policy: Policy, record: AccountRecord, event: Open
) -> tuple[Record, AccountRecord, tuple[Notification, ...]] | None:
    """As :func:`~premier_policy.incidents._lifecycle.open_incident` on an account
    record: the incident's record, the account's and the notifications."""
    if event.area not in AREAS:
        return None  # scope.*: the lifecycle words the refusal
    at = event.at
    terms = policy.in_force(at)
    t = plain(at)
    consumed = consume_record(record, t)
    if consumed is None:
        return None  # credits.none-available: the account words why
    account, lot_id = consumed
    due = plain(terms.utc(terms.response_due(at)))
    # Incident's fields in the record's order (incidents/_record.py): waiting on staff
    # with one credit, a fresh allowance and its first response target.
    incident = (
        event.id, event.customer, event.area, TRANSITIONS.initial, t, (lot_id,),
        terms.allowance_minutes, 0, 0, None, None, None, None, terms.version, None,
        t, due, None, False, None,
    )  # fmt: skip
    return incident, account, notify("incident_opened", at, event.customer, event.id)


def advance_account_record(
    policy: Policy, record: AccountRecord, until: datetime
) -> tuple[AccountRecord, tuple[Notification, ...]]:
    """As :meth:`Account.advance` (inclusive) on a record: the expiry notices due at or
    before ``until`` of the lots holding credits, in firing order, each once."""
    due = sorted(
        (at, EXPIRY_NOTICES.index(kind), _order(f), kind, start)
        for start, f in lots_of(record)
        if f[REMAINING]
        for at, kind in pending(f)
        if at <= until
    )
    if not due:
        return record, ()
    new = list(record)
    sent: list[Notification] = []
    customer = record[0]
    for at, _, _, kind, start in due:
        new[start + NOTICES] = (*new[start + NOTICES], kind)
        sent.extend(notify(kind, at, customer))  # type: ignore[arg-type]
    return tuple(new), tuple(sent)
