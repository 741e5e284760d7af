"""Maps whose entries each carry the instant of their next timer, and find the earliest.

The world keeps every account and every incident in one of these. Setting an entry
returns a new agenda sharing all but one root-to-leaf path with the old one (a hash
trie of 32-way nodes, depth about log32 n), and every node remembers the earliest
timer beneath it, so the world's next timer is read at the root. A change costs
O(log n), nothing is copied wholesale, and an old agenda stays valid and unchanged:
the world can be a value without paying for it on every event.

Timers at the same instant fire in the order their entries were first set
(``order``), so the firing order never depends on hashes.

:class:`DraftAgenda` has the same interface but changes in place: a dict and a heap of
timers with lazy invalidation (a heap entry is live while it matches its key's current
timer). It is the replay engine's private working copy, where no one else can see a
change, and costs a dict write and a heap push per change.
"""

from __future__ import annotations

import heapq
from abc import abstractmethod
from collections.abc import Hashable, Iterable, Iterator, Mapping
from datetime import datetime
from operator import itemgetter
from typing import Any, Generic, NoReturn, Self, TypeAlias, TypeVar

import pendulum

__all__ = ["Agenda", "DraftAgenda", "Due", "Entries"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_BITS = 5
_WIDTH = 1 << _BITS
_MASK = _WIDTH - 1
# Past this shift every bit of a 64-bit hash has been used: equal hashes share a bucket.
_LAST_SHIFT = 64
# Entries without a timer sort after every real instant. A plain datetime, not pendulum's
# (which has a __dict__): the garbage collector does not trace it, nor the tuples holding
# only it and plain values (the leaves of timerless entries, the trie's empty slots).
# pendulum's UTC as its zone keeps comparisons with the stored instants on the fast path.
_NEVER = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=pendulum.UTC)

#: An entry: (instant, order, key, value). A plain tuple rather than an object holding
#: its due, one long-lived object per entry instead of two: it sorts by instant, then by
#: the order its key was first set, then by key, so the leaves of two keys never reach
#: their values (one key's old and new leaves are never compared: see _replace).
_Leaf: TypeAlias = tuple[datetime, int, Any, Any]
#: What a node keeps of each slot: the earliest leaf beneath it, or _VACANT for none.
Due: TypeAlias = "_Leaf | tuple[datetime, int, None]"
_VACANT: Due = (_NEVER, -1, None)
#: A leaf's first-set order, what iteration sorts by.
_ORDER = itemgetter(1)
#: A key the dues have never held (None is a due: no timer).
_UNSET: Any = object()
_set_item = dict.__setitem__  # the agenda's own __setitem__ refuses: set() keeps the timers
_push = heapq.heappush


class _Bucket:
    """Leaves whose keys have equal hashes (beyond the trie's reach)."""

    __slots__ = ("due", "leaves")

    def __init__(self, leaves: tuple[_Leaf, ...]) -> None:
        self.leaves = leaves
        self.due = min(leaves)


class _Node:
    __slots__ = ("due", "dues", "kids")

    def __init__(self, kids: tuple[_Kid, ...], dues: tuple[Due, ...], due: Due) -> None:
        self.kids = kids
        self.dues = dues
        self.due = due


_Kid: TypeAlias = "_Leaf | _Bucket | _Node | None"
_EMPTY = _Node((None,) * _WIDTH, (_VACANT,) * _WIDTH, _VACANT)


def _due(kid: _Leaf | _Bucket | _Node) -> Due:
    return kid if type(kid) is tuple else kid.due  # type: ignore[union-attr]


def _replace(node: _Node, i: int, kid: _Leaf | _Bucket | _Node) -> _Node:
    """``node`` with its ``i``-th kid replaced; the earliest due rescanned only when the
    replaced kid held it."""
    dues = node.dues
    new, least = _due(kid), node.due
    # Only dues of different keys are compared: the new leaf of a key and its old one
    # can tie up to their values, which need not be comparable.
    if dues[i] is not least:
        due = new if new < least else least
    else:
        due = min(new, *dues[:i], *dues[i + 1 :])
    # list-assign-tuple is the fastest way to copy a tuple with one slot changed.
    kids = list(node.kids)
    kids[i] = kid
    new_dues = list(dues)
    new_dues[i] = new
    return _Node(tuple(kids), tuple(new_dues), due)


def _split(one: _Leaf, other: _Leaf, h: int, shift: int) -> _Node | _Bucket:
    """A subtree holding two leaves with different keys that share a path so far."""
    if shift >= _LAST_SHIFT:
        return _Bucket((one, other))
    i, j = (hash(one[2]) >> shift) & _MASK, (h >> shift) & _MASK
    if i == j:
        return _replace(_EMPTY, i, _split(one, other, h, shift + _BITS))
    return _replace(_replace(_EMPTY, i, one), j, other)


def _built(leaves: list[_Leaf], hashes: list[int], shift: int) -> _Node:
    """The node holding ``leaves`` (distinct keys) at depth ``shift``, as setting them one
    by one would have made it, in one pass."""
    slots: list[list[int]] = [[] for _ in range(_WIDTH)]
    for n, h in enumerate(hashes):
        slots[(h >> shift) & _MASK].append(n)
    kids: list[_Kid] = []
    for slot in slots:
        if not slot:
            kids.append(None)
        elif len(slot) == 1:
            kids.append(leaves[slot[0]])
        elif shift + _BITS >= _LAST_SHIFT:
            kids.append(_Bucket(tuple(leaves[n] for n in slot)))
        else:
            kids.append(_built([leaves[n] for n in slot], [hashes[n] for n in slot], shift + _BITS))
    dues = tuple(_VACANT if kid is None else _due(kid) for kid in kids)
    return _Node(tuple(kids), dues, min(dues))


def _leaves(kid: _Kid) -> Iterator[_Leaf]:
    if type(kid) is tuple:
        yield kid
    elif type(kid) is _Bucket:
        yield from kid.leaves
    elif type(kid) is _Node:
        for each in kid.kids:
            yield from _leaves(each)


class Entries(Mapping[K, V], Generic[K, V]):
    """What the world needs of a map of entities: read, set (with the entity's next
    timer), and the earliest timer of all."""

    __slots__ = ()

    @abstractmethod
    def set(self, key: K, value: V, *, due: datetime | None, order: int) -> Self:
        """Set ``key`` to ``value`` with its next timer ``due`` (UTC, or None for none).
        ``order`` breaks ties between equal instants; a key keeps the order it was first
        set with. Returns the map that holds the change."""

    @property
    @abstractmethod
    def first(self) -> tuple[datetime, int, K] | None:
        """The earliest timer: ``(instant, order, key)``, or None when no entry has one."""

    @abstractmethod
    def ordered(self) -> list[tuple[K, V, int]]:
        """Every ``(key, value, order)``, in first-set order (what a snapshot keeps)."""


class DraftAgenda(dict[K, V], Entries[K, V]):
    """A mutable :class:`Entries`: :meth:`set` changes it in place and returns it.

    >>> t = pendulum.datetime(2027, 1, 5, 9)
    >>> d = DraftAgenda().set("i1", "open", due=t.add(hours=2), order=0)
    >>> d.set("i2", "open", due=t.add(hours=1), order=1) is d
    True
    >>> d.first[2], d.set("i2", "closed", due=None, order=1).first[2], list(d)
    ('i2', 'i1', ['i1', 'i2'])
    """

    # A dict itself: reading it (get, [], in, len) is the dict's own C code, and the
    # engine reads its maps several times an event.
    __slots__ = ("_dues", "_heap", "_live", "_orders")

    def __init__(self) -> None:
        super().__init__()
        # Two flat maps rather than one of (due, order) pairs: a pair per entry would be
        # one more long-lived object per entity for the garbage collector to trace.
        self._dues: dict[K, datetime | None] = {}
        self._orders: dict[K, int] = {}
        self._heap: list[tuple[datetime, int, K]] = []
        self._live = 0  # entries with a timer: the heap's live entries, at most

    def set(self, key: K, value: V, *, due: datetime | None, order: int) -> Self:
        order = self._orders.setdefault(key, order)
        _set_item(self, key, value)
        dues = self._dues
        before = dues.get(key, _UNSET)
        if before is _UNSET or before != due:
            dues[key] = due
            self._live += (due is not None) - (before is not None and before is not _UNSET)
            if due is not None:
                heap = self._heap
                _push(heap, (due, order, key))
                if len(heap) > 2 * self._live + 64:
                    self._compact()
        return self

    def due_before(self, t: datetime) -> bool:
        """Whether a timer may be due before ``t``: False only when none is; True may
        come of a timer that has moved since (:attr:`first` says which is due)."""
        # The heap's top is at or before every live timer: no validation needed to say no.
        heap = self._heap
        return bool(heap) and heap[0][0] < t

    def _compact(self) -> None:
        # Stale entries leave the heap only when they reach its top: without this, it
        # would keep one (instant, order, key) per change ever made, long-lived objects
        # the garbage collector traces on every full pass. Rebuilt from the live timers
        # when most of it is stale, so the cost is O(1) per change, amortised.
        orders = self._orders
        heap = [(due, orders[key], key) for key, due in self._dues.items() if due is not None]
        heapq.heapify(heap)
        self._heap = heap

    @property
    def first(self) -> tuple[datetime, int, K] | None:
        heap, dues = self._heap, self._dues
        while heap:
            entry = heap[0]
            if dues[entry[2]] == entry[0]:
                return entry
            heapq.heappop(heap)  # stale: the key's timer has moved since
        return None

    def ordered(self) -> list[tuple[K, V, int]]:
        orders = self._orders
        return sorted(
            ((key, value, orders[key]) for key, value in self.items()),
            key=lambda each: each[2],
        )

    def _unchanged(self, *_: Any, **__: Any) -> NoReturn:
        # The dict's own changes would leave the timers and orders behind (a deleted key
        # still first due): only set() changes an agenda. A copy, or a pickle loaded,
        # rebuilds the dict through these, so it is refused rather than sharing timers.
        raise TypeError("a DraftAgenda changes only through set(), which keeps its timers")

    __setitem__ = __delitem__ = __ior__ = _unchanged
    pop = popitem = setdefault = update = clear = _unchanged


class Agenda(Entries[K, V], Generic[K, V]):
    """An immutable mapping; :meth:`set` returns a new one. Iterates in first-set order.

    >>> t = pendulum.datetime(2027, 1, 5, 9)
    >>> a = Agenda().set("i1", "open", due=t.add(hours=2), order=0)
    >>> b = a.set("i2", "open", due=t.add(hours=1), order=1).set("i1", "resolved", due=None, order=2)
    >>> dict(a), dict(b)
    ({'i1': 'open'}, {'i1': 'resolved', 'i2': 'open'})
    >>> b.first[0].hour, b.first[2]
    (10, 'i2')
    >>> b.set("i2", "closed", due=None, order=3).first is None
    True
    """

    __slots__ = ("_len", "_root")

    def __init__(self) -> None:
        self._root = _EMPTY
        self._len = 0

    @classmethod
    def of(cls, entries: Iterable[tuple[K, V, pendulum.DateTime | None, int]]) -> Self:
        """The agenda of ``(key, value, due, order)`` entries with distinct keys, built in
        one pass (a world restored from a snapshot): as setting each in turn, faster.

        >>> t = pendulum.datetime(2027, 1, 5, 9)
        >>> a = Agenda.of([("i1", "open", t, 0), ("i2", "closed", None, 1)])
        >>> dict(a), a.first[2], a == Agenda().set("i1", "open", due=t, order=0).set(
        ...     "i2", "closed", due=None, order=1)
        ({'i1': 'open', 'i2': 'closed'}, 'i1', True)
        """
        leaves: list[_Leaf] = [
            (_NEVER if due is None else due, order, key, value)
            for key, value, due, order in entries
        ]
        agenda = object.__new__(cls)
        agenda._root = _built(leaves, [hash(leaf[2]) for leaf in leaves], 0)
        agenda._len = len(leaves)
        return agenda

    def set(self, key: K, value: V, *, due: datetime | None, order: int) -> Self:
        """A new agenda with the change; this one is unchanged."""
        h = hash(key)
        path: list[tuple[_Node, int]] = []
        node = self._root
        shift = 0
        while True:
            i = (h >> shift) & _MASK
            path.append((node, i))
            kid = node.kids[i]
            if type(kid) is not _Node:
                break
            node = kid
            shift += _BITS
        added = True
        at = _NEVER if due is None else due
        new: _Leaf | _Bucket | _Node
        if kid is None:
            new = (at, order, key, value)
        elif type(kid) is tuple and kid[2] == key:
            added = False
            new = (at, kid[1], key, value)
        elif type(kid) is tuple:
            new = _split(kid, (at, order, key, value), h, shift + _BITS)
        else:
            assert type(kid) is _Bucket
            old = next((each for each in kid.leaves if each[2] == key), None)
            added = old is None
            leaf = (at, order if old is None else old[1], key, value)
            new = _Bucket((*(each for each in kid.leaves if each is not old), leaf))
        for node, i in reversed(path):
            new = _replace(node, i, new)
        assert type(new) is _Node
        agenda = object.__new__(type(self))
        agenda._root = new
        agenda._len = self._len + added
        return agenda

    @property
    def first(self) -> tuple[pendulum.DateTime, int, K] | None:
        due = self._root.due
        return None if due[0] is _NEVER else due[:3]  # type: ignore[return-value]

    def _find(self, key: object, h: int) -> _Leaf | None:
        kid: _Kid = self._root
        shift = 0
        while type(kid) is _Node:
            kid = kid.kids[(h >> shift) & _MASK]
            shift += _BITS
        if type(kid) is tuple:
            return kid if kid[2] == key else None
        if type(kid) is _Bucket:
            return next((leaf for leaf in kid.leaves if leaf[2] == key), None)
        return None

    def __getitem__(self, key: K) -> V:
        leaf = self._find(key, hash(key))
        if leaf is None:
            raise KeyError(key)
        return leaf[3]  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        try:
            return self._find(key, hash(key)) is not None
        except TypeError:  # unhashable: certainly not a key
            return False

    def __len__(self) -> int:
        return self._len

    def __iter__(self) -> Iterator[K]:
        ordered = sorted(_leaves(self._root), key=_ORDER)
        return iter([leaf[2] for leaf in ordered])

    def ordered(self) -> list[tuple[K, V, int]]:
        leaves = sorted(_leaves(self._root), key=_ORDER)
        return [(leaf[2], leaf[3], leaf[1]) for leaf in leaves]

    def __repr__(self) -> str:
        return f"Agenda({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its entries and rebuilt: "no timer" is told by identity with
        # _NEVER, which a copy made by unpickling would not have.
        entries = [
            (key, value, None if at is _NEVER else at, order)
            for at, order, key, value in _leaves(self._root)
        ]
        return (type(self).of, (entries,))
