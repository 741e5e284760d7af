"""Policy(): the seed's numbers, each configurable and validated."""

from __future__ import annotations

from datetime import UTC, datetime

import pendulum
import pytest

from premier_policy import Policy, PolicyError, RuleId


@pytest.mark.parametrize(
    "name",
    [
        "response_target_minutes",
        "allowance_minutes",
        "validity_years",
        "auto_close_days",
        "reopen_days",
    ],
)
def test_positive_numbers_are_checked(name: str) -> None:
    """Zero, negatives and non-integers are refused, naming the field."""
    bad: object
    for bad in (0, -1, 1.5, "1", True):
        with pytest.raises(PolicyError) as info:
            Policy(**{name: bad})  # type: ignore[arg-type]
        assert info.value.field == name


def test_zero_is_allowed_where_it_means_none() -> None:
    """No warning and no expiry notice are valid choices."""
    policy = Policy(warning_minutes=0, expiry_notice_days=0)
    assert (policy.warning_minutes, policy.expiry_notice_days) == (0, 0)


def test_warning_cannot_exceed_allowance() -> None:
    """A warning level above the allowance makes no sense."""
    assert Policy(allowance_minutes=60, warning_minutes=60).warning_minutes == 60
    with pytest.raises(PolicyError) as info:
        Policy(allowance_minutes=60, warning_minutes=61)
    assert info.value.field == "warning_minutes"


def test_local_and_utc_forms() -> None:
    """Policy.local is the calendar's zone, Policy.utc is UTC; both refuse naive input."""
    policy = Policy()
    t = datetime(2026, 7, 1, 6, tzinfo=UTC)
    assert (policy.local(t).hour, policy.local(t).tzinfo) == (8, policy.tz)
    assert (policy.utc(t).hour, policy.utc(t).tzinfo) == (6, pendulum.UTC)
    for convert in (policy.local, policy.utc):
        with pytest.raises(PolicyError) as info:
            convert(datetime(2026, 7, 1, 6))
        assert info.value.rule is RuleId.INPUT_AWARE_ONLY
