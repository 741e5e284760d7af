"""The boundary for time: zones by name, aware instants and exact durations.

Every instant entering the library passes through :func:`instant`, which refuses naive
datetimes (``input.aware-only``) and returns a pendulum ``DateTime`` in the policy zone.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from typing import Final

import pendulum

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId

__all__ = [
    "EPOCH",
    "MICROSECOND",
    "NAIVE_EPOCH",
    "PLAIN_EPOCH",
    "UTC_EPOCH",
    "as_stored",
    "duration",
    "instant",
    "parse_instant",
    "plain",
    "stored",
    "utc",
    "zone",
]


def zone(name: str) -> pendulum.Timezone:
    """The IANA zone called ``name``, cached: resolving a zone by name is the slow part.

    >>> zone("Europe/Paris").name
    'Europe/Paris'
    >>> zone("Mars/Olympus")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: timezone: unknown IANA time zone 'Mars/Olympus'
    """
    # Checked before the cache, which would hash a list or dict (a TypeError) first.
    if not isinstance(name, str) or not name:
        raise PolicyError(f"expected an IANA zone name, got {shown(name)}", field="timezone")
    return _zone(name)


@functools.cache
def _zone(name: str) -> pendulum.Timezone:
    try:
        found = pendulum.timezone(name)
    except (ValueError, OSError):
        raise PolicyError(f"unknown IANA time zone {shown(name)}", field="timezone") from None
    if not isinstance(found, pendulum.Timezone):  # pragma: no cover - fixed offsets by name
        raise PolicyError(f"expected an IANA zone name, got {shown(name)}", field="timezone")
    return found


def instant(value: object, tz: pendulum.Timezone, *, field: str = "at") -> pendulum.DateTime:
    """``value`` as a pendulum ``DateTime`` in ``tz``; naive or non-datetime values are refused.

    >>> from datetime import datetime, timezone
    >>> instant(datetime(2026, 7, 1, 6, tzinfo=timezone.utc), zone("Europe/Paris"))
    DateTime(2026, 7, 1, 8, 0, 0, tzinfo=Timezone('Europe/Paris'))
    >>> instant(datetime(2026, 7, 1, 6), zone("Europe/Paris"))
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: input.aware-only: at: naive datetime 2026-07-01T06:00:00; give it a UTC offset or a zone
    """
    if not isinstance(value, datetime):
        raise PolicyError(
            f"expected an aware datetime, got {type(value).__name__}",
            rule=RuleId.INPUT_AWARE_ONLY,
            field=field,
        )
    if value.utcoffset() is None:
        raise PolicyError(
            f"naive datetime {value.isoformat()}; give it a UTC offset or a zone",
            rule=RuleId.INPUT_AWARE_ONLY,
            field=field,
        )
    if type(value) is pendulum.DateTime and value.tzinfo is tz:
        return value
    try:
        local = value.astimezone(tz)
    except OverflowError:
        # Only input can be this far out (every instant the rules make is checked), and
        # a caller reading the error deserves the rule as much as replay's refusal does.
        raise PolicyError(
            f"{value.isoformat()} is out of range in {tz.name}",
            rule=RuleId.INPUT_MALFORMED,
            field=field,
        ) from None
    return pendulum.DateTime(
        local.year,
        local.month,
        local.day,
        local.hour,
        local.minute,
        local.second,
        local.microsecond,
        tzinfo=tz,
        fold=local.fold,
    )


def utc(value: object, *, field: str = "at") -> pendulum.DateTime:
    """``value`` as a pendulum ``DateTime`` in UTC, the form value objects store.

    Python compares two datetimes that share a zone by wall clock, which is wrong inside
    an autumn fold (02:30+02:00 and 02:30+01:00 compare equal), so stored instants are
    UTC and only wall-clock arithmetic and display use the policy zone.

    >>> from datetime import datetime, timedelta, timezone
    >>> utc(datetime(2026, 10, 25, 2, 30, tzinfo=timezone(timedelta(hours=1))))
    DateTime(2026, 10, 25, 1, 30, 0, tzinfo=Timezone('UTC'))
    """
    return instant(value, pendulum.UTC, field=field)


def parse_instant(text: object, tz: pendulum.Timezone, *, field: str = "at") -> pendulum.DateTime:
    """An ISO 8601 instant with a UTC offset (or ``Z``), as a ``DateTime`` in ``tz``.

    >>> parse_instant("2026-11-27T10:00:00Z", zone("Europe/Paris")).isoformat()
    '2026-11-27T11:00:00+01:00'
    >>> parse_instant("2026-11-27T10:00:00", zone("Europe/Paris"))
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: input.aware-only: at: naive datetime 2026-11-27T10:00:00; give it a UTC offset or a zone
    """
    if not isinstance(text, str):
        raise PolicyError(
            f"expected an ISO 8601 string, got {type(text).__name__}",
            rule=RuleId.INPUT_MALFORMED,
            field=field,
        )
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise PolicyError(
            f"not an ISO 8601 instant: {shown(text)}", rule=RuleId.INPUT_MALFORMED, field=field
        ) from None
    return instant(parsed, tz, field=field)


def duration(value: object, *, field: str = "duration") -> pendulum.Duration:
    """``value`` (a ``timedelta`` or an exact pendulum ``Duration``) as a pendulum ``Duration``.

    Months and years are not exact lengths of time, so a ``Duration`` holding them is refused.

    >>> duration(timedelta(hours=2)).in_minutes()
    120
    >>> duration(pendulum.duration(months=1))
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: duration: months and years are not exact durations
    """
    if not isinstance(value, timedelta):
        raise PolicyError(f"expected a timedelta, got {type(value).__name__}", field=field)
    if isinstance(value, pendulum.Duration) and (value.years or value.months):
        raise PolicyError("months and years are not exact durations", field=field)
    # pendulum.Duration overrides .seconds/.microseconds with a sign while .days keeps
    # the stdlib meaning, so count microseconds with timedelta's own division.
    return pendulum.Duration(microseconds=timedelta.__floordiv__(value, MICROSECOND))


#: What a ``timedelta`` is divided by to count its microseconds, in C.
MICROSECOND: Final = timedelta(microseconds=1)


# The replay engine keeps instants the garbage collector does not trace: a standard-
# library datetime in pendulum's UTC (pendulum's class has a __dict__, so CPython traces
# every DateTime). These convert a stored instant, in C: datetime's own arithmetic takes
# the type of its left operand, and pendulum's is Python code.
#: The Unix epoch as a stored instant, and in the plain form.
EPOCH: Final = pendulum.DateTime(1970, 1, 1, tzinfo=pendulum.UTC)
PLAIN_EPOCH: Final = datetime(1970, 1, 1, tzinfo=pendulum.UTC)
#: The Unix epoch in the standard library's UTC (whose offset is asked in C), and on a
#: wall clock: what instants and wall times are counted from in C arithmetic.
UTC_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
NAIVE_EPOCH: Final = datetime(1970, 1, 1)
_minus = datetime.__sub__
_plus = datetime.__add__


def plain(t: datetime) -> datetime:
    """The instant ``t`` (aware) as a standard-library datetime in UTC.

    >>> t = plain(pendulum.datetime(2026, 11, 27, 10, tz="Europe/Paris"))
    >>> type(t).__name__, t.isoformat()
    ('datetime', '2026-11-27T09:00:00+00:00')
    """
    return _plus(PLAIN_EPOCH, _minus(t, EPOCH))


def stored(t: datetime) -> pendulum.DateTime:
    """The instant ``t`` (aware) as a stored instant: a pendulum DateTime in UTC.

    >>> stored(plain(pendulum.datetime(2026, 11, 27, 9))) == pendulum.datetime(2026, 11, 27, 9)
    True
    """
    return _plus(EPOCH, _minus(t, PLAIN_EPOCH))


def as_stored(t: datetime) -> pendulum.DateTime:
    """``t`` if it is a stored instant already, else :func:`stored` of it.

    >>> t = pendulum.datetime(2026, 11, 27, 9)
    >>> as_stored(t) is t, as_stored(plain(t)) == t
    (True, True)
    """
    if type(t) is pendulum.DateTime and t.tzinfo is pendulum.UTC:
        return t
    return stored(t)
