"""Laws of replay: customers are independent, refusals change nothing, nothing raises.

The partition law is how replay scales out: customers share nothing but the clock and
the ID namespaces, so a host may shard them. The refusal law is what makes one bad event
harmless. The engine's mutable working copy must agree with the persistent World.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Refusal, ScenarioError, replay, trace
from premier_policy.strategies import scenarios
from premier_policy.strategies._scenarios import ScenarioPair
from premier_policy.strategies._scenarios import _scenario_pairs as scenario_pairs
from premier_policy.wire._events import EVENT_TYPES
from premier_policy.wire._outcome import Outcome, ResultOut, customer_out, outcome_dict
from premier_policy.wire._snapshot import digest_of

VALID = scenarios(valid="valid", max_size=14)


def with_until(doc: dict[str, Any]) -> dict[str, Any]:
    """``doc`` describing a fixed instant: its own until, or its last event's instant."""
    if "until" in doc or not doc["events"]:
        return doc
    return {**doc, "until": doc["events"][-1]["at"]}


def owners(doc: dict[str, Any]) -> list[str]:
    """The customer each event belongs to: its own, or the one who opened its incident.
    An event naming an incident nobody opened belongs to nobody in particular ("")."""
    opened = {e["id"]: e["customer"] for e in doc["events"] if e["type"] == "open"}
    return [
        e["customer"] if "customer" in e else opened.get(e["incident"], "") for e in doc["events"]
    ]


@given(VALID)
def test_partition_law(doc: dict[str, Any]) -> None:
    """Replaying everything equals merging the replays of each customer's own events:
    same accounts and incidents, same results, and each customer's notifications in the
    same order; the next timer is the earliest of theirs."""
    doc = with_until(doc)
    full = replay(doc)
    who = owners(doc)
    merged_customers: dict[str, Any] = {}
    merged_incidents: dict[str, Any] = {}
    nexts = []
    for customer in dict.fromkeys(who):
        mine = [i for i, owner in enumerate(who) if owner == customer]
        part = replay({**doc, "events": [doc["events"][i] for i in mine]})
        merged_customers.update(part["customers"])
        merged_incidents.update(part["incidents"])
        assert [r | {"index": i} for r, i in zip(part["results"], mine, strict=True)] == [
            full["results"][i] for i in mine
        ]
        ours = [n for n in full["notifications"] if n["customer"] == customer]
        assert part["notifications"] == ours
        assert part["as_of"] == full["as_of"]
        if part["next_event_at"] is not None:
            nexts.append(part["next_event_at"])
    assert full["customers"] == merged_customers
    assert full["incidents"] == merged_incidents
    assert full["next_event_at"] == min(nexts, key=instant_key, default=None)


def instant_key(text: str) -> datetime:
    return datetime.fromisoformat(text)


@given(scenario_pairs(valid="broken", max_size=10))
def test_broken_events_are_refused_by_their_rule_and_change_nothing(pair: ScenarioPair) -> None:
    """Each broken event is refused by the rule it breaks (naming the field when malformed),
    and the outcome is otherwise exactly that of the scenario without them."""
    clean, broken = replay(pair.clean), replay(pair.broken)
    for breakage in pair.breakages:
        result = broken["results"][breakage.index]
        assert (result["accepted"], result["rule"]) == (False, breakage.rule.value)
        if breakage.field is not None:
            assert result["message"].startswith(f"malformed event: {breakage.field}: ")
    bad = {b.index for b in pair.breakages}
    kept = [r for r in broken["results"] if r["index"] not in bad]
    assert [r | {"index": 0} for r in kept] == [r | {"index": 0} for r in clean["results"]]
    for key in ("as_of", "customers", "incidents", "notifications", "next_event_at"):
        assert broken[key] == clean[key], key


@given(scenarios(valid="mixed", max_size=12))
def test_removing_refused_events_changes_nothing(doc: dict[str, Any]) -> None:
    """A refused event changes nothing, whatever comes after it: without the refused
    events the replay gives the same customers, incidents, notifications and instants."""
    full = replay(doc)
    refused = {r["index"] for r in full["results"] if not r["accepted"]}
    events = [e for i, e in enumerate(doc["events"]) if i not in refused]
    again = replay({**doc, "events": events})
    assert all(r["accepted"] for r in again["results"])
    for key in ("as_of", "customers", "incidents", "notifications", "next_event_at"):
        assert again[key] == full[key], key


def _by_world(doc: dict[str, Any]) -> dict[str, Any]:
    """The outcome of ``doc`` written from a fold of World values."""
    done = trace(doc)
    world, as_of = done.world, done.as_of
    results = tuple(
        ResultOut(index=m.index, accepted=False, rule=m.result.rule, message=m.result.message)
        if isinstance(m.result, Refusal)
        else ResultOut(index=m.index, accepted=True)
        for m in done.moments
    )
    return outcome_dict(
        Outcome(
            as_of=as_of,
            results=results,
            customers={c: customer_out(a, as_of) for c, a in world.accounts.items()},
            incidents=dict(world.incidents),
            notifications=world.notifications,
            next_event_at=world.next_event_at,
        ),
        done.policy,
    )


@given(scenarios(valid="mixed", max_size=12))
def test_the_engine_agrees_with_the_world(doc: dict[str, Any]) -> None:
    """replay's mutable working copy reaches the state a fold of World values reaches."""
    assert replay(doc) == _by_world(doc)


def test_accounts_of_every_size_replay_as_the_world_does() -> None:
    """One customer's refusals (a purchase ID again, an opening without credit, custom
    development) and another's 34 lots, past the engine's record of at most 32: their
    purchases, opening, extension, refund request and a year of expiry notices come out
    as the world's."""
    start = pendulum.datetime(2026, 3, 2, 9, tz="UTC")

    def at(minutes: int) -> str:
        return start.add(minutes=minutes).isoformat()

    small = [
        {"type": "open", "at": at(0), "customer": "s", "id": "s1", "area": "setup"},
        {"type": "purchase", "at": at(1), "customer": "s", "id": "sp", "product": "single"},
        {"type": "purchase", "at": at(2), "customer": "s", "id": "sp", "product": "single"},
        {"type": "open", "at": at(3), "customer": "s", "id": "s2", "area": "custom_development"},
    ]
    big = [
        {"type": "purchase", "at": at(10 + n), "customer": "b", "id": f"b{n}", "product": "single"}
        for n in range(34)
    ]
    life = [
        {"type": "open", "at": at(60), "customer": "b", "id": "b-i", "area": "setup"},
        {"type": "log_time", "at": at(61), "incident": "b-i", "minutes": 200},
        {"type": "extend", "at": at(62), "incident": "b-i"},
        {"type": "refund_request", "at": at(63), "customer": "b", "purchase": "b3"},
    ]
    doc = {"events": small + big + life, "until": start.add(days=400).isoformat()}
    outcome = replay(doc)
    assert outcome == _by_world(doc)
    assert len(outcome["customers"]["b"]["lots"]) == 34
    assert [r["accepted"] for r in outcome["results"][:4]] == [False, True, False, False]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
INSTANTS = st.sampled_from(
    [
        "2026-11-23T09:00:00+01:00",
        "2026-11-23T09:00:00",
        "2026-11-23T12:00:00Z",
        "2027-03-28T02:30:00+02:00",
        "9999-12-31T23:00:00Z",
        "0001-01-01T00:00:00+00:00",
        "soon",
    ]
)
IDS = st.sampled_from(["acme", "p1", "i1", "", "globex"])
FIELDS = {
    "at": INSTANTS,
    "customer": IDS,
    "id": IDS,
    "purchase": IDS,
    "incident": IDS,
    "product": st.sampled_from(["single", "bundle-3", "gold"]),
    "count": st.integers(-2, 3),
    "area": st.sampled_from(["setup", "running", "custom_development", "x"]),
    "minutes": st.integers(-5, 300),
    "reason": st.sampled_from(["vendor_bug", "bored"]),
}


@st.composite
def garbage_events(draw: st.DrawFn) -> object:
    """An event-shaped object with plausible and implausible fields, or any JSON value."""
    if draw(st.integers(0, 4)) == 0:
        return draw(JSON)
    event: dict[str, Any] = {"type": draw(st.sampled_from([*EVENT_TYPES, "teleport"]))}
    for name, values in FIELDS.items():
        if draw(st.integers(0, 3)):
            event[name] = draw(st.one_of(values, JSON) if draw(st.integers(0, 5)) == 0 else values)
    return event


@given(VALID, st.lists(st.tuples(st.integers(0, 20), garbage_events()), max_size=6))
def test_replay_never_raises_on_garbage_events(doc: dict[str, Any], garbage: list[Any]) -> None:
    """Without until, a scenario with any events at all, garbage included, is replayed: one
    result per event, and no exception."""
    events = list(doc["events"])
    for place, event in garbage:
        events.insert(min(place, len(events)), event)
    data = replay({k: v for k, v in doc.items() if k != "until"} | {"events": events})
    assert [r["index"] for r in data["results"]] == list(range(len(events)))


@given(
    st.one_of(
        JSON,
        st.builds(dict, events=st.lists(JSON, max_size=4)),
        st.dictionaries(st.sampled_from(["events", "policy", "until", "x"]), JSON),
    )
)
def test_any_json_is_an_outcome_or_a_scenario_error(document: object) -> None:
    """Whatever JSON comes in, replay returns an outcome or raises ScenarioError, only."""
    try:
        data = replay(document)
    except ScenarioError:
        return
    assert set(data) == {
        "as_of",
        "results",
        "customers",
        "incidents",
        "notifications",
        "next_event_at",
    }


def _edited(state: dict[str, Any], edit: Any) -> dict[str, Any]:
    """``state`` changed by ``edit`` and sealed again: a snapshot the reader accepts
    that the rules themselves could not have made."""
    edit(state)
    state["digest"] = digest_of(state)
    return state


def _started(product: str) -> dict[str, Any]:
    events = [
        {"at": "2026-11-27T10:00:00+01:00", "type": "purchase", "customer": "acme", "id": "p1",
         "product": product},
        {"at": "2026-11-27T10:00:00+01:00", "type": "open", "customer": "acme", "id": "i1",
         "area": "setup"},
    ]  # fmt: skip
    state: dict[str, Any] = replay({"events": events, "return_state": True})["state"]
    return state


def test_restored_states_the_rules_could_not_make_replay_as_the_world_does() -> None:
    """Two hand-edited snapshots: a pending target breached before its due instant (a
    resolution or an invalidation is the value's to refuse), and a used-up lot under a
    policy version the policy lacks (no timer asks for its terms, so nothing fails). The
    engine answers as the world does."""

    def breached_early(state: dict[str, Any]) -> None:
        state["incidents"][0]["response_targets"][0]["breached"] = True

    def unknown_version(state: dict[str, Any]) -> None:
        state["accounts"][0]["lots"][0]["policy_version"] = 1

    resolve = {"at": "2026-11-27T10:30:00+01:00", "type": "resolve", "incident": "i1"}
    early = {"state": _edited(_started("bundle-3"), breached_early), "events": [resolve]}
    assert replay(early) == _by_world(early)
    assert replay(early)["results"][0]["rule"] == "response.target"
    invalidate = {"at": "2026-11-27T10:30:00+01:00", "type": "invalidate", "incident": "i1",
                  "reason": "vendor_bug"}  # fmt: skip
    early = {"state": _edited(_started("bundle-3"), breached_early), "events": [invalidate]}
    assert replay(early) == _by_world(early)
    assert replay(early)["results"][0]["rule"] == "response.target"
    unknown = {"state": _edited(_started("single"), unknown_version), "events": []}
    assert replay(unknown) == _by_world(unknown)
