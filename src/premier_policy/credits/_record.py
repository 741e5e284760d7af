"""An account's working form in the replay engine: one flat tuple per account.

As a :class:`~premier_policy.Account` value, an account is its book and, per lot, the
lot, its instants and the memo of its notice schedule: some sixty objects for a
customer of a few lots, which CPython's cyclic garbage collector traces on each of its
full passes, and which each purchase, opening and notice partly remakes. The replay
engine keeps an account of at most :attr:`Book.SMALL <premier_policy.credits._book.Book.SMALL>`
lots as one flat tuple instead: the customer, then each lot's fields in purchase order
(:data:`LOT_FIELDS` each), instants as standard-library datetimes in UTC, so that the
collector stops tracing it at its first look (a tuple of tuples takes it a pass per
level). A larger account stays a value, whose book indexes its lots.

A lot's record also holds the instant of its ``credits_expiring`` notice under the
engine's policy (``None`` when it sends none), which the value computes when first asked.

>>> import pendulum
>>> from premier_policy.base._events import Purchase
>>> from premier_policy.terms._policy import Policy
>>> policy = Policy()
>>> at = pendulum.datetime(2026, 11, 27, 9)
>>> bought = Account("acme").purchase(
...     policy, Purchase(at=at, customer="acme", id="p1", product="bundle-3"))
>>> record = account_form(bought.account, policy)
>>> record[0], record[1 + REMAINING], record[1 + EXPIRING_AT].date().isoformat()
('acme', 3, '2027-10-28')
>>> account_of(record) == bought.account, account_due(record, policy) == bought.account.next_timer_at(policy)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final, TypeAlias

from premier_policy.base._copies import maker
from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import plain, stored
from premier_policy.credits._account import Account
from premier_policy.credits._book import Book
from premier_policy.credits._lots import ExpiryNotice, Lot, notice_at
from premier_policy.terms._money import Money
from premier_policy.terms._policy import Policy

__all__ = [
    "AMOUNT",
    "CREDITS",
    "CURRENCY",
    "EXPIRES_AT",
    "EXPIRING_AT",
    "LOT_FIELDS",
    "LOT_ID",
    "NOTICES",
    "PRODUCT",
    "PURCHASED_AT",
    "REMAINING",
    "VERSION",
    "AccountForm",
    "AccountRecord",
    "account_due",
    "account_form",
    "account_of",
    "lot_fields",
    "lots_of",
    "pending",
]

#: An account as a flat tuple: the customer, then each lot's fields.
AccountRecord: TypeAlias = tuple[Any, ...]
#: How the engine holds an account: a record, or the value once it has many lots.
AccountForm: TypeAlias = "AccountRecord | Account"

# A lot's fields, from its start: Lot's own in order, its price as amount and currency
# (a Money value would keep the record traced), then its expiring notice's instant.
(
    LOT_ID, PRODUCT, CREDITS, REMAINING, PURCHASED_AT, EXPIRES_AT, AMOUNT, CURRENCY, NOTICES,
    VERSION, EXPIRING_AT,
) = range(11)  # fmt: skip
LOT_FIELDS: Final = 11


def lot_fields(lot: Lot, policy: Policy) -> tuple[Any, ...]:
    """The fields ``lot`` takes in a record, its notice instants under ``policy``."""
    expiring = notice_at(policy, lot, "credits_expiring")
    return (
        lot.id, lot.product, lot.credits, lot.remaining, plain(lot.purchased_at),
        plain(lot.expires_at), lot.price.amount, lot.price.currency, lot.notices,
        lot.policy_version,
        None if expiring is None else plain(expiring),
    )  # fmt: skip


def account_form(account: Account, policy: Policy) -> AccountForm:
    """How the engine holds ``account``: its record, or itself beyond ``Book.SMALL`` lots."""
    lots = account.lots
    if len(lots) > Book.SMALL:
        return account
    fields: list[Any] = [account.customer]
    try:
        for lot in lots:
            fields += lot_fields(lot, policy)
    except PolicyError:
        # A restored lot may name a policy version the policy lacks, used up so that no
        # timer asks for its terms; the value asks only when one does, and so stays.
        return account
    return tuple(fields)


def lots_of(record: AccountRecord) -> Iterator[tuple[int, AccountRecord]]:
    """Where each lot of ``record`` starts, with its fields, in purchase order."""
    for start in range(1, len(record), LOT_FIELDS):
        yield start, record[start : start + LOT_FIELDS]


_money: Final = maker(Money)


def _lot(f: AccountRecord) -> Lot:
    return Lot(
        id=f[LOT_ID], product=f[PRODUCT], credits=f[CREDITS], remaining=f[REMAINING],
        purchased_at=stored(f[PURCHASED_AT]), expires_at=stored(f[EXPIRES_AT]),
        price=_money(f[AMOUNT], f[CURRENCY]), notices=f[NOTICES], policy_version=f[VERSION],
    )  # fmt: skip


def account_of(form: AccountForm) -> Account:
    """The :class:`~premier_policy.Account` value an account form holds."""
    if isinstance(form, Account):
        return form
    lots = tuple(_lot(f) for _, f in lots_of(form))
    return Account(form[0], lots=lots)


def account_due(form: AccountForm, policy: Policy) -> datetime | None:
    """As :meth:`Account.next_timer_at`: the first pending notice of a lot holding
    credits (a record's instants were computed under ``policy``)."""
    if isinstance(form, Account):
        return form.next_timer_at(policy)
    earliest: datetime | None = None
    # pending()'s first notice of each lot, read in place: this runs after every change
    # of an account, and slicing out each lot's fields cost more than the comparisons.
    for start in range(1, len(form), LOT_FIELDS):
        # A lot with nothing left sends no notice; its pending ones come in firing order.
        if form[start + REMAINING]:
            notices = form[start + NOTICES]
            at = form[start + EXPIRING_AT]
            if at is None or "credits_expiring" in notices:
                if "credits_expired" in notices:
                    continue
                at = form[start + EXPIRES_AT]
            if earliest is None or at < earliest:
                earliest = at
    return earliest


def pending(f: AccountRecord) -> list[tuple[datetime, ExpiryNotice]]:
    """As :meth:`Lot.pending`, of a lot's fields: its notices not yet dealt with, in
    firing order (expiring, then expired at the expiry itself)."""
    notices = f[NOTICES]
    out: list[tuple[datetime, ExpiryNotice]] = []
    if f[EXPIRING_AT] is not None and "credits_expiring" not in notices:
        out.append((f[EXPIRING_AT], "credits_expiring"))
    if "credits_expired" not in notices:
        out.append((f[EXPIRES_AT], "credits_expired"))
    return out
