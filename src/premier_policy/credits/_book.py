"""A customer's lots, indexed so that one event costs O(log n) in their number.

An :class:`~premier_policy.Account` keeps its lots in a :class:`Book`: persistent
balanced search trees (treaps, copied along one path per change, so every earlier book
stays valid) over

- the lot IDs (lookups, duplicate purchases, and the purchase order),
- the lots holding credits, in consume order (``credits.consume-order``) with the sum of
  their credits (``balance``),
- the same lots by purchase instant, with the sum of their credits (lots bought after
  an instant are not usable then),
- the pending expiry notices of those lots, in firing order, for the policy last asked
  about (``credits.expiry-notice``, ``input.timers``).

Taking, restoring, buying, the balance at an instant and the next timer each cost
O(log n) expected; the tuple of lots in purchase order is built when asked for, once
per book. A book of at most ``Book.SMALL`` lots, as most customers hold, builds no
tree: its lots are a plain tuple, and every query a scan of it, faster at that size.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar, TypeAlias

import pendulum

from premier_policy.credits._lots import EXPIRY_NOTICES, ExpiryNotice, Lot
from premier_policy.terms._policy import Policy

__all__ = ["Book"]

# A node: (key, value, weight, total weight of the subtree, priority, left, right).
Node: TypeAlias = tuple[Any, Any, int, int, int, Any, Any]
Tree: TypeAlias = Node | None


def _total(node: Tree) -> int:
    return 0 if node is None else node[3]


def _node(key: Any, value: Any, weight: int, prio: int, left: Tree, right: Tree) -> Node:
    return (key, value, weight, weight + _total(left) + _total(right), prio, left, right)


def _split(node: Tree, key: Any) -> tuple[Tree, Tree]:
    """The keys below ``key``, and the others."""
    if node is None:
        return None, None
    if node[0] < key:
        low, high = _split(node[6], key)
        return _node(node[0], node[1], node[2], node[4], node[5], low), high
    low, high = _split(node[5], key)
    return low, _node(node[0], node[1], node[2], node[4], high, node[6])


def _merge(low: Tree, high: Tree) -> Tree:
    """One tree of ``low`` and ``high``, every key of ``low`` below those of ``high``."""
    if low is None:
        return high
    if high is None:
        return low
    if low[4] > high[4]:
        return _node(low[0], low[1], low[2], low[4], low[5], _merge(low[6], high))
    return _node(high[0], high[1], high[2], high[4], _merge(low, high[5]), high[6])


def put(node: Tree, key: Any, value: Any, weight: int = 0) -> Node:
    """``node`` with ``key`` set to ``value`` of ``weight``, replaced or inserted."""
    # The priority is a function of the key: a key present in a subtree has a priority
    # at most its root's, so a higher one means the key is new there.
    return _put(node, key, value, weight, hash(key))


def _put(node: Tree, key: Any, value: Any, weight: int, prio: int) -> Node:
    if node is None:
        return (key, value, weight, weight, prio, None, None)
    here = node[0]
    if key == here:
        return _node(key, value, weight, node[4], node[5], node[6])
    if prio > node[4]:
        low, high = _split(node, key)
        return _node(key, value, weight, prio, low, high)
    if key < here:
        return _node(
            here, node[1], node[2], node[4], _put(node[5], key, value, weight, prio), node[6]
        )
    return _node(here, node[1], node[2], node[4], node[5], _put(node[6], key, value, weight, prio))


def drop(node: Tree, key: Any) -> Tree:
    """``node`` without ``key`` (which it holds)."""
    assert node is not None, key
    here = node[0]
    if key == here:
        return _merge(node[5], node[6])
    if key < here:
        return _node(here, node[1], node[2], node[4], drop(node[5], key), node[6])
    return _node(here, node[1], node[2], node[4], node[5], drop(node[6], key))


def get(node: Tree, key: Any) -> Any:
    """The value of ``key``, or ``None``."""
    while node is not None:
        here = node[0]
        if key == here:
            return node[1]
        node = node[5] if key < here else node[6]
    return None


def first(node: Tree) -> Node | None:
    """The node of the lowest key."""
    if node is None:
        return None
    while node[5] is not None:
        node = node[5]
    return node


def after(node: Tree, t: Any) -> Iterator[Node]:
    """In key order, the nodes whose key starts after ``t`` (``key[0] > t``)."""
    stack: list[Node] = []
    while node is not None:
        if node[0][0] > t:
            stack.append(node)
            node = node[5]
        else:
            node = node[6]
    while stack:
        top = stack.pop()
        yield top
        node = top[6]
        while node is not None:
            stack.append(node)
            node = node[5]


def weight_after(node: Tree, t: Any) -> int:
    """The total weight of the keys starting after ``t``."""
    total = 0
    while node is not None:
        if node[0][0] > t:
            total += node[2] + _total(node[6])
            node = node[5]
        else:
            node = node[6]
    return total


def values(node: Tree) -> Iterator[Any]:
    """Every value, in key order."""
    for each in after(node, _BOTTOM):
        yield each[1]


class _Bottom:
    """Below everything: ``after(node, _BOTTOM)`` walks the whole tree."""

    # ``key > _BOTTOM`` is answered here, reflected, for keys of any type.
    def __lt__(self, other: object) -> bool:
        return True


_BOTTOM: Any = _Bottom()


def _order(lot: Lot) -> tuple[pendulum.DateTime, pendulum.DateTime, str]:
    """credits.consume-order: soonest expiry, then earlier purchase, then purchase ID."""
    return (lot.expires_at, lot.purchased_at, lot.id)


Timers: TypeAlias = tuple[Policy, Tree]


def _notices(policy: Policy, lot: Lot) -> Iterator[tuple[Any, tuple[ExpiryNotice, str]]]:
    """The timer keys (firing order) of ``lot``'s pending notices, with their values."""
    for at, kind in lot.pending(policy):
        yield (at, EXPIRY_NOTICES.index(kind), *_order(lot)), (kind, lot.id)


class Book:
    """The lots of one account (see the module notes); a value: equal when the lots
    are, in purchase order.

    A book of at most ``SMALL`` lots, as most customers hold, is a plain tuple
    answered by scans, which beat the trees at that size; the lot beyond it builds the
    trees, which the book keeps from then on. Both answer alike.
    """

    __slots__ = ("_count", "_future", "_ids", "_scan", "_timers", "_tuple", "_usable")

    SMALL: ClassVar[int] = 32  # the most lots scanned rather than indexed

    def __init__(
        self,
        ids: Tree = None,
        usable: Tree = None,
        future: Tree = None,
        count: int = 0,
        timers: Timers | None = None,
        *,
        scan: tuple[Lot, ...] | None = (),
    ) -> None:
        self._scan = scan  # the lots in purchase order, when scanned (no trees)
        self._ids = ids  # lot ID -> (purchase number, lot)
        self._usable = usable  # consume order -> lot, weighted by its credits left
        self._future = future  # (purchased_at, ID) -> None, weighted likewise
        self._count = count
        self._timers = timers  # the policy and its notice timers, when known
        self._tuple: tuple[Lot, ...] | None = scan

    @classmethod
    def of(cls, lots: tuple[Lot, ...]) -> Book:
        """A book of ``lots`` (distinct IDs), in that purchase order."""
        if len(lots) <= cls.SMALL:
            return cls(scan=lots)
        return cls._indexed(lots)

    @classmethod
    def _indexed(cls, lots: tuple[Lot, ...]) -> Book:
        """A book of ``lots`` in trees, however few."""
        book = cls(scan=None)
        for lot in lots:
            book = book._put(lot, None)
        book._tuple = lots
        return book

    @property
    def lots(self) -> tuple[Lot, ...]:
        """The lots in purchase order."""
        if self._tuple is None:
            self._tuple = tuple(lot for _, lot in sorted(values(self._ids)))
        return self._tuple

    def __reduce__(self) -> tuple[Any, ...]:
        return (Book.of, (self.lots,))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Book):
            return NotImplemented
        return self is other or self.lots == other.lots

    def __hash__(self) -> int:
        return hash(self.lots)

    def get(self, lot_id: str) -> Lot | None:
        """The lot of purchase ``lot_id``, or ``None``."""
        scan = self._scan
        if scan is not None:
            for lot in scan:
                if lot.id == lot_id:
                    return lot
            return None
        found = get(self._ids, lot_id)
        return None if found is None else found[1]

    def put(self, new: Lot, policy: Policy | None) -> Book:
        """This book with ``new`` in place of the lot of its ID, or added last. The
        timers are kept up to date when they are those of ``policy``."""
        scan = self._scan
        if scan is None:
            return self._put(new, policy)
        lot_id = new.id
        for i, lot in enumerate(scan):
            if lot.id == lot_id:
                return self.__class__(scan=(*scan[:i], new, *scan[i + 1 :]))
        if len(scan) < self.SMALL:
            return self.__class__(scan=(*scan, new))
        return self._indexed((*scan, new))

    def _put(self, new: Lot, policy: Policy | None) -> Book:
        held = get(self._ids, new.id)
        old: Lot | None = None if held is None else held[1]
        number = self._count if held is None else held[0]
        usable, future = self._usable, self._future
        if old is not None and old.remaining:
            usable = drop(usable, _order(old))
            future = drop(future, (old.purchased_at, old.id))
        if new.remaining:
            usable = put(usable, _order(new), new, new.remaining)
            future = put(future, (new.purchased_at, new.id), None, new.remaining)
        timers = self._timers
        if timers is not None and (policy is None or timers[0] is not policy):
            timers = None
        elif timers is not None and policy is not None:
            tree = timers[1]
            if old is not None and old.remaining:
                for key, _ in _notices(policy, old):
                    tree = drop(tree, key)
            if new.remaining:
                for key, value in _notices(policy, new):
                    tree = put(tree, key, value)
            timers = (policy, tree)
        ids = put(self._ids, new.id, (number, new))
        count = self._count + (held is None)
        return self.__class__(ids, usable, future, count, timers, scan=None)

    def first_usable(self, t: pendulum.DateTime) -> Lot | None:
        """The lot a credit is taken from at ``t`` (``credits.consume-order``): the
        first holding credits, valid then, in consume order."""
        scan = self._scan
        if scan is not None:
            chosen: Lot | None = None
            for each in scan:
                if (
                    each.remaining
                    and each.purchased_at <= t < each.expires_at
                    and (chosen is None or _order(each) < _order(chosen))
                ):
                    chosen = each
            return chosen
        for node in after(self._usable, t):
            lot: Lot = node[1]
            if lot.purchased_at <= t:
                return lot
        return None

    def balance(self, t: pendulum.DateTime) -> int:
        """The credits left in the lots valid at ``t``: those expiring after it, less
        those bought after it (which expire later still)."""
        scan = self._scan
        if scan is not None:
            total = 0
            for lot in scan:
                if lot.purchased_at <= t < lot.expires_at:
                    total += lot.remaining
            return total
        return weight_after(self._usable, t) - weight_after(self._future, t)

    def _timer_tree(self, policy: Policy) -> Tree:
        timers = self._timers
        if timers is None or timers[0] is not policy:
            tree: Tree = None
            for held in values(self._usable):
                for key, value in _notices(policy, held):
                    tree = put(tree, key, value)
            timers = self._timers = (policy, tree)
        return timers[1]

    def next_timer(self, policy: Policy) -> pendulum.DateTime | None:
        """The instant of the first pending notice of a lot holding credits."""
        scan = self._scan
        if scan is not None:
            earliest: pendulum.DateTime | None = None
            for lot in scan:
                if lot.remaining:
                    # A lot's pending notices come in firing order: its first is its earliest.
                    for at, _ in lot.pending(policy):
                        if earliest is None or at < earliest:
                            earliest = at
                        break
            return earliest
        node = first(self._timer_tree(policy))
        return None if node is None else node[0][0]

    def due(
        self, policy: Policy, end: pendulum.DateTime, *, inclusive: bool
    ) -> list[tuple[pendulum.DateTime, ExpiryNotice, Lot]]:
        """The pending notices of lots holding credits due before ``end`` (at or
        before, if ``inclusive``), in firing order, with their lots."""
        scan = self._scan
        if scan is not None:
            due = sorted(
                (at, EXPIRY_NOTICES.index(kind), _order(lot), kind, lot)
                for lot in scan
                if lot.remaining
                for at, kind in lot.pending(policy)
                if at < end or (inclusive and at == end)
            )
            return [(at, kind, lot) for at, _, _, kind, lot in due]
        found: list[tuple[pendulum.DateTime, ExpiryNotice, Lot]] = []
        for node in after(self._timer_tree(policy), _BOTTOM):
            at = node[0][0]
            if at > end or (at == end and not inclusive):
                break
            kind, lot_id = node[1]
            found.append((at, kind, self.get(lot_id)))  # type: ignore[arg-type]
        return found
