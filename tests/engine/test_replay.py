"""replay(dict) -> dict: every event gets a result, as_of and until, document errors."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from premier_policy import ACCEPTED, Refusal, RuleId, ScenarioError, replay, trace
from premier_policy.engine._replay import _BATCH

BUY = {"at": "2026-11-23T09:00:00+01:00", "type": "purchase", "customer": "acme", "id": "p1", "product": "bundle-3"}  # fmt: skip
OPEN = {"at": "2026-11-23T10:00:00+01:00", "type": "open", "customer": "acme", "id": "i1", "area": "setup"}  # fmt: skip
REPLY = {"at": "2026-11-23T11:00:00+01:00", "type": "staff_reply", "incident": "i1"}


def results(data: dict[str, Any]) -> list[tuple[int, bool, str | None]]:
    return [(r["index"], r["accepted"], r.get("rule")) for r in data["results"]]


def test_every_event_gets_a_result_in_input_order() -> None:
    """Accepted, refused by a rule, malformed, naive: one result each, in order."""
    data = replay(
        {
            "events": [
                BUY,
                {**OPEN, "area": "custom_development"},
                {**REPLY, "incident": 42},
                {**OPEN, "at": "2026-11-23T10:00:00"},
                OPEN,
                "garbage",
            ]
        }
    )
    assert results(data) == [
        (0, True, None),
        (1, False, RuleId.SCOPE_CUSTOM_DEVELOPMENT.value),
        (2, False, RuleId.INPUT_MALFORMED.value),
        (3, False, RuleId.INPUT_AWARE_ONLY.value),
        (4, True, None),
        (5, False, RuleId.INPUT_MALFORMED.value),
    ]
    assert data["results"][2]["message"].startswith("malformed event: incident:")
    assert data["results"][3]["message"].startswith("malformed event: at: naive datetime")
    assert set(data["results"][0]) == {"index", "accepted"}


def test_results_keep_their_index_across_batches() -> None:
    """replay reads events a batch at a time: malformed events on either side of each
    batch's edge are refused at their own index, and the rest judged as trace does."""
    edges = {_BATCH - 1, _BATCH, _BATCH + 1, 2 * _BATCH, 3 * _BATCH - 1}
    events: list[object] = [BUY, OPEN]
    for index in range(2, 3 * _BATCH):
        minute = f"2026-11-23T{11 + index // 60:02d}:{index % 60:02d}:00+01:00"
        events.append("garbage" if index in edges else {**REPLY, "at": minute})
    data = replay({"events": events})
    steps = trace({"events": events}).moments
    assert results(data) == [
        (m.index, m.result is ACCEPTED, None if m.result is ACCEPTED else m.result.rule.value)  # type: ignore[union-attr]
        for m in steps
    ]
    refused = {index for index, _, rule in results(data) if rule is not None}
    assert refused == edges
    assert all(rule == RuleId.INPUT_MALFORMED.value for _, _, rule in results(data) if rule)


@pytest.mark.parametrize("kind", ["customer_reply", "extend", "close", "reopen"])
def test_a_customer_acts_only_on_their_own_incident(kind: str) -> None:
    """input.owner: an event naming another customer is refused and changes nothing; the
    same event naming the incident's own customer is judged as if it named no one."""
    before = [BUY, OPEN, REPLY]
    event = {"at": "2026-11-23T12:00:00+01:00", "type": kind, "incident": "i1"}
    stranger = replay({"events": [*before, {**event, "customer": "globex"}]})
    assert results(stranger)[-1] == (3, False, RuleId.INPUT_OWNER.value)
    assert {**stranger, "results": None} == {**replay({"events": before}), "results": None}
    own, anyone = (replay({"events": [*before, {**event, **named}]}) for named in ({"customer": "acme"}, {}))  # fmt: skip
    assert own == anyone
    assert results(own)[-1][2] != RuleId.INPUT_OWNER.value


def test_as_of_is_until_when_given_and_timers_up_to_it_fire() -> None:
    """input.timers: until is inclusive; next_event_at is strictly later."""
    data = replay({"until": "2026-11-23T12:00:00+01:00", "events": [BUY, OPEN]})
    assert data["as_of"] == "2026-11-23T12:00:00+01:00"
    assert data["notifications"][-1]["kind"] == "response_overdue"
    assert data["next_event_at"] > data["as_of"]


def test_without_until_as_of_is_the_last_applied_event() -> None:
    """Without until the outcome describes the world's clock: the last applied event
    (a later refused or malformed one does not move it)."""
    late_refund = {"at": "2026-12-01T09:00:00+01:00", "type": "refund_request", "customer": "acme", "purchase": "p1"}  # fmt: skip
    data = replay(
        {"events": [BUY, OPEN, late_refund, {**REPLY, "at": "2027-01-01T00:00:00Z", "x": 1}]}
    )
    assert data["as_of"] == "2026-11-23T10:00:00+01:00"
    assert data["next_event_at"] == "2026-11-23T12:00:00+01:00"


def test_an_empty_scenario_describes_nothing() -> None:
    """No event and no until: as_of and next_event_at are null, everything empty."""
    assert replay({"events": []}) == {
        "as_of": None,
        "results": [],
        "customers": {},
        "incidents": {},
        "notifications": [],
        "next_event_at": None,
    }


def test_until_before_an_applied_event_is_a_document_error() -> None:
    """input.out-of-order: the outcome cannot describe an instant before what it applied."""
    with pytest.raises(ScenarioError) as info:
        replay({"until": "2026-11-23T09:30:00+01:00", "events": [BUY, OPEN]})
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_OUT_OF_ORDER, "until")


@pytest.mark.parametrize(("key", "named"), [("", "''"), ("extra", "extra"), ("a\nb", "'a\\nb'")])
def test_an_unknown_top_level_field_is_named_even_when_empty(key: str, named: str) -> None:
    """input.malformed: the document error names the unknown key visibly, an empty one
    or one that is not printable included (a key that is not a string:
    tests/wire/test_wire.py)."""
    with pytest.raises(ScenarioError) as info:
        replay({key: 1, "events": []})
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, named)
    assert str(info.value).startswith(f"input.malformed: {named}: unknown field")


def test_until_at_the_last_event_is_fine() -> None:
    """until may equal the last event's instant."""
    data = replay({"until": OPEN["at"], "events": [BUY, OPEN]})
    assert data["as_of"] == OPEN["at"]


def test_instants_are_written_in_the_policy_zone() -> None:
    """Outcome instants use the policy zone and its offset, whatever offset came in."""
    data = replay(
        {
            "policy": {"timezone": "America/New_York"},
            "events": [{**BUY, "at": "2026-11-23T14:00:00Z"}],
        }
    )
    assert data["as_of"] == "2026-11-23T09:00:00-05:00"
    assert data["customers"]["acme"]["lots"][0]["purchased_at"] == "2026-11-23T09:00:00-05:00"


def test_replay_is_pure() -> None:
    """The document is not changed, and replaying twice gives the same outcome."""
    doc = {"until": "2026-12-01T00:00:00+01:00", "events": [BUY, OPEN, REPLY]}
    kept = copy.deepcopy(doc)
    assert replay(doc) == replay(doc)
    assert doc == kept


FAR = [
    {"at": "9998-12-25T00:00:00Z", "type": "purchase", "customer": "a", "id": "p", "product": "single"},
    {"at": "9999-11-01T00:00:00Z", "type": "open", "customer": "a", "id": "i", "area": "setup"},
    {"at": "9999-11-02T00:00:00Z", "type": "staff_reply", "incident": "i"},
    {"at": "9999-11-20T00:00:00Z", "type": "resolve", "incident": "i"},
]  # fmt: skip


def test_a_timer_past_year_9999_refuses_later_events() -> None:
    """The auto-close of 9999-12-20 cannot compute its reopen window: events behind it are
    refused, one by one, and the replay goes on."""
    later = {"at": "9999-12-25T00:00:00Z", "type": "staff_reply", "incident": "i"}
    data = replay({"events": [*FAR, later, later]})
    assert results(data)[-2:] == [
        (4, False, RuleId.INPUT_MALFORMED.value),
        (5, False, RuleId.INPUT_MALFORMED.value),
    ]
    assert data["incidents"]["i"]["state"] == "resolved"
    steps = trace({"events": [*FAR, later]})
    assert isinstance(steps.moments[-1].result, Refusal)


def test_a_timer_past_year_9999_before_until_is_a_document_error() -> None:
    """Letting time pass over a timer that cannot fire makes the document unanswerable."""
    with pytest.raises(ScenarioError) as info:
        replay({"until": "9999-12-31T00:00:00Z", "events": FAR})
    assert info.value.field == "until"


def test_trace_keeps_every_step() -> None:
    """trace: one moment per event with the world after it, then the closing timers."""
    done = trace({"until": "2026-11-23T12:30:00+01:00", "events": [BUY, "oops", OPEN]})
    assert [m.index for m in done.moments] == [0, 1, 2]
    assert done.moments[1].event is None
    assert isinstance(done.moments[1].result, Refusal)
    assert done.moments[1].notifications == ()
    assert done.moments[2].result is ACCEPTED
    assert list(done.moments[2].world.incidents) == ["i1"]
    assert [n.kind for n in done.closing] == ["response_overdue"]
    assert done.world.at == done.as_of
    with pytest.raises(ScenarioError):
        trace({"until": "2026-11-23T09:30:00+01:00", "events": [BUY, OPEN]})
    empty = trace({"events": []})
    assert (empty.moments, empty.closing, empty.as_of) == ((), (), None)


def test_replay_and_trace_agree() -> None:
    """The engine's working copy and the persistent world reach the same state."""
    doc = {
        "until": "2027-01-01T00:00:00+01:00",
        "events": [BUY, OPEN, REPLY, {**REPLY, "type": "resolve"}],
    }
    data = replay(doc)
    world = trace(doc).world
    assert list(data["incidents"]) == list(world.incidents)
    assert data["incidents"]["i1"]["state"] == world.incidents["i1"].state == "closed"
    assert len(data["notifications"]) == len(world.notifications)


def plain(value: object) -> bool:
    """Whether ``value`` is made of exactly JSON's types (no str or int subclasses)."""
    if isinstance(value, dict):
        return all(type(k) is str and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or type(value) in (str, int, bool)


def test_the_outcome_is_plain_json_data() -> None:
    """Only dict, list, str, int, bool and None: no enums, tuples or datetimes slip out."""
    data = replay(
        {
            "until": "2027-01-01T00:00:00+01:00",
            "events": [
                BUY,
                OPEN,
                REPLY,
                {**OPEN, "at": REPLY["at"], "id": "i2", "area": "nowhere"},
            ],
        }
    )
    assert plain(data)
    assert data["results"][3]["rule"] == RuleId.SCOPE_OUTSIDE_AREAS.value


def test_return_state_is_the_world_after_the_last_event_or_at_until() -> None:
    """Without until the state keeps the timers due at the last event's instant pending
    (the view fires them); with until it is the world there, everything due fired.
    trace continues a state as replay does."""
    due = {**REPLY, "at": "2026-11-23T12:00:00+01:00", "type": "customer_reply"}
    at_due = replay({"events": [BUY, OPEN, due], "return_state": True})
    assert at_due["notifications"][-1]["kind"] == "response_overdue"  # the view
    pending = at_due["state"]
    assert pending["at"] == "2026-11-23T11:00:00+00:00"
    assert pending["incidents"][0]["response_targets"][0]["breached"] is False
    until = replay(
        {"until": "2026-11-23T12:00:00+01:00", "events": [BUY, OPEN], "return_state": True}
    )
    assert until["state"]["incidents"][0]["response_targets"][0]["breached"] is True
    assert "state" not in replay({"events": [BUY]})
    later = {**REPLY, "at": "2026-11-23T12:30:00+01:00"}
    continued = trace({"events": [later], "state": pending})
    assert [n.kind for n in continued.moments[0].notifications] == [
        "response_overdue",
        "response_posted",
    ]
    assert (
        trace({"events": [], "state": pending}).world.at
        == trace({"events": [BUY, OPEN, due]}).world.at
    )
