"""Explained deadlines (hours.arithmetic, hours.schedule, hours.closures): the laws of
``Calendar.explain_add`` on random calendars in DST-rich zones, and named examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Calendar, Deadline, PolicyError, RuleId, WeeklySchedule
from tests._hours import calendars, durations, instants, ref_is_open, us

DEFAULT = Calendar()
ANY_CALENDAR = st.just(DEFAULT) | calendars()
ZERO = timedelta(0)
MICRO = timedelta(microseconds=1)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    """A Paris wall-clock instant."""
    return pendulum.datetime(year, month, day, hour, minute, tz="Europe/Paris")


Problem = tuple[Calendar, datetime, timedelta, Deadline]


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    calendar = draw(ANY_CALENDAR)
    t = draw(instants(calendar))
    d = draw(durations(calendar))
    return calendar, t, d, calendar.explain_add(t, d)


@given(problems())
def test_due_is_add_and_spans_sum_to_the_duration(problem: Problem) -> None:
    """hours.arithmetic: due == add(t, d), and the counted spans add up to d exactly."""
    calendar, t, d, found = problem
    assert us(found.due_at) == us(calendar.add(t, d))
    assert us(found.start) == us(t)
    assert found.duration == d
    assert sum((span.length for span in found.spans), ZERO) == d


@given(problems())
def test_spans_lie_in_order_inside_start_and_due_and_are_open(problem: Problem) -> None:
    """Each span lies in [t, due], after the one before (never touching it), and is open
    all through: its business time is its elapsed time, its edges open and closed."""
    calendar, t, _, found = problem
    last = us(t)
    for span in found.spans:
        a, b = us(span.start), us(span.end)
        assert last <= a < b <= us(found.due_at)
        assert span.length == timedelta(microseconds=b - a)
        assert calendar.between(span.start, span.end) == span.length
        assert ref_is_open(calendar, span.start)
        assert ref_is_open(calendar, span.end - MICRO)
        last = b + 1  # touching spans would have been joined


@given(problems())
def test_skipped_stretches_tile_the_closed_time_between(problem: Problem) -> None:
    """Spans and closed stretches tile [t, due] with no hole; closed ones count nothing,
    and say closed_date exactly on a closure; clock gaps are instants of a jump forward."""
    calendar, t, _, found = problem
    pieces = sorted(
        [(us(s.start), us(s.end), "open") for s in found.spans]
        + [(us(s.start), us(s.end), s.why) for s in found.skipped if s.why != "clock_gap"]
    )
    cursor = us(t)
    for a, b, _ in pieces:
        assert a == cursor
        assert a < b
        cursor = b
    assert cursor == us(found.due_at)
    for stretch in found.skipped:
        if stretch.why == "clock_gap":
            assert stretch.start == stretch.end
            assert stretch.wall_minutes > 0
            assert us(t) <= us(stretch.start) <= us(found.due_at)
            before = datetime.astimezone(stretch.start - MICRO, UTC).astimezone(calendar.tz)
            assert (stretch.start.utcoffset() or ZERO) > (before.utcoffset() or ZERO)
            continue
        assert calendar.between(stretch.start, stretch.end) == ZERO
        assert (stretch.start.date() in calendar.closures) == (stretch.why == "closed_date")
        assert stretch.rule is (
            RuleId.HOURS_CLOSURES if stretch.why == "closed_date" else RuleId.HOURS_SCHEDULE
        )


def test_friday_evening_counts_half_an_hour_then_monday_morning() -> None:
    """The issue's example: Friday 18:30 Paris + 120 min is 18:30-19:00 (30) then
    Monday 08:00-09:30 (90), the weekend skipped as outside the weekly hours."""
    found = DEFAULT.explain_add(paris(2026, 11, 27, 18, 30), timedelta(minutes=120))
    assert [(s.start, s.end, s.minutes) for s in found.spans] == [
        (paris(2026, 11, 27, 18, 30), paris(2026, 11, 27, 19), 30),
        (paris(2026, 11, 30, 8), paris(2026, 11, 30, 9, 30), 90),
    ]
    assert [(s.start, s.end, s.why) for s in found.skipped] == [
        (paris(2026, 11, 27, 19), paris(2026, 11, 30, 8), "outside_hours")
    ]
    assert found.as_dict() == {
        "due_at": "2026-11-30T09:30:00+01:00",
        "start": "2026-11-27T18:30:00+01:00",
        "minutes": 120,
        "spans": [
            {"start": "2026-11-27T18:30:00+01:00", "end": "2026-11-27T19:00:00+01:00", "minutes": 30},
            {"start": "2026-11-30T08:00:00+01:00", "end": "2026-11-30T09:30:00+01:00", "minutes": 90},
        ],
        "skipped": [
            {"start": "2026-11-27T19:00:00+01:00", "end": "2026-11-30T08:00:00+01:00", "why": "outside_hours"}
        ],
    }  # fmt: skip


def test_dst_weekend_notes_the_jump_and_changes_the_offset() -> None:
    """Across the spring change (Sunday 2026-03-29, 02:00 -> 03:00) the weekend is still
    skipped whole, the jump is noted as a clock gap, and Monday is in summer time."""
    found = DEFAULT.explain_add(paris(2026, 3, 27, 18, 30), timedelta(minutes=120))
    assert found.as_dict()["due_at"] == "2026-03-30T09:30:00+02:00"
    gap = found.skipped[1]
    assert (gap.why, gap.wall_minutes, gap.start.isoformat()) == (
        "clock_gap",
        60,
        "2026-03-29T03:00:00+02:00",
    )
    assert "the clock jumps from 02:00 to 03:00" in found.lines()[3]


def test_a_span_across_the_spring_gap_counts_elapsed_time() -> None:
    """Open around the clock, 01:30 + 2 h on the spring day is 04:30 summer time: the
    missing wall-clock hour counts nothing."""
    always = Calendar(week=WeeklySchedule.always())
    found = always.explain_add(paris(2026, 3, 29, 1, 30), timedelta(hours=2))
    assert [(s.start.isoformat(), s.end.isoformat()) for s in found.spans] == [
        ("2026-03-29T01:30:00+01:00", "2026-03-29T04:30:00+02:00")
    ]
    assert [s.why for s in found.skipped] == ["clock_gap"]


def test_nineteen_sharp_is_closed_and_seventeen_plus_two_ends_at_nineteen() -> None:
    """19:00 is closed (spans are half-open), so nothing counts until Monday; and
    17:00 + 2 h ends at 19:00 itself, with nothing skipped."""
    late = DEFAULT.explain_add(paris(2026, 11, 27, 19), timedelta(minutes=120))
    assert [(s.start, s.minutes) for s in late.spans] == [(paris(2026, 11, 30, 8), 120)]
    assert late.skipped[0].start == paris(2026, 11, 27, 19)
    sharp = DEFAULT.explain_add(paris(2026, 11, 27, 17), timedelta(minutes=120))
    assert (sharp.due_at, len(sharp.spans), sharp.skipped) == (paris(2026, 11, 27, 19), 1, ())


def test_a_closed_date_is_named_and_split_at_midnight() -> None:
    """hours.closures: Christmas Friday reads as a closed date between two stretches
    outside the weekly hours."""
    christmas = Calendar(closures=["2026-12-25"])
    found = christmas.explain_add(paris(2026, 12, 24, 18, 30), timedelta(minutes=120))
    assert [(s.why, s.start.day, s.end.day) for s in found.skipped] == [
        ("outside_hours", 24, 25),
        ("closed_date", 25, 26),
        ("outside_hours", 26, 28),
    ]
    assert "closed date 2026-12-25  [hours.closures]" in found.lines()[3]


def test_zero_counts_nothing_and_seconds_show_as_fractions() -> None:
    """add(t, 0) is t with no span; a duration off the minute reads as a fraction."""
    t = paris(2026, 11, 27, 10)
    assert DEFAULT.explain_add(t, ZERO) == Deadline(start=t, duration=ZERO, due_at=t, spans=())
    odd = DEFAULT.explain_add(t, timedelta(seconds=90))
    assert (odd.minutes, odd.spans[0].minutes) == (1.5, 1.5)
    assert odd.lines()[0].startswith("1.5 business minutes from Fri 2026-11-27 10:00 CET")


def test_seconds_of_an_instant_are_shown() -> None:
    """An instant off the minute shows its seconds and their fraction."""
    t = paris(2026, 11, 27, 10).add(seconds=5, microseconds=250_000)
    assert "10:00:05.25 CET" in DEFAULT.explain_add(t, timedelta(minutes=1)).lines()[0]


def test_a_negative_duration_or_a_naive_instant_is_refused() -> None:
    """hours.arithmetic: only durations of 0 or more are explained; input.aware-only."""
    with pytest.raises(PolicyError) as refused:
        DEFAULT.explain_add(paris(2026, 11, 27, 10), -timedelta(minutes=1))
    assert str(refused.value) == (
        "hours.arithmetic: d: a deadline is explained for a duration of 0 or more; got -1 minute"
    )
    with pytest.raises(PolicyError) as naive:
        DEFAULT.explain_add(datetime(2026, 11, 27, 10), timedelta(minutes=1))
    assert (naive.value.rule, naive.value.field) == (RuleId.INPUT_AWARE_ONLY, "t")
    for inexact in (120, pendulum.duration(months=1)):
        with pytest.raises(PolicyError) as not_a_duration:
            DEFAULT.explain_add(paris(2026, 11, 27, 10), inexact)  # type: ignore[arg-type]
        assert not_a_duration.value.field == "d"


def test_a_span_open_across_new_year_is_one_span() -> None:
    """Open around the clock, a count across New Year is one span, not one per year."""
    always = Calendar(week=WeeklySchedule.always())
    found = always.explain_add(paris(2026, 12, 31, 23), timedelta(hours=2))
    assert [(s.start, s.end) for s in found.spans] == [
        (paris(2026, 12, 31, 23), paris(2027, 1, 1, 1))
    ]


def test_a_clock_gap_at_an_opening_is_read_before_the_span_it_opens() -> None:
    """Open Sundays from 03:00, the spring jump (02:00 -> 03:00) is the opening instant:
    the lines give the jump, then the span; the JSON form gives the jump's wall minutes."""
    sunday = Calendar(week=WeeklySchedule(sun=[("03:00", "12:00")]))
    found = sunday.explain_add(paris(2026, 3, 28, 12), timedelta(minutes=60))
    assert found.due_at == paris(2026, 3, 29, 4)
    lines = found.lines()
    assert "the clock jumps from 02:00 to 03:00" in lines[2]
    assert lines[3].startswith("  counted  Sun 2026-03-29 03:00 CEST - 04:00  60 min")
    assert found.as_dict()["skipped"][1] == {
        "start": "2026-03-29T03:00:00+02:00",
        "end": "2026-03-29T03:00:00+02:00",
        "why": "clock_gap",
        "wall_minutes": 60,
    }
    assert "wall_minutes" not in found.as_dict()["skipped"][0]


def test_whole_seconds_of_an_instant_are_shown_without_a_fraction() -> None:
    """An instant on a whole second shows its seconds, and no fraction."""
    t = paris(2026, 11, 27, 10).add(seconds=5)
    assert (
        "from Fri 2026-11-27 10:00:05 CET:"
        in DEFAULT.explain_add(t, timedelta(minutes=1)).lines()[0]
    )


def test_a_clock_gap_at_midnight_is_read_before_the_closed_date_it_opens() -> None:
    """Santiago jumps from Saturday 24:00 to Sunday 01:00 (2026-09-06); with that Sunday
    closed, the jump comes before the closed date starting at the same instant."""
    santiago = Calendar(timezone="America/Santiago", closures=["2026-09-06"])
    start = pendulum.datetime(2026, 9, 4, 18, 30, tz="America/Santiago")
    found = santiago.explain_add(start, timedelta(minutes=60))
    assert [s.why for s in found.skipped] == [
        "outside_hours",
        "clock_gap",
        "closed_date",
        "outside_hours",
    ]
    assert found.skipped[1].start == found.skipped[2].start


def test_a_clock_gap_at_either_end_of_the_count_is_noted() -> None:
    """The jumps noted are those in [start, due], both ends included: a count starting at
    the spring jump's instant, and one ending there (open around the clock, 01:30 + 30
    min is 03:00 summer time), each note it."""
    jump = paris(2026, 3, 29, 3)  # 01:00 UTC, the first summer instant
    from_jump = DEFAULT.explain_add(jump, timedelta(minutes=60))
    assert [(s.why, s.start) for s in from_jump.skipped[:1]] == [("clock_gap", jump)]
    always = Calendar(week=WeeklySchedule.always())
    to_jump = always.explain_add(paris(2026, 3, 29, 1, 30), timedelta(minutes=30))
    assert to_jump.due_at == jump
    assert [(s.why, s.start, s.wall_minutes) for s in to_jump.skipped] == [("clock_gap", jump, 60)]


def test_a_closed_stretch_a_microsecond_before_a_closed_date_splits_at_midnight() -> None:
    """From 23:59:59.999999 on Christmas Eve, the one microsecond left of the evening is
    outside the weekly hours and Christmas Day, from midnight, a closed date."""
    christmas = Calendar(closures=["2026-12-25"])
    found = christmas.explain_add(paris(2026, 12, 25).subtract(microseconds=1), MICRO)
    assert [(s.why, s.start, s.end) for s in found.skipped[:2]] == [
        ("outside_hours", paris(2026, 12, 25).subtract(microseconds=1), paris(2026, 12, 25)),
        ("closed_date", paris(2026, 12, 25), paris(2026, 12, 26)),
    ]
