"""Instants as plain integers (microseconds since 0001-01-01 UTC), the scale every
strategy draws on: integers shrink towards the range's start and compare cheaply."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__: list[str] = []

_EPOCH = datetime(1, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DAY_US = 86_400 * 1_000_000


def _ticks(t: datetime) -> int:
    """``t`` as whole microseconds since 0001-01-01 UTC: instants as plain integers."""
    u = t.astimezone(UTC)
    seconds = (u.toordinal() - 1) * 86_400 + u.hour * 3_600 + u.minute * 60 + u.second
    return seconds * 1_000_000 + u.microsecond


def _from_ticks(ticks: int) -> datetime:
    return _EPOCH + ticks * _MICROSECOND
