"""Accounts (the ``credits`` wing) built by real purchases and consumptions."""

from __future__ import annotations

from datetime import datetime

from hypothesis import strategies as st

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import (
    Purchase,
)
from premier_policy.credits._account import Account, Consumed, Purchased
from premier_policy.strategies._events import _NAMES, _another, _later, _Model, _product_names
from premier_policy.strategies._instants import _at, instants
from premier_policy.strategies._options import DEFAULT_MAX, DEFAULT_MIN, _policy_option, _range
from premier_policy.strategies._ticks import _from_ticks, _ticks
from premier_policy.terms._policy import Policy

__all__ = ["accounts"]


@st.composite
def _accounts(draw: st.DrawFn, policy: Policy, lo: int, hi: int) -> Account:
    customer = draw(_NAMES)
    account = Account(customer)
    start = draw(
        instants(timezone=policy.tz.name, min_value=_from_ticks(lo), max_value=_from_ticks(hi))
    )
    model = _Model(policy=policy, ticks=_ticks(start))
    taken: list[str] = []
    steps = 0
    while _another(draw, steps, 0, 8):
        later = _later(draw, model, hi)  # drawn for the first too: see _event_lists
        model.ticks = later if steps else model.ticks
        steps += 1
        at = _at(model.ticks, policy.tz)
        account, _ = account.advance(policy, at, inclusive=False)
        action = draw(st.sampled_from(("purchase", "consume", "restore")))
        if action == "purchase":
            product = draw(st.sampled_from(_product_names(policy.in_force(at))))
            count = draw(st.integers(1, 3))
            event = Purchase(
                at=at, customer=customer, id=model.fresh(draw), product=product, count=count
            )
            try:
                bought = account.purchase(policy, event)
            except PolicyError:  # a lot that would expire after the year 9999
                continue
            assert isinstance(bought, Purchased)  # fresh IDs and known products
            account = bought.account
        elif action == "consume":
            used = account.consume(policy, at)
            if isinstance(used, Consumed):
                account = used.account
                taken.append(used.lot_id)
        elif taken:
            account = account.restore(taken.pop(draw(st.integers(0, len(taken) - 1))))
    return account


def accounts(
    *,
    policy: Policy | None = None,
    min_value: datetime = DEFAULT_MIN,
    max_value: datetime = DEFAULT_MAX,
) -> st.SearchStrategy[Account]:
    """Credit accounts built through the credits API, the way a host builds them.

    One customer buys, consumes and gets credits restored at instants in
    ``[min_value, max_value]``, in time order with gaps favouring ``policy``'s
    boundaries, expiry notices firing on the way: every lot is one the library made.
    ``policy`` defaults to ``Policy()``.

    >>> from hypothesis import find
    >>> account = find(accounts(), lambda a: any(lot.consumed for lot in a.lots))
    >>> [(lot.credits - lot.remaining, lot.consumed) for lot in account.lots]
    [(1, 1)]
    """
    policy = _policy_option(policy)
    lo, hi = _range(min_value, max_value)
    return _accounts(policy, lo, hi)
