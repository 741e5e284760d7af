"""Events are validated on construction, naming the field."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from premier_policy import (
    Close,
    CustomerReply,
    Extend,
    Invalidate,
    LogTime,
    Open,
    PolicyError,
    Purchase,
    RefundRequest,
    Reopen,
    Resolve,
    RuleId,
    StaffReply,
)

AT = datetime(2026, 11, 27, 10, tzinfo=UTC)


def test_valid_events_construct() -> None:
    """Each event type accepts its own fields; purchase count defaults to 1."""
    assert Purchase(at=AT, customer="acme", id="p1", product="single").count == 1
    assert RefundRequest(at=AT, customer="acme", purchase="p1").purchase == "p1"
    assert Open(at=AT, customer="acme", id="i1", area="").area == ""
    for kind in (StaffReply, CustomerReply, Extend, Resolve, Close, Reopen):
        assert kind(at=AT, incident="i1").incident == "i1"
    assert LogTime(at=AT, incident="i1", minutes=1).minutes == 1
    assert Invalidate(at=AT, incident="i1", reason="vendor_bug").reason == "vendor_bug"


@pytest.mark.parametrize(
    ("kind", "fields", "bad_field"),
    [
        (Purchase, {"customer": "acme", "id": "p1", "product": "single", "count": 0}, "count"),
        (Purchase, {"customer": "acme", "id": "p1", "product": "single", "count": True}, "count"),
        (Purchase, {"customer": "acme", "id": "", "product": "single"}, "id"),
        (Purchase, {"customer": 7, "id": "p1", "product": "single"}, "customer"),
        (Open, {"customer": "acme", "id": "i1", "area": None}, "area"),
        (LogTime, {"incident": "i1", "minutes": -5}, "minutes"),
        (LogTime, {"incident": "i1", "minutes": 1.5}, "minutes"),
        (Invalidate, {"incident": "i1", "reason": "bored"}, "reason"),
        (StaffReply, {"incident": ""}, "incident"),
    ],
)
def test_malformed_fields(kind: Any, fields: dict[str, Any], bad_field: str) -> None:
    """A malformed field is refused as input.malformed, naming it."""
    with pytest.raises(PolicyError) as info:
        kind(at=AT, **fields)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, bad_field)


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        (
            Open,
            {"customer": "acme", "id": "i1", "area": 7},
            "input.malformed: area: expected a string, got int",
        ),
        (
            Purchase,
            {"customer": "acme", "id": "", "product": "single"},
            "input.malformed: id: expected a non-empty string, got ''",
        ),
        (
            Purchase,
            {"customer": "acme", "id": "p\udc80", "product": "single"},
            "input.malformed: id: expected a string, got 'p\\udc80': a lone surrogate at "
            "position 1 is not text",
        ),
        (
            Invalidate,
            {"incident": "i1", "reason": "bored"},
            "input.malformed: reason: expected one of out_of_scope, custom_development, "
            "unable_to_help, vendor_bug, got 'bored'",
        ),
    ],
)
def test_malformed_fields_say_what_was_expected(
    kind: Any, fields: dict[str, Any], message: str
) -> None:
    """The message names the field, what it must be, and what it got."""
    with pytest.raises(PolicyError) as info:
        kind(at=AT, **fields)
    assert str(info.value) == message


def test_at_must_be_aware_datetime() -> None:
    """A naive instant is input.aware-only; a non-datetime is malformed."""
    with pytest.raises(PolicyError) as info:
        Resolve(at=datetime(2026, 1, 1), incident="i1")
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_AWARE_ONLY, "at")
    with pytest.raises(PolicyError) as info:
        Resolve(at="2026-01-01T00:00:00Z", incident="i1")  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "at")
    assert str(info.value) == "input.malformed: at: expected an aware datetime, got str"


def test_an_event_string_with_a_lone_surrogate_is_malformed() -> None:
    """An event's ID that UTF-8 cannot write is refused where it comes in, naming it."""
    at = datetime(2026, 11, 27, 9, tzinfo=UTC)
    with pytest.raises(PolicyError) as caught:
        Purchase(at=at, customer="acme", id="p\udc80", product="single")
    assert (caught.value.rule, caught.value.field) == (RuleId.INPUT_MALFORMED, "id")
    with pytest.raises(PolicyError) as area:
        Open(at=at, customer="acme", id="i1", area="setup\udc80")
    assert (area.value.rule, area.value.field) == (RuleId.INPUT_MALFORMED, "area")
