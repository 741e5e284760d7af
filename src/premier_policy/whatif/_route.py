"""Routing: which partition each line of a log belongs to, so that partitions replay alone.

Customers share nothing but the clock and the ID namespaces (the partition law of
``tests/test_replay_laws.py``): sorted by instant, a customer's events give the same
results whether the other customers' events are there or not, as long as no ID is
claimed by two customers. So a line goes to the partition of its customer, by a stable
hash (:func:`partition_of`); a line that names only an incident goes to the partition of
the customer who opened it, found in an index built from the ``open`` lines.

Two customers who claim the same purchase or incident ID interact (the second claim is
refused as ``input.duplicate-id`` in one replay of the whole log), so their partitions
are *linked*: :meth:`Router.groups` says which partitions must replay together. Linking
more than needed is always safe, so any line that looks like a claim counts, malformed or
not. Nothing here judges an event: the library does, on the workers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, MutableMapping

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError

__all__ = ["Router", "partition_of"]

#: The ID namespaces of the index, one letter each: incidents, purchases.
_INCIDENT, _PURCHASE = "i", "p"


def partition_of(key: str, partitions: int) -> int:
    """The partition of ``key`` among ``partitions``: the same on every machine and run.

    Python's ``hash`` of a string changes from one process to the next; this is a
    BLAKE2b digest of the key's UTF-8 bytes (lone surrogates included, as JSON allows).

    >>> partition_of("acme", 64), partition_of("acme", 64) == partition_of("acme", 64)
    (1, True)
    >>> partition_of("\\ud800", 1)
    0
    """
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % partitions


def _text(raw: Mapping[str, object], name: str) -> str | None:
    value = raw.get(name)
    return value if isinstance(value, str) else None


def _claim(raw: Mapping[str, object]) -> str | None:
    """The index key of the ID this line claims for its customer, if it claims one: a
    purchase's ``id``, the ``purchase`` a refund names, an opening's ``id``."""
    kind = raw.get("type")
    if kind == "purchase" or kind == "open":
        name = _text(raw, "id")
        prefix = _PURCHASE if kind == "purchase" else _INCIDENT
    elif kind == "refund_request":
        name, prefix = _text(raw, "purchase"), _PURCHASE
    else:
        return None
    return None if name is None else prefix + name


class Router:
    """Routes the lines of one log to ``partitions`` partitions, as they come.

    :meth:`route` each parsed line in log order; it gives the partition, or None for a
    line naming an incident no line has opened yet, which the caller keeps aside and
    gives to :meth:`settle` once every line has been routed. ``index`` maps claimed IDs
    to the customer who claimed them first; it grows with incidents and purchases, not
    with events, and may be any mutable mapping (one that spills to disk, say).

    >>> router = Router(partitions=8)
    >>> open_ = {"type": "open", "customer": "acme", "id": "i1"}
    >>> router.route(open_) == partition_of("acme", 8)
    True
    >>> router.route({"type": "staff_reply", "incident": "i1"}) == partition_of("acme", 8)
    True
    >>> router.route({"type": "staff_reply", "incident": "i2"}) is None
    True
    >>> len(router.groups())
    8
    """

    __slots__ = ("_index", "_parent", "partitions")

    def __init__(self, *, partitions: int, index: MutableMapping[str, str] | None = None) -> None:
        if isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
            raise PolicyError(
                f"expected a whole number of at least 1, got {shown(partitions)}",
                field="partitions",
            )
        self.partitions = partitions
        self._index: MutableMapping[str, str] = {} if index is None else index
        # Union-find over partitions: linked ones replay together.
        self._parent = list(range(partitions))

    def _root(self, p: int) -> int:
        parent = self._parent
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    def _link(self, a: str, b: str) -> None:
        ra = self._root(partition_of(a, self.partitions))
        rb = self._root(partition_of(b, self.partitions))
        self._parent[max(ra, rb)] = min(ra, rb)

    def route(self, raw: object) -> int | None:
        """The partition of one line (a parsed JSON value), or None to :meth:`settle` it
        later. A line that is not an event object, or names neither a customer nor an
        incident, is malformed whatever the partition: it goes to that of ``""``."""
        if not isinstance(raw, Mapping):
            return partition_of("", self.partitions)
        customer = _text(raw, "customer")
        claim = _claim(raw)
        if claim is not None and customer is not None:
            first = self._index.get(claim)
            if first is None:
                self._index[claim] = customer
            elif first != customer:
                self._link(first, customer)
        incident = _text(raw, "incident")
        if incident is not None:
            owner = self._index.get(_INCIDENT + incident)
            return None if owner is None else partition_of(owner, self.partitions)
        return partition_of("" if customer is None else customer, self.partitions)

    def settle(self, raw: Mapping[str, object]) -> int:
        """The partition of a line :meth:`route` put off, once every line is routed: its
        incident's opener's, or, for an incident nobody opens (refused alike in every
        partition), the incident ID's own."""
        incident = _text(raw, "incident") or ""
        owner = self._index.get(_INCIDENT + incident)
        return partition_of(incident if owner is None else owner, self.partitions)

    def groups(self) -> tuple[tuple[int, ...], ...]:
        """The partitions that replay together, each group in increasing order and the
        groups by their first partition: one group per partition unless IDs were shared.

        >>> router = Router(partitions=64)
        >>> for who in ("acme", "globex"):
        ...     _ = router.route({"type": "purchase", "customer": who, "id": "p1"})
        >>> [group for group in router.groups() if len(group) > 1]
        [(1, 26)]
        """
        found: dict[int, list[int]] = {}
        for p in range(self.partitions):
            found.setdefault(self._root(p), []).append(p)
        return tuple(tuple(group) for group in found.values())
