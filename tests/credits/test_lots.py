"""Lots: validity on the policy zone's wall clock, half-open, and when notices fall due
(credits.validity, credits.expiry-notice)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pendulum
import pytest

from premier_policy import Lot, Money, Policy, PolicyError, RuleId
from premier_policy.credits._lots import notice_at, valid_until

PARIS = "Europe/Paris"
POLICY = Policy()


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz=PARIS)


def lot(**overrides: Any) -> Lot:
    fields: dict[str, Any] = {
        "id": "p1",
        "product": "bundle-3",
        "credits": 3,
        "remaining": 3,
        "purchased_at": paris(2026, 11, 27, 10),
        "expires_at": paris(2027, 11, 27, 10),
        "price": Money("225.00", "USD"),
    }
    fields.update(overrides)
    return Lot(**fields)


def test_leap_day_purchase_expires_on_28_february() -> None:
    """Bought 2028-02-29 10:00 Paris, valid until 2029-02-28 10:00 Paris."""
    assert valid_until(POLICY, paris(2028, 2, 29, 10)) == paris(2029, 2, 28, 10)
    assert valid_until(Policy(validity_years=4), paris(2028, 2, 29, 10)) == paris(2032, 2, 29, 10)


def test_validity_is_stored_in_utc() -> None:
    """Whatever zone the purchase instant uses, the expiry comes back in UTC."""
    bought = datetime(2026, 11, 27, 9, tzinfo=UTC)
    expires = valid_until(POLICY, bought)
    assert expires.tzinfo is pendulum.UTC
    assert expires == pendulum.datetime(2027, 11, 27, 9)


def test_validity_keeps_paris_wall_clock_not_utc() -> None:
    """Three years from a summer purchase (UTC+2) lands at the same Paris wall time; in
    another policy zone the same instant expires at that zone's wall time instead."""
    bought = paris(2026, 7, 1, 10)  # 08:00 UTC
    assert valid_until(Policy(validity_years=3), bought) == paris(2029, 7, 1, 10)
    # The years are added in the policy zone, not in the zone the instant came in.
    same_instant = bought.in_timezone("America/New_York")
    assert valid_until(POLICY, same_instant) == paris(2027, 7, 1, 10)


def test_expiry_in_the_spring_gap_moves_forward() -> None:
    """02:30 does not exist on 2027-03-28 in Paris: the lot expires at 03:30 CEST."""
    expires = valid_until(POLICY, paris(2026, 3, 28, 2, 30))
    assert POLICY.show(expires) == "2027-03-28 03:30 CEST"


def test_expiry_in_the_autumn_fold_is_the_later_reading() -> None:
    """02:30 happens twice on 2027-10-31 in Paris: the lot lasts until the second one."""
    expires = valid_until(POLICY, paris(2026, 10, 31, 2, 30))
    assert expires == pendulum.datetime(2027, 10, 31, 1, 30)  # 02:30 CET
    assert POLICY.show(expires) == "2027-10-31 02:30 CET"


def test_expiry_past_year_9999_is_refused() -> None:
    """An instant whose expiry cannot be represented is an input error, not a crash."""
    with pytest.raises(PolicyError) as info:
        valid_until(POLICY, paris(9999, 6, 1))
    assert (info.value.rule, info.value.field) == (RuleId.CREDITS_VALIDITY, "at")


def test_validity_refuses_naive_instants() -> None:
    """input.aware-only applies to purchases too."""
    with pytest.raises(PolicyError) as info:
        valid_until(POLICY, datetime(2026, 11, 27, 10))
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "at")


def test_validity_is_half_open() -> None:
    """Valid from the purchase instant itself up to, not including, the expiry instant."""
    one = lot()
    assert one.valid_at(paris(2026, 11, 27, 10))
    assert not one.valid_at(paris(2026, 11, 27, 9, 59))
    assert one.valid_at(paris(2027, 11, 27, 9, 59))
    assert one.usable_at(paris(2027, 11, 27, 9, 59))
    assert not one.valid_at(paris(2027, 11, 27, 10))
    assert not one.usable_at(paris(2027, 11, 27, 10))


def test_an_empty_lot_is_valid_but_not_usable() -> None:
    """Nothing left: still within validity, but no credit can come from it."""
    empty = lot(remaining=0)
    assert empty.valid_at(paris(2027, 1, 1))
    assert not empty.usable_at(paris(2027, 1, 1))
    assert empty.consumed == 3


def test_take_and_give_back() -> None:
    """take removes one credit, give_back returns one, the expiry never moves."""
    one = lot(remaining=1)
    taken = one.take()
    assert (taken.remaining, taken.consumed, taken.expires_at) == (0, 3, one.expires_at)
    with pytest.raises(PolicyError) as info:
        taken.take()
    assert (info.value.rule, str(info.value)) == (None, "lot: lot p1 has no credit left")
    assert taken.give_back() == one
    with pytest.raises(PolicyError) as info:
        lot().give_back()
    assert (info.value.rule, info.value.field) == (RuleId.CREDITS_RESTORE, "lot")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id": ""}, "id"),
        ({"product": None}, "product"),
        ({"credits": 0, "remaining": 0}, "credits"),
        ({"credits": 1.0}, "credits"),
        ({"remaining": -1}, "remaining"),
        ({"remaining": 4}, "remaining"),
        ({"purchased_at": datetime(2026, 11, 27, 10)}, "purchased_at"),
        ({"expires_at": "2027-11-27"}, "expires_at"),
        ({"expires_at": paris(2026, 11, 27, 10)}, "expires_at"),
        ({"price": "225.00"}, "price"),
        ({"notices": ("credits_expired", "credits_expired")}, "notices"),
        ({"notices": ["credits_expired"]}, "notices"),
        ({"notices": ("credits_purchased",)}, "notices"),
    ],
)
def test_lot_validation(overrides: dict[str, Any], field: str) -> None:
    """A lot refuses inconsistent fields, naming the field."""
    with pytest.raises(PolicyError) as info:
        lot(**overrides)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"credits": 0, "remaining": 0}, "credits: a lot holds at least one credit"),
        ({"remaining": 4}, "remaining: remaining (4) exceeds credits (3)"),
        ({"expires_at": paris(2026, 11, 27, 10)}, "expires_at: a lot expires after it is bought"),
        ({"price": "225.00"}, "price: expected Money, got str"),
        ({"notices": ["credits_expired"]}, "notices: expected a tuple of distinct notice kinds"),
        (
            {"notices": ("credits_purchased",)},
            "notices: unknown notice kind in ('credits_purchased',)",
        ),
    ],
)
def test_lot_validation_says_what_is_wrong(overrides: dict[str, Any], message: str) -> None:
    """An inconsistent lot is an error whose message names the field and the fault."""
    with pytest.raises(PolicyError) as info:
        lot(**overrides)
    assert (info.value.rule, str(info.value)) == (None, message)


def test_lot_instants_are_converted_to_utc() -> None:
    """Any aware datetime is accepted and stored in UTC."""
    made = lot(purchased_at=datetime(2026, 11, 27, 10, tzinfo=timezone(timedelta(hours=1))))
    assert made.purchased_at.tzinfo is pendulum.UTC
    assert made.purchased_at == pendulum.datetime(2026, 11, 27, 9)


def test_expiring_notice_is_thirty_wall_clock_days_before_across_dst() -> None:
    """A lot expiring 2027-04-15 10:00 CEST is announced 2027-03-16 10:00 CET: thirty days
    on the Paris wall clock, which is 30 days minus one hour of elapsed time."""
    spring = lot(purchased_at=paris(2026, 4, 15, 10), expires_at=paris(2027, 4, 15, 10))
    at = notice_at(POLICY, spring, "credits_expiring")
    assert at == paris(2027, 3, 16, 10)
    assert at is not None
    assert at.tzinfo is pendulum.UTC
    assert spring.expires_at - at == timedelta(days=30, hours=-1)
    assert notice_at(POLICY, spring, "credits_expired") == spring.expires_at


def test_no_expiring_notice_when_days_is_zero() -> None:
    """expiry_notice_days=0 means no advance notice; the expiry notice remains."""
    policy = Policy(expiry_notice_days=0)
    assert notice_at(policy, lot(), "credits_expiring") is None
    assert lot().pending(policy) == ((lot().expires_at, "credits_expired"),)


def test_expiring_notice_never_precedes_the_purchase() -> None:
    """With a notice period longer than the validity, the lot is announced when bought."""
    assert notice_at(Policy(expiry_notice_days=400), lot(), "credits_expiring") == (
        lot().purchased_at
    )
    # So long a period that the date would fall before year 1: still the purchase.
    huge = Policy(expiry_notice_days=10**6)
    assert notice_at(huge, lot(), "credits_expiring") == lot().purchased_at


def test_pending_lists_notices_not_yet_dealt_with() -> None:
    """Notices already handled are not pending again, in firing order otherwise."""
    fresh = lot()
    assert [kind for _, kind in fresh.pending(POLICY)] == ["credits_expiring", "credits_expired"]
    half = lot(notices=("credits_expiring",))
    assert [kind for _, kind in half.pending(POLICY)] == ["credits_expired"]
    assert lot(notices=("credits_expiring", "credits_expired")).pending(POLICY) == ()


def test_pending_answers_for_the_policy_asked() -> None:
    """A lot remembers its notice instants for the last policy asked, never for another:
    alternating policies gives each its own instants, and a credit taken or given back
    keeps them right."""
    bought = lot()
    short, none = Policy(expiry_notice_days=10), Policy(expiry_notice_days=0)
    expiring = notice_at(POLICY, bought, "credits_expiring")
    for _ in range(2):
        assert bought.pending(POLICY) == (
            (expiring, "credits_expiring"),
            (bought.expires_at, "credits_expired"),
        )
        assert bought.pending(short)[0][0] == notice_at(short, bought, "credits_expiring")
        assert bought.pending(none) == ((bought.expires_at, "credits_expired"),)
    assert bought.pending(POLICY)[0][0] == expiring
    assert bought.take().pending(POLICY) == bought.pending(POLICY)
    assert bought.take().give_back() == bought
    noticed = bought.noticed(("credits_expiring",))
    assert noticed == lot(notices=("credits_expiring",))
    assert noticed.pending(POLICY) == ((bought.expires_at, "credits_expired"),)


def test_valid_at_refuses_garbage_naming_rule_input_aware_only() -> None:
    """The public validity query checks its instant (input.aware-only, field ``at``);
    the unchecked UTC comparison is internal to the account's hot loops."""
    with pytest.raises(PolicyError) as info:
        lot().valid_at(None)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "at")
    assert not hasattr(Lot, "covers")
