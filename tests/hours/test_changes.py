"""Hours that change at dated instants (``policy.changes``): a calendar with ``changes``
counts each stretch of time under the hours in force then.

The property tests hold the changing calendar to the calendars it is made of: business
time is the sum of each segment's own, ``add`` is the earliest (latest, going back)
instant reaching the duration, ``next_open`` is open and first. Named examples pin a
count across a change of opening hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Calendar, PolicyError, PublicHolidays, RuleId, WeeklySchedule
from tests._hours import MICROSECOND, calendars, durations, instants

TWO_HOURS = timedelta(hours=2)
Case = tuple[Calendar, list[datetime], list[Calendar]]
LONG_DAYS = WeeklySchedule.from_mapping(
    {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    """A Paris wall-clock instant."""
    return pendulum.datetime(year, month, day, hour, minute, tz="Europe/Paris")


@st.composite
def changing(draw: st.DrawFn) -> tuple[Calendar, list[datetime], list[Calendar]]:
    """A calendar with one or two changes, its change instants and its segments."""
    first = draw(calendars())
    later = [
        attrs.evolve(draw(calendars()), timezone=first.timezone)
        for _ in range(draw(st.integers(1, 2)))
    ]
    starts = sorted({draw(instants(first)).astimezone(UTC) for _ in later})
    later = later[: len(starts)]
    calendar = attrs.evolve(first, changes=list(zip(starts, later, strict=True)))
    return calendar, starts, [first, *later]


def segment(starts: list[datetime], segments: list[Calendar], t: datetime) -> Calendar:
    """The calendar in force at ``t``."""
    return segments[sum(1 for s in starts if s <= t)]


def piecewise_between(
    starts: list[datetime], segments: list[Calendar], a: datetime, b: datetime
) -> timedelta:
    """Business time in ``[a, b)`` (a <= b), each stretch under its own calendar."""
    edges = [a, *(s for s in starts if a < s < b), b]
    return sum(
        (segment(starts, segments, lo).between(lo, hi) for lo, hi in pairwise(edges)),
        timedelta(0),
    )


@given(changing(), st.data())
def test_between_is_the_sum_of_each_segments_own(case: Case, data: st.DataObject) -> None:
    """Business time across changes is each side's business time, added up."""
    calendar, starts, segments = case
    a, b = sorted([data.draw(instants(segments[0])), data.draw(instants(segments[0]))])
    expected = piecewise_between(starts, segments, a, b)
    assert calendar.between(a, b) == expected
    assert calendar.between(b, a) == -expected


@given(changing(), st.data())
def test_add_is_the_earliest_instant_reaching_d(case: Case, data: st.DataObject) -> None:
    """For d >= 0, add(t, d) reaches d, and one microsecond earlier does not."""
    calendar, starts, segments = case
    t = data.draw(instants(segments[0]))
    d = data.draw(durations(segments[0]))
    r = calendar.add(t, d)
    assert piecewise_between(starts, segments, t, r) == d
    if d:
        assert piecewise_between(starts, segments, t, r - MICROSECOND) < d


@given(changing(), st.data())
def test_going_back_is_the_latest_instant_reaching_d(case: Case, data: st.DataObject) -> None:
    """For d > 0, add(t, -d) lies d before t, and one microsecond later does not."""
    calendar, starts, segments = case
    t = data.draw(instants(segments[0]))
    d = data.draw(durations(segments[0]))
    r = calendar.add(t, -d)
    assert piecewise_between(starts, segments, r, t) == d
    if d:
        assert piecewise_between(starts, segments, r + MICROSECOND, t) < d


@given(changing(), st.data())
def test_open_is_the_segments_answer(case: Case, data: st.DataObject) -> None:
    """is_open is the calendar in force's; next_open is open, not before t, none between."""
    calendar, starts, segments = case
    t = data.draw(instants(segments[0]))
    assert calendar.is_open(t) == segment(starts, segments, t).is_open(t)
    found = calendar.next_open(t)
    assert found >= t
    assert calendar.is_open(found)
    assert piecewise_between(starts, segments, t, found) == timedelta(0)


def test_longer_evenings_from_a_date_count_from_that_date() -> None:
    """Hours 08:00-20:00 from Tuesday 1 December 2026: Monday 18:30 + 2 h counts half an
    hour on Monday (old hours, closed at 19:00) and 90 minutes on Tuesday: 09:30."""
    calendar = Calendar(changes=[(paris(2026, 12, 1), Calendar(week=LONG_DAYS))])
    assert calendar.add(paris(2026, 11, 30, 18, 30), TWO_HOURS) == paris(2026, 12, 1, 9, 30)
    assert calendar.add(paris(2026, 12, 1, 18, 30), TWO_HOURS) == paris(2026, 12, 2, 8, 30)
    assert calendar.add(paris(2026, 12, 1, 9, 30), -TWO_HOURS) == paris(2026, 11, 30, 18, 30)
    assert calendar.is_open(paris(2026, 12, 1, 19, 30))
    assert not calendar.is_open(paris(2026, 11, 30, 19, 30))
    assert calendar.next_open(paris(2026, 11, 30, 19, 30)) == paris(2026, 12, 1, 8)


def test_a_change_in_mid_count_is_a_value_of_the_calendar() -> None:
    """A calendar with changes is a hashable value, equal to the same changes."""
    one = Calendar(changes=[(paris(2026, 12, 1), Calendar(week=LONG_DAYS))])
    two = Calendar(changes=[(paris(2026, 12, 1).in_tz("UTC"), Calendar(week=LONG_DAYS))])
    assert one == two
    assert hash(one) == hash(two)
    assert one != Calendar()


_PAIRS = "expected a list of (instant, Calendar) pairs, got"
_PAIR = "expected an (instant, Calendar) pair, got"
_ORDER = "changes must come in strictly increasing time order:"
_DEC_1 = "DateTime(2026, 12, 1, 0, 0, 0, tzinfo=Timezone('Europe/Paris'))"


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ("2026-12-01", f"{_PAIRS} '2026-12-01'"),
        (2026, f"{_PAIRS} 2026"),
        ([paris(2026, 12, 1)], f"{_PAIR} {_DEC_1}"),
        ([(paris(2026, 12, 1), "hours")], f"{_PAIR} ({_DEC_1}, 'hours')"),
        (
            [(paris(2026, 12, 1), Calendar()), (paris(2026, 12, 1), Calendar())],
            f"{_ORDER} 2026-11-30 23:00:00+00:00 follows 2026-11-30 23:00:00+00:00",
        ),
        (
            [(paris(2026, 12, 2), Calendar()), (paris(2026, 12, 1), Calendar())],
            f"{_ORDER} 2026-11-30 23:00:00+00:00 follows 2026-12-01 23:00:00+00:00",
        ),
        (
            [(paris(2026, 12, 1), Calendar(changes=[(paris(2027, 1, 1), Calendar())]))],
            "a calendar in force from an instant has no changes of its own",
        ),
        (
            [(paris(2026, 12, 1), Calendar(timezone="America/New_York"))],
            "the time zone never changes: America/New_York after Europe/Paris",
        ),
    ],
)
def test_bad_changes_are_refused(changes: object, detail: str) -> None:
    """Not pairs, not increasing, nested or in another zone: policy.changes, field
    changes, and what is wrong, echoing what came."""
    with pytest.raises(PolicyError) as info:
        Calendar(changes=changes)  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field, info.value.detail) == (
        RuleId.POLICY_CHANGES,
        "changes",
        detail,
    )


def test_a_change_before_the_year_1_in_utc_is_refused_naming_changes() -> None:
    """A change at a Tokyo instant of 1 January of the year 1 that UTC cannot write:
    malformed input under the field ``changes``."""
    tokyo = "Asia/Tokyo"
    early = pendulum.datetime(1, 1, 1, 0, 1, tz=tokyo)
    with pytest.raises(PolicyError) as info:
        Calendar(timezone=tokyo, changes=[(early, Calendar(timezone=tokyo))])
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "changes")


def test_before_its_first_change_a_calendar_keeps_its_public_holidays() -> None:
    """The hours before the first change close on the calendar's own public holidays:
    Wednesday 11 November 2026 (Armistice Day) is closed in France, as without the
    change, and open under plain hours."""
    armistice = paris(2026, 11, 11, 10)
    changing = Calendar(
        holidays=PublicHolidays(country="FR"), changes=[(paris(2026, 12, 1), Calendar())]
    )
    assert not changing.is_open(armistice)
    assert Calendar().is_open(armistice)


def test_a_naive_change_instant_is_refused() -> None:
    """A change instant must be aware (input.aware-only)."""
    with pytest.raises(PolicyError) as info:
        Calendar(changes=[(datetime(2026, 12, 1), Calendar())])
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "changes")


@given(changing(), st.data())
def test_explained_spans_across_changes_add_up_to_d(case: Case, data: st.DataObject) -> None:
    """explain_add across changes: the same due instant as add, the counted spans sum to
    d inside [t, due], each open under the hours in force, and the skipped stretches
    count nothing."""
    calendar, _, segments = case
    t = data.draw(instants(segments[0]))
    d = data.draw(durations(segments[0]))
    deadline = calendar.explain_add(t, d)
    assert deadline.due_at == calendar.add(t, d)
    assert sum((span.length for span in deadline.spans), timedelta(0)) == d
    for span in deadline.spans:
        assert t <= span.start <= span.end <= deadline.due_at
        assert calendar.between(span.start, span.end) == span.length
    for stretch in deadline.skipped:
        assert calendar.between(stretch.start, stretch.end) == timedelta(0)


def test_an_explained_deadline_across_a_change_counts_each_side() -> None:
    """Monday 18:30 + 2 h with 08:00-20:00 from Tuesday: 30 minutes under the old hours,
    the night skipped, 90 minutes under the new ones."""
    calendar = Calendar(changes=[(paris(2026, 12, 1), Calendar(week=LONG_DAYS))])
    deadline = calendar.explain_add(paris(2026, 11, 30, 18, 30), TWO_HOURS)
    assert deadline.due_at == paris(2026, 12, 1, 9, 30)
    assert [(s.start, s.end, s.minutes) for s in deadline.spans] == [
        (paris(2026, 11, 30, 18, 30), paris(2026, 11, 30, 19), 30),
        (paris(2026, 12, 1, 8), paris(2026, 12, 1, 9, 30), 90),
    ]
    assert [(s.start, s.end, s.why) for s in deadline.skipped] == [
        (paris(2026, 11, 30, 19), paris(2026, 12, 1), "outside_hours"),
        (paris(2026, 12, 1), paris(2026, 12, 1, 8), "outside_hours"),
    ]
    with pytest.raises(PolicyError, match=r"hours\.arithmetic"):
        calendar.explain_add(paris(2026, 11, 30, 18, 30), -TWO_HOURS)


def test_a_count_ending_at_the_last_open_minute_before_a_change_stays_there() -> None:
    """Monday 18:00 + 1 h, hours changing at Tuesday 00:00: due Monday 19:00 under the
    old hours, not at the change, in add and explain_add alike; and 1 h back from Tuesday
    09:00 is Tuesday 08:00, the opening of the new hours."""
    calendar = Calendar(changes=[(paris(2026, 12, 1), Calendar(week=LONG_DAYS))])
    hour = timedelta(hours=1)
    assert calendar.add(paris(2026, 11, 30, 18), hour) == paris(2026, 11, 30, 19)
    deadline = calendar.explain_add(paris(2026, 11, 30, 18), hour)
    assert (deadline.due_at, deadline.skipped) == (paris(2026, 11, 30, 19), ())
    assert calendar.add(paris(2026, 12, 1, 9), -hour) == paris(2026, 12, 1, 8)


def test_two_changes_are_crossed_both_ways_and_explained_whole() -> None:
    """With 08:00-20:00 on Tuesday only, Monday 18:30 + 13 h 30 is Wednesday 09:00
    (30 min, 12 h, 60 min); going back 13 h 30 returns to Monday 18:30; the explanation
    keeps every span, its start and its duration."""
    calendar = Calendar(
        changes=[(paris(2026, 12, 1), Calendar(week=LONG_DAYS)), (paris(2026, 12, 2), Calendar())]
    )
    d = timedelta(hours=13, minutes=30)
    assert calendar.add(paris(2026, 11, 30, 18, 30), d) == paris(2026, 12, 2, 9)
    assert calendar.add(paris(2026, 12, 2, 9), -d) == paris(2026, 11, 30, 18, 30)
    deadline = calendar.explain_add(paris(2026, 11, 30, 18, 30), d)
    assert (deadline.start, deadline.duration, deadline.due_at) == (
        paris(2026, 11, 30, 18, 30),
        d,
        paris(2026, 12, 2, 9),
    )
    assert [(s.start, s.minutes) for s in deadline.spans] == [
        (paris(2026, 11, 30, 18, 30), 30),
        (paris(2026, 12, 1, 8), 720),
        (paris(2026, 12, 2, 8), 60),
    ]
    assert [(s.start, s.end) for s in deadline.skipped] == [
        (paris(2026, 11, 30, 19), paris(2026, 12, 1)),
        (paris(2026, 12, 1), paris(2026, 12, 1, 8)),
        (paris(2026, 12, 1, 20), paris(2026, 12, 2)),
        (paris(2026, 12, 2), paris(2026, 12, 2, 8)),
    ]


def test_an_opening_at_the_change_instant_is_judged_by_the_new_hours() -> None:
    """The old hours open Tuesday 08:00, the very instant new hours opening at 09:00
    take over: from Monday evening the next open instant is Tuesday 09:00."""
    later = WeeklySchedule.from_mapping(
        {day: [["09:00", "19:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    )
    calendar = Calendar(changes=[(paris(2026, 12, 1, 8), Calendar(week=later))])
    assert calendar.next_open(paris(2026, 11, 30, 20)) == paris(2026, 12, 1, 9)


def test_after_a_change_a_clock_gap_is_read_before_the_closed_date_at_its_instant() -> None:
    """Across a change, Santiago's midnight jump (2026-09-06) still comes before the
    closure that starts at the same instant under the new hours."""

    def santiago(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
        return pendulum.datetime(year, month, day, hour, minute, tz="America/Santiago")

    closed = Calendar(timezone="America/Santiago", closures=["2026-09-06"])
    calendar = Calendar(timezone="America/Santiago", changes=[(santiago(2026, 9, 1), closed)])
    deadline = calendar.explain_add(santiago(2026, 8, 31, 18, 30), timedelta(hours=50))
    assert [s.why for s in deadline.skipped[-3:]] == ["clock_gap", "closed_date", "outside_hours"]
    assert deadline.skipped[-3].start == deadline.skipped[-2].start == santiago(2026, 9, 6, 1)


def test_before_its_first_change_a_calendar_keeps_its_own_zone_and_closures() -> None:
    """The hours in force before the first change are the calendar's own, in its own
    zone with its own closed dates: Monday 18:30 in Tokyo + 2 h, Tuesday closed, is
    Wednesday 09:30 Tokyo time, as without the change."""
    tokyo = "Asia/Tokyo"
    closed = date(2026, 12, 1)
    later = (pendulum.datetime(2027, 1, 1, tz=tokyo), Calendar(timezone=tokyo))
    changing = Calendar(timezone=tokyo, closures=[closed], changes=[later])
    plain = Calendar(timezone=tokyo, closures=[closed])
    monday = pendulum.datetime(2026, 11, 30, 18, 30, tz=tokyo)
    assert changing.add(monday, timedelta(hours=2)) == plain.add(monday, timedelta(hours=2))
    assert changing.add(monday, timedelta(hours=2)) == pendulum.datetime(
        2026, 12, 2, 9, 30, tz=tokyo
    )
    assert not changing.is_open(pendulum.datetime(2026, 12, 1, 10, tz=tokyo))
