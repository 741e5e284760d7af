"""The index of an account's lots: persistent search trees agreeing with a plain dict,
and the book a value that compares, hashes and pickles by its lots
(credits.consume-order, credits.expiry-notice)."""

from __future__ import annotations

import pickle

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Account, Money, Policy
from premier_policy.credits._book import Book, Tree, after, drop, get, put, weight_after
from premier_policy.credits._lots import Lot

T0 = pendulum.datetime(2026, 1, 1)


def lot(i: int, remaining: int = 1) -> Lot:
    return Lot(id=f"p{i}", product="single", credits=1, remaining=remaining,
               purchased_at=T0.add(days=i), expires_at=T0.add(years=1, days=i),
               price=Money("75.00", "USD"))  # fmt: skip


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(-1, 5)), max_size=80),
       st.integers(-1, 41))  # fmt: skip
def test_trees_agree_with_a_dict(moves: list[tuple[int, int]], probe: int) -> None:
    """Puts (weight >= 0) and drops (weight -1) of keys keep every earlier tree as it was,
    and lookups, in-order walks and weights after a key match a dict's."""
    tree: Tree = None
    model: dict[tuple[int], int] = {}
    history: list[tuple[Tree, dict[tuple[int], int]]] = []
    for key, weight in moves:
        if weight < 0:
            if (key,) in model:
                tree = drop(tree, (key,))
                del model[(key,)]
        else:
            tree = put(tree, (key,), key, weight)
            model[(key,)] = weight
        history.append((tree, dict(model)))
    for old, seen in history:
        assert [n[0] for n in after(old, probe)] == sorted(k for k in seen if k[0] > probe)
        assert weight_after(old, probe) == sum(w for k, w in seen.items() if k[0] > probe)
        assert all(get(old, k) == k[0] for k in seen)
    assert get(tree, (probe,)) == (probe if (probe,) in model else None)


def test_a_book_is_a_value_of_its_lots() -> None:
    """Equal, with equal hashes, when the lots are, in order; pickled as its lots, so any
    size pickles; an account shows its lots."""
    lots = tuple(lot(i) for i in range(5))
    book = Book.of(lots)
    rebuilt = Book.of(lots[:3]).put(lots[3], None).put(lots[4], None)
    assert book == rebuilt
    assert hash(book) == hash(rebuilt)
    assert book != Book.of(lots[::-1])
    assert book != lots  # a book equals only a book
    big = Account("acme", [lot(i) for i in range(3000)])
    again = pickle.loads(pickle.dumps(big))
    assert again == big
    assert again.lots == big.lots
    assert repr(Account("acme", lots[:1])) == f"Account(customer='acme', lots=({lots[0]!r},))"


def test_timers_follow_the_policy_asked_about() -> None:
    """The notice timers kept for one policy are rebuilt for another, and dropped by a
    change made without a policy."""
    policy, other = Policy(), Policy(expiry_notice_days=0)
    book = Book.of((lot(0), lot(1)))
    assert book.next_timer(policy) == T0.add(years=1).subtract(days=30)
    assert book.next_timer(other) == T0.add(years=1)
    changed = book.put(lot(0, remaining=0), None)
    assert changed.next_timer(other) == T0.add(years=1, days=1)
