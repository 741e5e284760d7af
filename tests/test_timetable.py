"""The year tables behind the calendar, and the integer boundary (hours.arithmetic)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import given

from premier_policy import Calendar, PolicyError, RuleId
from premier_policy._timetable import (
    TABLES_KEPT,
    Timetable,
    build,
    duration_micros,
    micros,
    timetable,
)
from tests._hours import calendars, us

PARIS = pendulum.timezone("Europe/Paris")


@given(calendars())
def test_tables_are_flat_sorted_and_tile_the_years(calendar: Calendar) -> None:
    """Intervals are non-empty, apart, inside their year; cum sums them; years meet exactly."""
    before, after = build(calendar, 2026), build(calendar, 2027)
    assert before.hi == after.lo
    for table in (before, after):
        bounds = [table.lo]
        for start, end in zip(table.starts, table.ends, strict=True):
            assert bounds[-1] <= start < end
            bounds.append(end)
        assert bounds[-1] <= table.hi
        assert all(end < start for end, start in zip(table.ends, table.starts[1:], strict=False))
        gaps = [end - start for start, end in zip(table.starts, table.ends, strict=True)]
        assert list(table.cum) == [sum(gaps[:i]) for i in range(len(gaps) + 1)]
        assert table.total == sum(gaps)


def test_the_default_year() -> None:
    """2026 in Paris: 261 working days of 11 hours, from 1 January 00:00 CET."""
    table = build(Calendar(), 2026)
    assert (len(table.starts), table.total) == (261, 261 * 11 * 3_600_000_000)
    assert table.lo == us(datetime(2025, 12, 31, 23, tzinfo=UTC))


def test_tables_are_kept_within_bounds() -> None:
    """Only the most recent tables stay; totals outlive them; a rebuilt table is equal."""
    timetable = Timetable(Calendar())
    first = timetable.table(2000)
    for year in range(2001, 2001 + TABLES_KEPT):
        timetable.table(year)
    assert timetable.total(2000) == first.total
    again = timetable.table(2000)
    assert again == first
    assert again is not first
    assert timetable.table(2000) is again


@pytest.mark.parametrize("year", [0, 10_000])
def test_years_outside_the_range_are_refused(year: int) -> None:
    """hours.arithmetic: tables exist for years 1 to 9999 only."""
    with pytest.raises(PolicyError) as info:
        Timetable(Calendar()).table(year)
    assert info.value.rule is RuleId.HOURS_ARITHMETIC


def test_instants_near_new_year_find_their_local_year() -> None:
    """An instant whose UTC and local years differ belongs to its local year's table."""
    paris_new_year = us(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))  # 00:30 in Paris
    assert timetable(Calendar()).table_at(paris_new_year).year == 2027
    new_york_eve = us(datetime(2027, 1, 1, 2, tzinfo=UTC))  # 21:00 the day before
    assert timetable(Calendar(timezone="America/New_York")).table_at(new_york_eve).year == 2026


def test_a_closed_year_is_skipped() -> None:
    """hours.closures: with all of 2027 closed, Thursday 2026-12-31 18:00 + 2 h is Monday 2028-01-03 09:00."""
    whole_year = [date(2027, 1, 1) + timedelta(days=k) for k in range(365)]
    calendar = Calendar(closures=whole_year)
    assert build(calendar, 2027).total == 0
    start = pendulum.datetime(2026, 12, 31, 18, tz=PARIS)
    due = calendar.add(start, timedelta(hours=2))
    assert due.isoformat() == "2028-01-03T09:00:00+01:00"
    assert calendar.next_open(start.add(hours=1)).isoformat() == "2028-01-03T08:00:00+01:00"
    assert calendar.between(start, due) == timedelta(hours=2)
    assert calendar.add(due, -timedelta(hours=2)).isoformat() == "2026-12-31T18:00:00+01:00"
    assert not calendar.is_open(pendulum.datetime(2027, 6, 1, 10, tz=PARIS))


def test_micros_is_exact_over_the_whole_range() -> None:
    """Aware datetimes become exact µs, where a float timestamp would round."""
    last = datetime(9999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
    assert micros(last, field="t") == us(last)
    assert micros(last, field="t") != round(last.timestamp() * 1e6)
    shifted = datetime(9999, 12, 31, 18, 59, 59, 999_999, tzinfo=timezone(-timedelta(hours=5)))
    assert micros(shifted, field="t") == us(last)
    assert micros(pendulum.datetime(1970, 1, 1, 1, tz=PARIS), field="t") == 0
    for bad in (datetime(2026, 1, 1), "2026-01-01T00:00:00Z", date(2026, 1, 1)):
        with pytest.raises(PolicyError) as info:
            micros(bad, field="when")
        assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "when")


def test_duration_micros_keeps_the_sign() -> None:
    """Durations become exact µs, negative pendulum ones included; months are refused."""
    assert duration_micros(timedelta(hours=-1, microseconds=1), field="d") == -3_599_999_999
    assert duration_micros(-pendulum.duration(days=1, hours=1), field="d") == -90_000_000_000
    assert duration_micros(pendulum.duration(weeks=1), field="d") == 7 * 86_400_000_000
    for bad in (pendulum.duration(years=1), -pendulum.duration(months=1), 60, None):
        with pytest.raises(PolicyError) as info:
            duration_micros(bad, field="d")
        assert info.value.field == "d"


def test_timetables_are_shared_by_equal_calendars() -> None:
    """The functools cache hands equal calendars the same timetable, and each keeps it."""
    assert Calendar()._timetable is timetable(Calendar())
    assert timetable(Calendar(closures=["2026-12-25"])) is timetable(
        Calendar(closures=[date(2026, 12, 25)])
    )


def test_instants_at_the_ends_of_time() -> None:
    """Instants whose UTC year is 0 or 10,000 still find their local year, or are refused."""
    new_york = Calendar(timezone="America/New_York")
    last_evening = datetime(9999, 12, 31, 23, tzinfo=timezone(-timedelta(hours=5)))  # Friday
    assert not new_york.is_open(last_evening)
    assert new_york.between(last_evening.replace(hour=8), last_evening) == timedelta(hours=11)
    for beyond in (
        datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),  # year 0 in UTC and Paris
        datetime(9999, 12, 31, 23, 59, tzinfo=timezone(-timedelta(hours=23, minutes=59))),
    ):
        with pytest.raises(PolicyError) as info:
            Calendar().is_open(beyond)
        assert info.value.rule is RuleId.HOURS_ARITHMETIC
