"""A span of wall-clock time within one day: ``[start, end)``, to the minute.

Business hours, extra openings and the weekly schedule are all made of spans. A span
knows nothing of dates or zones: ``Span("08:00", "19:00")`` is "from eight to seven,
local time" on whatever day it is used. ``"24:00"`` may end a span (the end of the
day); nothing may start there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import time
from itertools import pairwise

from attrs import Attribute, field, frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId

__all__ = ["MINUTES_PER_DAY", "Span", "as_span", "clock", "spans"]

MINUTES_PER_DAY = 24 * 60

_HH_MM = re.compile(r"(\d\d):(\d\d)")


def clock(minutes: int) -> str:
    """A minute of the day as ``"HH:MM"``.

    >>> clock(8 * 60), clock(MINUTES_PER_DAY)
    ('08:00', '24:00')
    """
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minute_of_day(value: str | time | int) -> int:
    """``"HH:MM"``, a ``datetime.time`` on the minute, or a minute count, as minutes.

    Integers are accepted so that ``attrs.evolve`` can rebuild a span from its fields.
    """
    if isinstance(value, str):
        found = _HH_MM.fullmatch(value)
        if found is not None:
            hours, minutes = int(found[1]), int(found[2])
            if minutes < 60 and (hours < 24 or (hours, minutes) == (24, 0)):
                return hours * 60 + minutes
        detail = f"expected a wall-clock time 'HH:MM' from 00:00 to 24:00, got {shown(value)}"
    elif isinstance(value, time):
        if value.tzinfo is None and not (value.second or value.microsecond):
            return value.hour * 60 + value.minute
        detail = f"expected a naive time on the minute, got {value.isoformat()!r}"
    elif type(value) is int and 0 <= value <= MINUTES_PER_DAY:
        return value
    else:
        detail = f"expected 'HH:MM', a datetime.time or minutes of the day, got {shown(value)}"
    raise PolicyError(detail, rule=RuleId.HOURS_SCHEDULE, field="span")


def _show(minutes: int) -> str:
    return repr(clock(minutes))


@frozen(order=True)
class Span:
    """Wall-clock time ``[start, end)`` within a day, minute precision.

    >>> Span("08:00", "19:00")
    Span(start='08:00', end='19:00')
    >>> span = Span("22:00", "24:00")
    >>> span.start, span.end, span.minutes, str(span)
    (1320, 1440, 120, '22:00-24:00')
    >>> Span("19:00", "08:00")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.schedule: span: a span must end after it starts, got 19:00-08:00
    """

    #: Minutes after midnight, 0 to 1439.
    start: int = field(converter=_minute_of_day, repr=_show)
    #: Minutes after midnight, 1 to 1440 (24:00, the end of the day).
    end: int = field(converter=_minute_of_day, repr=_show)

    @end.validator
    def _ends_after_start(self, _: Attribute[int], end: int) -> None:
        if end <= self.start:
            raise PolicyError(
                f"a span must end after it starts, got {clock(self.start)}-{clock(end)}",
                rule=RuleId.HOURS_SCHEDULE,
                field="span",
            )

    @property
    def minutes(self) -> int:
        """How long the span lasts on a day without a clock change."""
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share a minute (touching ends do not).

        >>> Span("08:00", "12:00").overlaps(Span("12:00", "14:00"))
        False
        >>> Span("08:00", "12:00").overlaps(Span("11:59", "14:00"))
        True
        """
        return self.start < other.end and other.start < self.end

    def __str__(self) -> str:
        return f"{clock(self.start)}-{clock(self.end)}"


def spans(value: object, *, rule: RuleId, field: str) -> tuple[Span, ...]:
    """Spans given as ``Span`` objects or ``(start, end)`` pairs, sorted, never overlapping.

    The wire format gives pairs as JSON lists (``[["08:00", "19:00"]]``), Python code as
    tuples or ``Span`` objects; all three read the same. Errors name ``field``.

    >>> spans([["14:00", "19:00"], ("08:00", "12:00")], rule=RuleId.HOURS_SCHEDULE, field="mon")
    (Span(start='08:00', end='12:00'), Span(start='14:00', end='19:00'))
    >>> spans([("08:00", "12:00"), ("11:00", "19:00")], rule=RuleId.HOURS_SCHEDULE, field="mon")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.schedule: mon: spans overlap: 08:00-12:00 and 11:00-19:00
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise PolicyError(f"expected a list of spans, got {shown(value)}", rule=rule, field=field)
    found = sorted(as_span(item, rule=rule, field=field) for item in value)
    for before, after in pairwise(found):
        if before.overlaps(after):
            raise PolicyError(f"spans overlap: {before} and {after}", rule=rule, field=field)
    return tuple(found)


def as_span(item: object, *, rule: RuleId, field: str) -> Span:
    """A ``Span``, or a ``(start, end)`` pair made into one; errors name ``rule`` and ``field``.

    >>> as_span(["09:00", "12:00"], rule=RuleId.HOURS_CLOSURES, field="span")
    Span(start='09:00', end='12:00')
    """
    if isinstance(item, Span):
        return item
    if not isinstance(item, list | tuple) or len(item) != 2:
        raise PolicyError(
            f"expected a span or a (start, end) pair, got {shown(item)}", rule=rule, field=field
        )
    try:
        return Span(*item)
    except PolicyError as error:
        raise PolicyError(error.detail, rule=rule, field=field) from None
