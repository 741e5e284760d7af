"""The business calendar: when the service is open, and business-time arithmetic.

Rules ``hours.schedule``, ``hours.closures``, ``hours.holidays``, ``hours.arithmetic``
and ``input.aware-only``; hours that change at dated instants (``changes``) are those
of ``policy.changes``. Hours follow the zone's wall clock; a span's edge that a clock
change skips or repeats maps to the first instant at which the clock reads that time
or later (see ``docs/business-hours.md`` for the table of cases). Durations are exact
elapsed time. The arithmetic itself lives in :mod:`._timetable`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

import pendulum
from attrs import Attribute, field, frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import MICROSECOND, PLAIN_EPOCH, UTC_EPOCH, utc, zone
from premier_policy.base._rules import RuleId
from premier_policy.hours import _timetable as tables
from premier_policy.hours._changes import Changing
from premier_policy.hours._explain import Deadline, explain, explain_across
from premier_policy.hours._holidays import PublicHolidays
from premier_policy.hours._openings import Opening, calendar_date, openings
from premier_policy.hours._weekly import WeeklySchedule

__all__ = ["Calendar", "added_plain"]

# The C subtraction, not pendulum's override (which builds an Interval).
_elapsed = datetime.__sub__
_plus = datetime.__add__


def _closures(value: Iterable[date | str]) -> frozenset[date]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise PolicyError(
            f"expected a collection of dates, got {shown(value)}",
            rule=RuleId.HOURS_CLOSURES,
            field="closures",
        )
    return frozenset(calendar_date(item, field="closures") for item in value)


def _openings(value: Iterable[Opening]) -> tuple[Opening, ...]:
    return openings(value, field="openings")


def _holidays(_: object, attribute: Attribute[PublicHolidays | None], value: object) -> None:
    if value is not None and not isinstance(value, PublicHolidays):
        raise PolicyError(
            f"expected PublicHolidays or None, got {type(value).__name__}",
            rule=RuleId.HOURS_HOLIDAYS,
            field=attribute.name,
        )


def _changes(value: Iterable[tuple[datetime, Calendar]]) -> tuple[tuple[Any, Calendar], ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise PolicyError(
            f"expected a list of (instant, Calendar) pairs, got {shown(value)}",
            rule=RuleId.POLICY_CHANGES,
            field="changes",
        )
    found = []
    for item in value:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Calendar)):
            raise PolicyError(
                f"expected an (instant, Calendar) pair, got {shown(item)}",
                rule=RuleId.POLICY_CHANGES,
                field="changes",
            )
        if item[1].changes:
            raise PolicyError(
                "a calendar in force from an instant has no changes of its own",
                rule=RuleId.POLICY_CHANGES,
                field="changes",
            )
        found.append((utc(item[0], field="changes"), item[1]))
    for (before, _), (after, _) in pairwise(found):
        if after <= before:
            raise PolicyError(
                f"changes must come in strictly increasing time order: {after} follows {before}",
                rule=RuleId.POLICY_CHANGES,
                field="changes",
            )
    return tuple(found)


@frozen(kw_only=True)
class Calendar:
    """Business hours in a zone: a weekly schedule, closed dates and extra openings.

    ``Calendar()`` is the service's: Monday to Friday ``[08:00, 19:00)``, Paris wall
    clock, no closures. Operations accept any aware datetime (stdlib or pendulum) and a
    ``timedelta`` or exact pendulum ``Duration``; they return pendulum values in the
    calendar's zone. The tables behind them are built once per calendar and year and
    cached, shared by equal calendars.

    >>> from datetime import datetime, timedelta, timezone
    >>> cal = Calendar()
    >>> friday = datetime(2026, 11, 27, 18, 30, tzinfo=timezone(timedelta(hours=1)))
    >>> cal.is_open(friday), cal.add(friday, timedelta(hours=2))
    (True, DateTime(2026, 11, 30, 9, 30, 0, tzinfo=Timezone('Europe/Paris')))
    >>> cal.next_open(friday.replace(hour=19)).isoformat()
    '2026-11-30T08:00:00+01:00'
    >>> cal.between(friday, cal.add(friday, timedelta(hours=2))).in_minutes()
    120
    >>> Calendar(week=WeeklySchedule())
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.schedule: week: the week has no open time; a calendar must open at some point
    """

    #: IANA zone name; the hours follow its wall clock, summer time included.
    timezone: str = "Europe/Paris"
    week: WeeklySchedule = field(factory=WeeklySchedule.default)
    #: Dates on which the weekly hours do not apply (holidays).
    closures: frozenset[date] = field(factory=frozenset, converter=_closures)
    #: Extra openings; they apply even on a closed date.
    openings: tuple[Opening, ...] = field(default=(), converter=_openings)
    #: Public holidays, closed all day like closures (``hours.holidays``); none by default.
    holidays: PublicHolidays | None = field(default=None, validator=_holidays)
    #: Other hours in force from dated instants (``policy.changes``), strictly increasing:
    #: ``(t, calendar)`` means ``calendar``'s hours apply from ``t`` to the next change.
    #: Business time is counted under the hours in force at each instant.
    changes: tuple[tuple[pendulum.DateTime, Calendar], ...] = field(default=(), converter=_changes)
    #: The zone, resolved once.
    tz: pendulum.Timezone = field(init=False, eq=False, repr=False)
    # The year tables, from the functools cache (equal calendars share them), held here
    # so that a call does not hash the calendar again.
    _timetable: tables.Timetable | Changing = field(init=False, eq=False, repr=False)

    @week.validator
    def _week_opens(self, attribute: Attribute[WeeklySchedule], week: object) -> None:
        if not isinstance(week, WeeklySchedule):
            raise PolicyError(
                f"expected a WeeklySchedule, got {type(week).__name__}",
                rule=RuleId.HOURS_SCHEDULE,
                field=attribute.name,
            )
        if not week.minutes:
            raise PolicyError(
                "the week has no open time; a calendar must open at some point",
                rule=RuleId.HOURS_SCHEDULE,
                field=attribute.name,
            )

    @tz.default
    def _tz(self) -> pendulum.Timezone:
        return zone(self.timezone)

    def __attrs_post_init__(self) -> None:
        # After validation, so that only a valid calendar is hashed and gets tables.
        if not self.changes:
            object.__setattr__(self, "_timetable", tables.timetable(self))
            return
        for _, later in self.changes:
            if later.timezone != self.timezone:
                raise PolicyError(
                    f"the time zone never changes: {later.timezone} after {self.timezone}",
                    rule=RuleId.POLICY_CHANGES,
                    field="changes",
                )
        first = Calendar(
            timezone=self.timezone,
            week=self.week,
            closures=self.closures,
            openings=self.openings,
            holidays=self.holidays,
        )
        starts = [tables.micros(at, field="changes") for at, _ in self.changes]
        segments = [tables.timetable(first)]
        segments += [tables.timetable(later) for _, later in self.changes]
        object.__setattr__(self, "_timetable", Changing(starts, segments))

    def is_open(self, t: datetime) -> bool:
        """Whether ``t`` lies in business hours (spans are half-open: 19:00 is closed).

        >>> from datetime import datetime, timezone
        >>> Calendar().is_open(datetime(2026, 11, 27, 18, tzinfo=timezone.utc))
        False
        """
        return self._timetable.is_open(tables.micros(t, field="t"))

    def next_open(self, t: datetime) -> pendulum.DateTime:
        """The first open instant at or after ``t`` (``t`` itself when open).

        >>> from datetime import datetime, timezone
        >>> Calendar().next_open(datetime(2026, 3, 28, 12, tzinfo=timezone.utc)).isoformat()
        '2026-03-30T08:00:00+02:00'
        """
        timetable = self._timetable
        return timetable.local(*timetable.next_open(tables.micros(t, field="t")))

    def add(self, t: datetime, d: timedelta) -> pendulum.DateTime:
        """``d`` of business time after ``t`` (before it when ``d`` is negative).

        For ``d >= 0``: the earliest instant ``r >= t`` with ``between(t, r) >= d``, so
        the count starts at the next opening when ``t`` is closed, and ``add(t, 0)`` is
        ``t``. For ``d < 0``: the latest ``r <= t`` with ``between(r, t) >= -d``. Hence
        ``between(t, add(t, d)) == d`` for every ``d``.

        >>> from datetime import datetime, timedelta, timezone
        >>> paris = timezone(timedelta(hours=1))
        >>> Calendar().add(datetime(2026, 11, 27, 17, tzinfo=paris), timedelta(hours=2)).isoformat()
        '2026-11-27T19:00:00+01:00'
        >>> Calendar().add(datetime(2026, 11, 30, 9, tzinfo=paris), -timedelta(hours=2)).isoformat()
        '2026-11-27T18:00:00+01:00'
        """
        # The hot path of every response target: the usual conversions are inlined, and
        # micros() and duration_micros() only see what they must check or refuse.
        try:
            start = _elapsed(t, UTC_EPOCH) // MICROSECOND
        except TypeError:
            start = tables.micros(t, field="t")
        step = d // MICROSECOND if type(d) is timedelta else tables.duration_micros(d, field="d")
        timetable = self._timetable
        return timetable.local(*timetable.add(start, step))

    def explain_add(self, t: datetime, d: timedelta) -> Deadline:
        """:meth:`add`, explained: the due instant with the open spans counted and the
        closed stretches skipped, and why (``d >= 0``; see :class:`~premier_policy.Deadline`).

        >>> from datetime import datetime, timedelta, timezone
        >>> friday = datetime(2026, 11, 27, 18, 30, tzinfo=timezone(timedelta(hours=1)))
        >>> print("\\n".join(Calendar().explain_add(friday, timedelta(hours=2)).lines()))
        120 business minutes from Fri 2026-11-27 18:30 CET: due Mon 2026-11-30 09:30 CET  [hours.arithmetic]
          counted  Fri 2026-11-27 18:30 CET - 19:00  30 min  [hours.arithmetic]
          skipped  Fri 2026-11-27 19:00 CET - Mon 2026-11-30 08:00 CET  outside the weekly hours  [hours.schedule]
          counted  Mon 2026-11-30 08:00 CET - 09:30  90 min  [hours.arithmetic]
        """
        start = tables.micros(t, field="t")
        step = tables.duration_micros(d, field="d")
        timetable = self._timetable
        if isinstance(timetable, Changing):
            closures = (self.closures, *(later.closures for _, later in self.changes))
            return explain_across(timetable.starts, timetable.segments, closures, start, step)
        return explain(timetable, self.closures, start, step)

    def between(self, a: datetime, b: datetime) -> pendulum.Duration:
        """Business time in ``[a, b)``; negative when ``b < a``. Exact elapsed time.

        >>> from datetime import datetime, timezone
        >>> week = Calendar().between(datetime(2026, 11, 30, tzinfo=timezone.utc),
        ...                           datetime(2026, 12, 7, tzinfo=timezone.utc))
        >>> week.in_hours()
        55
        """
        elapsed = self._timetable.between(tables.micros(a, field="a"), tables.micros(b, field="b"))
        return pendulum.Duration(microseconds=elapsed)


def added_plain(calendar: Calendar, t: datetime, d: timedelta) -> datetime | None:
    """:meth:`Calendar.add` of an aware ``t`` and a ``timedelta``, as the replay
    engine's records keep instants: a standard-library datetime in UTC
    (:func:`~premier_policy.base._instants.plain`). None for a result in the calendar's
    first or last year, whose wall clock may lie outside the years 1 to 9999: there,
    :meth:`Calendar.add` says whether it does.

    >>> from datetime import timezone
    >>> friday = datetime(2026, 11, 27, 17, 30, tzinfo=timezone.utc)
    >>> added_plain(Calendar(), friday, timedelta(hours=2)) == Calendar().add(friday, timedelta(hours=2))
    True
    """
    # From the epoch of the plain form: an instant with the same tzinfo subtracts without
    # asking either for its offset (pendulum's UTC answers in Python).
    table, u = calendar._timetable.add(_elapsed(t, PLAIN_EPOCH) // MICROSECOND, d // MICROSECOND)
    if not tables.FIRST_YEAR < table.year < tables.LAST_YEAR:
        return None
    return _plus(PLAIN_EPOCH, timedelta(0, 0, u))
