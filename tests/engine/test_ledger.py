"""A customer's credits ledger: laws against the replay, and named ledgers
(credits.validity, credits.consume-order, credits.restore, credits.expiry-notice,
credits.no-refunds, credits.none-available)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings

from premier_policy import RuleId, credit_ledger, replay
from premier_policy.strategies import scenarios

ROOT = Path(__file__).resolve().parents[2]
DEMO = json.loads((ROOT / "src/premier_policy/examples/demo.json").read_text("utf-8"))
INVALIDATED = json.loads((ROOT / "examples/invalidated.json").read_text("utf-8"))


def at(t: str, kind: str, **fields: Any) -> dict[str, Any]:
    """One event of the scenario format."""
    return {"at": t, "type": kind, **fields}


def customers(doc: dict[str, Any]) -> set[str]:
    """Every customer a scenario names."""
    return {
        e["customer"]
        for e in doc["events"]
        if isinstance(e, dict) and isinstance(e.get("customer"), str)
    }


@settings(max_examples=60)
@given(scenarios(valid="mixed", max_size=10))
def test_balances_follow_the_moves_and_end_at_the_outcomes(doc: dict[str, Any]) -> None:
    """Each entry's balance is the one before plus its change, the last entry's is the
    ledger's final balance, and that is the outcome's (0 for a customer the outcome does
    not know)."""
    outcome = replay(doc)
    for customer in customers(doc):
        ledger = credit_ledger(doc, customer)
        running = 0
        for entry in ledger.entries:
            running += entry.change
            assert entry.balance == running, entry
        assert ledger.balance == running
        known = outcome["customers"].get(customer, {"balance": 0})
        assert ledger.balance == known["balance"]
        assert ledger.as_dict()["balance"] == ledger.balance


def test_the_demo_customer_who_had_nothing_then_got_a_credit_back() -> None:
    """demo globex: refused open with no credit, a purchase, a credit taken, a refused
    refund, and the credit back to its lot when the incident is invalidated."""
    ledger = credit_ledger(DEMO, "globex")
    assert [(e.index, e.kind, e.rule, e.change, e.balance) for e in ledger.entries] == [
        (4, "refused", RuleId.CREDITS_NONE_AVAILABLE, 0, 0),
        (5, "purchased", RuleId.CREDITS_VALIDITY, 1, 1),
        (6, "taken", RuleId.CREDITS_CONSUME_ORDER, -1, 0),
        (12, "refused", RuleId.CREDITS_NO_REFUNDS, 0, 0),
        (15, "restored", RuleId.CREDITS_RESTORE, 1, 1),
    ]
    assert ledger.lines()[1] == (
        "lot q1: 1 x single credit(s) for 75.00 USD, valid 2026-11-23 11:35 CET to "
        "2027-11-23 11:35 CET (exclusive), 1 left  [credits.validity]"
    )
    assert ledger.entries[4].incident == "g1"


def test_both_credits_of_an_invalidated_incident_come_back() -> None:
    """credits.restore: the opening credit and the extension's go back to lot g1."""
    ledger = credit_ledger(INVALIDATED, "globex")
    restored = [e for e in ledger.entries if e.kind == "restored"]
    assert [(e.lot, e.change, e.incident) for e in restored] == [("g1", 2, "bug-7")]


def test_expiry_notices_and_a_silent_expiry() -> None:
    """credits.expiry-notice: 30 days before and at expiry for a lot with credits left;
    a used-up lot expires with no notice, listed as such; the balance drops at expiry."""
    doc = {
        "until": "2027-12-31T00:00:00+01:00",
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p2", product="single"),
            at("2026-11-02T09:05:00+01:00", "purchase", customer="a", id="p1", product="bundle-3"),
            at("2026-11-02T09:10:00+01:00", "open", customer="a", id="i1", area="setup"),
        ],
    }
    ledger = credit_ledger(doc, "a")
    timers = [(e.kind, e.lot, e.change, e.balance) for e in ledger.entries if e.index is None]
    assert timers == [
        ("notice_skipped", "p2", 0, 3),
        ("expiring", "p1", 0, 3),
        ("notice_skipped", "p2", 0, 3),
        ("expired", "p1", -3, 0),
    ]
    assert all(e.rule is RuleId.CREDITS_EXPIRY_NOTICE for e in ledger.entries if e.index is None)
    assert ledger.balance == 0
    assert ledger.as_dict()["lots"][0]["expires_at"] == "2027-11-02T09:00:00+01:00"


def test_a_credit_restored_into_an_expired_lot_stays_unusable() -> None:
    """credits.restore keeps the lot's expiry: invalidating after the lot expired gives
    the credit back to it, and the balance does not move."""
    doc = {
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2026-11-02T09:10:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2027-11-03T09:00:00+01:00", "invalidate", incident="i1", reason="vendor_bug"),
        ]
    }
    (restored,) = [e for e in credit_ledger(doc, "a").entries if e.kind == "restored"]
    assert (restored.change, restored.balance) == (0, 0)
    assert "the lot has expired, so it stays unusable" in restored.text


def test_an_expiry_at_an_events_instant_is_listed_first() -> None:
    """A lot expiring at the very instant of another event is unusable then: its
    entry comes before the event's, so each balance still follows the moves."""
    doc = {
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2027-11-02T09:00:00+01:00", "purchase", customer="a", id="p2", product="single"),
        ]
    }
    ledger = credit_ledger(doc, "a")
    assert [(e.kind, e.balance) for e in ledger.entries] == [
        ("purchased", 1),
        ("expiring", 1),
        ("expired", 0),
        ("purchased", 1),
    ]


def test_a_customer_unknown_to_the_scenario() -> None:
    """Nobody named: no lots, no entries, balance 0; and an empty scenario has no as_of."""
    ledger = credit_ledger(DEMO, "nobody")
    assert (ledger.lots, ledger.entries, ledger.balance) == ((), (), 0)
    assert credit_ledger({"events": []}, "a").as_dict() == {
        "customer": "a",
        "as_of": None,
        "lots": [],
        "entries": [],
        "balance": 0,
    }


def test_a_ledger_without_an_instant_names_none_in_its_heading() -> None:
    """With no event applied there is no "until": the heading names only the zone."""
    assert credit_ledger({"events": []}, "a").lines() == (
        "Credits of a, replayed in Europe/Paris",
        "balance: 0",
    )


def test_the_json_form_names_every_field_of_lots_and_entries() -> None:
    """as_dict: the lots and the entries with every field, instants in the policy zone,
    the price as text and the rule as its ID."""
    doc = {
        "events": [
            at(
                "2026-11-27T10:00:00+01:00",
                "purchase",
                customer="acme",
                id="p1",
                product="bundle-3",
            ),
            at("2026-11-27T18:30:00+01:00", "open", customer="acme", id="i1", area="setup"),
        ]
    }
    assert credit_ledger(doc, "acme").as_dict() == {
        "customer": "acme",
        "as_of": "2026-11-27T18:30:00+01:00",
        "lots": [
            {
                "id": "p1",
                "product": "bundle-3",
                "credits": 3,
                "remaining": 2,
                "price": "225.00 USD",
                "purchased_at": "2026-11-27T10:00:00+01:00",
                "expires_at": "2027-11-27T10:00:00+01:00",
            }
        ],
        "entries": [
            {
                "index": 0,
                "at": "2026-11-27T10:00:00+01:00",
                "kind": "purchased",
                "rule": "credits.validity",
                "lot": "p1",
                "incident": None,
                "change": 3,
                "balance": 3,
                "text": "bought 3 credit(s) (bundle-3, 225.00 USD) as lot p1, "
                "usable until 2027-11-27 10:00 CET",
            },
            {
                "index": 1,
                "at": "2026-11-27T18:30:00+01:00",
                "kind": "taken",
                "rule": "credits.consume-order",
                "lot": "p1",
                "incident": "i1",
                "change": -1,
                "balance": 2,
                "text": "1 credit of lot p1 taken: incident i1 opened "
                "(the usable lot that expires first)",
            },
        ],
        "balance": 2,
    }


def test_a_credit_taken_says_by_which_incident_and_why() -> None:
    """credits.consume-order: each credit taken names its lot and incident, and whether
    the incident was opened or extended."""
    ledger = credit_ledger(INVALIDATED, "globex")
    taken = [(e.index, e.lot, e.incident, e.text) for e in ledger.entries if e.kind == "taken"]
    first = "(the usable lot that expires first)"
    assert taken == [
        (1, "g1", "bug-7", f"1 credit of lot g1 taken: incident bug-7 opened {first}"),
        (4, "g1", "bug-7", f"1 credit of lot g1 taken: incident bug-7 extended {first}"),
        (8, "g1", "bug-8", f"1 credit of lot g1 taken: incident bug-8 opened {first}"),
    ]


def test_a_restore_into_a_lot_with_credits_left_adds_only_those_given_back() -> None:
    """credits.restore: one credit back to a bundle that still holds two counts +1, not
    the lot's new total; a refused refund names its purchase as the lot."""
    doc = {
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="bundle-3"),
            at("2026-11-02T09:10:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2026-11-02T09:20:00+01:00", "refund_request", customer="a", purchase="p1"),
            at("2026-11-02T09:30:00+01:00", "invalidate", incident="i1", reason="vendor_bug"),
        ]
    }
    ledger = credit_ledger(doc, "a")
    _, _, refused, restored = ledger.entries
    assert (refused.kind, refused.rule, refused.lot, refused.incident) == (
        "refused",
        RuleId.CREDITS_NO_REFUNDS,
        "p1",
        None,
    )
    assert (restored.kind, restored.lot, restored.incident) == ("restored", "p1", "i1")
    assert (restored.change, restored.balance) == (1, 3)
    assert restored.text == (
        "1 credit(s) back to lot p1: incident i1 invalidated (vendor_bug), keeping the lot's expiry"
    )


def test_notices_due_before_a_refusal_are_listed_before_it() -> None:
    """credits.none-available: an open refused after a lot expired comes after that
    lot's notices, with the balance they left; it names its incident and no lot."""
    doc = {
        "until": "2028-01-01T00:00:00+01:00",
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2027-11-10T09:00:00+01:00", "open", customer="a", id="i1", area="setup"),
        ],
    }
    entries = credit_ledger(doc, "a").entries
    assert [(e.kind, e.balance) for e in entries] == [
        ("purchased", 1),
        ("expiring", 1),
        ("expired", 0),
        ("refused", 0),
    ]
    assert (entries[-1].rule, entries[-1].lot, entries[-1].incident) == (
        RuleId.CREDITS_NONE_AVAILABLE,
        None,
        "i1",
    )


def test_an_expiry_at_a_refused_events_instant_is_listed_first() -> None:
    """A lot is unusable from its expiry instant: an open refused at that very instant
    comes after the expiry, at balance 0."""
    doc = {
        "until": "2028-01-01T00:00:00+01:00",
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2027-11-02T09:00:00+01:00", "open", customer="a", id="i1", area="setup"),
        ],
    }
    entries = credit_ledger(doc, "a").entries
    assert [(e.kind, e.balance) for e in entries] == [
        ("purchased", 1),
        ("expiring", 1),
        ("expired", 0),
        ("refused", 0),
    ]


def test_a_replay_ending_at_an_expiry_lists_it() -> None:
    """credits.expiry-notice: when the replay ends at the very instant a lot expires,
    the expiry is the last entry and leaves the ledger's balance."""
    doc = {
        "until": "2027-11-02T09:00:00+01:00",
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
        ],
    }
    ledger = credit_ledger(doc, "a")
    assert [(e.kind, e.change, e.balance) for e in ledger.entries] == [
        ("purchased", 1, 1),
        ("expiring", 0, 1),
        ("expired", -1, 0),
    ]
    assert ledger.balance == 0


def test_two_lots_expiring_together_each_lower_the_balance() -> None:
    """credits.expiry-notice: two lots bought at one instant expire at one instant; each
    expiry is its own entry and the balance steps down 2, 1, 0."""
    doc = {
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p2", product="single"),
            at("2027-11-02T09:00:00+01:00", "purchase", customer="a", id="p3", product="single"),
        ]
    }
    timers = [(e.kind, e.lot, e.change, e.balance) for e in credit_ledger(doc, "a").entries]
    assert timers[2:] == [
        ("expiring", "p1", 0, 2),
        ("expiring", "p2", 0, 2),
        ("expired", "p1", -1, 1),
        ("expired", "p2", -1, 0),
        ("purchased", "p3", 1, 1),
    ]


def test_a_lots_two_notices_met_at_different_events_are_both_listed() -> None:
    """credits.expiry-notice: the expiring notice, met at another customer's event, and
    the expired one, met at the end of the replay, are each listed once."""
    doc = {
        "until": "2028-01-01T00:00:00+01:00",
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2027-10-20T09:00:00+02:00", "purchase", customer="b", id="q1", product="single"),
        ],
    }
    ledger = credit_ledger(doc, "a")
    assert [(e.kind, e.lot) for e in ledger.entries] == [
        ("purchased", "p1"),
        ("expiring", "p1"),
        ("expired", "p1"),
    ]


def test_a_notice_due_at_the_restore_that_refills_its_lot_is_sent() -> None:
    """credits.restore, input.timers: a used-up lot refilled at the very instant of its
    expiring notice gets the notice, after the restore; it is not listed as skipped."""
    doc = {
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2026-11-02T09:10:00+01:00", "open", customer="a", id="i1", area="setup"),
            at("2027-10-03T09:00:00+02:00", "invalidate", incident="i1", reason="vendor_bug"),
        ]
    }
    ledger = credit_ledger(doc, "a")
    assert [(e.kind, e.balance) for e in ledger.entries] == [
        ("purchased", 1),
        ("taken", 0),
        ("restored", 1),
        ("expiring", 1),
    ]
    assert ledger.entries[-1].text == (
        "lot p1: 1 unused credit(s) expire 2027-11-02 09:00 CET; customer told (credits_expiring)"
    )


def test_a_purchase_id_given_again_is_listed_refused_with_its_lot() -> None:
    """input.duplicate-id: a retried purchase is no move of a credit; the ledger lists
    it refused, naming the lot it would have made, the balance unchanged."""
    doc = {
        "events": [
            at("2026-11-02T09:00:00+01:00", "purchase", customer="a", id="p1", product="single"),
            at("2026-11-02T09:05:00+01:00", "purchase", customer="a", id="p1", product="single"),
        ]
    }
    _, refused = credit_ledger(doc, "a").entries
    assert (refused.kind, refused.rule, refused.lot, refused.incident) == (
        "refused",
        RuleId.INPUT_DUPLICATE_ID,
        "p1",
        None,
    )
    assert (refused.change, refused.balance) == (0, 1)
