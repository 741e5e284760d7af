"""Why a deadline falls where it does: the open spans counted and the closed ones skipped.

:meth:`~premier_policy.Calendar.explain_add` answers the question a support desk hears
after "response due Monday 09:30": *why Monday?* It returns a :class:`Deadline`, the
same instant :meth:`~premier_policy.Calendar.add` gives, with the business time behind
it as values (text second, from :meth:`Deadline.lines`):

- :class:`CountedSpan`: each stretch of open time counted, in order, with its exact
  length (``hours.arithmetic``); together they add up to the duration exactly;
- :class:`SkippedStretch`: each closed stretch between them, with why it was closed:
  ``outside_hours`` (the weekly schedule, ``hours.schedule``), ``closed_date`` (a
  closure, ``hours.closures``), split at local midnights where the reason changes; and
  ``clock_gap``, a zero-length entry at each instant the clock jumps forward, whose
  wall-clock minutes do not exist and so count for nothing (the edge rule of
  ``hours.schedule``).

Everything is computed from the calendar's year tables (:mod:`._timetable`), the very
ones :meth:`~premier_policy.Calendar.add` bisects, so the explanation cannot disagree
with the arithmetic.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

import pendulum
from attrs import field, frozen

from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId
from premier_policy.hours._offsets import DAY_US, EPOCH_ORDINAL, local_micros
from premier_policy.hours._timetable import Timetable, YearTable

__all__ = ["ClosedWhy", "CountedSpan", "Deadline", "SkippedStretch", "explain"]

#: Why a stretch was not counted.
ClosedWhy = Literal["outside_hours", "closed_date", "clock_gap"]

_RULES: dict[ClosedWhy, RuleId] = {
    "outside_hours": RuleId.HOURS_SCHEDULE,
    "closed_date": RuleId.HOURS_CLOSURES,
    "clock_gap": RuleId.HOURS_SCHEDULE,
}
_MINUTE = timedelta(minutes=1)


def _stamp(t: pendulum.DateTime) -> str:
    """``Fri 2026-11-27 18:30 CET``: a day name helps a person more than a date alone."""
    text = t.format("ddd YYYY-MM-DD HH:mm")
    if t.second or t.microsecond:
        text += t.format(":ss")
    if t.microsecond:
        text += f".{t.microsecond:06d}".rstrip("0")
    return f"{text} {t.format('zz')}"


def _clock(t: pendulum.DateTime, ref: pendulum.DateTime) -> str:
    """``t`` for a line that starts at ``ref``: only the time when the day is the same."""
    whole = _stamp(t)
    if t.date() == ref.date() and t.format("zz") == ref.format("zz"):
        return whole.split(" ")[2]
    return whole


def minutes_of(length: timedelta) -> int | float:
    """``length`` in minutes: a whole number when it is one.

    >>> minutes_of(timedelta(minutes=90)), minutes_of(timedelta(seconds=90))
    (90, 1.5)
    """
    whole, rest = divmod(length, _MINUTE)
    return int(whole) if not rest else length / _MINUTE


def _iso(t: pendulum.DateTime) -> str:
    return t.isoformat()


@frozen(kw_only=True)
class CountedSpan:
    """Open time counted towards a deadline: ``[start, end)``, in the calendar zone."""

    start: pendulum.DateTime
    end: pendulum.DateTime
    #: Exact business time in the span (elapsed time: a clock change inside counts true).
    length: timedelta

    @property
    def minutes(self) -> int | float:
        """The length in minutes, a whole number when it is one."""
        return minutes_of(self.length)

    @property
    def rule(self) -> RuleId:
        """The rule that counts it: ``hours.arithmetic``."""
        return RuleId.HOURS_ARITHMETIC

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"start", "end", "minutes"}``, instants with their offset."""
        return {"start": _iso(self.start), "end": _iso(self.end), "minutes": self.minutes}

    def line(self) -> str:
        """One line for a person."""
        return (
            f"counted  {_stamp(self.start)} - {_clock(self.end, self.start)}"
            f"  {self.minutes} min  [{self.rule}]"
        )


@frozen(kw_only=True)
class SkippedStretch:
    """Closed time passed over: ``[start, end)`` and why; a ``clock_gap`` has
    ``start == end`` (the jump) and ``wall_minutes`` the wall-clock minutes it skips."""

    start: pendulum.DateTime
    end: pendulum.DateTime
    why: ClosedWhy
    #: For a ``clock_gap``: how far the clock jumps forward; 0 otherwise.
    wall_minutes: int | float = 0

    @property
    def rule(self) -> RuleId:
        """The rule that makes it closed."""
        return _RULES[self.why]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        found: dict[str, Any] = {"start": _iso(self.start), "end": _iso(self.end), "why": self.why}
        if self.why == "clock_gap":
            found["wall_minutes"] = self.wall_minutes
        return found

    def line(self) -> str:
        """One line for a person."""
        if self.why == "clock_gap":
            wall = self.start.naive()
            before = wall - timedelta(minutes=self.wall_minutes)
            return (
                f"skipped  {_stamp(self.start)}  the clock jumps from {before:%H:%M} to "
                f"{wall:%H:%M}: those {self.wall_minutes} wall-clock minutes do not exist"
                f"  [{self.rule}]"
            )
        why = (
            "outside the weekly hours"
            if self.why == "outside_hours"
            else f"closed date {self.start.date().isoformat()}"
        )
        return (
            f"skipped  {_stamp(self.start)} - {_clock(self.end, self.start)}  {why}  [{self.rule}]"
        )


def _utc(t: pendulum.DateTime) -> datetime:
    # Aware datetimes of one zone compare by wall clock, wrong inside an autumn fold.
    return datetime.astimezone(t, UTC)


def _order(item: CountedSpan | SkippedStretch) -> tuple[datetime, int]:
    # A clock gap (zero length) comes before the stretch that starts at its instant.
    gap = isinstance(item, SkippedStretch) and item.why == "clock_gap"
    return _utc(item.start), 0 if gap else 1


@frozen(kw_only=True)
class Deadline:
    """``duration`` of business time from ``start``: when it is due, and why.

    ``spans`` are the open stretches counted, in order; ``skipped`` the closed ones
    between ``start`` and ``due_at`` with why, in order. Instants are in the calendar
    zone; ``due_at`` equals ``Calendar.add(start, duration)``.
    """

    start: pendulum.DateTime
    duration: timedelta
    due_at: pendulum.DateTime
    spans: tuple[CountedSpan, ...]
    skipped: tuple[SkippedStretch, ...] = field(default=())

    @property
    def minutes(self) -> int | float:
        """The duration in minutes."""
        return minutes_of(self.duration)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"due_at", "start", "minutes", "spans", "skipped"}``."""
        return {
            "due_at": _iso(self.due_at),
            "start": _iso(self.start),
            "minutes": self.minutes,
            "spans": [span.as_dict() for span in self.spans],
            "skipped": [stretch.as_dict() for stretch in self.skipped],
        }

    def lines(self) -> tuple[str, ...]:
        """The explanation for a person, one line per stretch, each naming its rule."""
        head = (
            f"{self.minutes} business minutes from {_stamp(self.start)}: "
            f"due {_stamp(self.due_at)}  [{RuleId.HOURS_ARITHMETIC}]"
        )
        body: list[CountedSpan | SkippedStretch] = sorted((*self.spans, *self.skipped), key=_order)
        return (head, *(f"  {item.line()}" for item in body))


# --- the computation, on the timetable's integers ----------------------------------------


def _intervals(timetable: Timetable, u: int, due: int) -> list[tuple[int, int]]:
    """The open intervals met in ``[u, due)``, clipped, touching ones joined (a span
    open across New Year lies in two year tables)."""
    found: list[tuple[int, int]] = []
    table = timetable.table_at(u)
    i = max(bisect_right(table.starts, u) - 1, 0)
    while True:
        while i == len(table.starts):
            if table.hi >= due:
                return found
            table, i = timetable.table(table.year + 1), 0
        start, end = max(table.starts[i], u), min(table.ends[i], due)
        if start >= due:
            return found
        if start < end:
            if found and found[-1][1] == start:
                found[-1] = (found[-1][0], end)
            else:
                found.append((start, end))
        i += 1


def _local_ordinal(table: YearTable, u: int) -> int:
    offset, _ = table.offsets.at(u)
    return (u + offset) // DAY_US + EPOCH_ORDINAL


def _closed(
    timetable: Timetable, closures: frozenset[date], a: int, b: int
) -> list[tuple[int, int, ClosedWhy]]:
    """The closed stretch ``[a, b)`` cut at local midnights where the reason changes."""
    found: list[tuple[int, int, ClosedWhy]] = []
    while a < b:
        table = timetable.table_at(a)
        ordinal = _local_ordinal(table, a)
        why: ClosedWhy = "closed_date" if date.fromordinal(ordinal) in closures else "outside_hours"
        # The next local midnight, by the same edge rule as the tables.
        (midnight,) = table.offsets.edges([local_micros(ordinal + 1, 0)])
        end = min(max(midnight, a + 1), b)
        if found and found[-1][2] == why and found[-1][1] == a:
            found[-1] = (found[-1][0], end, why)
        else:
            found.append((a, end, why))
        a = end
    return found


def _gaps(timetable: Timetable, u: int, due: int) -> list[tuple[int, int]]:
    """The instants in ``[u, due]`` where the clock jumps forward, with the jump (µs)."""
    found: list[tuple[int, int]] = []
    year = timetable.table_at(u).year
    last = timetable.table_at(due).year
    seen: set[int] = set()
    for y in range(year, last + 1):
        offsets = timetable.table(y).offsets
        for k in range(1, len(offsets.starts)):
            at, jump = offsets.starts[k], offsets.values[k] - offsets.values[k - 1]
            if jump > 0 and u <= at <= due and at not in seen:
                seen.add(at)
                found.append((at, jump))
    return sorted(found)


def explain(timetable: Timetable, closures: frozenset[date], u: int, d: int) -> Deadline:
    """The :class:`Deadline` of ``d`` µs (>= 0) from UTC µs ``u``, from the calendar's
    timetable; ``d < 0`` is refused (``hours.arithmetic``)."""
    if d < 0:
        raise PolicyError(
            "a deadline is explained for a duration of 0 or more; "
            f"got {pendulum.Duration(microseconds=d)}",
            rule=RuleId.HOURS_ARITHMETIC,
            field="d",
        )

    _, due = timetable.add(u, d)

    def local(x: int) -> pendulum.DateTime:
        return timetable.local(timetable.table_at(x), x)

    opened = _intervals(timetable, u, due)
    spans = tuple(
        CountedSpan(start=local(a), end=local(b), length=timedelta(microseconds=b - a))
        for a, b in opened
    )
    skipped: list[SkippedStretch] = []
    cursor = u
    for a, b in [*opened, (due, due)]:
        if cursor < a:
            skipped += (
                SkippedStretch(start=local(x), end=local(y), why=why)
                for x, y, why in _closed(timetable, closures, cursor, a)
            )
        cursor = b
    skipped += (
        SkippedStretch(
            start=local(at), end=local(at), why="clock_gap", wall_minutes=minutes_of(
                timedelta(microseconds=jump)
            ),
        )
        for at, jump in _gaps(timetable, u, due)
    )  # fmt: skip
    skipped.sort(key=lambda s: (_utc(s.start), s.why != "clock_gap"))
    return Deadline(
        start=local(u),
        duration=timedelta(microseconds=d),
        due_at=local(due),
        spans=spans,
        skipped=tuple(skipped),
    )


def explain_across(
    starts: tuple[int, ...],
    segments: tuple[Timetable, ...],
    closures: tuple[frozenset[date], ...],
    u: int,
    d: int,
) -> Deadline:
    """:func:`explain` over hours that change at ``starts`` (``policy.changes``):
    ``segments[k]`` and ``closures[k]`` are in force on ``[starts[k - 1], starts[k])``,
    and each stretch is explained under the hours in force then, as ``add`` counts it."""
    k = bisect_right(starts, u)
    first = explain(segments[k], closures[k], u, min(d, 0))  # refuses d < 0, names d
    spans: list[CountedSpan] = []
    skipped: list[SkippedStretch] = []
    total = d
    while k < len(starts) and (left := segments[k].between(u, starts[k])) < d:
        part = explain(segments[k], closures[k], u, left)
        _, reached = segments[k].add(u, left)
        spans += part.spans
        skipped += part.skipped
        # From the last counted minute to the change, closed under the hours left behind.
        skipped += (
            SkippedStretch(start=_local(segments[k], x), end=_local(segments[k], y), why=why)
            for x, y, why in _closed(segments[k], closures[k], reached, starts[k])
        )
        d, u, k = d - left, starts[k], k + 1
    last = explain(segments[k], closures[k], u, d)
    return Deadline(
        start=first.start,
        duration=timedelta(microseconds=total),
        due_at=last.due_at,
        spans=(*spans, *last.spans),
        skipped=tuple(
            sorted((*skipped, *last.skipped), key=lambda s: (_utc(s.start), s.why != "clock_gap"))
        ),
    )


def _local(timetable: Timetable, x: int) -> pendulum.DateTime:
    return timetable.local(timetable.table_at(x), x)
