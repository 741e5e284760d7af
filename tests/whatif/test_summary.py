"""Summaries: the figures read off one replay, and merging them exactly."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import Money, RuleId
from premier_policy.whatif import (
    BAD_LINES_KEPT,
    BadLine,
    Partition,
    Summary,
    Unreadable,
    Variant,
    Week,
    merge,
    summarize,
)


def event(at: str, kind: str, **fields: Any) -> dict[str, Any]:
    return {"at": at, "type": kind, **fields}


UNTIL = datetime.fromisoformat("2026-12-01T00:00:00+01:00")
# A week of acme's, hand-checked: 2026-11-23 is a Monday, business hours 08:00-19:00.
WEEK = [
    # Bought a year and three days before: expires on 2026-11-20 with its credit unused.
    event("2025-11-20T09:00:00+01:00", "purchase", customer="acme", id="p0", product="single"),
    event("2026-11-23T09:00:00+01:00", "purchase", customer="acme", id="p1", product="bundle-3"),
    # i1: answered in 30 minutes; the customer's reply on Monday 30 starts a second target,
    # never answered: breached at 14:00.
    event("2026-11-23T10:00:00+01:00", "open", customer="acme", id="i1", area="setup"),
    event("2026-11-23T10:30:00+01:00", "staff_reply", incident="i1"),
    # i2: due at 13:00, answered at 14:00: breached, and a first response of 180 minutes.
    event("2026-11-23T11:00:00+01:00", "open", customer="acme", id="i2", area="setup"),
    event("2026-11-23T14:00:00+01:00", "staff_reply", incident="i2"),
    # i3: opened at 19:00 sharp on Friday, when business hours end: answered on Monday at
    # 08:30, 30 business minutes; extended with a new credit, then invalidated: both
    # credits go back.
    event("2026-11-27T19:00:00+01:00", "open", customer="acme", id="i3", area="running"),
    event("2026-11-30T08:30:00+01:00", "staff_reply", incident="i3"),
    event("2026-11-30T09:00:00+01:00", "log_time", incident="i3", minutes=200),
    event("2026-11-30T09:05:00+01:00", "purchase", customer="acme", id="p2", product="single"),
    event("2026-11-30T09:10:00+01:00", "extend", incident="i3"),
    event("2026-11-30T10:00:00+01:00", "invalidate", incident="i3", reason="vendor_bug"),
    event("2026-11-30T12:00:00+01:00", "customer_reply", incident="i1"),
    event("2026-11-30T11:00:00+01:00", "open", customer="globex", id="g1", area="setup"),
    event("2026-11-30T11:00:00+01:00", "staff_reply", incident="zz"),
    {"type": "teleport"},
    event("2026-11-30T09:00:00", "resolve", incident="i1"),
]


def week_summary() -> Summary:
    entries: list[tuple[int, object]] = list(enumerate(WEEK, start=1))
    entries.append((len(WEEK) + 1, Unreadable("Expecting value")))
    return summarize(Partition.of(entries), Variant("as sold"), UNTIL)


def test_a_week_by_hand() -> None:
    """Every figure of a hand-checked week: results, targets, response times, credits."""
    done = week_summary()
    assert done.lines == len(WEEK) + 1
    assert done.accepted == {
        "customer_reply": 1,
        "extend": 1,
        "invalidate": 1,
        "log_time": 1,
        "open": 3,
        "purchase": 3,
        "staff_reply": 3,
    }
    assert done.refused == {
        RuleId.CREDITS_NONE_AVAILABLE.value: 1,
        RuleId.INPUT_AWARE_ONLY.value: 1,
        RuleId.INPUT_MALFORMED.value: 2,
        RuleId.INPUT_UNKNOWN_INCIDENT.value: 1,
    }
    assert (done.incidents_opened, done.incidents_invalidated, done.incidents_reopened) == (3, 1, 0)
    assert (done.targets_started, done.targets_met, done.targets_breached) == (4, 2, 2)
    assert done.breach_rate == 0.5
    assert done.weekly == (Week("2026-W48", 3, 2, 1), Week("2026-W49", 1, 0, 1))
    assert done.first_responses == {30: 2, 180: 1}
    assert (done.first_response((1, 2)), done.first_response((9, 10))) == (30, 180)
    assert (done.credits_bought, done.credits_consumed, done.credits_held) == (5, 4, 2)
    assert (done.credits_restored, done.credits_expired_unused) == (2, 1)
    assert done.revenue == Money("375.00", "USD")


def test_bad_lines_name_line_rule_and_message() -> None:
    """Malformed lines, naive instants and lines that are not JSON, by line number."""
    n = len(WEEK)
    assert week_summary().bad_lines == (
        BadLine(n - 1, "input.malformed", "malformed event: type: unknown event type 'teleport'; expected one of "
                "purchase, refund_request, open, staff_reply, customer_reply, log_time, "
                "extend, resolve, close, reopen, invalidate"),
        BadLine(n, "input.aware-only", "malformed event: at: naive datetime "
                "2026-11-30T09:00:00; give it a UTC offset or a zone"),
        BadLine(n + 1, "input.malformed", "malformed line: not JSON: Expecting value"),
    )  # fmt: skip


def test_what_the_policy_changes_the_summary_shows() -> None:
    """A 4-hour target: i2's reply at 14:00 is in time, i1's second target not yet due
    at 16:00 is breached at 16:00; euros price the revenue."""
    variant = Variant("4h", {"response_target_minutes": 240, "currency": "EUR"})
    done = summarize(Partition.of(enumerate(WEEK, start=1)), variant, UNTIL)
    assert (done.targets_met, done.targets_breached) == (3, 1)
    assert done.revenue == Money("375.00", "EUR")


def test_before_the_expiry_nothing_has_expired() -> None:
    """Credits expire unused only once the report's instant reaches the lot's expiry."""
    bought = [WEEK[0]]
    before = datetime.fromisoformat("2026-11-20T08:59:59+01:00")
    assert (
        summarize(Partition.of([(1, bought[0])]), Variant("A"), before).credits_expired_unused == 0
    )
    at = datetime.fromisoformat("2026-11-20T09:00:00+01:00")
    assert summarize(Partition.of([(1, bought[0])]), Variant("A"), at).credits_expired_unused == 1


def test_a_log_with_nothing_readable_has_no_instant() -> None:
    """No readable event and no instant: every line refused, no target, no response."""
    done = summarize(Partition.of([(1, {"type": "x"})]), Variant("A"), None)
    assert (done.refused, done.events_accepted) == ({"input.malformed": 1}, 0)
    assert done.first_response((1, 2)) is None
    assert done.breach_rate is None
    assert Week("2026-W01", 1, 0, 0).breach_rate is None


LINES = st.integers(1, 10**6)
BAD = st.builds(
    BadLine, LINES, st.sampled_from(["input.malformed", "input.aware-only"]), st.text(max_size=3)
)
COUNTS = st.dictionaries(
    st.sampled_from(["open", "extend", "purchase", "reopen"]), st.integers(0, 9)
)
SUMMARIES = st.builds(
    Summary,
    lines=st.integers(0, 99),
    accepted=COUNTS,
    refused=st.dictionaries(st.sampled_from(["credits.none-available", "input.malformed"]), st.integers(0, 9)),
    bad_lines=st.lists(BAD, max_size=BAD_LINES_KEPT).map(
        lambda bad: tuple(sorted(bad, key=lambda b: (b.line, b.rule, b.message)))
    ),
    targets_started=st.integers(0, 9),
    targets_met=st.integers(0, 9),
    targets_breached=st.integers(0, 9),
    weeks=st.dictionaries(
        st.sampled_from(["2026-W01", "2026-W02", "2027-W52"]),
        st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)),
    ),
    first_responses=st.dictionaries(st.integers(0, 600), st.integers(1, 5)),
    credits_bought=st.integers(0, 9),
    credits_held=st.integers(0, 9),
    credits_expired_unused=st.integers(0, 9),
    revenue=st.integers(0, 10**6).map(lambda cents: Money(Decimal(cents) / 100, "USD")),
)  # fmt: skip


@settings(max_examples=100)
@given(SUMMARIES, SUMMARIES, SUMMARIES)
def test_merging_is_associative_and_commutative(a: Summary, b: Summary, c: Summary) -> None:
    """Any split of a log merges to one summary, whatever the grouping or the order."""
    whole = merge([a, b, c])
    assert merge([merge([a, b]), c]) == whole
    assert merge([c, merge([b, a])]) == whole
    assert whole.lines == a.lines + b.lines + c.lines
    assert whole.revenue == a.revenue + b.revenue + c.revenue


@settings(max_examples=100)
@given(SUMMARIES)
def test_merging_one_summary_or_none(a: Summary) -> None:
    """One summary merges to itself; none to the empty summary in the given currency."""
    assert merge([a]) == a
    assert merge([a, merge([])]) == a
    assert merge([], currency="EUR") == Summary(revenue=Money.zero("EUR"))


def test_only_the_first_bad_lines_are_kept_but_all_are_counted() -> None:
    """The merged bad lines are the first ones by line number, across summaries."""
    halves = [
        Summary(refused={"input.malformed": 15}, bad_lines=tuple(
            BadLine(n, "input.malformed", "x") for n in range(start, 30, 2)
        ))
        for start in (0, 1)
    ]  # fmt: skip
    merged = merge(halves)
    assert [b.line for b in merged.bad_lines] == list(range(BAD_LINES_KEPT))
    assert merged.refused == {"input.malformed": 30}


@pytest.mark.parametrize(
    ("histogram", "median", "p90"),
    [({5: 1}, 5, 5), ({1: 1, 2: 1}, 1, 2), ({1: 9, 2: 1}, 1, 1), ({1: 8, 2: 2}, 1, 2)],
)
def test_quantiles_are_nearest_rank(histogram: dict[int, int], median: int, p90: int) -> None:
    """Nearest rank: the smallest value with at least q of the responses at or below it."""
    done = Summary(first_responses=histogram)
    assert (done.first_response((1, 2)), done.first_response((9, 10))) == (median, p90)
