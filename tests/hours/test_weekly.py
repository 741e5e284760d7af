"""WeeklySchedule: the open spans of each weekday (hours.schedule)."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import PolicyError, RuleId, Span, WeeklySchedule
from premier_policy.hours._weekly import WEEKDAYS
from tests._hours import SPANS


def test_default_is_the_service() -> None:
    """hours.schedule: Monday to Friday [08:00, 19:00), weekends closed."""
    week = WeeklySchedule.default()
    office = (Span("08:00", "19:00"),)
    assert week.days == (office,) * 5 + ((), ())
    assert week.minutes == 5 * 11 * 60


def test_always_is_every_minute() -> None:
    """24/7: every day is [00:00, 24:00)."""
    assert WeeklySchedule.always().days == ((Span("00:00", "24:00"),),) * 7


def test_days_are_normalised_and_named_in_errors() -> None:
    """hours.schedule: spans are sorted; an overlap or a bad pair names its day."""
    week = WeeklySchedule(wed=[("14:00", "18:00"), ["08:00", "12:00"]])
    assert week.wed == (Span("08:00", "12:00"), Span("14:00", "18:00"))
    assert WEEKDAYS[2] == "wed"
    for day in WEEKDAYS:
        with pytest.raises(PolicyError) as info:
            WeeklySchedule(**{day: [("08:00", "12:00"), ("09:00", "10:00")]})
        assert (info.value.rule, info.value.field) == (RuleId.HOURS_SCHEDULE, day)
    with pytest.raises(PolicyError) as info:
        WeeklySchedule(fri=[("19:00", "08:00")])
    assert (info.value.rule, info.value.field) == (RuleId.HOURS_SCHEDULE, "fri")


def test_from_mapping_reads_the_wire_form() -> None:
    """The engine's JSON: lists or tuples of 'HH:MM' pairs; missing days are closed."""
    week = WeeklySchedule.from_mapping(
        {"mon": [["08:00", "19:00"]], "tue": (("08:00", "12:00"), ("13:00", "19:00")), "sun": []}
    )
    assert week.mon == (Span("08:00", "19:00"),)
    assert week.tue == (Span("08:00", "12:00"), Span("13:00", "19:00"))
    assert week.wed == week.sat == week.sun == ()
    assert WeeklySchedule.from_mapping({}) == WeeklySchedule()


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        ([["08:00", "19:00"]], "hours"),
        ({"Monday": []}, "hours"),
        ({"mon": "08:00-19:00"}, "mon"),
        ({"mon": [["08:00", "25:00"]]}, "mon"),
        ({"sat": [["10:00", "12:00"], ["11:00", "13:00"]]}, "sat"),
    ],
)
def test_from_mapping_refuses_bad_hours(hours: object, field: str) -> None:
    """hours.schedule: unknown days and malformed spans are refused, naming the day."""
    with pytest.raises(PolicyError) as info:
        WeeklySchedule.from_mapping(hours)
    assert (info.value.rule, info.value.field) == (RuleId.HOURS_SCHEDULE, field)


def test_from_mapping_names_the_type_it_got() -> None:
    """hours.schedule: a list where the days' mapping belongs is named in the message."""
    with pytest.raises(PolicyError) as info:
        WeeklySchedule.from_mapping([["08:00", "19:00"]])
    assert str(info.value) == (
        "hours.schedule: hours: expected a mapping of days to spans, got list"
    )


@given(st.fixed_dictionaries(dict.fromkeys(WEEKDAYS, SPANS)))
def test_wire_form_round_trips(days: dict[str, tuple[tuple[int, int], ...]]) -> None:
    """to_mapping and from_mapping are inverses; evolve and equality see the same value."""
    week = WeeklySchedule.from_mapping(days)
    assert WeeklySchedule.from_mapping(week.to_mapping()) == week
    assert attrs.evolve(week) == week
    assert hash(attrs.evolve(week)) == hash(week)
    assert week.minutes == sum(span.minutes for day in week.days for span in day)
