"""The exported strategies produce what they promise, and refuse bad options."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any, cast

import pendulum
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from premier_policy import (
    Account,
    Applied,
    Calendar,
    Catalog,
    Event,
    Open,
    Policy,
    Purchase,
    Resolve,
    RuleId,
    WeeklySchedule,
    World,
    replay,
)
from premier_policy import strategies as pps
from premier_policy.strategies import _instants as instants_strategies
from premier_policy.strategies import _policies as policies_strategies
from premier_policy.strategies import _scenarios as scenarios_strategies
from premier_policy.strategies import _ticks as ticks_strategies
from premier_policy.strategies import instants
from premier_policy.wire._policy import NUMBERS as _NUMBERS
from premier_policy.wire._policy import structure_policy

PARIS = pendulum.timezone("Europe/Paris")
DEFAULT_MAX_PLUS = pps.DEFAULT_MAX + timedelta(microseconds=1)
# Enough draws to measure a bias, few enough to stay fast; derandomized so the counts
# are the same on every run.
SAMPLE = settings(max_examples=300, derandomize=True, database=None, deadline=None)


def sample(strategy: st.SearchStrategy[Any]) -> list[Any]:
    """Every example a derandomized run of ``strategy`` generates."""
    seen: list[Any] = []

    @SAMPLE
    @given(strategy)
    def collect(value: Any) -> None:
        seen.append(value)

    collect()
    return seen


@functools.cache
def dst_days(start: int, stop: int) -> frozenset[date]:
    """The Paris dates whose UTC offset changes during the day, by brute force."""
    days = set()
    day = date(start, 1, 1)
    while day.year < stop:
        morning = datetime.combine(day, time(0), tzinfo=PARIS)
        if morning.utcoffset() != datetime.combine(day, time(23), tzinfo=PARIS).utcoffset():
            days.add(day)
        day += timedelta(days=1)
    return frozenset(days)


# --------------------------------------------------------------------------- instants


def test_hypothesis_stays_out_of_the_core_import_path() -> None:
    """``import premier_policy`` loads no Hypothesis: it is the strategies extra's."""
    probe = "import sys, premier_policy; print(sorted(m for m in sys.modules if 'hypothesis' in m))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


@given(instants())
def test_instants_are_aware_in_the_zone_and_in_range(t: pendulum.DateTime) -> None:
    """The default instants are pendulum DateTimes in Paris, within this century."""
    assert type(t) is pendulum.DateTime
    assert t.tzinfo is PARIS
    assert t.utcoffset() is not None
    assert pps.DEFAULT_MIN <= t <= pps.DEFAULT_MAX


@given(st.data(), st.sampled_from(["Europe/Paris", "America/New_York", "UTC", "Asia/Kolkata"]))
def test_instants_respect_any_bounds(data: st.DataObject, name: str) -> None:
    """Bounds are inclusive, in any zone, down to a range of one microsecond."""
    low = data.draw(instants(timezone="UTC", bias="uniform"), label="low")
    width = data.draw(st.sampled_from([0, 1, 60_000_000, 86_400_000_000 * 400]), label="width")
    high = low + timedelta(microseconds=width)
    t = data.draw(instants(timezone=name, min_value=low, max_value=high))
    assert t.tzinfo is pendulum.timezone(name)
    assert low <= t <= high


@given(instants(min_value=datetime(1, 1, 1, tzinfo=UTC), max_value=datetime(1, 1, 9, tzinfo=UTC)))
def test_instants_reach_year_one(t: pendulum.DateTime) -> None:
    """The first days of the datetime range work (no zone transitions known there)."""
    assert t.year in (1, 0) or t < datetime(1, 1, 9, tzinfo=UTC)


@given(
    instants(
        timezone="America/Los_Angeles",
        min_value=datetime(9999, 12, 31, tzinfo=UTC),
        max_value=datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    )
)
def test_instants_reach_year_9999(t: pendulum.DateTime) -> None:
    """The last day of the range works, though some of its wall-clock edges overflow."""
    assert t.in_timezone("UTC").date() == date(9999, 12, 31)


def test_wall_clock_edges_past_the_range_are_skipped() -> None:
    """An edge whose instant lies past 9999-12-31 gives no instant (the strategy redraws)."""
    last = ticks_strategies._ticks(datetime(9999, 12, 31, 20, tzinfo=UTC))
    los_angeles = pendulum.timezone("America/Los_Angeles")
    assert instants_strategies._wall(los_angeles, last, 0, time(19), 0) is None
    assert instants_strategies._wall(los_angeles, last, 1, time(0), 0) is None
    assert instants_strategies._wall(PARIS, last, 0, time(19), 0) is not None


def test_transitions_are_the_real_dst_changes() -> None:
    """The transitions found in Paris's rules are the EU changes, to the second."""
    found = [
        ticks_strategies._from_ticks(t)
        for t in instants_strategies._transitions("Europe/Paris", 2026, 2027)
    ]
    assert found == [
        datetime(2026, 3, 29, 1, tzinfo=UTC),
        datetime(2026, 10, 25, 1, tzinfo=UTC),
        datetime(2027, 3, 28, 1, tzinfo=UTC),
        datetime(2027, 10, 31, 1, tzinfo=UTC),
    ]
    assert instants_strategies._transitions("UTC", 2000, 2099) == ()
    assert instants_strategies._transitions("Europe/Paris", 1, 5) == ()


def near_business_edge(t: pendulum.DateTime) -> bool:
    """Within half an hour of 08:00 or 19:00 on the wall clock (chance: 2 hours in 24)."""
    minute = t.hour * 60 + t.minute
    return any(-30 <= minute - edge < 30 for edge in (8 * 60, 19 * 60))


def test_bias_lands_on_dst_days_and_business_edges() -> None:
    """Biased instants hit DST-change days and the 08:00/19:00 edges far more than chance."""
    seen = sample(instants())
    changes = dst_days(2000, 2100)
    # Chance would put 2 days in 365 on a DST change: about 2 of 300 examples.
    assert sum(t.date() in changes for t in seen) >= len(seen) // 5
    assert sum(near_business_edge(t) for t in seen) >= len(seen) // 5
    exactly = Counter(t.time() for t in seen)
    assert exactly[time(8)] + exactly[time(19)] >= 10
    beside = [t for t in seen if t.time() in (time(7, 59, 59, 999999), time(19, 0, 0, 1))]
    assert len(beside) >= 2
    # Both offsets of a change day: the instants on either side of the change.
    assert {t.utcoffset() for t in seen if t.date() in changes} == {
        timedelta(hours=1),
        timedelta(hours=2),
    }


def test_uniform_instants_ignore_the_edges() -> None:
    """``bias="uniform"`` favours neither DST days nor business edges."""
    seen = sample(instants(bias="uniform"))
    assert sum(t.date() in dst_days(2000, 2100) for t in seen) < len(seen) // 20
    assert sum(near_business_edge(t) for t in seen) < len(seen) // 7


def test_instants_find_both_sides_of_the_autumn_fold() -> None:
    """Both 02:30 of the autumn change are drawn: the same wall clock, two offsets."""
    fold = instants(
        min_value=datetime(2026, 10, 25, tzinfo=UTC), max_value=datetime(2026, 10, 26, tzinfo=UTC)
    )
    early = find(fold, lambda t: t.hour == 2 and t.utcoffset() == timedelta(hours=2))
    late = find(fold, lambda t: t.hour == 2 and t.utcoffset() == timedelta(hours=1))
    assert early.in_timezone("UTC") < late.in_timezone("UTC")  # wall clocks compare equal


@pytest.mark.parametrize(
    "options",
    [
        {"timezone": "Mars/Olympus"},
        {"timezone": ""},
        {"timezone": 7},
        {"timezone": ["Europe/Paris"]},
        {"min_value": datetime(2026, 1, 1)},
        {"max_value": "2026-01-01T00:00Z"},
        {
            "min_value": datetime(2027, 1, 1, tzinfo=UTC),
            "max_value": datetime(2026, 1, 1, tzinfo=UTC),
        },
        {"bias": "dst"},
    ],
)
def test_instants_refuse_bad_options(options: dict[str, Any]) -> None:
    """Each bad option is an InvalidArgument naming it, raised when the strategy is built."""
    with pytest.raises(InvalidArgument, match=next(iter(options))):
        instants(**options)


# ---------------------------------------------------------------------------- events


def well_ordered(sequence: list[Event]) -> bool:
    """Never back in time, compared in UTC (a zone compares by wall clock in a fold)."""
    return all(a.at.astimezone(UTC) <= b.at.astimezone(UTC) for a, b in pairwise(sequence))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(pps.events())
def test_events_are_well_formed_and_in_time_order(sequence: list[Event]) -> None:
    """Events never go back in time, stay in range, and purchase/incident IDs are unique."""
    assert well_ordered(sequence)
    assert all(e.at.tzinfo is pendulum.UTC for e in sequence)
    assert all(pps.DEFAULT_MIN <= e.at <= pps.DEFAULT_MAX for e in sequence)
    ids = [e.id for e in sequence if isinstance(e, Purchase | Open)]
    assert len(ids) == len(set(ids))
    assert len(sequence) <= 20


def test_events_refuse_bad_options() -> None:
    """Bad options of ``events`` are InvalidArguments naming the option."""
    for options in (
        {"policy": "default"},
        {"min_size": -1},
        {"max_size": 1.5},
        {"min_size": 3, "max_size": 2},
        {"min_value": datetime(2026, 1, 1)},
    ):
        with pytest.raises(InvalidArgument, match=next(iter(options))):
            pps.events(**options)


@given(pps.events(min_size=3, max_size=3))
def test_events_sizes_are_respected(sequence: list[Event]) -> None:
    """``min_size`` and ``max_size`` bound the length."""
    assert len(sequence) == 3


def applied(policy: Policy, sequence: list[Event]) -> list[Applied]:
    """Each event applied to the world left by the ones before it."""
    steps, world = [], World(policy)
    for event in sequence:
        step = world.apply(event)
        steps.append(step)
        world = step.world
    return steps


def accepted_kinds(policy: Policy, sequence: list[Event]) -> list[str]:
    """The type names of the events the world accepted."""
    return [
        type(e).__name__
        for e, s in zip(sequence, applied(policy, sequence), strict=True)
        if s.accepted
    ]


SEARCH = settings(
    max_examples=1000, derandomize=True, database=None, deadline=None, phases=[Phase.generate]
)


@functools.cache
def default_stories() -> tuple[tuple[list[Event], list[Applied]], ...]:
    """A derandomized sample of event lists under ``Policy()``, each applied."""
    return tuple((seq, applied(Policy(), seq)) for seq in sample(pps.events()))


@pytest.mark.parametrize(
    "story",
    [
        ["Purchase", "Open", "Extend"],
        ["Purchase", "Open", "Resolve", "Reopen"],
        ["Purchase", "Open", "Invalidate", "Open"],
        ["Open", "StaffReply", "CustomerReply", "StaffReply"],
        ["Open", "Resolve", "Close", "Reopen"],
    ],
)
def test_events_reach_deep_states(story: list[str]) -> None:
    """Accepted stories only a consistent sequence tells: an extension, a reopen, a credit
    restored by invalidation then used again, a conversation, a manual close then a
    reopen. Each is found among the first thousand sequences (no shrinking: finding is
    the point)."""
    policy = Policy()

    def tells(sequence: list[Event]) -> bool:
        steps = applied(policy, sequence)
        kinds = iter(type(e).__name__ for e, s in zip(sequence, steps, strict=True) if s.accepted)
        return all(kind in kinds for kind in story)  # a subsequence, in order

    assert tells(find(pps.events(policy=policy), tells, settings=SEARCH))


def test_events_are_mostly_accepted() -> None:
    """Aimed at acceptance: over many sequences, most events are accepted."""
    results = [s.accepted for _, steps in default_stories() for s in steps]
    assert sum(results) >= len(results) // 2


def wall_gaps(sequence: list[Event]) -> list[tuple[pendulum.DateTime, datetime]]:
    """Consecutive instants, the first as a pendulum DateTime for wall-clock arithmetic."""
    return [(a.at.in_timezone(PARIS), b.at) for a, b in pairwise(sequence)]


def test_events_land_on_policy_periods() -> None:
    """Some gaps are exactly the auto-close period on the wall clock across a DST change
    (where elapsed time differs from 30 days by an hour), or exactly the validity year."""

    def thirty_days_across_dst(sequence: list[Event]) -> bool:
        return any(
            b == a.add(days=30) and a.utcoffset() != b.utcoffset() for a, b in wall_gaps(sequence)
        )

    def one_year(sequence: list[Event]) -> bool:
        return any(b == a.add(years=1) for a, b in wall_gaps(sequence))

    assert thirty_days_across_dst(find(pps.events(), thirty_days_across_dst, settings=SEARCH))
    assert one_year(find(pps.events(), one_year, settings=SEARCH))


# ------------------------------------------------------------------ calendars, policies


@given(pps.calendars())
def test_calendars_are_valid_and_open_some_time(calendar: Calendar) -> None:
    """Every calendar constructs, opens at some point, and knows its zone."""
    assert calendar.week.minutes > 0
    assert calendar.timezone in pps.ZONES
    t = calendar.next_open(datetime(2026, 1, 1, tzinfo=UTC))
    assert calendar.is_open(t)


def test_calendars_vary_every_part() -> None:
    """Zones, schedules, closures and openings all vary."""
    seen = sample(pps.calendars())
    assert {c.timezone for c in seen} == set(pps.ZONES)
    assert len({c.week for c in seen}) > 20
    assert any(c.closures for c in seen)
    assert any(c.openings for c in seen)
    assert any(c.week == WeeklySchedule.always() for c in seen)


def test_calendars_take_strategies() -> None:
    """``timezones`` and ``dates`` steer the zone and the closed dates."""
    christmas = date(2026, 12, 25)
    calendar = find(
        pps.calendars(timezones=st.just("Asia/Tokyo"), dates=st.just(christmas)),
        lambda c: bool(c.closures),
    )
    assert (calendar.timezone, calendar.closures) == ("Asia/Tokyo", frozenset({christmas}))
    for options in ({"timezones": "UTC"}, {"dates": date(2026, 1, 1)}):
        with pytest.raises(InvalidArgument, match=next(iter(options))):
            pps.calendars(**options)


def test_calendars_refuse_unknown_zones_when_drawn() -> None:
    """An unknown zone drawn from ``timezones`` is an InvalidArgument, not a PolicyError."""
    with pytest.raises(InvalidArgument, match="Mars/Olympus"):
        find(pps.calendars(timezones=st.just("Mars/Olympus")), lambda c: True)


@given(pps.policies())
def test_policies_are_valid_and_read_back_from_the_wire(policy: Policy) -> None:
    """Every policy is valid, and its overrides, as the engine reads them, give it back."""
    assert 0 <= policy.warning_minutes <= policy.allowance_minutes
    assert structure_policy(policies_strategies._overrides(policy)) == policy


def test_policies_vary_every_number() -> None:
    """Each number takes the service's value and others."""
    seen = sample(pps.policies())
    for name in _NUMBERS:
        values = {getattr(p, name) for p in seen}
        assert getattr(Policy(), name) in values, name
        assert len(values) >= 5, name
    assert any(p.catalog != Catalog() for p in seen)


def test_policies_take_a_calendar_strategy() -> None:
    """``calendars`` steers the calendar; a non-strategy is refused."""
    assert find(pps.policies(calendars=st.just(Calendar())), lambda p: True).calendar == Calendar()
    with pytest.raises(InvalidArgument, match="calendars"):
        pps.policies(calendars=Calendar())  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- accounts


@given(pps.accounts())
def test_accounts_keep_the_conservation_laws(account: Account) -> None:
    """Every lot: 0 <= remaining <= credits (credits = remaining + consumed); IDs unique."""
    assert all(0 <= lot.remaining <= lot.credits for lot in account.lots)
    assert all(lot.consumed == lot.credits - lot.remaining for lot in account.lots)
    assert len({lot.id for lot in account.lots}) == len(account.lots)


def test_accounts_vary() -> None:
    """Accounts have several lots, partly consumed ones, and expiry notices sent."""
    seen = sample(pps.accounts())
    assert any(len(a.lots) >= 3 for a in seen)
    assert any(0 < lot.remaining < lot.credits for a in seen for lot in a.lots)
    assert any(lot.notices for a in seen for lot in a.lots)


def test_accounts_refuse_bad_options() -> None:
    """A policy that is not a Policy, or bounds out of order, are refused."""
    with pytest.raises(InvalidArgument, match="policy"):
        pps.accounts(policy={})  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="min_value"):
        pps.accounts(min_value=DEFAULT_MAX_PLUS, max_value=pps.DEFAULT_MAX)


@given(
    pps.accounts(
        min_value=datetime(9998, 12, 31, tzinfo=UTC), max_value=datetime(9999, 12, 31, tzinfo=UTC)
    )
)
def test_accounts_at_the_end_of_time(account: Account) -> None:
    """Near the year 9999 a purchase whose lot would outlive the calendar is skipped."""
    assert all(lot.expires_at.year <= 9999 for lot in account.lots)


# --------------------------------------------------------------------------- scenarios


def outcome(document: dict[str, Any]) -> dict[str, Any]:
    """The outcome of a document, through JSON both ways (it must be JSON)."""
    written: dict[str, Any] = json.loads(json.dumps(replay(json.loads(json.dumps(document)))))
    return written


@given(pps.scenarios())
def test_valid_scenarios_replay_with_no_input_refusal(document: dict[str, Any]) -> None:
    """A valid scenario's events are well formed and in order: none is refused for its
    input (malformed, naive, out of order, duplicate, another's incident)."""
    input_rules = {
        RuleId.INPUT_MALFORMED,
        RuleId.INPUT_AWARE_ONLY,
        RuleId.INPUT_OUT_OF_ORDER,
        RuleId.INPUT_DUPLICATE_ID,
        RuleId.INPUT_OWNER,
    }
    results = outcome(document)["results"]
    assert len(results) == len(document["events"])
    assert not [r for r in results if r.get("rule") in input_rules]


@functools.cache
def mixed_pairs() -> tuple[scenarios_strategies.ScenarioPair, ...]:
    """A derandomized sample of mixed scenarios with their valid twins."""
    return tuple(sample(scenarios_strategies._scenario_pairs(valid="mixed")))


def test_broken_scenarios_break_every_way() -> None:
    """Every kind of breakage is drawn: malformed, naive, unknown, out of order, duplicate,
    a stranger acting (input.owner).
    (That the engine refuses each by its promised rule is a law of ``test_fuzz``.)"""
    rules = {b.rule for pair in mixed_pairs() for b in pair.breakages}
    assert rules == {
        RuleId.INPUT_MALFORMED,
        RuleId.INPUT_AWARE_ONLY,
        RuleId.INPUT_UNKNOWN_INCIDENT,
        RuleId.INPUT_OUT_OF_ORDER,
        RuleId.INPUT_DUPLICATE_ID,
        RuleId.INPUT_OWNER,
    }


def test_scenarios_write_instants_every_way() -> None:
    """Instants come in the policy zone, as Z, and at other offsets; policies vary."""
    documents = [pair.clean for pair in mixed_pairs()]
    stamps = [e["at"] for d in documents for e in d["events"]]
    assert any(s.endswith("Z") for s in stamps)
    assert any(s.endswith("+01:00") for s in stamps)
    assert any(s.endswith("+02:00") for s in stamps)
    assert len({s[-6:] for s in stamps}) > 10
    assert {"policy" in d for d in documents} == {True, False}
    assert {"until" in d for d in documents} == {True, False}


def test_mixed_scenarios_are_both() -> None:
    """``valid="mixed"`` draws both valid and broken documents."""
    pairs = mixed_pairs()
    assert {bool(p.breakages) for p in pairs} == {True, False}
    assert all(p.clean == p.broken for p in pairs if not p.breakages)


def test_scenarios_refuse_bad_options() -> None:
    """Bad options of ``scenarios`` are InvalidArguments naming the option."""
    for options in (
        {"valid": "invalid"},
        {"policies": Policy()},
        {"max_size": -1},
        {"max_value": datetime(2026, 1, 1)},
    ):
        with pytest.raises(InvalidArgument, match=next(iter(options))):
            pps.scenarios(**options)


def test_instants_past_the_range_are_written_in_their_own_zone() -> None:
    """An instant whose fixed-offset reading would leave the datetime range keeps its own."""
    end = datetime(9999, 12, 31, 23, tzinfo=UTC)
    assert scenarios_strategies._iso(end, 14 * 60) == "9999-12-31T23:00:00+00:00"
    assert scenarios_strategies._iso(end, -60) == "9999-12-31T22:00:00-01:00"
    assert scenarios_strategies._iso(end, 0) == "9999-12-31T23:00:00Z"


@given(pps.events(policy=Policy(calendar=Calendar(timezone="America/New_York")), max_size=4))
def test_events_follow_the_given_policy(sequence: list[Event]) -> None:
    """Events are stored in UTC whatever the policy's zone."""
    assert all(e.at.tzinfo is pendulum.UTC for e in sequence)


def test_events_favour_the_given_policys_edges() -> None:
    """Events are drawn on the policy zone's wall clock: some land on 19:00 sharp there."""
    new_york = Policy(calendar=Calendar(timezone="America/New_York"))

    def closing_time(sequence: list[Event]) -> bool:
        return any(e.at.in_timezone(new_york.tz).format("HH:mm:ss") == "19:00:00" for e in sequence)

    assert closing_time(find(pps.events(policy=new_york), closing_time, settings=SEARCH))


TEMPLATES = [
    {"at": "2026-11-27T10:00:00+01:00", "type": "purchase", "customer": "acme", "id": "p1",
     "product": "single", "count": 1},
    {"at": "2026-11-27T10:00:00Z", "type": "log_time", "incident": "i1", "minutes": 30},
    {"at": "2026-11-27T10:00:00Z", "type": "invalidate", "incident": "i1", "reason": "vendor_bug"},
    {"at": "2026-11-27T10:00:00Z", "type": "open", "customer": "acme", "id": "i1", "area": ""},
]  # fmt: skip


@SAMPLE
@given(st.data(), st.sampled_from(TEMPLATES))
def test_malformed_events_are_malformed_where_they_say(
    data: st.DataObject, template: dict[str, Any]
) -> None:
    """Each malformation of a well-formed event is refused as malformed, naming its field."""
    (accepted,) = replay({"events": [template]})["results"]
    assert accepted["accepted"] or template["type"] != "purchase"
    broken, name = data.draw(
        st.composite(lambda draw: scenarios_strategies._malformed(draw, template))()
    )
    (refused,) = replay({"events": [broken]})["results"]
    assert (refused["accepted"], refused["rule"]) == (False, RuleId.INPUT_MALFORMED.value)
    assert name in refused["message"]


@given(st.data())
def test_instants_past_the_zones_range_are_written_in_utc(data: st.DataObject) -> None:
    """An event whose policy-zone clock would show the year 10000 is written in UTC."""
    event = Resolve(at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC), incident="i1")
    draw = cast(st.DrawFn, data.draw)  # the same callable a composite strategy gets
    out = scenarios_strategies._wire(draw, event, PARIS)
    assert datetime.fromisoformat(out["at"].replace("Z", "+00:00")) == event.at
