"""The calendar: hours.schedule, hours.closures, hours.arithmetic and input.aware-only.

Property tests compare every operation with the brute-force reference of
``tests/_hours.py`` on calendars in DST-rich zones, at instants biased to DST weekends
and span edges; the laws of the arithmetic are checked on their own; named examples pin
the cases the service promises.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Calendar, Opening, PolicyError, RuleId, WeeklySchedule
from premier_policy.base._instants import zone
from tests._hours import (
    MICROSECOND,
    calendars,
    durations,
    instants,
    plus,
    ref_between,
    ref_is_open,
    ref_next_open,
    us,
)

PARIS = ZoneInfo("Europe/Paris")
CET, CEST = timezone(timedelta(hours=1)), timezone(timedelta(hours=2))
DEFAULT = Calendar()
ALWAYS = Calendar(week=WeeklySchedule.always())
HOUR = timedelta(hours=1)


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, *, fold: int = 0
) -> datetime:
    """A Paris wall-clock instant (zoneinfo)."""
    return datetime(year, month, day, hour, minute, tzinfo=PARIS, fold=fold)


def with_instant(
    calendar: st.SearchStrategy[Calendar],
) -> st.SearchStrategy[tuple[Calendar, datetime]]:
    return calendar.flatmap(lambda c: st.tuples(st.just(c), instants(c)))


# Most properties run on random calendars and on the service's own, weighted to the latter.
ANY_CALENDAR = st.just(DEFAULT) | calendars()


# --- against the reference --------------------------------------------------------------


@given(with_instant(ANY_CALENDAR))
def test_is_open_matches_reference(case: tuple[Calendar, datetime]) -> None:
    """hours.schedule / hours.closures: open exactly inside the reference's intervals."""
    calendar, t = case
    assert calendar.is_open(t) is ref_is_open(calendar, t)


@given(with_instant(ANY_CALENDAR), st.integers(-10 * 86_400_000_000, 10 * 86_400_000_000))
def test_between_matches_reference(case: tuple[Calendar, datetime], span_us: int) -> None:
    """hours.arithmetic: between(a, b) is the exact business time in [a, b), signed."""
    calendar, a = case
    b = plus(a, span_us * MICROSECOND)
    found = calendar.between(a, b)
    assert isinstance(found, pendulum.Duration)
    assert found == ref_between(calendar, a, b)


@given(ANY_CALENDAR.flatmap(lambda c: st.tuples(st.just(c), instants(c), durations(c))))
def test_add_is_the_earliest_instant_reaching_d(case: tuple[Calendar, datetime, timedelta]) -> None:
    """hours.arithmetic: add(t, d) is the earliest r >= t with d of business time in [t, r)."""
    calendar, t, d = case
    r = calendar.add(t, d)
    assert us(r) >= us(t)
    assert ref_between(calendar, t, r) == d
    if d:
        assert ref_between(calendar, t, plus(r, -MICROSECOND)) < d
    else:
        assert us(r) == us(t)


@given(ANY_CALENDAR.flatmap(lambda c: st.tuples(st.just(c), instants(c), durations(c))))
def test_subtract_is_the_latest_instant_reaching_d(
    case: tuple[Calendar, datetime, timedelta],
) -> None:
    """hours.arithmetic: add(t, -d) is the latest r <= t with d of business time in [r, t)."""
    calendar, t, d = case
    r = calendar.add(t, -d)
    assert us(r) <= us(t)
    assert ref_between(calendar, r, t) == d
    if d:
        assert ref_between(calendar, plus(r, MICROSECOND), t) < d


@given(with_instant(ANY_CALENDAR))
def test_next_open_matches_reference(case: tuple[Calendar, datetime]) -> None:
    """hours.schedule: next_open(t) is t when open, else the next opening."""
    calendar, t = case
    found = calendar.next_open(t)
    assert us(found) == us(ref_next_open(calendar, t))


# --- laws ---------------------------------------------------------------------------------


@given(
    ANY_CALENDAR.flatmap(lambda c: st.tuples(st.just(c), instants(c), durations(c), durations(c)))
)
def test_add_composes(case: tuple[Calendar, datetime, timedelta, timedelta]) -> None:
    """hours.arithmetic: add(add(t, a), b) == add(t, a + b) for a, b >= 0."""
    calendar, t, a, b = case
    assert us(calendar.add(calendar.add(t, a), b)) == us(calendar.add(t, a + b))


@given(
    ANY_CALENDAR.flatmap(lambda c: st.tuples(st.just(c), instants(c), durations(c))),
    st.sampled_from([1, -1]),
)
def test_between_undoes_add(case: tuple[Calendar, datetime, timedelta], sign: int) -> None:
    """hours.arithmetic: between(t, add(t, d)) == d, whatever the sign of d."""
    calendar, t, d = case
    assert calendar.between(t, calendar.add(t, sign * d)) == sign * d


@given(with_instant(ANY_CALENDAR), st.integers(0, 20 * 86_400_000_000))
def test_between_is_antisymmetric_and_additive(case: tuple[Calendar, datetime], step: int) -> None:
    """between(a, b) == -between(b, a), and between(a, c) == between(a, b) + between(b, c)."""
    calendar, a = case
    b, c = plus(a, step * MICROSECOND), plus(a, 2 * step * MICROSECOND)
    assert calendar.between(a, b) == -calendar.between(b, a)
    assert calendar.between(a, c) == calendar.between(a, b) + calendar.between(b, c)


@given(with_instant(ANY_CALENDAR), st.lists(st.floats(0, 1, exclude_max=True), max_size=5))
def test_next_open_is_open_and_first(case: tuple[Calendar, datetime], probes: list[float]) -> None:
    """next_open(t) is open, and nothing in [t, next_open(t)) is."""
    calendar, t = case
    found = calendar.next_open(t)
    assert calendar.is_open(found)
    assert calendar.between(t, found) == timedelta(0)
    gap = us(found) - us(t)
    for share in probes if gap else []:
        assert not calendar.is_open(plus(t, int(gap * share) * MICROSECOND))


# --- named examples: hours.schedule --------------------------------------------------------


def test_half_open_day() -> None:
    """hours.schedule: 08:00 sharp is open, 19:00 sharp is closed, a microsecond before each flips."""
    friday = date(2026, 11, 27)
    assert DEFAULT.is_open(paris(2026, 11, 27, 8))
    assert not DEFAULT.is_open(paris(2026, 11, 27, 8) - MICROSECOND)
    assert DEFAULT.is_open(paris(2026, 11, 27, 19) - MICROSECOND)
    assert not DEFAULT.is_open(paris(2026, 11, 27, 19))
    assert not DEFAULT.is_open(paris(2026, 11, 28, 12))  # Saturday
    assert friday.weekday() == 4


def test_summer_hours_follow_paris_wall_clock() -> None:
    """hours.schedule: in summer, 08:00 Paris is 06:00 UTC (not 07:00, the winter offset)."""
    assert DEFAULT.is_open(datetime(2026, 7, 1, 6, tzinfo=UTC))
    assert not DEFAULT.is_open(datetime(2026, 7, 1, 6, tzinfo=UTC) - MICROSECOND)
    assert not DEFAULT.is_open(datetime(2026, 7, 1, 17, tzinfo=UTC))


def test_friday_evening_plus_two_hours_is_monday_morning() -> None:
    """hours.arithmetic: Friday 18:30 + 2 h = Monday 09:30."""
    due = DEFAULT.add(paris(2026, 11, 27, 18, 30), 2 * HOUR)
    assert due.isoformat() == "2026-11-30T09:30:00+01:00"


def test_across_the_spring_change() -> None:
    """hours.arithmetic: Friday 2026-03-27 18:00 + 2 h = Monday 09:00, now in summer time."""
    due = DEFAULT.add(datetime(2026, 3, 27, 18, tzinfo=CET), 2 * HOUR)
    assert due.isoformat() == "2026-03-30T09:00:00+02:00"
    assert DEFAULT.between(datetime(2026, 3, 27, 18, tzinfo=CET), due) == 2 * HOUR


def test_the_count_ends_at_closing_time_not_the_next_opening() -> None:
    """hours.arithmetic: Friday 17:00 + 2 h is Friday 19:00, the earliest such instant."""
    assert DEFAULT.add(paris(2026, 11, 27, 17), 2 * HOUR).isoformat() == "2026-11-27T19:00:00+01:00"


def test_adding_nothing_stays_put_even_when_closed() -> None:
    """hours.arithmetic: add(t, 0) is t itself, in the calendar zone."""
    saturday = datetime(2026, 11, 28, 11, tzinfo=UTC)
    assert us(DEFAULT.add(saturday, timedelta(0))) == us(saturday)


def test_a_closed_start_counts_from_the_next_opening() -> None:
    """hours.arithmetic: from Saturday noon, 2 h later is Monday 10:00."""
    assert DEFAULT.add(paris(2026, 11, 28, 12), 2 * HOUR).isoformat() == "2026-11-30T10:00:00+01:00"


def test_going_backwards() -> None:
    """hours.arithmetic: Monday 09:00 - 2 h is Friday 18:00; Monday 08:00 - 0 is itself."""
    assert DEFAULT.add(paris(2026, 11, 30, 9), -2 * HOUR).isoformat() == "2026-11-27T18:00:00+01:00"
    # The latest instant with 11 h ahead of it before Tuesday 08:00 is Monday 08:00.
    found = DEFAULT.add(paris(2026, 12, 1, 8), -11 * HOUR)
    assert found.isoformat() == "2026-11-30T08:00:00+01:00"


def test_always_open_follows_exact_time_over_dst() -> None:
    """hours.arithmetic: 24/7 hours give 23 h on 2026-03-29 and 25 h on 2026-10-25 in Paris."""
    spring = ALWAYS.between(paris(2026, 3, 29), paris(2026, 3, 30))
    autumn = ALWAYS.between(paris(2026, 10, 25), paris(2026, 10, 26))
    assert (spring, autumn) == (23 * HOUR, 25 * HOUR)
    assert ALWAYS.add(paris(2026, 3, 29), 23 * HOUR).isoformat() == "2026-03-30T00:00:00+02:00"


def test_a_week_of_business_hours() -> None:
    """hours.schedule: a week holds 55 business hours, summer or winter."""
    assert DEFAULT.between(paris(2026, 3, 23), paris(2026, 3, 30)) == 55 * HOUR
    assert DEFAULT.between(paris(2026, 10, 19), paris(2026, 10, 26)) == 55 * HOUR


def test_leap_day() -> None:
    """hours.schedule: 2028-02-29 is a Tuesday like any other; 24/7 February 2028 has 29 days."""
    due = DEFAULT.add(paris(2028, 2, 28, 18), 2 * HOUR)
    assert due.isoformat() == "2028-02-29T09:00:00+01:00"
    assert DEFAULT.between(paris(2028, 2, 28), paris(2028, 3, 1)) == 22 * HOUR
    assert ALWAYS.between(paris(2028, 2, 1), paris(2028, 3, 1)) == 29 * 24 * HOUR


def test_new_year_inside_one_call() -> None:
    """hours.arithmetic: counting runs across the year's end without a seam."""
    due = DEFAULT.add(paris(2026, 12, 31, 18), 3 * HOUR)
    assert due.isoformat() == "2027-01-01T10:00:00+01:00"
    assert DEFAULT.between(paris(2026, 12, 31, 18), due) == 3 * HOUR


def test_ten_years() -> None:
    """hours.arithmetic: 2026-2035 has 2,608 working days of 11 h (a 24/7 decade, its days)."""
    first, last = paris(2026, 1, 1), paris(2036, 1, 1)
    weekdays = sum(
        (date(2026, 1, 1) + timedelta(days=k)).weekday() < 5
        for k in range((date(2036, 1, 1) - date(2026, 1, 1)).days)
    )
    assert DEFAULT.between(first, last) == weekdays * 11 * HOUR
    assert ALWAYS.between(first, last) == (date(2036, 1, 1) - date(2026, 1, 1)).days * 24 * HOUR
    assert us(DEFAULT.add(first, weekdays * 11 * HOUR)) == us(paris(2035, 12, 31, 19))


# --- DST edges (the table in docs/business-hours.md) ------------------------------------------


def sunday_calendar(*span: str) -> Calendar:
    return Calendar(week=WeeklySchedule(sun=[span]))


def test_an_edge_in_the_spring_gap_is_the_change_itself() -> None:
    """hours.schedule: 02:30 on 2026-03-29 does not exist; a span starting then opens at 03:00+02:00."""
    calendar = sunday_calendar("02:30", "04:00")
    assert calendar.next_open(paris(2026, 3, 29)).isoformat() == "2026-03-29T03:00:00+02:00"
    assert calendar.between(paris(2026, 3, 29), paris(2026, 3, 30)) == HOUR
    ends_in_gap = sunday_calendar("00:00", "02:30")
    assert ends_in_gap.between(paris(2026, 3, 29), paris(2026, 3, 30)) == 2 * HOUR


def test_a_span_inside_the_gap_is_empty() -> None:
    """hours.schedule: [02:00, 02:30) on 2026-03-29 never opens; the next Sunday it does."""
    calendar = sunday_calendar("02:00", "02:30")
    assert calendar.between(paris(2026, 3, 29), paris(2026, 3, 30)) == timedelta(0)
    assert calendar.next_open(paris(2026, 3, 29)).isoformat() == "2026-04-05T02:00:00+02:00"


def test_an_edge_in_the_autumn_fold_is_its_first_pass() -> None:
    """hours.schedule: 02:30 on 2026-10-25 happens twice; spans use the first (+02:00)."""
    starts = sunday_calendar("02:30", "04:00")
    assert starts.next_open(paris(2026, 10, 25)).isoformat() == "2026-10-25T02:30:00+02:00"
    assert starts.between(paris(2026, 10, 25), paris(2026, 10, 26)) == 2.5 * HOUR
    ends = sunday_calendar("01:00", "02:30")
    assert ends.between(paris(2026, 10, 25), paris(2026, 10, 26)) == 1.5 * HOUR
    # The second pass through 02:15 (+01:00) is after the span's end, so closed.
    assert ends.is_open(paris(2026, 10, 25, 2, 15))
    assert not ends.is_open(paris(2026, 10, 25, 2, 15, fold=1))


def test_results_in_the_fold_keep_their_offset() -> None:
    """A result in the repeated hour carries fold=1 and the winter offset when it is the second pass."""
    found = ALWAYS.add(paris(2026, 10, 25, 2, 30), HOUR)
    assert found.isoformat() == "2026-10-25T02:30:00+01:00"
    assert found.fold == 1
    assert us(found) - us(paris(2026, 10, 25, 2, 30)) == 3_600_000_000


# --- hours.closures ---------------------------------------------------------------------------


def test_a_closed_monday_moves_the_due_time_to_tuesday() -> None:
    """hours.closures: Friday 18:30 + 2 h with Monday closed is Tuesday 09:30."""
    calendar = Calendar(closures=[date(2026, 11, 30)])
    assert (
        calendar.add(paris(2026, 11, 27, 18, 30), 2 * HOUR).isoformat()
        == "2026-12-01T09:30:00+01:00"
    )
    assert not calendar.is_open(paris(2026, 11, 30, 10))


def test_an_extra_saturday_opening() -> None:
    """hours.closures: Friday 18:30 + 2 h with Saturday 10:00-12:00 open is Saturday 11:30."""
    calendar = Calendar(openings=[Opening(date(2026, 11, 28), ("10:00", "12:00"))])
    assert (
        calendar.add(paris(2026, 11, 27, 18, 30), 2 * HOUR).isoformat()
        == "2026-11-28T11:30:00+01:00"
    )
    assert calendar.is_open(paris(2026, 11, 28, 10))


def test_a_closed_date_with_shorter_hours() -> None:
    """hours.closures: closing a date and opening part of it gives that date shorter hours."""
    eve = date(2026, 12, 24)
    calendar = Calendar(closures=[eve], openings=[Opening(eve, ("08:00", "12:00"))])
    assert calendar.between(paris(2026, 12, 24), paris(2026, 12, 25)) == 4 * HOUR


def test_an_opening_overlapping_the_week_adds_only_new_time() -> None:
    """hours.closures: an opening from 07:00 to 09:00 on a weekday adds one hour, not two."""
    calendar = Calendar(openings=[Opening(date(2026, 11, 27), ("07:00", "09:00"))])
    assert calendar.between(paris(2026, 11, 27), paris(2026, 11, 28)) == 12 * HOUR


def test_closures_are_normalised() -> None:
    """hours.closures: any iterable of dates or ISO strings becomes one frozenset."""
    calendar = Calendar(closures=["2026-12-25", date(2026, 12, 25), date(2027, 1, 1)])
    assert calendar.closures == frozenset({date(2026, 12, 25), date(2027, 1, 1)})
    assert calendar == Calendar(closures=(date(2027, 1, 1), date(2026, 12, 25)))


@pytest.mark.parametrize(
    "closures",
    [[datetime(2026, 12, 25, tzinfo=UTC)], ["25/12/2026"], ["2026-02-30"], "2026-12-25", 20261225],
)
def test_bad_closures_are_refused(closures: object) -> None:
    """hours.closures: datetimes, bad dates and non-collections are refused, naming the field."""
    with pytest.raises(PolicyError) as info:
        Calendar(closures=closures)  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (RuleId.HOURS_CLOSURES, "closures")
    if not isinstance(closures, list):
        assert info.value.detail == f"expected a collection of dates, got {closures!r}"


def test_bad_openings_are_refused() -> None:
    """hours.closures: openings must be Opening values that do not overlap on a date."""
    day = date(2026, 11, 28)
    for bad in (
        [(day, ("10:00", "12:00"))],
        [Opening(day, ("10:00", "12:00")), Opening(day, ("11:00", "13:00"))],
        Opening(day, ("10:00", "12:00")),
    ):
        with pytest.raises(PolicyError) as info:
            Calendar(openings=bad)  # type: ignore[arg-type]
        assert (info.value.rule, info.value.field) == (RuleId.HOURS_CLOSURES, "openings")


# --- construction --------------------------------------------------------------------------------


def test_the_default_calendar_is_the_service() -> None:
    """hours.schedule / hours.closures: Paris, Monday-Friday 08:00-19:00, nothing closed."""
    assert DEFAULT.timezone == "Europe/Paris"
    assert DEFAULT.week == WeeklySchedule.default()
    assert (DEFAULT.closures, DEFAULT.openings) == (frozenset(), ())
    assert DEFAULT.tz is zone("Europe/Paris")


def test_a_calendar_is_a_hashable_value() -> None:
    """Equal calendars are equal and hash alike; evolve gives a checked copy."""
    closed = attrs.evolve(DEFAULT, closures=["2026-12-25"])
    assert closed == Calendar(closures=[date(2026, 12, 25)])
    assert hash(closed) == hash(Calendar(closures=[date(2026, 12, 25)]))
    assert closed != DEFAULT
    with pytest.raises(PolicyError):
        attrs.evolve(DEFAULT, closures=["Christmas"])


def test_bad_calendars_are_refused() -> None:
    """An unknown zone, a week that never opens or is not a schedule: errors naming the field."""
    with pytest.raises(PolicyError) as info:
        Calendar(timezone="Mars/Olympus")
    assert info.value.field == "timezone"
    for week in (WeeklySchedule(), {"mon": [("08:00", "19:00")]}):
        with pytest.raises(PolicyError) as info:
            Calendar(week=week)  # type: ignore[arg-type]
        assert (info.value.rule, info.value.field) == (RuleId.HOURS_SCHEDULE, "week")


# --- inputs and outputs (input.aware-only) --------------------------------------------------


@pytest.mark.parametrize(
    "t",
    [
        datetime(2026, 11, 27, 17, 30, tzinfo=UTC),
        datetime(2026, 11, 27, 18, 30, tzinfo=CET),
        datetime(2026, 11, 27, 18, 30, tzinfo=PARIS),
        pendulum.datetime(2026, 11, 27, 12, 30, tz="America/New_York"),
        pendulum.datetime(2026, 11, 27, 18, 30, tz="Europe/Paris"),
    ],
)
def test_any_aware_input_gives_a_pendulum_result_in_the_zone(t: datetime) -> None:
    """input.aware-only: stdlib and pendulum instants in any zone; pendulum results in Paris."""
    due = DEFAULT.add(t, timedelta(hours=2))
    assert type(due) is pendulum.DateTime
    assert due.tzinfo is DEFAULT.tz
    assert due.isoformat() == "2026-11-30T09:30:00+01:00"
    assert DEFAULT.add(t, pendulum.duration(hours=2)) == due
    nxt = DEFAULT.next_open(t)
    assert (type(nxt), nxt.tzinfo) == (pendulum.DateTime, DEFAULT.tz)


def test_naive_instants_are_refused_by_every_operation() -> None:
    """input.aware-only: a naive datetime is refused, naming the argument."""
    naive, aware = datetime(2026, 11, 27, 10), datetime(2026, 11, 27, 10, tzinfo=UTC)
    calls: dict[str, list[Callable[[], object]]] = {
        "t": [
            lambda: DEFAULT.is_open(naive),
            lambda: DEFAULT.next_open(naive),
            lambda: DEFAULT.add(naive, HOUR),
        ],
        "a": [lambda: DEFAULT.between(naive, aware)],
        "b": [lambda: DEFAULT.between(aware, naive)],
    }
    for field, refused in calls.items():
        for call in refused:
            with pytest.raises(PolicyError) as info:
                call()
            assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, field)
    with pytest.raises(PolicyError) as info:
        DEFAULT.is_open(date(2026, 11, 27))  # type: ignore[arg-type]
    assert info.value.rule is RuleId.INPUT_AWARE_ONLY
    with pytest.raises(PolicyError) as info:
        DEFAULT.add(naive, HOUR)
    assert str(info.value) == (
        "input.aware-only: t: naive datetime 2026-11-27T10:00:00; give it a UTC offset or a zone"
    )


def test_durations_must_be_exact() -> None:
    """hours.arithmetic: months are not a length of time; numbers are not durations."""
    t = paris(2026, 11, 27, 10)
    for bad in (pendulum.duration(months=1), 120):
        with pytest.raises(PolicyError) as info:
            DEFAULT.add(t, bad)  # type: ignore[arg-type]
        assert info.value.field == "d"
    assert DEFAULT.add(t, -pendulum.duration(hours=1)).isoformat() == "2026-11-27T09:00:00+01:00"


def test_results_beyond_the_calendar_years_are_errors() -> None:
    """hours.arithmetic: results past year 9999 or before year 1 are refused, never a crash."""
    late = datetime(9999, 12, 31, 12, tzinfo=UTC)
    early = datetime(1, 1, 2, 12, tzinfo=UTC)
    calls: list[Callable[[], object]] = [
        lambda: DEFAULT.add(late, 24 * HOUR),
        lambda: ALWAYS.add(late, 11 * HOUR),  # lands on 10000-01-01 00:00 Paris
        lambda: DEFAULT.add(early, -24 * HOUR),
        lambda: DEFAULT.add(late, timedelta.max),
        lambda: DEFAULT.add(early, timedelta.min),
        lambda: DEFAULT.next_open(datetime(9999, 12, 31, 20, tzinfo=UTC)),
    ]
    for call in calls:
        with pytest.raises(PolicyError) as info:
            call()
        assert info.value.rule is RuleId.HOURS_ARITHMETIC
    assert (
        ALWAYS.add(late, 11 * HOUR - MICROSECOND).isoformat() == "9999-12-31T23:59:59.999999+01:00"
    )
    assert DEFAULT.add(early, 11 * HOUR).year == 1


def test_holidays_that_are_not_public_holidays_are_named_by_type() -> None:
    """A country code given where PublicHolidays belongs: hours.holidays, and its type."""
    with pytest.raises(PolicyError) as info:
        Calendar(holidays="FR")  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field, info.value.detail) == (
        RuleId.HOURS_HOLIDAYS,
        "holidays",
        "expected PublicHolidays or None, got str",
    )
