"""Shared helpers for the incident wing's tests: a policy, a funded account, accepted steps."""

from __future__ import annotations

from datetime import datetime

import pendulum

from premier_policy import (
    Account,
    IncidentEvent,
    Open,
    Policy,
    Purchase,
    Refusal,
    Step,
    apply,
    open_incident,
)
from premier_policy.base._instants import zone

PARIS = zone("Europe/Paris")


def paris(*fields: int) -> pendulum.DateTime:
    """A Paris wall-clock instant: ``paris(2026, 11, 27, 10, 30)``."""
    return pendulum.datetime(*fields, tz=PARIS)  # type: ignore[arg-type, misc]


def funded(
    policy: Policy, at: datetime, *purchases: tuple[str, str], customer: str = "acme"
) -> Account:
    """An account whose purchases (ID, product) were made at ``at``; default: p1, bundle-3."""
    account = Account(customer)
    for purchase_id, product in purchases or (("p1", "bundle-3"),):
        event = Purchase(at=at, customer=customer, id=purchase_id, product=product)
        bought = account.purchase(policy, event)
        assert not isinstance(bought, Refusal), bought
        account = bought.account
    return account


def accepted(result: Step | Refusal) -> Step:
    """The step of an accepted event; a refusal fails the test with its message."""
    assert isinstance(result, Step), result
    return result


def opened(
    policy: Policy, at: datetime, *, account: Account | None = None, incident: str = "i1"
) -> Step:
    """Incident ``incident`` (area setup) opened at ``at`` on ``account`` or a fresh one."""
    account = account if account is not None else funded(policy, at)
    event = Open(at=at, customer=account.customer, id=incident, area="setup")
    return accepted(open_incident(policy, account, event))


def run(policy: Policy, step: Step, *events: IncidentEvent) -> Step:
    """Apply ``events`` in order, each accepted; the last step, with every notification."""
    sent = step.notifications
    for event in events:
        step = accepted(apply(policy, step.incident, step.account, event))
        sent += step.notifications
    return Step(step.incident, step.account, sent)
