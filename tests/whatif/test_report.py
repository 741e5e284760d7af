"""what_if: any split of a log by customer gives the figures of one replay of the whole log
stably sorted by instant; the report's instant; the report as data."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import PolicyError, RuleId, event_from_dict, replay
from premier_policy.strategies import scenarios
from premier_policy.whatif import (
    Partition,
    Report,
    Summary,
    Unreadable,
    Variant,
    check_variants,
    partition_of,
    report_as_of,
    what_if,
)


def instant(raw: object) -> datetime | None:
    """The instant the library reads in ``raw``, or None for a line it cannot read."""
    try:
        return event_from_dict(raw).at
    except PolicyError:
        return None


def owners(events: list[Any]) -> list[str]:
    """Each event's customer: its own, or its incident's opener's ("" for none)."""
    # An opening names its incident's customer only when it names both (as the router
    # reads it); a broken one without a customer leaves the incident to nobody.
    opened = {
        e["id"]: e["customer"]
        for e in events
        if isinstance(e, dict)
        and e.get("type") == "open"
        and isinstance(e.get("id"), str)
        and isinstance(e.get("customer"), str)
    }
    found = []
    for e in events:
        incident = e.get("incident")
        opener = opened.get(incident, "") if isinstance(incident, str) else ""
        found.append(str(e.get("customer") or opener))
    return found


@st.composite
def logs(draw: st.DrawFn) -> tuple[list[object], dict[str, Any], datetime | None]:
    """A log as a vendor keeps one: the events of a random scenario (broken ones too),
    customers interleaved but each customer's in order, some IDs shared by several
    customers, and lines that are not events at all; with its policy and ``until``."""
    doc = draw(scenarios(valid="mixed", max_size=12))
    events: list[Any] = [dict(e) for e in doc["events"]]
    keys = ("id", "purchase", "incident")
    ids = sorted({e[k] for e in events for k in keys if isinstance(e.get(k), str)})
    shared = set(draw(st.lists(st.sampled_from(ids), max_size=3))) if ids else set()
    for e in events:
        for key in keys:
            if isinstance(e.get(key), str) and e[key] in shared:
                e[key] = "shared"
    # A random interleaving that keeps each customer's events in their order.
    who = owners(events)
    slots = sorted(draw(st.lists(st.integers(0, 99), min_size=len(events), max_size=len(events))))
    mine: dict[str, list[int]] = {}
    for i, owner in enumerate(who):
        mine.setdefault(owner, []).append(i)
    order: list[tuple[int, int]] = []
    for indices in mine.values():
        picks = sorted(draw(st.permutations(slots))[: len(indices)])
        order += zip(picks, indices, strict=True)
    log: list[object] = [events[i] for _, i in sorted(order)]
    for place, junk in draw(
        st.lists(
            st.tuples(
                st.integers(0, len(log)),
                st.sampled_from(
                    [
                        Unreadable("Expecting value"),
                        "text",
                        7,
                        {"type": "staff_reply", "incident": "nobody"},
                    ]
                ),
            ),
            max_size=3,
        )
    ):
        log.insert(place, junk)
    until = datetime.fromisoformat(doc["until"]) if "until" in doc else None
    return log, doc.get("policy", {}), until


def one_replay(log: list[object], variant: Variant, as_of: datetime | None) -> dict[str, Any]:
    """The reference: one replay of the whole log stably sorted by instant (the lines the
    library cannot read last), reduced to the figures it plainly shows."""
    events: list[Any] = [raw for raw in log if not isinstance(raw, Unreadable)]
    readable = [raw for raw in events if instant(raw) is not None]
    rest = [raw for raw in events if instant(raw) is None]
    ordered = sorted(readable, key=instant)  # type: ignore[arg-type] # stable: line order
    doc: dict[str, Any] = {"policy": variant.overrides, "events": ordered + rest}
    if as_of is not None:
        doc["until"] = as_of.isoformat()
    out = replay(doc)
    refused = Counter(r["rule"] for r in out["results"] if not r["accepted"])
    refused[RuleId.INPUT_MALFORMED.value] += sum(isinstance(raw, Unreadable) for raw in log)
    accepted = Counter(
        e["type"] for e, r in zip(ordered + rest, out["results"], strict=True) if r["accepted"]
    )
    targets = [t for i in out["incidents"].values() for t in i["response_targets"]]
    lots = [lot for c in out["customers"].values() for lot in c["lots"]]
    return {
        "refused": +refused,
        "accepted": +accepted,
        "targets": (
            len(targets),
            sum(not t["breached"] and t["met_at"] is not None for t in targets),
            sum(t["breached"] for t in targets),
        ),
        "bought": sum(lot["credits"] for lot in lots),
        "remaining": sum(lot["remaining"] for lot in lots),
    }


@settings(max_examples=100)
@given(logs(), st.integers(1, 6))
def test_any_split_gives_the_figures_of_one_sorted_replay(
    case: tuple[list[object], dict[str, Any], datetime | None], partitions: int
) -> None:
    """The partition law at scale: split by customer into any number of partitions,
    linked where customers share IDs, the merged summaries equal those of no split, and
    their figures those of one replay of the whole log stably sorted by instant."""
    log, policy, until = case
    variants = [Variant("theirs", policy), Variant("4h", {"response_target_minutes": 240})]
    split = what_if(log, variants, until=until, partitions=partitions)
    whole = what_if(log, variants, until=until)
    assert split == whole
    latest = max((t for raw in log if (t := instant(raw)) is not None), default=None)
    assert split.as_of == (until.astimezone(latest.tzinfo) if until and latest else until or latest)
    for variant, summary in zip(variants, split.summaries, strict=True):
        reference = one_replay(log, variant, split.as_of)
        assert summary.refused == reference["refused"]
        assert summary.accepted == reference["accepted"]
        started, met, breached = reference["targets"]
        assert (summary.targets_started, summary.targets_met, summary.targets_breached) == (
            started,
            met,
            breached,
        )
        assert summary.credits_bought == reference["bought"]
        assert summary.credits_held == reference["bought"] - reference["remaining"]
        assert summary.lines == len(log)


def apart(count: int, partitions: int) -> list[str]:
    """``count`` customer names, each in a partition of its own."""
    found: dict[int, str] = {}
    n = 0
    while len(found) < count:
        found.setdefault(partition_of(f"c{n}", partitions), f"c{n}")
        n += 1
    return list(found.values())


def test_customers_sharing_ids_are_judged_as_one_replay_judges_them() -> None:
    """input.duplicate-id across customers in other partitions: the second purchase and
    opening of one ID are refused, and a reply written before its opening in the file
    (later in time) reaches the incident that was opened."""
    a, b = apart(2, 64)
    log = [
        {"at": "2026-11-30T10:30:00+01:00", "type": "staff_reply", "incident": "i1"},
        {"at": "2026-11-30T09:00:00+01:00", "type": "purchase", "customer": a, "id": "p1", "product": "bundle-3"},
        {"at": "2026-11-30T09:01:00+01:00", "type": "purchase", "customer": b, "id": "p1", "product": "bundle-3"},
        {"at": "2026-11-30T10:00:00+01:00", "type": "open", "customer": a, "id": "i1", "area": "setup"},
        {"at": "2026-11-30T10:01:00+01:00", "type": "open", "customer": b, "id": "i1", "area": "setup"},
    ]  # fmt: skip
    report = what_if(log, [Variant("A")], partitions=64)
    (summary,) = report.summaries
    assert summary.refused == {RuleId.INPUT_DUPLICATE_ID.value: 2}
    assert (summary.targets_met, summary.first_response((1, 2))) == (1, 30)


def test_the_report_describes_until_or_the_latest_readable_event() -> None:
    """as_of: until when given (UTC), else the latest event the library reads, else None."""
    late = {"at": "2026-11-30T10:00:00+01:00", "type": "staff_reply", "incident": "x"}
    parts = [Partition.of([(1, late)]), Partition.of([(2, {"type": "x"})])]
    variants = [Variant("A")]
    assert report_as_of(None, [p.latest for p in parts], variants) == instant(late)
    assert report_as_of(None, [None], variants) is None
    until = datetime.fromisoformat("2026-12-01T00:00:00+01:00")
    at = report_as_of(until, [p.latest for p in parts], variants)
    assert at is not None
    assert at.isoformat() == "2026-11-30T23:00:00+00:00"


@pytest.mark.parametrize(
    ("until", "rule", "says"),
    [
        ("2026-11-30T09:59:00+01:00", RuleId.INPUT_OUT_OF_ORDER, "event of line 1, at 2026-11-30 10:00 CET"),
        ("2026-11-30T11:00:00", RuleId.INPUT_AWARE_ONLY, "naive datetime"),
    ],
)  # fmt: skip
def test_an_until_the_report_cannot_describe_is_refused(
    until: str, rule: RuleId, says: str
) -> None:
    """until earlier than an event, or naive: a PolicyError naming until and the rule."""
    late = {"at": "2026-11-30T10:00:00+01:00", "type": "staff_reply", "incident": "x"}
    with pytest.raises(PolicyError) as info:
        what_if([late], [Variant("A")], until=datetime.fromisoformat(until))
    assert (info.value.rule, info.value.field) == (rule, "until")
    assert says in str(info.value)


@pytest.mark.parametrize(
    "variants",
    [[], [object()], [Variant("A"), Variant("A", {"reopen_days": 3})]],
    ids=["none", "not a variant", "one name twice"],
)
def test_variants_are_some_distinct_variants(variants: list[Any]) -> None:
    """No variant, something else, or two of one name: a PolicyError naming variants."""
    with pytest.raises(PolicyError) as info:
        check_variants(variants)
    assert info.value.field == "variants"
    assert info.value.detail == (
        "variant names must differ, got ['A', 'A']"
        if variants and isinstance(variants[0], Variant)
        else "expected one or more Variant values"
    )


def test_two_variants_of_one_long_name_are_refused_in_a_short_message() -> None:
    """The refusal of a repeated name echoes the names, cut to a bounded length."""
    with pytest.raises(PolicyError) as info:
        check_variants([Variant("x" * 10**6), Variant("x" * 10**6)])
    assert info.value.field == "variants"
    assert len(info.value.detail) < 300


def test_a_report_of_nothing_readable_describes_no_instant() -> None:
    """No readable line: no as_of, no rates (nothing was decided), no weeks, and no
    revenue in the variant's own currency."""
    data = what_if(["garbage"], [Variant("E", {"currency": "EUR"})]).to_dict()
    (variant,) = data["variants"]
    assert (data["as_of"], variant["response_targets"]["breach_rate"], variant["weekly"]) == (
        None,
        None,
        [],
    )
    assert variant["revenue"] == {"amount": "0.00", "currency": "EUR"}  # the variant's


def test_a_report_of_no_lines_gives_revenue_in_each_variants_currency() -> None:
    """An empty log has no partition to summarise: each variant's revenue is still zero
    in its own currency."""
    data = what_if([], [Variant("E", {"currency": "EUR"}), Variant("G", {"currency": "GBP"})])
    assert [v["revenue"] for v in data.to_dict()["variants"]] == [
        {"amount": "0.00", "currency": "EUR"},
        {"amount": "0.00", "currency": "GBP"},
    ]


def test_an_until_some_variants_zone_cannot_write_is_refused() -> None:
    """until must be an instant every variant's zone can write: late in the year 9999,
    Kiritimati (+14:00) is past the calendar, and the error names until."""
    kiritimati = Variant("K", {"timezone": "Pacific/Kiritimati"})
    with pytest.raises(PolicyError) as info:
        what_if([], [Variant("A"), kiritimati], until=datetime(9999, 12, 31, 12, tzinfo=UTC))
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "until")


def test_the_report_as_data() -> None:
    """to_dict: JSON-ready, every figure of each variant under its name, rates rounded."""
    log = [
        {"at": "2026-11-30T09:00:00+01:00", "type": "purchase", "customer": "acme", "id": "p1", "product": "bundle-3"},
        {"at": "2026-11-30T10:00:00+01:00", "type": "open", "customer": "acme", "id": "i1", "area": "setup"},
        {"at": "2026-11-30T13:00:00+01:00", "type": "staff_reply", "incident": "i1"},
        {"at": "2026-11-30T13:00:00+01:00", "type": "open", "customer": "acme", "id": "i2", "area": "setup"},
        {"at": "2026-11-30T14:00:00+01:00", "type": "staff_reply", "incident": "i2"},
        {"at": "2026-11-30T14:30:00+01:00", "type": "open", "customer": "acme", "id": "i3", "area": "setup"},
        {"at": "2026-11-30T15:00:00+01:00", "type": "staff_reply", "incident": "i3"},
        "garbage",
    ]  # fmt: skip
    report = what_if(log, [Variant("A"), Variant("B", {"response_target_minutes": 240})])
    data = json.loads(json.dumps(report.to_dict()))
    assert (data["as_of"], data["lines"]) == ("2026-11-30T14:00:00+00:00", 8)
    first, second = data["variants"]
    assert (first["name"], second["policy"]) == ("A", {"response_target_minutes": 240})
    assert first["response_targets"] == {
        "started": 3,
        "met": 2,
        "breached": 1,
        "breach_rate": 0.333333,
    }
    assert second["response_targets"]["breach_rate"] == 0.0
    assert first["first_response_business_minutes"] == {"responses": 3, "median": 60, "p90": 180}
    assert first["credits"] == {"bought": 3, "consumed": 3, "restored": 0, "expired_unused": 0}
    assert first["revenue"] == {"amount": "225.00", "currency": "USD"}
    euros = what_if(log, [Variant("E", {"currency": "EUR"})]).to_dict()["variants"][0]
    assert euros["revenue"] == {"amount": "225.00", "currency": "EUR"}
    assert first["incidents"] == {"opened": 3, "invalidated": 0, "reopened": 0}
    assert first["events"] == {
        "lines": 8,
        "accepted": 7,
        "refused": 1,
        "accepted_by_type": {"open": 3, "purchase": 1, "staff_reply": 3},
        "refused_by_rule": {"input.malformed": 1},
        "bad_lines": [
            {
                "line": 8,
                "rule": "input.malformed",
                "message": "malformed event: event: an event is an object, got a string",
            }
        ],
    }
    assert first["weekly"] == [
        {"week": "2026-W49", "started": 3, "met": 2, "breached": 1, "breach_rate": 0.333333}
    ]  # fmt: skip


def test_the_first_response_figures_are_the_median_and_the_90th_percentile() -> None:
    """The 90th percentile by nearest rank is the 18th of 20 first responses: 40 business
    minutes of 17 in 10 and 3 in 40 (the 17th would say 10), 10 of 18 in 10 and 2 in 40
    (the 100th would say 40)."""
    summary = Summary(first_responses={10: 17, 40: 3})
    data = Report(as_of=None, variants=(Variant("A"),), summaries=(summary,)).to_dict()
    figures = data["variants"][0]["first_response_business_minutes"]
    assert figures == {"responses": 20, "median": 10, "p90": 40}
    ninety = Summary(first_responses={10: 18, 40: 2})
    data = Report(as_of=None, variants=(Variant("A"),), summaries=(ninety,)).to_dict()
    assert data["variants"][0]["first_response_business_minutes"]["p90"] == 10
