"""Response targets (``response.target``): when a staff reply is due, and whether it came.

A target starts each time an incident starts waiting on staff with none pending. It is
*pending* until a staff reply meets it or the incident is resolved or invalidated
(which drops it). Its one timer is the breach at ``due_at``; a late reply still records
``met_at`` and the target stays breached.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pendulum
from attrs import Attribute, evolve, field, frozen

from premier_policy.base._copies import maker, replaced
from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId

__all__ = ["ResponseTarget", "checked_target", "stored_instant"]


def stored_instant(_: object, attribute: Attribute[Any], value: object) -> None:
    """attrs validator: a stored instant is a pendulum ``DateTime`` in UTC (or None).

    Comparing instants in one zone goes by wall clock, wrong inside an autumn fold, so
    values keep UTC (``policy.utc(t)``) and only display uses the policy zone.
    """
    if value is not None and (
        type(value) is not pendulum.DateTime or value.tzinfo is not pendulum.UTC
    ):
        raise PolicyError(
            f"expected a pendulum DateTime in UTC (policy.utc(t)), got {shown(value)}",
            field=attribute.name,
        )


def _stored(value: object) -> bool:
    return type(value) is pendulum.DateTime and value.tzinfo is pendulum.UTC


def _check_stored(at: object, field: str) -> None:
    """``at`` given to meet or drop is a stored instant (None would read as "not met")."""
    if not _stored(at):
        raise PolicyError(
            f"expected a pendulum DateTime in UTC (policy.utc(t)), got {shown(at)}", field=field
        )


def _not_before_start(target: ResponseTarget, attribute: Attribute[Any], value: object) -> None:
    stored_instant(target, attribute, value)
    if value is not None and value < target.started_at:  # type: ignore[operator]
        raise PolicyError(
            f"{value} is before the target started at {target.started_at}",
            rule=RuleId.RESPONSE_TARGET,
            field=attribute.name,
        )


@frozen(kw_only=True)
class ResponseTarget:
    """One response target; instants are UTC.

    >>> start = pendulum.datetime(2026, 11, 27, 9, tz="UTC")
    >>> target = ResponseTarget(started_at=start, due_at=start.add(hours=2))
    >>> target.pending, target.breach_at == target.due_at
    (True, True)
    >>> met = target.meet(start.add(hours=1))
    >>> met.pending, met.breached, met.breach_at
    (False, False, None)
    >>> target.breach().meet(start.add(hours=3)).breached
    True
    """

    started_at: pendulum.DateTime = field(validator=stored_instant)
    due_at: pendulum.DateTime = field(validator=_not_before_start)
    met_at: pendulum.DateTime | None = field(default=None, validator=_not_before_start)
    breached: bool = False
    dropped_at: pendulum.DateTime | None = field(default=None, validator=_not_before_start)

    def __attrs_post_init__(self) -> None:
        if self.met_at is not None and self.dropped_at is not None:
            raise PolicyError("a target is met or dropped, not both", rule=RuleId.RESPONSE_TARGET)
        # A reply at or before due meets the target; only a later one leaves it breached.
        if self.met_at is not None and self.breached != (self.met_at > self.due_at):
            raise PolicyError(
                f"breached must be {not self.breached} for a reply at {self.met_at} "
                f"due at {self.due_at}",
                rule=RuleId.RESPONSE_TARGET,
                field="breached",
            )
        if self.breached and self.dropped_at is not None and self.dropped_at < self.due_at:
            raise PolicyError(
                "a target dropped before its due instant cannot be breached",
                rule=RuleId.RESPONSE_TARGET,
                field="breached",
            )

    @property
    def pending(self) -> bool:
        """Neither met nor dropped: staff still owe a reply (breached or not)."""
        return self.met_at is None and self.dropped_at is None

    @property
    def breach_at(self) -> pendulum.DateTime | None:
        """The instant the breach timer fires, or None when it will not."""
        return self.due_at if self.pending and not self.breached else None

    def meet(self, at: pendulum.DateTime) -> ResponseTarget:
        """A staff reply at ``at`` (UTC); breached if it comes after ``due_at``."""
        if _stored(at) and at >= self.started_at and self.dropped_at is None:
            return replaced(self, met_at=at, breached=at > self.due_at)
        _check_stored(at, "met_at")
        # Too early, or dropped already: the validators say which.
        return evolve(self, met_at=at)

    def breach(self) -> ResponseTarget:
        """The due instant passed with no reply."""
        if self.pending:
            return replaced(self, breached=True)
        return evolve(self, breached=True)  # to say what is wrong

    def drop(self, at: pendulum.DateTime) -> ResponseTarget:
        """The incident stopped waiting on staff at ``at`` (resolved or invalidated)."""
        if _stored(at) and self.met_at is None:
            fits = at >= self.due_at if self.breached else at >= self.started_at
            if fits:
                return replaced(self, dropped_at=at)
        _check_stored(at, "dropped_at")
        return evolve(self, dropped_at=at)  # to say what is wrong


_new_target: Final[
    Callable[
        [
            pendulum.DateTime,
            pendulum.DateTime,
            pendulum.DateTime | None,
            bool,
            pendulum.DateTime | None,
        ],
        ResponseTarget,
    ]
] = maker(ResponseTarget)


def checked_target(
    started_at: pendulum.DateTime,
    due_at: pendulum.DateTime,
    met_at: pendulum.DateTime | None,
    breached: bool,
    dropped_at: pendulum.DateTime | None,
) -> ResponseTarget:
    """``ResponseTarget(...)`` of these fields, every check of its constructor made in
    one expression: for the tens of thousands a snapshot's reading builds. Fields that
    fail a check go to the constructor, which says which.

    >>> start = pendulum.datetime(2026, 11, 27, 9, tz="UTC")
    >>> checked_target(start, start.add(hours=2), None, False, None) == ResponseTarget(
    ...     started_at=start, due_at=start.add(hours=2))
    True
    """
    if (
        _stored(started_at)
        and _stored(due_at)
        and due_at >= started_at
        and (met_at is None or (_stored(met_at) and met_at >= started_at))
        and (dropped_at is None or (_stored(dropped_at) and dropped_at >= started_at))
        and (met_at is None or (dropped_at is None and breached == (met_at > due_at)))
        and not (breached and dropped_at is not None and dropped_at < due_at)
    ):
        return _new_target(started_at, due_at, met_at, breached, dropped_at)
    return ResponseTarget(
        started_at=started_at,
        due_at=due_at,
        met_at=met_at,
        breached=breached,
        dropped_at=dropped_at,
    )
