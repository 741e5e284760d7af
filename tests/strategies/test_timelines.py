"""The timeline and holiday strategies draw what they promise, and refuse bad options."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from premier_policy import Calendar, Policy, PublicHolidays, RuleId, replay
from premier_policy import strategies as pps
from premier_policy.strategies import _policies as policies_strategies
from premier_policy.strategies import _scenarios as scenarios_strategies
from premier_policy.wire._policy import structure_policy
from premier_policy.wire._scenario import read_scenario

GROUPS: dict[str, tuple[str, ...]] = {
    "commercial": ("catalog", "validity_years", "expiry_notice_days"),
    "incident": (
        "response_target_minutes",
        "allowance_minutes",
        "warning_minutes",
        "auto_close_days",
        "reopen_days",
    ),
    "hours": ("calendar",),
}
FIELDS = tuple(name for names in GROUPS.values() for name in names)
# Three weeks around the 2026 autumn change: the laws' window.
START, END = datetime(2026, 10, 12, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
FEW = settings(max_examples=40)
SAMPLE = settings(max_examples=80, derandomize=True, database=None, deadline=None)


def sample(strategy: st.SearchStrategy[Any]) -> list[Any]:
    """Every example a short derandomized run of ``strategy`` generates."""
    seen: list[Any] = []

    @SAMPLE
    @given(strategy)
    def collect(value: Any) -> None:
        seen.append(value)

    collect()
    return seen


def steps(policy: Policy) -> list[tuple[Policy, Policy]]:
    """Each version's own terms (no changes) beside the next one's."""
    terms = [policy, *(change.policy for change in policy.changes)]
    return list(pairwise(terms))


def moved(before: Policy, after: Policy) -> set[str]:
    """The fields a change overrides with another value."""
    return {name for name in FIELDS if getattr(before, name) != getattr(after, name)}


# ------------------------------------------------------------------------- holidays


def test_calendars_close_on_holidays_as_asked() -> None:
    """``"none"`` never has holidays, ``"some"`` always one of HOLIDAYS, ``"mixed"`` both;
    every country and subdivision of HOLIDAYS is drawn."""
    assert all(c.holidays is None for c in sample(pps.calendars()))
    some = sample(pps.calendars(holidays="some"))
    known = {PublicHolidays(*pair) for pair in pps.HOLIDAYS}
    assert {c.holidays for c in some} == known
    mixed = {c.holidays for c in sample(pps.calendars(holidays="mixed"))}
    assert None in mixed
    assert mixed & known


@FEW
@given(pps.policies(calendars=pps.calendars(holidays="some")))
def test_policies_with_holidays_read_back_from_the_wire(policy: Policy) -> None:
    """A policy closed on holidays writes them in its overrides, read back equal."""
    assert policy.calendar.holidays is not None
    assert structure_policy(policies_strategies._overrides(policy)) == policy


def test_calendars_refuse_a_bad_holidays_option() -> None:
    """An unknown ``holidays`` option is refused when the strategy is built."""
    with pytest.raises(InvalidArgument, match="holidays='FR'"):
        pps.calendars(holidays="FR")  # type: ignore[arg-type]


# ------------------------------------------------------------------------ timelines


@given(pps.timelines())
def test_timelines_are_strictly_increasing_in_one_zone(policy: Policy) -> None:
    """Changes come at strictly increasing instants, each a whole policy in the base's
    zone with no changes of its own; at most three by default."""
    starts = [change.at for change in policy.changes]
    assert starts == sorted(set(starts))
    assert len(starts) <= 3
    for change in policy.changes:
        assert change.policy.calendar.timezone == policy.calendar.timezone
        assert change.policy.changes == ()
    assert len(policy.versions) == len(starts) + 1


@settings(max_examples=60)
@given(st.data(), st.sampled_from(sorted(GROUPS)))
def test_each_kind_of_change_overrides_only_its_terms(data: st.DataObject, terms: Any) -> None:
    """``terms="commercial"``, ``"incident"`` or ``"hours"``: a change overrides that
    group's fields only, the warning never above the allowance."""
    policy = data.draw(pps.timelines(terms=terms, min_size=1))
    for before, after in steps(policy):
        assert moved(before, after) <= set(GROUPS[terms])
        assert after.warning_minutes <= after.allowance_minutes


def test_timelines_vary() -> None:
    """Every group is overridden, alone and together; changes that keep every term
    happen; timelines of zero to three changes; holidays in base and changed hours."""
    seen = sample(pps.timelines())
    groups = [
        frozenset(g for g, names in GROUPS.items() if moved(a, b) & set(names))
        for policy in seen
        for a, b in steps(policy)
    ]
    assert {g for g in groups if len(g) == 1} == {frozenset([g]) for g in GROUPS}
    assert frozenset(GROUPS) in groups
    assert frozenset() in groups
    assert {len(p.changes) for p in seen} == {0, 1, 2, 3}
    assert any(p.calendar.holidays is not None for p in seen)
    assert any(c.policy.calendar.holidays is not None for p in seen for c in p.changes)
    prices = {
        c.policy.catalog.currency for p in seen for c in p.changes if c.policy.catalog != p.catalog
    }
    assert len(prices) > 1


@FEW
@given(pps.timelines(min_size=2, max_size=2, min_value=START, max_value=END))
def test_timelines_respect_bounds_and_sizes(policy: Policy) -> None:
    """Sizes and bounds are respected; changed hours close dates within the bounds."""
    assert len(policy.changes) == 2
    low, high = START, END
    assert all(low <= change.at <= high for change in policy.changes)
    for change in policy.changes:
        calendar = change.policy.calendar
        if calendar != policy.calendar:
            days = [*calendar.closures, *(o.on for o in calendar.openings)]
            assert all(low.date() <= day <= high.date() for day in days)


def test_timelines_take_a_policy_strategy() -> None:
    """``policies`` draws the base; its own changes are dropped for the drawn ones."""
    tokyo = Policy(calendar=Calendar(timezone="Asia/Tokyo"))
    seen = sample(pps.timelines(policies=st.just(tokyo), max_size=1))
    assert {attrs_free(p) for p in seen} == {attrs_free(tokyo)}
    again = sample(pps.timelines(policies=pps.timelines(min_size=1), max_size=0))
    assert all(p.changes == () for p in again)


def attrs_free(policy: Policy) -> tuple[str, int]:
    """The base's zone and response target: what a timeline keeps of its base."""
    return policy.calendar.timezone, policy.response_target_minutes


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"terms": "prices"}, "terms='prices'"),
        ({"policies": Policy()}, "policies="),
        ({"min_size": -1}, "min_size"),
        ({"min_size": 4, "max_size": 3}, "min_size"),
        (
            {"min_size": 3, "min_value": START, "max_value": START},
            "do not fit",
        ),
        ({"min_value": END, "max_value": START}, "min_value"),
    ],
)
def test_timelines_refuse_bad_options(options: dict[str, Any], match: str) -> None:
    """Each bad option is an InvalidArgument naming it, raised at once."""
    with pytest.raises(InvalidArgument, match=match):
        pps.timelines(**options)


def test_one_microsecond_fits_one_change() -> None:
    """A range of one instant takes exactly one change, at that instant."""
    at = START
    seen = sample(pps.timelines(min_size=1, min_value=at, max_value=at))
    assert {p.changes[0].at for p in seen} == {at}


# ------------------------------------------------------------------------ scenarios


@FEW
@given(st.data())
def test_scenarios_write_a_timeline_as_policy_changes(data: st.DataObject) -> None:
    """A timeline's scenario reads back as the same policy, changes included, and its
    events are never refused for their input (products are those in force)."""
    policy = data.draw(pps.timelines(min_size=1, min_value=START, max_value=END))
    doc = data.draw(
        pps.scenarios(policies=st.just(policy), max_size=10, min_value=START, max_value=END)
    )
    assert len(doc["policy_changes"]) == len(policy.changes)
    assert read_scenario(doc).policy == policy
    refused = {r.get("rule") for r in replay(doc)["results"]}
    assert not {rule for rule in refused if rule and rule.startswith("input.")}


@FEW
@given(
    scenarios_strategies._scenario_pairs(
        valid="broken", policies=pps.timelines(min_value=START, max_value=END)
    )
)
def test_broken_scenarios_under_a_timeline_break_where_they_say(
    pair: scenarios_strategies.ScenarioPair,
) -> None:
    """Under changing products, each broken event is refused by the rule it breaks."""
    results = replay(pair.broken)["results"]
    for breakage in pair.breakages:
        result = results[breakage.index]
        assert (result["accepted"], result["rule"]) == (False, breakage.rule.value)
        if breakage.field is not None:
            assert result["message"].startswith(f"malformed event: {breakage.field}: ")


@FEW
@given(st.data())
def test_accounts_and_events_buy_what_is_in_force(data: st.DataObject) -> None:
    """Under a timeline, accounts buy products of the version in force, and events'
    purchases are never refused as unknown products."""
    policy = data.draw(
        pps.timelines(terms="commercial", min_size=1, min_value=START, max_value=END)
    )
    account = data.draw(pps.accounts(policy=policy, min_value=START, max_value=END))
    for lot in account.lots:
        terms = policy.terms(lot.policy_version)
        assert lot.product in {p.name for p in terms.catalog.products}
        assert lot.policy_version == policy.version_at(lot.purchased_at)
    doc = data.draw(pps.scenarios(policies=st.just(policy), min_value=START, max_value=END))
    results = replay(doc)["results"]
    assert RuleId.INPUT_MALFORMED.value not in {r.get("rule") for r in results}


def test_a_scenario_timeline_crosses_the_autumn_change() -> None:
    """Timelines over the autumn change put some change on the change's weekend."""
    seen = sample(pps.timelines(min_size=1, min_value=START, max_value=END))
    weekend = (datetime(2026, 10, 24, 22, tzinfo=UTC), datetime(2026, 10, 25, 23, tzinfo=UTC))
    assert any(weekend[0] <= c.at <= weekend[1] for p in seen for c in p.changes)
