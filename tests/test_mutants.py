"""Behaviour the suite left unchecked until mutation testing showed it: each test pins a
documented behaviour that a surviving mutant got wrong (``make mutation``).

They are grouped here by the module they pin, so that each can move to that module's own
test file; the mutant each one kills is named in its comment.
"""

from __future__ import annotations

import operator
from collections.abc import Callable

import attrs
import pendulum
import pytest

from premier_policy import (
    Account,
    Calendar,
    Catalog,
    Money,
    Open,
    Policy,
    PolicyError,
    Purchase,
    Refusal,
    ResponseTarget,
    RuleId,
    World,
    replay,
)

PARIS = "Europe/Paris"


# ------------------------------------------------------------------------ _timetable


def test_next_open_inside_the_first_opening_of_a_year_is_itself() -> None:
    """``hours.schedule``: an open instant is its own next opening, on 1 January too
    (the year's first interval; mutant: ``i > 0`` for ``i >= 0``)."""
    new_year = pendulum.datetime(2027, 1, 1, 10, tz=PARIS)  # a Friday, open
    assert Calendar().is_open(new_year)
    assert Calendar().next_open(new_year) == new_year


def test_next_open_after_the_last_opening_of_a_year_is_next_year() -> None:
    """``hours.schedule``: after the year's last closing, the next opening is the next
    year's first (mutant: skipping to the year after)."""
    evening = pendulum.datetime(2026, 12, 31, 20, tz=PARIS)
    assert Calendar().next_open(evening) == pendulum.datetime(2027, 1, 1, 8, tz=PARIS)


# ------------------------------------------------------------------------------ _wire


def test_outcome_instants_keep_their_microseconds() -> None:
    """Instants are written exactly, microseconds included (mutant: dropped)."""
    stamp = "2026-11-27T10:00:00.000001+01:00"
    outcome = replay(
        {
            "events": [
                {"at": stamp, "type": "purchase", "customer": "acme", "id": "p1",
                 "product": "single"}
            ]
        }
    )  # fmt: skip
    (lot,) = outcome["customers"]["acme"]["lots"]
    assert outcome["as_of"] == lot["purchased_at"] == stamp
    assert outcome["notifications"][0]["at"] == stamp


def test_a_missing_field_is_refused_as_missing() -> None:
    """``input.malformed``: a missing field is named and said to be missing."""
    event = {"at": "2026-11-27T10:00:00+01:00", "type": "log_time", "minutes": 5}
    (result,) = replay({"events": [event]})["results"]
    assert result["rule"] == RuleId.INPUT_MALFORMED.value
    assert result["message"] == "malformed event: incident: missing"


# ---------------------------------------------------------------------------- _catalog


def test_a_quote_no_combination_gives_names_the_product_sizes() -> None:
    """``credits.catalog``: when no basket gives exactly N credits the error says so,
    with the sizes on sale, on the field ``credits`` (mutants: message and field)."""
    catalog = Catalog.from_prices("USD", {"bundle-3": (3, "225.00")})
    with pytest.raises(PolicyError) as refused:
        catalog.quote(4)
    assert (refused.value.rule, refused.value.field) == (RuleId.CREDITS_CATALOG, "credits")
    assert refused.value.detail == (
        "no combination of products gives exactly 4 credits (products hold 3)"
    )


# ---------------------------------------------------------------------------- _account


def test_no_usable_credit_says_when_the_lot_expired() -> None:
    """``credits.none-available``: the refusal gives the expiry as a time on the same
    day and as a full instant on a later day (mutants: the formatting of ``_when``)."""
    policy = Policy()
    bought = Account("acme").purchase(
        policy,
        Purchase(at=pendulum.datetime(2026, 1, 15, 12, tz=PARIS), customer="acme", id="p1",
                 product="single"),
    )  # fmt: skip
    assert not isinstance(bought, Refusal)
    same_day = bought.account.consume(policy, pendulum.datetime(2027, 1, 15, 12, tz=PARIS))
    next_day = bought.account.consume(policy, pendulum.datetime(2027, 1, 16, 9, tz=PARIS))
    assert same_day == Refusal(
        RuleId.CREDITS_NONE_AVAILABLE,
        "no usable credit on 2027-01-15 12:00 CET: lot p1 expired at 12:00",
    )
    assert next_day == Refusal(
        RuleId.CREDITS_NONE_AVAILABLE,
        "no usable credit on 2027-01-16 09:00 CET: lot p1 expired on 2027-01-15 12:00 CET",
    )


# ------------------------------------------------------------------------------ _money


def test_money_compares_by_amount_equal_amounts_included() -> None:
    """``credits.catalog``: equal amounts are neither less nor more (mutants: ``>=`` for
    ``>`` and back)."""
    one, same, two = Money("1.00", "USD"), Money("1", "USD"), Money("2.00", "USD")
    assert (one < same, one <= same, one > same, one >= same) == (False, True, False, True)
    assert (one < two, two > one, one >= two, two <= one) == (True, True, False, False)


@pytest.mark.parametrize(
    ("operation", "verb"),
    [
        (operator.lt, "compare"),
        (operator.le, "compare"),
        (operator.gt, "compare"),
        (operator.ge, "compare"),
        (operator.add, "add"),
        (operator.sub, "subtract"),
    ],
)
def test_money_of_another_currency_or_type_is_refused_by_name(
    operation: Callable[[Money, object], object], verb: str
) -> None:
    """``credits.catalog``: mixing currencies, or money and a number, is refused with a
    sentence naming the operation and both sides (mutants: the words of that sentence)."""
    with pytest.raises(PolicyError) as mixed:
        operation(Money("1.00", "USD"), Money("1.00", "EUR"))
    assert (mixed.value.rule, mixed.value.field) == (RuleId.CREDITS_CATALOG, "currency")
    assert mixed.value.detail == f"cannot {verb} 1.00 USD and 1.00 EUR"
    with pytest.raises(PolicyError) as number:
        operation(Money("1.00", "USD"), 1)
    assert number.value.detail == f"cannot {verb} 1.00 USD and int"


# ------------------------------------------------------------- _response, _lifecycle


def test_a_target_met_in_time_cannot_be_breached() -> None:
    """``response.target``: a target met by its due instant is not breached, and saying
    it was is refused (mutants: the breach of a met target let through)."""
    start = pendulum.datetime(2026, 11, 27, 9, tz="UTC")
    met = ResponseTarget(started_at=start, due_at=start.add(hours=2)).meet(start.add(hours=1))
    with pytest.raises(PolicyError) as refused:
        met.breach()
    assert (refused.value.rule, refused.value.field) == (RuleId.RESPONSE_TARGET, "breached")


def test_a_staff_reply_at_the_due_instant_meets_the_target() -> None:
    """``response.target``: a reply at the due instant itself is in time; the breach
    timer due then does not fire before it (mutant: timers at the event's instant first)."""
    outcome = replay(
        {
            "events": [
                {"at": "2026-11-30T09:00:00+01:00", "type": "purchase", "customer": "acme",
                 "id": "p1", "product": "single"},
                {"at": "2026-11-30T09:00:00+01:00", "type": "open", "customer": "acme",
                 "id": "i1", "area": "setup"},
                {"at": "2026-11-30T11:00:00+01:00", "type": "staff_reply", "incident": "i1"},
            ]
        }
    )  # fmt: skip
    (target,) = outcome["incidents"]["i1"]["response_targets"]
    assert target["due_at"] == target["met_at"] == "2026-11-30T11:00:00+01:00"
    assert target["breached"] is False
    assert "response_overdue" not in {n["kind"] for n in outcome["notifications"]}


# ---------------------------------------------------------------------------- _incident


def test_an_incident_in_an_unknown_state_is_refused() -> None:
    """``lifecycle.invalid-transition``: an incident's state is one of the five, checked
    when built (mutants: the validator ``_one_of``)."""
    world = World()
    at = pendulum.datetime(2026, 11, 30, 9, tz=PARIS)
    world = world.apply(Purchase(at=at, customer="acme", id="p1", product="single")).world
    world = world.apply(Open(at=at, customer="acme", id="i1", area="setup")).world
    incident = world.incidents["i1"]
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
