"""One customer's account: purchase, consume order, restore, refunds, expiry notices
(credits.validity, credits.consume-order, credits.none-available, credits.restore,
credits.no-refunds, credits.expiry-notice, input.duplicate-id)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pendulum
import pytest

from premier_policy import (
    Account,
    Consumed,
    Money,
    Policy,
    PolicyError,
    Purchase,
    Purchased,
    RefundRequest,
    Refusal,
    RuleId,
)

POLICY = Policy()
PARIS = "Europe/Paris"


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=PARIS)


def buy(
    account: Account,
    purchase_id: str,
    at: datetime,
    product: str = "single",
    count: int = 1,
    policy: Policy = POLICY,
) -> Account:
    done = account.purchase(
        policy,
        Purchase(at=at, customer=account.customer, id=purchase_id, product=product, count=count),
    )
    assert isinstance(done, Purchased)
    return done.account


def take(account: Account, at: datetime) -> tuple[Account, str]:
    done = account.consume(POLICY, at)
    assert isinstance(done, Consumed)
    return done.account, done.lot_id


def refused(outcome: object, rule: RuleId) -> str:
    assert isinstance(outcome, Refusal)
    assert outcome.rule is rule
    return outcome.message


# --- purchase ----------------------------------------------------------------------


def test_purchase_makes_one_lot_of_count_units() -> None:
    """Two bundle-3 bought at once: one lot of 6 credits at 450.00, valid one year,
    stored in UTC, and the customer is told at the purchase instant."""
    at = paris(2026, 11, 27, 10)
    done = Account("acme").purchase(
        POLICY, Purchase(at=at, customer="acme", id="p1", product="bundle-3", count=2)
    )
    assert isinstance(done, Purchased)
    lot = done.lot
    assert (lot.id, lot.product, lot.credits, lot.remaining) == ("p1", "bundle-3", 6, 6)
    assert lot.price == Money("450.00", "USD")
    assert (lot.purchased_at, lot.expires_at) == (at, paris(2027, 11, 27, 10))
    assert lot.purchased_at.tzinfo is pendulum.UTC
    assert done.account.lots == (lot,)
    assert [(n.at, n.kind, n.to, n.customer, n.incident) for n in done.notifications] == [
        (at, "credits_purchased", "customer", "acme", None)
    ]


def test_leap_day_purchase() -> None:
    """credits.validity: bought 2028-02-29 10:00 Paris, expires 2029-02-28 10:00 Paris."""
    account = buy(Account("acme"), "p1", paris(2028, 2, 29, 10))
    lot = account.lot("p1")
    assert lot.expires_at == paris(2029, 2, 28, 10)
    assert account.balance(paris(2029, 2, 28, 9, 59)) == 1
    assert account.balance(paris(2029, 2, 28, 10)) == 0
    at_expiry = refused(
        account.consume(POLICY, paris(2029, 2, 28, 10)), RuleId.CREDITS_NONE_AVAILABLE
    )
    assert "lot p1 expired at 10:00" in at_expiry


def test_purchase_across_dst_keeps_the_wall_clock_time() -> None:
    """credits.validity: bought Saturday 2026-03-28 10:00 CET, the lot expires on
    2027-03-28 at 10:00 CEST (summer time started that night): same wall clock, one hour
    less of elapsed time than 365 days."""
    bought = paris(2026, 3, 28, 10)
    lot = buy(Account("acme"), "p1", bought).lot("p1")
    assert POLICY.show(lot.expires_at) == "2027-03-28 10:00 CEST"
    assert lot.expires_at - lot.purchased_at == timedelta(days=365, hours=-1)


def test_duplicate_purchase_id_is_refused_and_changes_nothing() -> None:
    """input.duplicate-id: retrying purchase p1 never charges twice."""
    account = buy(Account("acme"), "p1", paris(2026, 11, 27, 10))
    before = account
    retry = Purchase(at=paris(2026, 11, 28, 10), customer="acme", id="p1", product="bundle-3")
    message = refused(account.purchase(POLICY, retry), RuleId.INPUT_DUPLICATE_ID)
    assert message == (
        "purchase p1 was already recorded on 2026-11-27 10:00 CET; it is not charged again"
    )
    assert account == before
    assert account.balance(paris(2026, 11, 28, 10)) == 1


def test_unknown_product_is_malformed() -> None:
    """input.malformed on field product, checked before the duplicate ID."""
    account = buy(Account("acme"), "p1", paris(2026, 11, 27, 10))
    for purchase_id in ("p2", "p1"):
        event = Purchase(at=paris(2026, 11, 28), customer="acme", id=purchase_id, product="gold")
        with pytest.raises(PolicyError) as info:
            account.purchase(POLICY, event)
        assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "product")


def test_events_for_another_customer_are_misuse() -> None:
    """The engine keeps one account per customer; crossing them is a programmer error."""
    at = paris(2026, 11, 27, 10)
    with pytest.raises(PolicyError) as info:
        Account("acme").purchase(
            POLICY, Purchase(at=at, customer="globex", id="p1", product="single")
        )
    assert str(info.value) == "customer: an event for 'globex' applied to the account of 'acme'"
    with pytest.raises(PolicyError):
        Account("acme").refund(POLICY, RefundRequest(at=at, customer="globex", purchase="p1"))


def test_an_account_is_given_lots_it_can_index() -> None:
    """Lots are an iterable of distinct Lot values; each refusal names lots and says why."""
    lot = next(iter(buy(Account("acme"), "p1", paris(2026, 11, 27, 10)).lots))
    refusals = [
        (3, "expected an iterable of lots, got int"),
        ([lot, "p2"], "expected Lot, got str"),
    ]
    refusals.append(([lot, lot], "lot p1 is listed twice"))
    for lots, detail in refusals:
        with pytest.raises(PolicyError) as info:
            Account("acme", lots=lots)  # type: ignore[arg-type]
        assert (info.value.field, info.value.detail) == ("lots", detail)


def test_wrong_event_types_are_misuse() -> None:
    """purchase wants a Purchase and refund a RefundRequest."""
    at = paris(2026, 11, 27, 10)
    wrong: Any = RefundRequest(at=at, customer="acme", purchase="p1")
    with pytest.raises(PolicyError) as info:
        Account("acme").purchase(POLICY, wrong)
    assert str(info.value) == "event: expected Purchase, got RefundRequest"
    wrong = Purchase(at=at, customer="acme", id="p1", product="single")
    with pytest.raises(PolicyError) as refund:
        Account("acme").refund(POLICY, wrong)
    assert str(refund.value) == "event: expected RefundRequest, got Purchase"


# --- consume -----------------------------------------------------------------------


def test_consume_order_across_lots_bought_out_of_expiry_order() -> None:
    """credits.consume-order: p-old was bought first, under a 2-year promotion, so it
    expires last; p-june and p-march (1 year) were bought in that order but expire the
    other way round. Credits come from p-march, then p-june, then p-old."""
    promo = Policy(validity_years=2)
    account = buy(Account("acme"), "p-old", paris(2026, 1, 10, 9), policy=promo)
    account = buy(account, "p-june", paris(2026, 6, 1, 9))
    account = buy(account, "p-march", paris(2026, 3, 1, 9))
    # Listed out of purchase order too: the order comes from the lots, not the list.
    account = Account("acme", tuple(reversed(account.lots)))
    taken = []
    for _ in range(3):
        account, lot_id = take(account, paris(2026, 7, 1))
        taken.append(lot_id)
    assert taken == ["p-march", "p-june", "p-old"]


def test_consume_order_skips_lots_not_usable() -> None:
    """An expired or empty lot is passed over for the next usable one."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 10, 9))
    account = buy(account, "p2", paris(2026, 6, 1, 9))
    account = buy(account, "p3", paris(2026, 8, 1, 9))
    account, first = take(account, paris(2026, 9, 1))  # p1, now empty
    account, second = take(account, paris(2026, 9, 1))  # p2
    assert (first, second) == ("p1", "p2")
    account = account.restore("p1")
    # At 2027-01-20 p1 has expired (with its restored credit), p2 is empty: p3.
    assert take(account, paris(2027, 1, 20))[1] == "p3"


def test_consume_ties_go_to_earlier_purchase_then_id() -> None:
    """Same expiry: the earlier purchase first, even when its ID sorts later; same
    purchase instant too: by purchase ID."""
    promo = Policy(validity_years=2)
    account = buy(Account("acme"), "p1", paris(2026, 5, 1, 9))
    account = buy(account, "p2", paris(2025, 5, 1, 9), policy=promo)
    assert account.lot("p1").expires_at == account.lot("p2").expires_at
    assert take(account, paris(2026, 6, 1))[1] == "p2"
    twins = buy(Account("acme"), "b", paris(2026, 5, 1, 9))
    twins = buy(twins, "a", paris(2026, 5, 1, 9))
    assert take(twins, paris(2026, 6, 1))[1] == "a"


def test_expiry_is_half_open() -> None:
    """Bought 2026-01-15 12:00 CET: usable at 2027-01-15 11:59, refused at 12:00."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    before = account
    message = refused(
        account.consume(POLICY, paris(2027, 1, 15, 12)), RuleId.CREDITS_NONE_AVAILABLE
    )
    assert message == "no usable credit on 2027-01-15 12:00 CET: lot p1 expired at 12:00"
    assert account == before
    assert take(account, paris(2027, 1, 15, 11, 59))[1] == "p1"


@pytest.mark.parametrize(
    ("bought", "consumed", "at", "message"),
    [
        ([], 0, paris(2026, 12, 1), "2026-12-01 00:00 CET: acme has bought no credits"),
        (
            [("p1", paris(2026, 11, 27, 10))],
            0,
            paris(2027, 12, 1, 10, 30),
            "2027-12-01 10:30 CET: lot p1 expired on 2027-11-27 10:00 CET",
        ),
        (
            [("p1", paris(2026, 11, 27, 10))],
            0,
            paris(2026, 11, 27, 9),
            "2026-11-27 09:00 CET: lot p1 is valid only from 2026-11-27 10:00 CET",
        ),
        (
            # p1 expires at the very instant p2 is bought; p2's one credit is then taken.
            [("p2", paris(2026, 11, 27, 10)), ("p1", paris(2025, 11, 27, 10))],
            1,
            paris(2026, 11, 27, 10),
            "2026-11-27 10:00 CET: lot p1 expired at 10:00; lot p2 is used up",
        ),
        (
            # Same date, but the clock went back: the expiry keeps its own zone.
            [("p1", paris(2025, 10, 25, 1, 30))],
            0,
            pendulum.datetime(2026, 10, 25, 1, 30),  # 02:30 CET, after 01:30 CEST
            "2026-10-25 02:30 CET: lot p1 expired on 2026-10-25 01:30 CEST",
        ),
    ],
)
def test_none_available_says_why(
    bought: list[tuple[str, datetime]], consumed: int, at: datetime, message: str
) -> None:
    """credits.none-available: the sentence names each lot and why it cannot serve."""
    account = Account("acme")
    for purchase_id, when in bought:
        account = buy(account, purchase_id, when)
    for _ in range(consumed):
        account = take(account, at)[0]
    before = account
    outcome = account.consume(POLICY, at)
    assert refused(outcome, RuleId.CREDITS_NONE_AVAILABLE) == f"no usable credit on {message}"
    assert account == before


def test_no_usable_credit_says_when_the_lot_expired() -> None:
    """credits.none-available: the refusal gives the expiry as a time on the same day
    and as a full instant on a later day."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    same_day = account.consume(POLICY, paris(2027, 1, 15, 12))
    next_day = account.consume(POLICY, paris(2027, 1, 16, 9))
    assert same_day == Refusal(
        RuleId.CREDITS_NONE_AVAILABLE,
        "no usable credit on 2027-01-15 12:00 CET: lot p1 expired at 12:00",
    )
    assert next_day == Refusal(
        RuleId.CREDITS_NONE_AVAILABLE,
        "no usable credit on 2027-01-16 09:00 CET: lot p1 expired on 2027-01-15 12:00 CET",
    )


def test_consume_refuses_naive_instants() -> None:
    """input.aware-only: a naive instant is misuse."""
    with pytest.raises(PolicyError) as info:
        Account("acme").consume(POLICY, datetime(2026, 11, 27, 10))
    assert info.value.rule is RuleId.INPUT_AWARE_ONLY


# --- restore and balance -----------------------------------------------------------


def test_restore_returns_the_credit_to_its_own_lot() -> None:
    """credits.restore: the credit goes back to the lot it came from, not the next one
    to be consumed, and that lot keeps its expiry."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 10, 9))
    account = buy(account, "p2", paris(2026, 6, 1, 9), product="bundle-3")
    account, lot_id = take(account, paris(2026, 7, 1))
    assert lot_id == "p1"
    restored = account.restore(lot_id)
    assert restored.lot("p1").remaining == 1
    assert restored.lot("p2") == account.lot("p2")
    assert restored.lot("p1").expires_at == account.lot("p1").expires_at
    assert restored.balance(paris(2026, 7, 1)) == 4


def test_credit_restored_into_an_expired_lot_stays_expired() -> None:
    """credits.restore: the lot's expiry is kept, so after it the restored credit is
    counted in the lot but usable nowhere."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    account, lot_id = take(account, paris(2026, 12, 1))
    after_expiry = paris(2027, 2, 1)
    restored = account.restore(lot_id)
    assert restored.lot("p1").remaining == 1
    assert restored.balance(after_expiry) == 0
    message = refused(restored.consume(POLICY, after_expiry), RuleId.CREDITS_NONE_AVAILABLE)
    assert "lot p1 expired on 2027-01-15 12:00 CET" in message


def test_restore_needs_a_consumed_credit() -> None:
    """Restoring to an unknown lot, or more than was consumed, is misuse."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    for lot_id in ("p9", "p1"):
        with pytest.raises(PolicyError) as info:
            account.restore(lot_id)
        assert (info.value.rule, info.value.field) == (RuleId.CREDITS_RESTORE, "lot")


def test_balance_counts_lots_valid_at_the_instant() -> None:
    """Usable balance: remaining credits of the lots whose validity covers the instant."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12), product="bundle-3")
    account = buy(account, "p2", paris(2026, 6, 1, 12))
    assert account.balance(paris(2026, 1, 15, 11)) == 0
    assert account.balance(paris(2026, 1, 15, 12)) == 3
    assert account.balance(paris(2026, 6, 1, 12)) == 4
    assert account.balance(paris(2027, 1, 15, 12)) == 1
    assert account.balance(paris(2027, 6, 1, 12)) == 0


def test_lot_lookup() -> None:
    """lot(id) finds a lot; an unknown ID is an error naming field lot."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    assert account.lot("p1").id == "p1"
    with pytest.raises(PolicyError) as info:
        account.lot("p2")
    assert info.value.field == "lot"
    many = account
    for n in range(2, 40):  # past Book.SMALL: the lots are in search trees
        many = buy(many, f"p{n}", paris(2026, 1, 15, 12))
    for bad in (5, None, ["p1"]):  # not an ID: never compared with the IDs held
        with pytest.raises(PolicyError) as info:
            many.lot(bad)  # type: ignore[arg-type]
        assert (info.value.field, info.value.detail) == ("lot", f"acme has no lot {bad!r}")


@pytest.mark.parametrize(
    ("customer", "lots", "field"),
    [
        ("", (), "customer"),
        (None, (), "customer"),
        ("acme", ("p1",), "lots"),
    ],
)
def test_account_validation(customer: Any, lots: Any, field: str) -> None:
    """An account names its customer and holds lots."""
    with pytest.raises(PolicyError) as info:
        Account(customer, lots)
    assert info.value.field == field


def test_account_refuses_duplicate_lot_ids() -> None:
    """Two lots with one purchase ID cannot share an account."""
    lot = buy(Account("acme"), "p1", paris(2026, 1, 15, 12)).lot("p1")
    with pytest.raises(PolicyError) as info:
        Account("acme", [lot, lot])
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_DUPLICATE_ID, "lots")


# --- refunds -----------------------------------------------------------------------


def test_refunds_are_always_refused() -> None:
    """credits.no-refunds: fresh, partly used, used up, expired or unknown: refused."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12), product="bundle-3")

    def ask(acct: Account, at: datetime, purchase: str = "p1") -> str:
        event = RefundRequest(at=at, customer="acme", purchase=purchase)
        return refused(acct.refund(POLICY, event), RuleId.CREDITS_NO_REFUNDS)

    assert ask(account, paris(2026, 2, 1)) == (
        "purchase p1 (225.00 USD) cannot be refunded: purchased credits are never refunded; "
        "its 3 unused credits stay usable until 2027-01-15 12:00 CET"
    )
    one_left, _ = take(take(account, paris(2026, 2, 1))[0], paris(2026, 2, 1))
    assert ask(one_left, paris(2026, 2, 1)).endswith(
        "its 1 unused credit stays usable until 2027-01-15 12:00 CET"
    )
    none_left, _ = take(one_left, paris(2026, 2, 1))
    assert ask(none_left, paris(2026, 2, 1)).endswith("all its credits are used")
    assert ask(account, paris(2027, 1, 15, 12)).endswith(
        "its credits expired on 2027-01-15 12:00 CET"
    )
    assert ask(account, paris(2026, 2, 1), "p9") == (
        "acme made no purchase p9, and purchased credits are never refunded"
    )


# --- expiry notices (timers) --------------------------------------------------------


def kinds(notes: tuple[Any, ...]) -> list[tuple[pendulum.DateTime, str]]:
    return [(n.at, n.kind) for n in notes]


def test_expiry_notices_fire_once_in_order() -> None:
    """credits.expiry-notice: 30 days before expiry, then at expiry, each exactly once."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    expiring, expired = paris(2026, 12, 16, 12), paris(2027, 1, 15, 12)
    assert account.next_timer_at(POLICY) == expiring
    account, notes = account.advance(POLICY, paris(2027, 6, 1), inclusive=False)
    assert kinds(notes) == [(expiring, "credits_expiring"), (expired, "credits_expired")]
    assert {(n.to, n.customer, n.incident) for n in notes} == {("customer", "acme", None)}
    assert account.next_timer_at(POLICY) is None
    again, notes = account.advance(POLICY, paris(2028, 1, 1), inclusive=True)
    assert notes == ()
    assert again is account


def test_advance_inclusive_decides_the_boundary() -> None:
    """input.timers: a notice due exactly at ``until`` waits for an event there
    (exclusive) but has fired when the outcome describes that instant (inclusive)."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    due = paris(2026, 12, 16, 12)
    waited, notes = account.advance(POLICY, due, inclusive=False)
    assert notes == ()
    assert waited.next_timer_at(POLICY) == due
    fired, notes = waited.advance(POLICY, due, inclusive=True)
    assert kinds(notes) == [(due, "credits_expiring")]
    assert fired.next_timer_at(POLICY) == paris(2027, 1, 15, 12)


def test_no_notice_for_a_lot_with_nothing_left() -> None:
    """credits.expiry-notice: a used-up lot names no timer (none of its notices would be
    sent), and its notices pass silently when time passes them; a credit restored
    before expiry brings the expiry notice back, but not the one already passed."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    account, lot_id = take(account, paris(2026, 2, 1))
    assert account.next_timer_at(POLICY) is None
    account, notes = account.advance(POLICY, paris(2027, 1, 1), inclusive=False)
    assert notes == ()  # the expiring notice (2026-12-16) found nothing to expire
    assert account.next_timer_at(POLICY) is None
    account = account.restore(lot_id, policy=POLICY, at=paris(2027, 1, 1))
    assert account.next_timer_at(POLICY) == paris(2027, 1, 15, 12)
    account, notes = account.advance(POLICY, paris(2027, 2, 1), inclusive=False)
    assert kinds(notes) == [(paris(2027, 1, 15, 12), "credits_expired")]


def test_a_restore_deals_first_with_the_notices_its_lot_passed_empty() -> None:
    """credits.restore: told its instant, a restore into a used-up lot first deals,
    silently, with the notices due before it, so the credit brings none of them back."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    account, lot_id = take(account, paris(2026, 2, 1))
    late = account.restore(lot_id, policy=POLICY, at=paris(2027, 1, 1))
    assert late.lot(lot_id).notices == ("credits_expiring",)
    early = account.restore(lot_id, policy=POLICY, at=paris(2026, 3, 1))
    assert early.lot(lot_id).notices == ()
    assert early.next_timer_at(POLICY) == paris(2026, 12, 16, 12)


def wake(account: Account, until: datetime) -> tuple[Account, list[tuple[pendulum.DateTime, str]]]:
    """Let time pass to ``until`` as the engine does: advance only to the instants
    next_timer_at names (each inclusive), never past ``until``."""
    sent = []
    while (due := account.next_timer_at(POLICY)) is not None and due < until:
        account, notes = account.advance(POLICY, due, inclusive=True)
        assert all(n.at == due for n in notes)
        sent += kinds(notes)
        assert account.next_timer_at(POLICY) != due  # the timer moved on
    return account, sent


def test_emptied_lot_restored_late_sends_no_past_notice() -> None:
    """credits.expiry-notice + credits.restore: bought 2026-01-10, its one credit taken an
    hour later, given back on 2027-03-01 (an invalidation). Driven only by next_timer_at,
    both notices pass silently at their instants, and the late restore brings neither
    back: nothing is ever sent dated before the restore."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 10, 10))
    account, lot_id = take(account, paris(2026, 1, 10, 11))
    restore_at = paris(2027, 3, 1, 10)
    account, sent = wake(account, restore_at)
    assert sent == []
    account = account.restore(lot_id, policy=POLICY, at=restore_at)
    assert account.next_timer_at(POLICY) is None
    account, sent = wake(account, paris(2028, 1, 1))
    assert sent == []
    assert refused(account.consume(POLICY, restore_at), RuleId.CREDITS_NONE_AVAILABLE)


def test_emptied_lot_restored_between_its_notices_sends_only_the_later() -> None:
    """credits.expiry-notice: restored after the expiring notice passed silently but
    before expiry, the lot announces its expiry on time, and only that."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 10, 10))
    account, lot_id = take(account, paris(2026, 1, 10, 11))
    account, sent = wake(account, paris(2027, 1, 1))
    assert sent == []
    restored = account.restore(lot_id, policy=POLICY, at=paris(2027, 1, 1))
    account, sent = wake(restored, paris(2028, 1, 1))
    assert sent == [(paris(2027, 1, 10, 10), "credits_expired")]


def test_a_restore_at_an_empty_lots_notice_instant_sends_it_whatever_other_lots_do() -> None:
    """credits.expiry-notice, input.timers: a used-up lot's notice due at the very instant
    of the restore that refills it comes after the restore and is sent, even when another
    lot's timer at that instant was fired first: advancing leaves an empty lot alone."""
    account = buy(Account("acme"), "p0", paris(2026, 1, 15, 12))
    account = buy(account, "p1", paris(2026, 1, 15, 12))
    account, lot_id = take(account, paris(2026, 2, 1))
    assert lot_id == "p0"
    due = account.next_timer_at(POLICY)
    assert due == paris(2026, 12, 16, 12)  # p1's, and p0's too, though p0 is empty
    account, notes = account.advance(POLICY, due, inclusive=True)
    assert len(notes) == 1
    assert account.lot("p0").notices == ()
    account = account.restore("p0", policy=POLICY, at=due)
    assert account.next_timer_at(POLICY) == due
    account, notes = account.advance(POLICY, due, inclusive=True)
    assert kinds(notes) == [(due, "credits_expiring")]


def test_notices_of_several_lots_interleave_in_time_order() -> None:
    """Notices of different lots come out sorted by instant."""
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12))
    account = buy(account, "p2", paris(2026, 1, 20, 12))
    account, notes = account.advance(POLICY, paris(2027, 2, 1), inclusive=False)
    assert kinds(notes) == [
        (paris(2026, 12, 16, 12), "credits_expiring"),
        (paris(2026, 12, 21, 12), "credits_expiring"),
        (paris(2027, 1, 15, 12), "credits_expired"),
        (paris(2027, 1, 20, 12), "credits_expired"),
    ]


def test_zero_notice_days_means_only_the_expiry_notice() -> None:
    """expiry_notice_days=0: no advance warning, the expiry is still announced."""
    policy = Policy(expiry_notice_days=0)
    account = buy(Account("acme"), "p1", paris(2026, 1, 15, 12), policy=policy)
    assert account.next_timer_at(policy) == paris(2027, 1, 15, 12)
    _, notes = account.advance(policy, paris(2027, 1, 15, 12), inclusive=True)
    assert kinds(notes) == [(paris(2027, 1, 15, 12), "credits_expired")]


def test_advance_refuses_naive_instants() -> None:
    """input.aware-only, naming field until."""
    with pytest.raises(PolicyError) as info:
        Account("acme").advance(POLICY, datetime(2027, 1, 1), inclusive=True)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "until")
    assert (
        Account("acme").advance(POLICY, datetime(2027, 1, 1, tzinfo=UTC), inclusive=True)[1] == ()
    )


def test_account_refuses_non_iterable_lots_naming_the_lots_field() -> None:
    """Lots that are not an iterable are a PolicyError naming ``lots``, not a TypeError."""
    with pytest.raises(PolicyError) as info:
        Account("acme", 5)  # type: ignore[arg-type]
    assert info.value.field == "lots"
