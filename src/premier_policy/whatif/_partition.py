"""A partition of a log, read and put in time order: what one worker replays.

The reference is one replay of the whole log stably sorted by instant (``at`` ties keep
line order). Sorting a partition's own lines by (instant, line number) gives exactly the
subsequence of that order which belongs to it. The instant is the one the library reads
(:func:`~premier_policy.event_from_dict`); a line it cannot read is refused whatever its
place, and changes nothing (the refusal law), so those lines go last, in line order.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter
from typing import NoReturn

from attrs import frozen

from premier_policy.base._errors import PolicyError
from premier_policy.wire._events import event_from_dict

__all__ = ["Partition", "Unreadable", "read_line"]


@frozen
class Unreadable:
    """A line of a log that is not one JSON document (nor UTF-8): ``detail`` says why."""

    detail: str


def _constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_constant)


def read_line(line: str | bytes) -> object:
    """One line of a JSON-lines log: the JSON value, or :class:`Unreadable`.

    >>> read_line(b'{"type": "staff_reply"}')
    {'type': 'staff_reply'}
    >>> read_line(b'{"type": ')
    Unreadable(detail='Expecting value: line 1 column 10 (char 9)')
    >>> read_line(b'[NaN]'), read_line(b'"caf\\xe9"').detail[:26]
    (Unreadable(detail='NaN is not JSON'), "'utf-8' codec can't decode")
    """
    try:
        if isinstance(line, str):
            return json.loads(line, parse_constant=_constant)
        # As json.loads reads bytes, with one decoder for all lines: the client reads
        # every line of a log through here, and json.loads builds a decoder per call.
        return _DECODER.decode(line.decode(json.detect_encoding(line), "surrogatepass"))
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError included
        return Unreadable(str(error))


def _by_instant(each: tuple[datetime, int, object]) -> tuple[datetime, int]:
    return each[0], each[1]


@frozen(kw_only=True)
class Partition:
    """Lines of a log in replay order: a chunk of a partition, or a whole group.

    ``timed`` holds the events the library can read as (instant in UTC, line number,
    event), sorted by instant then line; ``untimed`` the other JSON lines as (line,
    value), by line; ``unreadable`` the lines that are not JSON as (line, detail).
    :meth:`of` reads lines; :meth:`join` merges chunks read apart (on several workers,
    as they arrive) without sorting again.
    """

    timed: tuple[tuple[datetime, int, object], ...]
    untimed: tuple[tuple[int, object], ...]
    unreadable: tuple[tuple[int, str], ...]

    @property
    def numbers(self) -> tuple[int, ...]:
        """The line number of each event, in replay order (readable ones first)."""
        return tuple(n for _, n, _ in self.timed) + tuple(n for n, _ in self.untimed)

    @property
    def events(self) -> tuple[object, ...]:
        """The events, in replay order: the same order as :attr:`numbers`."""
        return tuple(raw for _, _, raw in self.timed) + tuple(raw for _, raw in self.untimed)

    @property
    def latest(self) -> tuple[datetime, int] | None:
        """The instant (UTC) of the latest readable event, with its line; or None."""
        return _by_instant(self.timed[-1]) if self.timed else None

    @classmethod
    def of(cls, entries: Iterable[tuple[int, object]]) -> Partition:
        """The partition of ``entries``, (line number, parsed line) pairs in any order.

        >>> part = Partition.of([
        ...     (1, {"at": "2026-11-30T10:00:00+01:00", "type": "resolve", "incident": "i1"}),
        ...     (2, {"type": "resolve"}),
        ...     (3, {"at": "2026-11-30T09:00:00+01:00", "type": "resolve", "incident": "i1"}),
        ...     (4, Unreadable("Expecting value"))])
        >>> part.numbers, part.unreadable
        ((3, 1, 2), ((4, 'Expecting value'),))
        >>> part.latest
        (DateTime(2026, 11, 30, 9, 0, 0, tzinfo=Timezone('UTC')), 1)
        """
        timed: list[tuple[datetime, int, object]] = []
        untimed: list[tuple[int, object]] = []
        unreadable: list[tuple[int, str]] = []
        for number, raw in entries:
            if isinstance(raw, Unreadable):
                unreadable.append((number, raw.detail))
                continue
            try:
                at = event_from_dict(raw).at
            except PolicyError:
                untimed.append((number, raw))
                continue
            timed.append((at, number, raw))
        # Numbers are unique, so the sorts never compare two events.
        timed.sort(key=_by_instant)
        untimed.sort(key=itemgetter(0))
        unreadable.sort()
        return cls(timed=tuple(timed), untimed=tuple(untimed), unreadable=tuple(unreadable))

    @classmethod
    def join(cls, parts: Iterable[Partition]) -> Partition:
        """One partition of the lines of ``parts`` (no line in two of them), in order.

        >>> one = Partition.of([(1, {"at": "2026-11-30T10:00:00Z", "type": "close", "incident": "i"})])
        >>> two = Partition.of([(2, {"at": "2026-11-30T09:00:00Z", "type": "close", "incident": "i"}),
        ...                     (3, "x")])
        >>> Partition.join([one, two]).numbers
        (2, 1, 3)
        """
        chosen = list(parts)
        # Entries compare as tuples: a line number is never in two parts, so the
        # comparison never reaches an event (a dict, which has no order).
        return cls(
            timed=tuple(heapq.merge(*(p.timed for p in chosen))),
            untimed=tuple(heapq.merge(*(p.untimed for p in chosen))),
            unreadable=tuple(heapq.merge(*(p.unreadable for p in chosen))),
        )
