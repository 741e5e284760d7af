"""An incident's story: laws against the replay, and the named stories of the examples
(response.target, time.allowance-warning, time.extension, credits.restore,
lifecycle.auto-close, lifecycle.reopen-window, and refusals by rule)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings

from premier_policy import IncidentStory, RuleId, incident_story, replay
from premier_policy.strategies import scenarios

ROOT = Path(__file__).resolve().parents[2]
DEMO = json.loads((ROOT / "src/premier_policy/examples/demo.json").read_text("utf-8"))
REOPEN = json.loads((ROOT / "examples/reopen-after-auto-close.json").read_text("utf-8"))


def at(t: str, kind: str, **fields: Any) -> dict[str, Any]:
    """One event of the scenario format."""
    return {"at": t, "type": kind, **fields}


PURCHASE = at("2026-11-23T09:00:00+01:00", "purchase", customer="a", id="p1", product="bundle-3")


def fact(kind: str, rule: str, text: str, **data: Any) -> dict[str, Any]:
    """A fact's JSON form."""
    return {"kind": kind, "rule": rule, "text": text, **data}


def facts_of(story: IncidentStory, kind: str) -> list[list[dict[str, Any]]]:
    """The JSON facts of each step of ``kind``, in order."""
    return [s["facts"] for s in story.as_dict()["steps"] if s["kind"] == kind]


def ids(doc: dict[str, Any]) -> set[str]:
    """Every incident ID a scenario names."""
    return {
        str(e.get("id") if e.get("type") == "open" else e.get("incident"))
        for e in doc["events"]
        if isinstance(e, dict) and ("incident" in e or e.get("type") == "open")
    }


@settings(max_examples=60)
@given(scenarios(valid="mixed", max_size=10))
def test_the_final_incident_is_the_outcomes(doc: dict[str, Any]) -> None:
    """The story's final incident, written as data, is the outcome's incident exactly;
    an incident never opened has no final state."""
    outcome = replay(doc)
    for incident_id in ids(doc):
        story = incident_story(doc, incident_id)
        assert story.as_dict()["final"] == outcome["incidents"].get(incident_id)


@settings(max_examples=60)
@given(scenarios(valid="mixed", max_size=10))
def test_steps_chain_and_refusals_change_nothing(doc: dict[str, Any]) -> None:
    """Each step starts from where the one before ended; a refused step changes
    nothing and carries its rule; the last step ends in the final incident."""
    for incident_id in ids(doc):
        story = incident_story(doc, incident_id)
        current = None
        for step in story.steps:
            assert step.before == current
            if step.refusal is not None:
                assert step.after == step.before
                assert step.rule is step.refusal.rule
            current = step.after
        assert current == story.incident


def test_a_breached_target_then_a_late_reply_then_restored_credit() -> None:
    """demo g1: refused open (credits.none-available), the breach at 13:40 with staff
    told, the late reply, and the credit back to its lot on invalidation."""
    story = incident_story(DEMO, "g1")
    assert [(s.index, s.kind, s.rule) for s in story.steps] == [
        (4, "open", RuleId.CREDITS_NONE_AVAILABLE),
        (6, "open", RuleId.LIFECYCLE_OPEN),
        (None, "response_overdue", RuleId.RESPONSE_TARGET),
        (9, "staff_reply", RuleId.LIFECYCLE_STAFF_REPLY),
        (11, "resolve", RuleId.LIFECYCLE_RESOLVE),
        (15, "invalidate", RuleId.LIFECYCLE_INVALIDATE),
    ]
    lines = story.lines()
    assert (
        "    no staff reply by 2026-11-23 13:40 CET: breached, staff told 2026-11-23 13:40 CET "
        "(response_overdue)  [response.target]"
    ) in lines
    assert (
        "    response posted 2026-11-24 09:00 CET, late, the target stays breached "
        "(due 2026-11-23 13:40 CET)  [response.target]"
    ) in lines
    assert (
        "    1 credit restored to lot q1, keeping its expiry (invalidated: vendor_bug)  "
        "[credits.restore]"
    ) in lines
    assert lines[-1] == "final: invalid, 0 credit(s) held, 0 of 240 min used"


def test_warning_extension_and_auto_close() -> None:
    """demo i1: the warning at 40 min left, the extension taking a second credit, and
    the auto-close 30 days after resolving with its reopen window."""
    story = incident_story(DEMO, "i1")
    kinds = [f.kind for s in story.steps for f in s.facts]
    for kind in ("allowance_warning", "allowance_extended", "auto_close_set", "reopen_window"):
        assert kind in kinds
    close = story.steps[-1]
    assert (close.kind, close.index, close.state_before, close.state_after) == (
        "auto_close",
        None,
        "resolved",
        "closed",
    )
    data = story.as_dict()["steps"][-1]["facts"]
    assert {"kind": "reopen_window", "rule": "lifecycle.reopen-window"}.items() <= data[2].items()
    assert data[2]["reopen_until"] == "2027-01-25T12:00:00+01:00"


def test_a_target_names_its_spans_as_data() -> None:
    """response.target: an incident opened Friday 18:30 is due Monday 09:30, from the
    spans 18:30-19:00 (30) and 08:00-09:30 (90)."""
    doc = {
        "events": [
            at("2026-11-27T10:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2026-11-27T18:30:00+01:00", "open", customer="a", id="i1", area="setup"),
        ]
    }
    (step,) = incident_story(doc, "i1").as_dict()["steps"]
    (target,) = [f for f in step["facts"] if f["kind"] == "target_started"]
    assert target["due_at"] == "2026-11-30T09:30:00+01:00"
    assert [s["minutes"] for s in target["spans"]] == [30, 90]


def test_exhausted_and_refusals_name_their_rules() -> None:
    """time.allowance-exhausted when logged time reaches the allowance; an early
    extension (time.extension-not-needed) and a log past it (time.allowance-exceeded)
    are refused steps with their sentence."""
    doc = {
        "events": [
            at("2026-11-23T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2026-11-23T09:30:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2026-11-23T09:40:00+01:00", "extend", incident="i1"),
            at("2026-11-23T10:00:00+01:00", "log_time", incident="i1", minutes=240),
            at("2026-11-23T10:10:00+01:00", "log_time", incident="i1", minutes=1),
        ]
    }
    story = incident_story(doc, "i1")
    rules = [s.rule for s in story.steps]
    assert rules == [
        RuleId.LIFECYCLE_OPEN,
        RuleId.TIME_EXTENSION_NOT_NEEDED,
        RuleId.TIME_ALLOWANCE,
        RuleId.TIME_ALLOWANCE_EXCEEDED,
    ]
    assert [f.rule for f in story.steps[2].facts][:3] == [
        RuleId.TIME_ALLOWANCE,
        RuleId.TIME_ALLOWANCE_WARNING,
        RuleId.TIME_ALLOWANCE_EXHAUSTED,
    ]
    refused = story.as_dict()["steps"][3]["refusal"]
    assert refused["rule"] == "time.allowance-exceeded"
    assert "0 of 240 minutes remain" in refused["message"]


def test_reopen_after_auto_close_and_an_unknown_incident() -> None:
    """lifecycle.reopen-window: the example's incident closes by itself, a reply is
    refused on the closed incident (lifecycle.customer-reply), then it is reopened
    inside the window; an ID nobody opened has an empty story."""
    story = incident_story(REOPEN, next(iter(replay(REOPEN)["incidents"])))
    kinds = [s.kind for s in story.steps]
    assert kinds.index("auto_close") < kinds.index("reopen")
    refused = kinds.index("customer_reply")
    assert kinds.index("auto_close") < refused  # the timer due before it comes first
    assert story.steps[refused].state_before == "closed"
    nobody = incident_story(REOPEN, "nobody")
    assert (nobody.steps, nobody.incident, nobody.lines()[-1]) == ((), None, "never opened")
    assert nobody.as_dict()["final"] is None


def test_a_story_without_events_has_no_instant() -> None:
    """An empty scenario gives an empty story, with no as_of."""
    story = incident_story({"events": []}, "i1")
    assert story.as_dict() == {"incident": "i1", "as_of": None, "steps": [], "final": None}


def test_invalidating_while_waiting_on_staff_drops_the_breached_target() -> None:
    """lifecycle.invalidate at 12:30 of an incident due 12:00 and breached: the
    pending target is dropped, the fact naming lifecycle.invalidate (the rule that
    dropped it), and the credit goes back to its lot."""
    doc = {
        "events": [
            PURCHASE,
            at("2026-11-23T10:00:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2026-11-23T12:30:00+01:00", "invalidate", incident="i1", reason="vendor_bug"),
        ]
    }
    story = incident_story(doc, "i1")
    assert [s.kind for s in story.steps] == ["open", "response_overdue", "invalidate"]
    (invalidated,) = facts_of(story, "invalidate")
    assert invalidated[1:3] == [
        fact(
            "credit_restored",
            "credits.restore",
            "1 credit restored to lot p1, keeping its expiry (invalidated: vendor_bug)",
            lot="p1",
            reason="vendor_bug",
        ),
        fact(
            "target_dropped",
            "lifecycle.invalidate",
            "pending response target dropped 2026-11-23 12:30 CET",
            dropped_at="2026-11-23T12:30:00+01:00",
        ),
    ]
