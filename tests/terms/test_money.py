"""Money is exact: two places, one currency, never a float (credits.catalog)."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Money, PolicyError, RuleId
from premier_policy.terms._money import Amount

cents = st.integers(min_value=-(10**12), max_value=10**12)


def usd(cents_: int) -> Money:
    return Money(Decimal(cents_).scaleb(-2), "USD")


def test_accepted_amounts_are_quantized() -> None:
    """Decimal, int and plain strings all give exactly two places, however written."""
    for value in (Decimal("75"), 75, "75", "75.0", "75.00", Decimal("75.000"), "+75"):
        money = Money(value, "USD")
        assert money.amount == Decimal("75")
        assert money.amount.as_tuple().exponent == -2
        assert money.amount_text == "75.00"
    assert str(Money("-3.5", "EUR")) == "-3.50 EUR"


def test_negative_zero_prints_as_zero() -> None:
    """-0, given as text or as a Decimal, reads 0.00, not -0.00."""
    assert str(Money("-0", "USD")) == "0.00 USD"
    assert str(Money(Decimal("-0.00"), "USD")) == "0.00 USD"


@pytest.mark.parametrize(
    "value",
    [
        74.99,  # a float is refused even when it looks exact
        75.0,
        True,
        None,
        [75],
        Decimal("NaN"),
        Decimal("Infinity"),
        Decimal("-Infinity"),
        Decimal("75.001"),  # would round: refused, never rounded
        "75.001",
        "75.",
        ".5",
        "1e3",
        " 75",
        "75_000",
        "nan",
        "",
        "seventy",
        10**70,  # more digits than can be held exactly
    ],
)
def test_bad_amounts_are_refused(value: Any) -> None:
    """Anything but an exact amount of at most two places is refused, naming the field."""
    with pytest.raises(PolicyError) as info:
        Money(value, "USD")
    assert (info.value.rule, info.value.field) == (RuleId.CREDITS_CATALOG, "amount")


@pytest.mark.parametrize(
    ("value", "detail"),
    [
        (Decimal("NaN"), "expected a finite amount, got NaN"),
        (Decimal("-Infinity"), "expected a finite amount, got -Infinity"),
        (Decimal("75.001"), "more than two decimal places in 75.001"),
        ("0.125", "more than two decimal places in 0.125"),
        ("1e5", "expected a plain decimal like '75.00', got '1e5'"),
        (10**70, f"{10**70} has too many digits to hold exactly"),
        (
            "0." + "1" * 100_000,
            f"more than two decimal places in 0.{'1' * 48}... (100002 characters)",
        ),
        ("1" * 80, f"{'1' * 80} has too many digits to hold exactly"),  # whole up to 80
        ("1" * 100_000, f"{'1' * 50}... (100000 characters) has too many digits to hold exactly"),
    ],
)
def test_a_refused_amount_says_why(value: Amount, detail: str) -> None:
    """credits.catalog: the refusal says whether the amount is not finite, would need
    rounding, or has more digits than are held exactly."""
    with pytest.raises(PolicyError) as info:
        Money(value, "USD")
    assert (info.value.rule, info.value.field, info.value.detail) == (
        RuleId.CREDITS_CATALOG,
        "amount",
        detail,
    )


@pytest.mark.parametrize("code", ["usd", "US", "USDX", "U$D", "", 840, None, "ÉUR"])
def test_bad_currencies_are_refused(code: Any) -> None:
    """A currency is a three-letter uppercase code."""
    with pytest.raises(PolicyError) as info:
        Money("1", code)
    assert (info.value.rule, info.value.field) == (RuleId.CREDITS_CATALOG, "currency")


def test_arithmetic() -> None:
    """+, -, and multiplication by a whole number on either side."""
    single = Money("75.00", "USD")
    assert single * 3 == Money("225.00", "USD")
    assert 3 * single == single * 3
    assert single + single - Money("0.01", "USD") == Money("149.99", "USD")
    assert Money.zero("USD") - single == Money("-75", "USD")
    assert single * 0 == Money.zero("USD")


def test_ordering_within_one_currency() -> None:
    """Comparisons follow the amount."""
    low, high = Money("74.99", "USD"), Money("75", "USD")
    assert low < high
    assert low <= high
    assert high > low
    assert high >= low
    assert high <= high
    assert not high < high


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_mixed_currencies_are_refused(operation: Any) -> None:
    """USD and EUR never meet in one sum or comparison."""
    with pytest.raises(PolicyError) as info:
        operation(Money("1", "USD"), Money("1", "EUR"))
    assert (info.value.rule, info.value.field) == (RuleId.CREDITS_CATALOG, "currency")


def test_money_compares_by_amount_equal_amounts_included() -> None:
    """credits.catalog: equal amounts are neither less nor more, whatever their writing."""
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
    """credits.catalog: mixing currencies, or money and a number, is refused with a
    sentence naming the operation and both sides."""
    with pytest.raises(PolicyError) as mixed:
        operation(Money("1.00", "USD"), Money("1.00", "EUR"))
    assert (mixed.value.rule, mixed.value.field) == (RuleId.CREDITS_CATALOG, "currency")
    assert mixed.value.detail == f"cannot {verb} 1.00 USD and 1.00 EUR"
    with pytest.raises(PolicyError) as number:
        operation(Money("1.00", "USD"), 1)
    assert number.value.detail == f"cannot {verb} 1.00 USD and int"


def test_different_currencies_are_unequal() -> None:
    """Equality is defined across currencies: 1 USD is not 1 EUR."""
    assert Money("1", "USD") != Money("1", "EUR")


@pytest.mark.parametrize("other", [1, Decimal(1), "1", 1.0])
def test_arithmetic_with_non_money_is_refused(other: Any) -> None:
    """Adding or comparing a bare number is a bug, reported with the library's error."""
    with pytest.raises(PolicyError) as info:
        Money("1", "USD") + other
    assert info.value.rule is RuleId.CREDITS_CATALOG
    with pytest.raises(PolicyError):
        Money("1", "USD") < other  # noqa: B015 - the comparison itself must raise


@pytest.mark.parametrize("times", [1.5, 2.0, True, Decimal(2), "2"])
def test_multiplier_must_be_a_whole_number(times: Any) -> None:
    """Money times a float, bool, Decimal or string is refused, naming what it was."""
    with pytest.raises(PolicyError) as info:
        Money("1", "USD") * times
    assert info.value.rule is RuleId.CREDITS_CATALOG
    assert info.value.detail == (
        f"money is multiplied by a whole number, not {type(times).__name__}"
    )


def test_results_too_large_to_hold_exactly_are_refused() -> None:
    """Products and sums past the exact precision raise instead of rounding."""
    widest = Money("9" * 58 + ".99", "USD")  # 60 digits: the most held exactly
    lowest = Money("-" + "9" * 58 + ".99", "USD")
    too_large: list[Callable[[], Money]] = [
        lambda: widest * 2,
        lambda: widest + widest,
        lambda: widest - lowest,
    ]
    for operation in too_large:
        with pytest.raises(PolicyError) as info:
            operation()
        assert (info.value.rule, info.value.field) == (RuleId.CREDITS_CATALOG, "amount")
        assert info.value.detail.endswith(" has too many digits")
        assert info.value.detail.startswith(f"the result of {widest.amount} and ")


@given(cents, cents, cents)
def test_addition_is_exact_and_associative(a: int, b: int, c: int) -> None:
    """Sums of cents are exact, so grouping never changes a total."""
    assert (usd(a) + usd(b)) + usd(c) == usd(a) + (usd(b) + usd(c)) == usd(a + b + c)
    assert usd(a) - usd(b) == usd(a - b)


@given(cents, st.integers(min_value=0, max_value=10**6))
def test_multiplication_is_repeated_addition(a: int, n: int) -> None:
    """price * n is n exact copies of price, and round-trips through its wire text."""
    assert usd(a) * n == usd(a * n)
    assert Money(usd(a).amount_text, "USD") == usd(a)
