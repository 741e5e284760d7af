"""A state machine over one account and several incidents: random events and time jumps,
with the incident wing's invariants checked after every step.

Time passes as the engine lets it: the account and the incidents are advanced only to
the instants their ``next_timer_at`` names, earliest first, so a timer one of them
fails to report never fires, and anything sent late (an expiry notice revived by the
credits an invalidation restores) breaks the time order of all notifications."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pendulum
from attrs import evolve
from hypothesis import event as observe
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from premier_policy import (
    Account,
    Close,
    CustomerReply,
    Extend,
    Incident,
    IncidentEvent,
    Invalidate,
    LogTime,
    Notification,
    Open,
    Policy,
    Purchase,
    Refusal,
    Reopen,
    Resolve,
    RuleId,
    StaffReply,
    Step,
    advance,
    apply,
    open_incident,
)
from premier_policy.incidents._states import TRANSITIONS, Kind
from tests._incidents import paris

# Small numbers so that warnings, extensions, auto-closes and reopen windows happen often.
POLICY = Policy(allowance_minutes=90, warning_minutes=30, auto_close_days=3, reopen_days=2)
START = paris(2026, 3, 27, 17)  # the Friday before the spring change in Paris

KINDS: dict[Kind, Any] = {
    "staff_reply": st.builds(dict),
    "customer_reply": st.builds(dict),
    # Multiples of 15 land exactly on the allowance often (allowance_exhausted).
    "log_time": st.fixed_dictionaries(
        {
            "minutes": st.one_of(
                st.sampled_from((15, 30, 45)), st.integers(min_value=1, max_value=100)
            )
        }
    ),
    "extend": st.builds(dict),
    "resolve": st.builds(dict),
    "close": st.builds(dict),
    "reopen": st.builds(dict),
    "invalidate": st.fixed_dictionaries(
        {
            "reason": st.sampled_from(
                ("out_of_scope", "custom_development", "unable_to_help", "vendor_bug")
            )
        }
    ),
}
EVENTS: dict[Kind, type[IncidentEvent]] = {
    "staff_reply": StaffReply,
    "customer_reply": CustomerReply,
    "log_time": LogTime,
    "extend": Extend,
    "resolve": Resolve,
    "close": Close,
    "reopen": Reopen,
    "invalidate": Invalidate,
}
JUMPS = st.one_of(
    st.builds(pendulum.duration, minutes=st.integers(min_value=1, max_value=600)),
    st.builds(pendulum.duration, days=st.integers(min_value=1, max_value=6)),
    st.builds(pendulum.duration, days=st.integers(min_value=100, max_value=400)),
)

#: Steps run across all examples (read by the report, not asserted).
STEPS = Counter[str]()


class IncidentLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = POLICY.utc(START)
        self.account = Account("acme")
        self.incidents: dict[str, Incident] = {}
        self.sent: list[Notification] = []
        self.invalid: set[str] = set()
        self.purchases = 0

    def _keep(self, notifications: tuple[Notification, ...]) -> None:
        for n in notifications:
            observe(f"sent {n.kind}")
        assert all(n.at <= self.now for n in notifications)
        self.sent.extend(notifications)

    @initialize(product=st.sampled_from(("single", "bundle-3")))
    def start(self, product: str) -> None:
        self.buy(product)
        self.open("setup")

    @precondition(lambda self: self.purchases < 4)
    @rule(product=st.sampled_from(("single", "bundle-3")))
    def buy(self, product: str) -> None:
        STEPS["buy"] += 1
        self.purchases += 1
        event = Purchase(at=self.now, customer="acme", id=f"p{self.purchases}", product=product)
        bought = self.account.purchase(POLICY, event)
        assert not isinstance(bought, Refusal)
        self.account = bought.account

    @rule(
        jump=JUMPS,
        inclusive=st.booleans(),
    )
    def wait(self, jump: pendulum.Duration, inclusive: bool) -> None:
        STEPS["wait"] += 1
        self.now = self.now + jump
        while (due := self._next_timer()) is not None and (
            due[0] < self.now or (inclusive and due[0] == self.now)
        ):
            at, key = due
            if key is None:
                self.account, fired = self.account.advance(POLICY, at, inclusive=True)
            else:
                self.incidents[key], fired = advance(
                    POLICY, self.incidents[key], at, inclusive=True
                )
            assert all(n.at == at for n in fired)
            self._keep(fired)

    def _next_timer(self) -> tuple[pendulum.DateTime, str | None] | None:
        """The earliest timer and whose it is (None: the account's), as the engine sees."""
        timers: list[tuple[pendulum.DateTime, str | None]] = [
            (at, key) for key, i in self.incidents.items()
            if (at := i.next_timer_at(POLICY)) is not None
        ]  # fmt: skip
        if (at := self.account.next_timer_at(POLICY)) is not None:
            timers.append((at, None))
        return min(timers, key=lambda t: t[0], default=None)

    @precondition(lambda self: len(self.incidents) < 5)
    @rule(area=st.sampled_from(("setup", "running", "configuration", "minor_tweaking",
                                "custom_development", "billing")))  # fmt: skip
    def open(self, area: str) -> None:
        STEPS["open"] += 1
        key = f"i{len(self.incidents)}"
        balance = self.account.balance(self.now)
        result = open_incident(
            POLICY, self.account, Open(at=self.now, customer="acme", id=key, area=area)
        )
        if isinstance(result, Refusal):
            expected = {
                "custom_development": RuleId.SCOPE_CUSTOM_DEVELOPMENT,
                "billing": RuleId.SCOPE_OUTSIDE_AREAS,
            }.get(area, RuleId.CREDITS_NONE_AVAILABLE)
            assert result.rule is expected
            assert expected is not RuleId.CREDITS_NONE_AVAILABLE or balance == 0
            return
        assert balance > 0
        assert result.account.balance(self.now) == balance - 1
        self.account = result.account
        self.incidents[key] = result.incident
        self._keep(result.notifications)

    # One rule per kind, so that events outweigh purchases, openings and waits.
    @precondition(lambda self: self.incidents)
    @rule(data=st.data())
    def staff_reply(self, data: st.DataObject) -> None:
        self._event(data, "staff_reply")

    @precondition(lambda self: self.incidents)
    @rule(data=st.data())
    def customer_reply(self, data: st.DataObject) -> None:
        self._event(data, "customer_reply")

    @precondition(lambda self: self.incidents)
    @rule(data=st.data())
    def log_time(self, data: st.DataObject) -> None:
        self._event(data, "log_time")

    @precondition(lambda self: self.incidents)
    @rule(data=st.data())
    def extend(self, data: st.DataObject) -> None:
        self._event(data, "extend")

    @precondition(lambda self: self.incidents)
    @rule(data=st.data())
    def resolve(self, data: st.DataObject) -> None:
        self._event(data, "resolve")

    @precondition(lambda self: self.incidents)
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        self._event(data, "close")

    @precondition(lambda self: self.incidents)
    @rule(data=st.data())
    def reopen(self, data: st.DataObject) -> None:
        self._event(data, "reopen")

    @precondition(lambda self: self.incidents)
    @rule(data=st.data())
    def invalidate(self, data: st.DataObject) -> None:
        self._event(data, "invalidate")

    def _event(self, data: st.DataObject, kind: Kind) -> None:
        STEPS[kind] += 1
        # Mostly live incidents: an invalid one refuses everything, once is enough.
        live = sorted(k for k, i in self.incidents.items() if i.state != "invalid")
        any_incident = data.draw(st.integers(0, 9)) == 0
        pool = sorted(self.incidents) if any_incident or not live else live
        key = data.draw(st.sampled_from(pool))
        fields = data.draw(KINDS[kind])
        event = EVENTS[kind](at=self.now, incident=key, **fields)
        before, account = self.incidents[key], self.account
        result = apply(POLICY, before, account, event)
        observe(f"{kind}: {result.rule if isinstance(result, Refusal) else 'accepted'}")
        if isinstance(result, Refusal):
            STEPS["refused"] += 1
            self._check_refusal(kind, before, account, result, fields)
            return
        self._check_step(kind, before, account, result)
        self.incidents[key], self.account = result.incident, result.account
        self._keep(result.notifications)

    def _check_refusal(
        self,
        kind: Kind,
        before: Incident,
        account: Account,
        refusal: Refusal,
        fields: dict[str, Any],
    ) -> None:
        # Refusals change nothing: the values held are untouched (frozen) and a retry is
        # refused the same way.
        assert (
            apply(POLICY, before, account, EVENTS[kind](at=self.now, incident=before.id, **fields))
            == refusal
        )
        settled, _ = advance(POLICY, before, self.now, inclusive=False)
        move = TRANSITIONS.move(kind, settled.state)
        if isinstance(move, RuleId):
            assert refusal.rule is move
        elif kind == "reopen":
            assert refusal.rule is RuleId.LIFECYCLE_REOPEN_WINDOW
            assert settled.reopen_until is not None
            assert self.now >= settled.reopen_until
        elif kind == "log_time":
            assert refusal.rule is RuleId.TIME_ALLOWANCE_EXCEEDED
            assert fields["minutes"] > settled.allowance.remaining
        else:
            assert kind == "extend"
            if refusal.rule is RuleId.TIME_EXTENSION_NOT_NEEDED:
                assert settled.allowance.remaining > POLICY.warning_minutes
            else:
                assert refusal.rule is RuleId.CREDITS_NONE_AVAILABLE
                assert account.balance(self.now) == 0

    def _check_step(self, kind: Kind, before: Incident, account: Account, step: Step) -> None:
        after = step.incident
        assert after.id == before.id
        if kind == "reopen":
            # A reopen never takes a credit: same account, same lots, time and allowance kept.
            assert step.account == account
            assert (after.lots, after.allowance.used, after.allowance.minutes) == (
                before.lots, before.allowance.used, before.allowance.minutes)  # fmt: skip
        if kind == "extend":
            assert step.account.balance(self.now) == account.balance(self.now) - 1
            assert len(after.lots) == len(before.lots) + 1
        if kind == "invalidate":
            assert after.lots == ()
            assert after.state == "invalid"
            self.invalid.add(after.id)

    @invariant()
    def credits_are_conserved(self) -> None:
        """Credits held by incidents + remaining in lots (expired ones included) ==
        credits bought; and each lot lacks exactly the credits incidents hold from it."""
        held = Counter(lot for incident in self.incidents.values() for lot in incident.lots)
        bought = sum(lot.credits for lot in self.account.lots)
        assert sum(held.values()) + sum(lot.remaining for lot in self.account.lots) == bought
        for lot in self.account.lots:
            assert lot.credits - lot.remaining == held[lot.id]

    @invariant()
    def values_pass_their_own_checks(self) -> None:
        """The transitions copy values, and an opening makes them, without re-checking
        them (for speed): rebuilt
        through their checked constructors, the incidents, their targets and
        allowances, the account and its lots are all still valid, and unchanged."""
        for incident in self.incidents.values():
            assert evolve(incident) == incident
            assert evolve(incident.allowance) == incident.allowance
            for target in incident.response_targets:
                assert evolve(target) == target
        assert evolve(self.account) == self.account
        for lot in self.account.lots:
            assert evolve(lot) == lot

    @invariant()
    def nothing_leaves_invalid(self) -> None:
        for key in self.invalid:
            assert self.incidents[key].state == "invalid"
            assert self.incidents[key].lots == ()

    @invariant()
    def logged_time_fits_the_allowance(self) -> None:
        for incident in self.incidents.values():
            assert 0 <= incident.time_used_minutes <= incident.allowance_minutes
            if incident.state != "invalid":
                assert (
                    incident.allowance_minutes == POLICY.allowance_minutes * incident.credits_used
                )

    @invariant()
    def breaches_are_real(self) -> None:
        """Every breached target had no staff reply by its due instant, and staff heard
        of it at that instant. An overdue notice without a breach happens only when an
        inclusive advance fired the timer and a reply then came at that same instant."""
        notices = Counter((n.incident, n.at) for n in self.sent if n.kind == "response_overdue")
        breached: Counter[tuple[str | None, pendulum.DateTime]] = Counter()
        replied_at_due: Counter[tuple[str | None, pendulum.DateTime]] = Counter()
        for incident in self.incidents.values():
            for target in incident.response_targets:
                key: tuple[str | None, pendulum.DateTime] = (incident.id, target.due_at)
                if target.breached:
                    assert target.met_at is None or target.met_at > target.due_at
                    assert target.dropped_at is None or target.dropped_at >= target.due_at
                    breached[key] += 1
                elif target.met_at is not None:
                    assert target.met_at <= target.due_at
                    replied_at_due[key] += target.met_at == target.due_at
        for seen in notices.keys() | breached.keys():
            assert breached[seen] <= notices[seen] <= breached[seen] + replied_at_due[seen]

    @invariant()
    def timers_are_not_overdue(self) -> None:
        """Time moves only in wait, which fires every timer before now: none is left due
        strictly before now, the account's included (after an invalidation too)."""
        for incident in self.incidents.values():
            next_at = incident.next_timer_at(POLICY)
            assert next_at is None or next_at >= self.now
        next_at = self.account.next_timer_at(POLICY)
        assert next_at is None or next_at >= self.now

    @invariant()
    def notifications_in_time_order(self) -> None:
        """Every notification so far, of the account and of all incidents, in
        non-decreasing time: what an engine driven by the timers would send."""
        instants = [n.at for n in self.sent]
        assert instants == sorted(instants)


IncidentLife.TestCase.settings = settings(IncidentLife.TestCase.settings, stateful_step_count=50)
TestIncidentLife = IncidentLife.TestCase
