"""The top level of a scenario: its dated policy changes, a state to continue from and
its flags, each refused by rule, field and sentence."""

from __future__ import annotations

from typing import Any

import pytest

from premier_policy import ScenarioError, replay

BUY = {"at": "2026-11-30T10:00:00+01:00", "type": "purchase", "customer": "c", "id": "p", "product": "single"}  # fmt: skip
OPEN = {"at": "2026-11-30T11:00:00+01:00", "type": "open", "customer": "c", "id": "i", "area": "setup"}  # fmt: skip
FROM = "2026-12-01T00:00:00+01:00"
ONLY = 'expected an object with exactly "from" and "policy", got '


def refusal(doc: dict[str, Any]) -> tuple[str | None, str | None, str]:
    """The rule, field and sentence of the document error ``doc`` is refused with."""
    with pytest.raises(ScenarioError) as caught:
        replay(doc)
    return caught.value.rule, caught.value.field, caught.value.detail


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ("policy.changes", "policy_changes", "expected a list, got an object")),
        (["soon"], ("policy.changes", "policy_changes[0]", ONLY + "a string")),
        (
            [{"from": FROM, "policy": {}, "note": "x"}],
            ("policy.changes", "policy_changes[0]", ONLY + "other fields"),
        ),
        (
            [{"from": FROM, "policy": 1}],
            ("policy.changes", "policy_changes[0].policy", "expected an object, got a number"),
        ),
        (
            [{"from": "soon", "policy": {}}],
            ("input.malformed", "policy_changes[0].from", "not an ISO 8601 instant: 'soon'"),
        ),
        (
            [{"from": "2026-12-01T00:00:00", "policy": {}}],
            (
                "input.aware-only",
                "policy_changes[0].from",
                "naive datetime 2026-12-01T00:00:00; give it a UTC offset or a zone",
            ),
        ),
        (
            [{"from": FROM, "policy": {"timezone": "Europe/London"}}],
            (
                "policy.changes",
                "policy_changes[0].policy.timezone",
                "the time zone never changes: Europe/London after Europe/Paris",
            ),
        ),
    ],
    ids=["not-a-list", "a-string", "another-field", "policy-a-number", "from-unreadable",
         "from-naive", "another-zone"],
)  # fmt: skip
def test_a_bad_policy_change_is_refused_by_rule_field_and_sentence(
    changes: object, expected: tuple[str, str, str]
) -> None:
    """Each way a dated change can be malformed names policy.changes (or the rule of the
    instant it cannot read), where it sits, and what is wrong in words."""
    assert refusal({"policy_changes": changes, "events": [BUY]}) == expected


def test_return_state_must_be_a_boolean() -> None:
    """return_state is true or false; anything else is named with its JSON kind."""
    assert refusal({"events": [], "return_state": "yes"}) == (
        None,
        "return_state",
        "expected true or false, got a string",
    )


def snapshot(**scenario: Any) -> dict[str, Any]:
    """The state a replay of ``scenario`` (BUY and OPEN by default) ends with."""
    doc = {"events": [BUY, OPEN], **scenario, "return_state": True}
    state: dict[str, Any] = replay(doc)["state"]
    return state


def test_a_state_is_continued_under_its_own_policy_given_again() -> None:
    """The snapshot's base policy may be given beside it, even when the snapshot carries
    dated changes; any other policy is refused in words that say what to do."""
    policy = {"response_target_minutes": 180}
    changes = [{"from": FROM, "policy": {"reopen_days": 10}}]
    state = snapshot(policy=policy, policy_changes=changes)
    assert replay({"state": state, "policy": policy, "events": []})["results"] == []
    assert refusal({"state": state, "policy": {}, "events": []}) == (
        "state.integrity",
        "policy",
        "differs from the snapshot's policy; a continued world keeps its policy "
        "(leave policy out, or give the snapshot's)",
    )


def test_a_change_continuing_a_state_comes_after_its_clock() -> None:
    """A state without changes takes a first one dated after its clock, even by a
    microsecond; one dated at the clock is refused, naming both instants."""
    state = snapshot()
    later = {"from": "2026-11-30T11:00:00.000001+01:00", "policy": {"reopen_days": 10}}
    continued = replay(
        {"state": state, "policy_changes": [later], "events": [], "return_state": True}
    )
    assert [c["from"] for c in continued["state"]["policy_changes"]] == [
        "2026-11-30T10:00:00.000001+00:00"
    ]
    at_clock = {"from": OPEN["at"], "policy": {}}
    assert refusal({"state": state, "policy_changes": [at_clock], "events": []}) == (
        "policy.changes",
        "policy_changes[0].from",
        "a change given with state comes after the snapshot's clock, 2026-11-30 11:00 CET; "
        "got 2026-11-30 11:00 CET",
    )
