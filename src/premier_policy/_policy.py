"""The policy: every number of the service in one value, each configurable."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pendulum
from attrs import Attribute, field, frozen

from premier_policy._calendar import Calendar
from premier_policy._catalog import Catalog
from premier_policy._errors import PolicyError
from premier_policy._instants import instant, utc

__all__ = ["Policy"]


def _count(minimum: int) -> Any:
    def check(_: object, attribute: Attribute[Any], value: object) -> None:
        if type(value) is not int or value < minimum:
            raise PolicyError(
                f"expected a whole number of at least {minimum}, got {value!r}",
                field=attribute.name,
            )

    return check


@frozen(kw_only=True)
class Policy:
    """The Premier Support policy; ``Policy()`` is the service as sold.

    >>> p = Policy()
    >>> p.response_target_minutes, p.allowance_minutes, p.warning_minutes
    (120, 240, 60)
    >>> p.validity_years, p.auto_close_days, p.reopen_days, p.expiry_notice_days
    (1, 30, 30, 30)
    >>> Policy(warning_minutes=300)
    Traceback (most recent call last):
    ...
    premier_policy._errors.PolicyError: warning_minutes: must not exceed allowance_minutes (240), got 300
    """

    calendar: Calendar = field(factory=Calendar)
    catalog: Catalog = field(factory=Catalog)
    response_target_minutes: int = field(default=120, validator=_count(1))
    allowance_minutes: int = field(default=240, validator=_count(1))
    warning_minutes: int = field(default=60, validator=_count(0))
    validity_years: int = field(default=1, validator=_count(1))
    expiry_notice_days: int = field(default=30, validator=_count(0))
    auto_close_days: int = field(default=30, validator=_count(1))
    reopen_days: int = field(default=30, validator=_count(1))

    @warning_minutes.validator
    def _warning_fits(self, attribute: Attribute[int], value: int) -> None:
        if value > self.allowance_minutes:
            raise PolicyError(
                f"must not exceed allowance_minutes ({self.allowance_minutes}), got {value}",
                field=attribute.name,
            )

    @property
    def tz(self) -> pendulum.Timezone:
        """The policy time zone (the calendar's)."""
        return self.calendar.tz

    def utc(self, t: object, *, field: str = "at") -> pendulum.DateTime:
        """``t`` in UTC, as value objects store it; naive datetimes are refused
        (``input.aware-only``)."""
        return utc(t, field=field)

    def local(self, t: object, *, field: str = "at") -> pendulum.DateTime:
        """``t`` in the policy zone, for wall-clock arithmetic and display."""
        return instant(t, self.tz, field=field)

    def show(self, t: object) -> str:
        """``t`` as a customer reads it in a refusal: wall clock and zone abbreviation.

        >>> Policy().show(pendulum.datetime(2027, 1, 5, 18, tz="UTC"))
        '2027-01-05 19:00 CET'
        >>> Policy().show(pendulum.datetime(2027, 7, 5, 17, 30, 15, tz="UTC"))
        '2027-07-05 19:30:15 CEST'
        """
        local = self.local(t, field="t")
        pattern = "YYYY-MM-DD HH:mm zz" if not local.second else "YYYY-MM-DD HH:mm:ss zz"
        return local.format(pattern)

    def response_due(self, t: datetime) -> pendulum.DateTime:
        """When a response is due for an incident that starts waiting on staff at ``t``."""
        return self.calendar.add(t, pendulum.duration(minutes=self.response_target_minutes))
