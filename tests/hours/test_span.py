"""Span: wall-clock time [start, end) within a day, to the minute (hours.schedule)."""

from __future__ import annotations

from datetime import time

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import PolicyError, RuleId, Span
from premier_policy.hours._span import MINUTES_PER_DAY, as_span, clock, spans


def test_forms_of_a_time() -> None:
    """'HH:MM', a naive time on the minute and minutes of the day all read the same."""
    assert Span("08:00", "19:00") == Span(time(8), time(19)) == Span(480, 1140)
    assert Span("00:00", "24:00").minutes == MINUTES_PER_DAY


@pytest.mark.parametrize(
    "bad",
    ["8:00", "08:60", "24:01", "25:00", "08:00:00", "noon", time(8, 0, 30),
     time(8, tzinfo=None).replace(microsecond=1), -1, 1441, True, 8.0, None],
)  # fmt: skip
def test_bad_times_are_refused(bad: object) -> None:
    """hours.schedule: anything but a wall-clock minute from 00:00 to 24:00 is refused."""
    with pytest.raises(PolicyError) as info:
        Span(bad, "24:00")  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (RuleId.HOURS_SCHEDULE, "span")


def test_a_refused_time_or_span_is_echoed() -> None:
    """The refusal says what a time or a span may be, and echoes what came instead."""
    with pytest.raises(PolicyError) as info:
        Span(8.5, "19:00")  # type: ignore[arg-type]
    assert info.value.detail == ("expected 'HH:MM', a datetime.time or minutes of the day, got 8.5")
    with pytest.raises(PolicyError) as info:
        as_span(5, rule=RuleId.HOURS_SCHEDULE, field="mon")
    assert (info.value.field, info.value.detail) == (
        "mon",
        "expected a span or a (start, end) pair, got 5",
    )


def test_times_past_24_00_are_refused_as_ends_too() -> None:
    """hours.schedule: 24:00 is the last wall-clock reading; 24:30 as an end is refused
    with the expected form, and 08:30 as a time reads 510 minutes."""
    with pytest.raises(PolicyError) as info:
        Span("08:00", "24:30")
    assert str(info.value) == (
        "hours.schedule: span: expected a wall-clock time 'HH:MM' from 00:00 to 24:00, got '24:30'"
    )
    assert Span(time(8, 30), time(12, 15)) == Span("08:30", "12:15") == Span(510, 735)


def test_aware_times_are_refused() -> None:
    """hours.schedule: a time with a zone has no place in a zone-free span."""
    from datetime import UTC

    with pytest.raises(PolicyError, match="naive time"):
        Span(time(8, tzinfo=UTC), "19:00")


@pytest.mark.parametrize(
    ("start", "end"), [("19:00", "08:00"), ("08:00", "08:00"), ("24:00", "24:00")]
)
def test_reversed_or_empty_spans_are_refused(start: str, end: str) -> None:
    """hours.schedule: a span must end after it starts; 24:00 only ends one."""
    with pytest.raises(PolicyError, match="must end after it starts") as info:
        Span(start, end)
    assert info.value.rule is RuleId.HOURS_SCHEDULE


@given(st.integers(0, MINUTES_PER_DAY - 1), st.integers(1, MINUTES_PER_DAY))
def test_repr_and_evolve_round_trip(start: int, length: int) -> None:
    """The repr rebuilds the span, evolve keeps it checked, str shows HH:MM-HH:MM."""
    span = Span(start, min(start + length, MINUTES_PER_DAY))
    assert eval(repr(span)) == span
    assert attrs.evolve(span) == span
    assert str(span) == f"{clock(span.start)}-{clock(span.end)}"
    assert Span(*str(span).split("-")) == span


def test_overlap_is_about_shared_minutes() -> None:
    """Touching spans do not overlap; sharing a minute does, in either order."""
    morning, afternoon = Span("08:00", "12:00"), Span("12:00", "19:00")
    assert not morning.overlaps(afternoon)
    assert not afternoon.overlaps(morning)
    assert Span("11:59", "13:00").overlaps(morning)
    assert morning.overlaps(Span("09:00", "10:00"))


def test_spans_are_sorted_and_checked() -> None:
    """spans(): pairs (tuple or list) or Spans, sorted; overlaps and junk name the field."""
    found = spans(
        [["14:00", "19:00"], Span("08:00", "12:00")], rule=RuleId.HOURS_SCHEDULE, field="mon"
    )
    assert found == (Span("08:00", "12:00"), Span("14:00", "19:00"))
    for bad in (
        "08:00-19:00",
        None,
        [("08:00",)],
        [("08:00", "12:00", "x")],
        ["08:00"],
        [("08:00", "12:00"), ("11:00", "13:00")],
        [("12:00", "08:00")],
    ):
        with pytest.raises(PolicyError) as info:
            spans(bad, rule=RuleId.HOURS_CLOSURES, field="openings")
        assert (info.value.rule, info.value.field) == (RuleId.HOURS_CLOSURES, "openings")
    assert as_span(("09:00", "10:00"), rule=RuleId.HOURS_CLOSURES, field="x") == Span(540, 600)
