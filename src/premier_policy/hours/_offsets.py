"""A zone's UTC offsets around one year, and where a wall-clock time falls on the timeline.

Instants here are integers: microseconds since 1970-01-01 UTC ("UTC µs"). A wall-clock
reading is the same count on a naive clock ("local µs"). Integers are exact over the
whole range of ``datetime`` and make the business-hours tables (:mod:`._timetable`)
plain sums and bisections.

**Finding the transitions.** The zone only answers "what is the offset at this
instant?" (``tzinfo.fromutc``). :func:`offsets` samples that answer every two days
across the year (plus a margin of three days each side) and, wherever two samples
differ, bisects to the exact second of the change: about 190 probes and 20 more per
transition, instead of one or more per day. Two days is safe because no zone changes
its offset twice within four days (the closest pair in tzdata 2025 is Africa/Freetown,
1939: 3.99 days apart); the tests check the result against tzdata's own transition
lists for the zones with the most irregular histories.

**The edge rule** (decided for ``hours.schedule``): a wall-clock time maps to the
*first* instant at which the zone's clock reads that time or later. In a spring gap
that is the transition itself (02:30 on 2026-03-29 in Paris is 03:00+02:00); in an
autumn fold it is the first pass (02:30 on 2026-10-25 is 02:30+02:00).
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from attrs import field, frozen

from premier_policy.base._instants import zone

__all__ = [
    "DAY_US",
    "EPOCH_ORDINAL",
    "MINUTE_US",
    "SECOND_US",
    "Offsets",
    "local_micros",
    "offsets",
]

SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
DAY_US = 86_400 * SECOND_US
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

_DAY_S = 86_400
_STEP_S = 2 * _DAY_S
_MARGIN_S = 3 * _DAY_S
# Probes are clamped into the range where fromutc cannot overflow; no zone changes its
# offset within two days of year 1 or year 9999, so clamping changes no answer.
_FIRST_S = (date(1, 1, 3).toordinal() - EPOCH_ORDINAL) * _DAY_S
_LAST_S = (date(9999, 12, 29).toordinal() - EPOCH_ORDINAL) * _DAY_S
# The first piece starts before any instant we will ever ask about.
_BEFORE_ALL = -(1 << 62)
_ZERO = timedelta(0)


def local_micros(ordinal: int, minute: int) -> int:
    """Local µs of wall-clock ``minute`` (0 to 1440) on the date with this ordinal.

    >>> local_micros(date(1970, 1, 2).toordinal(), 90) == DAY_US + 90 * MINUTE_US
    True
    """
    return (ordinal - EPOCH_ORDINAL) * DAY_US + minute * MINUTE_US


@frozen
class Offsets:
    """A piecewise-constant offset: from UTC µs ``starts[k]`` on, it is ``values[k]`` µs.

    ``starts[0]`` lies before every instant, so every instant has a piece.
    """

    starts: tuple[int, ...]
    values: tuple[int, ...]
    #: Per piece, the instant until which its wall-clock times are a second pass (an
    #: offset decrease repeats them); its own start when nothing repeats.
    repeats_until: tuple[int, ...] = field(init=False, eq=False, repr=False)

    @repeats_until.default
    def _repeats_until(self) -> tuple[int, ...]:
        pieces = zip(self.starts[1:], self.values[:-1], self.values[1:], strict=True)
        return (
            self.starts[0],
            *(start + max(before - after, 0) for start, before, after in pieces),
        )

    def edges(self, wall: Iterable[int]) -> list[int]:
        """The first instant at which the clock reads each local µs of ``wall`` or later.

        ``wall`` must not decrease: one pass, and the answer cannot move backwards
        either, since the clock never reads a later time before an earlier one's first
        occurrence.
        """
        starts, values = self.starts, self.values
        last = len(values) - 1
        k = 0
        found = []
        for local in wall:
            # In piece k the clock reads local at local - values[k], if the piece lasts that long.
            while k < last and local - values[k] >= starts[k + 1]:
                k += 1
            found.append(max(starts[k], local - values[k]))
        return found

    def at(self, instant: int) -> tuple[int, int]:
        """The offset (µs) at UTC µs ``instant``, and its PEP 495 ``fold``.

        ``fold`` is 1 on the second pass through wall-clock times that an offset
        decrease repeats, 0 elsewhere.
        """
        k = bisect_right(self.starts, instant) - 1
        return self.values[k], int(instant < self.repeats_until[k])


@functools.lru_cache(maxsize=4096)
def offsets(timezone: str, year: int) -> Offsets:
    """The offsets of ``timezone`` from three days before local ``year`` to three days after.

    >>> from datetime import UTC
    >>> paris = offsets("Europe/Paris", 2026)
    >>> [datetime.fromtimestamp(s // SECOND_US, UTC).isoformat() for s in paris.starts[1:]]
    ['2026-03-29T01:00:00+00:00', '2026-10-25T01:00:00+00:00']
    >>> [v // (3600 * SECOND_US) for v in paris.values]
    [1, 2, 1]
    """
    tz = zone(timezone)
    base = datetime(1970, 1, 1, tzinfo=tz)

    def probe(second: int) -> int:
        clamped = min(max(second, _FIRST_S), _LAST_S)
        local = tz.fromutc(base + timedelta(seconds=clamped))
        return (local.utcoffset() or _ZERO) // timedelta(microseconds=1)

    first = (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * _DAY_S - _MARGIN_S
    last = first + (366 * _DAY_S) + 2 * _MARGIN_S
    starts, values = [_BEFORE_ALL], [probe(first)]
    previous = first
    for sample in range(first + _STEP_S, last + _STEP_S, _STEP_S):
        value = probe(sample)
        # Several changes may share one step (never a change and its undoing): find each.
        while value != values[-1]:
            left, right = previous, sample
            while right - left > 1:
                middle = (left + right) // 2
                if probe(middle) == values[-1]:
                    left = middle
                else:
                    right = middle
            starts.append(right * SECOND_US)
            values.append(probe(right))
            previous = right
        previous = sample
    return Offsets(tuple(starts), tuple(values))
