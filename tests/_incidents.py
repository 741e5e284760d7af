"""Shared helpers for the incident wing's tests: a policy, a funded account, accepted steps."""

from __future__ import annotations

from datetime import datetime, timedelta

import pendulum
from hypothesis import strategies as st

from premier_policy import (
    Account,
    Close,
    CustomerReply,
    Extend,
    IncidentEvent,
    Invalidate,
    LogTime,
    Open,
    Policy,
    Purchase,
    Refusal,
    Reopen,
    Resolve,
    StaffReply,
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


# --- random lives of one incident, for the laws of its working forms -------------------

#: Small numbers, so that warnings, extensions, auto-closes and reopen windows happen often.
SHORT = Policy(allowance_minutes=90, warning_minutes=30, auto_close_days=3, reopen_days=2)
_KINDS = (
    StaffReply, CustomerReply, LogTime, Extend, Resolve, Close, Reopen, Invalidate,
)  # fmt: skip
_GAPS = st.one_of(
    st.integers(min_value=0, max_value=240).map(lambda m: timedelta(minutes=m)),
    st.integers(min_value=1, max_value=4).map(lambda d: timedelta(days=d)),
)


@st.composite
def lives(draw: st.DrawFn) -> tuple[Step, list[tuple[timedelta, IncidentEvent]]]:
    """An incident opened (on the Friday before the spring change in Paris, with credits
    to extend) and the events to come, each after a gap from the one before: any event
    of any kind, accepted or not, with the instants it will be given when applied."""
    start = paris(2026, 3, 27, 17, draw(st.integers(min_value=0, max_value=59)))
    account = funded(SHORT, start, ("p1", "bundle-3"), ("p2", "single"))
    step = opened(SHORT, start, account=account)
    events: list[tuple[timedelta, IncidentEvent]] = []
    at = start
    for kind in draw(st.lists(st.sampled_from(_KINDS), max_size=12)):
        gap = draw(_GAPS)
        at = at + gap
        fields: dict[str, object] = {"at": at, "incident": "i1"}
        if kind is LogTime:
            fields["minutes"] = draw(st.sampled_from((15, 30, 45, 61)))
        elif kind is Invalidate:
            fields["reason"] = draw(st.sampled_from(("out_of_scope", "vendor_bug")))
        events.append((gap, kind(**fields)))
    return step, events
