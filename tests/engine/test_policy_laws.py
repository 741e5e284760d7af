"""Laws of dated policy changes (``policy.changes``, ``policy.pinned-terms``).

Each law replays one scenario with and without a change and compares the outcomes. The
scenarios span three weeks around the 2026 autumn clock change, their policies closed
on public holidays half the time, so that the change lands among the events: exactly
at an event's instant, a microsecond either side of one, or anywhere in the window.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import Calendar, Policy, PolicyChange, PublicHolidays, ScenarioError, replay
from premier_policy.strategies import calendars, policies, scenarios, timelines
from premier_policy.wire._policy import policy_to_dict, structure_policy

START, END = datetime(2026, 10, 12, tzinfo=UTC), datetime(2026, 11, 2, tzinfo=UTC)
DOCS = scenarios(
    policies=st.one_of(st.just(Policy()), policies(calendars=calendars(holidays="mixed"))),
    min_value=START,
    max_value=END,
    max_size=12,
)
# Each law replays twice; a few dozen examples keep the module to seconds.
LAW = settings(max_examples=40)
KEYS = ("as_of", "results", "customers", "incidents", "notifications", "next_event_at")
ROOT = Path(__file__).resolve().parents[2]


def instant(text: str) -> datetime:
    return datetime.fromisoformat(text)


def base_policy(doc: dict[str, Any]) -> Policy:
    return structure_policy(doc.get("policy"))


def changed_terms(data: st.DataObject, base: Policy, terms: Any) -> Policy:
    """The terms of one change of kind ``terms`` over ``base`` (its instant is ours)."""
    timeline = data.draw(
        timelines(policies=st.just(base), terms=terms, min_size=1, max_size=1), label="change"
    )
    return timeline.changes[0].policy


def change_instant(data: st.DataObject, doc: dict[str, Any], *, on_old: bool = False) -> datetime:
    """An instant among the events: one's own, a microsecond either side, or any; with
    ``on_old``, that of an event on an incident opened earlier when there is one."""
    ats = [instant(e["at"]) for e in doc["events"]]
    if on_old:
        opened = {e["id"]: instant(e["at"]) for e in doc["events"] if e["type"] == "open"}
        later = [
            instant(e["at"])
            for e in doc["events"]
            if e.get("incident") in opened and opened[e["incident"]] < instant(e["at"])
        ]
        ats = later or ats
    anywhere = st.datetimes(START.replace(tzinfo=None), END.replace(tzinfo=None)).map(
        lambda t: t.replace(tzinfo=UTC)
    )
    if not ats:
        return data.draw(anywhere, label="from")
    nudge = st.sampled_from((timedelta(0), timedelta(microseconds=1), -timedelta(microseconds=1)))
    near = st.tuples(st.sampled_from(ats), nudge).map(lambda pair: pair[0] + pair[1])
    return data.draw(st.one_of(near, near, anywhere), label="from")


def with_change(doc: dict[str, Any], at: datetime, terms: Policy) -> dict[str, Any]:
    """``doc`` with one entry in ``policy_changes``: ``terms`` from ``at`` on."""
    written = pendulum.instance(at).in_timezone(terms.tz).isoformat()
    return {**doc, "policy_changes": [{"from": written, "policy": policy_to_dict(terms)}]}


def versions(outcome: dict[str, Any]) -> set[int]:
    """Every policy_version the outcome writes, lots and incidents."""
    lots = {lot["policy_version"] for c in outcome["customers"].values() for lot in c["lots"]}
    return lots | {i["policy_version"] for i in outcome["incidents"].values()}


def unversioned(outcome: dict[str, Any], at: datetime) -> dict[str, Any]:
    """``outcome`` with every version set to 0, once checked: 1 for the lots bought and
    the incidents opened from ``at`` on (the change's instant included), else 0."""
    copy: dict[str, Any] = json.loads(json.dumps(outcome))
    made = [
        *((lot, "purchased_at") for c in copy["customers"].values() for lot in c["lots"]),
        *((incident, "opened_at") for incident in copy["incidents"].values()),
    ]
    for item, when in made:
        assert item["policy_version"] == (1 if instant(item[when]) >= at else 0)
        item["policy_version"] = 0
    return copy


def customers_of(outcome: dict[str, Any], customer: str) -> dict[str, Any]:
    """What the outcome says of one customer: account, incidents, notifications."""
    return {
        "account": outcome["customers"].get(customer),
        "incidents": {k: v for k, v in outcome["incidents"].items() if v["customer"] == customer},
        "notifications": [n for n in outcome["notifications"] if n["customer"] == customer],
    }


def settled(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` described at the instant of its latest event, when it names no ``until``:
    a change can refuse another customer's event (a product it drops), which then does
    not move the clock, and the timers due by then would fire in one replay only."""
    if "until" in doc or not doc["events"]:
        return doc
    return {**doc, "until": max(doc["events"], key=lambda e: instant(e["at"]))["at"]}


def acting_from(doc: dict[str, Any], at: datetime, kind: str) -> set[str]:
    """The customers with an event of ``kind`` at or after ``at``."""
    return {e["customer"] for e in doc["events"] if e["type"] == kind and instant(e["at"]) >= at}


# ------------------------------------------------------------------------------ laws


@LAW
@given(DOCS)
def test_no_changes_is_todays_outcome(doc: dict[str, Any]) -> None:
    """Without changes, an explicit empty ``policy_changes`` is the outcome without it,
    every lot and incident is of version 0, and the policy read is the one the
    ``policy`` overrides alone give (no timeline)."""
    outcome = replay(doc)
    assert replay({**doc, "policy_changes": []}) == outcome
    assert versions(outcome) <= {0}


@LAW
@given(DOCS, st.data())
def test_a_change_to_the_same_terms_changes_nothing_but_versions(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    """A change that repeats the terms in force changes nothing but the version of the
    lots and incidents made from it on (1 instead of 0): the timeline's hours count
    business time across the change exactly as one calendar does."""
    base = base_policy(doc)
    at = change_instant(data, doc)
    before, after = replay(doc), replay(with_change(doc, at, base))
    assert unversioned(after, at) == before


def after_every_event(data: st.DataObject, doc: dict[str, Any]) -> datetime:
    """An instant after every event: a microsecond, an hour or 40 days after the last."""
    last = max((instant(e["at"]) for e in doc["events"]), default=START)
    gap = data.draw(
        st.sampled_from((timedelta(microseconds=1), timedelta(hours=1), timedelta(days=40))),
        label="gap",
    )
    return last + gap


@LAW
@given(DOCS, st.data(), st.sampled_from(["commercial", "incident"]))
def test_a_change_of_terms_after_every_event_changes_nothing(
    doc: dict[str, Any], data: st.DataObject, terms: Any
) -> None:
    """A change of commercial or incident terms dated after every event changes nothing:
    not the accounts, incidents, notifications or results, and not ``next_event_at``
    either. That is the next *timer* (SCENARIO-FORMAT.md), not the next change, and every
    timer (breach, auto-close, expiry notice) belongs to a lot or an incident made before
    the change, which keeps its terms (``policy.pinned-terms``). This holds even when
    ``until`` lies beyond the change."""
    at = after_every_event(data, doc)
    before = replay(doc)
    after = replay(with_change(doc, at, changed_terms(data, base_policy(doc), terms)))
    for key in KEYS:
        assert after[key] == before[key], key


@LAW
@given(DOCS, st.data(), st.sampled_from(["hours", "any"]))
def test_a_change_of_hours_after_every_event_moves_only_deadlines_past_it(
    doc: dict[str, Any], data: st.DataObject, terms: Any
) -> None:
    """A change of hours dated after every event alters nothing before it, but hours are
    those in force at each instant (``policy.changes``): a response target still being
    counted at the change counts the rest under the new hours, so its due instant (and
    the breach, its overdue notice and ``next_event_at`` with it) may move, never to or
    before the change. A target due by the change, accounts, results, every other field
    and every other notification are the same, whatever else the change overrides."""
    at = after_every_event(data, doc)
    before = replay(doc)
    after = replay(with_change(doc, at, changed_terms(data, base_policy(doc), terms)))
    for key in ("as_of", "results", "customers"):
        assert after[key] == before[key], key
    for name, incident in after["incidents"].items():
        old = before["incidents"][name]
        pairs = list(zip(incident["response_targets"], old["response_targets"], strict=True))
        for new_target, old_target in pairs:
            if instant(old_target["due_at"]) <= at:
                assert new_target == old_target
            else:
                assert instant(new_target["due_at"]) > at
                assert new_target["started_at"] == old_target["started_at"]
        unmoved = {"response_targets": None}
        assert incident | unmoved == old | unmoved

    def kept(outcome: dict[str, Any]) -> list[Any]:
        return [
            n
            for n in outcome["notifications"]
            if n["kind"] != "response_overdue" or instant(n["at"]) <= at
        ]

    assert kept(after) == kept(before)


@LAW
@given(DOCS, st.data())
def test_a_commercial_change_never_alters_an_existing_lot(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    """A change of products, prices, currency, validity or expiry notice never alters a
    lot bought before it: its product, credits, price, currency, purchase and expiry
    instants and version are the same with and without the change, through every later
    event. Only how much of it is left may differ, when its customer buys again from
    the change on (the new lots are the new terms', and consumption takes the lot that
    expires first); a customer who buys nothing from the change on has the same account,
    incidents and notifications at the same instant."""
    base = base_policy(doc)
    at = change_instant(data, doc)
    doc = settled(doc)
    before, after = (
        replay(doc),
        replay(with_change(doc, at, changed_terms(data, base, "commercial"))),
    )
    after = unversioned(after, at)
    lots_before = {
        lot["id"]: lot for account in before["customers"].values() for lot in account["lots"]
    }
    for account in after["customers"].values():
        for lot in account["lots"]:
            if instant(lot["purchased_at"]) < at:
                assert lot | {"remaining": 0} == lots_before[lot["id"]] | {"remaining": 0}
    buyers = acting_from(doc, at, "purchase")
    for customer in set(before["customers"]) - buyers:
        assert customers_of(after, customer) == customers_of(before, customer)


@LAW
@given(DOCS, st.data())
def test_an_incident_change_never_alters_an_incident_opened_before(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    """A change of the response target, allowance per credit, warning level, auto-close
    or reopen window never alters an incident opened before it: its version and first
    target are unchanged, and so is its whole story (targets after replies and reopens,
    allowance after extensions, auto-close, reopen window, notifications) unless its
    customer opens another incident from the change on, which may take the credit an
    extension needs. A customer who opens nothing from the change on has the same
    account, incidents and notifications at the same instant."""
    base = base_policy(doc)
    at = change_instant(data, doc, on_old=True)
    doc = settled(doc)
    before, after = replay(doc), replay(with_change(doc, at, changed_terms(data, base, "incident")))
    after = unversioned(after, at)
    for name, incident in after["incidents"].items():
        if instant(incident["opened_at"]) < at:
            assert (
                incident["response_targets"][0] == before["incidents"][name]["response_targets"][0]
            )
    openers = acting_from(doc, at, "open")
    for customer in {i["customer"] for i in before["incidents"].values()} - openers:
        assert customers_of(after, customer) == customers_of(before, customer)


# ------------------------------------------------------------------- named examples


def test_golden_outcomes_are_of_version_zero_with_an_empty_timeline() -> None:
    """Today's pinned outcomes: each example with an explicit empty timeline is still
    its golden file, and every lot and incident in it is of version 0."""
    golden = ROOT / "tests" / "golden"
    sources = {p.name: p for p in (ROOT / "examples").glob("*.json")}
    sources["demo.json"] = ROOT / "src" / "premier_policy" / "examples" / "demo.json"
    for name, source in sorted(sources.items()):
        doc = json.loads(source.read_text(encoding="utf-8"))
        pinned = json.loads((golden / name).read_text(encoding="utf-8"))
        assert replay({**doc, "policy_changes": []}) == pinned, name
        assert versions(pinned) == {0}, name


def test_a_change_at_an_events_instant_applies_to_it() -> None:
    """The version in force at an instant is that of the last change at or before it:
    a purchase and an opening at the change's very instant are under the new terms,
    those a microsecond earlier under the old."""
    change = "2026-12-01T00:00:00+01:00"
    just_before = "2026-11-30T23:59:59.999999+01:00"
    outcome = replay(
        {
            "policy_changes": [
                {
                    "from": change,
                    "policy": {
                        "response_target_minutes": 240,
                        "products": {"single": {"credits": 1, "price": "90.00"}},
                    },
                }
            ],
            "events": [
                {"at": just_before, "type": "purchase", "customer": "c", "id": "p0", "product": "single"},
                {"at": just_before, "type": "open", "customer": "c", "id": "i0", "area": "setup"},
                {"at": change, "type": "purchase", "customer": "c", "id": "p1", "product": "single"},
                {"at": change, "type": "open", "customer": "c", "id": "i1", "area": "setup"},
            ],
        }
    )  # fmt: skip
    lots = outcome["customers"]["c"]["lots"]
    assert [(lot["id"], lot["price"], lot["policy_version"]) for lot in lots] == [
        ("p0", "75.00", 0),
        ("p1", "90.00", 1),
    ]
    due = {name: i["response_targets"][0]["due_at"] for name, i in outcome["incidents"].items()}
    # Tuesday 1 December from 08:00: 120 minutes under version 0, 240 under version 1.
    assert due == {"i0": "2026-12-01T10:00:00+01:00", "i1": "2026-12-01T12:00:00+01:00"}


def test_a_change_in_the_repeated_hour_of_the_autumn_weekend() -> None:
    """A change at 02:30 CET on Sunday 25 October 2026, the second pass of the wall
    clock's 02:00-03:00: an incident opened at 02:45 CEST (the first pass, before the
    change) keeps the old 120-minute target, one opened at 02:45 CET the new 60 minutes;
    both count under the Sunday hours that start with the change."""
    sundays: dict[str, list[list[str]]] = {
        d: [] for d in ("mon", "tue", "wed", "thu", "fri", "sat")
    } | {"sun": [["00:00", "24:00"]]}
    outcome = replay(
        {
            "policy_changes": [
                {
                    "from": "2026-10-25T02:30:00+01:00",
                    "policy": {"response_target_minutes": 60, "hours": sundays},
                }
            ],
            "events": [
                {"at": "2026-10-24T10:00:00+02:00", "type": "purchase", "customer": "c", "id": "p", "product": "bundle-3"},
                {"at": "2026-10-24T12:00:00+02:00", "type": "open", "customer": "c", "id": "saturday", "area": "setup"},
                {"at": "2026-10-25T02:45:00+02:00", "type": "open", "customer": "c", "id": "first", "area": "setup"},
                {"at": "2026-10-25T02:45:00+01:00", "type": "open", "customer": "c", "id": "second", "area": "setup"},
            ],
        }
    )  # fmt: skip
    incidents = outcome["incidents"]
    seen = {
        name: (i["policy_version"], i["response_targets"][0]["due_at"])
        for name, i in incidents.items()
    }
    assert seen == {
        # Saturday is closed under both versions; Sunday opens at the change, 01:30 UTC.
        "saturday": (0, "2026-10-25T04:30:00+01:00"),
        "first": (0, "2026-10-25T04:30:00+01:00"),
        "second": (1, "2026-10-25T03:45:00+01:00"),
    }


def test_a_change_in_the_middle_of_a_business_hours_count() -> None:
    """An incident opened on Tuesday 1 December 2026 at 08:00 has 30 minutes counted
    before a change at 08:30 closes the rest of that Tuesday (a closure) and cuts the
    target to 30 minutes: the incident keeps its 120 minutes, the remaining 90 counted
    under the new hours, from Wednesday 08:00, so due at 09:30. A reply after the change
    starts a new 120-minute target, under the new hours too."""
    outcome = replay(
        {
            "policy_changes": [
                {
                    "from": "2026-12-01T08:30:00+01:00",
                    "policy": {"response_target_minutes": 30, "closures": ["2026-12-01"]},
                }
            ],
            "events": [
                {"at": "2026-11-30T10:00:00+01:00", "type": "purchase", "customer": "c", "id": "p", "product": "single"},
                {"at": "2026-12-01T08:00:00+01:00", "type": "open", "customer": "c", "id": "i", "area": "setup"},
                {"at": "2026-12-02T09:00:00+01:00", "type": "staff_reply", "incident": "i"},
                {"at": "2026-12-02T18:00:00+01:00", "type": "customer_reply", "incident": "i"},
            ],
        }
    )  # fmt: skip
    incident = outcome["incidents"]["i"]
    assert incident["policy_version"] == 0
    assert [(t["started_at"], t["due_at"]) for t in incident["response_targets"]] == [
        ("2026-12-01T08:00:00+01:00", "2026-12-02T09:30:00+01:00"),
        ("2026-12-02T18:00:00+01:00", "2026-12-03T09:00:00+01:00"),
    ]


@pytest.mark.parametrize("entry", [0, 1])
def test_an_old_incident_reopened_after_a_change_keeps_its_windows(entry: int) -> None:
    """An incident resolved before a change to 7-day auto-close and reopen windows keeps
    its 30 days (auto-close) and, closed, its 30-day reopen window, whether the change
    comes before (0) or after (1) the auto-close."""
    change = ["2026-12-10T00:00:00+01:00", "2027-01-20T00:00:00+01:00"][entry]
    outcome = replay(
        {
            "policy_changes": [
                {"from": change, "policy": {"auto_close_days": 7, "reopen_days": 7}}
            ],
            "events": [
                {"at": "2026-12-01T09:00:00+01:00", "type": "purchase", "customer": "c", "id": "p", "product": "single"},
                {"at": "2026-12-01T10:00:00+01:00", "type": "open", "customer": "c", "id": "i", "area": "setup"},
                {"at": "2026-12-01T11:00:00+01:00", "type": "resolve", "incident": "i"},
                {"at": "2027-01-29T10:00:00+01:00", "type": "reopen", "incident": "i"},
            ],
        }
    )  # fmt: skip
    incident = outcome["incidents"]["i"]
    assert all(r["accepted"] for r in outcome["results"])
    assert incident["policy_version"] == 0
    assert incident["state"] == "waiting_on_staff"
    closed = [n for n in outcome["notifications"] if n["kind"] == "incident_closed"]
    assert [n["at"] for n in closed] == ["2026-12-31T11:00:00+01:00"]


def test_an_old_incident_extended_after_a_change_keeps_its_allowance_and_warning() -> None:
    """An incident opened before a change to a 60-minute allowance with a 10-minute
    warning keeps 240 minutes a credit and its 60-minute warning: the warning comes at
    180 minutes used, and an extension after the change adds 240 minutes, not 60."""
    outcome = replay(
        {
            "policy_changes": [
                {
                    "from": "2026-12-01T12:00:00+01:00",
                    "policy": {"allowance_minutes": 60, "warning_minutes": 10},
                }
            ],
            "events": [
                {"at": "2026-12-01T09:00:00+01:00", "type": "purchase", "customer": "c", "id": "p", "product": "bundle-3"},
                {"at": "2026-12-01T10:00:00+01:00", "type": "open", "customer": "c", "id": "i", "area": "setup"},
                {"at": "2026-12-01T13:00:00+01:00", "type": "log_time", "incident": "i", "minutes": 180},
                {"at": "2026-12-01T14:00:00+01:00", "type": "extend", "incident": "i"},
                {"at": "2026-12-01T15:00:00+01:00", "type": "open", "customer": "c", "id": "j", "area": "setup"},
            ],
        }
    )  # fmt: skip
    assert all(r["accepted"] for r in outcome["results"])
    old, new = outcome["incidents"]["i"], outcome["incidents"]["j"]
    assert (old["policy_version"], old["credits_used"], old["allowance_minutes"]) == (0, 2, 480)
    assert (new["policy_version"], new["credits_used"], new["allowance_minutes"]) == (1, 1, 60)
    warned = [n["at"] for n in outcome["notifications"] if n["kind"] == "allowance_warning"]
    assert warned == ["2026-12-01T13:00:00+01:00"]


def test_holidays_from_a_change_close_christmas_only_from_then() -> None:
    """hours.holidays under policy.changes: French holidays from 1 December 2026 close
    Christmas 2026 (two business hours from Thursday 24 December 18:30 end on Monday
    28 December 09:30) but not Christmas 2025, when they were not in force."""
    france = Policy(calendar=Calendar(holidays=PublicHolidays("FR")))
    policy = Policy(
        changes=[PolicyChange(pendulum.datetime(2026, 12, 1, tz="Europe/Paris"), france)]
    )
    due = [
        policy.response_due(pendulum.datetime(year, 12, 24, 18, 30, tz="Europe/Paris"))
        for year in (2025, 2026)
    ]
    assert [policy.show(t) for t in due] == ["2025-12-25 09:30 CET", "2026-12-28 09:30 CET"]


@pytest.mark.parametrize(
    ("entries", "rule", "field"),
    [
        (
            [{"from": "2026-12-01T00:00:00+01:00", "policy": {"holidays": {"country": "XX"}}}],
            "hours.holidays",
            "policy_changes[0].policy.holidays.country",
        ),
        (
            [
                {
                    "from": "2026-12-01T00:00:00+01:00",
                    "policy": {"holidays": {"country": "DE", "subdivision": "Bavaria"}},
                }
            ],
            "hours.holidays",
            "policy_changes[0].policy.holidays.subdivision",
        ),
        (
            [
                {"from": "2026-12-02T00:00:00+01:00", "policy": {}},
                {"from": "2026-12-01T23:59:59.999999+01:00", "policy": {}},
            ],
            "policy.changes",
            "policy_changes[1].from",
        ),
        (
            [{"from": "2026-12-01T00:00:00+01:00", "policy": {"timezone": "Europe/London"}}],
            "policy.changes",
            "policy_changes[0].policy.timezone",
        ),
    ],
)
def test_a_bad_change_is_a_document_error_naming_its_field(
    entries: list[Any], rule: str, field: str
) -> None:
    """An unknown country or subdivision in a change, a change not after the one before
    it (by a microsecond), a change of time zone: each a document error naming the rule
    and the field, even with a single event to replay."""
    doc = {
        "policy_changes": entries,
        "events": [
            {"at": "2026-11-30T10:00:00+01:00", "type": "purchase", "customer": "c", "id": "p", "product": "single"}
        ],
    }  # fmt: skip
    with pytest.raises(ScenarioError) as info:
        replay(doc)
    assert (info.value.rule, info.value.field) == (rule, field)
