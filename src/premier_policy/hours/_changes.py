"""Hours that change at dated instants (``policy.changes``): business-time arithmetic
over a sequence of calendars, each in force from its instant to the next one's.

Each calendar keeps its own cached :class:`~premier_policy.hours._timetable.Timetable`;
an operation runs on the segment it starts in and crosses into the next only when the
answer lies beyond the change, so counting across a change uses each side's hours.
All instants are UTC µs, as in the timetables; the zone never changes, so any segment's
table turns a result into a ``DateTime``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import pendulum

from premier_policy.hours._timetable import Timetable, YearTable

__all__ = ["Changing"]


class Changing:
    """The timetables of ``segments[k]``, in force on ``[starts[k - 1], starts[k])``
    (the first from the beginning of time, the last to its end)."""

    __slots__ = ("segments", "starts")

    def __init__(self, starts: Sequence[int], segments: Sequence[Timetable]) -> None:
        assert len(segments) == len(starts) + 1
        self.starts = tuple(starts)
        self.segments = tuple(segments)

    def _index(self, u: int) -> int:
        return bisect_right(self.starts, u)

    def local(self, table: YearTable, u: int) -> pendulum.DateTime:
        """As :meth:`Timetable.local` (one zone for every segment)."""
        return self.segments[0].local(table, u)

    def is_open(self, u: int) -> bool:
        """Whether ``u`` is open under the hours in force at ``u``."""
        return self.segments[self._index(u)].is_open(u)

    def next_open(self, u: int) -> tuple[YearTable, int]:
        """The first instant at or after ``u`` open under the hours in force then."""
        k = self._index(u)
        while True:
            table, found = self.segments[k].next_open(u)
            if k == len(self.starts) or found < self.starts[k]:
                return table, found
            u, k = self.starts[k], k + 1

    def add(self, u: int, d: int) -> tuple[YearTable, int]:
        """As :meth:`Timetable.add`, each stretch of time counted under its own hours."""
        k = self._index(u)
        if d >= 0:
            while k < len(self.starts):
                left = self.segments[k].between(u, self.starts[k])
                if left >= d:
                    break
                d -= left
                u, k = self.starts[k], k + 1
        else:
            while k > 0:
                left = self.segments[k].between(self.starts[k - 1], u)
                if left >= -d:
                    break
                d += left
                u, k = self.starts[k - 1], k - 1
        return self.segments[k].add(u, d)

    def between(self, a: int, b: int) -> int:
        """Business time in ``[a, b)``, each stretch under its own hours; negative when
        ``b < a``."""
        if b < a:
            return -self.between(b, a)
        k, total = self._index(a), 0
        while k < len(self.starts) and self.starts[k] < b:
            total += self.segments[k].between(a, self.starts[k])
            a, k = self.starts[k], k + 1
        return total + self.segments[k].between(a, b)
