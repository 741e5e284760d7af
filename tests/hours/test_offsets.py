"""A zone's offsets around a year, and the edge rule for wall-clock times (hours.schedule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from premier_policy.hours._offsets import (
    DAY_US,
    EPOCH_ORDINAL,
    MINUTE_US,
    SECOND_US,
    local_micros,
    offsets,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
HOUR_US = 3600 * SECOND_US

# Zone-years with the most irregular clocks: two changes four days apart (Freetown
# 1939), a change and its undoing a week apart (Gaza 2040), a skipped day (Apia 2011),
# half-hour DST (Lord Howe), negative DST (Dublin), Ramadan suspensions (Casablanca),
# midnight changes (Sao Paulo 2018, Santiago), odd early offsets (Moscow 1919), and
# the ends of the range.
ZONE_YEARS = [
    ("Africa/Freetown", 1939),
    ("Asia/Gaza", 2040),
    ("Pacific/Apia", 2011),
    ("Australia/Lord_Howe", 2026),
    ("Europe/Dublin", 2026),
    ("Africa/Casablanca", 2026),
    ("America/Sao_Paulo", 2018),
    ("America/Santiago", 2026),
    ("Europe/Moscow", 1919),
    ("Europe/Paris", 1),
    ("Europe/Paris", 9999),
    ("America/New_York", 9999),
]


def zoneinfo_offset(zone: ZoneInfo, second: int) -> int | None:
    """The offset (µs) that zoneinfo gives at a UTC second, None where datetime cannot go."""
    try:
        offset = (EPOCH + timedelta(seconds=second)).astimezone(zone).utcoffset()
    except OverflowError:
        return None
    assert offset is not None
    return offset // timedelta(microseconds=1)


@pytest.mark.parametrize(("name", "year"), ZONE_YEARS)
def test_offsets_agree_with_zoneinfo_hour_by_hour(name: str, year: int) -> None:
    """Every hour of the window has zoneinfo's offset, and each change is at its exact second."""
    zone, found = ZoneInfo(name), offsets(name, year)
    first = (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * 86_400 - 2 * 86_400
    for second in range(first, first + 369 * 86_400, 3600):
        expected = zoneinfo_offset(zone, second)
        if expected is not None:
            assert found.at(second * SECOND_US)[0] == expected, datetime.fromtimestamp(second, UTC)
    for change in found.starts[1:]:
        second = change // SECOND_US
        assert zoneinfo_offset(zone, second) != zoneinfo_offset(zone, second - 1)
    assert list(found.starts) == sorted(set(found.starts))


def test_paris_2026() -> None:
    """Paris changes at 01:00 UTC on the last Sundays of March and October."""
    paris = offsets("Europe/Paris", 2026)
    assert paris.values == (HOUR_US, 2 * HOUR_US, HOUR_US)
    assert [datetime.fromtimestamp(s // SECOND_US, UTC) for s in paris.starts[1:]] == [
        datetime(2026, 3, 29, 1, tzinfo=UTC),
        datetime(2026, 10, 25, 1, tzinfo=UTC),
    ]


def utc_us(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return (datetime(year, month, day, hour, minute, tzinfo=UTC) - EPOCH) // timedelta(
        microseconds=1
    )


def test_the_edge_rule() -> None:
    """hours.schedule: a skipped time maps to the change, a repeated one to its first pass."""
    paris = offsets("Europe/Paris", 2026)
    spring, autumn = date(2026, 3, 29).toordinal(), date(2026, 10, 25).toordinal()
    wall = [
        local_micros(spring, 90),  # 01:30, before the gap
        local_micros(spring, 120),  # 02:00, the gap's first minute
        local_micros(spring, 150),  # 02:30, inside it
        local_micros(spring, 180),  # 03:00, after it
        local_micros(autumn, 150),  # 02:30, repeated
        local_micros(autumn, 180),  # 03:00, after the repeat
    ]
    assert paris.edges(wall) == [
        utc_us(2026, 3, 29, 0, 30),
        utc_us(2026, 3, 29, 1),
        utc_us(2026, 3, 29, 1),
        utc_us(2026, 3, 29, 1),
        utc_us(2026, 10, 25, 0, 30),
        utc_us(2026, 10, 25, 2),
    ]


def test_fold_marks_the_second_pass() -> None:
    """at() gives fold=1 only during the repeated hour's second pass."""
    paris = offsets("Europe/Paris", 2026)
    assert paris.at(utc_us(2026, 10, 25, 0, 30)) == (2 * HOUR_US, 0)
    assert paris.at(utc_us(2026, 10, 25, 1)) == (HOUR_US, 1)
    assert paris.at(utc_us(2026, 10, 25, 1, 59)) == (HOUR_US, 1)
    assert paris.at(utc_us(2026, 10, 25, 2)) == (HOUR_US, 0)
    assert paris.at(utc_us(2026, 3, 29, 1)) == (2 * HOUR_US, 0)


def test_local_micros() -> None:
    """Local µs count wall-clock days and minutes from 1970-01-01 00:00."""
    assert local_micros(EPOCH_ORDINAL, 0) == 0
    assert local_micros(EPOCH_ORDINAL - 1, 1440) == 0
    assert local_micros(EPOCH_ORDINAL + 2, 61) == 2 * DAY_US + 61 * MINUTE_US
