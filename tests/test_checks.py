"""The shared attrs validators: what they accept, and the error they raise."""

from __future__ import annotations

import pytest
from attrs import field, frozen

from premier_policy import PolicyError, RuleId
from premier_policy._checks import text, whole


@frozen
class Sample:
    name: str = field(validator=text(what="product name", rule=RuleId.CREDITS_CATALOG))
    count: int = field(validator=whole(0))
    minutes: int = field(default=1, validator=whole(1, unit="minutes"))


def test_accepted_values() -> None:
    """A non-empty string and whole numbers from the minimum up pass unchanged."""
    assert Sample("x", 0, 1) == Sample(name="x", count=0, minutes=1)


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
        Sample(**values)  # type: ignore[arg-type]
    assert (info.value.field, info.value.detail, info.value.rule) == (field_name, message, rule)
