"""PolicyError names its rule and field."""

from __future__ import annotations

import pytest

from premier_policy import PolicyError, RuleId


@pytest.mark.parametrize(
    ("rule", "field", "text"),
    [
        (None, None, "boom"),
        (RuleId.INPUT_MALFORMED, None, "input.malformed: boom"),
        (None, "minutes", "minutes: boom"),
        (RuleId.INPUT_MALFORMED, "minutes", "input.malformed: minutes: boom"),
    ],
)
def test_message_names_rule_then_field(rule: RuleId | None, field: str | None, text: str) -> None:
    """The message leads with the rule ID, then the field."""
    err = PolicyError("boom", rule=rule, field=field)
    assert str(err) == text
    assert (err.rule, err.field, err.detail) == (rule, field, "boom")
    assert isinstance(err, ValueError)
