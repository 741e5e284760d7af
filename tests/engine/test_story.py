"""An incident's story: laws against the replay, the JSON form of its facts (the
table of docs/explain.md), and named stories (response.target met in time, at 19:00
sharp, late, or dropped; time.allowance-warning, time.allowance-exhausted,
time.extension, credits.restore, lifecycle.auto-close, lifecycle.reopen-window, and
refusals by rule)."""

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


#: The data keys of each kind of fact, after ``kind``, ``rule`` and ``text`` (the JSON
#: form docs/explain.md lists).
NUMBERS = ("used", "minutes", "remaining", "warning_minutes")
FACT_KEYS: dict[str, tuple[str, ...]] = {
    "state": ("before", "after"),
    "credit_taken": ("lot",),
    "credit_restored": ("lot", "reason"),
    "allowance_granted": NUMBERS,
    "time_logged": ("logged", *NUMBERS),
    "allowance_warning": NUMBERS,
    "allowance_exhausted": NUMBERS,
    "allowance_extended": NUMBERS,
    "target_started": ("started_at", "due_at", "spans"),
    "target_met": ("met_at", "breached"),
    "target_breached": ("due_at", "told_at"),
    "target_dropped": ("dropped_at",),
    "auto_close_set": ("auto_close_at",),
    "closed": ("closed_at",),
    "reopen_window": ("reopen_until",),
    "notified": ("to", "notification", "at"),
}
PURCHASE = at("2026-11-23T09:00:00+01:00", "purchase", customer="a", id="p1", product="bundle-3")


def fact(kind: str, rule: str, text: str, **data: Any) -> dict[str, Any]:
    """A fact's JSON form."""
    return {"kind": kind, "rule": rule, "text": text, **data}


def told(to: str, notification: str, t: str, rule: str) -> dict[str, Any]:
    """The JSON form of a ``notified`` fact: ``to`` told ``notification`` at ``t``."""
    shown = f"{t[:10]} {t[11:16]} CET"
    text = f"{to} told {shown}: {notification}"
    return fact("notified", rule, text, to=to, notification=notification, at=t)


def numbers(used: int, minutes: int, remaining: int) -> dict[str, int]:
    """An allowance fact's numbers, the warning level being the default 60 minutes."""
    return {"used": used, "minutes": minutes, "remaining": remaining, "warning_minutes": 60}


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


@settings(max_examples=60)
@given(scenarios(valid="mixed", max_size=10))
def test_every_fact_has_its_kinds_keys_and_the_steps_numbers(doc: dict[str, Any]) -> None:
    """A fact's JSON form is kind, rule, text, then exactly the data keys of its kind;
    a state fact names the step's states, an allowance fact the allowance after it,
    and the notified facts are the step's notifications, in order."""
    for incident_id in ids(doc):
        story = incident_story(doc, incident_id)
        policy = story.policy
        for step, data in zip(story.steps, story.as_dict()["steps"], strict=True):
            found = data["facts"]
            assert found == [f.as_dict() for f in step.facts]
            for f in found:
                assert list(f) == ["kind", "rule", "text", *FACT_KEYS[f["kind"]]]
                assert RuleId(f["rule"]).value == f["rule"]
                assert isinstance(f["text"], str)
                if f["kind"] == "state":
                    assert (f["before"], f["after"]) == (step.state_before, step.state_after)
                if f["kind"] in ("allowance_granted", "allowance_warning", "time_logged"):
                    assert step.after is not None
                    a = step.after.allowance
                    expected = (a.used, a.minutes, a.remaining, policy.warning_minutes)
                    assert tuple(f[k] for k in NUMBERS) == expected
            assert [
                (f["to"], f["notification"], f["at"]) for f in found if f["kind"] == "notified"
            ] == [(n.to, n.kind, policy.local(n.at).isoformat()) for n in step.notifications]


def test_a_reply_at_19_00_sharp_meets_the_target() -> None:
    """response.target: opened Monday 17:00, the 120 business minutes end at 19:00
    sharp, the close of business; a staff reply at 19:00 sharp is at the due instant,
    so in time, and no breach step comes before it (timers fire strictly before an
    event). The whole JSON of both steps, every fact's keys with it."""
    doc = {
        "events": [
            PURCHASE,
            at("2026-11-23T17:00:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2026-11-23T19:00:00+01:00", "staff_reply", incident="i1"),
        ]
    }
    story = incident_story(doc, "i1")
    five = "2026-11-23T17:00:00+01:00"
    seven = "2026-11-23T19:00:00+01:00"
    assert story.as_dict()["as_of"] == seven
    assert story.as_dict()["steps"] == [
        {
            "index": 1,
            "at": five,
            "kind": "open",
            "rule": "lifecycle.open",
            "accepted": True,
            "state_before": None,
            "state_after": "waiting_on_staff",
            "refusal": None,
            "facts": [
                fact(
                    "state",
                    "lifecycle.open",
                    "state (new) -> waiting_on_staff",
                    before=None,
                    after="waiting_on_staff",
                ),
                fact(
                    "credit_taken",
                    "credits.consume-order",
                    "1 credit taken from lot p1 (the usable lot that expires first)",
                    lot="p1",
                ),
                fact(
                    "allowance_granted",
                    "time.allowance",
                    "time allowance 240 min (warning at 60 min left)",
                    **numbers(0, 240, 240),
                ),
                fact(
                    "target_started",
                    "response.target",
                    "response due 2026-11-23 19:00 CET, 120 business minutes: "
                    "Mon 17:00-19:00 (120)",
                    started_at=five,
                    due_at=seven,
                    spans=[{"start": five, "end": seven, "minutes": 120}],
                ),
                told("customer", "incident_opened", five, "lifecycle.open"),
                told("staff", "incident_opened", five, "lifecycle.open"),
            ],
        },
        {
            "index": 2,
            "at": seven,
            "kind": "staff_reply",
            "rule": "lifecycle.staff-reply",
            "accepted": True,
            "state_before": "waiting_on_staff",
            "state_after": "waiting_on_customer",
            "refusal": None,
            "facts": [
                fact(
                    "state",
                    "lifecycle.staff-reply",
                    "state waiting_on_staff -> waiting_on_customer",
                    before="waiting_on_staff",
                    after="waiting_on_customer",
                ),
                fact(
                    "target_met",
                    "response.target",
                    "response posted 2026-11-23 19:00 CET, in time (due 2026-11-23 19:00 CET)",
                    met_at=seven,
                    breached=False,
                ),
                told("customer", "response_posted", seven, "lifecycle.staff-reply"),
            ],
        },
    ]


def weekend() -> dict[str, Any]:
    """A Friday-evening incident over the weekend: opened Fri 17:30 (due Mon 08:30:
    90 minutes Friday, 30 Monday), answered Fri 18:00, the customer back Fri 18:45
    (a second target, due Mon 09:45: 15 + 105), resolved Mon 08:30 before that, 190
    minutes logged Mon 09:00 (50 left: the warning), closed by the customer Mon 09:30,
    invalidated Mon 10:00."""
    return {
        "events": [
            PURCHASE,
            at("2026-11-27T17:30:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2026-11-27T18:00:00+01:00", "staff_reply", incident="i1"),
            at("2026-11-27T18:45:00+01:00", "customer_reply", incident="i1"),
            at("2026-11-30T08:30:00+01:00", "resolve", incident="i1"),
            at("2026-11-30T09:00:00+01:00", "log_time", incident="i1", minutes=190),
            at("2026-11-30T09:30:00+01:00", "close", incident="i1"),
            at("2026-11-30T10:00:00+01:00", "invalidate", incident="i1", reason="out_of_scope"),
        ]
    }


def test_a_friday_evening_story_has_two_targets() -> None:
    """response.target over a weekend: the first target, due Monday 08:30, is met in
    time on Friday; the customer's reply starts a second one, due Monday 09:45, its
    spans Friday 18:45-19:00 and Monday 08:00-09:45."""
    story = incident_story(weekend(), "i1")
    (opened,) = facts_of(story, "open")
    assert opened[3] == fact(
        "target_started",
        "response.target",
        "response due 2026-11-30 08:30 CET, 120 business minutes: "
        "Fri 17:30-19:00 (90), Mon 08:00-08:30 (30)",
        started_at="2026-11-27T17:30:00+01:00",
        due_at="2026-11-30T08:30:00+01:00",
        spans=[
            {
                "start": "2026-11-27T17:30:00+01:00",
                "end": "2026-11-27T19:00:00+01:00",
                "minutes": 90,
            },
            {
                "start": "2026-11-30T08:00:00+01:00",
                "end": "2026-11-30T08:30:00+01:00",
                "minutes": 30,
            },
        ],
    )
    (replied,) = facts_of(story, "staff_reply")
    assert replied[1] == fact(
        "target_met",
        "response.target",
        "response posted 2026-11-27 18:00 CET, in time (due 2026-11-30 08:30 CET)",
        met_at="2026-11-27T18:00:00+01:00",
        breached=False,
    )
    (back,) = facts_of(story, "customer_reply")
    assert back == [
        fact(
            "state",
            "lifecycle.customer-reply",
            "state waiting_on_customer -> waiting_on_staff",
            before="waiting_on_customer",
            after="waiting_on_staff",
        ),
        fact(
            "target_started",
            "response.target",
            "response due 2026-11-30 09:45 CET, 120 business minutes: "
            "Fri 18:45-19:00 (15), Mon 08:00-09:45 (105)",
            started_at="2026-11-27T18:45:00+01:00",
            due_at="2026-11-30T09:45:00+01:00",
            spans=[
                {
                    "start": "2026-11-27T18:45:00+01:00",
                    "end": "2026-11-27T19:00:00+01:00",
                    "minutes": 15,
                },
                {
                    "start": "2026-11-30T08:00:00+01:00",
                    "end": "2026-11-30T09:45:00+01:00",
                    "minutes": 105,
                },
            ],
        ),
        told("staff", "customer_replied", "2026-11-27T18:45:00+01:00", "lifecycle.customer-reply"),
    ]


def test_resolving_drops_the_pending_target_once() -> None:
    """lifecycle.resolve drops the pending second target at 08:30, before its 09:45
    due instant, and sets the auto-close 30 days later; the time logged after it
    (the warning at 50 min left) tells of neither again."""
    story = incident_story(weekend(), "i1")
    (resolved,) = facts_of(story, "resolve")
    assert resolved == [
        fact(
            "state",
            "lifecycle.resolve",
            "state waiting_on_staff -> resolved",
            before="waiting_on_staff",
            after="resolved",
        ),
        fact(
            "target_dropped",
            "lifecycle.resolve",
            "pending response target dropped 2026-11-30 08:30 CET",
            dropped_at="2026-11-30T08:30:00+01:00",
        ),
        fact(
            "auto_close_set",
            "lifecycle.auto-close",
            "closes by itself 2026-12-30 08:30 CET, 30 days after resolving, unless reopened",
            auto_close_at="2026-12-30T08:30:00+01:00",
        ),
        told("customer", "incident_resolved", "2026-11-30T08:30:00+01:00", "lifecycle.resolve"),
    ]
    (logged,) = facts_of(story, "log_time")
    assert logged == [
        fact(
            "time_logged",
            "time.allowance",
            "190 min logged: 190 of 240 used, 50 left",
            logged=190,
            **numbers(190, 240, 50),
        ),
        fact(
            "allowance_warning",
            "time.allowance-warning",
            "warning level: 50 min left, 60 or fewer; customer told, extension now possible",
            **numbers(190, 240, 50),
        ),
        told("customer", "allowance_warning", "2026-11-30T09:00:00+01:00", "time.allowance"),
    ]


def test_closing_then_invalidating_tells_each_instant_once() -> None:
    """lifecycle.auto-close: the customer closes the resolved incident Monday 09:30,
    reopenable until 30 days later (lifecycle.reopen-window); invalidating it then
    restores its credit to lot p1 (credits.restore) and does not tell the close
    again."""
    story = incident_story(weekend(), "i1")
    (closed,) = facts_of(story, "close")
    assert closed == [
        fact(
            "state",
            "lifecycle.auto-close",
            "state resolved -> closed",
            before="resolved",
            after="closed",
        ),
        fact(
            "closed",
            "lifecycle.auto-close",
            "closed 2026-11-30 09:30 CET",
            closed_at="2026-11-30T09:30:00+01:00",
        ),
        fact(
            "reopen_window",
            "lifecycle.reopen-window",
            "may be reopened for free until 2026-12-30 09:30 CET",
            reopen_until="2026-12-30T09:30:00+01:00",
        ),
        told("customer", "incident_closed", "2026-11-30T09:30:00+01:00", "lifecycle.auto-close"),
    ]
    (invalidated,) = facts_of(story, "invalidate")
    assert invalidated == [
        fact(
            "state",
            "lifecycle.invalidate",
            "state closed -> invalid",
            before="closed",
            after="invalid",
        ),
        fact(
            "credit_restored",
            "credits.restore",
            "1 credit restored to lot p1, keeping its expiry (invalidated: out_of_scope)",
            lot="p1",
            reason="out_of_scope",
        ),
        told(
            "customer", "incident_invalidated", "2026-11-30T10:00:00+01:00", "lifecycle.invalidate"
        ),
    ]


def test_a_breach_then_a_late_reply_as_data() -> None:
    """response.target: opened Monday 10:00, due 12:00; with no reply by then the
    timer step at 12:00 breaches it and tells staff; the reply at 14:00 is late and
    the target stays breached. The story's as_of is the scenario's until."""
    doc = {
        "until": "2026-11-23T15:00:00+01:00",
        "events": [
            PURCHASE,
            at("2026-11-23T10:00:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2026-11-23T14:00:00+01:00", "staff_reply", incident="i1"),
        ],
    }
    story = incident_story(doc, "i1")
    data = story.as_dict()
    assert data["as_of"] == "2026-11-23T15:00:00+01:00"
    noon = "2026-11-23T12:00:00+01:00"
    assert data["steps"][1] == {
        "index": None,
        "at": noon,
        "kind": "response_overdue",
        "rule": "response.target",
        "accepted": True,
        "state_before": "waiting_on_staff",
        "state_after": "waiting_on_staff",
        "refusal": None,
        "facts": [
            fact(
                "target_breached",
                "response.target",
                "no staff reply by 2026-11-23 12:00 CET: breached, staff told "
                "2026-11-23 12:00 CET (response_overdue)",
                due_at=noon,
                told_at=noon,
            ),
            told("staff", "response_overdue", noon, "response.target"),
        ],
    }
    (replied,) = facts_of(story, "staff_reply")
    assert replied[1] == fact(
        "target_met",
        "response.target",
        "response posted 2026-11-23 14:00 CET, late, the target stays breached "
        "(due 2026-11-23 12:00 CET)",
        met_at="2026-11-23T14:00:00+01:00",
        breached=True,
    )
    assert len(data["steps"]) == 3


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


def test_an_extension_then_the_allowance_exhausted_as_data() -> None:
    """time.extension and time.allowance-exhausted: 200 of 240 min leave 40 (the
    warning); extending takes a second credit of lot p1 and makes 480 with 280 left;
    logging those 280 reaches 480 of 480: the new level's warning and the exhausted
    level in one step, customer and staff told."""
    doc = {
        "events": [
            PURCHASE,
            at("2026-11-23T10:00:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2026-11-23T10:30:00+01:00", "staff_reply", incident="i1"),
            at("2026-11-23T11:00:00+01:00", "log_time", incident="i1", minutes=200),
            at("2026-11-23T11:30:00+01:00", "extend", incident="i1"),
            at("2026-11-23T12:00:00+01:00", "log_time", incident="i1", minutes=280),
        ]
    }
    story = incident_story(doc, "i1")
    (extended,) = facts_of(story, "extend")
    t = "2026-11-23T11:30:00+01:00"
    assert extended == [
        fact(
            "credit_taken",
            "credits.consume-order",
            "1 credit taken from lot p1 (the usable lot that expires first)",
            lot="p1",
        ),
        fact(
            "allowance_extended",
            "time.extension",
            "allowance extended 240 -> 480 min, 280 left",
            **numbers(200, 480, 280),
        ),
        told("customer", "incident_extended", t, "time.extension"),
        told("staff", "incident_extended", t, "time.extension"),
    ]
    first, last = facts_of(story, "log_time")
    assert first[0]["logged"] == 200
    t = "2026-11-23T12:00:00+01:00"
    assert last == [
        fact(
            "time_logged",
            "time.allowance",
            "280 min logged: 480 of 480 used, 0 left",
            logged=280,
            **numbers(480, 480, 0),
        ),
        fact(
            "allowance_warning",
            "time.allowance-warning",
            "warning level: 0 min left, 60 or fewer; customer told, extension now possible",
            **numbers(480, 480, 0),
        ),
        fact(
            "allowance_exhausted",
            "time.allowance-exhausted",
            "allowance exhausted: 480 of 480 min used; customer and staff told",
            **numbers(480, 480, 0),
        ),
        told("customer", "allowance_warning", t, "time.allowance"),
        told("customer", "allowance_exhausted", t, "time.allowance"),
        told("staff", "allowance_exhausted", t, "time.allowance"),
    ]


def test_the_headline_and_a_refused_opening_for_a_person() -> None:
    """The first line names the customer and area only once the incident opened, and
    the until instant only when there is one; a refused opening says the incident is
    not opened."""
    g1 = incident_story(DEMO, "g1").lines()
    assert (
        g1[0]
        == "Incident g1 of globex (running), replayed in Europe/Paris until 2027-01-10 12:00 CET"
    )
    assert g1[1:4] == (
        "#4 2026-11-23 11:30 CET  open: REFUSED  [credits.none-available]",
        "    no usable credit on 2026-11-23 11:30 CET: globex has bought no credits",
        "    state stays (not opened)",
    )
    nobody = incident_story(DEMO, "nobody").lines()
    assert nobody == (
        "Incident nobody, replayed in Europe/Paris until 2027-01-10 12:00 CET",
        "never opened",
    )
    empty = incident_story({"events": []}, "i1").lines()
    assert empty == ("Incident i1, replayed in Europe/Paris", "never opened")


def test_an_event_at_the_due_instant_comes_before_the_breach() -> None:
    """input.timers: a refused extension at 12:00, the due instant, sees the target
    not yet breached and changes nothing (time.extension-not-needed); the breach at
    12:00 follows it, and is in the story because the replay runs until 12:00
    (a timer due at until has fired), with staff told."""
    doc = {
        "until": "2026-11-23T12:00:00+01:00",
        "events": [
            PURCHASE,
            at("2026-11-23T10:00:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2026-11-23T12:00:00+01:00", "extend", incident="i1"),
        ],
    }
    story = incident_story(doc, "i1")
    opened, refused, breach = story.steps
    assert (refused.kind, breach.kind) == ("extend", "response_overdue")
    assert refused.before is opened.after
    assert refused.after is refused.before
    assert refused.notifications == ()
    assert story.as_dict()["steps"][1] == {
        "index": 2,
        "at": "2026-11-23T12:00:00+01:00",
        "kind": "extend",
        "rule": "time.extension-not-needed",
        "accepted": False,
        "state_before": "waiting_on_staff",
        "state_after": "waiting_on_staff",
        "refusal": {
            "rule": "time.extension-not-needed",
            "message": "incident i1: no extension is needed yet: 240 of 240 minutes remain; "
            "extending is possible once 60 or fewer remain",
        },
        "facts": [],
    }
    assert breach.before is not None
    assert not breach.before.response_targets[-1].breached
    assert [(n.kind, n.to) for n in breach.notifications] == [("response_overdue", "staff")]
    assert story.incident is not None
    assert story.incident.response_targets[-1].breached


def test_a_refused_event_sees_only_the_timers_the_clock_reaches() -> None:
    """input.timers with refusals, which move no clock: an extension refused at 13:00
    after the last accepted event sees the 12:00 breach before it (the replay runs
    until 15:00); but refused ones at 13:00 and 13:30 followed by a staff reply
    accepted at 11:00 see none, since the clock goes from 10:00 to 11:00, and the
    reply is in time."""
    opened = at("2026-11-23T10:00:00+01:00", "open", customer="a", id="i1", area="setup")
    late = at("2026-11-23T13:00:00+01:00", "extend", incident="i1")
    until = "2026-11-23T15:00:00+01:00"
    after = incident_story({"until": until, "events": [PURCHASE, opened, late]}, "i1")
    assert [(s.kind, s.state_before) for s in after.steps] == [
        ("open", None),
        ("response_overdue", "waiting_on_staff"),
        ("extend", "waiting_on_staff"),
    ]
    assert after.steps[2].before is after.steps[1].after
    later = at("2026-11-23T13:30:00+01:00", "extend", incident="i1")
    reply = at("2026-11-23T11:00:00+01:00", "staff_reply", incident="i1")
    doc = {"until": until, "events": [PURCHASE, opened, late, later, reply]}
    before = incident_story(doc, "i1")
    assert [(s.index, s.kind, s.accepted) for s in before.steps] == [
        (1, "open", True),
        (2, "extend", False),
        (3, "extend", False),
        (4, "staff_reply", True),
    ]
    (replied,) = facts_of(before, "staff_reply")
    assert replied[1]["text"] == (
        "response posted 2026-11-23 11:00 CET, in time (due 2026-11-23 12:00 CET)"
    )
