"""The incident value: what an incident is at one moment, checked for consistency.

Transitions live in :mod:`premier_policy.incidents._lifecycle`; this value only holds facts and
answers questions about them. Instants are UTC. Which optional instants are set depends
on the state (checked on construction):

============  ===========  =============  =========  ============
state         resolved_at  auto_close_at  closed_at  reopen_until
============  ===========  =============  =========  ============
waiting_*     --           --             --         --
resolved      set          set            --         --
closed        set          --             set        set
invalid       kept         --             kept       --
============  ===========  =============  =========  ============

An invalidated incident keeps its resolution and closing instants as history, and its
logged time and allowance as the record of the work done; it holds no credit.
"""

from __future__ import annotations

from typing import Any

import pendulum
from attrs import Attribute, field, frozen
from attrs.validators import optional

from premier_policy.base._checks import instance, text, tuple_of, whole
from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._events import AREAS, INVALID_REASONS, Area, InvalidReason
from premier_policy.base._rules import RuleId
from premier_policy.incidents._allowance import Allowance
from premier_policy.incidents._response import ResponseTarget, stored_instant
from premier_policy.incidents._states import STATES, State
from premier_policy.terms._policy import Policy

__all__ = ["Incident"]


def _one_of(choices: tuple[str, ...], rule: RuleId | None = None) -> Any:
    def check(_: object, attribute: Attribute[Any], value: object) -> None:
        if value not in choices:
            raise PolicyError(
                f"expected one of {', '.join(choices)}, got {shown(value)}",
                rule=rule,
                field=attribute.name,
            )

    return check


# Which optional instants each state requires (True), forbids (False) or leaves open (None).
_INSTANTS: dict[State, tuple[bool | None, bool | None, bool | None, bool | None]] = {
    "waiting_on_staff": (False, False, False, False),
    "waiting_on_customer": (False, False, False, False),
    "resolved": (True, True, False, False),
    "closed": (True, False, True, True),
    "invalid": (None, False, None, False),
}
_INSTANT_FIELDS = ("resolved_at", "auto_close_at", "closed_at", "reopen_until")


@frozen(kw_only=True)
class Incident:
    """One support incident as it stands; change it with the lifecycle functions.

    >>> from premier_policy.incidents._response import ResponseTarget
    >>> t = pendulum.datetime(2026, 11, 27, 9, tz="UTC")
    >>> incident = Incident(
    ...     id="i1", customer="acme", area="setup", state="waiting_on_staff", opened_at=t,
    ...     lots=("p1",), allowance=Allowance(minutes=240),
    ...     response_targets=(ResponseTarget(started_at=t, due_at=t.add(hours=2)),),
    ... )
    >>> incident.credits_used, incident.time_used_minutes, incident.allowance_minutes
    (1, 0, 240)
    >>> incident.next_timer_at(Policy()) == t.add(hours=2)
    True
    """

    id: str = field(validator=text())
    customer: str = field(validator=text())
    area: Area = field(validator=_one_of(AREAS, RuleId.SCOPE_AREAS))
    state: State = field(validator=_one_of(STATES))
    opened_at: pendulum.DateTime = field(validator=stored_instant)
    #: The lot each credit held came from, in the order taken (opening first).
    lots: tuple[str, ...] = field(validator=tuple_of(str, what="lot IDs"))
    allowance: Allowance = field(validator=instance(Allowance))
    response_targets: tuple[ResponseTarget, ...] = field(
        validator=tuple_of(ResponseTarget, what="ResponseTarget values")
    )
    resolved_at: pendulum.DateTime | None = field(default=None, validator=stored_instant)
    auto_close_at: pendulum.DateTime | None = field(default=None, validator=stored_instant)
    closed_at: pendulum.DateTime | None = field(default=None, validator=stored_instant)
    reopen_until: pendulum.DateTime | None = field(default=None, validator=stored_instant)
    #: The policy version in force when the incident was opened, whose incident terms
    #: it keeps through reopens and extensions (``policy.pinned-terms``); 0 is the base.
    policy_version: int = field(default=0, validator=whole(0), kw_only=True)
    invalid_reason: InvalidReason | None = field(
        default=None, validator=optional(_one_of(INVALID_REASONS))
    )

    def __attrs_post_init__(self) -> None:
        invalid = self.state == "invalid"
        if invalid != (self.invalid_reason is not None):
            raise PolicyError(
                f"an incident has a reason exactly when invalid; state {self.state}",
                field="invalid_reason",
            )
        if invalid == bool(self.lots):
            raise PolicyError(
                f"an incident holds credits exactly when not invalid; state {self.state}",
                field="lots",
            )
        for name, wanted in zip(_INSTANT_FIELDS, _INSTANTS[self.state], strict=True):
            if wanted is not None and wanted != (getattr(self, name) is not None):
                raise PolicyError(
                    f"must {'' if wanted else 'not '}be set while {self.state}", field=name
                )
        targets = self.response_targets
        # Only the newest target can be pending, and one is exactly while waiting on staff.
        if not targets or any(t.pending for t in targets[:-1]):
            raise PolicyError("only the newest target can be pending", field="response_targets")
        if targets[-1].pending != (self.state == "waiting_on_staff"):
            raise PolicyError(
                f"a target is pending exactly while waiting_on_staff; state {self.state}",
                field="response_targets",
            )

    @property
    def credits_used(self) -> int:
        """Credits the incident holds now (0 once invalidated)."""
        return len(self.lots)

    @property
    def time_used_minutes(self) -> int:
        """Minutes of staff time logged."""
        return self.allowance.used

    @property
    def allowance_minutes(self) -> int:
        """Minutes of staff time granted by the credits taken."""
        return self.allowance.minutes

    @property
    def pending_target(self) -> ResponseTarget | None:
        """The response target staff still owe a reply to, if any."""
        last = self.response_targets[-1]
        return last if last.pending else None

    def next_timer_at(self, policy: Policy) -> pendulum.DateTime | None:
        """The earliest instant (UTC) at which something happens by itself: the pending
        target's breach or the auto-close; None when nothing will."""
        breach = self.response_targets[-1].breach_at
        # A pending target means waiting_on_staff, an auto-close means resolved:
        # never both, so whichever is set is the earliest.
        return breach if breach is not None else self.auto_close_at
