"""Instants, biased towards DST changes and the service's business edges."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, time, timedelta

import pendulum
from hypothesis import strategies as st

from premier_policy.base._instants import instant, zone
from premier_policy.strategies._options import DEFAULT_MAX, DEFAULT_MIN, Bias, _check, _range, _zone
from premier_policy.strategies._ticks import _DAY_US, _MICROSECOND, _from_ticks, _ticks

__all__ = ["instants"]

# Wall-clock instants where business-hours bugs live: the service's edges and midnight.
_EDGE_TIMES = (time(0), time(8), time(19))
# How far beside an edge or a zone transition a biased instant lands.
_NUDGES = tuple(
    sign * step
    for step in (_MICROSECOND, timedelta(minutes=1), timedelta(minutes=30), timedelta(hours=1))
    for sign in (-1, 1)
)
# Zone rules are scanned for transitions inside these years only; outside them the bias
# keeps to business edges (tzdata's far past is irregular, its far future periodic).
_SCAN_FIRST_YEAR, _SCAN_LAST_YEAR = 1900, 2200


def _at(ticks: int, tz: pendulum.Timezone) -> pendulum.DateTime:
    return instant(_from_ticks(ticks), tz)


@functools.cache
def _transitions(name: str, first_year: int, last_year: int) -> tuple[int, ...]:
    """The instants (as ticks) at which zone ``name`` changes its UTC offset."""
    tz = zone(name)

    def offset(ticks: int) -> timedelta | None:
        return _from_ticks(ticks).astimezone(tz).utcoffset()

    week = 7 * _DAY_US
    start = _ticks(datetime(max(first_year, _SCAN_FIRST_YEAR), 1, 1, tzinfo=UTC))
    stop = _ticks(datetime(min(last_year, _SCAN_LAST_YEAR) + 1, 1, 1, tzinfo=UTC))
    found: list[int] = []
    # Weekly steps, then bisection to the second: offsets change at most a few times a
    # year, never twice in one week in any real zone rule.
    for low in range(start, stop, week):
        high = low + week
        if offset(low) == offset(high):
            continue
        while high - low > 1_000_000:
            middle = (low + high) // 2 // 1_000_000 * 1_000_000
            if offset(middle) == offset(low):
                low = middle
            else:
                high = middle
        found.append(high)
    return tuple(found)


def _wall(tz: pendulum.Timezone, around: int, days: int, at: time, fold: int) -> int | None:
    """The instant a wall clock in ``tz`` shows ``at``, ``days`` after the day of ``around``.

    ``fold`` picks the first or second of two such instants in an autumn fold; a time in
    a spring gap maps to an instant beside the gap. None past the datetime range.
    """
    try:
        day = _from_ticks(around).astimezone(tz).date() + timedelta(days=days)
        local = datetime.combine(day, at, tzinfo=tz).replace(fold=fold)
        return _ticks(local.astimezone(UTC))
    except OverflowError:
        return None


@st.composite
def _biased(
    draw: st.DrawFn, tz: pendulum.Timezone, lo: int, hi: int, transitions: tuple[int, ...]
) -> pendulum.DateTime:
    kinds = ["uniform", "edge"] + (["transition", "dst-weekend"] if transitions else [])
    kind = draw(st.sampled_from(kinds))
    # Half the time exactly on the edge, else just beside it.
    nudge = draw(st.sampled_from(_NUDGES)) // _MICROSECOND if draw(st.booleans()) else 0
    ticks: int | None = None
    if kind == "transition":
        ticks = draw(st.sampled_from(transitions)) + nudge
    elif kind != "uniform":
        if kind == "edge":
            around, days = draw(st.integers(lo, hi)), 0
        else:  # a DST change's weekend: Friday evening to Monday morning, wall clock
            around, days = draw(st.sampled_from(transitions)), draw(st.integers(-2, 1))
        edge, fold = draw(st.sampled_from(_EDGE_TIMES)), draw(st.integers(0, 1))
        wall = _wall(tz, around, days, edge, fold)
        ticks = None if wall is None else wall + nudge
    if ticks is None or not lo <= ticks <= hi:
        ticks = draw(st.integers(lo, hi))
    return _at(ticks, tz)


def instants(
    *,
    timezone: str = "Europe/Paris",
    min_value: datetime = DEFAULT_MIN,
    max_value: datetime = DEFAULT_MAX,
    bias: Bias = "dst-and-edges",
) -> st.SearchStrategy[pendulum.DateTime]:
    """Aware instants in ``[min_value, max_value]``, as pendulum ``DateTime`` in ``timezone``.

    ``bias="dst-and-edges"`` (the default) spends about three quarters of the examples
    where calendar bugs live: on and beside the zone's offset changes (DST), and on and
    beside midnight, 08:00 and 19:00 wall-clock time, often on the weekend of a change
    (in a zone without DST, half the examples go to the edges).
    "Beside" is one microsecond, one minute, half an hour or an hour either way; in an
    autumn fold both readings of a wall-clock time are drawn. ``bias="uniform"`` draws
    any microsecond of the range. Examples shrink towards ``min_value``.

    >>> from hypothesis import find
    >>> spring = find(instants(), lambda t: t.utcoffset() != t.subtract(hours=1).utcoffset())
    >>> spring.month in (3, 10)
    True
    >>> instants(timezone="Mars/Olympus")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: timezone='Mars/Olympus': unknown IANA time zone 'Mars/Olympus'
    """
    tz = _zone(timezone)
    lo, hi = _range(min_value, max_value)
    _check(bias in ("dst-and-edges", "uniform"), f"bias={bias!r}: use 'dst-and-edges' or 'uniform'")
    if bias == "uniform":
        return st.integers(lo, hi).map(lambda ticks: _at(ticks, tz))
    years = (_from_ticks(lo).year, _from_ticks(hi).year)
    transitions = tuple(t for t in _transitions(tz.name, *years) if lo <= t <= hi)
    return _biased(tz, lo, hi, transitions)
