"""The year tables behind the calendar, and the integer boundary (hours.arithmetic)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import given

from premier_policy import Calendar, PolicyError, RuleId, WeeklySchedule
from premier_policy.hours._timetable import (
    TABLES_KEPT,
    Timetable,
    build,
    duration_micros,
    micros,
    timetable,
)
from tests._hours import calendars, us

PARIS = pendulum.timezone("Europe/Paris")
HOUR = timedelta(hours=1)


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


def test_years_one_and_9999_have_tables() -> None:
    """hours.arithmetic: the first and the last year of the range are counted too."""
    fresh = Timetable(Calendar())  # not the shared cache: the range check runs
    assert (fresh.table(1).year, fresh.table(9999).year) == (1, 9999)
    assert fresh.table(9999).total > 0


def test_a_span_lost_in_the_spring_gap_skips_that_day_only() -> None:
    """hours.schedule: Sundays [02:00, 02:30) in Paris: on 2026-03-29 the span never
    opens (the clock jumps from 02:00 to 03:00), yet every later Sunday of the year,
    from 5 April, still has its half hour: 51 of the year's 52 Sundays."""
    table = build(Calendar(week=WeeklySchedule(sun=[("02:00", "02:30")])), 2026)
    assert (len(table.starts), table.total) == (51, 51 * 30 * 60_000_000)
    gap_day = us(pendulum.datetime(2026, 3, 29, 3, tz=PARIS))  # 03:00+02:00, the change
    assert gap_day not in table.starts
    assert us(pendulum.datetime(2026, 4, 5, 2, tz=PARIS)) in table.starts


def test_one_microsecond_before_19_00_plus_one_is_19_00_sharp() -> None:
    """hours.arithmetic: the earliest instant reaching the sum: Friday 2026-11-27
    18:59:59.999999 plus 1 µs is Friday 19:00, not Monday 08:00."""
    friday = pendulum.datetime(2026, 11, 27, 18, 59, 59, 999_999, tz=PARIS)
    found = Calendar().add(friday, timedelta(microseconds=1))
    assert found.isoformat() == "2026-11-27T19:00:00+01:00"


def test_going_back_to_and_across_new_year() -> None:
    """hours.arithmetic: from Friday 2027-01-01 09:00, one hour back is 08:00 that day
    (the year's first open instant, not the end of 2026); two hours back is Thursday
    2026-12-31 18:00, in the year just before."""
    new_year = pendulum.datetime(2027, 1, 1, 9, tz=PARIS)
    assert Calendar().add(new_year, -HOUR).isoformat() == "2027-01-01T08:00:00+01:00"
    assert Calendar().add(new_year, -2 * HOUR).isoformat() == "2026-12-31T18:00:00+01:00"


def test_next_open_inside_the_first_opening_of_a_year_is_itself() -> None:
    """hours.schedule: an open instant is its own next opening, in the year's first
    interval too (Friday 2027-01-01 10:00)."""
    new_year = pendulum.datetime(2027, 1, 1, 10, tz=PARIS)  # a Friday, open
    assert Calendar().is_open(new_year)
    assert Calendar().next_open(new_year) == new_year


def test_next_open_after_the_last_opening_of_a_year_is_next_year() -> None:
    """hours.schedule: after the year's last closing, the next opening is the first of
    the year just after, not of a later one."""
    evening = pendulum.datetime(2026, 12, 31, 20, tz=PARIS)
    assert Calendar().next_open(evening) == pendulum.datetime(2027, 1, 1, 8, tz=PARIS)


def test_a_duration_longer_than_all_time_names_the_year_it_needs() -> None:
    """hours.arithmetic: more business time than 1 to 9999 holds is refused at once,
    naming year 10000 going forward and year 0 going back."""
    t = pendulum.datetime(2026, 11, 27, 10, tz=PARIS)
    for d, year in ((timedelta(days=3_700_000), 10_000), (-timedelta(days=3_700_000), 0)):
        with pytest.raises(PolicyError) as info:
            Calendar().add(t, d)
        assert str(info.value) == (
            "hours.arithmetic: business time is counted from year 1 to 9999; "
            f"this would need year {year}"
        )


@pytest.mark.parametrize("year", [2027, 2028])
def test_new_year_midnight_belongs_to_the_new_year(year: int) -> None:
    """Paris 00:00 on 1 January opens the new year's table, whether the mean-year guess
    lands on that year (2027) or on the one before (2028): open around the clock."""
    calendar = Calendar(week=WeeklySchedule.always())
    midnight = pendulum.datetime(year, 1, 1, tz=PARIS)
    assert timetable(calendar).table_at(us(midnight)).year == year
    assert calendar.is_open(midnight)


def test_ends_of_time_name_the_year_they_would_need() -> None:
    """hours.arithmetic: 0001-01-01 00:00+14:00 is still year 0 in Paris; 9999-12-31
    12:00 UTC plus 11 hours, around the clock, is 10000-01-01 00:00 in Paris."""
    with pytest.raises(PolicyError) as info:
        Calendar().is_open(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))))
    assert str(info.value).endswith("this would need year 0")
    always = Calendar(week=WeeklySchedule.always())
    with pytest.raises(PolicyError) as info:
        always.add(datetime(9999, 12, 31, 12, tzinfo=UTC), 11 * HOUR)
    assert str(info.value) == (
        "hours.arithmetic: business time is counted from year 1 to 9999; this would need year 10000"
    )


def test_the_end_of_the_repeated_hour_is_not_in_the_fold() -> None:
    """On 2026-10-25 Paris reads 02:00-03:00 twice; 01:30 UTC (02:30, second pass) plus
    30 minutes around the clock is 03:00+01:00, read once (fold 0); a minute less is
    02:59+01:00, the second pass (fold 1)."""
    always = Calendar(week=WeeklySchedule.always())
    second_pass = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    after = always.add(second_pass, timedelta(minutes=30))
    assert (after.isoformat(), after.fold) == ("2026-10-25T03:00:00+01:00", 0)
    inside = always.add(second_pass, timedelta(minutes=29))
    assert (inside.isoformat(), inside.fold) == ("2026-10-25T02:59:00+01:00", 1)


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
    wrong: tuple[tuple[object, str], ...] = (
        (pendulum.duration(months=1), "months and years are not exact durations"),
        ("2h", "expected a timedelta, got str"),
    )
    for value, detail in wrong:
        with pytest.raises(PolicyError) as info:
            duration_micros(value, field="d")
        assert str(info.value) == f"d: {detail}"


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
