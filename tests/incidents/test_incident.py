"""The Incident value: consistent facts per state, checked on construction."""

from __future__ import annotations

from typing import Any

import attrs
import pendulum
import pytest
from attrs import evolve

from premier_policy import Allowance, Incident, Policy, PolicyError, ResponseTarget, RuleId
from premier_policy.base._echo import shown
from premier_policy.base._events import AREAS
from premier_policy.incidents._incident import _one_of

T = pendulum.datetime(2026, 11, 27, 9, tz="UTC")
TARGET = ResponseTarget(started_at=T, due_at=T.add(hours=2))
MET = TARGET.meet(T.add(hours=1))


def waiting(**changes: Any) -> Incident:
    fields: dict[str, Any] = {
        "id": "i1",
        "customer": "acme",
        "area": "setup",
        "state": "waiting_on_staff",
        "opened_at": T,
        "lots": ("p1",),
        "allowance": Allowance(minutes=240),
        "response_targets": (TARGET,),
    }
    return Incident(**(fields | changes))


def resolved() -> Incident:
    return waiting(
        state="resolved",
        response_targets=(MET,),
        resolved_at=T.add(days=1),
        auto_close_at=T.add(days=31),
    )


def test_facts_read_back() -> None:
    """credits_used counts the lots held; time and allowance come from the allowance."""
    incident = waiting(lots=("p1", "p2"), allowance=Allowance(minutes=480, used=90))
    assert (incident.credits_used, incident.time_used_minutes, incident.allowance_minutes) == (
        2,
        90,
        480,
    )
    assert incident.pending_target is TARGET


def test_next_timer_is_the_breach_or_the_auto_close() -> None:
    """Waiting on staff: the due instant; once breached: none; resolved: the auto-close;
    closed or waiting on the customer: none (response.target, lifecycle.auto-close)."""
    policy = Policy()
    assert waiting().next_timer_at(policy) == T.add(hours=2)
    assert waiting(response_targets=(TARGET.breach(),)).next_timer_at(policy) is None
    assert resolved().next_timer_at(policy) == T.add(days=31)
    on_customer = waiting(state="waiting_on_customer", response_targets=(MET,))
    assert on_customer.next_timer_at(policy) is None
    closed = evolve(
        resolved(), state="closed", auto_close_at=None, closed_at=T.add(days=2),
        reopen_until=T.add(days=32),
    )  # fmt: skip
    assert closed.next_timer_at(policy) is None
    assert closed.pending_target is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": ""}, "id"),
        ({"customer": None}, "customer"),
        ({"area": "custom_development"}, "area"),
        ({"state": "archived"}, "state"),
        ({"opened_at": T.in_tz("Europe/Paris")}, "opened_at"),
        ({"invalid_reason": "bored"}, "invalid_reason"),
        ({"invalid_reason": "vendor_bug"}, "invalid_reason"),
        ({"lots": ()}, "lots"),
        ({"resolved_at": T}, "resolved_at"),
        ({"reopen_until": T}, "reopen_until"),
        ({"response_targets": ()}, "response_targets"),
        ({"response_targets": (TARGET, MET)}, "response_targets"),
        ({"response_targets": (MET,)}, "response_targets"),
        ({"state": "waiting_on_customer"}, "response_targets"),
    ],
)
def test_inconsistent_incidents_are_refused(changes: dict[str, Any], field: str) -> None:
    """Bad fields and facts that do not fit the state raise PolicyError naming the field."""
    with pytest.raises(PolicyError) as info:
        waiting(**changes)
    assert info.value.field == field
    assert info.value.rule is (RuleId.SCOPE_AREAS if field == "area" else None)


@pytest.mark.parametrize(
    ("incident", "field", "detail"),
    [
        (lambda: waiting(resolved_at=T), "resolved_at", "must not be set while waiting_on_staff"),
        (lambda: evolve(resolved(), auto_close_at=None), "auto_close_at", "must be set while resolved"),
        (
            lambda: waiting(response_targets=(MET, TARGET, TARGET)),
            "response_targets",
            "only the newest target can be pending",
        ),
        (
            lambda: waiting(state="waiting_on_customer"),
            "response_targets",
            "a target is pending exactly while waiting_on_staff; state waiting_on_customer",
        ),
    ],
    ids=["set-too-early", "missing", "pending-before-the-newest", "pending-not-waiting"],
)  # fmt: skip
def test_an_inconsistent_incident_says_what_the_state_needs(
    incident: Any, field: str, detail: str
) -> None:
    """Each consistency refusal names the field and says what the state requires; a
    pending target anywhere but last is refused, the one before last included."""
    with pytest.raises(PolicyError) as info:
        incident()
    assert (info.value.field, info.value.detail) == (field, detail)


@pytest.mark.parametrize(
    ("changes", "field", "detail"),
    [
        ({"lots": ["p1"]}, "lots", "expected a tuple of lot IDs, got ['p1']"),
        ({"lots": ("p1", 7)}, "lots", "expected a tuple of lot IDs, got ('p1', 7)"),
        ({"allowance": 240}, "allowance", "expected Allowance, got int"),
        (
            {"response_targets": [TARGET]},
            "response_targets",
            f"expected a tuple of ResponseTarget values, got {shown([TARGET])}",
        ),
        (
            {"response_targets": ("due",)},
            "response_targets",
            "expected a tuple of ResponseTarget values, got ('due',)",
        ),
    ],
)
def test_parts_of_the_wrong_kind_are_refused_naming_the_field(
    changes: dict[str, Any], field: str, detail: str
) -> None:
    """A list where a tuple belongs, or items of another type: refused in the
    constructor, naming the field, before any check reads them."""
    with pytest.raises(PolicyError) as info:
        waiting(**changes)
    assert (info.value.field, info.value.detail) == (field, detail)


def test_instants_follow_the_state() -> None:
    """Resolved needs resolved_at and auto_close_at; closed needs closed_at and
    reopen_until but no auto-close; invalid (lifecycle.invalidate) holds no credit and
    has a reason."""
    with pytest.raises(PolicyError) as info:
        evolve(resolved(), auto_close_at=None)
    assert info.value.field == "auto_close_at"
    with pytest.raises(PolicyError) as info:
        evolve(resolved(), state="closed", closed_at=T.add(days=2), reopen_until=T.add(days=32))
    assert info.value.field == "auto_close_at"
    invalid = evolve(
        resolved(), state="invalid", invalid_reason="vendor_bug", lots=(), auto_close_at=None
    )
    assert (invalid.credits_used, invalid.resolved_at) == (0, T.add(days=1))
    with pytest.raises(PolicyError) as info:
        evolve(invalid, lots=("p1",))
    assert (info.value.rule, info.value.field, info.value.detail) == (
        None,
        "lots",
        "an incident holds credits exactly when not invalid; state invalid",
    )
    with pytest.raises(PolicyError) as info:
        evolve(invalid, invalid_reason=None)
    assert (info.value.field, info.value.detail) == (
        "invalid_reason",
        "an incident has a reason exactly when invalid; state invalid",
    )


def test_one_of_built_now_accepts_its_choices_and_lists_them_when_refusing() -> None:
    """``scope.areas``: the choice validator, built at test time (not only at import),
    passes each choice and refuses anything else, listing the choices in order and
    naming the attribute and the rule it was given."""
    holder: Any = attrs.make_class(
        "Holder", {"area": attrs.field(validator=_one_of(AREAS, RuleId.SCOPE_AREAS))}
    )
    assert [holder(area).area for area in AREAS] == list(AREAS)
    with pytest.raises(PolicyError) as info:
        holder("billing")
    assert (info.value.rule, info.value.field) == (RuleId.SCOPE_AREAS, "area")
    assert info.value.detail == f"expected one of {', '.join(AREAS)}, got 'billing'"


def test_one_of_without_a_rule_names_only_the_field() -> None:
    """A choice validator given no rule refuses under no rule, still naming the field."""
    holder: Any = attrs.make_class(
        "Holder", {"tone": attrs.field(validator=_one_of(("low", "high")))}
    )
    with pytest.raises(PolicyError) as info:
        holder(None)
    assert (info.value.rule, info.value.field) == (None, "tone")
    assert info.value.detail == "expected one of low, high, got None"


def test_an_incident_in_an_unknown_state_is_refused() -> None:
    """lifecycle.invalid-transition: an incident's state is one of the five, listed when
    refusing; its area is one of scope.areas."""
    incident = waiting()
    with pytest.raises(PolicyError) as refused:
        attrs.evolve(incident, state="frozen")  # type: ignore[arg-type]
    assert refused.value.field == "state"
    assert refused.value.detail == (
        "expected one of waiting_on_staff, waiting_on_customer, resolved, closed, invalid, "
        "got 'frozen'"
    )
    with pytest.raises(PolicyError) as outside:
        attrs.evolve(incident, area="billing")  # type: ignore[arg-type]
    assert (outside.value.rule, outside.value.field) == (RuleId.SCOPE_AREAS, "area")
