"""Named examples for each incident rule: open, reply, log time, extend, resolve, close,
reopen, invalidate, and time passing."""

from __future__ import annotations

import copy
from datetime import datetime

import pendulum
import pytest

from premier_policy import (
    AREAS,
    Account,
    Allowance,
    Close,
    CustomerReply,
    Extend,
    Incident,
    Invalidate,
    LogTime,
    Open,
    Policy,
    PolicyError,
    Purchase,
    Refusal,
    Reopen,
    Resolve,
    ResponseTarget,
    RuleId,
    StaffReply,
    Step,
    advance,
    apply,
    open_incident,
)
from premier_policy.incidents._lifecycle import _event_as
from premier_policy.incidents._states import TRANSITIONS, Kind, State
from tests._incidents import accepted, funded, opened, paris, run

P = Policy()
T0 = paris(2026, 12, 1, 10)  # a Tuesday
DUE = P.utc(P.response_due(T0))


def due(at: pendulum.DateTime) -> pendulum.DateTime:
    return P.utc(P.response_due(at))


def sent(step: Step) -> list[tuple[str, str]]:
    return [(n.kind, n.to) for n in step.notifications]


def refused(step: Step, event: object) -> Refusal:
    """The refusal of ``event`` on ``step``'s incident (fails if accepted)."""
    result = apply(P, step.incident, step.account, event)  # type: ignore[arg-type]
    assert isinstance(result, Refusal), result
    return result


def allowed(kind: Kind, state: State) -> tuple[RuleId, State]:
    """The rule of the table row that lets ``kind`` move an incident in ``state``, and
    the state it lands in (fails if the row does not allow it)."""
    (row,) = [r for r in TRANSITIONS.rows if r.kind == kind]
    assert state in row.sources
    return row.rule, row.lands(state)


def resolved_step(at: pendulum.DateTime = T0) -> Step:
    return run(P, opened(P, at), StaffReply(at=at.add(minutes=30), incident="i1"),
               Resolve(at=at.add(hours=1), incident="i1"))  # fmt: skip


# --- opening ------------------------------------------------------------------------------


def test_open_takes_a_credit_and_waits_on_staff() -> None:
    """lifecycle.open: one credit from the account, waiting_on_staff, the first response
    target, and incident_opened to customer and staff."""
    step = opened(P, T0)
    incident = step.incident
    assert (incident.state, incident.lots, incident.credits_used) == (
        "waiting_on_staff",
        ("p1",),
        1,
    )
    assert (incident.opened_at, incident.allowance_minutes, incident.time_used_minutes) == (
        P.utc(T0),
        240,
        0,
    )
    assert incident.response_targets == (ResponseTarget(started_at=P.utc(T0), due_at=DUE),)
    assert step.account.balance(T0) == 2
    assert sent(step) == [("incident_opened", "customer"), ("incident_opened", "staff")]
    assert {(n.at, n.customer, n.incident) for n in step.notifications} == {
        (P.utc(T0), "acme", "i1")
    }


@pytest.mark.parametrize("area", AREAS)
def test_every_area_of_support_opens(area: str) -> None:
    """scope.areas: configuration, setup, running and minor_tweaking are accepted."""
    event = Open(at=T0, customer="acme", id="i1", area=area)
    assert accepted(open_incident(P, funded(P, T0), event)).incident.area == area


@pytest.mark.parametrize(
    ("area", "rule"),
    [
        ("custom_development", RuleId.SCOPE_CUSTOM_DEVELOPMENT),
        ("billing", RuleId.SCOPE_OUTSIDE_AREAS),
        ("Setup", RuleId.SCOPE_OUTSIDE_AREAS),
        ("", RuleId.SCOPE_OUTSIDE_AREAS),
    ],
)
def test_scope_is_checked_before_any_credit(area: str, rule: RuleId) -> None:
    """scope.custom-development and scope.outside-areas refuse first: even an account
    with no credit gets the scope refusal, not credits.none-available."""
    for account in (Account("acme"), funded(P, T0)):
        result = open_incident(P, account, Open(at=T0, customer="acme", id="i1", area=area))
        assert isinstance(result, Refusal)
        assert result.rule is rule
        assert "no credit was taken" in result.message


def test_open_without_a_credit_passes_the_credits_refusal() -> None:
    """credits.none-available from the account is the opening's refusal."""
    result = open_incident(P, Account("acme"), Open(at=T0, customer="acme", id="i1", area="setup"))
    assert isinstance(result, Refusal)
    assert result.rule is RuleId.CREDITS_NONE_AVAILABLE


def test_open_with_another_customers_account_is_misuse() -> None:
    """The account must be the event's customer's: a PolicyError naming the field."""
    with pytest.raises(PolicyError) as info:
        open_incident(
            P, funded(P, T0, customer="zeta"), Open(at=T0, customer="acme", id="i1", area="setup")
        )
    assert (info.value.rule, str(info.value)) == (
        None,
        "customer: event for 'acme' given the account of 'zeta'",
    )


# --- response targets ----------------------------------------------------------------------


def test_response_due_counts_business_hours() -> None:
    """response.target: opened Friday 18:30 Paris, a reply is due Monday 09:30."""
    step = opened(P, paris(2026, 11, 27, 18, 30))
    assert step.incident.response_targets[0].due_at == P.utc(paris(2026, 11, 30, 9, 30))


def test_staff_reply_at_due_meets_the_target() -> None:
    """response.target: a staff reply at the due instant is in time; no timer remains."""
    step = run(P, opened(P, T0), StaffReply(at=DUE, incident="i1"))
    (target,) = step.incident.response_targets
    assert (target.met_at, target.breached) == (DUE, False)
    assert step.incident.next_timer_at(P) is None
    # The breach timer due at the reply's instant fires after it, so never: no overdue.
    assert "response_overdue" not in [n.kind for n in step.notifications]


def test_breach_fires_at_due_and_a_late_reply_stays_breached() -> None:
    """response.target: with no reply, staff hear response_overdue at the due instant
    (advance inclusive); a later reply sets met_at and the target stays breached."""
    step = opened(P, T0)
    assert step.incident.next_timer_at(P) == DUE
    same, fired = advance(P, step.incident, DUE, inclusive=False)
    assert (same, fired) == (step.incident, ())
    breached, fired = advance(P, step.incident, DUE, inclusive=True)
    assert [(n.kind, n.to, n.at) for n in fired] == [("response_overdue", "staff", DUE)]
    assert breached.response_targets[0].breached
    assert breached.next_timer_at(P) is None
    late = accepted(
        apply(P, breached, step.account, StaffReply(at=DUE.add(minutes=1), incident="i1"))
    )
    (target,) = late.incident.response_targets
    assert (target.met_at, target.breached, late.incident.state) == (
        DUE.add(minutes=1),
        True,
        "waiting_on_customer",
    )
    assert late.account == step.account  # a target, not a guarantee: no credit moves


def test_apply_fires_due_timers_first() -> None:
    """input.timers: applying an event after the due instant without advancing first
    still sends the overdue notice, at the due instant, before the event's own."""
    step = opened(P, T0)
    late = accepted(
        apply(P, step.incident, step.account, StaffReply(at=DUE.add(hours=1), incident="i1"))
    )
    assert [(n.kind, n.at) for n in late.notifications] == [
        ("response_overdue", DUE),
        ("response_posted", DUE.add(hours=1)),
    ]


def test_customer_reply_starts_a_target_only_when_none_is_pending() -> None:
    """response.target: a customer reply while staff owe one keeps the same target; after
    a staff reply it starts a new one."""
    step = run(P, opened(P, T0), CustomerReply(at=T0.add(minutes=5), incident="i1"))
    assert len(step.incident.response_targets) == 1
    later = T0.add(hours=1)
    step = run(
        P,
        step,
        StaffReply(at=later, incident="i1"),
        CustomerReply(at=later.add(minutes=1), incident="i1"),
    )
    first, second = step.incident.response_targets
    assert first.met_at == P.utc(later)
    assert second == ResponseTarget(
        started_at=P.utc(later.add(minutes=1)), due_at=due(later.add(minutes=1))
    )


def test_resolve_and_invalidate_drop_a_pending_target() -> None:
    """lifecycle.resolve and lifecycle.invalidate drop the target staff still owe: no
    breach timer is left, only the auto-close 30 days after resolving (none once invalid)."""
    at = T0.add(minutes=9)
    for event, timer in (
        (Resolve(at=at, incident="i1"), P.utc(paris(2026, 12, 31, 10, 9))),
        (Invalidate(at=at, incident="i1", reason="vendor_bug"), None),
    ):
        incident = run(P, opened(P, T0), event).incident
        (target,) = incident.response_targets
        assert (target.dropped_at, target.met_at, target.pending) == (P.utc(at), None, False)
        assert incident.next_timer_at(P) == timer


def test_only_the_pending_target_is_dropped_or_breached() -> None:
    """response.target: with a met target before it, resolving or invalidating drops only
    the pending one, and a breach marks only the pending one; the met target stays."""
    answered = run(P, opened(P, T0), StaffReply(at=T0.add(minutes=30), incident="i1"),
                   CustomerReply(at=T0.add(hours=1), incident="i1"))  # fmt: skip
    met = answered.incident.response_targets[0]
    assert met.met_at == P.utc(T0.add(minutes=30))
    at = T0.add(hours=2)
    for event in (
        Resolve(at=at, incident="i1"),
        Invalidate(at=at, incident="i1", reason="vendor_bug"),
    ):
        first, second = run(P, answered, event).incident.response_targets
        assert (first, second.dropped_at, second.met_at) == (met, P.utc(at), None)
    second_due = due(T0.add(hours=1))  # 13:00, two business hours after 11:00
    assert second_due == P.utc(paris(2026, 12, 1, 13))
    breached, fired = advance(P, answered.incident, second_due, inclusive=True)
    first, second = breached.response_targets
    assert (first, second.breached, [n.kind for n in fired]) == (met, True, ["response_overdue"])


# --- replies --------------------------------------------------------------------------------


def test_staff_reply_moves_to_waiting_on_customer() -> None:
    """lifecycle.staff-reply from both waiting states; response_posted to the customer."""
    step = run(P, opened(P, T0), StaffReply(at=T0.add(minutes=1), incident="i1"))
    assert (step.incident.state, sent(step)[-1]) == (
        "waiting_on_customer",
        ("response_posted", "customer"),
    )
    assert allowed("staff_reply", "waiting_on_staff") == (
        RuleId.LIFECYCLE_STAFF_REPLY,
        step.incident.state,
    )
    step = run(P, step, StaffReply(at=T0.add(minutes=2), incident="i1"))
    assert (step.incident.state, sent(step)[-1]) == (
        "waiting_on_customer",
        ("response_posted", "customer"),
    )
    assert allowed("staff_reply", "waiting_on_customer") == (
        RuleId.LIFECYCLE_STAFF_REPLY,
        step.incident.state,
    )


def test_customer_reply_moves_to_waiting_on_staff() -> None:
    """lifecycle.customer-reply from both waiting states; customer_replied to staff."""
    step = run(P, opened(P, T0), StaffReply(at=T0.add(minutes=1), incident="i1"),
               CustomerReply(at=T0.add(minutes=2), incident="i1"))  # fmt: skip
    assert (step.incident.state, sent(step)[-1]) == (
        "waiting_on_staff",
        ("customer_replied", "staff"),
    )
    step = run(P, step, CustomerReply(at=T0.add(minutes=3), incident="i1"))
    assert step.incident.state == "waiting_on_staff"


def test_customer_reply_after_resolution_says_reopen_first() -> None:
    """lifecycle.customer-reply: refused while resolved or closed, naming the state."""
    step = resolved_step()
    refusal = refused(step, CustomerReply(at=T0.add(hours=2), incident="i1"))
    assert refusal.rule is RuleId.LIFECYCLE_CUSTOMER_REPLY
    assert refusal.message == "incident i1 is resolved: reopen it first, then reply"
    closed = run(P, step, Close(at=T0.add(hours=2), incident="i1"))
    assert (
        "is closed: reopen it first"
        in refused(closed, CustomerReply(at=T0.add(hours=3), incident="i1")).message
    )


def test_other_disallowed_events_name_the_state() -> None:
    """lifecycle.invalid-transition: the refusal names the state it was in."""
    step = opened(P, T0)
    cases = [
        (
            step,
            Reopen(at=T0, incident="i1"),
            "cannot reopen incident i1 while it is waiting_on_staff",
        ),
        (
            step,
            Close(at=T0, incident="i1"),
            "cannot close incident i1 while it is waiting_on_staff",
        ),
    ]
    closed = run(P, resolved_step(), Close(at=T0.add(hours=2), incident="i1"))
    later = T0.add(hours=3)
    cases += [
        (closed, StaffReply(at=later, incident="i1"), "cannot post a staff reply on incident i1 while it is closed"),
        (closed, LogTime(at=later, incident="i1", minutes=5), "cannot log time on incident i1 while it is closed"),
        (closed, Extend(at=later, incident="i1"), "cannot extend incident i1 while it is closed"),
        (closed, Resolve(at=later, incident="i1"), "cannot resolve incident i1 while it is closed"),
        (closed, Close(at=later, incident="i1"), "cannot close incident i1 while it is closed"),
    ]  # fmt: skip
    for before, event, message in cases:
        refusal = refused(before, event)
        assert (refusal.rule, refusal.message) == (RuleId.LIFECYCLE_INVALID_TRANSITION, message)


# --- time -----------------------------------------------------------------------------------


def test_time_is_logged_while_waiting_or_resolved() -> None:
    """time.allowance: logged in both waiting states and once resolved; 4 hours per credit."""
    step = run(P, opened(P, T0), LogTime(at=T0.add(minutes=1), incident="i1", minutes=30),
               StaffReply(at=T0.add(minutes=2), incident="i1"),
               LogTime(at=T0.add(minutes=3), incident="i1", minutes=30),
               Resolve(at=T0.add(minutes=4), incident="i1"),
               LogTime(at=T0.add(minutes=5), incident="i1", minutes=30))  # fmt: skip
    assert (step.incident.time_used_minutes, step.incident.allowance_minutes) == (90, 240)
    assert step.incident.state == "resolved"


def test_warning_then_exhausted_with_their_audiences() -> None:
    """time.allowance-warning to the customer once at 60 minutes left;
    time.allowance-exhausted to customer and staff at exactly 240."""
    step = run(P, opened(P, T0), LogTime(at=T0.add(minutes=1), incident="i1", minutes=180))
    assert sent(step)[-1] == ("allowance_warning", "customer")
    step = accepted(
        apply(
            P, step.incident, step.account, LogTime(at=T0.add(minutes=2), incident="i1", minutes=59)
        )
    )
    assert step.notifications == ()
    step = accepted(
        apply(
            P, step.incident, step.account, LogTime(at=T0.add(minutes=3), incident="i1", minutes=1)
        )
    )
    assert sent(step) == [("allowance_exhausted", "customer"), ("allowance_exhausted", "staff")]


def test_log_past_the_allowance_says_how_much_remains() -> None:
    """time.allowance-exceeded: refused, nothing logged, the minutes left in the message."""
    step = run(P, opened(P, T0), LogTime(at=T0.add(minutes=1), incident="i1", minutes=200))
    refusal = refused(step, LogTime(at=T0.add(minutes=2), incident="i1", minutes=41))
    assert refusal.rule is RuleId.TIME_ALLOWANCE_EXCEEDED
    assert refusal.message.startswith("incident i1: logging 41 minutes would exceed")
    assert "40 of 240 minutes remain" in refusal.message


def test_extension_takes_a_credit_and_adds_an_allowance() -> None:
    """time.extension: from the warning level, one more credit, 4 more hours,
    incident_extended to customer and staff; earlier, time.extension-not-needed."""
    step = opened(P, T0)
    not_needed = refused(step, Extend(at=T0.add(minutes=1), incident="i1"))
    assert not_needed.rule is RuleId.TIME_EXTENSION_NOT_NEEDED
    assert not_needed.message.startswith("incident i1: no extension is needed yet: 240 of 240")
    step = run(P, step, LogTime(at=T0.add(minutes=2), incident="i1", minutes=180),
               Extend(at=T0.add(minutes=3), incident="i1"))  # fmt: skip
    assert (step.incident.lots, step.incident.allowance_minutes) == (("p1", "p1"), 480)
    assert step.account.balance(T0.add(minutes=3)) == 1
    assert sent(step)[-2:] == [("incident_extended", "customer"), ("incident_extended", "staff")]


def test_extension_without_a_credit_passes_the_credits_refusal() -> None:
    """credits.none-available: an exhausted single-credit customer cannot extend."""
    account = funded(P, T0, ("p1", "single"))
    step = run(
        P, opened(P, T0, account=account), LogTime(at=T0.add(minutes=1), incident="i1", minutes=240)
    )
    refusal = refused(step, Extend(at=T0.add(minutes=2), incident="i1"))
    assert refusal.rule is RuleId.CREDITS_NONE_AVAILABLE


# --- resolve, close, auto-close -------------------------------------------------------------


def test_resolve_from_either_waiting_state() -> None:
    """lifecycle.resolve: waiting_on_staff or waiting_on_customer to resolved, with
    incident_resolved to the customer and the auto-close 30 days later."""
    for events in ((), (StaffReply(at=T0.add(minutes=1), incident="i1"),)):
        before = run(P, opened(P, T0), *events)
        step = run(P, before, Resolve(at=T0.add(hours=1), incident="i1"))
        assert allowed("resolve", before.incident.state) == (
            RuleId.LIFECYCLE_RESOLVE,
            step.incident.state,
        )
        assert (step.incident.state, step.incident.resolved_at) == (
            "resolved",
            P.utc(T0.add(hours=1)),
        )
        assert step.incident.auto_close_at == P.utc(paris(2026, 12, 31, 11))
        assert sent(step)[-1] == ("incident_resolved", "customer")


def test_auto_close_across_the_autumn_change() -> None:
    """lifecycle.auto-close: resolved 2026-10-10 10:00+02:00 closes exactly at
    2026-11-09 10:00+01:00 (wall clock, 30 days), closed_at is that instant whatever the
    instant advanced to, and incident_closed goes to the customer."""
    resolved_at = pendulum.parse("2026-10-10T10:00:00+02:00")
    closes = pendulum.parse("2026-11-09T10:00:00+01:00")
    assert isinstance(resolved_at, pendulum.DateTime)
    assert isinstance(closes, pendulum.DateTime)
    step = run(P, opened(P, resolved_at.subtract(hours=1)), Resolve(at=resolved_at, incident="i1"))
    assert step.incident.auto_close_at == P.utc(closes)
    assert closes - resolved_at == pendulum.duration(days=30, hours=1)
    still, fired = advance(P, step.incident, closes, inclusive=False)
    assert (still.state, fired) == ("resolved", ())
    closed, fired = advance(P, step.incident, closes.add(days=3), inclusive=False)
    assert (closed.state, closed.closed_at, closed.auto_close_at) == ("closed", P.utc(closes), None)
    assert allowed("auto_close", "resolved") == (RuleId.LIFECYCLE_AUTO_CLOSE, closed.state)
    assert [(n.kind, n.to, n.at) for n in fired] == [("incident_closed", "customer", P.utc(closes))]
    assert closed.reopen_until == P.utc(pendulum.parse("2026-12-09T10:00:00+01:00"))
    assert advance(P, step.incident, closes, inclusive=True)[0] == closed


def test_auto_close_in_the_spring_gap_moves_forward() -> None:
    """A wall-clock time the closing day lacks moves forward by the gap: resolved
    2026-02-27 02:30 CET closes 2026-03-29 03:30 CEST."""
    step = run(
        P, opened(P, paris(2026, 2, 27, 2)), Resolve(at=paris(2026, 2, 27, 2, 30), incident="i1")
    )
    assert P.show(step.incident.auto_close_at) == "2026-03-29 03:30 CEST"


def test_customer_may_close_a_resolved_incident_early() -> None:
    """lifecycle.auto-close: close on a resolved incident closes it now; no auto-close left."""
    step = run(P, resolved_step(), Close(at=T0.add(days=2), incident="i1"))
    incident = step.incident
    assert (incident.state, incident.closed_at, incident.auto_close_at) == (
        "closed",
        P.utc(T0.add(days=2)),
        None,
    )
    assert incident.reopen_until == P.utc(T0.add(days=32))
    assert incident.next_timer_at(P) is None
    assert sent(step)[-1] == ("incident_closed", "customer")
    assert allowed("close", "resolved") == (RuleId.LIFECYCLE_AUTO_CLOSE, incident.state)


def test_auto_close_past_the_year_9999_is_an_error() -> None:
    """Adding 30 days past the calendar's end is a PolicyError, not a crash."""
    at = pendulum.datetime(9999, 12, 20, tz="UTC")
    incident = Incident(
        id="i1", customer="acme", area="setup", state="waiting_on_customer", opened_at=at,
        lots=("p1",), allowance=Allowance(minutes=240),
        response_targets=(ResponseTarget(started_at=at, due_at=at, met_at=at),),
    )  # fmt: skip
    with pytest.raises(PolicyError, match="after the year 9999") as info:
        apply(P, incident, Account("acme"), Resolve(at=at, incident="i1"))
    assert info.value.field == "at"


# --- reopen ---------------------------------------------------------------------------------


def test_reopen_window_edge() -> None:
    """lifecycle.reopen-window: closed 2026-12-05 15:00 CET, the window ends 2027-01-04
    15:00 CET: a reopen at 14:59 is accepted, at 15:00 refused naming that instant."""
    closed = run(P, resolved_step(), Close(at=paris(2026, 12, 5, 15), incident="i1"))
    assert closed.incident.reopen_until == P.utc(paris(2027, 1, 4, 15))
    reopened = run(P, closed, Reopen(at=paris(2027, 1, 4, 14, 59), incident="i1"))
    assert reopened.incident.state == "waiting_on_staff"
    refusal = refused(closed, Reopen(at=paris(2027, 1, 4, 15), incident="i1"))
    assert refusal.rule is RuleId.LIFECYCLE_REOPEN_WINDOW
    assert refusal.message == (
        "the reopen window of incident i1 ended on 2027-01-04 15:00 CET; open a new incident"
    )


def test_reopen_window_follows_the_wall_clock_into_summer_time() -> None:
    """Closed 2027-03-10 15:00 CET, the window ends 2027-04-09 15:00 CEST."""
    at = paris(2027, 3, 1, 10)
    step = run(P, resolved_step(at), Close(at=paris(2027, 3, 10, 15), incident="i1"))
    assert P.show(step.incident.reopen_until) == "2027-04-09 15:00 CEST"


def test_reopen_is_free_and_keeps_time_and_allowance() -> None:
    """lifecycle.reopen-window: back to waiting_on_staff, no credit taken, logged time and
    allowance kept, a new response target, incident_reopened to staff."""
    step = run(P, opened(P, T0), LogTime(at=T0.add(minutes=1), incident="i1", minutes=100),
               Resolve(at=T0.add(hours=1), incident="i1"))  # fmt: skip
    for before in (step, run(P, step, Close(at=T0.add(hours=2), incident="i1"))):
        at = T0.add(days=3)
        after = run(P, before, Reopen(at=at, incident="i1"))
        incident = after.incident
        assert after.account == before.account
        assert (incident.state, incident.lots, incident.time_used_minutes, incident.allowance_minutes) == (
            "waiting_on_staff", ("p1",), 100, 240)  # fmt: skip
        assert (incident.resolved_at, incident.auto_close_at, incident.closed_at, incident.reopen_until) == (
            None, None, None, None)  # fmt: skip
        assert incident.response_targets[-1] == ResponseTarget(started_at=P.utc(at), due_at=due(at))
        assert sent(after)[-1] == ("incident_reopened", "staff")


# --- invalidate -----------------------------------------------------------------------------


def test_invalidate_restores_every_credit_to_its_own_lot() -> None:
    """lifecycle.invalidate and credits.restore: the opening credit (lot p1) and the
    extension's (lot p2, p1 being used up) go back where they came from."""
    account = funded(P, T0, ("p1", "single"), ("p2", "bundle-3"))
    step = run(P, opened(P, T0, account=account), LogTime(at=T0.add(minutes=1), incident="i1", minutes=200),
               Extend(at=T0.add(minutes=2), incident="i1"))  # fmt: skip
    assert step.incident.lots == ("p1", "p2")
    assert [lot.remaining for lot in step.account.lots] == [0, 2]
    step = run(P, step, Invalidate(at=T0.add(minutes=3), incident="i1", reason="unable_to_help"))
    assert [lot.remaining for lot in step.account.lots] == [1, 3]
    incident = step.incident
    assert (incident.state, incident.invalid_reason, incident.credits_used) == (
        "invalid",
        "unable_to_help",
        0,
    )
    assert (incident.time_used_minutes, incident.allowance_minutes) == (200, 480)
    assert sent(step)[-1] == ("incident_invalidated", "customer")


def test_invalidate_from_resolved_and_closed() -> None:
    """Any state but invalid may be invalidated; the auto-close and reopen window go."""
    step = resolved_step()
    for before in (step, run(P, step, Close(at=T0.add(hours=2), incident="i1"))):
        after = run(P, before, Invalidate(at=T0.add(hours=3), incident="i1", reason="out_of_scope"))
        assert (after.incident.state, after.incident.auto_close_at, after.incident.reopen_until) == (
            "invalid", None, None)  # fmt: skip
        assert after.incident.next_timer_at(P) is None
        assert after.account.balance(T0.add(hours=3)) == 3


def test_credit_restored_to_an_expired_lot_stays_expired() -> None:
    """credits.restore: invalidated after its lot expired, the credit is back but unusable."""
    step = opened(P, T0)
    later = T0.add(years=1, days=1)
    step = run(P, step, Invalidate(at=later, incident="i1", reason="vendor_bug"))
    assert step.account.lots[0].remaining == 3
    assert step.account.balance(later) == 0


def test_nothing_changes_an_invalid_incident() -> None:
    """lifecycle.final: every event on an invalid incident is refused, naming the reason."""
    step = run(
        P,
        opened(P, T0),
        Invalidate(at=T0.add(minutes=1), incident="i1", reason="custom_development"),
    )
    at = T0.add(minutes=2)
    for event in (StaffReply(at=at, incident="i1"), CustomerReply(at=at, incident="i1"),
                  LogTime(at=at, incident="i1", minutes=1), Extend(at=at, incident="i1"),
                  Resolve(at=at, incident="i1"), Close(at=at, incident="i1"),
                  Reopen(at=at, incident="i1"),
                  Invalidate(at=at, incident="i1", reason="vendor_bug")):  # fmt: skip
        refusal = refused(step, event)
        assert (refusal.rule, refusal.message) == (
            RuleId.LIFECYCLE_FINAL,
            "incident i1 is invalid (custom_development): nothing can change it",
        )


# --- misuse ---------------------------------------------------------------------------------


def test_misuse_raises_policy_errors() -> None:
    """Another incident's event, another customer's account, a non-incident event, or a
    naive instant to advance to: each error names its field."""
    step = opened(P, T0)
    with pytest.raises(PolicyError) as info:
        apply(P, step.incident, step.account, StaffReply(at=T0, incident="i2"))
    assert (info.value.rule, str(info.value)) == (
        None,
        "incident: event for incident 'i2' applied to 'i1'",
    )
    with pytest.raises(PolicyError) as info:
        apply(P, step.incident, Account("zeta"), StaffReply(at=T0, incident="i1"))
    assert (info.value.rule, str(info.value)) == (
        None,
        "customer: incident of 'acme' given the account of 'zeta'",
    )
    purchase = Purchase(at=T0, customer="acme", id="p9", product="single")
    with pytest.raises(PolicyError) as info:
        apply(P, step.incident, step.account, purchase)  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "type")
    assert str(info.value) == "input.malformed: type: not an incident event: Purchase"
    with pytest.raises(PolicyError) as info:
        advance(P, step.incident, datetime(2026, 12, 2, 10), inclusive=True)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "until")


def test_handlers_check_the_event_they_read() -> None:
    """A handler reads its own event's fields; given another type it raises
    (input.malformed), a check that stays under ``python -O``."""
    with pytest.raises(PolicyError) as info:
        _event_as(StaffReply(at=T0, incident="i1"), LogTime)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "type")
    assert str(info.value) == "input.malformed: type: expected LogTime, got StaffReply"
    event = Invalidate(at=T0, incident="i1", reason="vendor_bug")
    assert _event_as(event, Invalidate) is event


def test_refusal_changes_nothing_even_after_timers() -> None:
    """A refusal is returned alone, judged after the timers due before it (the auto-close),
    yet the caller's incident and account are exactly what they were, timers unfired:
    the next advance fires them, at their own instant."""
    step = resolved_step()
    auto_close = step.incident.auto_close_at
    assert auto_close is not None
    incident, account = copy.deepcopy(step.incident), copy.deepcopy(step.account)
    refusal = refused(step, CustomerReply(at=auto_close.add(days=1), incident="i1"))
    assert (refusal.rule, refusal.message) == (
        RuleId.LIFECYCLE_CUSTOMER_REPLY,
        "incident i1 is closed: reopen it first, then reply",
    )
    assert (step.incident, step.account) == (incident, account)
    assert step.incident.next_timer_at(P) == auto_close
    closed, fired = advance(P, step.incident, auto_close.add(days=1), inclusive=False)
    assert (closed.state, [(n.kind, n.at) for n in fired]) == (
        "closed",
        [("incident_closed", auto_close)],
    )


def test_a_guard_refusal_after_the_auto_close_is_returned_alone() -> None:
    """lifecycle.reopen-window: resolved 2026-12-01 11:00 CET, auto-closed 2026-12-31
    11:00, so a reopen at 2027-01-30 11:00 is refused by the window; the auto-close it
    fired on the way is not sent, and the caller's incident is still resolved."""
    step = resolved_step()
    assert step.incident.auto_close_at == P.utc(paris(2026, 12, 31, 11))
    refusal = refused(step, Reopen(at=paris(2027, 1, 30, 11), incident="i1"))
    assert (refusal.rule, refusal.message) == (
        RuleId.LIFECYCLE_REOPEN_WINDOW,
        "the reopen window of incident i1 ended on 2027-01-30 11:00 CET; open a new incident",
    )
    assert step.incident.state == "resolved"


def test_open_incident_refuses_a_non_open_event_naming_the_event_field() -> None:
    """Anything but an Open event is input.malformed naming ``event``, not an
    AttributeError."""
    with pytest.raises(PolicyError) as info:
        open_incident(P, funded(P, T0), None)  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "event")
    with pytest.raises(PolicyError) as info:
        open_incident(P, funded(P, T0), StaffReply(at=T0, incident="i1"))  # type: ignore[arg-type]
    assert str(info.value) == "input.malformed: event: expected an Open event, got StaffReply"


def test_a_customer_acts_only_on_their_own_incident() -> None:
    """input.owner: a customer-side event naming another customer is refused before the
    incident's state or timers are judged (even past its auto-close); the owner acts."""
    step = resolved_step()
    auto_close = step.incident.auto_close_at
    assert auto_close is not None
    later = auto_close.add(days=1)
    refusal = refused(step, Reopen(at=later, incident="i1", customer="globex"))
    assert (refusal.rule, refusal.message) == (
        RuleId.INPUT_OWNER,
        "incident i1 is not one of the incidents of globex: a customer acts only on their own",
    )
    reopened = apply(
        P, step.incident, step.account, Reopen(at=later, incident="i1", customer="acme")
    )
    assert isinstance(reopened, Step)
    assert reopened.incident.state == "waiting_on_staff"


def test_invalidate_deals_first_with_the_notices_its_emptied_lot_passed() -> None:
    """credits.restore through an invalidation: the one credit of a lot, held by the
    incident past the lot's expiring notice, comes back with that notice dealt with (it
    fell while the lot held nothing), so the only timer left is the expiry."""
    step = opened(P, T0, account=funded(P, T0, ("p1", "single")))
    assert step.account.lots[0].remaining == 0
    later = T0.add(years=1).subtract(days=1)  # past the notice, before the expiry
    step = run(P, step, Invalidate(at=later, incident="i1", reason="vendor_bug"))
    (lot,) = step.account.lots
    assert (lot.remaining, lot.notices) == (1, ("credits_expiring",))
    assert step.account.next_timer_at(P) == lot.expires_at
