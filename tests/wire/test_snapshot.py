"""Snapshot documents (``state.snapshot``, ``state.integrity``): their shape, their
digest, and every corruption refused by the field at fault, never repaired.

Each corruption below is applied to a real snapshot and, where the point is the
content, sealed again with a matching digest, so that only the invariant checks can
catch it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson
import pendulum
import pytest
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import PolicyError, RuleId, ScenarioError, World, replay
from premier_policy.credits._lots import Lot
from premier_policy.incidents._incident import Incident
from premier_policy.terms._money import Money
from premier_policy.wire import _snapshot as snapshot_module
from premier_policy.wire._converter import explain
from premier_policy.wire._snapshot import FORMAT, VERSION, _converter, digest_of, read_snapshot

P = "2026-11-23T09:00:00+01:00"
EVENTS: list[dict[str, Any]] = [
    {"at": P, "type": "purchase", "customer": "acme", "id": "p1", "product": "bundle-3"},
    {"at": "2026-11-23T09:30:00+01:00", "type": "purchase", "customer": "globex", "id": "p2",
     "product": "single"},
    {"at": "2026-11-23T10:00:00+01:00", "type": "open", "customer": "acme", "id": "i1",
     "area": "setup"},
    {"at": "2026-11-23T10:30:00+01:00", "type": "open", "customer": "acme", "id": "i2",
     "area": "running"},
    {"at": "2026-11-23T11:00:00+01:00", "type": "staff_reply", "incident": "i1"},
    {"at": "2026-11-23T12:00:00+01:00", "type": "resolve", "incident": "i1"},
    {"at": "2026-11-23T13:00:00+01:00", "type": "invalidate", "incident": "i2",
     "reason": "out_of_scope"},
    {"at": "2026-11-23T14:00:00+01:00", "type": "open", "customer": "globex", "id": "i3",
     "area": "configuration"},
]  # fmt: skip


def CHANGE(d: dict[str, Any]) -> dict[str, Any]:  # noqa: N802 - a constant's shape
    """A later version of ``d``'s policy, the same terms, from 2027."""
    return {"from": "2027-01-01T00:00:00+00:00", "policy": d["policy"]}


def snapshot() -> dict[str, Any]:
    """A world with two customers, a resolved, an invalidated and an open incident."""
    state: dict[str, Any] = replay({"events": EVENTS, "return_state": True})["state"]
    return state


def sealed(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """The snapshot changed by ``change`` and given the digest of its new content."""
    doc = copy.deepcopy(snapshot())
    change(doc)
    doc["digest"] = digest_of(doc)
    return doc


def refusal(doc: object) -> str:
    """The field named by restoring ``doc``, which must be refused as state.integrity."""
    with pytest.raises(PolicyError) as caught:
        World.restore(doc)
    assert caught.value.rule is RuleId.STATE_INTEGRITY
    return caught.value.field or ""


def test_a_snapshot_has_the_documented_shape_and_digest() -> None:
    """format and version first, digest last: the SHA-256 of the canonical JSON of the
    rest, which a host in another language can recompute."""
    doc = snapshot()
    assert list(doc)[:2] == ["format", "version"]
    assert list(doc)[-1] == "digest"
    assert (doc["format"], doc["version"]) == (FORMAT, VERSION) == ("premier-policy/world", 1)
    body = {key: value for key, value in doc.items() if key != "digest"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert doc["digest"] == hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    assert [a["customer"] for a in doc["accounts"]] == ["acme", "globex"]
    assert [i["id"] for i in doc["incidents"]] == ["i1", "i2", "i3"]
    assert doc["purchases"] == [["p1", "acme"], ["p2", "globex"]]
    assert "notifications" not in doc  # no history: a host has sent those


def test_a_snapshot_reads_back_to_the_same_parts() -> None:
    """Reading a snapshot gives the entities in creation order, with dense orders."""
    parts = read_snapshot(snapshot())
    orders = sorted((*parts.account_orders, *parts.incident_orders))
    assert orders == list(range(5))
    assert [incident.state for incident in parts.incidents] == [
        "resolved",
        "invalid",
        "waiting_on_staff",
    ]


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ([], "state"),
        ({**snapshot(), "format": "premier-policy/scenario"}, "format"),
        ({"version": 1}, "format"),
        ({**snapshot(), "version": 2}, "version"),
        ({**snapshot(), "version": "1"}, "version"),
        ({**snapshot(), "version": True}, "version"),
        ({**snapshot(), "extra": 1}, "extra"),
        ({key: value for key, value in snapshot().items() if key != "tally"}, "tally"),
        ({**snapshot(), "digest": 7}, "digest"),
        ({**snapshot(), "digest": "0" * 64}, "digest"),
        ({**snapshot(), "at": "2026-11-23T14:00:00+00:00"}, "digest"),
        ({**snapshot(), "digest": snapshot()["digest"].upper()}, "digest"),
        ({**snapshot(), "policy": {"x": object()}}, "digest"),
    ],
    ids=[
        "not-an-object", "other-format", "no-format", "version-2", "version-text",
        "version-bool", "unknown-field", "missing-field", "digest-number", "digest-zeros",
        "content-changed", "digest-uppercase", "not-json",
    ],
)  # fmt: skip
def test_the_header_and_digest_are_checked_first(doc: object, field: str) -> None:
    """An unknown format or version, a missing or unknown field, a digest that does not
    match: refused, naming the field."""
    assert refusal(doc) == field


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ([], "state: a snapshot is an object, got a list"),
        ({**snapshot(), "extra": 1}, "extra: unknown field; a snapshot has format, version, "
         "policy, policy_changes, at, accounts, incidents, purchases, tally, digest"),
        ({key: value for key, value in snapshot().items() if key != "tally"}, "tally: missing"),
        ({**snapshot(), "digest": 7}, "digest: expected a hex string, got a number"),
    ],
    ids=["not-an-object", "unknown-field", "missing-field", "digest-number"],
)  # fmt: skip
def test_the_header_says_what_is_wrong(doc: object, message: str) -> None:
    """A bad header is refused naming the field and saying what is wrong, in those
    words; an unknown field lists the fields a snapshot has."""
    with pytest.raises(PolicyError) as caught:
        World.restore(doc)
    assert str(caught.value) == f"state.integrity: {message}"


def _deep(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize(
    ("key", "field"),
    [("format", "format"), ("version", "version"), ("at", "digest"), ("accounts", "digest")],
)
def test_a_value_nested_100k_deep_is_refused_with_a_bounded_message(key: str, field: str) -> None:
    """state.integrity, naming the field, for a value nested past any reader: the
    header echoes a bounded prefix, the digest refuses what JSON cannot write back;
    never a RecursionError."""
    with pytest.raises(PolicyError) as caught:
        World.restore({**snapshot(), key: _deep(100_000)})
    assert (caught.value.rule, caught.value.field) == (RuleId.STATE_INTEGRITY, field)
    assert len(str(caught.value)) < 300
    if field == "digest":
        assert caught.value.detail == "not JSON data: nested too deeply to read"


def test_a_value_json_cannot_write_is_refused_saying_what_json_said() -> None:
    """No digest can match a value JSON cannot write: refused as digest, with what
    JSON said about it, cut to 120 characters."""
    widget = type("Widget" * 30, (), {})()
    with pytest.raises(TypeError) as said:
        json.dumps(widget)
    assert len(str(said.value)) > 120
    with pytest.raises(PolicyError) as caught:
        World.restore({**snapshot(), "policy": {"colour": widget}})
    assert (caught.value.field, caught.value.detail) == (
        "digest",
        f"not JSON data: {str(said.value)[:120]}",
    )


CORRUPTIONS: dict[str, tuple[Callable[[dict[str, Any]], object], str]] = {
    "lot-remaining-above-credits": (
        lambda d: d["accounts"][0]["lots"][0].update(remaining=4),
        "accounts[0].lots[0].remaining",
    ),
    "lot-credits-zero": (
        lambda d: d["accounts"][0]["lots"][0].update(credits=0, remaining=0),
        "accounts[0].lots[0].credits",
    ),
    "lot-consumed-not-held": (
        lambda d: d["accounts"][0]["lots"][0].update(remaining=1),
        "accounts[0].lots[0].remaining",
    ),
    "lot-expires-before-bought": (
        lambda d: d["accounts"][0]["lots"][0].update(expires_at="2020-01-01T00:00:00+00:00"),
        "accounts[0].lots[0].expires_at",
    ),
    "lot-bought-after-the-clock": (
        lambda d: d["accounts"][1]["lots"][0].update(purchased_at="2026-11-23T13:30:00+00:00"),
        "accounts[1].lots[0].purchased_at",
    ),
    "lot-unknown-notice": (
        lambda d: d["accounts"][0]["lots"][0].update(notices=["credits_refunded"]),
        "accounts[0].lots[0].notices",
    ),
    "lot-notices-as-text": (
        lambda d: d["accounts"][0]["lots"][0].update(notices="credits_expired"),
        "accounts[0].lots[0].notices",
    ),
    "lot-price-without-currency": (
        lambda d: d["accounts"][0]["lots"][0].update(price={"amount": "225.00"}),
        "accounts[0].lots[0].price",
    ),
    "lot-price-as-number": (
        lambda d: d["accounts"][0]["lots"][0].update(price={"amount": 225, "currency": "USD"}),
        "accounts[0].lots[0].price",
    ),
    "lot-currency-as-number": (
        lambda d: d["accounts"][0]["lots"][0].update(price={"amount": "225.00", "currency": 840}),
        "accounts[0].lots[0].price",
    ),
    "lot-consumed-by-no-incident": (
        lambda d: d["accounts"][0]["lots"].append(
            {**d["accounts"][0]["lots"][0], "id": "p9", "credits": 1, "remaining": 0}
        ),
        "accounts[0].lots[1].remaining",
    ),
    "lot-listed-twice": (
        lambda d: d["accounts"][1]["lots"].append(d["accounts"][0]["lots"][0]),
        "accounts[1].lots[1].id",
    ),
    "lot-unknown-field": (
        lambda d: d["accounts"][0]["lots"][0].update(colour="red"),
        "accounts[0].lots[0].colour",
    ),
    "lot-missing-field": (
        lambda d: d["accounts"][0]["lots"][0].pop("product"),
        "accounts[0].lots[0].product",
    ),
    "lot-not-an-object": (lambda d: d["accounts"][0]["lots"].append(3), "accounts[0].lots[1]"),
    "lot-with-an-order": (
        lambda d: d["accounts"][0]["lots"][0].update(order=0),
        "accounts[0].lots[0].order",
    ),
    "lots-not-a-list": (lambda d: d["accounts"][0].update(lots={}), "accounts[0].lots"),
    "account-not-an-object": (lambda d: d["accounts"].append(3), "accounts[2]"),
    "account-unknown-field": (lambda d: d["accounts"][0].update(vip=True), "accounts[0].vip"),
    "account-without-order": (lambda d: d["accounts"][0].pop("order"), "accounts[0].order"),
    "account-without-lots": (lambda d: d["accounts"][0].pop("lots"), "accounts[0].lots"),
    "account-listed-twice": (
        lambda d: d["accounts"].append({**d["accounts"][1], "lots": [], "order": 5}),
        "accounts[2].customer",
    ),
    "account-empty-customer": (
        lambda d: d["accounts"].append({"customer": "", "lots": [], "order": 5}),
        "accounts[2].customer",
    ),
    "accounts-not-a-list": (lambda d: d.update(accounts={}), "accounts"),
    "incident-credit-of-a-long-lot-id": (
        lambda d: d["incidents"][0].update(lots=["z" * 100]),
        "incidents[0].lots[0]",
    ),
    "incident-credit-of-a-missing-lot": (
        lambda d: d["incidents"][0].update(lots=["p9"]),
        "incidents[0].lots[0]",
    ),
    "incident-credit-of-another-customers-lot": (
        lambda d: d["incidents"][2].update(lots=["p1"]),
        "incidents[2].lots[0]",
    ),
    "incident-of-a-customer-without-account": (
        lambda d: d["incidents"][0].update(customer="initech"),
        "incidents[0].customer",
    ),
    "incident-opened-after-the-clock": (
        lambda d: d["incidents"][2].update(opened_at="2026-11-24T13:00:00+00:00"),
        "incidents[2].opened_at",
    ),
    "target-met-after-the-clock": (
        lambda d: d["incidents"][0]["response_targets"][0].update(
            met_at="2026-11-23T13:30:00+00:00", breached=True
        ),
        "incidents[0].response_targets[0].met_at",
    ),
    "incident-resolved-without-resolved-at": (
        lambda d: d["incidents"][0].update(resolved_at=None),
        "incidents[0].resolved_at",
    ),
    "incident-unknown-state": (
        lambda d: d["incidents"][0].update(state="archived"),
        "incidents[0].state",
    ),
    "incident-allowance-overused": (
        lambda d: d["incidents"][0]["allowance"].update(used=241),
        "incidents[0].allowance.used",
    ),
    "incident-warned-as-boolean": (
        lambda d: d["incidents"][0]["allowance"].update(warned=True),
        "incidents[0].allowance.warned",
    ),
    "incident-unknown-field": (
        lambda d: d["incidents"][0].update(colour="red"),
        "incidents[0].colour",
    ),
    "incident-allowance-unknown-field": (
        lambda d: d["incidents"][0]["allowance"].update(colour="red"),
        "incidents[0].allowance.colour",
    ),
    "incident-used-false-beside-a-zero": (
        lambda d: d["incidents"][2]["allowance"].update(used=False),
        "incidents[2].allowance.used",
    ),
    "incident-warned-false-beside-a-zero": (
        lambda d: d["incidents"][2]["allowance"].update(warned=False),
        "incidents[2].allowance.warned",
    ),
    "target-unknown-field": (
        lambda d: d["incidents"][2]["response_targets"][0].update(colour="red"),
        "incidents[2].response_targets.colour",
    ),
    "incident-breached-as-number": (
        lambda d: d["incidents"][2]["response_targets"][0].update(breached=0),
        "incidents[2].response_targets.breached",
    ),
    "incident-instant-unreadable": (
        lambda d: d["incidents"][0].update(opened_at="yesterday"),
        "incidents[0].opened_at",
    ),
    "incident-instant-naive": (
        lambda d: d["incidents"][0].update(opened_at="2026-11-23T09:00:00"),
        "incidents[0].opened_at",
    ),
    "incident-instant-a-number": (
        lambda d: d["incidents"][0].update(opened_at=1764000000),
        "incidents[0].opened_at",
    ),
    "incident-lots-as-text": (
        lambda d: d["incidents"][0].update(lots="p1"),
        "incidents[0].lots",
    ),
    "incident-listed-twice": (
        lambda d: d["incidents"].append({**d["incidents"][1], "order": 5}),
        "incidents[3].id",
    ),
    "incident-not-an-object": (lambda d: d["incidents"].append("i4"), "incidents[3]"),
    "order-repeated": (lambda d: d["incidents"][2].update(order=0), "order"),
    "order-with-a-gap": (lambda d: d["incidents"][2].update(order=9), "order"),
    "order-negative": (lambda d: d["incidents"][2].update(order=-1), "incidents[2].order"),
    "purchase-of-another-customer": (
        lambda d: d["purchases"][0].__setitem__(1, "globex"),
        "purchases[0]",
    ),
    "purchase-missing": (lambda d: d["purchases"].pop(), "purchases"),
    "purchase-listed-twice": (lambda d: d["purchases"].append(["p1", "acme"]), "purchases[2]"),
    "purchase-not-a-pair": (lambda d: d["purchases"].append("p3"), "purchases[2]"),
    "purchase-a-triple": (lambda d: d["purchases"].append(["p1", "acme", "p1"]), "purchases[2]"),
    "purchase-long-unknown": (
        lambda d: d["purchases"].append(["x" * 100, "y" * 100]),
        "purchases[2]",
    ),
    "timer-before-the-clock": (
        lambda d: d.update(at="2026-11-24T13:00:00+00:00"),
        "incidents[2]",
    ),
    "clock-unreadable": (lambda d: d.update(at="soon"), "at"),
    "no-clock-with-entities": (lambda d: d.update(at=None), "accounts[0].lots[0].purchased_at"),
    "tally-unknown-kind": (
        lambda d: d["tally"].append(["incident_archived", "staff", "globex", "i3", 1]),
        "tally[2]",
    ),
    "tally-wrong-audience": (
        lambda d: d["tally"].append(["credits_purchased", "staff", "globex", None, 1]),
        "tally[2]",
    ),
    "tally-zero-count": (
        lambda d: d["tally"].__setitem__(0, [*d["tally"][0][:4], 0]),
        "tally[0]",
    ),
    "tally-repeated": (lambda d: d["tally"].append(d["tally"][0]), "tally[2]"),
    "tally-not-a-list": (lambda d: d["tally"].append("incident_opened"), "tally[2]"),
    "tally-count-a-float": (
        lambda d: d["tally"].__setitem__(0, [*d["tally"][0][:4], 1.0]),
        "tally[0]",
    ),
    "tally-customer-a-number": (
        lambda d: d["tally"].__setitem__(0, [*d["tally"][0][:2], 7, *d["tally"][0][3:]]),
        "tally[0]",
    ),
    "policy-invalid": (lambda d: d["policy"].update(reopen_days=0), "policy.reopen_days"),
    "policy-unknown-field": (lambda d: d["policy"].update(colour=1), "policy" + ".colour"),
    "policy-not-an-object": (lambda d: d.update(policy=[]), "policy"),
    "policy-changes-not-a-list": (lambda d: d.update(policy_changes={}), "policy_changes"),
    "policy-change-with-another-key": (
        lambda d: d["policy_changes"].append({**CHANGE(d), "note": "new prices"}),
        "policy_changes[0]",
    ),
    "policy-change-not-an-object": (
        lambda d: d["policy_changes"].append("soon"),
        "policy_changes[0]",
    ),
    "policy-change-unreadable-from": (
        lambda d: d["policy_changes"].append({"from": "soon", "policy": d["policy"]}),
        "policy_changes[0].at",
    ),
    "policy-change-invalid-policy": (
        lambda d: d["policy_changes"].append(
            {"from": "2027-01-01T00:00:00+00:00", "policy": {**d["policy"], "reopen_days": 0}}
        ),
        "policy_changes[0].policy.reopen_days",
    ),
    "policy-change-not-a-policy": (
        lambda d: d["policy_changes"].append({"from": "2027-01-01T00:00:00+00:00", "policy": 1}),
        "policy_changes[0].policy",
    ),
    "policy-changes-out-of-order": (
        lambda d: d["policy_changes"].extend([CHANGE(d), CHANGE(d)]),
        "policy_changes",
    ),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_a_corruption_with_a_matching_digest_is_refused(name: str) -> None:
    """Content that breaks an invariant is refused even when its digest matches,
    naming the field; nothing is guessed or repaired."""
    change, field = CORRUPTIONS[name]
    assert refusal(sealed(change)) == field


#: What the refusal of some corruptions says, after the field (echoes bounded to 60).
DETAILS = {
    "accounts-not-a-list": "expected a list, got an object",
    "account-not-an-object": "expected an object, got a number",
    "account-without-order": "missing",
    "account-without-lots": "missing",
    "account-unknown-field": "unknown field",
    "account-listed-twice": "customer globex is listed twice",
    "incident-listed-twice": "incident i2 is listed twice",
    "incident-of-a-customer-without-account": "customer initech has no account",
    "account-empty-customer": "expected a non-empty string, got ''",
    "lots-not-a-list": "expected a list, got an object",
    "lot-not-an-object": "expected an object, got a number",
    "lot-unknown-field": "unknown field",
    "lot-with-an-order": "unknown field",
    "lot-listed-twice": "lot p1 is listed twice",
    "lot-price-as-number": "expected a decimal string, got a number",
    "lot-currency-as-number": "expected a 3-letter uppercase code like 'USD', got 840",
    "no-clock-with-entities": (
        "2026-11-23T08:00:00+00:00 is later than the world's clock: there is no clock"
    ),
    "incident-opened-after-the-clock": (
        "2026-11-24T13:00:00+00:00 is later than the world's clock: the clock is "
        "2026-11-23T13:00:00+00:00"
    ),
    "incident-credit-of-a-missing-lot": "holds a credit of lot 'p9', which acme does not have",
    "incident-credit-of-a-long-lot-id": (
        f"holds a credit of lot {'z' * 60!r}, which acme does not have"
    ),
    "order-negative": "expected a whole number of at least 0, got -1",
    "policy-change-with-another-key": 'expected an object with exactly "from" and "policy"',
    # A policy's own refusals (policy_from_dict gives the first, Policy the last).
    "policy-invalid": "expected a whole number of at least 1, got 0",
    "policy-change-invalid-policy": "expected a whole number of at least 1, got 0",
    "policy-changes-out-of-order": (
        "changes come in strictly increasing time order: 2027-01-01 01:00 CET is not after "
        "2027-01-01 01:00 CET"
    ),
    "lot-consumed-not-held": "lot p1 has 2 credits consumed, but incidents hold 1",
    "lot-consumed-by-no-incident": "lot p9 has 1 credits consumed, but incidents hold 0",
    "purchase-of-another-customer": (
        "'p1' of 'globex' is not a lot of that customer's account, or is listed twice"
    ),
    "purchase-long-unknown": (
        f"{'x' * 60!r} of {'y' * 60!r} is not a lot of that customer's account, or is listed twice"
    ),
    "purchase-missing": "lot p2 is missing from the purchase index",
    "purchase-not-a-pair": "expected [purchase, customer], got a string",
    "purchase-a-triple": "expected [purchase, customer], got a list",
    "order-repeated": (
        "the accounts' and incidents' orders must number them 0, 1, 2, ... without gaps or repeats"
    ),
    "tally-not-a-list": "expected [kind, to, customer, incident, count] at a clock",
    # An echo shows the first four items of a list.
    "tally-customer-a-number": (
        "not a count of notifications: ['incident_opened', 'customer', 7, 'i3', ...]"
    ),
    # i3's response is due two business hours after its opening at 14:00 in Paris.
    "timer-before-the-clock": (
        "a timer due at 2026-11-23T15:00:00+00:00, before the clock "
        "2026-11-24T13:00:00+00:00, has not fired"
    ),
}


@pytest.mark.parametrize("name", list(DETAILS))
def test_a_refusal_says_what_is_wrong(name: str) -> None:
    """The error names the field and says what is wrong with it, in those words."""
    change, field = CORRUPTIONS[name]
    with pytest.raises(PolicyError) as caught:
        World.restore(sealed(change))
    assert str(caught.value) == f"state.integrity: {field}: {DETAILS[name]}"


def test_an_instant_at_the_clock_does_not_hide_a_later_one() -> None:
    """An incident opened, answered and resolved at the clock's instant: those are not
    later than the clock, and a target met after it is still refused."""
    t = "2026-11-23T10:00:00+01:00"
    events = [
        {"at": P, "type": "purchase", "customer": "acme", "id": "p1", "product": "single"},
        {"at": t, "type": "open", "customer": "acme", "id": "i1", "area": "setup"},
        {"at": t, "type": "staff_reply", "incident": "i1"},
        {"at": t, "type": "resolve", "incident": "i1"},
    ]
    doc = replay({"events": events, "return_state": True})["state"]
    incident = doc["incidents"][0]
    assert doc["at"] == incident["opened_at"] == incident["resolved_at"]
    assert incident["response_targets"][0]["started_at"] == doc["at"]
    World.restore(doc)
    incident["response_targets"][0]["met_at"] = "2026-11-23T09:30:00+00:00"
    doc["digest"] = digest_of(doc)
    assert refusal(doc) == "incidents[0].response_targets[0].met_at"


#: EVENTS with incident i1 closed, so that every instant of an incident is written.
CLOSED = [*EVENTS[:6], {"at": "2026-11-23T12:30:00+01:00", "type": "close", "incident": "i1"},
          *EVENTS[6:]]  # fmt: skip


@pytest.mark.parametrize(
    ("events", "written"),
    [(EVENTS, ("resolved_at", "auto_close_at")), (CLOSED, ("closed_at", "reopen_until"))],
    ids=["resolved", "closed"],
)
def test_a_good_snapshots_incidents_are_read_without_the_converter(
    events: list[dict[str, Any]], written: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Incidents as a snapshot writes them, most of a restore, go straight to their
    checked constructors (cattrs would cost more) and read back to the same document:
    every instant, target and allowance."""
    doc = replay({"events": events, "return_state": True})["state"]
    assert all(doc["incidents"][0][name] is not None for name in written)
    structure = snapshot_module._structure

    def no_incidents(value: object, cls: type[Any], where: str, **options: bool) -> Any:
        assert cls is not Incident, f"{where} was read through cattrs"
        return structure(value, cls, where, **options)

    monkeypatch.setattr(snapshot_module, "_structure", no_incidents)
    assert World.restore(doc).snapshot() == doc


def test_equal_values_of_a_snapshot_are_read_as_one() -> None:
    """Equal allowances and equal instants of one snapshot are read as one shared value,
    not one per incident: fewer objects for the garbage collector after a restore."""
    incidents = read_snapshot(snapshot()).incidents
    assert len({(a.minutes, a.used, a.warned) for a in (i.allowance for i in incidents)}) == 1
    assert all(incident.allowance is incidents[0].allowance for incident in incidents)
    assert incidents[0].opened_at is incidents[0].response_targets[0].started_at


def test_entities_listed_out_of_order_are_read_in_creation_order() -> None:
    """A snapshot is written in creation order, but its order fields are what count:
    the same entities listed backwards read as the same parts."""
    doc = snapshot()
    backwards = sealed(lambda d: (d["accounts"].reverse(), d["incidents"].reverse()))
    parts, read = read_snapshot(doc), read_snapshot(backwards)
    assert (read.accounts, read.account_orders) == (parts.accounts, parts.account_orders)
    assert (read.incidents, read.incident_orders) == (parts.incidents, parts.incident_orders)
    assert read.incident_orders == (2, 3, 4)
    assert World.restore(backwards).snapshot() == doc


def test_a_world_without_entities_may_have_no_clock() -> None:
    """An empty world's snapshot has a null clock and restores to an empty world."""
    empty = World().snapshot()
    assert (empty["at"], empty["accounts"], empty["tally"]) == (None, [], [])
    assert World.restore(empty) == World()
    tallied = {**empty, "tally": [["credits_purchased", "customer", "acme", None, 1]]}
    assert refusal({**tallied, "digest": digest_of(tallied)}) == "tally[0]"


@given(st.data())
def test_one_changed_character_anywhere_is_detected(data: st.DataObject) -> None:
    """Change any one character of the snapshot's JSON text: the document is either the
    same one or refused (state.integrity); never a different world."""
    doc = snapshot()
    text = json.dumps(doc, ensure_ascii=False)
    at = data.draw(st.integers(0, len(text) - 1))
    new = data.draw(st.characters(codec="utf-8").filter(lambda c: c != text[at]))
    try:
        changed = json.loads(text[:at] + new + text[at + 1 :])
    except ValueError:
        return  # no longer JSON: the host's own reader refuses it
    if changed == doc:
        return
    with pytest.raises(PolicyError) as caught:
        World.restore(changed)
    assert caught.value.rule is RuleId.STATE_INTEGRITY


def test_a_scenario_state_must_be_a_good_snapshot() -> None:
    """A bad state is a document error naming the field under state; a policy beside it
    must be the snapshot's; return_state is true or false."""
    state = snapshot()
    with pytest.raises(ScenarioError) as caught:
        replay({"events": [], "state": {**state, "at": None}})
    # A field path under state, not a rule ID (the traceability scan reads strings).
    assert (caught.value.rule, caught.value.field) == (RuleId.STATE_INTEGRITY, "state" + ".digest")
    with pytest.raises(ScenarioError, match=r"^state\.integrity: state: a snapshot is an object"):
        replay({"events": [], "state": "yesterday"})
    with pytest.raises(ScenarioError, match=r"^state\.integrity: policy: differs"):
        replay({"events": [], "state": state, "policy": {"reopen_days": 5}})
    with pytest.raises(ScenarioError, match=r"^policy\.reopen_days: "):
        replay({"events": [], "state": state, "policy": {"reopen_days": 0}})
    with pytest.raises(ScenarioError, match=r"^return_state: expected true or false"):
        replay({"events": [], "return_state": "yes"})
    same = replay({"events": [], "state": state, "policy": {}, "return_state": True})
    assert same["state"] == state


def test_a_continuation_may_not_go_back_before_the_clock() -> None:
    """Events earlier than the snapshot's clock are out of order; so is an earlier until."""
    state = snapshot()
    early = {"at": P, "type": "staff_reply", "incident": "i3"}
    outcome = replay({"events": [early], "state": state})
    assert outcome["results"][0]["rule"] == "input.out-of-order"
    with pytest.raises(ScenarioError, match=r"^input\.out-of-order: until: "):
        replay({"events": [], "state": state, "until": P})


TIMELINE: dict[str, Any] = {
    "policy": {"holidays": {"country": "FR"}},
    "policy_changes": [
        {"from": "2026-11-23T10:15:00+01:00", "policy": {"response_target_minutes": 240}},
        {"from": "2026-11-23T13:30:00+01:00", "policy": {"products": {"single": {
            "credits": 1, "price": "80.00"}}}},
    ],
}  # fmt: skip


def test_a_policy_timeline_and_pinned_versions_survive_a_snapshot() -> None:
    """A world under dated policy changes and holidays snapshots whole: the timeline,
    each lot's and incident's policy_version; restoring gives the same snapshot."""
    outcome = replay({**TIMELINE, "events": EVENTS, "return_state": True})
    doc = outcome["state"]
    assert [change["from"] for change in doc["policy_changes"]] == [
        "2026-11-23T09:15:00+00:00",
        "2026-11-23T12:30:00+00:00",
    ]
    assert doc["policy"]["holidays"] == {"country": "FR"}
    world = World.restore(doc)
    assert world.snapshot() == doc
    assert [change.policy.response_target_minutes for change in world.policy.changes] == [
        240,
        240,
    ]
    versions = {i["id"]: i["policy_version"] for i in doc["incidents"]}
    assert versions == {"i1": 0, "i2": 1, "i3": 2}


def test_changes_given_with_state_extend_its_timeline_after_its_clock() -> None:
    """policy_changes beside state are added after the snapshot's; the continuation
    equals one replay of the whole timeline, and a change before the clock is refused."""
    whole = {**TIMELINE, "events": EVENTS}
    head = {"policy": TIMELINE["policy"], "policy_changes": TIMELINE["policy_changes"][:1],
            "events": EVENTS[:4], "return_state": True}  # fmt: skip
    state = replay(head)["state"]
    rest = {"state": state, "policy_changes": TIMELINE["policy_changes"][1:],
            "events": EVENTS[4:]}  # fmt: skip
    assert replay(rest)["incidents"] == replay(whole)["incidents"]
    early = {**rest, "policy_changes": [{**TIMELINE["policy_changes"][1],
             "from": "2026-11-23T10:00:00+01:00"}]}  # fmt: skip
    with pytest.raises(ScenarioError) as caught:
        replay(early)
    assert (caught.value.rule, caught.value.field) == (
        RuleId.POLICY_CHANGES,
        "policy_changes[0].from",
    )


# --- the converters, built at test time: the module's two are built at import ----------


@pytest.mark.parametrize("detailed", [True, False])
def test_a_converter_built_now_reads_and_writes_a_lot_as_the_snapshot_does(
    detailed: bool,
) -> None:
    """Both converters read a lot's document to the lot read_snapshot gives, and write
    it back to the same document: instants with their offset, the price as an object."""
    doc = snapshot()
    lot_doc = doc["accounts"][0]["lots"][0]
    assert lot_doc["price"] == {"amount": "225.00", "currency": "USD"}
    lot = read_snapshot(doc).accounts[0].lots[0]
    converter = _converter(detailed=detailed)
    assert converter.structure(lot_doc, Lot) == lot
    assert converter.unstructure(lot) == lot_doc


def test_only_the_detailed_converter_refuses_unknown_keys() -> None:
    """The fast converter lets an extra key (an entity's order) through, as its caller
    checks the keys itself; the detailed one refuses it by name."""
    lot_doc = {**snapshot()["accounts"][0]["lots"][0], "order": 3}
    lot = _converter(detailed=False).structure(lot_doc, Lot)
    assert lot.id == "p1"
    with pytest.raises(ClassValidationError) as caught:
        _converter(detailed=True).structure(lot_doc, Lot)
    (error,) = caught.value.exceptions
    assert isinstance(error, ForbiddenExtraKeysError)
    assert error.extra_fields == {"order"}


def test_only_the_detailed_converter_notes_where_an_error_arose() -> None:
    """A bad price: the detailed converter's error leads to the field ``price``; the
    fast one raises the hook's own error, without cattrs's notes."""
    lot_doc = {**snapshot()["accounts"][0]["lots"][0], "price": 225}
    detail = "expected an object with amount and currency, got a number"
    with pytest.raises(ClassValidationError) as caught:
        _converter(detailed=True).structure(lot_doc, Lot)
    found = explain(caught.value, None)
    assert (found.detail, found.field) == (detail, "price")
    with pytest.raises(PolicyError) as bare:
        _converter(detailed=False).structure(lot_doc, Lot)
    assert bare.value.detail == detail


#: An instant where the snapshot may have none (an incident's ``resolved_at``, ...).
OPTIONAL_INSTANT: Any = pendulum.DateTime | None
INSTANT_KINDS = [datetime, pendulum.DateTime, OPTIONAL_INSTANT]


@pytest.mark.parametrize("detailed", [True, False])
@pytest.mark.parametrize("kind", INSTANT_KINDS, ids=["datetime", "DateTime", "optional"])
def test_a_converter_built_now_reads_any_aware_instant_in_utc(detailed: bool, kind: Any) -> None:
    """Every instant type reads ISO text with an offset as that instant in pendulum's
    UTC, up to the end of the year 9999 (no writable-years margin, unlike events)."""
    converter = _converter(detailed=detailed)
    read = converter.structure("2026-11-23T09:00:00+01:00", kind)
    assert read == pendulum.datetime(2026, 11, 23, 8)
    assert read.tzinfo is pendulum.UTC
    late = converter.structure("9999-12-31T23:59:59+00:00", kind)
    assert late == pendulum.datetime(9999, 12, 31, 23, 59, 59)


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (1764000000, "expected an ISO 8601 instant, got a number"),
        ("yesterday", "expected an ISO 8601 instant, got 'yesterday'"),
        ("y" * 50, f"expected an ISO 8601 instant, got {'y' * 40!r}"),
        ("2026-11-23T09:00:00", "naive instant '2026-11-23T09:00:00'; a snapshot writes UTC offsets"),
        ("2026-11-23T09:00:00." + "1" * 30,
         f"naive instant {'2026-11-23T09:00:00.' + '1' * 20!r}; a snapshot writes UTC offsets"),
        ("0001-01-01T00:00:00+01:00", "expected an ISO 8601 instant, got '0001-01-01T00:00:00+01:00'"),
    ],
    ids=["number", "not-iso", "long", "naive", "long-naive", "before-year-1-in-utc"],
)  # fmt: skip
@pytest.mark.parametrize("kind", INSTANT_KINDS, ids=["datetime", "DateTime", "optional"])
def test_a_converter_built_now_says_what_is_wrong_with_an_instant(
    kind: Any, value: object, detail: str
) -> None:
    """Anything but aware ISO text is refused with the snapshot's own message."""
    with pytest.raises(PolicyError) as caught:
        _converter(detailed=True).structure(value, kind)
    assert caught.value.detail == detail


@pytest.mark.parametrize("detailed", [True, False])
def test_a_missing_optional_instant_reads_as_none(detailed: bool) -> None:
    """null is no instant where one is optional, and is refused where one is required."""
    converter = _converter(detailed=detailed)
    assert converter.structure(None, OPTIONAL_INSTANT) is None
    with pytest.raises(PolicyError) as caught:
        converter.structure(None, pendulum.DateTime)
    assert caught.value.detail == "expected an ISO 8601 instant, got null"


@pytest.mark.parametrize(
    ("value", "kind"),
    [(0, "a number"), ("true", "a string"), (None, "null"), ([True], "a list")],
)
def test_a_converter_built_now_reads_only_true_or_false_as_a_boolean(
    value: object, kind: str
) -> None:
    """true and false read as themselves; anything else (no truthiness) is refused,
    saying what JSON type it was."""
    converter = _converter(detailed=True)
    assert converter.structure(True, bool) is True
    assert converter.structure(False, bool) is False
    with pytest.raises(PolicyError) as caught:
        converter.structure(value, bool)
    assert caught.value.detail == f"expected true or false, got {kind}"


@pytest.mark.parametrize("detailed", [True, False])
def test_a_converter_built_now_reads_and_writes_money_as_an_object(detailed: bool) -> None:
    """Money is {"amount": text, "currency": code} both ways (the wire writes the amount
    alone); anything else is refused."""
    converter = _converter(detailed=detailed)
    money = Money("80", "EUR")
    assert converter.unstructure(money) == {"amount": "80.00", "currency": "EUR"}
    assert converter.structure({"amount": "80.00", "currency": "EUR"}, Money) == money
    with pytest.raises(PolicyError) as caught:
        converter.structure("80.00", Money)
    assert caught.value.detail == "expected an object with amount and currency, got a string"


@settings(max_examples=50)
@given(st.lists(st.text(max_size=5), max_size=5))
def test_a_converter_built_now_reads_a_list_as_the_tuple_of_its_items(items: list[str]) -> None:
    """A homogeneous tuple reads from a JSON list, item by item, in order."""
    assert _converter(detailed=True).structure(items, tuple[str, ...]) == tuple(items)


@pytest.mark.parametrize(
    ("value", "kind"),
    [("p1", "a string"), ({"0": "p1"}, "an object"), (None, "null"), (("p1",), "a value")],
)
def test_a_converter_built_now_reads_a_tuple_only_from_a_list(value: object, kind: str) -> None:
    """Text is not split into characters, nor an object read as its keys: a tuple is
    read from a list only."""
    for detailed in (True, False):
        with pytest.raises(PolicyError) as caught:
            _converter(detailed=detailed).structure(value, tuple[str, ...])
        assert caught.value.detail == f"expected a list, got {kind}"


def test_a_converter_built_now_reads_each_item_of_a_tuple_as_its_type() -> None:
    """Each item goes through the hook of the item type: booleans are checked, numbers
    made floats, nested tuples read from lists only."""
    converter = _converter(detailed=True)
    floats = converter.structure([1, 2.5], tuple[float, ...])
    assert floats == (1.0, 2.5)
    assert [type(each) for each in floats] == [float, float]
    assert converter.structure([["a"], []], tuple[tuple[str, ...], ...]) == (("a",), ())
    with pytest.raises(PolicyError) as caught:
        converter.structure([True, 0], tuple[bool, ...])
    assert caught.value.detail == "expected true or false, got a number"
    with pytest.raises(PolicyError) as nested:
        converter.structure([["a"], "b"], tuple[tuple[str, ...], ...])
    assert nested.value.detail == "expected a list, got a string"


def test_a_naive_instant_in_a_snapshot_is_refused_as_naive() -> None:
    """A restore names the field of an instant without offset and says it is naive, not
    merely unreadable."""
    doc = sealed(lambda d: d["incidents"][0].update(opened_at="2026-11-23T09:00:00"))
    with pytest.raises(PolicyError) as caught:
        World.restore(doc)
    assert str(caught.value) == (
        "state.integrity: incidents[0].opened_at: naive instant '2026-11-23T09:00:00'; "
        "a snapshot writes UTC offsets"
    )


@pytest.mark.parametrize("text", ["Société Générale", "ß", "東京"])
def test_the_digest_is_of_the_utf8_text_not_of_escapes(text: str) -> None:
    """Text beyond ASCII is hashed as written in UTF-8 (ensure_ascii=False), as the
    documented formula says, not as \\u escapes: a host hashing its own JSON agrees."""
    doc = {"format": FORMAT, "version": VERSION, "customer": text}
    canonical = '{"customer":"' + text + '","format":"premier-policy/world","version":1}'
    assert digest_of(doc) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_a_float_is_refused_by_its_field_whichever_writer_spelled_the_digest() -> None:
    """1e16 is "1e+16" to the standard library and "1e16" to orjson: a snapshot holding
    it, sealed by either text, is refused by the field that holds it (no field of a
    snapshot takes a float); sealed by neither, by its digest."""
    doc = copy.deepcopy(snapshot())
    doc["incidents"][0]["order"] = 1e16
    body = {key: value for key, value in doc.items() if key != "digest"}
    for text in (
        json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
        orjson.dumps(body, option=orjson.OPT_SORT_KEYS).decode(),
    ):
        assert ("1e+16" in text) != ("1e16" in text)
        sealed_by_text = {**doc, "digest": hashlib.sha256(text.encode()).hexdigest()}
        assert refusal(sealed_by_text) == "incidents[0].order"
    assert refusal(doc) == "digest"


def test_a_lone_surrogate_still_gets_a_digest() -> None:
    """A string no UTF-8 can carry gets a digest of its own (never an encoding error),
    so such a snapshot is refused as changed, not crashed on."""
    one, other = digest_of({"customer": "\ud800"}), digest_of({"customer": "\ud801"})
    assert len(one) == len(other) == 64
    assert one != other
    doc = {**snapshot(), "tally": [["\ud800"]]}
    assert refusal(doc) == "digest"
    assert refusal({**doc, "digest": digest_of(doc)}) == "tally[0]"


@pytest.mark.usefixtures("host_in_kolkata")
def test_instants_read_the_same_whatever_the_hosts_zone() -> None:
    """An instant is converted to UTC, never through the host's local zone."""
    assert time.localtime(0)[3:5] == (5, 30)  # the fixture took effect
    read = _converter(detailed=True).structure("2026-11-23T09:00:00+01:00", datetime)
    assert (read, read.tzinfo) == (pendulum.datetime(2026, 11, 23, 8), pendulum.UTC)
    parts = read_snapshot(snapshot())
    assert parts.at == pendulum.datetime(2026, 11, 23, 13)


def test_equal_prices_of_a_snapshot_are_read_as_one() -> None:
    """Lots bought at one price share one Money value, as allowances do."""
    singles = [{"at": P, "type": "purchase", "customer": customer, "id": f"p-{customer}",
                "product": "single"} for customer in ("acme", "globex")]  # fmt: skip
    doc = replay({"events": singles, "return_state": True})["state"]
    acme, globex = (account.lots[0].price for account in read_snapshot(doc).accounts)
    assert acme == globex == Money("75", "USD")
    assert acme is globex


def test_a_snapshot_after_time_passed_keeps_no_finished_counts() -> None:
    """Counts of notifications at an earlier instant than the clock are done: a snapshot
    taken after time passed (until) holds none, and the restored world numbers the next
    notifications as a straight replay does."""
    at_last_event = replay({"events": EVENTS, "return_state": True})["state"]
    assert at_last_event["tally"] != []
    until = "2026-11-23T14:05:00+01:00"
    later = replay({"events": EVENTS, "until": until, "return_state": True})["state"]
    assert later["at"] == "2026-11-23T13:05:00+00:00"
    assert later["tally"] == []
    opened = {"at": until, "type": "open", "customer": "acme", "id": "i4", "area": "setup"}
    sent = replay({"events": [opened], "state": later})["notifications"]
    assert [n["kind"] for n in sent] == ["incident_opened", "incident_opened"]
    assert sent == replay({"events": [*EVENTS, opened]})["notifications"][-2:]


def test_a_good_snapshots_lots_and_clock_skip_cattrss_notes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A lot or clock with exactly its fields is read by the fast converter; the detailed
    one, a third slower, is only for a document with something wrong."""
    doc = snapshot()
    expected = read_snapshot(doc)

    class Refusing:
        def structure(self, value: object, cls: object) -> object:
            raise AssertionError(f"{cls} was read with cattrs's notes")

    monkeypatch.setattr(snapshot_module, "_SNAPSHOT", Refusing())
    monkeypatch.setattr(snapshot_module, "_FIELDS", {})  # as at the first reading
    assert read_snapshot(doc) == expected
