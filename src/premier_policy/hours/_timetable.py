"""Business-hours arithmetic on integers: one precomputed table per calendar and year.

**Design.** For each (calendar, local year) :func:`build` makes, once, the year's open
intervals as UTC microseconds, flattened and merged, with the prefix sums of business
time (``cum``). The week, the closed dates, the public holidays, the extra openings and the zone's clock
changes are all folded in at build time, by the edge rule of :mod:`._offsets` (whose
transitions are found by bisection, not by probing each day). Every operation is then
a bisection in one or two tables plus integer arithmetic: ``between`` is a difference
of two prefix sums plus the cached totals of the whole years in between, ``add``
subtracts whole-year totals and bisects ``cum`` for the rest, ``next_open`` bisects the
starts. No call walks days; a span of ten years costs ten cached additions more than a
span of one hour.

Why tables per year rather than the week's cumulative minutes with corrections: a year
table answers every question with the same two bisections whatever the zone, its DST
rules, the closures or the openings, so there is one code path to test rather than a
week-jumping fast path plus corrections for transitions, closures and openings. A
table takes about half a millisecond to build and a few kilobytes to keep.

**Caches.** :func:`timetable` (a ``functools`` cache keyed on the frozen, hashable
calendar, so equal calendars share one) returns the calendar's :class:`Timetable`,
which keeps its year tables (the most recent :data:`TABLES_KEPT`) and year totals
(all). A calendar fetches its timetable once, when it is built, so a call hashes
nothing and looks years up in plain dicts: that keeps an ``add`` to about 2 µs.

Only the boundary touches ``datetime``: :func:`micros` turns an aware datetime into UTC
µs (exactly: a float timestamp would lose microseconds), :meth:`Timetable.local` turns UTC
µs into a pendulum ``DateTime`` in the calendar zone by wall-clock arithmetic from a
cached midnight in that zone (not the slow ``pendulum.instance`` or ``in_tz`` by name).
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Protocol

import pendulum
from attrs import frozen

from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import MICROSECOND, UTC_EPOCH, duration, instant
from premier_policy.base._rules import RuleId
from premier_policy.hours._holidays import PublicHolidays
from premier_policy.hours._offsets import (
    DAY_US,
    EPOCH_ORDINAL,
    MINUTE_US,
    SECOND_US,
    Offsets,
    offsets,
)
from premier_policy.hours._openings import Opening
from premier_policy.hours._weekly import WeeklySchedule


class Hours(Protocol):
    """What a timetable reads of a calendar. A protocol, not ``Calendar`` itself, so
    that this module sits below the calendar that fetches its timetable."""

    @property
    def timezone(self) -> str: ...
    @property
    def tz(self) -> pendulum.Timezone: ...
    @property
    def week(self) -> WeeklySchedule: ...
    @property
    def closures(self) -> frozenset[date]: ...
    @property
    def openings(self) -> tuple[Opening, ...]: ...
    @property
    def holidays(self) -> PublicHolidays | None: ...


__all__ = [
    "TABLES_KEPT",
    "Timetable",
    "YearTable",
    "build",
    "duration_micros",
    "micros",
    "timetable",
]

FIRST_YEAR, LAST_YEAR = 1, 9999
#: Year tables kept per calendar (the most recently built ones).
TABLES_KEPT = 64

_MAX_ORDINAL = date.max.toordinal()
_MEAN_YEAR_US = 31_556_952 * SECOND_US
# Business time never exceeds elapsed time, so a duration longer than the whole
# datetime range cannot be reached; refusing it early saves building 8,000 tables.
_SPAN_US = (_MAX_ORDINAL + 2) * DAY_US
# The C implementations, bypassing pendulum's slower (and, for negative durations,
# differently signed) Python overrides.
_difference = datetime.__sub__
_plus = datetime.__add__
_replace = datetime.replace
_in_micros = timedelta.__floordiv__


@frozen
class YearTable:
    """A calendar's open intervals in one local year, as UTC µs.

    ``[lo, hi)`` is the year itself: from the first instant of its 1 January (edge rule)
    to the first instant of the next. ``starts[i], ends[i]`` are the open intervals,
    sorted, non-empty and not touching (touching ones are merged); ``cum[i]`` is the
    business time before ``starts[i]``, so ``cum[-1]`` is the year's total.
    """

    year: int
    lo: int
    hi: int
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    cum: tuple[int, ...]
    offsets: Offsets
    #: Business time in the whole year, µs (``cum[-1]``, kept at hand).
    total: int

    def position(self, u: int) -> int:
        """Business time from the start of the year to ``u`` (an instant of the year)."""
        i = bisect_right(self.starts, u) - 1
        if i < 0:
            return 0
        return self.cum[i] + min(u, self.ends[i]) - self.starts[i]

    def opens(self, u: int) -> bool:
        """Whether ``u`` (an instant of the year) lies in an open interval."""
        i = bisect_right(self.starts, u) - 1
        return i >= 0 and u < self.ends[i]


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of minute spans, sorted, touching ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _out_of_range(year: int) -> PolicyError:
    return PolicyError(
        f"business time is counted from year {FIRST_YEAR} to {LAST_YEAR}; "
        f"this would need year {year}",
        rule=RuleId.HOURS_ARITHMETIC,
    )


def build(calendar: Hours, year: int) -> YearTable:
    """The table of ``calendar`` for local ``year`` (1 to 9999), built from scratch."""
    first, after = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1
    closed = {day.toordinal() for day in calendar.closures if day.year == year}
    if calendar.holidays is not None:  # computed once per year, like the table itself
        closed.update(day.toordinal() for day in calendar.holidays.on(year))
    extra: dict[int, list[tuple[int, int]]] = {}
    for opening in calendar.openings:
        if opening.on.year == year:
            extra.setdefault(opening.on.toordinal(), []).append(
                (opening.span.start, opening.span.end)
            )
    week = [[(span.start, span.end) for span in day] for day in calendar.week.days]

    # Local µs of every edge in order: the year's start, each span's start and end, the
    # next year's start. Local time never runs backwards within this list, so one pass
    # of the edge rule maps them all.
    wall = [(first - EPOCH_ORDINAL) * DAY_US]
    for ordinal in range(first, after):
        # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is date.weekday().
        spans = [] if ordinal in closed else week[(ordinal - 1) % 7]
        if ordinal in extra:
            spans = _merge([*spans, *extra[ordinal]])
        midnight = (ordinal - EPOCH_ORDINAL) * DAY_US
        for start, end in spans:
            wall += (midnight + start * MINUTE_US, midnight + end * MINUTE_US)
    wall.append((after - EPOCH_ORDINAL) * DAY_US)
    zone_offsets = offsets(calendar.timezone, year)
    edges = zone_offsets.edges(wall)

    starts: list[int] = []
    ends: list[int] = []
    for i in range(1, len(edges) - 1, 2):
        start, end = edges[i], edges[i + 1]
        if start == end:  # the whole span fell into a clock change's gap
            continue
        if ends and ends[-1] == start:
            ends[-1] = end
        else:
            starts.append(start)
            ends.append(end)
    cum = [0]
    for start, end in zip(starts, ends, strict=True):
        cum.append(cum[-1] + end - start)
    return YearTable(
        year, edges[0], edges[-1], tuple(starts), tuple(ends), tuple(cum), zone_offsets, cum[-1]
    )


class Timetable:
    """One calendar's year tables and year totals, built on first use and kept.

    Get it with :func:`timetable`; the operations below take and return UTC µs, and
    :meth:`local` turns a result into a ``DateTime`` in the calendar zone. Tables are
    kept for the most recent :data:`TABLES_KEPT` years used (a few kilobytes each),
    totals for every year used (one integer each).
    """

    __slots__ = ("_midnight", "_tables", "_totals", "calendar")

    def __init__(self, calendar: Hours) -> None:
        self.calendar = calendar
        self._tables: dict[int, YearTable] = {}
        self._totals: dict[int, int] = {}
        # Wall-clock arithmetic from here gives a DateTime in the zone directly.
        self._midnight = pendulum.DateTime(1970, 1, 1, tzinfo=calendar.tz)

    def table(self, year: int) -> YearTable:
        """The table of local ``year``; years outside 1 to 9999 are refused."""
        found = self._tables.get(year)
        if found is None:
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise _out_of_range(year)
            if len(self._tables) >= TABLES_KEPT:
                del self._tables[next(iter(self._tables))]
            found = self._tables[year] = build(self.calendar, year)
            self._totals[year] = found.total
        return found

    def total(self, year: int) -> int:
        """Business time in the whole local ``year``, µs."""
        found = self._totals.get(year)
        return self.table(year).total if found is None else found

    def local(self, table: YearTable, u: int) -> pendulum.DateTime:
        """UTC µs ``u``, an instant of ``table``'s year, as a ``DateTime`` in the zone."""
        # Offsets.at, inlined: this runs on every add and next_open.
        offsets = table.offsets
        k = bisect_right(offsets.starts, u) - 1
        try:
            found = _plus(self._midnight, timedelta(0, 0, u + offsets.values[k]))
        except OverflowError:
            raise _out_of_range(LAST_YEAR + 1) from None
        return _replace(found, fold=1) if u < offsets.repeats_until[k] else found

    def table_at(self, u: int) -> YearTable:
        """The table of the local year that UTC µs ``u`` belongs to."""
        # Counting mean Gregorian years from 1970 misses the local year by at most one,
        # and only within a couple of days of New Year; the table's bounds settle it.
        year = 1970 + u // _MEAN_YEAR_US
        if not FIRST_YEAR <= year <= LAST_YEAR:
            year = FIRST_YEAR if year < FIRST_YEAR else LAST_YEAR
        table = self._tables.get(year) or self.table(year)
        if u < table.lo:
            return self.table(table.year - 1)
        if u >= table.hi:
            return self.table(table.year + 1)
        return table

    def is_open(self, u: int) -> bool:
        """Whether ``u`` lies in an open interval."""
        return self.table_at(u).opens(u)

    def next_open(self, u: int) -> tuple[YearTable, int]:
        """The first open instant at or after ``u``, with the table it lies in."""
        table = self.table_at(u)
        i = bisect_right(table.starts, u) - 1
        if i >= 0 and u < table.ends[i]:
            return table, u
        while i + 1 == len(table.starts):  # nothing opens in the rest of this year
            table, i = self.table(table.year + 1), -1
        return table, table.starts[i + 1]

    def add(self, u: int, d: int) -> tuple[YearTable, int]:
        """For ``d >= 0`` the earliest ``r >= u`` with ``between(u, r) >= d``; for ``d < 0``
        the latest ``r <= u`` with ``between(r, u) >= -d``; with the table ``r`` lies in."""
        table = self.table_at(u)
        if d == 0:
            return table, u
        # YearTable.position, inlined: this is the hot path of every response target.
        i = bisect_right(table.starts, u) - 1
        done = table.cum[i] + min(u, table.ends[i]) - table.starts[i] if i >= 0 else 0
        if d > 0:
            if d > _SPAN_US:
                raise _out_of_range(LAST_YEAR + 1)
            year, target, total = table.year, done + d, table.total
            while target > total:
                target -= total
                year += 1
                total = self.total(year)
            if year != table.year:
                table = self.table(year)
            # cum[i] < target <= cum[i + 1]: the sum is reached inside interval i, at the
            # earliest at its end (so Friday 17:00 + 2 h is Friday 19:00, not Monday 08:00).
            i = bisect_left(table.cum, target) - 1
        else:
            if -d > _SPAN_US:
                raise _out_of_range(FIRST_YEAR - 1)
            year, target = table.year, done + d
            while target < 0:
                year -= 1
                target += self.total(year)
            if year != table.year:
                table = self.table(year)
            # cum[i] <= target < cum[i + 1]: the latest instant with that much business
            # time still ahead is inside interval i, at the latest at its start.
            i = bisect_right(table.cum, target) - 1
        return table, table.starts[i] + target - table.cum[i]

    def between(self, a: int, b: int) -> int:
        """Business time in ``[a, b)``, µs; negative when ``b < a``."""
        if b < a:
            return -self.between(b, a)
        first, last = self.table_at(a), self.table_at(b)
        whole_years = sum(map(self.total, range(first.year, last.year)))
        return whole_years + last.position(b) - first.position(a)


@functools.lru_cache(maxsize=64)
def timetable(calendar: Hours) -> Timetable:
    """The timetable of ``calendar``, shared by every call that uses an equal calendar."""
    return Timetable(calendar)


def micros(t: object, *, field: str) -> int:
    """An aware datetime (stdlib or pendulum) as UTC µs; anything else is refused.

    >>> from datetime import UTC
    >>> micros(datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=UTC), field="t")
    1000005
    >>> micros(datetime(1970, 1, 1), field="t")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: input.aware-only: t: naive datetime 1970-01-01T00:00:00; give it a UTC offset or a zone
    """
    try:
        # Any object may come in; the C subtraction is the type check (TypeError below).
        return _in_micros(_difference(t, UTC_EPOCH), MICROSECOND)  # type: ignore[call-overload]
    except TypeError:  # naive, or not a datetime at all
        # instant() refuses both with the shared wording.
        return micros(instant(t, pendulum.UTC, field=field), field=field)


def duration_micros(d: object, *, field: str) -> int:
    """A ``timedelta`` or exact pendulum ``Duration`` as µs; months and years are refused.

    >>> duration_micros(-pendulum.duration(hours=1), field="d")
    -3600000000
    """
    if isinstance(d, timedelta) and not (
        isinstance(d, pendulum.Duration) and (d.years or d.months)
    ):
        return _in_micros(d, MICROSECOND)
    # duration() refuses these with the shared wording.
    return duration_micros(duration(d, field=field), field=field)
