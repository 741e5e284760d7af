"""An account driven at random against a model: conservation, consume order, restore
to the right lot, refusals changing nothing, expiry notices once each and in time order
(credits.consume-order, credits.none-available, credits.restore, credits.no-refunds,
credits.expiry-notice, credits.validity, input.duplicate-id, input.timers).

Time passes as the engine lets it: the account is advanced only to the instants its
``next_timer_at`` names, so a timer it fails to report is never fired, and a notice
sent late shows up out of time order."""

from __future__ import annotations

import calendar
from collections import Counter
from datetime import datetime, timedelta

import pendulum
import pytest
from attrs import define, evolve
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
    Consumed,
    Notification,
    Policy,
    PolicyError,
    Purchase,
    Purchased,
    RefundRequest,
    Refusal,
    RuleId,
)

CUSTOMER = "acme"
PARIS = pendulum.timezone("Europe/Paris")
CREDITS = {"single": 1, "bundle-3": 3}
POLICIES = (
    Policy(),
    Policy(validity_years=2, expiry_notice_days=0),
    Policy(expiry_notice_days=400),  # longer than a lot lasts: announced when bought
)
STARTS = (
    pendulum.datetime(2026, 1, 1),
    pendulum.datetime(2028, 2, 29, 9),  # leap day, 10:00 Paris
    pendulum.datetime(2026, 10, 25, 0, 30),  # 02:30 CEST, just before the clock goes back
)
#: Rule executions (STEPS) and their outcomes (SEEN), all runs of this module together;
#: read by whoever measures how much CI exercised.
STEPS: Counter[str] = Counter()
SEEN: Counter[str] = Counter()


@define
class ModelLot:
    """What the model knows of a lot, worked out without the library's helpers."""

    credits: int
    purchased_at: pendulum.DateTime
    expires_at: pendulum.DateTime
    notices: dict[str, pendulum.DateTime]  # kind -> when it falls due
    consumed: int = 0  # taken and not restored

    @property
    def remaining(self) -> int:
        return self.credits - self.consumed


def add_years(t: pendulum.DateTime, years: int) -> pendulum.DateTime:
    """The model's own wall-clock year: 29 February falls back to 28 February."""
    local = t.in_timezone(PARIS)
    year = local.year + years
    # Not local.replace(year=...): on a wall time the new day lacks (a spring gap)
    # pendulum's replace moves the clock back an hour, and the rebuild below would
    # start from that hour instead of the wall time bought.
    day = 28 if (local.month, local.day) == (2, 29) and not calendar.isleap(year) else local.day
    # Rebuild through the zone so a gap or fold resolves as pendulum's arithmetic does.
    rebuilt = pendulum.datetime(
        *(year, local.month, day),
        *(local.hour, local.minute, local.second, local.microsecond),
        tz=PARIS,
    )
    return rebuilt.in_timezone("UTC")


class AccountMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.policy = POLICIES[0]
        self.now = STARTS[0]
        self.account = Account(CUSTOMER)
        self.lots: dict[str, ModelLot] = {}
        self.taken: list[str] = []  # lot IDs of credits consumed and not restored
        self.handled: set[tuple[str, str]] = set()  # (lot ID, notice kind) dealt with
        self.log: list[Notification] = []

    # --- the model's expectations ----------------------------------------------------

    def notice_instants(
        self, purchased_at: pendulum.DateTime, expires_at: pendulum.DateTime
    ) -> dict[str, pendulum.DateTime]:
        due = {"credits_expired": expires_at}
        days = self.policy.expiry_notice_days
        if days:
            before = expires_at.in_timezone(PARIS).subtract(days=days).in_timezone("UTC")
            due["credits_expiring"] = max(before, purchased_at)
        return due

    def usable(self, at: pendulum.DateTime) -> list[str]:
        return [
            lot_id
            for lot_id, lot in self.lots.items()
            if lot.purchased_at <= at < lot.expires_at and lot.remaining > 0
        ]

    def record(self, notes: tuple[Notification, ...]) -> None:
        self.log.extend(notes)

    # --- rules -----------------------------------------------------------------------

    @initialize(
        policy=st.sampled_from(POLICIES),
        start=st.sampled_from(STARTS),
        first=st.sampled_from([None, *sorted(CREDITS)]),
    )
    def choose(self, policy: Policy, start: pendulum.DateTime, first: str | None) -> None:
        self.policy, self.now = policy, start
        if first is not None:  # most runs start with credits, so more of them get used
            self.purchase(first, 1, retry=False)

    @rule(
        product=st.sampled_from(sorted(CREDITS)),
        count=st.integers(1, 3),
        retry=st.sampled_from([False, False, False, True]),
        years=st.sampled_from([None, 1, 3]),
    )
    def buy(self, product: str, count: int, retry: bool, years: int | None) -> None:
        """Some purchases use another validity (as if the policy had changed), so that
        lots bought later may expire sooner and consume order differs from purchase order."""
        STEPS["buy"] += 1
        self.purchase(product, count, retry=retry, years=years)

    def purchase(self, product: str, count: int, *, retry: bool, years: int | None = None) -> None:
        policy = self.policy if years is None else evolve(self.policy, validity_years=years)
        lot_id = min(self.lots) if retry and self.lots else f"p{len(self.lots)}"
        event = Purchase(at=self.now, customer=CUSTOMER, id=lot_id, product=product, count=count)
        before = self.account
        outcome = self.account.purchase(policy, event)
        if lot_id in self.lots:
            SEEN["buy refused"] += 1
            assert isinstance(outcome, Refusal)
            assert outcome.rule is RuleId.INPUT_DUPLICATE_ID
            assert self.account == before
            return
        assert isinstance(outcome, Purchased)
        expires_at = add_years(self.now, policy.validity_years)
        expected = ModelLot(
            credits=CREDITS[product] * count,
            purchased_at=self.now,
            expires_at=expires_at,
            notices=self.notice_instants(self.now, expires_at),
        )
        lot = outcome.lot
        assert (lot.id, lot.credits, lot.remaining) == (lot_id, expected.credits, expected.credits)
        assert (lot.purchased_at, lot.expires_at) == (expected.purchased_at, expected.expires_at)
        assert lot.price == self.policy.catalog.product(product).price * count
        assert [(n.at, n.kind) for n in outcome.notifications] == [(self.now, "credits_purchased")]
        self.lots[lot_id] = expected
        self.account = outcome.account
        self.record(outcome.notifications)

    @rule()
    def consume(self) -> None:
        STEPS["consume"] += 1
        usable = self.usable(self.now)
        before = self.account
        outcome = self.account.consume(self.policy, self.now)
        if not usable:
            SEEN["consume refused"] += 1
            assert isinstance(outcome, Refusal)
            assert outcome.rule is RuleId.CREDITS_NONE_AVAILABLE
            assert self.account == before
            return
        first = min(usable, key=lambda i: (self.lots[i].expires_at, self.lots[i].purchased_at, i))
        assert isinstance(outcome, Consumed)
        assert outcome.lot_id == first
        self.lots[first].consumed += 1
        self.taken.append(first)
        self.account = outcome.account

    @precondition(lambda self: bool(self.taken))
    @rule(data=st.data())
    def restore(self, data: st.DataObject) -> None:
        STEPS["restore"] += 1
        lot_id = data.draw(st.sampled_from(self.taken))
        before = self.account
        self.account = self.account.restore(lot_id, policy=self.policy, at=self.now)
        self.taken.remove(lot_id)
        lot = self.lots[lot_id]
        if not lot.remaining:  # its notices passed while it was empty are dealt with
            self.handled |= {(lot_id, k) for k, at in lot.notices.items() if at < self.now}
        lot.consumed -= 1
        # Exactly that lot gained exactly one credit; nothing else moved.
        for old, new in zip(before.lots, self.account.lots, strict=True):
            if old.id == lot_id:
                assert (new.remaining, new.expires_at) == (old.remaining + 1, old.expires_at)
            else:
                assert new == old

    @rule(data=st.data())
    def restore_too_much(self, data: st.DataObject) -> None:
        STEPS["restore_too_much"] += 1
        full = [i for i, lot in self.lots.items() if not lot.consumed]
        lot_id = data.draw(st.sampled_from([*full, "unknown"]))
        before = self.account
        with pytest.raises(PolicyError) as info:
            self.account.restore(lot_id)
        assert info.value.rule is RuleId.CREDITS_RESTORE
        assert self.account == before

    @rule(data=st.data())
    def ask_refund(self, data: st.DataObject) -> None:
        STEPS["ask_refund"] += 1
        purchase = data.draw(st.sampled_from([*sorted(self.lots), "unknown"]))
        before = self.account
        event = RefundRequest(at=self.now, customer=CUSTOMER, purchase=purchase)
        outcome = self.account.refund(self.policy, event)
        assert outcome.rule is RuleId.CREDITS_NO_REFUNDS
        assert self.account == before

    @rule(
        # Mostly hours or weeks, sometimes past a whole validity.
        minutes=st.one_of(
            st.integers(0, 180), st.integers(0, 60 * 24 * 30), st.integers(0, 60 * 24 * 400)
        ),
        inclusive=st.booleans(),
    )
    def pass_time(self, minutes: int, inclusive: bool) -> None:
        STEPS["pass_time"] += 1
        self.wait(self.now + timedelta(minutes=minutes), inclusive)

    @rule(inclusive=st.booleans())
    def until_next_timer(self, inclusive: bool) -> None:
        """Land exactly on the next timer, where exclusive and inclusive differ."""
        STEPS["until_next_timer"] += 1
        due = self.account.next_timer_at(self.policy)
        if due is not None:
            self.wait(due, inclusive)

    def wait(self, until: datetime, inclusive: bool) -> None:
        """Let time pass to ``until`` as the engine does: while next_timer_at names an
        instant before it (or at it, if ``inclusive``), advance the account to that
        instant, inclusive. The model deals with every notice due in that span: sent if
        its lot then holds credits, silently passed otherwise."""
        until = pendulum.instance(until).in_timezone("UTC")
        expected = []
        for lot_id, lot in self.lots.items():
            for kind, at in lot.notices.items():
                due = at < until or (inclusive and at == until)
                # An empty lot's notices are never sent; they are dealt with when passed.
                if due and lot.remaining and (lot_id, kind) not in self.handled:
                    self.handled.add((lot_id, kind))
                    expected.append((at, kind))
        notes: list[Notification] = []
        while (timer := self.account.next_timer_at(self.policy)) is not None and (
            timer < until or (inclusive and timer == until)
        ):
            # Nothing is due strictly before the next timer: an exclusive advance to it
            # changes nothing.
            assert self.account.advance(self.policy, timer, inclusive=False) == (self.account, ())
            self.account, fired = self.account.advance(self.policy, timer, inclusive=True)
            assert all(n.at == timer for n in fired)
            assert self.account.next_timer_at(self.policy) != timer  # the timer moved on
            notes += fired
        assert sorted((n.at, n.kind) for n in notes) == sorted(expected)
        assert all((n.to, n.customer, n.incident) == ("customer", CUSTOMER, None) for n in notes)
        SEEN["notices"] += len(notes)
        self.record(tuple(notes))
        self.now = until

    # --- invariants --------------------------------------------------------------------

    @invariant()
    def conservation(self) -> None:
        """credits = remaining + consumed_and_not_restored, remaining >= 0, per lot."""
        assert [lot.id for lot in self.account.lots] == list(self.lots)
        taken = Counter(self.taken)
        for lot in self.account.lots:
            assert lot.credits == self.lots[lot.id].credits
            assert lot.remaining >= 0
            assert lot.credits == lot.remaining + taken[lot.id]

    @invariant()
    def balance_is_the_valid_remaining(self) -> None:
        """The usable balance, at now and at every lot boundary, sums the valid lots."""
        instants = {self.now}
        for lot in self.lots.values():
            instants |= {
                lot.purchased_at,
                lot.expires_at,
                lot.expires_at - timedelta(microseconds=1),
            }
        for at in instants:
            expected = sum(
                lot.remaining
                for lot in self.lots.values()
                if lot.purchased_at <= at < lot.expires_at
            )
            assert self.account.balance(at) == expected

    @invariant()
    def next_timer_is_the_first_pending_notice(self) -> None:
        """The next timer is the earliest notice that will be sent: not yet dealt with,
        of a lot holding credits (an empty lot's would never be sent). Time never leaves
        one behind."""
        pending = [
            at
            for lot_id, lot in self.lots.items()
            for kind, at in lot.notices.items()
            if (lot_id, kind) not in self.handled and lot.remaining
        ]
        due = self.account.next_timer_at(self.policy)
        assert due == min(pending, default=None)
        assert due is None or due >= self.now

    @invariant()
    def notifications_in_time_order(self) -> None:
        """Every notification so far, purchases and notices, in non-decreasing time."""
        instants = [n.at for n in self.log]
        assert instants == sorted(instants)


AccountMachine.TestCase.settings = settings(
    AccountMachine.TestCase.settings, stateful_step_count=50
)
TestAccountMachine = AccountMachine.TestCase
