"""Exceptions to the week: calendar dates, and extra opening spans on given dates.

A closed date is just a ``date`` (see :class:`~premier_policy.Calendar`); an extra
opening is an :class:`Opening`, a span on one date.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from itertools import pairwise

from attrs import field, frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId
from premier_policy.hours._span import Span, as_span
from premier_policy.hours._weekly import SpanLike

__all__ = ["Opening", "calendar_date", "openings"]


def calendar_date(value: object, *, field: str) -> date:
    """A ``date`` or its ISO form ``"YYYY-MM-DD"``; a ``datetime`` is not a date.

    >>> calendar_date("2026-12-25", field="closures")
    datetime.date(2026, 12, 25)
    >>> calendar_date("2026-02-30", field="closures")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.closures: closures: expected a date 'YYYY-MM-DD', got '2026-02-30'
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PolicyError(
        f"expected a date 'YYYY-MM-DD', got {shown(value)}", rule=RuleId.HOURS_CLOSURES, field=field
    )


def _on(value: date | str) -> date:
    return calendar_date(value, field="on")


def _span(value: SpanLike) -> Span:
    return as_span(value, rule=RuleId.HOURS_CLOSURES, field="span")


@frozen(order=True)
class Opening:
    """An extra opening: ``span`` is open on the date ``on``, whatever the week says.

    It adds to that date's weekly hours (overlapping them is fine), and it applies even
    on a closed date: close the date and add an opening to give it shorter hours.

    >>> Opening(date(2026, 12, 5), ("09:00", "12:00"))
    Opening(on=datetime.date(2026, 12, 5), span=Span(start='09:00', end='12:00'))
    >>> Opening("2026-12-05", ("12:00", "09:00"))
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.closures: span: a span must end after it starts, got 12:00-09:00
    """

    on: date = field(converter=_on)
    span: Span = field(converter=_span)

    def __str__(self) -> str:
        return f"{self.on.isoformat()} {self.span}"


def openings(value: object, *, field: str = "openings") -> tuple[Opening, ...]:
    """Extra openings, sorted; two on the same date must not overlap.

    >>> openings([Opening("2026-12-05", ("14:00", "16:00")), Opening("2026-12-05", ("09:00", "12:00"))])[0].span
    Span(start='09:00', end='12:00')
    >>> openings([Opening("2026-12-05", ("09:00", "12:00")), Opening("2026-12-05", ("11:00", "13:00"))])
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.closures: openings: openings overlap: 2026-12-05 09:00-12:00 and 2026-12-05 11:00-13:00
    """
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise PolicyError(
            f"expected a list of openings, got {shown(value)}",
            rule=RuleId.HOURS_CLOSURES,
            field=field,
        )
    found: list[Opening] = []
    for item in value:
        if not isinstance(item, Opening):
            raise PolicyError(
                f"expected an Opening, got {shown(item)}", rule=RuleId.HOURS_CLOSURES, field=field
            )
        found.append(item)
    found.sort()
    for before, after in pairwise(found):
        if before.on == after.on and before.span.overlaps(after.span):
            raise PolicyError(
                f"openings overlap: {before} and {after}", rule=RuleId.HOURS_CLOSURES, field=field
            )
    return tuple(found)
