"""The policy: every number of the service in one value, each configurable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final

import pendulum
from attrs import Attribute, field, frozen

from premier_policy.base._checks import whole
from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import instant, utc
from premier_policy.hours._calendar import Calendar
from premier_policy.terms._catalog import Catalog

__all__ = ["MAX_DAYS", "MAX_MINUTES", "MAX_RESPONSE_MINUTES", "MAX_YEARS", "Policy"]

#: The bounds of the policy's numbers: no more than the calendar itself spans, the
#: years 1 to 9999 (3,652,058 days). A larger number could only carry an instant past
#: the year 9999, so it is refused when the policy is built; within the bounds, a sum
#: that still passes the year 9999 is refused by the rule that computes it
#: (``hours.arithmetic``, ``credits.validity``, ...).
MAX_YEARS: Final = 9998
MAX_DAYS: Final = 3_652_058
MAX_MINUTES: Final = MAX_DAYS * 24 * 60
#: The bound of ``response_target_minutes``: a year of minutes. Business time is
#: counted a year at a time, so a target of millennia would be refused only after
#: every year up to 9999 was counted; no response target is that long.
MAX_RESPONSE_MINUTES: Final = 365 * 24 * 60


def _span(days: int, years: int) -> str:
    """``_span(30, 0) == "30 days"``, ``_span(-1, 1) == "1 year and 1 day"``."""
    parts = [
        f"{abs(n)} {unit if abs(n) == 1 else unit + 's'}"
        for n, unit in ((years, "year"), (days, "day"))
        if n
    ]
    return " and ".join(parts) or "0 days"


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
    premier_policy.PolicyError: warning_minutes: must not exceed allowance_minutes (240), got 300

    Each number has a bound: the span of the calendar (:data:`MAX_MINUTES`,
    :data:`MAX_DAYS`, :data:`MAX_YEARS`), or a year for the response target
    (:data:`MAX_RESPONSE_MINUTES`):

    >>> Policy(response_target_minutes=10**18)
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: response_target_minutes: expected a whole number of at most 525600, got 1000000000000000000
    """

    calendar: Calendar = field(factory=Calendar)
    catalog: Catalog = field(factory=Catalog)
    response_target_minutes: int = field(
        default=120, validator=whole(1, maximum=MAX_RESPONSE_MINUTES)
    )
    allowance_minutes: int = field(default=240, validator=whole(1, maximum=MAX_MINUTES))
    warning_minutes: int = field(default=60, validator=whole(0, maximum=MAX_MINUTES))
    validity_years: int = field(default=1, validator=whole(1, maximum=MAX_YEARS))
    expiry_notice_days: int = field(default=30, validator=whole(0, maximum=MAX_DAYS))
    auto_close_days: int = field(default=30, validator=whole(1, maximum=MAX_DAYS))
    reopen_days: int = field(default=30, validator=whole(1, maximum=MAX_DAYS))

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
        # The hot paths: stored instants are UTC already, and the rules' own results
        # (business-time and wall-clock arithmetic) are aware pendulum values, which the
        # standard library's C conversion takes to UTC much faster than pendulum's.
        if type(t) is pendulum.DateTime:
            if t.tzinfo is pendulum.UTC:
                return t
            if t.tzinfo is not None and t.year not in (1, 9999):  # no overflow possible
                u = datetime.astimezone(t, UTC)
                return pendulum.DateTime(
                    u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond,
                    tzinfo=pendulum.UTC,
                )  # fmt: skip
        return utc(t, field=field)

    def local(self, t: object, *, field: str = "at") -> pendulum.DateTime:
        """``t`` in the policy zone, for wall-clock arithmetic and display."""
        return instant(t, self.tz, field=field)

    def wall_add(
        self, t: object, *, days: int = 0, years: int = 0, field: str = "at"
    ) -> pendulum.DateTime:
        """``t`` moved by ``years`` then ``days`` on the policy zone's wall clock, in UTC
        (negative values move back): "30 days later" stays at the same wall-clock time
        across a change of summer time, and 29 February plus a year is 28 February.

        A wall-clock time the day lacks (spring gap) moves forward by the gap; one it
        has twice (autumn fold) is the later reading (pendulum's choice). A result
        outside the years 1 to 9999 is a :class:`PolicyError` naming ``field``.

        >>> p = Policy()
        >>> p.show(p.wall_add(pendulum.datetime(2026, 10, 10, 10, tz="Europe/Paris"), days=30))
        '2026-11-09 10:00 CET'
        >>> p.show(p.wall_add(pendulum.datetime(2026, 2, 27, 2, 30, tz="Europe/Paris"), days=30))
        '2026-03-29 03:30 CEST'
        >>> p.wall_add(pendulum.datetime(9999, 12, 20, tz="UTC"), days=30)
        Traceback (most recent call last):
        ...
        premier_policy.PolicyError: at: 30 days after 9999-12-20 01:00 CET is after the year 9999
        """
        start = self.utc(t, field=field)
        try:
            return self.utc(start.in_timezone(self.tz).add(years=years, days=days))
        except (ValueError, OverflowError):
            self.local(start, field=field)  # ``t`` itself beyond the zone's calendar
            later = (years, days) > (0, 0)
            raise PolicyError(
                f"{_span(days, years)} {'after' if later else 'before'} {self.show(start)} "
                f"is {'after the year 9999' if later else 'before the year 1'}",
                field=field,
            ) from None

    def show(self, t: object) -> str:
        """``t`` as a customer reads it in a refusal: wall clock and zone abbreviation.

        >>> Policy().show(pendulum.datetime(2027, 1, 5, 18, tz="UTC"))
        '2027-01-05 19:00 CET'
        >>> Policy().show(pendulum.datetime(2027, 7, 5, 17, 30, 15, tz="UTC"))
        '2027-07-05 19:30:15 CEST'
        >>> Policy().show(pendulum.datetime(2027, 7, 5, 17, 30, 0, 250000, tz="UTC"))
        '2027-07-05 19:30:00.25 CEST'
        """
        local = self.local(t, field="t")
        stamp = local.format("YYYY-MM-DD HH:mm")
        # Seconds and their fraction only when set: two events a few milliseconds apart
        # must not read as the same instant in an out-of-order refusal.
        if local.second or local.microsecond:
            stamp += local.format(":ss")
        if local.microsecond:
            stamp += f".{local.microsecond:06d}".rstrip("0")
        return f"{stamp} {local.format('zz')}"

    def response_due(self, t: datetime) -> pendulum.DateTime:
        """When a response is due for an incident that starts waiting on staff at ``t``."""
        # A stdlib timedelta takes the calendar's fast path; a pendulum Duration costs
        # more to build than the business-time addition itself.
        return self.calendar.add(t, timedelta(minutes=self.response_target_minutes))
