"""An incident's life as pure transitions: open, apply an event, let time pass.

Every function takes the policy, converts instants with ``policy.utc`` and returns new
values: a :class:`Step` (the incident, the customer's account and the notifications to
send) or a :class:`~premier_policy.Refusal`, which changes nothing. Which event is
allowed in which state is the data of :data:`~premier_policy.incidents._states.TRANSITIONS`; the
rules' guards (allowance, reopen window, credits) are here.

Timers follow the library's protocol (``input.timers``): :meth:`Incident.next_timer_at`
names the next instant something happens by itself (a response breach or an
auto-close) and :func:`advance` fires everything due before an instant. :func:`apply`
first fires the incident's own timers due strictly before the event, so calling it
without advancing first is safe; after an ``advance`` that is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Final, TypeVar

import pendulum
from attrs import frozen

from premier_policy.base._copies import maker, replaced
from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._events import (
    AREAS,
    Close,
    CustomerReply,
    Extend,
    IncidentEvent,
    Invalidate,
    LogTime,
    Open,
    Reopen,
    Resolve,
    StaffReply,
)
from premier_policy.base._notifications import Notification, notify
from premier_policy.base._owner import owner_refusal
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId
from premier_policy.credits._account import Account
from premier_policy.incidents._allowance import Allowance
from premier_policy.incidents._incident import Incident
from premier_policy.incidents._response import ResponseTarget, _new_target
from premier_policy.incidents._states import TRANSITIONS, Kind, State
from premier_policy.terms._policy import Policy

__all__ = ["KINDS", "Step", "advance", "apply", "apply_due", "open_incident"]


@frozen
class Step:
    """An accepted event's outcome: the new incident and account, and what to send."""

    incident: Incident
    account: Account
    notifications: tuple[Notification, ...]


E = TypeVar("E", LogTime, Invalidate)


def _event_as(event: IncidentEvent, kind: type[E]) -> E:
    """``event`` as the ``kind`` its handler reads fields of (:func:`apply` dispatches
    on the type, so anything else is misuse of the handler)."""
    if not isinstance(event, kind):
        raise PolicyError(
            f"expected {kind.__name__}, got {type(event).__name__}",
            rule=RuleId.INPUT_MALFORMED,
            field="type",
        )
    return event


# An opening and each wait on staff make values of fields the rules have just computed:
# a stored instant (the event's, in UTC), one the calendar computed from it (never
# earlier), a known area and state. The checked constructors would only say yes again.
_new_incident: Final = maker(Incident)


def _target(policy: Policy, at: pendulum.DateTime) -> ResponseTarget:
    due = policy.utc(policy.response_due(at))
    return _new_target(at, due, None, False, None)


def _waiting_on_staff(
    policy: Policy, incident: Incident, at: pendulum.DateTime
) -> tuple[ResponseTarget, ...]:
    """The targets once the incident starts waiting on staff at ``at``: a new one unless
    one is pending (``response.target``)."""
    if incident.pending_target is not None:
        return incident.response_targets
    return (*incident.response_targets, _target(policy, at))


def _dropped(incident: Incident, at: pendulum.DateTime) -> tuple[ResponseTarget, ...]:
    pending = incident.pending_target
    if pending is None:
        return incident.response_targets
    return (*incident.response_targets[:-1], pending.drop(at))


def open_incident(policy: Policy, account: Account, event: Open) -> Step | Refusal:
    """Open incident ``event.id`` for ``account``'s customer (``lifecycle.open``).

    The area is checked first (``scope.custom-development``, ``scope.outside-areas``),
    so a refused area takes no credit; then one credit is consumed
    (``credits.consume-order``, refused as ``credits.none-available``). The incident
    starts in ``waiting_on_staff`` with its first response target, under the incident
    terms of the policy version in force at ``event.at``, which it keeps
    (``policy.pinned-terms``).
    """
    if not isinstance(event, Open):
        raise PolicyError(
            f"expected an Open event, got {type(event).__name__}",
            rule=RuleId.INPUT_MALFORMED,
            field="event",
        )
    at = event.at
    if event.customer != account.customer:
        raise PolicyError(
            f"event for {shown(event.customer)} given the account of {shown(account.customer)}",
            field="customer",
        )
    if event.area == "custom_development":
        return Refusal(
            RuleId.SCOPE_CUSTOM_DEVELOPMENT,
            "custom development is not available: Premier Support covers configuration, "
            "setup, running and minor tweaking; no credit was taken",
        )
    if event.area not in AREAS:
        return Refusal(
            RuleId.SCOPE_OUTSIDE_AREAS,
            f"{shown(event.area)} is outside the areas of support ({', '.join(AREAS)}); "
            "no credit was taken",
        )
    policy = policy.in_force(at)
    consumed = account.consume(policy, at)
    if isinstance(consumed, Refusal):
        return consumed
    incident = _new_incident(
        id=event.id,
        customer=event.customer,
        area=event.area,
        state=TRANSITIONS.initial,
        opened_at=at,
        lots=(consumed.lot_id,),
        allowance=Allowance(minutes=policy.allowance_minutes),
        response_targets=(_target(policy, at),),
        resolved_at=None,
        auto_close_at=None,
        closed_at=None,
        reopen_until=None,
        policy_version=policy.version,
        invalid_reason=None,
    )
    return Step(incident, consumed.account, notify("incident_opened", at, event.customer, event.id))


# Each handler gets the event already allowed by the table, its UTC instant and the
# state the table leads to; it applies the rule's guards and effects.
_Handler = Callable[
    [Policy, Incident, Account, IncidentEvent, pendulum.DateTime, State], Step | Refusal
]


def _staff_reply(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent,
    at: pendulum.DateTime, state: State,
) -> Step | Refusal:  # fmt: skip
    pending = incident.pending_target
    targets = incident.response_targets
    if pending is not None:
        targets = (*targets[:-1], pending.meet(at))
    changed = replaced(incident, state=state, response_targets=targets)
    return Step(changed, account, notify("response_posted", at, incident.customer, incident.id))


def _customer_reply(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent,
    at: pendulum.DateTime, state: State,
) -> Step | Refusal:  # fmt: skip
    changed = replaced(
        incident, state=state, response_targets=_waiting_on_staff(policy, incident, at)
    )
    return Step(changed, account, notify("customer_replied", at, incident.customer, incident.id))


def _log_time(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent,
    at: pendulum.DateTime, state: State,
) -> Step | Refusal:  # fmt: skip
    minutes = _event_as(event, LogTime).minutes
    logged = incident.allowance.log(minutes, warning_minutes=policy.warning_minutes)
    if isinstance(logged, Refusal):
        return Refusal(logged.rule, f"incident {incident.id}: {logged.message}")
    allowance, kinds = logged
    sent = tuple(n for kind in kinds for n in notify(kind, at, incident.customer, incident.id))
    return Step(replaced(incident, allowance=allowance), account, sent)


def _extend(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent,
    at: pendulum.DateTime, state: State,
) -> Step | Refusal:  # fmt: skip
    # Judged before any credit is taken, so a needless extension costs nothing.
    allowance = incident.allowance.extend(
        policy.allowance_minutes, warning_minutes=policy.warning_minutes
    )
    if isinstance(allowance, Refusal):
        return Refusal(allowance.rule, f"incident {incident.id}: {allowance.message}")
    consumed = account.consume(policy, at)
    if isinstance(consumed, Refusal):
        return consumed
    changed = replaced(incident, allowance=allowance, lots=(*incident.lots, consumed.lot_id))
    return Step(
        changed, consumed.account, notify("incident_extended", at, incident.customer, incident.id)
    )


def _resolve(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent,
    at: pendulum.DateTime, state: State,
) -> Step | Refusal:  # fmt: skip
    changed = replaced(
        incident,
        state=state,
        response_targets=_dropped(incident, at),
        resolved_at=at,
        auto_close_at=policy.wall_add(at, days=policy.auto_close_days),
    )
    return Step(changed, account, notify("incident_resolved", at, incident.customer, incident.id))


def _closed(policy: Policy, incident: Incident, at: pendulum.DateTime, state: State) -> Incident:
    return replaced(
        incident,
        state=state,
        auto_close_at=None,
        closed_at=at,
        reopen_until=policy.wall_add(at, days=policy.reopen_days),
    )


def _close(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent,
    at: pendulum.DateTime, state: State,
) -> Step | Refusal:  # fmt: skip
    changed = _closed(policy, incident, at, state)
    return Step(changed, account, notify("incident_closed", at, incident.customer, incident.id))


def _reopen(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent,
    at: pendulum.DateTime, state: State,
) -> Step | Refusal:  # fmt: skip
    if incident.reopen_until is not None and at >= incident.reopen_until:
        return Refusal(
            RuleId.LIFECYCLE_REOPEN_WINDOW,
            f"the reopen window of incident {incident.id} ended on "
            f"{policy.show(incident.reopen_until)}; open a new incident",
        )
    changed = replaced(
        incident,
        state=state,
        response_targets=_waiting_on_staff(policy, incident, at),
        resolved_at=None,
        auto_close_at=None,
        closed_at=None,
        reopen_until=None,
    )
    return Step(changed, account, notify("incident_reopened", at, incident.customer, incident.id))


def _invalidate(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent,
    at: pendulum.DateTime, state: State,
) -> Step | Refusal:  # fmt: skip
    reason = _event_as(event, Invalidate).reason
    for lot_id in incident.lots:
        account = account.restore(lot_id, policy=policy, at=at)
    changed = replaced(
        incident,
        state=state,
        invalid_reason=reason,
        lots=(),
        response_targets=_dropped(incident, at),
        auto_close_at=None,
        reopen_until=None,
    )
    return Step(
        changed, account, notify("incident_invalidated", at, incident.customer, incident.id)
    )


_EVENTS: dict[type[IncidentEvent], tuple[Kind, _Handler]] = {
    StaffReply: ("staff_reply", _staff_reply),
    CustomerReply: ("customer_reply", _customer_reply),
    LogTime: ("log_time", _log_time),
    Extend: ("extend", _extend),
    Resolve: ("resolve", _resolve),
    Close: ("close", _close),
    Reopen: ("reopen", _reopen),
    Invalidate: ("invalidate", _invalidate),
}

#: The transition table's name of each incident event (the replay engine's record steps
#: are looked up by it too).
KINDS: dict[type[IncidentEvent], Kind] = {cls: kind for cls, (kind, _) in _EVENTS.items()}

# How a refusal names each event the table can refuse.
_ACTIONS: dict[Kind, str] = {
    "staff_reply": "post a staff reply on",
    "customer_reply": "reply on",
    "log_time": "log time on",
    "extend": "extend",
    "resolve": "resolve",
    "close": "close",
    "reopen": "reopen",
    "invalidate": "invalidate",
}


def _refusal(rule: RuleId, kind: Kind, incident: Incident) -> Refusal:
    if rule is RuleId.LIFECYCLE_FINAL:
        message = (
            f"incident {incident.id} is invalid ({incident.invalid_reason}): nothing can change it"
        )
    elif rule is RuleId.LIFECYCLE_CUSTOMER_REPLY:
        message = f"incident {incident.id} is {incident.state}: reopen it first, then reply"
    else:
        message = f"cannot {_ACTIONS[kind]} incident {incident.id} while it is {incident.state}"
    return Refusal(rule, message)


def apply(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent
) -> Step | Refusal:
    """Apply one event to ``incident``; ``account`` is its customer's.

    Refused when the event names a customer other than the incident's (``input.owner``),
    in the invalid state (``lifecycle.final``), by a customer reply once
    resolved or closed (``lifecycle.customer-reply``), in any other state the table
    does not allow (``lifecycle.invalid-transition``), and by the rules' own guards.
    The terms are those of the incident's own policy version (``policy.pinned-terms``).
    """
    found = _EVENTS.get(type(event))
    if found is None:
        raise PolicyError(
            f"not an incident event: {type(event).__name__}",
            rule=RuleId.INPUT_MALFORMED,
            field="type",
        )
    if event.incident != incident.id:
        raise PolicyError(
            f"event for incident {shown(event.incident)} applied to {shown(incident.id)}",
            field="incident",
        )
    if account.customer != incident.customer:
        raise PolicyError(
            f"incident of {shown(incident.customer)} given the account of {shown(account.customer)}",
            field="customer",
        )
    refused = owner_refusal(event, incident.customer)
    if refused is not None:  # before anything of the incident is looked at
        return refused
    kind, handler = found
    at = event.at
    policy = policy.terms(incident.policy_version)
    incident, fired = advance(policy, incident, at, inclusive=False)
    return _judged(policy, incident, account, event, kind, handler, fired)


def apply_due(
    policy: Policy, incident: Incident, account: Account, event: IncidentEvent
) -> Step | Refusal:
    """:func:`apply` for the engine, which has checked what apply checks first: the
    event is an incident event for ``incident``, ``account`` is its customer's, who may
    act (``input.owner``), and every timer due before the event has fired."""
    kind, handler = _EVENTS[type(event)]
    return _judged(
        policy.terms(incident.policy_version), incident, account, event, kind, handler, ()
    )


def _judged(
    policy: Policy,
    incident: Incident,
    account: Account,
    event: IncidentEvent,
    kind: Kind,
    handler: _Handler,
    fired: tuple[Notification, ...],
) -> Step | Refusal:
    at = event.at
    move = TRANSITIONS.move(kind, incident.state)
    if isinstance(move, RuleId):
        return _refusal(move, kind, incident)
    step = handler(policy, incident, account, event, at, move)
    if fired and isinstance(step, Step):
        return Step(step.incident, step.account, fired + step.notifications)
    return step


def advance(
    policy: Policy, incident: Incident, until: datetime, *, inclusive: bool
) -> tuple[Incident, tuple[Notification, ...]]:
    """Fire, in time order, the incident's timers due before ``until`` (at or before it
    when ``inclusive``): response breaches (``response_overdue`` to staff at the due
    instant) and the auto-close (``closed_at`` is the instant it was due, not ``until``).
    """
    policy = policy.terms(incident.policy_version)
    end = policy.utc(until, field="until")
    fired: tuple[Notification, ...] = ()
    while (at := incident.next_timer_at(policy)) is not None and (
        at < end or (inclusive and at == end)
    ):
        pending = incident.pending_target
        if pending is not None and pending.breach_at == at:
            targets = (*incident.response_targets[:-1], pending.breach())
            incident = replaced(incident, response_targets=targets)
            fired += notify("response_overdue", at, incident.customer, incident.id)
        else:
            # An auto-close is set only while resolved (Incident checks it), where the
            # table allows it; lands() raises rather than trusting that.
            incident = _closed(
                policy, incident, at, TRANSITIONS.lands("auto_close", incident.state)
            )
            fired += notify("incident_closed", at, incident.customer, incident.id)
    return incident, fired
