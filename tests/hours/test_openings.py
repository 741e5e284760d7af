"""Opening and calendar dates: extra opening spans on given dates (hours.closures)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from premier_policy import Opening, PolicyError, RuleId, Span
from premier_policy.hours._openings import calendar_date, openings


def test_an_opening_is_a_date_and_a_span() -> None:
    """hours.closures: a date (or ISO string) and a span (or a pair), ordered by date then span."""
    first = Opening("2026-11-28", ["10:00", "12:00"])
    assert first == Opening(date(2026, 11, 28), Span("10:00", "12:00"))
    later = Opening(date(2026, 11, 28), ("13:00", "14:00"))
    assert sorted([later, first]) == [first, later]
    assert str(first) == "2026-11-28 10:00-12:00"


def test_bad_openings_are_refused() -> None:
    """hours.closures: bad dates and bad spans name the field."""
    for on, span, field in (
        ("2026-11-31", ("10:00", "12:00"), "on"),
        (datetime(2026, 11, 28, tzinfo=UTC), ("10:00", "12:00"), "on"),
        (date(2026, 11, 28), ("12:00", "10:00"), "span"),
        (date(2026, 11, 28), "10:00-12:00", "span"),
    ):
        with pytest.raises(PolicyError) as info:
            Opening(on, span)
        assert (info.value.rule, info.value.field) == (RuleId.HOURS_CLOSURES, field)


@pytest.mark.parametrize("bad", ["2026-1-5", "20260105", "2026-01-05T00:00", 20260105, None])
def test_calendar_dates(bad: object) -> None:
    """hours.closures: only 'YYYY-MM-DD' strings and date objects (not datetimes) are dates."""
    assert (
        calendar_date("2026-01-05", field="f")
        == date(2026, 1, 5)
        == calendar_date(date(2026, 1, 5), field="f")
    )
    with pytest.raises(PolicyError) as info:
        calendar_date(bad, field="closures")
    assert (info.value.rule, info.value.field) == (RuleId.HOURS_CLOSURES, "closures")


def test_openings_are_sorted_and_may_not_overlap_on_a_date() -> None:
    """hours.closures: same-day openings must not overlap; other days are independent."""
    saturday, sunday = date(2026, 11, 28), date(2026, 11, 29)
    late, early = Opening(saturday, ("14:00", "16:00")), Opening(saturday, ("09:00", "12:00"))
    other = Opening(sunday, ("09:00", "16:00"))
    assert openings([other, late, early]) == (early, late, other)
    assert openings(()) == ()
    for bad in ([early, Opening(saturday, ("11:00", "13:00"))], [early, "x"], "x", early):
        with pytest.raises(PolicyError) as info:
            openings(bad, field="extra")
        assert (info.value.rule, info.value.field) == (RuleId.HOURS_CLOSURES, "extra")
    for bad, detail in (
        ("x", "expected a list of openings, got 'x'"),
        ([early, 7], "expected an Opening, got 7"),
    ):
        with pytest.raises(PolicyError) as info:
            openings(bad)
        assert str(info.value) == f"hours.closures: openings: {detail}"
