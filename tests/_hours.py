"""Shared helpers for the business-hours tests: a brute-force reference and strategies.

The reference knows nothing of the library's tables: for each local date it asks
``zoneinfo`` where each span edge falls (stepping minute by minute through a spring
gap to find the first instant the clock reads the edge time or later) and sums
overlaps with plain ``datetime`` arithmetic in UTC.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pendulum
from hypothesis import strategies as st

from premier_policy import Calendar, Opening, WeeklySchedule

MINUTE = timedelta(minutes=1)
MICROSECOND = timedelta(microseconds=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The DST weekends of the issue (Paris); other zones get their own nearby changes.
DST_DAYS = (date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31))
# Zones with a one-hour change at 02:00-03:00 (Paris), at 02:00 local (New York), a
# half-hour change (Lord Howe) and a change at midnight local (Santiago).
ZONES = ("Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Santiago")
FIRST_DAY, LAST_DAY = date(2026, 1, 1), date(2027, 12, 31)
Interval = tuple[datetime, datetime]


def us(t: datetime) -> int:
    """An aware instant as exact microseconds since the epoch: compare instants with this.

    (The stdlib subtraction, because pendulum's returns an Interval.)
    """
    return timedelta.__floordiv__(datetime.__sub__(t, EPOCH), MICROSECOND)


def plus(t: datetime, delta: timedelta) -> datetime:
    """``t + delta`` in exact elapsed time, as a stdlib UTC datetime.

    Plain ``+`` is wall-clock arithmetic for zoned datetimes (and calendar days for
    pendulum), which can land in a gap; tests that step through time use this.
    """
    return EPOCH + (us(t) + timedelta.__floordiv__(delta, MICROSECOND)) * MICROSECOND


def wall_edge(zone: ZoneInfo, day: date, minute: int) -> datetime:
    """The first instant (UTC) at which the clock in ``zone`` reads ``day`` + ``minute`` or later."""
    naive = datetime.combine(day, time()) + minute * MINUTE
    first = naive.replace(tzinfo=zone).astimezone(UTC)  # fold=0: the earlier reading
    if first.astimezone(zone).replace(tzinfo=None) == naive:
        return first
    # A gap: fold=1 reads the time with the later offset, which lands before the change.
    found = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while found.astimezone(zone).replace(tzinfo=None) < naive:
        found += MINUTE
    return found


@functools.lru_cache(maxsize=100_000)
def day_intervals(calendar: Calendar, day: date) -> tuple[Interval, ...]:
    """The open intervals (UTC) that the spans of local ``day`` give, empty ones dropped."""
    zone = ZoneInfo(calendar.timezone)
    weekly = () if day in calendar.closures else calendar.week.days[day.weekday()]
    extra = tuple(opening.span for opening in calendar.openings if opening.on == day)
    minutes: list[list[int]] = []
    for span in sorted((*weekly, *extra)):
        if minutes and span.start <= minutes[-1][1]:
            minutes[-1][1] = max(minutes[-1][1], span.end)
        else:
            minutes.append([span.start, span.end])
    found = []
    for start, end in minutes:
        a = wall_edge(zone, day, start)
        b = (
            wall_edge(zone, day + timedelta(days=1), 0)
            if end == 1440
            else wall_edge(zone, day, end)
        )
        if a < b:
            found.append((a, b))
    return tuple(found)


def _days(calendar: Calendar, a: datetime, b: datetime) -> list[date]:
    zone = ZoneInfo(calendar.timezone)
    first = a.astimezone(zone).date() - timedelta(days=2)
    last = b.astimezone(zone).date() + timedelta(days=2)
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def ref_between(calendar: Calendar, a: datetime, b: datetime) -> timedelta:
    """Business time in ``[a, b)``, negative when ``b < a``, summed day by day."""
    a, b = plus(a, timedelta(0)), plus(b, timedelta(0))
    if b < a:
        return -ref_between(calendar, b, a)
    total = timedelta(0)
    for day in _days(calendar, a, b):
        for start, end in day_intervals(calendar, day):
            total += max(timedelta(0), min(end, b) - max(start, a))
    return total


def ref_is_open(calendar: Calendar, t: datetime) -> bool:
    t = plus(t, timedelta(0))
    return any(
        start <= t < end
        for day in _days(calendar, t, t)
        for start, end in day_intervals(calendar, day)
    )


def ref_next_open(calendar: Calendar, t: datetime) -> datetime:
    """The first open instant at or after ``t``, looking up to a year ahead."""
    t = plus(t, timedelta(0))
    day = t.astimezone(ZoneInfo(calendar.timezone)).date() - timedelta(days=1)
    for _ in range(366):
        for start, end in day_intervals(calendar, day):
            if end > t:
                return max(start, t)
        day += timedelta(days=1)
    raise AssertionError("no opening within a year")  # pragma: no cover


# --- strategies -----------------------------------------------------------------------

# Wall-clock minutes where DST and business-hours bugs live.
EDGE_MINUTES = (0, 60, 90, 120, 150, 180, 210, 240, 480, 1140, 1439, 1440)
# Day shapes: the service's day, around the clock, spans that start, end or lie inside
# the 02:00-03:00 changes, split days, late evenings and a touch of midnight.
DAY_SHAPES: tuple[tuple[tuple[str, str], ...], ...] = (
    (),
    (("08:00", "19:00"),),
    (("00:00", "24:00"),),
    (("02:00", "02:30"),),
    (("02:30", "04:00"),),
    (("00:00", "02:30"),),
    (("01:00", "03:00"),),
    (("09:00", "12:00"), ("14:00", "18:00")),
    (("22:00", "24:00"),),
    (("00:00", "00:30"), ("23:30", "24:00")),
)


def _one_span(start: int, length: int) -> tuple[tuple[int, int], ...]:
    return ((start, min(start + length, 1440)),)


SPANS = st.sampled_from(DAY_SHAPES) | st.builds(
    _one_span, st.integers(0, 1439), st.integers(1, 1440)
)


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    """Calendars in DST-rich zones with irregular weeks, closures and extra openings."""
    days = {name: draw(SPANS) for name in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    if not any(days.values()):
        days["mon"] = (("08:00", "19:00"),)
    near_dst = st.sampled_from(DST_DAYS).flatmap(
        lambda d: st.integers(-3, 3).map(lambda k: d + timedelta(days=k))
    )
    closures = draw(st.frozensets(near_dst, max_size=5))
    opening_days = draw(st.lists(near_dst, max_size=3, unique=True))
    openings = []
    for day in opening_days:
        openings += [Opening(day, span) for span in draw(SPANS)]
    return Calendar(
        timezone=draw(st.sampled_from(ZONES)),
        week=WeeklySchedule(**days),
        closures=closures,
        openings=openings,
    )


def _form(draw: st.DrawFn, t: datetime) -> datetime:
    """The same instant as a zoneinfo, UTC, fixed-offset or pendulum datetime."""
    form = draw(st.sampled_from(["zoneinfo", "utc", "offset", "pendulum"]))
    if form == "utc":
        return t.astimezone(UTC)
    if form == "offset":
        return t.astimezone(timezone(draw(st.integers(-14 * 60, 14 * 60)) * MINUTE))
    if form == "pendulum":
        return pendulum.instance(t.astimezone(UTC)).in_tz("America/Chicago")
    return t


@st.composite
def instants(draw: st.DrawFn, calendar: Calendar) -> datetime:
    """Aware instants over 2026-2027, biased to DST weekends and to the calendar's edges."""
    near_dst = st.sampled_from(DST_DAYS).flatmap(
        lambda d: st.integers(-3, 3).map(lambda k: d + timedelta(days=k))
    )
    day = draw(near_dst | st.dates(FIRST_DAY, LAST_DAY))
    edges = sorted({m for d in calendar.week.days for s in d for m in (s.start, s.end)})
    minute = draw(st.sampled_from(EDGE_MINUTES + tuple(edges)) | st.integers(0, 1439))
    nudge = draw(
        st.sampled_from([0, 0, -1, 1, -60_000_000, 60_000_000])
        | st.integers(-7_200_000_000, 7_200_000_000)
    )
    naive = datetime.combine(day, time()) + minute * MINUTE + nudge * MICROSECOND
    fold = draw(st.integers(0, 1))
    return _form(draw, naive.replace(tzinfo=ZoneInfo(calendar.timezone), fold=fold))


def durations(calendar: Calendar) -> st.SearchStrategy[timedelta]:
    """Non-negative durations up to two weeks' business time: round ones, tiny ones and
    arbitrary microseconds (so the reference never has to sum more than a few weeks)."""
    most = 2 * calendar.week.minutes
    return (
        st.sampled_from([0, 1, 60, 120, 660, 1440, 55 * 60, most]).map(
            lambda m: min(m, most) * MINUTE
        )
        | st.integers(0, 3).map(lambda k: k * MICROSECOND)
        | st.integers(0, most * 60_000_000).map(lambda k: k * MICROSECOND)
    )
