"""The weekly schedule: which wall-clock spans are open on each day of the week."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import time
from typing import Literal, TypeAlias

from attrs import frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId
from premier_policy.hours._span import Span, spans

__all__ = ["WEEKDAYS", "SpanLike", "Weekday", "WeeklySchedule"]

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
#: Day keys in ``date.weekday()`` order: ``WEEKDAYS[d.weekday()]`` is ``d``'s key.
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: A span, or its ``(start, end)`` pair (``"HH:MM"``, ``time`` or minutes of the day) as a
#: tuple (Python) or a list (JSON).
SpanLike: TypeAlias = Span | Sequence[str | time | int]


def _day(value: Iterable[SpanLike], name: Weekday) -> tuple[Span, ...]:
    return spans(value, rule=RuleId.HOURS_SCHEDULE, field=name)


@frozen(init=False)
class WeeklySchedule:
    """Open spans for each weekday, sorted and never overlapping; a missing day is closed.

    >>> week = WeeklySchedule(mon=[("08:00", "12:00"), ("14:00", "18:00")], sat=[("09:00", "12:00")])
    >>> week.mon
    (Span(start='08:00', end='12:00'), Span(start='14:00', end='18:00'))
    >>> week.sun, week.minutes
    ((), 660)
    >>> WeeklySchedule(tue=[("08:00", "12:00"), ("11:30", "13:00")])
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.schedule: tue: spans overlap: 08:00-12:00 and 11:30-13:00
    """

    mon: tuple[Span, ...]
    tue: tuple[Span, ...]
    wed: tuple[Span, ...]
    thu: tuple[Span, ...]
    fri: tuple[Span, ...]
    sat: tuple[Span, ...]
    sun: tuple[Span, ...]

    def __init__(
        self,
        *,
        mon: Iterable[SpanLike] = (),
        tue: Iterable[SpanLike] = (),
        wed: Iterable[SpanLike] = (),
        thu: Iterable[SpanLike] = (),
        fri: Iterable[SpanLike] = (),
        sat: Iterable[SpanLike] = (),
        sun: Iterable[SpanLike] = (),
    ) -> None:
        # A hand-written __init__ so that each day's errors name that day.
        self.__attrs_init__(
            mon=_day(mon, "mon"),
            tue=_day(tue, "tue"),
            wed=_day(wed, "wed"),
            thu=_day(thu, "thu"),
            fri=_day(fri, "fri"),
            sat=_day(sat, "sat"),
            sun=_day(sun, "sun"),
        )

    @classmethod
    def default(cls) -> WeeklySchedule:
        """The service's hours: Monday to Friday, ``[08:00, 19:00)`` (``hours.schedule``).

        >>> WeeklySchedule.default().minutes // 60
        55
        """
        office = (Span("08:00", "19:00"),)
        return cls(mon=office, tue=office, wed=office, thu=office, fri=office)

    @classmethod
    def always(cls) -> WeeklySchedule:
        """Open around the clock, every day.

        >>> WeeklySchedule.always().minutes == 7 * 24 * 60
        True
        """
        whole = (Span("00:00", "24:00"),)
        return cls(**dict.fromkeys(WEEKDAYS, whole))

    @classmethod
    def from_mapping(cls, hours: object) -> WeeklySchedule:
        """The wire form: ``{"mon": [["08:00", "19:00"]], ..., "sun": []}``; missing days are closed.

        >>> WeeklySchedule.from_mapping({"sat": [["10:00", "16:00"]]}).sat
        (Span(start='10:00', end='16:00'),)
        >>> WeeklySchedule.from_mapping({"monday": [["08:00", "19:00"]]})
        Traceback (most recent call last):
        ...
        premier_policy.PolicyError: hours.schedule: hours: unknown day 'monday'; days are mon, tue, wed, thu, fri, sat, sun
        """
        if not isinstance(hours, Mapping):
            raise PolicyError(
                f"expected a mapping of days to spans, got {type(hours).__name__}",
                rule=RuleId.HOURS_SCHEDULE,
                field="hours",
            )
        for key in hours:
            if key not in WEEKDAYS:
                raise PolicyError(
                    f"unknown day {shown(key)}; days are {', '.join(WEEKDAYS)}",
                    rule=RuleId.HOURS_SCHEDULE,
                    field="hours",
                )
        return cls(**{day: hours.get(day, ()) for day in WEEKDAYS})

    def to_mapping(self) -> dict[str, list[list[str]]]:
        """The wire form, every day present.

        >>> WeeklySchedule.default().to_mapping()["fri"], WeeklySchedule.default().to_mapping()["sat"]
        ([['08:00', '19:00']], [])
        """
        return {
            day: [str(span).split("-") for span in spans_of_day]
            for day, spans_of_day in zip(WEEKDAYS, self.days, strict=True)
        }

    @property
    def days(self) -> tuple[tuple[Span, ...], ...]:
        """The seven days' spans, Monday first (``date.weekday()`` order)."""
        return (self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun)

    @property
    def minutes(self) -> int:
        """Open minutes in a week without a clock change."""
        return sum(span.minutes for day in self.days for span in day)
