"""The credits' steps on account records, for the replay engine.

Purchases, openings (the credit taken), extensions' credits, credits given back by an
invalidation and the expiry notices are what happens to an account in a replay. These
functions apply them to an account's record (:mod:`premier_policy.credits._record`)
exactly as :class:`~premier_policy.Account` and the lifecycle's
:func:`~premier_policy.incidents._lifecycle.open_incident` apply them to the value: a
lot's fields are those :class:`~premier_policy.credits._lots.Lot` holds, its expiry and
notice instants :func:`~premier_policy.credits._lots.valid_until`'s and
:func:`~premier_policy.credits._lots.notice_at`'s on the wall clock
(:func:`~premier_policy.terms._policy.wall_added`), the order credits are taken in is
``credits.consume-order``'s. Each returns None where the value must judge instead: a
purchase ID already recorded, an account about to outgrow its record, a lot that could
not expire before the year 9999, no usable credit, an area outside the support, a
credit that cannot be given back. ``tests/engine/test_credit_rules.py`` holds the two
equal step by step, and the engine-against-world laws replay by replay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import AREAS, Open, Purchase
from premier_policy.base._instants import plain
from premier_policy.base._notifications import Note, Notes
from premier_policy.credits._book import Book
from premier_policy.credits._lots import EXPIRY_NOTICES
from premier_policy.credits._record import (
    CREDITS,
    EXPIRES_AT,
    LOT_FIELDS,
    LOT_ID,
    NOTICES,
    PURCHASED_AT,
    REMAINING,
    AccountRecord,
    lots_of,
    pending,
)
from premier_policy.incidents._record import Record
from premier_policy.incidents._states import TRANSITIONS
from premier_policy.terms._policy import Policy, response_due_at, wall_added

__all__ = [
    "advance_account_record",
    "consume_record",
    "open_record",
    "purchase_record",
    "restore_record",
]


def _order(f: AccountRecord) -> tuple[Any, ...]:
    # credits.consume-order: soonest expiry, then earlier purchase, then purchase ID.
    return (f[EXPIRES_AT], f[PURCHASED_AT], f[LOT_ID])


def purchase_record(
    policy: Policy, record: AccountRecord, event: Purchase
) -> tuple[AccountRecord, str, Notes] | None:
    """As :meth:`Account.purchase` on a record (``policy`` is the engine's): the record
    with the new lot, the lot's ID and the notifications."""
    if (len(record) - 1) // LOT_FIELDS >= Book.SMALL:
        return None
    if any(f[LOT_ID] == event.id for _, f in lots_of(record)):
        return None  # input.duplicate-id: the value words it
    at = event.at
    terms = policy.in_force(at)
    product = terms.catalog.product(event.product)
    t = plain(at)
    try:
        # valid_until: at least a year on the wall clock, so always after the purchase.
        expires = wall_added(terms, t, years=terms.validity_years)
    except PolicyError:
        return None  # past the calendar: the value words it (credits.validity, or the instant)
    count = event.count
    credits = product.credits * count
    price = product.price if count == 1 else product.price * count
    # The fields of the Lot the value makes (lot_fields), and its notice's instant.
    lot = (
        event.id, product.name, credits, credits, t, expires, price.amount, price.currency,
        (), terms.version, _expiring(terms, t, expires),
    )  # fmt: skip
    return record + lot, event.id, (("credits_purchased", t, record[0], None),)


def _expiring(terms: Policy, bought: datetime, expires: datetime) -> datetime | None:
    # notice_at's credits_expiring, of a new lot under its own terms.
    if not terms.expiry_notice_days:
        return None
    try:
        expiring = wall_added(terms, expires, days=-terms.expiry_notice_days)
    except PolicyError:
        return bought  # before the year 1, so certainly before the purchase
    return max(expiring, bought)


def consume_record(record: AccountRecord, t: datetime) -> tuple[AccountRecord, str] | None:
    """As :meth:`Account.consume` at ``t`` (UTC) on a record: one credit from the usable
    lot first in consume order, and its ID; None when no lot is usable."""
    chosen: tuple[Any, ...] | None = None
    where = 0
    for start in range(1, len(record), LOT_FIELDS):  # read in place, as account_due does
        if (
            record[start + REMAINING]
            and record[start + PURCHASED_AT] <= t < record[start + EXPIRES_AT]
        ):
            # _order's key, of the fields in place
            order = (
                record[start + EXPIRES_AT],
                record[start + PURCHASED_AT],
                record[start + LOT_ID],
            )
            if chosen is None or order < chosen:
                chosen, where = order, start
    if chosen is None:
        return None
    new = list(record)
    new[where + REMAINING] -= 1
    return tuple(new), chosen[2]


def restore_record(record: AccountRecord, lot_id: str, t: datetime) -> AccountRecord | None:
    """As :meth:`Account.restore` at ``t`` (UTC) on a record: the notices of lot
    ``lot_id`` due strictly before ``t`` while it held nothing dealt with silently, then
    one credit back. None when the lot is unknown or has no credit consumed: the
    account words that error."""
    found = next(((start, f) for start, f in lots_of(record) if f[LOT_ID] == lot_id), None)
    if found is None:
        return None
    start, f = found
    if f[REMAINING] == f[CREDITS]:
        return None
    new = list(record)
    if not f[REMAINING]:
        passed = tuple(kind for due, kind in pending(f) if due < t)
        new[start + NOTICES] = (*f[NOTICES], *passed)
    new[start + REMAINING] += 1
    return tuple(new)


def open_record(
    policy: Policy, record: AccountRecord, event: Open
) -> tuple[Record, AccountRecord, Notes] | None:
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
    due = response_due_at(terms, t)
    # Incident's fields in the record's order (incidents/_record.py): waiting on staff
    # with one credit, a fresh allowance and its first response target.
    incident = (
        event.id, event.customer, event.area, TRANSITIONS.initial, t, (lot_id,),
        terms.allowance_minutes, 0, 0, None, None, None, None, terms.version, None,
        t, due, None, False, None,
    )  # fmt: skip
    return incident, account, (("incident_opened", t, event.customer, event.id),)


def advance_account_record(
    policy: Policy, record: AccountRecord, until: datetime
) -> tuple[AccountRecord, Notes]:
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
    sent: list[Note] = []
    customer = record[0]
    for at, _, _, kind, start in due:
        new[start + NOTICES] = (*new[start + NOTICES], kind)
        sent.append((kind, at, customer, None))
    return tuple(new), tuple(sent)
