"""The policy: every number of the service in one value, each configurable, and its
dated changes (``policy.changes``): a policy is a timeline of versions, version 0 the
policy itself, version k the k-th change. A lot or an incident records the version it
was made under and keeps its terms (``policy.pinned-terms``); the hours are those in
force at each instant.
"""

from __future__ import annotations

from bisect import bisect_right
from calendar import isleap
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

import pendulum
from attrs import Attribute, evolve, field, frozen

from premier_policy.base._checks import instance, whole
from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import (
    EPOCH,
    NAIVE_EPOCH,
    PLAIN_EPOCH,
    UTC_EPOCH,
    instant,
    plain,
    utc,
)
from premier_policy.base._rules import RuleId
from premier_policy.hours._calendar import Calendar, added_plain
from premier_policy.terms._catalog import Catalog

__all__ = [
    "MAX_DAYS",
    "MAX_MINUTES",
    "MAX_RESPONSE_MINUTES",
    "MAX_YEARS",
    "Policy",
    "PolicyChange",
    "response_due_at",
    "wall_added",
]

# datetime's own arithmetic, which takes the type of its left operand (pendulum's is Python).
_minus: Final = datetime.__sub__
_plus: Final = datetime.__add__


@lru_cache(maxsize=64)
def _minutes(count: int) -> timedelta:
    # A response target's length, built once per length: timedelta(minutes=) parses its
    # keyword on every call (370 ns, against 30 for the lookup). A policy has one length
    # per version; the bound keeps a service's cache small whatever policies it is sent.
    return timedelta(minutes=count)


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


def _from(value: object) -> pendulum.DateTime:
    return utc(value, field="from")


@frozen
class PolicyChange:
    """``policy`` is in force from the instant ``at`` (UTC) until the next change.

    ``policy`` is a whole policy, not overrides: build it from the one before with
    :func:`attrs.evolve` (the wire's ``policy_changes`` do that for you).
    """

    at: pendulum.DateTime = field(converter=_from)
    policy: Policy

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.policy, Policy):
            raise PolicyError(
                f"expected a Policy, got {type(self.policy).__name__}",
                rule=RuleId.POLICY_CHANGES,
                field="policy",
            )
        if self.policy.changes:
            raise PolicyError(
                "a policy in force from an instant has no changes of its own",
                rule=RuleId.POLICY_CHANGES,
                field="policy",
            )


def _changes(value: Iterable[PolicyChange]) -> tuple[PolicyChange, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise PolicyError(
            f"expected a list of PolicyChange, got {shown(value)}",
            rule=RuleId.POLICY_CHANGES,
            field="changes",
        )
    found = tuple(value)
    for item in found:
        if not isinstance(item, PolicyChange):
            raise PolicyError(
                f"expected a PolicyChange, got {shown(item)}",
                rule=RuleId.POLICY_CHANGES,
                field="changes",
            )
    return found


class _Timeline:
    """The versions of a policy with changes, shared by all of them."""

    __slots__ = ("starts", "versions")

    def __init__(self, starts: tuple[pendulum.DateTime, ...], versions: tuple[Policy, ...]):
        self.starts = starts
        self.versions = versions


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

    Each number has a bound: the span of the calendar (``MAX_MINUTES``,
    ``MAX_DAYS``, ``MAX_YEARS``), or a year for the response target
    (``MAX_RESPONSE_MINUTES``):

    >>> Policy(response_target_minutes=10**18)
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: response_target_minutes: expected a whole number of at most 525600, got 1000000000000000000
    """

    calendar: Calendar = field(factory=Calendar, validator=instance(Calendar))
    catalog: Catalog = field(factory=Catalog, validator=instance(Catalog))
    response_target_minutes: int = field(
        default=120, validator=whole(1, maximum=MAX_RESPONSE_MINUTES)
    )
    allowance_minutes: int = field(default=240, validator=whole(1, maximum=MAX_MINUTES))
    warning_minutes: int = field(default=60, validator=whole(0, maximum=MAX_MINUTES))
    validity_years: int = field(default=1, validator=whole(1, maximum=MAX_YEARS))
    expiry_notice_days: int = field(default=30, validator=whole(0, maximum=MAX_DAYS))
    auto_close_days: int = field(default=30, validator=whole(1, maximum=MAX_DAYS))
    reopen_days: int = field(default=30, validator=whole(1, maximum=MAX_DAYS))
    #: Dated changes (``policy.changes``), strictly increasing, in one time zone.
    changes: tuple[PolicyChange, ...] = field(default=(), converter=_changes)
    # The timeline of versions (None without changes) and this value's place in it.
    _timeline: _Timeline | None = field(init=False, default=None, eq=False, repr=False)
    _version: int = field(init=False, default=0, eq=False, repr=False)

    @warning_minutes.validator
    def _warning_fits(self, attribute: Attribute[int], value: int) -> None:
        if value > self.allowance_minutes:
            raise PolicyError(
                f"must not exceed allowance_minutes ({self.allowance_minutes}), got {value}",
                field=attribute.name,
            )

    def __attrs_post_init__(self) -> None:
        if not self.changes:
            return
        previous = None
        for index, change in enumerate(self.changes, start=1):
            where = f"changes[{index - 1}]"
            if change.policy.calendar.timezone != self.calendar.timezone:
                raise PolicyError(
                    f"the time zone never changes: {change.policy.calendar.timezone} "
                    f"after {self.calendar.timezone}",
                    rule=RuleId.POLICY_CHANGES,
                    field=f"{where}.policy.timezone",
                )
            if previous is not None and change.at <= previous:
                raise PolicyError(
                    f"changes come in strictly increasing time order: "
                    f"{self.show(change.at)} is not after {self.show(previous)}",
                    rule=RuleId.POLICY_CHANGES,
                    field=f"{where}.from",
                )
            previous = change.at
        # One calendar for every version: the hours in force at each instant.
        hours = evolve(
            self.calendar,
            changes=tuple((change.at, change.policy.calendar) for change in self.changes),
        )
        versions = tuple(
            evolve(terms, calendar=hours, changes=())
            for terms in (self, *(change.policy for change in self.changes))
        )
        timeline = _Timeline(tuple(change.at for change in self.changes), versions)
        for number, version in enumerate((self, *versions)):
            object.__setattr__(version, "_timeline", timeline)
            object.__setattr__(version, "_version", max(number - 1, 0))

    @property
    def version(self) -> int:
        """This value's place in its timeline: 0 for the base policy (and for a policy
        without changes), k for the terms of the k-th change."""
        return self._version

    @property
    def versions(self) -> tuple[Policy, ...]:
        """The terms of every version, base first; each counts business time under the
        hours in force at each instant. Just ``(self,)`` without changes."""
        timeline = self._timeline
        return (self,) if timeline is None else timeline.versions

    def version_at(self, t: datetime) -> int:
        """The version in force at ``t``: that of the last change at or before it.

        >>> from datetime import timezone
        >>> new_year = pendulum.datetime(2027, 1, 1, tz="Europe/Paris")
        >>> p = Policy(changes=[PolicyChange(new_year, Policy(response_target_minutes=240))])
        >>> p.version_at(new_year.subtract(microseconds=1)), p.version_at(new_year)
        (0, 1)
        >>> p.in_force(new_year).response_target_minutes, p.response_target_minutes
        (240, 120)
        """
        timeline = self._timeline
        return 0 if timeline is None else bisect_right(timeline.starts, t)

    def in_force(self, t: datetime) -> Policy:
        """The terms of the version in force at ``t`` (``policy.changes``)."""
        timeline = self._timeline
        return self if timeline is None else timeline.versions[bisect_right(timeline.starts, t)]

    def terms(self, version: int) -> Policy:
        """The terms of ``version``, which a lot or an incident made under it keeps
        (``policy.pinned-terms``); a version the timeline lacks is an error."""
        if version == 0 and self._timeline is None:
            return self  # no changes: every record's terms, asked once an event
        versions = self.versions
        if not 0 <= version < len(versions):
            raise PolicyError(
                f"the policy has versions 0 to {len(versions) - 1}, got {version}",
                rule=RuleId.POLICY_PINNED_TERMS,
                field="policy_version",
            )
        return versions[version]

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
                    pendulum.UTC,  # positionally: keywords are slow to parse in C calls
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
            return _plus(EPOCH, _wall_added(start, ZoneInfo(self.tz.name), years, days))
        except (ValueError, OverflowError):
            raise self._beyond(start, years, days, field) from None

    def _beyond(self, start: datetime, years: int, days: int, field: str) -> PolicyError:
        # Why wall_add could not move ``start``: the start itself, or the result, lies
        # outside the years 1 to 9999.
        self.local(start, field=field)  # ``t`` itself beyond the zone's calendar
        later = (years, days) > (0, 0)
        return PolicyError(
            f"{_span(days, years)} {'after' if later else 'before'} {self.show(start)} "
            f"is {'after the year 9999' if later else 'before the year 1'}",
            field=field,
        )

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
        """When a response is due for an incident that starts waiting on staff at ``t``:
        this version's target, counted under the hours in force at each instant."""
        # A stdlib timedelta takes the calendar's fast path; a pendulum Duration costs
        # more to build than the business-time addition itself.
        return self._hours.add(t, _minutes(self.response_target_minutes))

    @property
    def _hours(self) -> Calendar:
        # The calendar that counts business time under the hours in force at each
        # instant: the base version's, which holds every change of hours.
        return self.calendar if self._timeline is None else self._timeline.versions[0].calendar


def response_due_at(policy: Policy, t: datetime) -> datetime:
    """:meth:`Policy.response_due` as the replay engine's records keep instants (plain,
    UTC; :func:`~premier_policy.base._instants.plain`), from any aware ``t``."""
    due = added_plain(policy._hours, t, _minutes(policy.response_target_minutes))
    return plain(policy.utc(policy.response_due(t))) if due is None else due


def wall_added(policy: Policy, t: datetime, *, years: int = 0, days: int = 0) -> datetime:
    """:meth:`Policy.wall_add` of a stored instant in the replay engine's plain form
    (:func:`~premier_policy.base._instants.plain`), in that form: its records keep no
    pendulum value. The same errors, naming ``at``."""
    try:
        return _plus(PLAIN_EPOCH, _wall_added(t, ZoneInfo(policy.tz.name), years, days))
    except (ValueError, OverflowError):
        raise policy._beyond(t, years, days, "at") from None


def _wall_added(start: datetime, tz: ZoneInfo, years: int, days: int) -> timedelta:
    """The instant ``start`` (aware) moved by ``years`` then ``days`` on ``tz``'s wall
    clock, as pendulum's ``in_timezone(tz).add(years=, days=)`` does it, as the time
    since the Unix epoch: in the standard library's C arithmetic, which is an order of
    magnitude faster (every resolution and lot runs this).

    A wall time the day lacks (spring gap) reads with the offset before the gap, one it
    has twice (autumn fold) with the offset after it: in both cases the later of the two
    readings, which is pendulum's choice.
    """
    # PLAIN_EPOCH: the same tzinfo as stored and plain instants, so no offset is asked.
    since = _minus(start, PLAIN_EPOCH)
    if not (years or days):
        return since  # pendulum's add keeps the instant when nothing of variable length moves
    # The wall time by adding its offset, not by replace(tzinfo=None): keyword arguments
    # are slow to parse in C calls.
    offset = _plus(UTC_EPOCH, since).astimezone(tz).utcoffset()
    assert offset is not None  # astimezone's result is aware
    wall = _plus(NAIVE_EPOCH, since + offset)
    if years:
        year = wall.year + years
        day = 28 if (wall.month, wall.day) == (2, 29) and not isleap(year) else wall.day
        wall = wall.replace(year=year, day=day)
    if days:
        wall += timedelta(days)
    # The wall time's two readings (fold 0 and 1) differ only in a gap or a fold; the
    # later instant is the one of the smaller offset. (Each reading used to be made
    # aware and converted: two replace() calls more.)
    first, second = tz.utcoffset(wall), tz.utcoffset(wall.replace(fold=1))
    # A ZoneInfo has an offset at every wall time.
    assert first is not None
    assert second is not None
    return _minus(wall, NAIVE_EPOCH) - min(first, second)
