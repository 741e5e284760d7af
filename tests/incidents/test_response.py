"""Response targets (response.target): pending, met, breached, dropped."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pendulum
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from premier_policy import PolicyError, ResponseTarget, RuleId
from premier_policy.incidents import _response
from premier_policy.incidents._response import checked_target

START = pendulum.datetime(2026, 11, 27, 9, tz="UTC")
DUE = START.add(hours=2)


def test_a_stored_instant_is_utc_and_pendulums_naming_the_field() -> None:
    """Every instant a target stores is a pendulum DateTime in UTC; anything else is
    refused naming the field and echoing the value."""
    paris = START.in_timezone("Europe/Paris")
    for bad in (paris, datetime(2026, 11, 27, 9, tzinfo=UTC), "09:00"):
        with pytest.raises(PolicyError) as info:
            ResponseTarget(started_at=bad, due_at=DUE)  # type: ignore[arg-type]
        assert info.value.field == "started_at"
        assert info.value.detail.startswith("expected a pendulum DateTime in UTC")
        assert info.value.detail.endswith(f"got {bad!r}")


def target() -> ResponseTarget:
    return ResponseTarget(started_at=START, due_at=DUE)


def test_new_target_is_pending_with_a_breach_timer() -> None:
    """A new target waits for a staff reply; its timer is the due instant."""
    t = target()
    assert (t.pending, t.breached, t.dropped_at, t.met_at, t.breach_at) == (
        True,
        False,
        None,
        None,
        DUE,
    )


def test_reply_at_due_meets_the_target() -> None:
    """At or before due is in time (response.target): not breached, no timer left."""
    for reply in (START, DUE.subtract(minutes=1), DUE):
        met = target().meet(reply)
        assert (met.met_at, met.breached, met.pending, met.breach_at) == (reply, False, False, None)


def test_late_reply_is_recorded_and_stays_breached() -> None:
    """A reply after due records met_at and the target stays breached."""
    breached = target().breach()
    assert (breached.pending, breached.breached, breached.breach_at) == (True, True, None)
    late = breached.meet(DUE.add(seconds=1))
    assert (late.met_at, late.breached, late.pending) == (DUE.add(seconds=1), True, False)


def test_a_target_met_in_time_cannot_be_breached() -> None:
    """response.target: a target met by its due instant is not breached, and saying it
    was is refused naming the rule and the field."""
    met = target().meet(START.add(hours=1))
    with pytest.raises(PolicyError) as refused:
        met.breach()
    assert (refused.value.rule, refused.value.field) == (RuleId.RESPONSE_TARGET, "breached")


def test_drop_ends_the_target_without_a_reply() -> None:
    """Resolve or invalidate drops a pending target: no longer pending, no timer."""
    dropped = target().drop(START.add(minutes=5))
    assert (dropped.dropped_at, dropped.met_at, dropped.pending, dropped.breach_at) == (
        START.add(minutes=5),
        None,
        False,
        None,
    )
    assert target().breach().drop(DUE.add(hours=1)).breached


@given(offset=st.integers(min_value=0, max_value=10_000))
def test_breached_exactly_when_the_reply_is_after_due(offset: int) -> None:
    """For any reply instant, breached == (reply > due), timer fired or not."""
    reply = START.add(minutes=offset)
    assert target().meet(reply).breached == (reply > DUE)
    if reply > DUE:
        assert target().breach().meet(reply).breached


def test_inconsistent_targets_are_refused() -> None:
    """Instants before the start, met and dropped at once, or a breach that cannot be:
    PolicyError naming response.target and the field."""
    cases = [
        ({"due_at": START.subtract(minutes=1)}, "due_at"),
        ({"due_at": DUE, "met_at": START.subtract(minutes=1)}, "met_at"),
        ({"due_at": DUE, "dropped_at": START.subtract(minutes=1)}, "dropped_at"),
        ({"due_at": DUE, "met_at": DUE, "breached": True}, "breached"),
        ({"due_at": DUE, "met_at": DUE.add(minutes=1)}, "breached"),
        ({"due_at": DUE, "dropped_at": DUE.subtract(minutes=1), "breached": True}, "breached"),
    ]
    for fields, name in cases:
        with pytest.raises(PolicyError) as info:
            ResponseTarget(started_at=START, **fields)  # type: ignore[arg-type]
        assert (info.value.rule, info.value.field) == (RuleId.RESPONSE_TARGET, name)
    with pytest.raises(PolicyError, match="met or dropped") as both:
        ResponseTarget(started_at=START, due_at=DUE, met_at=DUE, dropped_at=DUE)
    assert both.value.rule is RuleId.RESPONSE_TARGET
    early = START.subtract(minutes=1)
    with pytest.raises(PolicyError) as before:
        ResponseTarget(started_at=START, due_at=early)
    assert before.value.detail == f"{early} is before the target started at {START}"


def test_instants_must_be_stored_in_utc() -> None:
    """Stored instants are pendulum UTC: a Paris or stdlib datetime is refused."""
    paris = START.in_tz("Europe/Paris")
    stdlib = datetime(2026, 11, 27, 9, tzinfo=UTC)
    for bad in (paris, stdlib):
        with pytest.raises(PolicyError, match="UTC") as info:
            ResponseTarget(started_at=bad, due_at=DUE)  # type: ignore[arg-type]
        assert info.value.field == "started_at"
        with pytest.raises(PolicyError, match="UTC"):
            ResponseTarget(started_at=START, due_at=bad)  # type: ignore[arg-type]


def test_changes_that_make_an_inconsistent_target_are_refused() -> None:
    """meet, breach and drop check like the constructor (response.target): a reply or
    a drop before the start, both on one target, a breach dropped before its due
    instant, or a Paris instant, each a PolicyError naming the field."""
    met, dropped = target().meet(DUE), target().drop(DUE)
    cases: list[tuple[Callable[[], object], str | None]] = [
        (lambda: target().meet(START.subtract(minutes=1)), "met_at"),
        (lambda: target().meet(START.in_tz("Europe/Paris")), "met_at"),
        (lambda: dropped.meet(DUE), None),
        (lambda: met.breach(), "breached"),
        (lambda: target().drop(START.subtract(minutes=1)), "dropped_at"),
        (lambda: target().drop(START.in_tz("Europe/Paris")), "dropped_at"),
        (lambda: target().breach().drop(DUE.subtract(minutes=1)), "breached"),
        (lambda: met.drop(DUE), None),
    ]
    for change, name in cases:
        with pytest.raises(PolicyError) as info:
            change()
        assert info.value.field == name
    with pytest.raises(PolicyError) as early:
        target().drop(DUE.subtract(minutes=1)).breach()
    assert (early.value.rule, early.value.field, early.value.detail) == (
        RuleId.RESPONSE_TARGET,
        "breached",
        "a target dropped before its due instant cannot be breached",
    )
    with pytest.raises(PolicyError) as in_time:
        met.breach()
    assert in_time.value.detail == f"breached must be False for a reply at {DUE} due at {DUE}"
    assert target().breach().drop(DUE).dropped_at == DUE  # at the due instant: fine
    assert met.meet(DUE.add(hours=1)).breached  # a second reply, late: breached


@pytest.mark.parametrize("operation", [ResponseTarget.meet, ResponseTarget.drop])
@pytest.mark.parametrize("at", [None, "2026-11-27T10:00:00Z", START.in_timezone("Europe/Paris")])
def test_meet_and_drop_refuse_non_utc_instants_naming_the_instant_field(
    operation: Callable[[ResponseTarget, object], ResponseTarget], at: object
) -> None:
    """A reply or drop at something that is no stored UTC instant is a PolicyError
    naming the instant it would set (None would otherwise read as "not met")."""
    target = ResponseTarget(started_at=START, due_at=START.add(hours=2))
    with pytest.raises(PolicyError) as info:
        operation(target, at)
    assert info.value.field == {"meet": "met_at", "drop": "dropped_at"}[operation.__name__]
    assert info.value.detail.endswith(f"got {at!r}")


_INSTANT = st.sampled_from(
    [START, START.add(hours=1), DUE, DUE.add(minutes=1), START.subtract(minutes=1)]
)
_FIELD = st.one_of(
    st.none(), _INSTANT, st.just(datetime(2026, 11, 27, 9, tzinfo=UTC)), st.just("09:00")
)


_STDLIB = datetime(2026, 11, 27, 10, tzinfo=UTC)  # an aware instant, not pendulum's
_HOUR = START.add(hours=1)


# One example per check of the fast path, at its edge, valid and not: few random draws
# give a valid target with a reply or a drop.
@example(started=START, due=START, met=None, breached=False, dropped=None)
@example(started=START, due=DUE, met=START, breached=False, dropped=None)
@example(started=START, due=DUE, met=DUE, breached=False, dropped=None)
@example(started=START, due=DUE, met=DUE.add(minutes=1), breached=True, dropped=None)
@example(started=START, due=DUE, met=_HOUR, breached=True, dropped=None)
@example(started=START, due=DUE, met=START.subtract(minutes=1), breached=False, dropped=None)
@example(started=START, due=DUE, met=_STDLIB, breached=False, dropped=None)
@example(started=START, due=DUE, met=_HOUR, breached=False, dropped=_HOUR)
@example(started=START, due=DUE, met=None, breached=False, dropped=START)
@example(started=START, due=DUE, met=None, breached=False, dropped=START.subtract(minutes=1))
@example(started=START, due=DUE, met=None, breached=False, dropped=_STDLIB)
@example(started=START, due=DUE, met=None, breached=True, dropped=DUE)
@example(started=START, due=DUE, met=None, breached=True, dropped=_HOUR)
@given(
    started=st.one_of(_INSTANT, _FIELD),
    due=st.one_of(_INSTANT, _FIELD),
    met=_FIELD,
    breached=st.sampled_from([False, True, 0, 1]),
    dropped=_FIELD,
)
def test_the_checked_fast_constructor_is_the_constructor(
    started: object, due: object, met: object, breached: object, dropped: object
) -> None:
    """checked_target (a snapshot's reading) accepts exactly what the constructor does,
    builds the equal value, and otherwise raises the constructor's error."""
    fields = {
        "started_at": started, "due_at": due, "met_at": met, "breached": breached,
        "dropped_at": dropped,
    }  # fmt: skip
    try:
        expected: ResponseTarget | str = ResponseTarget(**fields)  # type: ignore[arg-type]
    except Exception as error:  # None for started_at is a TypeError: the same one
        expected = f"{type(error).__name__}: {error}"
    try:
        found: ResponseTarget | str = checked_target(*fields.values())  # type: ignore[arg-type]
    except Exception as error:
        found = f"{type(error).__name__}: {error}"
    assert found == expected
    assert type(found) is type(expected)


@pytest.mark.parametrize(
    ("due", "met", "breached", "dropped"),
    [
        (START, None, False, None),  # due at the very start
        (DUE, START, False, None),  # a reply at the start
        (DUE, DUE, False, None),  # a reply at the due instant: in time
        (DUE, DUE.add(minutes=1), True, None),
        (DUE, None, False, START),  # dropped at the start
        (DUE, None, True, DUE),  # breached, dropped at the due instant
        (DUE, None, True, DUE.add(minutes=1)),
    ],
)
def test_valid_fields_never_fall_back_to_the_constructor(
    monkeypatch: pytest.MonkeyPatch,
    due: pendulum.DateTime,
    met: pendulum.DateTime | None,
    breached: bool,
    dropped: pendulum.DateTime | None,
) -> None:
    """Every valid target, at the edge of each check, is built by checked_target's own
    expression: the constructor's checks, a few times slower, run only for fields
    that fail one."""
    expected = ResponseTarget(
        started_at=START, due_at=due, met_at=met, breached=breached, dropped_at=dropped
    )

    def constructor(**fields: object) -> ResponseTarget:
        raise AssertionError(f"fell back to the constructor for {fields}")

    monkeypatch.setattr(_response, "ResponseTarget", constructor)
    assert checked_target(START, due, met, breached, dropped) == expected
