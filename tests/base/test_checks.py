"""The shared attrs validators: what they accept, and the error they raise.

The validators are built inside each test, never at import: a factory that only ran at
import would leave its own code untested (and its mutants alive).
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from premier_policy import PolicyError, RuleId
from premier_policy.base._checks import Validator, text, whole


def sample() -> type:
    """A class checked by validators built now, one of each kind."""
    return attrs.make_class(
        "Sample",
        {
            "name": attrs.field(validator=text(what="product name", rule=RuleId.CREDITS_CATALOG)),
            "count": attrs.field(validator=whole(0)),
            "minutes": attrs.field(default=1, validator=whole(1, unit="minutes")),
        },
        frozen=True,
    )


def refusal(validator: Validator, value: object, name: str = "label") -> PolicyError:
    """The error ``validator`` raises for ``value`` in a field called ``name``."""
    holder = attrs.make_class("Holder", {name: attrs.field(validator=validator)})
    with pytest.raises(PolicyError) as info:
        holder(value)
    return info.value


def test_accepted_values() -> None:
    """A non-empty string and whole numbers from the minimum up pass unchanged."""
    cls: Any = sample()
    assert cls("x", 0, 1) == cls(name="x", count=0, minutes=1)
    assert (cls("x", 0, 1).name, cls("x", 7, 2).count, cls("x", 7, 2).minutes) == ("x", 7, 2)


@pytest.mark.parametrize(
    ("fields", "field_name", "message", "rule"),
    [
        ({"name": ""}, "name", "expected a non-empty product name, got ''", RuleId.CREDITS_CATALOG),
        ({"name": 3}, "name", "expected a non-empty product name, got 3", RuleId.CREDITS_CATALOG),
        ({"count": -1}, "count", "expected a whole number of at least 0, got -1", None),
        ({"count": True}, "count", "expected a whole number of at least 0, got True", None),
        ({"count": 1.0}, "count", "expected a whole number of at least 0, got 1.0", None),
        ({"minutes": 0}, "minutes", "expected a whole number of minutes, at least 1, got 0", None),
    ],
)
def test_refused_values_name_the_field(
    fields: dict[str, object], field_name: str, message: str, rule: RuleId | None
) -> None:
    """Anything else raises a PolicyError naming the attribute, and the rule if given."""
    values: dict[str, object] = {"name": "x", "count": 0, **fields}
    with pytest.raises(PolicyError) as info:
        sample()(**values)
    assert (info.value.field, info.value.detail, info.value.rule) == (field_name, message, rule)


def test_text_by_default_asks_for_a_string_under_no_rule() -> None:
    """text() with no arguments calls the value a non-empty string and names no rule."""
    error = refusal(text(), "", name="customer")
    assert (error.field, error.detail, error.rule) == (
        "customer",
        "expected a non-empty string, got ''",
        None,
    )


def test_whole_names_its_rule_and_counts_from_its_minimum() -> None:
    """whole(n, rule=...) accepts n and refuses n - 1 under that rule, naming the unit."""
    check = whole(5, unit="credits", rule=RuleId.CREDITS_CATALOG)
    holder: Any = attrs.make_class("Holder", {"size": attrs.field(validator=check)})
    assert holder(5).size == 5
    error = refusal(check, 4, name="size")
    assert (error.field, error.detail, error.rule) == (
        "size",
        "expected a whole number of credits, at least 5, got 4",
        RuleId.CREDITS_CATALOG,
    )
    assert refusal(whole(0, rule=RuleId.TIME_ALLOWANCE), False).rule is RuleId.TIME_ALLOWANCE


def test_a_lone_surrogate_is_refused_where_text_comes_in() -> None:
    """text(): a string UTF-8 cannot write (a lone surrogate) is input.malformed."""

    @attrs.frozen
    class Named:
        name: str = attrs.field(validator=text())

    assert Named("caf\u00e9").name == "café"
    with pytest.raises(PolicyError) as caught:
        Named("a\ud800")
    assert (caught.value.rule, caught.value.field) == (RuleId.INPUT_MALFORMED, "name")
    assert "lone surrogate at position 1" in caught.value.detail


def test_whole_with_a_maximum_accepts_it_and_refuses_one_more() -> None:
    """whole(n, maximum=m) accepts m itself and refuses m + 1 under its rule, naming the
    field and the bound."""
    check = whole(0, unit="minutes", rule=RuleId.TIME_ALLOWANCE, maximum=480)
    holder: Any = attrs.make_class("Holder", {"limit": attrs.field(validator=check)})
    assert holder(480).limit == 480
    error = refusal(check, 481, name="limit")
    assert (error.field, error.detail, error.rule) == (
        "limit",
        "expected a whole number of minutes, at most 480, got 481",
        RuleId.TIME_ALLOWANCE,
    )


def test_text_echoes_the_refused_string_beside_why() -> None:
    """text(): the refusal of a lone surrogate shows the string (escaped) and says why."""
    error = refusal(text(what="customer name"), "a\ud800")
    assert error.detail == (
        "expected a customer name, got 'a\\ud800': a lone surrogate at position 1 is not text"
    )
