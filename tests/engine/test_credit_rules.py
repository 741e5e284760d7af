"""The credits' common steps on account records agree with the account values."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import timedelta

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import (
    Account,
    Notification,
    Open,
    Policy,
    PolicyError,
    Purchase,
    Refusal,
    Step,
)
from premier_policy.base._instants import as_stored, plain
from premier_policy.base._notifications import Note, notified
from premier_policy.credits._book import Book
from premier_policy.credits._record import account_due, account_form, account_of
from premier_policy.engine._credit_rules import (
    advance_account_record,
    open_record,
    purchase_record,
    restore_record,
)
from premier_policy.incidents._lifecycle import open_incident
from premier_policy.incidents._record import record_of
from premier_policy.wire._outcome import CustomerRecords, _outcome_converter, customer_out

# Lots valid a year, announced a week before: a few hundred days see both notices.
POLICY = Policy(expiry_notice_days=7)
START = pendulum.datetime(2026, 3, 20, 9, tz="UTC")
#: The outcome's writer: a customer's record is written as its account value is.
WRITER = _outcome_converter("Europe/Paris")

_STEPS = st.lists(
    st.tuples(
        st.sampled_from(("purchase", "open", "open", "wait")),
        st.integers(min_value=0, max_value=200).map(lambda d: timedelta(days=d, hours=d % 7)),
        st.sampled_from(("single", "bundle-3", "p1")),
    ),
    max_size=14,
)


def _sent(sent: Iterable[Notification | Note]) -> list[tuple[object, ...]]:
    return [(as_stored(n.at), n.kind, n.to, n.customer, n.incident) for n in notified(sent)]


@given(_STEPS)
def test_an_account_record_lives_as_its_account_does(
    steps: list[tuple[str, timedelta, str]],
) -> None:
    """Purchases (a repeated ID included), openings (with and without a usable credit)
    and expiry notices fired one instant at a time: the record's step is the record of
    the value's, or None exactly where the value refuses; the next timer and the
    customer's writing in the outcome (key order included) agree after each step."""
    account, at, made = Account("acme"), START, 0
    record = account_form(account, POLICY)
    for kind, gap, product in steps:
        at = at + gap
        while (due := account.next_timer_at(POLICY)) is not None and due <= at:
            account, fired = account.advance(POLICY, due, inclusive=True)
            record, fired_here = advance_account_record(POLICY, record, plain(due))  # type: ignore[arg-type]
            assert _sent(fired_here) == _sent(fired)
        assert advance_account_record(POLICY, record, plain(at)) == (record, ())  # type: ignore[arg-type]
        made += 1
        if kind == "purchase":
            lot_id = "p1" if product == "p1" else f"p{made}"
            event = Purchase(
                at=at, customer="acme", id=lot_id, product=product.replace("p1", "single")
            )
            by_value = account.purchase(POLICY, event)
            by_record = purchase_record(POLICY, record, event)  # type: ignore[arg-type]
            if isinstance(by_value, Refusal):
                assert by_record is None
                continue
            assert by_record is not None
            record, lot, sent = by_record
            account = by_value.account
            assert lot == by_value.lot.id
            assert _sent(sent) == _sent(by_value.notifications)
        elif kind == "open":
            opening = Open(at=at, customer="acme", id=f"i{made}", area="setup")
            step = open_incident(POLICY, account, opening)
            quick = open_record(POLICY, record, opening)  # type: ignore[arg-type]
            if isinstance(step, Refusal):
                assert quick is None
                continue
            assert isinstance(step, Step)
            assert quick is not None
            incident, record, sent = quick
            assert incident == record_of(step.incident)
            account, by_value_sent = step.account, step.notifications
            assert _sent(sent) == _sent(by_value_sent)
        assert record == account_form(account, POLICY)
        assert account_of(record) == account
        assert account_due(record, POLICY) == account.next_timer_at(POLICY)
        written = WRITER.unstructure(CustomerRecords({"acme": record}, at))
        assert json.dumps(written) == json.dumps(
            {"acme": WRITER.unstructure(customer_out(account, at))}
        )


def test_an_account_past_the_small_book_stays_a_value() -> None:
    """A record holds at most Book.SMALL lots: the purchase beyond is the value's to
    make, and the account is held as the value from then on, its timers its own."""
    record = account_form(Account("acme"), POLICY)
    for n in range(Book.SMALL):
        event = Purchase(at=START.add(minutes=n), customer="acme", id=f"p{n}", product="single")
        bought = purchase_record(POLICY, record, event)  # type: ignore[arg-type]
        assert bought is not None
        record = bought[0]
    last = Purchase(at=START.add(hours=1), customer="acme", id="p-last", product="single")
    assert purchase_record(POLICY, record, last) is None  # type: ignore[arg-type]
    by_value = account_of(record).purchase(POLICY, last)
    assert not isinstance(by_value, Refusal)
    kept = account_form(by_value.account, POLICY)
    assert kept is by_value.account
    assert account_of(kept) is kept
    assert account_due(kept, POLICY) == by_value.account.next_timer_at(POLICY)


def test_an_opening_outside_the_areas_is_the_lifecycles_to_refuse() -> None:
    """Custom development and unknown areas go to the lifecycle, which words the refusal
    and takes no credit."""
    account = Account("acme").purchase(
        POLICY, Purchase(at=START, customer="acme", id="p1", product="single")
    )
    assert not isinstance(account, Refusal)
    record = account_form(account.account, POLICY)
    for area in ("custom_development", "gardening"):
        opening = Open(at=START, customer="acme", id="i1", area=area)
        assert open_record(POLICY, record, opening) is None  # type: ignore[arg-type]
        assert isinstance(open_incident(POLICY, account.account, opening), Refusal)


def test_a_lot_that_would_expire_after_the_year_9999_is_the_values_to_refuse() -> None:
    """Bought in 9999, a lot would expire past the calendar: the record path leaves the
    purchase to the value, which refuses it under credits.validity."""
    event = Purchase(at=pendulum.datetime(9999, 6, 1), customer="acme", id="p1", product="single")
    assert purchase_record(POLICY, ("acme",), event) is None
    with pytest.raises(PolicyError, match=r"^credits\.validity: at: a lot bought on 9999-06-01"):
        Account("acme").purchase(POLICY, event)


def test_a_notice_longer_than_the_lot_is_announced_at_the_purchase_as_the_value_does() -> None:
    """A notice period longer than the lot's validity (even one reaching before the year
    1) announces the lot as expiring when bought, and the record's instant is the
    value's; with no notice period there is none."""
    event = Purchase(at=START, customer="acme", id="p1", product="single")
    for policy in (Policy(expiry_notice_days=400), Policy(expiry_notice_days=3_652_058)):
        bought = purchase_record(policy, ("acme",), event)
        assert bought is not None
        by_value = Account("acme").purchase(policy, event)
        assert not isinstance(by_value, Refusal)
        assert bought[0] == account_form(by_value.account, policy)
        assert account_due(bought[0], policy) == START
    silent = purchase_record(Policy(expiry_notice_days=0), ("acme",), event)
    assert silent is not None
    assert account_due(silent[0], Policy(expiry_notice_days=0)) == START.add(years=1)


def test_a_restore_on_a_record_is_the_accounts() -> None:
    """A credit given back to a used-up lot comes after the notices passed meanwhile
    (dealt with silently), as Account.restore does it; an unknown lot, or one with no
    credit consumed, is left to the account, which words the error (credits.restore)."""
    bought = Account("acme").purchase(
        POLICY, Purchase(at=START, customer="acme", id="p1", product="single")
    )
    assert not isinstance(bought, Refusal)
    used = bought.account.consume(POLICY, START)
    assert not isinstance(used, Refusal)
    record = account_form(used.account, POLICY)
    passed = {
        1: (),
        360: ("credits_expiring",),  # a week before the expiry
        400: ("credits_expiring", "credits_expired"),
    }
    for days, notices in passed.items():
        later = START.add(days=days)
        restored = restore_record(record, "p1", plain(later))  # type: ignore[arg-type]
        by_value = used.account.restore("p1", policy=POLICY, at=later)
        assert restored == account_form(by_value, POLICY)
        assert account_of(restored).lot("p1").notices == notices
    for account, lot_id in ((used.account, "p9"), (bought.account, "p1")):
        assert restore_record(account_form(account, POLICY), lot_id, plain(START)) is None  # type: ignore[arg-type]
        with pytest.raises(PolicyError, match=r"^credits\.restore: lot: "):
            account.restore(lot_id, policy=POLICY, at=START)
