"""Policy.response_due: 2 business hours after an incident starts waiting (hours.arithmetic).

The response target itself (``response.target``) belongs to the incident wing; these
tests pin the calendar arithmetic it stands on.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Calendar, Policy, PolicyChange, PolicyError, RuleId, WeeklySchedule
from premier_policy.terms._policy import response_due_at
from tests._hours import instants, us

CET = timezone(timedelta(hours=1))
POLICY = Policy()
ALWAYS = WeeklySchedule(
    **dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), (("00:00", "24:00"),))
)
#: Longer hours from March 2026, a 4-hour target from New Year 2027.
CHANGING = Policy(
    changes=[
        PolicyChange(
            pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
            Policy(
                calendar=Calendar(
                    week=WeeklySchedule(
                        **dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), (("07:00", "21:00"),))
                    )
                )
            ),
        ),
        PolicyChange(
            pendulum.datetime(2027, 1, 1, tz="Europe/Paris"), Policy(response_target_minutes=240)
        ),
    ]
)


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        (datetime(2026, 11, 27, 18, 30, tzinfo=CET), "2026-11-30T09:30:00+01:00"),  # Friday evening
        (datetime(2026, 11, 28, 12, tzinfo=CET), "2026-11-30T10:00:00+01:00"),  # Saturday
        (datetime(2026, 11, 30, 7, 59, tzinfo=CET), "2026-11-30T10:00:00+01:00"),  # before opening
        (datetime(2026, 11, 30, 10, tzinfo=CET), "2026-11-30T12:00:00+01:00"),  # mid-morning
        (datetime(2026, 11, 30, 17, tzinfo=CET), "2026-11-30T19:00:00+01:00"),  # due at closing
        (datetime(2026, 11, 30, 19, tzinfo=CET), "2026-12-01T10:00:00+01:00"),  # 19:00 is closed
        (datetime(2026, 3, 27, 18, tzinfo=CET), "2026-03-30T09:00:00+02:00"),  # spring change
        (datetime(2026, 10, 23, 18, tzinfo=UTC), "2026-10-26T10:00:00+01:00"),  # autumn change
        (datetime(2028, 2, 28, 18, tzinfo=CET), "2028-02-29T09:00:00+01:00"),  # leap day
    ],
)
def test_seed_policy_examples(opened: datetime, due: str) -> None:
    """hours.arithmetic: the seed's 2 business hours, Mon-Fri 08:00-19:00 Paris."""
    found = POLICY.response_due(opened)
    assert found.isoformat() == due
    assert found.tzinfo is POLICY.tz


def test_configured_target_and_calendar() -> None:
    """Every number is configurable: 30 minutes on a calendar closed on Monday 2026-11-30."""
    policy = Policy(response_target_minutes=30, calendar=Calendar(closures=[date(2026, 11, 30)]))
    due = policy.response_due(datetime(2026, 11, 27, 18, 45, tzinfo=CET))
    assert due.isoformat() == "2026-12-01T08:15:00+01:00"


def test_round_the_clock_support_in_another_zone() -> None:
    """A 24/7 New York calendar: due exactly 2 hours later, shown in New York time."""
    policy = Policy(calendar=Calendar(timezone="America/New_York", week=WeeklySchedule.always()))
    due = policy.response_due(pendulum.datetime(2026, 11, 1, 0, 30, tz="America/New_York"))
    assert due.isoformat() == "2026-11-01T01:30:00-05:00"  # the repeated hour's second pass
    assert due.fold == 1


def test_naive_instants_are_refused() -> None:
    """input.aware-only: the response clock needs an aware start."""
    with pytest.raises(PolicyError) as info:
        POLICY.response_due(datetime(2026, 11, 27, 18, 30))
    assert info.value.rule is RuleId.INPUT_AWARE_ONLY


@given(instants(POLICY.calendar))
def test_due_is_two_business_hours_later(opened: datetime) -> None:
    """hours.arithmetic: exactly 2 business hours lie between the start and the due instant,
    and the due instant is open or the very end of an opening."""
    due = POLICY.response_due(opened)
    assert POLICY.calendar.between(opened, due) == timedelta(hours=2)
    assert us(due) > us(opened)
    just_before = datetime.fromtimestamp(0, UTC) + timedelta(microseconds=us(due) - 1)
    assert POLICY.calendar.is_open(just_before)


@given(instants(POLICY.calendar), st.sampled_from(["seed", "changes", "round the clock"]))
def test_the_replay_engines_due_instant_is_response_due(opened: datetime, which: str) -> None:
    """response_due_at, the records' form, is response_due's instant in plain UTC,
    under a policy with dated changes of hours and target too."""
    policy = {
        "seed": POLICY,
        "changes": CHANGING,
        "round the clock": Policy(calendar=Calendar(timezone="Pacific/Chatham", week=ALWAYS)),
    }[which]
    due = response_due_at(policy, opened)
    assert type(due) is datetime
    assert due == policy.response_due(opened)


@pytest.mark.parametrize(
    "opened",
    [
        pendulum.datetime(9999, 12, 30, 17, tz="Europe/Paris"),  # due in the last year
        pendulum.datetime(1, 1, 1, 12, tz="UTC"),  # in the first year (Paris at +00:09:21)
    ],
)
def test_the_replay_engines_due_instant_at_the_calendars_ends(opened: datetime) -> None:
    """In the calendar's first and last years the records' form takes response_due's
    own path: the same instant."""
    assert response_due_at(POLICY, opened) == POLICY.response_due(opened)


def test_the_replay_engines_due_instant_past_the_year_9999_is_refused_alike() -> None:
    """A target that would fall past the year 9999 is refused by the records' form as by
    response_due (hours.arithmetic)."""
    friday = pendulum.datetime(9999, 12, 31, 18, 30, tz="Europe/Paris")
    message = "business time is counted from year 1 to 9999; this would need year 10000"
    for due in (POLICY.response_due, lambda t: response_due_at(POLICY, t)):
        with pytest.raises(PolicyError, match=message) as info:
            due(friday)
        assert info.value.rule is RuleId.HOURS_ARITHMETIC
