"""Policy(): the seed's numbers, each configurable and validated, and its dated changes
(policy.changes) with the versions whose terms lots and incidents keep
(policy.pinned-terms)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import (
    Calendar,
    Policy,
    PolicyChange,
    PolicyError,
    RuleId,
    ScenarioError,
    WeeklySchedule,
    replay,
)
from premier_policy.base._instants import plain
from premier_policy.terms._policy import (
    MAX_DAYS,
    MAX_MINUTES,
    MAX_RESPONSE_MINUTES,
    MAX_YEARS,
    _span,
    wall_added,
)
from premier_policy.wire._policy import NUMBERS, structure_policy


@pytest.mark.parametrize(
    "name",
    [
        "response_target_minutes",
        "allowance_minutes",
        "validity_years",
        "auto_close_days",
        "reopen_days",
    ],
)
def test_positive_numbers_are_checked(name: str) -> None:
    """Zero, negatives and non-integers are refused, naming the field."""
    bad: object
    for bad in (0, -1, 1.5, "1", True):
        with pytest.raises(PolicyError) as info:
            Policy(**{name: bad})  # type: ignore[arg-type]
        assert info.value.field == name


def test_zero_is_allowed_where_it_means_none() -> None:
    """No warning and no expiry notice are valid choices."""
    policy = Policy(warning_minutes=0, expiry_notice_days=0)
    assert (policy.warning_minutes, policy.expiry_notice_days) == (0, 0)


def test_warning_cannot_exceed_allowance() -> None:
    """A warning level above the allowance makes no sense."""
    assert Policy(allowance_minutes=60, warning_minutes=60).warning_minutes == 60
    with pytest.raises(PolicyError) as info:
        Policy(allowance_minutes=60, warning_minutes=61)
    assert info.value.field == "warning_minutes"


def test_local_and_utc_forms() -> None:
    """Policy.local is the calendar's zone, Policy.utc is UTC; both refuse naive input."""
    policy = Policy()
    t = datetime(2026, 7, 1, 6, tzinfo=UTC)
    assert (policy.local(t).hour, policy.local(t).tzinfo) == (8, policy.tz)
    assert (policy.utc(t).hour, policy.utc(t).tzinfo) == (6, pendulum.UTC)
    for convert in (policy.local, policy.utc):
        with pytest.raises(PolicyError) as info:
            convert(datetime(2026, 7, 1, 6))
        assert info.value.rule is RuleId.INPUT_AWARE_ONLY


def paris(*fields: int) -> pendulum.DateTime:
    return pendulum.datetime(*fields, tz="Europe/Paris")  # type: ignore[arg-type, misc]


def test_wall_add_keeps_the_wall_clock_across_summer_time() -> None:
    """lifecycle.auto-close and credits.validity count on the Paris wall clock: 30 days
    from 10:00 CEST is 10:00 CET (30 days and an hour), a year from 29 February is 28
    February; the result is UTC, and negative amounts move back."""
    policy = Policy()
    later = policy.wall_add(paris(2026, 10, 10, 10), days=30)
    assert (later, later.tzinfo) == (paris(2026, 11, 9, 10), pendulum.UTC)
    assert later - paris(2026, 10, 10, 10) == pendulum.duration(days=30, hours=1)
    assert policy.wall_add(paris(2028, 2, 29, 10), years=1) == paris(2029, 2, 28, 10)
    assert policy.wall_add(paris(2027, 4, 15, 10), days=-30) == paris(2027, 3, 16, 10)
    # The zone the instant comes in does not matter: the policy zone's wall clock does.
    new_york = paris(2026, 10, 10, 10).in_timezone("America/New_York")
    assert policy.wall_add(new_york, days=30) == later


@pytest.mark.usefixtures("host_in_kolkata")
def test_wall_add_ignores_the_hosts_time_zone() -> None:
    """A year later on the wall clock is the same instant whatever zone the host keeps
    (here +05:30): the arithmetic converts to UTC, never to the host's zone."""
    assert time.localtime(0)[3:5] == (5, 30)  # the fixture took effect
    later = Policy().wall_add(paris(2026, 3, 28, 2, 30), years=1)
    assert later == pendulum.datetime(2027, 3, 28, 1, 30)
    assert Policy().show(later) == "2027-03-28 03:30 CEST"


def test_wall_add_gap_moves_forward_and_fold_is_the_later_reading() -> None:
    """02:30 is missing on 2027-03-28 (03:30 CEST instead) and happens twice on
    2027-10-31 (the second, CET, is chosen)."""
    policy = Policy()
    assert policy.show(policy.wall_add(paris(2026, 3, 28, 2, 30), years=1)) == (
        "2027-03-28 03:30 CEST"
    )
    assert policy.wall_add(paris(2027, 10, 1, 2, 30), days=30) == pendulum.datetime(
        2027, 10, 31, 1, 30
    )


@settings(max_examples=300)
@given(
    zone_name=st.sampled_from(
        ["Europe/Paris", "America/New_York", "Australia/Lord_Howe", "America/Santiago", "UTC"]
    ),
    start=st.datetimes(datetime(1970, 1, 1), datetime(2040, 1, 1)),
    years=st.integers(0, 3),
    days=st.integers(-400, 400) | st.sampled_from([0, 1, -1, 7, 30, -30, 365]),
)
def test_wall_add_is_pendulums_wall_clock_arithmetic(
    zone_name: str, start: datetime, years: int, days: int
) -> None:
    """The standard-library arithmetic gives pendulum's in_timezone(tz).add(years, days),
    gaps, folds and 29 February included; the replay engine's plain form alike."""
    policy = Policy(calendar=Calendar(timezone=zone_name))
    t = pendulum.instance(start.replace(tzinfo=UTC))
    expected = t.in_timezone(zone_name).add(years=years, days=days).in_timezone("UTC")
    got = policy.wall_add(t, years=years, days=days)
    assert got == expected
    assert got.tzinfo is pendulum.UTC
    in_plain = wall_added(policy, plain(t), years=years, days=days)
    assert in_plain == expected
    assert type(in_plain) is datetime
    assert in_plain.tzinfo is pendulum.UTC


def test_wall_add_names_its_field_for_an_instant_it_cannot_start_from() -> None:
    """A naive instant, or one the zone's calendar cannot write, is refused under the
    field the caller named, not the default ``at``."""
    policy = Policy()
    cases = [
        (datetime(2026, 1, 1), 1, "input.aware-only"),
        (pendulum.datetime(9999, 12, 31, 23, 30, tz="UTC"), -1, "input.malformed"),
    ]
    for t, days, rule in cases:
        with pytest.raises(PolicyError) as info:
            policy.wall_add(t, days=days, field="resolved_at")
        assert (info.value.rule, info.value.field) == (rule, "resolved_at")


def test_wall_add_beyond_the_calendar_names_the_field() -> None:
    """Past the year 9999 or before the year 1: a PolicyError naming the field and
    saying how far and from when; naive instants are refused (input.aware-only)."""
    policy = Policy()
    with pytest.raises(PolicyError) as info:
        policy.wall_add(pendulum.datetime(9999, 6, 1), years=1, field="resolved_at")
    assert str(info.value) == (
        "resolved_at: 1 year after 9999-06-01 02:00 CEST is after the year 9999"
    )
    with pytest.raises(PolicyError) as info:
        policy.wall_add(pendulum.datetime(9999, 6, 1), years=1, days=1)
    assert (
        str(info.value) == "at: 1 year and 1 day after 9999-06-01 02:00 CEST is after the year 9999"
    )
    with pytest.raises(PolicyError, match=r"^at: 2 days before .* is before the year 1$"):
        policy.wall_add(pendulum.datetime(1, 1, 2), days=-2)
    with pytest.raises(PolicyError) as info:  # one day is "after" too
        policy.wall_add(pendulum.datetime(9999, 12, 31, 12), days=1)
    assert str(info.value) == "at: 1 day after 9999-12-31 13:00 CET is after the year 9999"
    with pytest.raises(PolicyError) as info:
        policy.wall_add(pendulum.datetime(9999, 12, 31, 23, 30), days=1)
    assert info.value.field == "at"  # the instant itself is past 9999 in Paris
    with pytest.raises(PolicyError) as info:
        policy.wall_add(datetime(2026, 7, 1, 6), days=1)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "at")
    with pytest.raises(PolicyError) as info:  # the replay engine's plain form, alike
        wall_added(policy, plain(pendulum.datetime(9999, 6, 1)), years=1, days=1)
    assert (
        str(info.value) == "at: 1 year and 1 day after 9999-06-01 02:00 CEST is after the year 9999"
    )


def test_utc_of_pendulum_values_agrees_with_the_boundary() -> None:
    """Policy.utc takes aware pendulum values to UTC by its own fast path: the same
    instant (both readings of the autumn fold, the calendar's last year included) as
    premier_policy.base._instants.utc, and a naive value is refused the same way."""
    from premier_policy.base._instants import utc

    policy = Policy()
    fold = pendulum.datetime(2026, 10, 25, 2, 30, tz="Europe/Paris")
    values = [
        fold.replace(fold=0),
        fold.replace(fold=1),
        pendulum.datetime(9999, 12, 31, 23, tz="America/New_York"),
        pendulum.datetime(1, 1, 1, 12, tz="Europe/Paris"),
        pendulum.datetime(1, 1, 1, 0, 5, tz="Europe/Paris"),  # before the year 1 in UTC
        pendulum.datetime(2026, 7, 1, 6, tz="UTC"),
    ]
    for value in values[:-1]:
        try:
            expected = utc(value)
        except PolicyError as error:
            with pytest.raises(PolicyError, match=re.escape(error.detail)):
                policy.utc(value)
            continue
        got = policy.utc(value)
        assert (got, got.tzinfo, got.fold) == (expected, pendulum.UTC, 0)
    assert policy.utc(values[0]) != policy.utc(values[1])  # an hour apart
    assert policy.utc(values[-1]) is values[-1]  # stored instants pass through
    with pytest.raises(PolicyError) as info:
        policy.utc(pendulum.naive(2026, 7, 1, 6), field="until")
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "until")
    with pytest.raises(PolicyError) as info:
        policy.utc(pendulum.naive(2026, 7, 1, 6))
    assert info.value.field == "at"


def test_show_keeps_seconds_and_their_fraction_only_when_set() -> None:
    """Instants a few milliseconds apart read differently; whole minutes stay short."""
    policy = Policy()
    base = pendulum.datetime(2027, 1, 5, 18, tz="UTC")
    assert policy.show(base) == "2027-01-05 19:00 CET"
    assert policy.show(base.add(seconds=7)) == "2027-01-05 19:00:07 CET"
    assert policy.show(base.add(microseconds=500)) == "2027-01-05 19:00:00.0005 CET"
    assert policy.show(base.add(seconds=1, microseconds=120_000)) == "2027-01-05 19:00:01.12 CET"
    assert policy.show(base.add(microseconds=1)) != policy.show(base.add(microseconds=2))
    with pytest.raises(PolicyError) as naive:
        policy.show(base.naive())
    assert (naive.value.rule, naive.value.field) == (RuleId.INPUT_AWARE_ONLY, "t")


def test_span_words_every_count_including_none() -> None:
    """The spans in wall-clock refusals read as English, down to no time at all."""
    assert _span(30, 0) == "30 days"
    assert _span(-1, 1) == "1 year and 1 day"
    assert _span(0, -2) == "2 years"
    assert _span(0, 0) == "0 days"


# --- dated changes (policy.changes, policy.pinned-terms) ---------------------------------

MARCH = pendulum.datetime(2027, 3, 1, tz="Europe/Paris")
JUNE = pendulum.datetime(2027, 6, 1, tz="Europe/Paris")
LONG_DAYS = WeeklySchedule.from_mapping(
    {day: [["08:00", "20:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
)


def timeline() -> Policy:
    """The base policy, a 4-hour target from March, longer evenings from June."""
    march = Policy(response_target_minutes=240)
    june = attrs.evolve(march, calendar=Calendar(week=LONG_DAYS))
    return Policy(changes=[PolicyChange(MARCH, march), PolicyChange(JUNE, june)])


def test_the_version_in_force_is_that_of_the_last_change_at_or_before() -> None:
    """Version 0 before March, 1 from March 1st 00:00 sharp, 2 from June."""
    policy = timeline()
    assert policy.version_at(MARCH - timedelta(microseconds=1)) == 0
    assert policy.version_at(MARCH) == 1
    assert policy.version_at(JUNE.add(years=5)) == 2
    assert [v.version for v in policy.versions] == [0, 1, 2]
    assert policy.in_force(MARCH).response_target_minutes == 240
    assert policy.in_force(MARCH).version_at(JUNE) == 2


def test_every_version_counts_under_the_hours_in_force() -> None:
    """A target started under March's terms before June ends under June's hours."""
    policy = timeline()
    friday = pendulum.datetime(2027, 5, 28, 18, tz="Europe/Paris")
    march = policy.terms(1)
    # 1 h on Friday (to 19:00), then Monday 31 May 08:00-11:00: June's hours start on Tuesday.
    assert march.response_due(friday) == pendulum.datetime(2027, 5, 31, 11, tz="Europe/Paris")
    tuesday = pendulum.datetime(2027, 6, 1, 17, tz="Europe/Paris")
    # 3 h on Tuesday to 20:00 under June's hours, then 1 h on Wednesday.
    assert policy.in_force(tuesday).response_due(tuesday) == pendulum.datetime(
        2027, 6, 2, 9, tz="Europe/Paris"
    )
    assert policy.response_due(tuesday) == pendulum.datetime(2027, 6, 1, 19, tz="Europe/Paris")


def test_without_changes_there_is_one_version() -> None:
    """Policy() is its own only version; asking for another is an error naming the field."""
    policy = Policy()
    assert (policy.version, policy.versions, policy.version_at(JUNE)) == (0, (policy,), 0)
    assert policy.in_force(JUNE) is policy
    assert policy.terms(0) is policy
    for bad in (-1, 1):
        with pytest.raises(PolicyError) as info:
            policy.terms(bad)
        assert (info.value.rule, info.value.field) == (RuleId.POLICY_PINNED_TERMS, "policy_version")


def test_a_policy_with_changes_is_a_value() -> None:
    """Equal timelines are equal and hash alike; the versions differ from the base."""
    assert timeline() == timeline()
    assert hash(timeline()) == hash(timeline())
    assert timeline() != Policy()
    assert timeline().terms(0) != Policy()  # its hours are the timeline's


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ("2027", "changes"),
        (2027, "changes"),
        ([Policy()], "changes"),
        ([PolicyChange(JUNE, Policy()), PolicyChange(MARCH, Policy())], "changes[1].from"),
        ([PolicyChange(MARCH, Policy()), PolicyChange(MARCH, Policy())], "changes[1].from"),
        (
            [PolicyChange(MARCH, Policy(calendar=Calendar(timezone="Asia/Tokyo")))],
            "changes[0].policy.timezone",
        ),
    ],
)
def test_bad_changes_are_refused(changes: object, field: str) -> None:
    """Not changes, not strictly increasing, or another zone: policy.changes, naming the field."""
    with pytest.raises(PolicyError) as info:
        Policy(changes=changes)  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (RuleId.POLICY_CHANGES, field)


def test_changes_that_are_not_a_list_of_changes_are_echoed() -> None:
    """The refusal echoes what came instead of a list of changes, or of a change."""
    with pytest.raises(PolicyError) as info:
        Policy(changes="2027")  # type: ignore[arg-type]
    assert info.value.detail == "expected a list of PolicyChange, got '2027'"
    with pytest.raises(PolicyError) as info:
        Policy(changes=["2027"])  # type: ignore[list-item]
    assert info.value.detail == "expected a PolicyChange, got '2027'"


def test_a_calendar_or_catalog_of_another_type_is_refused() -> None:
    """A Policy holds a Calendar and a Catalog: anything else is refused by field."""
    cases: list[tuple[str, object, str]] = [
        ("calendar", "Europe/Paris", "str"),
        ("catalog", None, "NoneType"),
    ]
    for field, value, kind in cases:
        with pytest.raises(PolicyError) as info:
            Policy(**{field: value})  # type: ignore[arg-type]
        assert (info.value.field, info.value.detail) == (
            field,
            f"expected {field.title()}, got {kind}",
        )


def test_local_names_at_unless_told_otherwise() -> None:
    """A naive instant given to local is refused under the field ``at`` by default."""
    with pytest.raises(PolicyError) as info:
        Policy().local(datetime(2026, 7, 1, 6))
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "at")


def test_a_change_is_a_whole_policy_without_changes_of_its_own() -> None:
    """PolicyChange refuses anything but a Policy, and a nested timeline."""
    for bad, detail in (
        ("policy", "expected a Policy, got str"),
        (timeline(), "a policy in force from an instant has no changes of its own"),
    ):
        with pytest.raises(PolicyError) as info:
            PolicyChange(MARCH, bad)  # type: ignore[arg-type]
        assert (info.value.rule, info.value.field, info.value.detail) == (
            RuleId.POLICY_CHANGES,
            "policy",
            detail,
        )
    with pytest.raises(PolicyError) as info:
        PolicyChange(datetime(2027, 3, 1), Policy())
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "from")


_BOUNDS = {
    "response_target_minutes": MAX_RESPONSE_MINUTES,
    "allowance_minutes": MAX_MINUTES,
    "warning_minutes": MAX_MINUTES,
    "validity_years": MAX_YEARS,
    "expiry_notice_days": MAX_DAYS,
    "auto_close_days": MAX_DAYS,
    "reopen_days": MAX_DAYS,
}
_AT = "2026-11-27T{}:00+01:00"
_BUSY = [
    {"type": "purchase", "at": _AT.format("09:00"), "customer": "a", "id": "p1",
     "product": "bundle-3"},
    {"type": "open", "at": _AT.format("10:00"), "customer": "a", "id": "i1", "area": "setup"},
    {"type": "staff_reply", "at": _AT.format("10:30"), "incident": "i1"},
    {"type": "customer_reply", "at": _AT.format("10:40"), "incident": "i1"},
    {"type": "log_time", "at": _AT.format("11:00"), "incident": "i1", "minutes": 200},
    {"type": "resolve", "at": _AT.format("12:00"), "incident": "i1"},
    {"type": "reopen", "at": _AT.format("13:00"), "incident": "i1"},
    {"type": "close", "at": _AT.format("14:00"), "incident": "i1"},
]  # fmt: skip


def test_every_policy_number_has_a_bound() -> None:
    """Each number builds at its bound and is refused past it, naming the field."""
    assert set(_BOUNDS) == set(NUMBERS)
    for name, bound in _BOUNDS.items():
        extra: dict[str, Any] = {"allowance_minutes": bound} if name == "warning_minutes" else {}
        assert getattr(Policy(**{name: bound, **extra}), name) == bound
        for bad in (bound + 1, 10**18, 10**5000):
            with pytest.raises(PolicyError) as info:
                Policy(**{name: bad, **extra})
            assert info.value.field == name
            assert f"at most {bound}" in info.value.detail


@settings(max_examples=25)
@given(
    st.sampled_from(sorted(_BOUNDS)),
    st.data(),
    st.sampled_from([None, "2027-06-01T00:00:00Z", "9999-12-30T00:00:00Z"]),
)
def test_numbers_within_their_bounds_never_overflow(
    name: str, data: st.DataObject, until: str | None
) -> None:
    """Within its bound, a number gives an outcome, a refusal or a PolicyError: never an
    OverflowError, from replay or from the arithmetic itself."""
    bound = _BOUNDS[name]
    value = data.draw(st.sampled_from([bound, bound - 1]) | st.integers(1, bound))
    policy: dict[str, object] = {name: value}
    if name == "warning_minutes":
        policy["allowance_minutes"] = MAX_MINUTES
    if name == "allowance_minutes":
        policy["warning_minutes"] = 0  # the default 60 would exceed a smaller allowance
    document: dict[str, object] = {"policy": policy, "events": _BUSY}
    if until is not None:
        document["until"] = until
    named: list[str | None] = []
    try:
        replay(document)
    except ScenarioError as error:  # a timer past the year 9999, named by its field
        named.append(error.field)
    start = pendulum.datetime(2026, 11, 27, 10, tz="UTC")
    built = structure_policy(policy)
    computations: tuple[Callable[[], object], ...] = (
        lambda: built.response_due(start),
        lambda: built.wall_add(start, days=built.auto_close_days, years=built.validity_years),
    )
    for compute in computations:
        try:
            compute()
        except PolicyError as error:
            named.append(error.field or error.rule)
    assert None not in named
    assert set(named) <= {"until", "at", RuleId.HOURS_ARITHMETIC}
