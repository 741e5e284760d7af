"""Lots: the credits of one purchase, with their validity and expiry notices.

Rules ``credits.validity`` and ``credits.expiry-notice``. A lot bought at t is valid on
``[t, t + validity_years)``, the years added to the policy zone's wall clock; instants
are stored in UTC (see :mod:`premier_policy.base._instants`).
"""

from __future__ import annotations

from typing import Literal, TypeAlias

import pendulum
from attrs import field, frozen

from premier_policy.base._checks import text, whole
from premier_policy.base._copies import replaced
from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import utc
from premier_policy.base._rules import RuleId
from premier_policy.terms._money import Money
from premier_policy.terms._policy import Policy

__all__ = ["EXPIRY_NOTICES", "ExpiryNotice", "Lot", "notice_at", "valid_until"]

ExpiryNotice: TypeAlias = Literal["credits_expiring", "credits_expired"]
#: In the order they fire for one lot.
EXPIRY_NOTICES: tuple[ExpiryNotice, ...] = ("credits_expiring", "credits_expired")


def valid_until(policy: Policy, purchased_at: object) -> pendulum.DateTime:
    """When a lot bought at ``purchased_at`` expires (exclusive), in UTC.

    The years are added to the policy zone's wall clock: 29 February gives 28 February,
    and the wall-clock time is kept across summer time. A wall-clock time that the
    expiry day lacks (spring gap) moves forward by the gap, and one it has twice (autumn
    fold) is the later reading: the customer never gets less than the wall-clock years.

    >>> show = Policy().show
    >>> show(valid_until(Policy(), pendulum.datetime(2028, 2, 29, 10, tz="Europe/Paris")))
    '2029-02-28 10:00 CET'
    """
    start = policy.local(purchased_at, field="at")
    try:
        return policy.wall_add(start, years=policy.validity_years)
    except PolicyError:
        raise PolicyError(
            f"a lot bought on {policy.show(start)} would expire after the year 9999",
            rule=RuleId.CREDITS_VALIDITY,
            field="at",
        ) from None


def _purchased_at(value: object) -> pendulum.DateTime:
    return utc(value, field="purchased_at")


def _expires_at(value: object) -> pendulum.DateTime:
    return utc(value, field="expires_at")


@frozen(kw_only=True)
class Lot:
    """The credits of one purchase: how many, how many are left, when they are valid.

    ``notices`` lists the expiry notices already dealt with (sent, or skipped because
    nothing was left to expire), so that each is considered exactly once.

    >>> from premier_policy.terms._money import Money
    >>> lot = Lot(id="p1", product="bundle-3", credits=3, remaining=1,
    ...           purchased_at=pendulum.datetime(2026, 11, 27, 9),
    ...           expires_at=pendulum.datetime(2027, 11, 27, 9), price=Money("225", "USD"))
    >>> lot.consumed, lot.usable_at(pendulum.datetime(2027, 11, 27, 8, 59))
    (2, True)
    >>> lot.usable_at(pendulum.datetime(2027, 11, 27, 9))
    False
    """

    id: str = field(validator=text())
    product: str = field(validator=text())
    credits: int = field(validator=whole(0))
    remaining: int = field(validator=whole(0))
    purchased_at: pendulum.DateTime = field(converter=_purchased_at)
    expires_at: pendulum.DateTime = field(converter=_expires_at)
    price: Money
    notices: tuple[ExpiryNotice, ...] = ()
    #: The policy version of the purchase, whose terms the lot keeps
    #: (``policy.pinned-terms``); 0 is the base policy.
    policy_version: int = field(default=0, validator=whole(0))
    # The policy last asked about and this lot's notices under it (instant, kind):
    # wall-clock arithmetic is slow, and the timers are asked for after every change.
    _schedule: tuple[Policy, tuple[tuple[pendulum.DateTime, ExpiryNotice], ...]] | None = field(
        init=False, default=None, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        if self.credits < 1:
            raise PolicyError("a lot holds at least one credit", field="credits")
        if self.remaining > self.credits:
            raise PolicyError(
                f"remaining ({self.remaining}) exceeds credits ({self.credits})",
                field="remaining",
            )
        if self.expires_at <= self.purchased_at:
            raise PolicyError("a lot expires after it is bought", field="expires_at")
        if not isinstance(self.price, Money):
            raise PolicyError(f"expected Money, got {type(self.price).__name__}", field="price")
        if not isinstance(self.notices, tuple) or len(set(self.notices)) != len(self.notices):
            raise PolicyError("expected a tuple of distinct notice kinds", field="notices")
        if not set(self.notices) <= set(EXPIRY_NOTICES):
            raise PolicyError(f"unknown notice kind in {shown(self.notices)}", field="notices")

    @property
    def consumed(self) -> int:
        """Credits taken from this lot and not given back."""
        return self.credits - self.remaining

    def valid_at(self, at: object) -> bool:
        """Whether ``at`` lies in ``[purchased_at, expires_at)``."""
        return self._covers(utc(at))

    def _covers(self, t: pendulum.DateTime) -> bool:
        # valid_at for an instant already in UTC: internal, for the hot loops that have
        # converted it once, so it neither converts nor checks.
        return self.purchased_at <= t < self.expires_at

    def usable_at(self, at: object) -> bool:
        """Whether a credit can be taken from this lot at ``at``: valid then, not used up
        (``credits.consume-order`` takes from these only)."""
        return self.remaining > 0 and self._covers(utc(at))

    def take(self) -> Lot:
        """This lot with one credit fewer."""
        if not self.remaining:
            raise PolicyError(f"lot {self.id} has no credit left", field="lot")
        return replaced(self, remaining=self.remaining - 1)

    def give_back(self) -> Lot:
        """This lot with one consumed credit back, keeping its expiry (``credits.restore``)."""
        if not self.consumed:
            raise PolicyError(
                f"lot {self.id} has no consumed credit to restore",
                rule=RuleId.CREDITS_RESTORE,
                field="lot",
            )
        return replaced(self, remaining=self.remaining + 1)

    def noticed(self, notices: tuple[ExpiryNotice, ...]) -> Lot:
        """This lot with ``notices`` dealt with (the account's :meth:`~Account.advance`
        passes those of :meth:`pending`, in firing order)."""
        return replaced(self, notices=notices)

    def pending(self, policy: Policy) -> tuple[tuple[pendulum.DateTime, ExpiryNotice], ...]:
        """The expiry notices not yet dealt with, with their instants, in firing order."""
        memo = self._schedule
        if memo is not None and memo[0] is policy:
            schedule = memo[1]
        else:
            schedule = tuple(
                (at, kind)
                for kind in EXPIRY_NOTICES
                if (at := notice_at(policy, self, kind)) is not None
            )
            # Remembered for this policy only; copies made by replaced() keep it.
            object.__setattr__(self, "_schedule", (policy, schedule))
        if not self.notices:
            return schedule
        return tuple(each for each in schedule if each[1] not in self.notices)


def notice_at(policy: Policy, lot: Lot, kind: ExpiryNotice) -> pendulum.DateTime | None:
    """When ``kind`` is due for ``lot`` (UTC), or ``None`` if the policy sends none.

    ``credits_expiring`` is ``expiry_notice_days`` before expiry on the wall clock, but
    never before the purchase (a lot valid for less than the notice period is announced
    as expiring when bought); ``expiry_notice_days=0`` sends none. ``credits_expired``
    is the expiry instant itself.
    """
    if kind == "credits_expired":
        return lot.expires_at
    policy = policy.terms(lot.policy_version)  # the notice period of the purchase
    if not policy.expiry_notice_days:
        return None
    try:
        expiring = policy.wall_add(lot.expires_at, days=-policy.expiry_notice_days)
    except PolicyError:
        return lot.purchased_at  # before the year 1, so certainly before the purchase
    return max(expiring, lot.purchased_at)
