"""The examples' outcomes, pinned: each golden file was checked by hand against the spec.

The named tests below state, for each example, the facts that were checked by hand
(due instants, breaches, balances, windows); the golden files pin the rest. To change a
golden file on purpose, run this module with ``PREMIER_POLICY_REGENERATE_GOLDENS=1``,
then read the diff as carefully as the first time (``encode(..., indent=2)`` lays a
golden out for reading). The goldens are written in the canonical encoding, the text
``premier-policy replay`` prints.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from premier_policy import RuleId, replay
from premier_policy.shell._encoding import encode, encode_outcome

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
SCENARIOS = {
    **{path.name: path for path in sorted((ROOT / "examples").glob("*.json"))},
    "demo.json": ROOT / "src" / "premier_policy" / "examples" / "demo.json",
}
#: The SHA-256 of each golden as it was checked by hand, laid out with a two-space indent,
#: before the goldens were re-encoded in the compact canonical form (issue #17).
CHECKED_BY_HAND = {
    "demo.json": "f0b54b15747594b17fc4b9a8479c5b3af56565df59547c6813745673603b190d",
    "invalidated.json": "36c3a1de940a96b1c112b4f32f355bfed9a764eea3a5bbafddd46d4ecbafc813",
    "normal-week.json": "10bcafcba2e2982cddf91e1dbc4415ca029e4141c89d10b7da53fe0acac28761",
    "reopen-after-auto-close.json": (
        "3c9606dca8ccecdbcffa101f7fb5e4bc257491cf80f485bd9d5239e070e35cc9"
    ),
}


def outcome(name: str) -> dict[str, Any]:
    data: dict[str, Any] = replay(json.loads(SCENARIOS[name].read_text(encoding="utf-8")))
    return data


def test_there_are_the_three_examples_the_issue_asks_for() -> None:
    """A normal week, an invalidated incident, a reopen after auto-close."""
    assert {"normal-week.json", "invalidated.json", "reopen-after-auto-close.json"} <= set(
        SCENARIOS
    )


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_golden_outcome(name: str) -> None:
    """Each example's outcome is exactly its golden file."""
    path = GOLDEN / name
    got = outcome(name)
    if os.environ.get("PREMIER_POLICY_REGENERATE_GOLDENS"):
        path.write_text(encode_outcome(got), encoding="utf-8")
    assert got == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_golden_files_are_the_canonical_text(name: str) -> None:
    """Each golden file is byte for byte what premier-policy replay prints for it."""
    assert (GOLDEN / name).read_text(encoding="utf-8") == encode_outcome(outcome(name))


@pytest.mark.parametrize("name", sorted(CHECKED_BY_HAND))
def test_re_encoding_the_goldens_changed_no_content(name: str) -> None:
    """Laid out again as they were, the compact goldens are the hand-checked files byte
    for byte: same values, same key order (update the digest with a golden on purpose)."""
    laid_out = encode(json.loads((GOLDEN / name).read_text(encoding="utf-8")), indent=2)
    assert hashlib.sha256(laid_out.encode("utf-8")).hexdigest() == CHECKED_BY_HAND[name]


def refusals(data: dict[str, Any]) -> dict[int, str]:
    return {r["index"]: r["rule"] for r in data["results"] if not r["accepted"]}


def kinds(data: dict[str, Any], incident: str) -> list[tuple[str, str, str]]:
    return [
        (n["at"], n["kind"], n["to"]) for n in data["notifications"] if n["incident"] == incident
    ]


def test_normal_week_by_hand() -> None:
    """response.target: Wed 18:30 + 2 business hours = Thu 09:30 (30 min Wed, 90 Thu);
    the 10:00 reply is late, staff were told at 09:30. time.allowance-warning at 40 left;
    time.extension adds 240; 480 logged exactly: warning and exhausted. credits: 3 taken
    (two opens, one extension): balance 0, so the refund is refused saying so. Closed by
    the customer on Friday: reopen until 30 days later, no auto-close pending."""
    data = outcome("normal-week.json")
    assert refusals(data) == {12: RuleId.CREDITS_NO_REFUNDS.value}
    assert "all its credits are used" in data["results"][12]["message"]
    i1, i2 = data["incidents"]["i1"], data["incidents"]["i2"]
    assert [t["due_at"] for t in i1["response_targets"]] == [
        "2026-11-23T12:00:00+01:00",
        "2026-11-23T16:00:00+01:00",
    ]
    assert i2["response_targets"] == [
        {
            "started_at": "2026-11-25T18:30:00+01:00",
            "due_at": "2026-11-26T09:30:00+01:00",
            "met_at": "2026-11-26T10:00:00+01:00",
            "breached": True,
        }
    ]
    assert (i2["credits_used"], i2["time_used_minutes"], i2["allowance_minutes"]) == (2, 480, 480)
    assert kinds(data, "i2")[2:] == [
        ("2026-11-26T09:30:00+01:00", "response_overdue", "staff"),
        ("2026-11-26T10:00:00+01:00", "response_posted", "customer"),
        ("2026-11-26T11:00:00+01:00", "allowance_warning", "customer"),
        ("2026-11-26T11:30:00+01:00", "incident_extended", "customer"),
        ("2026-11-26T11:30:00+01:00", "incident_extended", "staff"),
        ("2026-11-26T15:00:00+01:00", "allowance_warning", "customer"),
        ("2026-11-26T15:00:00+01:00", "allowance_exhausted", "customer"),
        ("2026-11-26T15:00:00+01:00", "allowance_exhausted", "staff"),
    ]
    assert (i1["state"], i1["closed_at"], i1["reopen_until"], i1["auto_close_at"]) == (
        "closed",
        "2026-11-27T10:00:00+01:00",
        "2026-12-27T10:00:00+01:00",
        None,
    )
    assert data["customers"]["acme"]["balance"] == 0
    # The lot is used up: its expiry notices will never be sent, so no timer is named.
    assert data["next_event_at"] is None


def test_invalidated_by_hand() -> None:
    """lifecycle.invalidate + credits.restore: both credits of bug-7 (open, extension) go
    back to g1; lifecycle.final refuses what follows; scope.custom-development refuses
    before any credit is taken; bug-8 takes one restored credit; its reply never comes."""
    data = outcome("invalidated.json")
    assert refusals(data) == {
        6: RuleId.LIFECYCLE_FINAL.value,
        7: RuleId.LIFECYCLE_FINAL.value,
        9: RuleId.SCOPE_CUSTOM_DEVELOPMENT.value,
    }
    bug7 = data["incidents"]["bug-7"]
    assert (bug7["state"], bug7["invalid_reason"], bug7["credits_used"]) == (
        "invalid",
        "vendor_bug",
        0,
    )
    assert set(data["incidents"]) == {"bug-7", "bug-8"}
    lot = data["customers"]["globex"]["lots"][0]
    assert (lot["credits"], lot["remaining"], lot["price"]) == (2, 1, "150.00")
    assert data["customers"]["globex"]["balance"] == 1
    assert data["incidents"]["bug-8"]["response_targets"][0]["breached"] is True
    assert data["next_event_at"] == "2027-11-01T09:00:00+01:00"  # 30 days before expiry


def test_reopen_after_auto_close_by_hand() -> None:
    """lifecycle.auto-close: 30 wall-clock days after resolution (16:00 CEST stays 16:00;
    10:00 CEST on 13 Oct closes at 10:00 CET on 12 Nov, across the end of summer time).
    lifecycle.reopen-window: tps-1 reopened 11 days after closing, free of charge, with a
    new response target; tps-2's window ended 1 Nov 10:00 CET, so 2 Nov is refused."""
    data = outcome("reopen-after-auto-close.json")
    assert refusals(data) == {
        7: RuleId.LIFECYCLE_CUSTOMER_REPLY.value,
        12: RuleId.LIFECYCLE_REOPEN_WINDOW.value,
    }
    assert data["results"][12]["message"] == (
        "the reopen window of incident tps-2 ended on 2026-11-01 10:00 CET; open a new incident"
    )
    tps1, tps2 = data["incidents"]["tps-1"], data["incidents"]["tps-2"]
    assert kinds(data, "tps-1")[-1] == ("2026-11-12T10:00:00+01:00", "incident_closed", "customer")
    assert ("2026-10-01T16:00:00+02:00", "incident_closed", "customer") in kinds(data, "tps-1")
    assert tps1["response_targets"][1]["started_at"] == "2026-10-12T14:05:00+02:00"
    assert tps1["response_targets"][1]["due_at"] == "2026-10-12T16:05:00+02:00"
    assert tps2["reopen_until"] == "2026-11-01T10:00:00+01:00"
    assert data["customers"]["initech"]["balance"] == 1  # two opens, the reopen was free
    assert data["next_event_at"] == "2027-08-02T09:00:00+02:00"


def test_demo_by_hand() -> None:
    """The demo shows each input rule once, and a refusal never stops what follows."""
    data = outcome("demo.json")
    assert refusals(data) == {
        1: RuleId.INPUT_DUPLICATE_ID.value,
        4: RuleId.CREDITS_NONE_AVAILABLE.value,
        12: RuleId.CREDITS_NO_REFUNDS.value,
        13: RuleId.INPUT_UNKNOWN_INCIDENT.value,
        14: RuleId.INPUT_MALFORMED.value,
        18: RuleId.INPUT_OUT_OF_ORDER.value,
    }
    assert data["results"][14]["message"].startswith("malformed event: minutes:")
    assert kinds(data, "g1")[2] == ("2026-11-23T13:40:00+01:00", "response_overdue", "staff")
    assert kinds(data, "i1")[-1] == ("2026-12-26T12:00:00+01:00", "incident_closed", "customer")
    assert {c: v["balance"] for c, v in data["customers"].items()} == {"acme": 1, "globex": 1}
