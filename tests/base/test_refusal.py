"""Refusals are values naming a rule."""

from __future__ import annotations

import attrs
import pytest

from premier_policy import Refusal, RuleId


def test_refusal_is_frozen_value() -> None:
    """Equal refusals compare equal and cannot be changed."""
    a = Refusal(RuleId.CREDITS_NO_REFUNDS, "never refunded")
    assert a == Refusal(RuleId.CREDITS_NO_REFUNDS, "never refunded")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        a.message = "x"  # type: ignore[misc]
