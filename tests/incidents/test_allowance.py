"""The time allowance: logging, warning once per level, exhausted, exceeded, extension."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Allowance, PolicyError, Refusal, RuleId
from premier_policy.incidents._allowance import NOTICES

WARN = 60


def log(a: Allowance, minutes: int, warning: int = WARN) -> tuple[Allowance, tuple[str, ...]]:
    logged = a.log(minutes, warning_minutes=warning)
    assert not isinstance(logged, Refusal), logged
    return logged


def test_warning_once_when_an_hour_or_less_remains() -> None:
    """time.allowance-warning: at 60 minutes left the customer is warned, once."""
    a, sent = log(Allowance(minutes=240), 179)
    assert (a.remaining, sent) == (61, ())
    a, sent = log(a, 1)
    assert (a.remaining, sent, a.warned) == (60, ("allowance_warning",), 240)
    a, sent = log(a, 30)
    assert (a.remaining, sent) == (30, ())


def test_each_notice_names_its_rule() -> None:
    """time.allowance-warning sends allowance_warning, time.allowance-exhausted
    allowance_exhausted."""
    assert dict(NOTICES) == {
        RuleId.TIME_ALLOWANCE_WARNING: "allowance_warning",
        RuleId.TIME_ALLOWANCE_EXHAUSTED: "allowance_exhausted",
    }


def test_exhausted_at_exactly_the_allowance() -> None:
    """time.allowance-exhausted: the log that reaches the allowance sends the notice."""
    a, _ = log(Allowance(minutes=240), 200)
    a, sent = log(a, 40)
    assert (a.used, a.remaining, sent) == (240, 0, ("allowance_exhausted",))


def test_jump_to_exactly_the_allowance_warns_then_exhausts() -> None:
    """Decision: a single log from above the warning level to exactly the allowance sends
    allowance_warning (0 left is "1 hour or less") then allowance_exhausted."""
    a, sent = log(Allowance(minutes=240), 240)
    assert sent == ("allowance_warning", "allowance_exhausted")
    assert a.warned == 240


def test_log_past_the_allowance_is_refused_saying_what_remains() -> None:
    """time.allowance-exceeded: nothing changes and the message gives the minutes left."""
    a, _ = log(Allowance(minutes=240), 220)
    refused = a.log(21, warning_minutes=WARN)
    assert isinstance(refused, Refusal)
    assert refused.rule is RuleId.TIME_ALLOWANCE_EXCEEDED
    assert "20 of 240 minutes remain" in refused.message
    assert a.used == 220
    exhausted, _ = log(a, 20)
    refused = exhausted.log(1, warning_minutes=WARN)
    assert isinstance(refused, Refusal)
    assert "0 of 240 minutes remain" in refused.message


def test_extension_only_from_the_warning_level() -> None:
    """time.extension-not-needed above the warning level; time.extension adds a level,
    which gets its own warning."""
    a, _ = log(Allowance(minutes=240), 179)
    refused = a.extend(240, warning_minutes=WARN)
    assert isinstance(refused, Refusal)
    assert refused.rule is RuleId.TIME_EXTENSION_NOT_NEEDED
    assert "61 of 240 minutes remain" in refused.message
    a, _ = log(a, 1)
    extended = a.extend(240, warning_minutes=WARN)
    assert isinstance(extended, Allowance)
    assert (extended.minutes, extended.remaining) == (480, 300)
    b, sent = log(extended, 240)
    assert (b.remaining, sent) == (60, ("allowance_warning",))


def test_zero_warning_minutes_turns_warnings_off() -> None:
    """With warning_minutes=0 nobody is warned, and extension waits for exhaustion."""
    a, sent = log(Allowance(minutes=240), 239, warning=0)
    assert sent == ()
    assert isinstance(a.extend(240, warning_minutes=0), Refusal)
    a, sent = log(a, 1, warning=0)
    assert sent == ("allowance_exhausted",)
    assert isinstance(a.extend(240, warning_minutes=0), Allowance)


def test_bad_values_are_refused() -> None:
    """Minutes are whole and non-negative (time.allowance); used and warned fit the
    allowance; a log of less than 1 minute is malformed."""
    for fields, name in (
        ({"minutes": -1}, "minutes"),
        ({"minutes": 1.5}, "minutes"),
        ({"minutes": 240, "used": True}, "used"),
    ):
        with pytest.raises(PolicyError) as info:
            Allowance(**fields)
        assert (info.value.rule, info.value.field) == (RuleId.TIME_ALLOWANCE, name)
    with pytest.raises(PolicyError) as over:
        Allowance(minutes=240, used=241)
    assert over.value.rule is RuleId.TIME_ALLOWANCE_EXCEEDED
    with pytest.raises(PolicyError) as warned:
        Allowance(minutes=240, warned=480)
    assert warned.value.rule is RuleId.TIME_ALLOWANCE_WARNING
    # Warned at the very allowance is what a warning leaves (the level is the grant).
    assert Allowance(minutes=240, used=200, warned=240).warned == 240
    for minutes in (0, -5, 2.5):
        with pytest.raises(PolicyError) as bad:
            Allowance(minutes=240).log(minutes, warning_minutes=WARN)  # type: ignore[arg-type]
        assert (bad.value.rule, bad.value.field) == (RuleId.INPUT_MALFORMED, "minutes")
        assert bad.value.detail == f"expected a whole number of at least 1, got {minutes!r}"


@given(
    grant=st.integers(min_value=1, max_value=300),
    warning=st.integers(min_value=0, max_value=300),
    steps=st.lists(st.one_of(st.integers(min_value=1, max_value=200), st.none()), max_size=40),
)
def test_laws_of_any_history(grant: int, warning: int, steps: list[int | None]) -> None:
    """For any logs (ints) and extensions (None): used never exceeds the allowance; the
    warning (time.allowance-warning) is sent exactly by the first log that reaches the
    warning level of each allowance level, never with warnings off; exhausted fires
    exactly when a log lands on the allowance; a refusal changes nothing."""
    warning = min(warning, grant)
    a = Allowance(minutes=grant)
    warned_levels: list[int] = []
    for step in steps:
        before = a
        if step is None:
            extended = a.extend(grant, warning_minutes=warning)
            if isinstance(extended, Refusal):
                assert a.remaining > warning
            else:
                assert before.remaining <= warning
                a = extended
            continue
        logged = a.log(step, warning_minutes=warning)
        if isinstance(logged, Refusal):
            assert step > a.remaining
            assert f"{a.remaining} of {a.minutes} minutes remain" in logged.message
            continue
        a, sent = logged
        assert a.used == before.used + step <= a.minutes
        due = bool(warning) and a.remaining <= warning and a.minutes not in warned_levels
        assert sent.count("allowance_warning") == (1 if due else 0)
        if due:
            warned_levels.append(a.minutes)
        assert ("allowance_exhausted" in sent) == (a.remaining == 0)
    assert a.warned == (warned_levels[-1] if warned_levels else 0)


@pytest.mark.parametrize("warning", ["60", -1, 1.5, None])
def test_log_refuses_a_bad_warning_level_naming_rule_time_allowance_warning(
    warning: object,
) -> None:
    """A warning level that is not a whole number >= 0 is a PolicyError naming the
    rule time.allowance-warning and the field ``warning_minutes``, and showing it."""
    with pytest.raises(PolicyError) as info:
        Allowance(minutes=240).log(5, warning_minutes=warning)  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (
        RuleId.TIME_ALLOWANCE_WARNING,
        "warning_minutes",
    )
    assert info.value.detail == f"expected a whole number of at least 0, got {warning!r}"
