"""Public holidays (``hours.holidays``): the dates of the ``holidays`` package, observed
ones included, closed all day; computed once per year, with no I/O; unknown countries
and subdivisions refused naming the field.
"""

from __future__ import annotations

import builtins
from datetime import date, timedelta
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Calendar, Opening, PolicyError, PublicHolidays, RuleId, replay
from premier_policy.hours import _holidays

FRANCE = PublicHolidays("FR")
TWO_HOURS = timedelta(hours=2)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    """A Paris wall-clock instant."""
    return pendulum.datetime(year, month, day, hour, minute, tz="Europe/Paris")


def test_christmas_in_france_moves_the_target_to_monday() -> None:
    """FR: Thursday 2026-12-24 18:30 + 2 business hours is Monday 2026-12-28 09:30."""
    calendar = Calendar(holidays=FRANCE)
    assert calendar.add(paris(2026, 12, 24, 18, 30), TWO_HOURS) == paris(2026, 12, 28, 9, 30)
    assert Calendar().add(paris(2026, 12, 24, 18, 30), TWO_HOURS) == paris(2026, 12, 25, 9, 30)


def test_the_christmas_example_through_a_scenario() -> None:
    """The wire option reaches the response target of an incident opened on Christmas Eve."""
    at = "2026-12-24T18:30:00+01:00"
    outcome = replay(
        {
            "policy": {"holidays": {"country": "FR"}},
            "events": [
                {"at": at, "type": "purchase", "customer": "c", "id": "p", "product": "single"},
                {"at": at, "type": "open", "customer": "c", "id": "i", "area": "setup"},
            ],
        }
    )
    target = outcome["incidents"]["i"]["response_targets"][0]
    assert target["due_at"] == "2026-12-28T09:30:00+01:00"


def test_a_subdivision_adds_its_own_holidays() -> None:
    """Epiphany is a holiday in Bavaria, not in Germany as a whole."""
    epiphany = paris(2027, 1, 6, 10)
    assert not Calendar(holidays=PublicHolidays("DE", "BY")).is_open(epiphany)
    assert Calendar(holidays=PublicHolidays("DE")).is_open(epiphany)


def test_observed_dates_are_closed() -> None:
    """US: 4 July 2026 is a Saturday, so Friday 3 July is observed and closed."""
    us = Calendar(timezone="America/New_York", holidays=PublicHolidays("US"))
    friday = pendulum.datetime(2026, 7, 3, 10, tz="America/New_York")
    assert not us.is_open(friday)
    assert date(2026, 7, 3) in PublicHolidays("US").on(2026)


@given(st.integers(1900, 2100))
def test_every_year_closes_new_year_and_christmas(year: int) -> None:
    """Any year the package covers: the French holidays include 1 January and 25 December,
    and only dates of that year."""
    days = FRANCE.on(year)
    assert {date(year, 1, 1), date(year, 12, 25)} <= days
    assert {day.year for day in days} == {year}
    calendar = Calendar(holidays=FRANCE)
    assert calendar.between(paris(year, 12, 25), paris(year, 12, 26)) == timedelta(0)


def test_years_the_package_does_not_cover_have_none() -> None:
    """The package defines the years (FR: to 2100); past them a calendar just stays open."""
    assert PublicHolidays("FR").on(2101) == frozenset()
    assert Calendar(holidays=FRANCE).is_open(paris(2101, 12, 26, 10))


def test_an_extra_opening_applies_on_a_holiday() -> None:
    """Like a closure, a holiday drops the weekly hours only: an opening still opens it."""
    calendar = Calendar(holidays=FRANCE, openings=[Opening("2026-12-25", ("09:00", "11:00"))])
    assert calendar.between(paris(2026, 12, 25), paris(2026, 12, 26)) == TWO_HOURS


def test_holidays_are_a_value_of_the_calendar() -> None:
    """Equal options give equal calendars; holidays make a different calendar."""
    assert Calendar(holidays=PublicHolidays("FR")) == Calendar(holidays=FRANCE)
    assert Calendar(holidays=FRANCE) != Calendar()
    assert Calendar().holidays is None


def test_a_year_is_computed_once() -> None:
    """The package runs once per country, subdivision and year, whatever the calendars."""
    before = _holidays._dates.cache_info()
    for _ in range(3):
        Calendar(holidays=PublicHolidays("IT")).between(paris(2031, 1, 1), paris(2031, 12, 31))
        PublicHolidays("IT").on(2031)
    after = _holidays._dates.cache_info()
    assert after.misses - before.misses <= 1
    assert after.hits > before.hits


def test_no_file_is_read_to_find_holidays(monkeypatch: pytest.MonkeyPatch) -> None:
    """Computing a new year's holidays opens no file (no translation catalogue)."""
    _holidays._dates.cache_clear()  # computed here, whatever ran before in this process
    opened: list[Any] = []
    real = builtins.open

    def spy(*args: Any, **kwargs: Any) -> Any:
        opened.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    assert date(2044, 12, 26) in PublicHolidays("DE", "BY").on(2044)
    assert date(2045, 12, 25) in PublicHolidays("NL").on(2045)
    assert opened == []


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("XX",), "holidays.country"),
        (("fr",), "holidays.country"),
        ((33,), "holidays.country"),
        (("DE", "ZZ"), "holidays.subdivision"),
        (("DE", 9), "holidays.subdivision"),
        (("IS", "X"), "holidays.subdivision"),
    ],
)
def test_unknown_countries_and_subdivisions_are_refused(args: tuple[Any, ...], field: str) -> None:
    """An unknown country or subdivision is an error naming the field (hours.holidays)."""
    with pytest.raises(PolicyError) as info:
        PublicHolidays(*args)
    assert (info.value.rule, info.value.field) == (RuleId.HOURS_HOLIDAYS, field)


def test_a_calendar_refuses_anything_but_public_holidays() -> None:
    """``Calendar(holidays="FR")`` is an error naming the field: the option is a value."""
    with pytest.raises(PolicyError) as info:
        Calendar(holidays="FR")  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (RuleId.HOURS_HOLIDAYS, "holidays")
