"""The time allowance of an incident (``time.*``): minutes granted, used and warned about.

Each credit an incident holds grants ``policy.allowance_minutes``; staff log whole
minutes against it. The *warning level* is reached when ``warning_minutes`` or fewer
remain; the customer hears of it once per allowance level (the allowance after each
extension is a new level). Decision: a log that lands exactly on the allowance, without
an earlier warning at that level, sends the warning and then the exhausted notice, since
0 minutes left is also "1 hour or less". ``warning_minutes = 0`` turns warnings off;
extending then waits until the allowance is exhausted.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from attrs import evolve, field, frozen

from premier_policy.base._checks import whole
from premier_policy.base._copies import replaced
from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._notifications import NotificationKind
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId

__all__ = ["NOTICES", "Allowance"]

#: The notice each allowance rule sends.
NOTICES: Mapping[RuleId, NotificationKind] = MappingProxyType(
    {
        RuleId.TIME_ALLOWANCE_WARNING: "allowance_warning",
        RuleId.TIME_ALLOWANCE_EXHAUSTED: "allowance_exhausted",
    }
)


_minutes = whole(0, unit="minutes", rule=RuleId.TIME_ALLOWANCE)


@frozen(kw_only=True)
class Allowance:
    """Minutes granted, minutes used, and the level (granted minutes) last warned about.

    >>> a = Allowance(minutes=240)
    >>> a, kinds = a.log(170, warning_minutes=60)
    >>> a.remaining, kinds
    (70, ())
    >>> a, kinds = a.log(10, warning_minutes=60)
    >>> a.remaining, kinds
    (60, ('allowance_warning',))
    >>> a.log(61, warning_minutes=60).rule
    <RuleId.TIME_ALLOWANCE_EXCEEDED: 'time.allowance-exceeded'>
    >>> a.log(60, warning_minutes=60)[1]
    ('allowance_exhausted',)
    """

    minutes: int = field(validator=_minutes)
    used: int = field(default=0, validator=_minutes)
    warned: int = field(default=0, validator=_minutes)

    def __attrs_post_init__(self) -> None:
        if self.used > self.minutes:
            raise PolicyError(
                f"{self.used} minutes used exceed the allowance of {self.minutes}",
                rule=RuleId.TIME_ALLOWANCE_EXCEEDED,
                field="used",
            )
        if self.warned > self.minutes:
            raise PolicyError(
                f"warned at level {self.warned}, above the allowance of {self.minutes}",
                rule=RuleId.TIME_ALLOWANCE_WARNING,
                field="warned",
            )

    @property
    def remaining(self) -> int:
        """Minutes left to log."""
        return self.minutes - self.used

    def at_warning_level(self, warning_minutes: int) -> bool:
        """Whether ``warning_minutes`` or fewer remain (extension is allowed from here)."""
        return self.remaining <= warning_minutes

    def log(
        self, minutes: int, *, warning_minutes: int
    ) -> tuple[Allowance, tuple[NotificationKind, ...]] | Refusal:
        """Log ``minutes`` (>= 1): the new allowance and the notices it triggers, or the
        ``time.allowance-exceeded`` refusal saying how many minutes remain."""
        if type(minutes) is not int or minutes < 1:
            raise PolicyError(
                f"expected a whole number of at least 1, got {shown(minutes)}",
                rule=RuleId.INPUT_MALFORMED,
                field="minutes",
            )
        if type(warning_minutes) is not int or warning_minutes < 0:
            raise PolicyError(
                f"expected a whole number of at least 0, got {shown(warning_minutes)}",
                rule=RuleId.TIME_ALLOWANCE_WARNING,
                field="warning_minutes",
            )
        if minutes > self.remaining:
            return Refusal(
                RuleId.TIME_ALLOWANCE_EXCEEDED,
                f"logging {minutes} minutes would exceed the time allowance: "
                f"{self.remaining} of {self.minutes} minutes remain; extend the incident "
                "with another credit to log more",
            )
        # Both fit the allowance (checked above), so the copies need no checking.
        after = replaced(self, used=self.used + minutes)
        kinds: tuple[NotificationKind, ...] = ()
        if warning_minutes and after.warned != after.minutes and after.remaining <= warning_minutes:
            after = replaced(after, warned=after.minutes)
            kinds = (NOTICES[RuleId.TIME_ALLOWANCE_WARNING],)
        if after.remaining == 0:
            kinds = (*kinds, NOTICES[RuleId.TIME_ALLOWANCE_EXHAUSTED])
        return after, kinds

    def extend(self, minutes: int, *, warning_minutes: int) -> Allowance | Refusal:
        """Grant ``minutes`` more, allowed only at the warning level; otherwise the
        ``time.extension-not-needed`` refusal."""
        if not self.at_warning_level(warning_minutes):
            return Refusal(
                RuleId.TIME_EXTENSION_NOT_NEEDED,
                f"no extension is needed yet: {self.remaining} of {self.minutes} minutes "
                f"remain; extending is possible once {warning_minutes} or fewer remain",
            )
        return evolve(self, minutes=self.minutes + minutes)
