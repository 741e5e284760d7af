"""The wire format: events and policies in through cattrs, the outcome out, errors named."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from cattrs.errors import ClassValidationError, ForbiddenExtraKeysError
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import (
    Event,
    Policy,
    PolicyError,
    PublicHolidays,
    Purchase,
    Refusal,
    Resolve,
    RuleId,
    ScenarioError,
    Step,
    World,
    apply,
    event_from_dict,
    event_to_dict,
    policy_from_dict,
    replay,
    trace,
)
from premier_policy.base._echo import ECHO_LIMIT, named, shown
from premier_policy.base._events import Area, InvalidReason
from premier_policy.base._notifications import (
    Notification,
    NotificationLog,
    notification_id,
    notify,
    utc_text,
)
from premier_policy.incidents._record import IncidentRecords, record_of
from premier_policy.strategies import events, scenarios
from premier_policy.terms._money import Money
from premier_policy.wire._converter import CONVERTER as _CONVERTER
from premier_policy.wire._converter import MAX_DEPTH, _converter
from premier_policy.wire._converter import explain as _explain
from premier_policy.wire._converter import json_kind as _kind
from premier_policy.wire._events import _SHAPES, EVENT_TYPES, _full, _quick, _shape
from premier_policy.wire._outcome import (
    CustomerOut,
    LotOut,
    Outcome,
    ResultLog,
    ResultOut,
    _outcome_converter,
    customer_out,
    outcome_dict,
    view,
)
from premier_policy.wire._policy import _Overrides, structure_policy
from premier_policy.wire._scenario import read_scenario
from tests._incidents import SHORT, lives

AT = "2026-11-27T10:00:00+01:00"


@given(events(max_size=12))
def test_events_round_trip(sequence: list[Event]) -> None:
    """Every well-formed event survives the wire both ways, its instant as the same instant."""
    for event in sequence:
        wired = event_to_dict(event)
        assert wired["type"] in EVENT_TYPES
        back = event_from_dict(wired)
        assert type(back) is type(event)
        assert back == attrs.evolve(event, at=back.at)
        # The same instant, read back in UTC (compared in UTC: PEP 495 makes == across
        # zones False for an instant in an autumn fold).
        assert back.at == Policy().utc(event.at)


def test_instants_are_read_in_utc_whatever_their_offset() -> None:
    """input.aware-only: Z and offsets give the same UTC instant."""
    one = event_from_dict({"type": "resolve", "at": "2026-11-27T09:00:00Z", "incident": "i"})
    two = event_from_dict({"type": "resolve", "at": AT, "incident": "i"})
    assert one.at == two.at
    assert one.at.tzinfo is pendulum.UTC


def test_the_acting_customer_is_read_and_written_only_when_given() -> None:
    """input.owner: a customer-side event names its customer or leaves the field out,
    and is written back the way it came."""
    bare = {"type": "close", "at": "2026-11-27T09:00:00+00:00", "incident": "i1"}
    named = {**bare, "customer": "acme"}
    assert event_from_dict(bare).customer is None  # type: ignore[union-attr]
    assert event_from_dict(named).customer == "acme"  # type: ignore[union-attr]
    assert event_to_dict(event_from_dict(bare)) == bare
    assert event_to_dict(event_from_dict(named)) == named


def test_count_defaults_to_one() -> None:
    """The format's one default: a purchase of one unit."""
    event = event_from_dict(
        {"type": "purchase", "at": AT, "customer": "acme", "id": "p1", "product": "single"}
    )
    assert isinstance(event, Purchase)
    assert event.count == 1


PURCHASE = {"type": "purchase", "at": AT, "customer": "acme", "id": "p1", "product": "single"}


@pytest.mark.parametrize(
    ("raw", "rule", "field"),
    [
        (5, RuleId.INPUT_MALFORMED, "event"),
        (["purchase"], RuleId.INPUT_MALFORMED, "event"),
        ({"at": AT}, RuleId.INPUT_MALFORMED, "type"),
        ({**PURCHASE, "type": "teleport"}, RuleId.INPUT_MALFORMED, "type"),
        ({**PURCHASE, "type": 7}, RuleId.INPUT_MALFORMED, "type"),
        ({k: v for k, v in PURCHASE.items() if k != "at"}, RuleId.INPUT_MALFORMED, "at"),
        ({k: v for k, v in PURCHASE.items() if k != "id"}, RuleId.INPUT_MALFORMED, "id"),
        ({**PURCHASE, "cuont": 3}, RuleId.INPUT_MALFORMED, "cuont"),
        ({**PURCHASE, "customer": 7}, RuleId.INPUT_MALFORMED, "customer"),
        ({**PURCHASE, "customer": ""}, RuleId.INPUT_MALFORMED, "customer"),
        ({**PURCHASE, "count": 0}, RuleId.INPUT_MALFORMED, "count"),
        ({**PURCHASE, "count": True}, RuleId.INPUT_MALFORMED, "count"),
        ({**PURCHASE, "count": "2"}, RuleId.INPUT_MALFORMED, "count"),
        ({**PURCHASE, "at": "2026-11-27T10:00:00"}, RuleId.INPUT_AWARE_ONLY, "at"),
        ({**PURCHASE, "at": "yesterday"}, RuleId.INPUT_MALFORMED, "at"),
        ({**PURCHASE, "at": 1.7e9}, RuleId.INPUT_MALFORMED, "at"),
        (
            {"type": "log_time", "at": AT, "incident": "i1", "minutes": 1.5},
            RuleId.INPUT_MALFORMED,
            "minutes",
        ),
        (
            {"type": "invalidate", "at": AT, "incident": "i1", "reason": "bored"},
            RuleId.INPUT_MALFORMED,
            "reason",
        ),
        (
            {"type": "open", "at": AT, "customer": "a", "id": "i", "area": None},
            RuleId.INPUT_MALFORMED,
            "area",
        ),
        (
            {"type": "extend", "at": AT, "incident": "i1", "customer": None},
            RuleId.INPUT_MALFORMED,
            "customer",
        ),
        (
            {"type": "reopen", "at": AT, "incident": "i1", "customer": ""},
            RuleId.INPUT_MALFORMED,
            "customer",
        ),
        (
            {"type": "resolve", "at": AT, "incident": "i1", "customer": "a"},
            RuleId.INPUT_MALFORMED,
            "customer",
        ),
    ],
)
def test_malformed_events_name_rule_and_field(raw: object, rule: RuleId, field: str) -> None:
    """input.malformed (input.aware-only for a naive instant): the error names the field."""
    with pytest.raises(PolicyError) as info:
        event_from_dict(raw)
    assert (info.value.rule, info.value.field) == (rule, field)


def test_policy_overrides_every_field() -> None:
    """Every override of the format reaches the Policy; absent ones keep the defaults."""
    policy = structure_policy(
        {
            "timezone": "America/New_York",
            "hours": {"sat": [["10:00", "12:00"], ["13:00", "16:00"]]},
            "closures": ["2026-12-26"],
            "openings": {"2026-12-27": [["09:00", "11:00"]]},
            "holidays": {"country": "DE", "subdivision": "BY"},
            "response_target_minutes": 60,
            "allowance_minutes": 300,
            "warning_minutes": 30,
            "validity_years": 2,
            "expiry_notice_days": 14,
            "auto_close_days": 7,
            "reopen_days": 10,
            "products": {"solo": {"credits": 1, "price": "80.00"}},
            "currency": "EUR",
        }
    )
    calendar, catalog = policy.calendar, policy.catalog
    assert calendar.tz.name == "America/New_York"
    assert [str(span) for span in calendar.week.sat] == ["10:00-12:00", "13:00-16:00"]
    assert calendar.week.mon == ()
    assert [day.isoformat() for day in calendar.closures] == ["2026-12-26"]
    assert [str(opening) for opening in calendar.openings] == ["2026-12-27 09:00-11:00"]
    assert calendar.holidays == PublicHolidays("DE", "BY")
    numbers = (policy.response_target_minutes, policy.allowance_minutes, policy.warning_minutes)
    assert numbers == (60, 300, 30)
    assert (policy.validity_years, policy.expiry_notice_days) == (2, 14)
    assert (policy.auto_close_days, policy.reopen_days) == (7, 10)
    assert [(p.name, p.credits, str(p.price)) for p in catalog.products] == [
        ("solo", 1, "80.00 EUR")
    ]


def test_no_overrides_is_the_default_policy() -> None:
    """No policy, or an empty one, is Policy(); a currency alone reprices the default catalog."""
    assert structure_policy(None) == Policy()
    assert structure_policy({}) == Policy()
    euros = structure_policy({"currency": "EUR"}).catalog
    assert [str(p.price) for p in euros.products] == ["75.00 EUR", "225.00 EUR"]


@pytest.mark.parametrize(
    ("raw", "rule", "field"),
    [
        ([], RuleId.INPUT_MALFORMED, "policy"),
        ({"timezone": "Mars/Olympus"}, None, "timezone"),
        ({"timezone": 5}, None, "timezone"),
        ({"hours": {"monday": []}}, RuleId.HOURS_SCHEDULE, "hours"),
        ({"hours": [["08:00", "19:00"]]}, RuleId.HOURS_SCHEDULE, "hours"),
        # Every error of a day names it under hours, as the policy object nests it.
        ({"hours": {"mon": "x"}}, RuleId.HOURS_SCHEDULE, "hours.mon"),
        ({"hours": {"mon": ["08:00-19:00"]}}, RuleId.HOURS_SCHEDULE, "hours.mon"),
        ({"hours": {"wed": [["19:00", "08:00"]]}}, RuleId.HOURS_SCHEDULE, "hours.wed"),
        (
            {"hours": {"fri": [["08:00", "12:00"], ["11:00", "13:00"]]}},
            RuleId.HOURS_SCHEDULE,
            "hours.fri",
        ),
        ({"hours": {}}, RuleId.HOURS_SCHEDULE, "hours"),  # a week with no open time
        # Numbers are minutes of the day in Python, never on the wire (00:08-00:19).
        ({"hours": {"mon": [[8, 19]]}}, RuleId.HOURS_SCHEDULE, "hours.mon"),
        ({"hours": {"tue": [["08:00", 19.0]]}}, RuleId.HOURS_SCHEDULE, "hours.tue"),
        ({"openings": {"2026-12-05": [[540, 720]]}}, RuleId.HOURS_CLOSURES, "openings.2026-12-05"),
        ({"closures": ["2026-02-30"]}, RuleId.HOURS_CLOSURES, "closures"),
        ({"holidays": "FR"}, RuleId.HOURS_HOLIDAYS, "holidays"),
        ({"holidays": {}}, RuleId.HOURS_HOLIDAYS, "holidays"),
        ({"holidays": {"country": "FR", "region": "x"}}, RuleId.HOURS_HOLIDAYS, "holidays"),
        ({"holidays": {"country": "XX"}}, RuleId.HOURS_HOLIDAYS, "holidays.country"),
        ({"holidays": {"country": 33}}, RuleId.HOURS_HOLIDAYS, "holidays.country"),
        (
            {"holidays": {"country": "DE", "subdivision": "ZZ"}},
            RuleId.HOURS_HOLIDAYS,
            "holidays.subdivision",
        ),
        ({"openings": []}, RuleId.HOURS_CLOSURES, "openings"),
        ({"openings": {"2026-12-05": "9-12"}}, RuleId.HOURS_CLOSURES, "openings.2026-12-05"),
        (
            {"openings": {"2026-12-05": [["12:00", "09:00"]]}},
            RuleId.HOURS_CLOSURES,
            "openings.2026-12-05",
        ),
        (
            {"openings": {"someday": [["09:00", "12:00"]]}},
            RuleId.HOURS_CLOSURES,
            "openings.someday",
        ),
        ({"reopen_days": 0}, None, "reopen_days"),
        ({"response_target_minutes": "120"}, None, "response_target_minutes"),
        ({"warning_minutes": 300}, None, "warning_minutes"),
        ({"allowance": 5}, RuleId.INPUT_MALFORMED, "allowance"),
        ({"products": []}, RuleId.CREDITS_CATALOG, "products"),
        ({"products": {"solo": 5}}, RuleId.CREDITS_CATALOG, "products.solo"),
        ({"products": {"solo": {"credits": 1}}}, RuleId.INPUT_MALFORMED, "products.solo.price"),
        (
            {"products": {"solo": {"credits": 0, "price": "1"}}},
            RuleId.CREDITS_CATALOG,
            "products.solo.credits",
        ),
        (
            {"products": {"solo": {"credits": 1, "price": "1", "x": 1}}},
            RuleId.INPUT_MALFORMED,
            "products.solo.x",
        ),
        ({"currency": "euro"}, RuleId.CREDITS_CATALOG, "currency"),
    ],
)
def test_invalid_policies_name_the_field(raw: object, rule: RuleId | None, field: str) -> None:
    """An invalid policy raises PolicyError naming the field (a document error upstream)."""
    with pytest.raises(PolicyError) as info:
        structure_policy(raw)
    assert (info.value.rule, info.value.field) == (rule, field)


@pytest.mark.parametrize(
    ("raw", "rule", "field"),
    [
        ([], RuleId.INPUT_MALFORMED, "policy"),
        ({"timezone": 5}, None, "policy.timezone"),
        ({"products": {"x": 3}}, RuleId.CREDITS_CATALOG, "policy.products.x"),
        ({"holidays": {"country": "XX"}}, RuleId.HOURS_HOLIDAYS, "policy.holidays.country"),
    ],
)
def test_policy_from_dict_names_the_field_as_a_scenario_does(
    raw: object, rule: RuleId | None, field: str
) -> None:
    """The public reader gives replay's Policy, and names a bad field under ``policy``
    with the rule it breaks."""
    assert policy_from_dict({"auto_close_days": 7}) == structure_policy({"auto_close_days": 7})
    with pytest.raises(PolicyError) as info:
        policy_from_dict(raw)
    assert (info.value.rule, info.value.field) == (rule, field)


def test_read_scenario() -> None:
    """The top level: events kept raw (each judged alone), until in UTC, policy read."""
    doc = read_scenario(
        {
            "$schema": "x",
            "description": "d",
            "policy": {"auto_close_days": 3},
            "until": "2027-01-01T00:00:00+01:00",
            "events": [1, {"type": "nope"}],
        }
    )
    assert doc.events == (1, {"type": "nope"})
    assert doc.until == pendulum.datetime(2026, 12, 31, 23)
    assert doc.policy.auto_close_days == 3


@pytest.mark.parametrize(
    ("raw", "rule", "field"),
    [
        ([], None, "scenario"),
        ("events", None, "scenario"),
        ({}, None, "events"),
        ({"events": {}}, None, "events"),
        ({"events": [], "title": "x"}, RuleId.INPUT_MALFORMED, "title"),
        ({"events": [], "policy": {"timezone": "Nowhere/Land"}}, None, "policy.timezone"),
        (
            {"events": [], "policy": {"products": {"a": {"credits": 0, "price": "1"}}}},
            RuleId.CREDITS_CATALOG,
            "policy.products.a.credits",
        ),
        ({"events": [], "until": "2027-01-01T00:00:00"}, RuleId.INPUT_AWARE_ONLY, "until"),
        ({"events": [], "until": "soon"}, RuleId.INPUT_MALFORMED, "until"),
        ({"events": [], "until": 5}, RuleId.INPUT_MALFORMED, "until"),
    ],
)
def test_not_a_scenario(raw: object, rule: RuleId | None, field: str) -> None:
    """A document that is not a scenario raises ScenarioError (a PolicyError) naming the field."""
    with pytest.raises(ScenarioError) as info:
        read_scenario(raw)
    assert isinstance(info.value, PolicyError)
    assert (info.value.rule, info.value.field) == (rule, field)


def test_outcome_writes_instants_in_the_policy_zone_and_money_as_text() -> None:
    """Instants in the policy zone with their offset (summer and winter), money '225.00'."""
    policy = structure_policy({"timezone": "Europe/Paris"})
    summer = pendulum.datetime(2026, 7, 1, 8)  # UTC
    winter = datetime(2026, 12, 1, 8, tzinfo=timezone(timedelta(hours=-5)))  # not UTC
    outcome = Outcome(
        as_of=summer,
        results=(
            ResultOut(index=0, accepted=True),
            ResultOut(index=1, accepted=False, rule=RuleId.CREDITS_NO_REFUNDS, message="no"),
        ),
        customers={},
        incidents={},
        notifications=(Notification(winter, "credits_purchased", "customer", "acme"),),  # type: ignore[arg-type]
        next_event_at=None,
    )
    data = outcome_dict(outcome, policy)
    assert data == {
        "as_of": "2026-07-01T10:00:00+02:00",
        "results": [
            {"index": 0, "accepted": True},
            {"index": 1, "accepted": False, "rule": "credits.no-refunds", "message": "no"},
        ],
        "customers": {},
        "incidents": {},
        "notifications": [
            {
                "id": Notification(winter, "credits_purchased", "customer", "acme").id,  # type: ignore[arg-type]
                "at": "2026-12-01T14:00:00+01:00",
                "kind": "credits_purchased",
                "to": "customer",
                "customer": "acme",
                "incident": None,
            }
        ],
        "next_event_at": None,
    }


def _written(
    part: str,
    *,
    results: tuple[ResultOut, ...] | ResultLog = (),
    notifications: tuple[Notification, ...] | NotificationLog = (),
) -> list[dict[str, Any]]:
    """One part of the outcome written for these results or notifications alone."""
    outcome = Outcome(
        as_of=None,
        results=results,
        customers={},
        incidents={},
        notifications=notifications,
        next_event_at=None,
    )
    written: list[dict[str, Any]] = outcome_dict(outcome, Policy())[part]
    return written


def test_a_result_log_is_written_as_its_result_views_are() -> None:
    """The replay's result log (a count and the refusals by index) reads as ResultOut
    views, negative indexes and slices included, and is written as those views are."""
    log = ResultLog(3, {1: ("credits.no-refunds", "no")})
    views = (
        ResultOut(index=0, accepted=True),
        ResultOut(index=1, accepted=False, rule=RuleId.CREDITS_NO_REFUNDS, message="no"),
        ResultOut(index=2, accepted=True),
    )
    assert (len(log), tuple(log), log[-2], list(log[1:])) == (3, views, views[1], list(views[1:]))
    assert _written("results", results=log) == _written("results", results=views)
    assert _written("results", results=log)[1] == {
        "index": 1,
        "accepted": False,
        "rule": "credits.no-refunds",
        "message": "no",
    }


def test_views_fill_fields_by_name_and_path() -> None:
    """A view takes each field from the value of the same name, or its dotted path."""

    class Source:
        id, product, credits, remaining = "p1", "bundle-3", 3, 2
        purchased_at = pendulum.datetime(2026, 1, 1)
        expires_at = pendulum.datetime(2027, 1, 1)
        price = Money("225.00", "EUR")
        policy_version = 0

    lot = view(LotOut, Source())
    assert (lot.id, lot.price.amount, lot.currency) == ("p1", Decimal("225.00"), "EUR")

    @attrs.frozen
    class Just:
        currency: str = attrs.field(metadata={"premier_policy.wire.from": "price.currency"})

    assert view(Just, Source()) == Just("EUR")


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=5,
    )
)
def test_json_kinds_are_named(value: object) -> None:
    """Error messages name a JSON value's kind in words."""
    assert _kind(value) in {"null", "a boolean", "a number", "a string", "a list", "an object"}


def test_a_value_outside_json_has_a_generic_kind() -> None:
    """Python callers may pass anything; the message still reads."""
    assert _kind(datetime.now(UTC)) == "a value"


def test_event_to_dict_refuses_a_non_event_naming_rule_input_malformed() -> None:
    """Anything but an event is input.malformed naming ``event``, not a KeyError."""
    with pytest.raises(PolicyError) as info:
        event_to_dict(None)  # type: ignore[arg-type]
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "event")


@pytest.mark.parametrize(
    ("timezone_name", "until"),
    [
        ("Europe/Paris", "9999-12-31T23:00:00Z"),  # 10000-01-01T00:00+01:00
        ("America/New_York", "0001-01-01T01:00:00Z"),  # before the year 1 there
    ],
)
def test_until_beyond_the_calendar_of_the_policy_zone_names_the_until_field(
    timezone_name: str, until: str
) -> None:
    """``until`` is read in the policy zone, where the outcome writes it: an instant
    outside the years 1 to 9999 there is a ScenarioError naming ``until``."""
    with pytest.raises(ScenarioError) as info:
        read_scenario({"events": [], "until": until, "policy": {"timezone": timezone_name}})
    assert info.value.field == "until"
    # The same instant in UTC is writable, and kept as given.
    doc = read_scenario({"events": [], "until": until, "policy": {"timezone": "UTC"}})
    assert doc.until == datetime.fromisoformat(until)


@pytest.mark.parametrize(
    "at", ["9999-12-31T10:00:00Z", "9999-12-31T23:59:59+00:00", "0001-01-01T11:59:59Z"]
)
def test_events_near_the_ends_of_time_are_refused_naming_rule_input_malformed(at: str) -> None:
    """An event instant that some IANA zone (-12:00 to +14:00) cannot write within the
    years 1 to 9999 is input.malformed naming ``at``: accepted, the outcome could not
    write it; the first and last writable instants are accepted."""
    raw = {"type": "resolve", "at": at, "incident": "i1"}
    with pytest.raises(PolicyError) as info:
        event_from_dict(raw)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "at")
    for ok in ("9999-12-31T09:59:59.999999Z", "0001-01-01T12:00:00Z"):
        assert event_from_dict(raw | {"at": ok}).at == datetime.fromisoformat(ok)


# --- the converter, built at test time: its hooks are configured at import otherwise ----


@given(events(max_size=12))
def test_a_converter_built_now_reads_and_writes_events_as_the_module_one(
    sequence: list[Event],
) -> None:
    """A converter from _converter() structures every event type to the value the wire
    reads, and unstructures it to the body the wire writes."""
    converter = _converter()
    for event in sequence:
        wired = event_to_dict(event)
        body = {key: value for key, value in wired.items() if key != "type"}
        assert converter.structure(body, type(event)) == event_from_dict(wired)
        assert converter.unstructure(event, type(event)) == body


def test_a_converter_built_now_writes_no_customer_for_an_event_naming_no_one() -> None:
    """A customer-side event that names no acting customer is written without the key,
    and one that names it is written with it, by a converter built now."""
    converter = _converter()
    anonymous = event_from_dict({"at": AT, "type": "extend", "incident": "i1"})
    named_one = event_from_dict({"at": AT, "type": "extend", "incident": "i1", "customer": "a"})
    assert "customer" not in converter.unstructure(anonymous, type(anonymous))
    assert converter.unstructure(named_one, type(named_one))["customer"] == "a"


def test_a_converter_built_now_reads_policy_overrides_as_the_module_one() -> None:
    """Every policy override structures alike through a fresh converter and the module's."""
    raw = {
        "timezone": "America/New_York",
        "hours": {"sat": [["10:00", "12:00"]]},
        "closures": ["2026-12-26"],
        "response_target_minutes": 60,
        "products": {"solo": {"credits": 1, "price": "80.00"}},
        "currency": "EUR",
    }
    assert _converter().structure(raw, _Overrides) == _CONVERTER.structure(raw, _Overrides)


@pytest.mark.parametrize(
    ("value", "kind"),
    [(7, str), ("7", int), (1.5, int), ("no", bool), (1, bool), ("billing", Area),
     ("bored", InvalidReason)],
)  # fmt: skip
def test_the_converter_passes_strings_numbers_booleans_and_literals_as_given(
    value: object, kind: Any
) -> None:
    """No coercion (``str(7)``, ``int("7")``, ``bool("no")``) and no literal check of its
    own: the value itself reaches the validators, which name the rule and field."""
    assert _converter().structure(value, kind) is value


def test_the_converter_reads_instants_in_utc_within_the_writable_years() -> None:
    """input.aware-only: an instant is read as the same instant in UTC; one too close to
    the year 9999 for every zone to write is input.malformed naming ``at``."""
    read = _converter().structure("2026-11-27T10:00:00+01:00", datetime)
    assert read == pendulum.datetime(2026, 11, 27, 9)
    assert read.tzinfo is pendulum.UTC
    with pytest.raises(PolicyError) as info:
        _converter().structure("9999-12-31T23:59:59+00:00", datetime)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "at")


@pytest.mark.parametrize(
    ("raw", "cls", "extra"),
    [({**PURCHASE, "cuont": 3}, Purchase, "cuont"), ({"allowance": 5}, _Overrides, "allowance")],
)
def test_the_converter_refuses_unknown_fields(
    raw: dict[str, object], cls: type, extra: str
) -> None:
    """input.malformed: a misspelt field is refused, never ignored (it would otherwise
    buy one credit instead of three)."""
    body = {key: value for key, value in raw.items() if key != "type"}
    with pytest.raises(ClassValidationError) as info:
        _converter().structure(body, cls)
    (error,) = info.value.exceptions
    assert isinstance(error, ForbiddenExtraKeysError)
    assert error.extra_fields == {extra}


def test_the_converter_writes_json_ready_values() -> None:
    """Instants as ISO text with their offset, money and decimals as plain two-place
    text, rule IDs as plain strings, tuples (of one type or mixed) as lists."""
    converter = _converter()
    paris_winter = timezone(timedelta(hours=1))
    assert converter.unstructure(datetime(2026, 11, 27, 10, tzinfo=paris_winter)) == (
        "2026-11-27T10:00:00+01:00"
    )
    assert converter.unstructure(Money("225", "EUR")) == "225.00"
    assert converter.unstructure(Decimal("1E+2")) == "100"
    rule = converter.unstructure(RuleId.CREDITS_NO_REFUNDS)
    assert (type(rule), rule) == (str, RuleId.CREDITS_NO_REFUNDS.value)
    assert converter.unstructure(("p1", "p2"), tuple[str, ...]) == ["p1", "p2"]
    assert converter.unstructure((1, "a"), tuple[int, str]) == [1, "a"]


# --- the messages: documented behaviour (docs/errors.md), each naming its field ---------

#: The scenario format's event types, in the order an error lists them.
TYPES = (
    "purchase, refund_request, open, staff_reply, customer_reply, log_time, extend, "
    "resolve, close, reopen, invalidate"
)


@pytest.mark.parametrize(
    ("value", "name"),
    [("7", "a string"), ("", "a string"), (7, "a number"), (1.5, "a number"),
     (True, "a boolean"), (False, "a boolean"), (None, "null"), ([], "a list"),
     ({}, "an object")],
)  # fmt: skip
def test_each_json_kind_has_its_own_name(value: object, name: str) -> None:
    """Messages name the JSON kind a value has; a boolean is not a number."""
    assert _kind(value) == name


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (5, "input.malformed: event: an event is an object, got a number"),
        ({"at": AT}, f"input.malformed: type: missing; expected one of {TYPES}"),
        (
            {"at": AT, "type": None},
            f"input.malformed: type: unknown event type None; expected one of {TYPES}",
        ),
        (
            # Unhashable: it cannot be looked up in the table, and is still named.
            {"at": AT, "type": ["purchase"]},
            f"input.malformed: type: unknown event type ['purchase']; expected one of {TYPES}",
        ),
        ({**PURCHASE, "at": 1.7e9}, "input.malformed: at: expected an ISO 8601 string, got float"),
        (
            {**PURCHASE, "at": "9999-12-31T23:59:59+00:00"},
            "input.malformed: at: 9999-12-31T23:59:59+00:00 is too close to the ends of the "
            "years 1 to 9999 to be written in every time zone",
        ),
    ],
)
def test_malformed_events_say_what_is_wrong(raw: object, message: str) -> None:
    """input.malformed: the message names the field and what was found there."""
    with pytest.raises(PolicyError) as info:
        event_from_dict(raw)
    assert str(info.value) == message


def test_a_missing_field_is_refused_as_missing() -> None:
    """input.malformed: a missing field is named and said to be missing."""
    event = {"at": AT, "type": "log_time", "minutes": 5}
    (result,) = replay({"events": [event]})["results"]
    assert result["rule"] == RuleId.INPUT_MALFORMED.value
    assert result["message"] == "malformed event: incident: missing"


def test_an_instant_that_overflows_utc_is_named_as_such() -> None:
    """An offset that takes the instant before the year 1 in UTC is refused naming ``at``
    and saying so, not failing on the way."""
    with pytest.raises(PolicyError) as info:
        event_from_dict({"type": "resolve", "at": "0001-01-01T00:00:00+01:00", "incident": "i"})
    assert (info.value.rule, info.value.field, info.value.detail) == (
        RuleId.INPUT_MALFORMED,
        "at",
        "0001-01-01T00:00:00+01:00 is out of range in UTC",
    )


def test_event_to_dict_names_what_it_got() -> None:
    """input.malformed: a non-event is named by its type."""
    with pytest.raises(PolicyError) as info:
        event_to_dict("resolve")  # type: ignore[arg-type]
    assert str(info.value) == "input.malformed: event: expected an event, got str"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "input.malformed: policy: expected an object, got a list"),
        ({"openings": []}, "hours.closures: openings: expected an object, got a list"),
        (
            {"openings": {"2026-12-05": "9-12"}},
            "hours.closures: openings.2026-12-05: expected a list of spans, got '9-12'",
        ),
        (
            {"openings": {"someday": [["09:00", "12:00"]]}},
            "hours.closures: openings.someday: expected a date 'YYYY-MM-DD', got 'someday'",
        ),
        ({"products": []}, "credits.catalog: products: expected an object, got a list"),
        ({"holidays": {}}, "hours.holidays: holidays: missing country"),
        (
            {"holidays": {"country": "FR", "region": "x"}},
            "hours.holidays: holidays: unknown field 'region'; holidays has country and "
            "optionally subdivision",
        ),
        (
            {"products": {"solo": 5}},
            "credits.catalog: products.solo: expected an object with credits and price, "
            "got a number",
        ),
    ],
)
def test_invalid_policies_say_what_is_wrong(raw: object, message: str) -> None:
    """hours.closures, credits.catalog, input.malformed: the rule, the field, the reason."""
    with pytest.raises(PolicyError) as info:
        structure_policy(raw)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "scenario: a scenario is an object with an events list, got a list"),
        ({}, "events: missing"),
        ({"events": {}}, "events: expected a list, got an object"),
        ({"events": None}, "events: expected a list, got null"),
    ],
)
def test_not_a_scenario_says_what_is_wrong(raw: object, message: str) -> None:
    """A document error says whether ``events`` is missing or of another kind."""
    with pytest.raises(ScenarioError) as info:
        read_scenario(raw)
    assert str(info.value) == message


def test_an_unexpected_error_of_a_hook_is_malformed_input_at_its_field() -> None:
    """Whatever a structure hook raises is input.malformed, with its own words, at the
    field it was reading."""

    def refuse(value: object, _: object) -> object:
        raise ValueError("no such day")

    converter = _converter()
    converter.register_structure_hook(datetime, refuse)
    with pytest.raises(ClassValidationError) as info:
        converter.structure({"at": AT, "incident": "i1"}, Resolve)
    error = _explain(info.value, None)
    assert (error.rule, error.field, error.detail) == (RuleId.INPUT_MALFORMED, "at", "no such day")


def test_a_validator_error_sits_under_the_path_so_far() -> None:
    """A validator names its own field; the explanation puts it under the path given."""
    found = PolicyError("expected at least 1", rule=RuleId.CREDITS_CATALOG, field="credits")
    error = _explain(found, "products.solo")
    assert (error.rule, error.field) == (RuleId.CREDITS_CATALOG, "products.solo.credits")
    assert error.detail == "expected at least 1"


# --- instants written: built now (the module's are cached per zone) --------------------


def test_instants_are_written_in_the_zone_they_were_made_for() -> None:
    """UTC instants and instants at another offset, in the zone's summer and winter."""
    converter = _outcome_converter("Europe/Paris")
    assert converter.unstructure(pendulum.datetime(2026, 7, 1, 8)) == "2026-07-01T10:00:00+02:00"
    new_york = datetime(2026, 12, 1, 8, tzinfo=timezone(timedelta(hours=-5)))
    assert converter.unstructure(new_york) == "2026-12-01T14:00:00+01:00"


def test_a_notification_log_is_written_as_its_notifications_are() -> None:
    """The engine's log writes each notification as the Notification it reads as: runs
    sharing one instant, and equal instants of other objects and zones, each in its
    own words (the policy zone for ``at``, UTC in the ID)."""
    summer = pendulum.datetime(2026, 7, 1, 8)
    again = pendulum.datetime(2026, 7, 1, 10, tz="Europe/Paris")  # the same instant
    later = pendulum.datetime(2026, 12, 1, 8, tz="America/New_York")
    log = NotificationLog()
    for at in (summer, summer, again, later, summer):
        log.extend(notify("incident_opened", at, "acme", "i1"))
    written = _written("notifications", notifications=log)
    assert written == _written("notifications", notifications=tuple(log))
    ats = [n["at"] for n in written[::2]]
    assert ats == ["2026-07-01T10:00:00+02:00"] * 3 + ["2026-12-01T14:00:00+01:00"] + [
        "2026-07-01T10:00:00+02:00"
    ]
    assert [n.seq for n in log] == [0, 0, 1, 1, 2, 2, 0, 0, 0, 0]


def test_outcome_instants_keep_their_microseconds() -> None:
    """Instants are written exactly, microseconds included."""
    stamp = "2026-11-27T10:00:00.000001+01:00"
    outcome = replay({"events": [{**PURCHASE, "at": stamp}]})
    (lot,) = outcome["customers"]["acme"]["lots"]
    assert outcome["as_of"] == lot["purchased_at"] == stamp
    assert outcome["notifications"][0]["at"] == stamp


@pytest.mark.usefixtures("host_in_kolkata")
def test_the_hosts_time_zone_never_leaks_in() -> None:
    """Instants are read in UTC and written in the policy zone whatever zone the host
    keeps (the fixture's is in force: a naive reading would be +05:30)."""
    assert datetime(2026, 1, 1, tzinfo=UTC).astimezone().utcoffset() == timedelta(hours=5.5)
    read = event_from_dict({"type": "resolve", "at": AT, "incident": "i1"}).at
    assert (read.hour, read.minute, read.utcoffset()) == (9, 0, timedelta(0))
    converter = _outcome_converter("Europe/Paris")
    assert converter.unstructure(pendulum.datetime(2026, 7, 1, 8)) == "2026-07-01T10:00:00+02:00"
    assert converter.unstructure(
        datetime(2026, 12, 1, 8, tzinfo=timezone(timedelta(hours=-5)))
    ) == ("2026-12-01T14:00:00+01:00")
    # And in UTC for notification IDs, the same text utc_text writes.
    at = pendulum.datetime(2026, 7, 1, 10, tz="Europe/Paris")
    log = NotificationLog()
    log.extend(notify("credits_purchased", at, "acme"))
    (written,) = _written("notifications", notifications=log)
    assert written["id"] == notification_id(at, "credits_purchased", "customer", "acme", None, 0)
    assert utc_text(at) == "2026-07-01T08:00:00+00:00"


CHANGE_AT = "2026-12-01T00:00:00+01:00"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({}, "policy_changes"),
        ([5], "policy_changes[0]"),
        ([{"from": CHANGE_AT}], "policy_changes[0]"),
        ([{"from": CHANGE_AT, "policy": []}], "policy_changes[0].policy"),
        (
            [{"from": CHANGE_AT, "policy": {"reopen_days": 0}}],
            "policy_changes[0].policy.reopen_days",
        ),
        (
            [{"from": CHANGE_AT, "policy": {"timezone": "Asia/Tokyo"}}],
            "policy_changes[0].policy.timezone",
        ),
        ([{"from": "2026-12-01", "policy": {}}], "policy_changes[0].from"),
        (
            [{"from": CHANGE_AT, "policy": {}}, {"from": CHANGE_AT, "policy": {}}],
            "policy_changes[1].from",
        ),
    ],
)
def test_bad_policy_changes_are_document_errors(changes: object, field: str) -> None:
    """policy.changes: a bad timeline is a document error naming the field."""
    with pytest.raises(ScenarioError) as info:
        read_scenario({"policy_changes": changes, "events": []})
    assert info.value.field == field
    said = {
        "policy_changes[0].policy": "expected an object, got a list",
        "policy_changes[1].from": "changes come in strictly increasing time order: "
        "2026-12-01 00:00 CET is not after 2026-12-01 00:00 CET",
    }
    if field in said:
        assert info.value.detail == said[field]


def test_each_change_overrides_the_ones_before() -> None:
    """policy.changes: overrides accumulate over the base and the earlier changes."""
    doc = {
        "policy": {"auto_close_days": 7},
        "policy_changes": [
            {"from": CHANGE_AT, "policy": {"response_target_minutes": 240}},
            {"from": "2027-01-01T00:00:00+01:00", "policy": {"reopen_days": 3}},
        ],
        "events": [],
    }
    versions = read_scenario(doc).policy.versions
    numbers = [(v.auto_close_days, v.response_target_minutes, v.reopen_days) for v in versions]
    assert numbers == [(7, 120, 30), (7, 240, 30), (7, 240, 3)]
    assert read_scenario({"policy_changes": [], "events": []}).policy == Policy()


_OPEN = {
    "type": "open",
    "at": "2026-11-27T10:00:00+01:00",
    "customer": "acme",
    "id": "i1",
    "area": "setup",
}
_POLICY: dict[str, Any] = {
    "hours": {"mon": [["08:00", "19:00"]]},
    "openings": {"2026-12-26": [["09:00", "12:00"]]},
    "products": {"single": {"credits": 1, "price": "75.00"}},
    "holidays": {"country": "FR"},
}


def _deep(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


def _put(document: dict[Any, Any], path: tuple[str | int, ...], key: object, value: object) -> None:
    target: Any = document
    for part in path:
        target = target[part]
    target[key] = value


# Every mapping a scenario holds: the scenario itself, an event, the policy, the mappings
# inside it, and the policy of a dated change.
_MAPPINGS: list[tuple[tuple[str | int, ...], str]] = [
    ((), "scenario"),
    (("events", 0), "event"),
    (("policy",), "policy"),
    *((("policy", name), f"policy.{name}") for name in ("hours", "openings", "products")),
    (("policy", "holidays"), "policy.holidays"),
    (("policy", "products", "single"), "policy.products"),
    (("policy_changes", 0, "policy"), "policy_changes[0].policy"),
    (("policy_changes", 0, "policy", "holidays"), "policy_changes[0].policy.holidays"),
]


@pytest.mark.parametrize(("path", "field"), _MAPPINGS, ids=[f for _, f in _MAPPINGS])
def test_a_key_that_is_not_a_string_is_malformed_where_it_sits(
    path: tuple[str | int, ...], field: str
) -> None:
    """{1: 2} in any mapping of a scenario is input.malformed naming the mapping: a
    document error, or for an event that event's refusal."""
    change = {"from": "2027-01-01T00:00:00+01:00", "policy": {"holidays": {"country": "DE"}}}
    document: dict[Any, Any] = {
        "policy": _copy(_POLICY),
        "policy_changes": [_copy(change)],
        "events": [dict(_OPEN)],
    }
    _put(document, path, 1, 2)
    if path[:1] == ("events",):
        (result,) = replay(document)["results"]
        assert (result["rule"], result["message"]) == (
            RuleId.INPUT_MALFORMED,
            f"malformed event: {field}: expected string keys, got the key 1",
        )
        bad: dict[Any, object] = {**_OPEN, 1: 2}
        with pytest.raises(PolicyError) as caught_event:
            event_from_dict(bad)
        error: PolicyError = caught_event.value
    else:
        with pytest.raises(ScenarioError) as caught:
            replay(document)
        error = caught.value
    assert (error.rule, error.field) == (RuleId.INPUT_MALFORMED, field)
    assert error.detail == "expected string keys, got the key 1"


#: Any text as a key: lone surrogates, line breaks and long keys included.
_KEYS = st.text(
    st.characters(exclude_categories=()) | st.characters(categories=["Cs"]), max_size=100
)
#: Every name a scenario knows as a key somewhere: an unknown key is none of them.
_KNOWN = {"$schema", "description", "policy", "policy_changes", "until", "state"}
_KNOWN |= {"return_state", "events", "type", "country", "subdivision", "mon", "tue", "wed"}
_KNOWN |= {"thu", "fri", "sat", "sun", *attrs.fields_dict(_Overrides)}
_KNOWN |= {field.name for cls in EVENT_TYPES.values() for field in attrs.fields(cls)}
_KNOWN |= set(World(Policy()).snapshot())


def _unknown_key_in(where: str, key: str) -> dict[str, Any]:
    """A scenario with ``key`` where ``where`` says: a key nothing there knows."""
    policies: dict[str, dict[str, Any]] = {
        "policy": {key: 1},
        "policy.hours": {"hours": {key: [["08:00", "19:00"]]}},
        "policy.openings": {"openings": {key: [[8, 9]]}},  # a bad date or bad spans
        "policy.products": {"products": {key: {"credits": 0, "price": "75.00"}}},
        "policy.holidays": {"holidays": {"country": "FR", key: "x"}},
    }
    if where == "event":
        return {"events": [{**_OPEN, key: 1}]}
    if where == "scenario":
        return {key: 1, "events": []}
    if where == "state":
        return {"state": {**World(Policy()).snapshot(), key: 1}, "events": []}
    if where == "policy_changes[0].policy":
        return {"policy_changes": [{"from": AT, "policy": {key: 1}}], "events": []}
    return {"policy": policies[where], "events": []}


_PLACES = ["event", "scenario", "state", "policy_changes[0].policy", "policy", "policy.hours",
           "policy.openings", "policy.products", "policy.holidays"]  # fmt: skip


@given(st.sampled_from(_PLACES), _KEYS.filter(lambda key: key not in _KNOWN))
def test_an_unknown_key_is_named_in_text_utf_8_can_write(where: str, key: str) -> None:
    """Whatever an unknown key holds (a lone surrogate, a line break, ten thousand
    characters), the refusal or document error naming it is one line of UTF-8 text:
    short printable keys as they are, anything else by its bounded echo."""
    document = _unknown_key_in(where, key)
    if where == "event":
        (result,) = replay(document)["results"]
        rule, message = result["rule"], result["message"]
        assert message == f"malformed event: {named(key)}: unknown field"
    else:
        with pytest.raises(ScenarioError) as caught:
            replay(document)
        rule, message, field = caught.value.rule, str(caught.value), caught.value.field
        assert field is not None
        assert field.startswith(named(key) if where == "scenario" else where)
    assert rule is not None
    message.encode("utf-8")  # no lone surrogate
    assert message.isprintable()
    assert len(message) < 600
    # Named in the field path as itself (a short printable key) or by its bounded echo;
    # a day of the hours and a field of the holidays are echoed in the detail as a
    # refused value is, quoted, a backslash doubled.
    echoed = where in ("policy.hours", "policy.holidays")
    assert (shown(key) if echoed else named(key)) in message
    assert (named(key) == key) is (key != "" and key.isprintable() and len(key) <= ECHO_LIMIT)


def _copy(value: Any) -> Any:
    """A deep copy of plain JSON data."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


@pytest.mark.parametrize(
    ("where", "field"),
    [("event", "type"), ("event", "customer"), ("event", "at")]
    + [("policy", name) for name in ("timezone", "hours", "openings", "closures", "products")],
)
def test_values_nested_past_the_limit_are_malformed_naming_their_field(
    where: str, field: str
) -> None:
    """A value nested 100k deep is refused as input.malformed at its field, no RecursionError."""
    deep = _deep(100_000)
    if where == "event":
        outcome = replay({"events": [{**_OPEN, field: deep}]})
        assert outcome["results"][0]["rule"] == RuleId.INPUT_MALFORMED
        assert outcome["results"][0]["message"] == (
            f"malformed event: {field}: nested more than {MAX_DEPTH} levels deep"
        )
    else:
        with pytest.raises(ScenarioError) as caught:
            replay({"policy": {field: deep}, "events": []})
        assert (caught.value.rule, caught.value.field) == (
            RuleId.INPUT_MALFORMED,
            f"policy.{field}",
        )


def test_nesting_up_to_the_limit_reaches_the_fields_own_check() -> None:
    """Just within the limit, the field's own validator judges (and echoes a short prefix)."""
    with pytest.raises(ScenarioError) as caught:
        replay({"policy": {"timezone": _deep(MAX_DEPTH - 1)}, "events": []})
    assert caught.value.field == "policy.timezone"
    assert "expected an IANA zone name, got [[[[...]]]]" in str(caught.value)


def test_values_json_never_holds_are_walked_past_not_into() -> None:
    """plain() looks inside mappings and lists only: another value (a Decimal) is a leaf."""
    from decimal import Decimal

    from premier_policy.wire._converter import plain

    plain({"a": [Decimal("1.5"), {"b": Decimal("2")}]})  # no error: nothing to refuse


def test_a_leaf_json_never_holds_does_not_end_the_walk() -> None:
    """Past a leaf that is not JSON (a date, met first), the walk still reaches the
    mapping beside it and refuses its key."""
    from datetime import date

    from premier_policy.wire._converter import plain

    with pytest.raises(PolicyError) as caught:
        plain({"closures": [{1: 2}, date(2026, 12, 25)]})
    assert str(caught.value) == "input.malformed: closures: expected string keys, got the key 1"


def test_the_nesting_limit_is_exact() -> None:
    """MAX_DEPTH levels of lists inside a field are refused, one fewer are walked."""
    from premier_policy.wire._converter import plain

    plain({"a": _deep(MAX_DEPTH - 1)})
    with pytest.raises(PolicyError) as caught:
        plain({"a": _deep(MAX_DEPTH)})
    assert str(caught.value) == f"input.malformed: a: nested more than {MAX_DEPTH} levels deep"


#: Values an event's fields may be given: good ones, and JSON's other flat values.
_FIELD_VALUES = st.sampled_from(
    [AT, "2026-11-27T10:00:00", "0001-01-01T00:00:00+00:00", "acme", "i1", "p1", "setup",
     "bundle-3", "vendor_bug", "", "a\ud800", 0, 1, 90, True, None, 1.5]
)  # fmt: skip
_FIELD_NAMES = sorted({f.name for cls in EVENT_TYPES.values() for f in attrs.fields(cls)})


def _read(read: Any, raw: object) -> object:
    try:
        event: object = read(raw)
    except PolicyError as error:
        return (error.rule, error.field, str(error))
    return event


@given(
    st.sampled_from(sorted(EVENT_TYPES)),
    st.dictionaries(st.sampled_from(_FIELD_NAMES), _FIELD_VALUES, max_size=5),
)
def test_the_quick_path_builds_what_the_full_path_builds(kind: str, fields: dict[str, Any]) -> None:
    """Every event object is read as cattrs reads it, event or error: the quick path
    builds what the full one would, or leaves the object to it."""
    raw = {"type": kind, **fields}
    quick = _quick(raw)
    assert quick is None or quick == _full(raw)
    assert _read(event_from_dict, raw) == _read(_full, raw)


class _Key(str):
    """A key that equals a field's name without being a plain string."""


@pytest.mark.parametrize(
    "raw",
    [
        {"type": "resolve", "at": AT},  # a field missing
        {"type": "resolve", "at": AT, "incident": "i1", "cuont": 3},  # an unknown field
        {"type": "resolve", "at": AT, "incident": ["i1"]},  # a value that is not flat
        {"type": "close", "at": AT, "incident": "i1", "customer": None},  # null names no one
        {"type": "resolve", "at": "2026-11-27T10:00:00", "incident": "i1"},  # naive
        {"type": "resolve", "at": AT, "incident": ""},  # refused by the class
        {"type": "refund", "at": AT},
        {"type": 3, "at": AT},
        {"type": ["resolve"], "at": AT},
        {"type": "resolve", "at": AT, _Key("incident"): "i1"},
        pendulum.DateTime,
        [],
    ],
)
def test_the_quick_path_leaves_all_but_the_common_shape_to_the_full_one(raw: Any) -> None:
    """Anything but a dict of known, present, flat, well-formed fields goes the full way."""
    assert _quick(raw) is None


def test_the_quick_path_reads_the_common_shape() -> None:
    """A well-formed event object is built on the quick path, the same value cattrs makes."""
    raw = {"at": AT, "type": "close", "incident": "i1", "customer": "acme"}
    assert _quick(raw) == _full(raw) == event_from_dict(raw)
    assert _quick(raw) is not None


def test_the_quick_paths_shapes_are_the_classes_fields_built_now() -> None:
    """_shape, called now: an event object may hold its type and its class's fields, and
    must hold its type and the fields without a default (a purchase's count, the acting
    customer of a customer reply, may be left out)."""
    purchase, may, must = _shape(EVENT_TYPES["purchase"])
    assert purchase is EVENT_TYPES["purchase"]
    assert may == {"type", "at", "customer", "id", "product", "count"}
    assert must == {"type", "at", "customer", "id", "product"}
    _, may, must = _shape(EVENT_TYPES["customer_reply"])
    assert may == {"type", "at", "incident", "customer"}
    assert must == {"type", "at", "incident"}
    assert {name: _shape(cls) for name, cls in EVENT_TYPES.items()} == _SHAPES


def test_a_customer_written_without_an_instant_has_no_usable_credit() -> None:
    """customer_out counts the lots usable at as_of; with no instant, none are, and the
    lots are still written."""
    world = World(Policy()).apply(event_from_dict(PURCHASE)).world
    account = world.accounts["acme"]
    assert customer_out(account, None) == CustomerOut(
        balance=0, lots=tuple(view(LotOut, lot) for lot in account.lots)
    )
    assert customer_out(account, world.at).balance == 1  # a single


def _same_instant(text: str | None, value: datetime | None) -> None:
    """``text``, as an outcome writes an instant, is ``value``, with its offset."""
    assert (text is None) == (value is None)
    if text is not None:
        parsed = datetime.fromisoformat(text)
        assert parsed.utcoffset() is not None, text
        assert parsed == value, (text, value)


@given(scenarios())
def test_every_instant_written_is_the_worlds_own_with_its_offset(doc: dict[str, Any]) -> None:
    """Each instant of an outcome carries its offset and is the very instant of the
    world's value, in every zone the strategies draw (half-hour and 45-minute offsets,
    southern summers); tests/wire/test_clock.py writes every few seconds of each hour
    holding a change, which random scenarios seldom reach."""
    out = replay(doc)
    world = trace(doc).world
    for key, incident in world.incidents.items():
        written = out["incidents"][key]
        for name in ("opened_at", "resolved_at", "auto_close_at", "closed_at", "reopen_until"):
            _same_instant(written[name], getattr(incident, name))
        for target, text in zip(
            incident.response_targets, written["response_targets"], strict=True
        ):
            for name in ("started_at", "due_at", "met_at"):
                _same_instant(text[name], getattr(target, name))
    for customer, account in world.accounts.items():
        for lot, text in zip(account.lots, out["customers"][customer]["lots"], strict=True):
            _same_instant(text["purchased_at"], lot.purchased_at)
            _same_instant(text["expires_at"], lot.expires_at)
    _same_instant(out["as_of"], world.at)


def test_a_null_customer_is_refused_in_the_words_of_a_missing_one() -> None:
    """A customer-side event naming the customer as null says what was expected."""
    with pytest.raises(PolicyError) as caught:
        event_from_dict({"type": "extend", "at": AT, "incident": "i1", "customer": None})
    assert str(caught.value) == "input.malformed: customer: expected a non-empty string, got None"


@given(lives(), st.sampled_from(("Europe/Paris", "America/New_York", "Asia/Kolkata")))
def test_incident_records_are_written_as_their_incidents_are(
    life: tuple[Step, list[tuple[timedelta, Any]]], tz: str
) -> None:
    """The replay engine's incident records are written exactly as the Incident values
    they hold, key order included (the canonical text depends on it)."""
    step, events = life
    incident, account = step.incident, step.account
    incidents = {"i0": incident}
    for n, (_, event) in enumerate(events, start=1):
        judged = apply(SHORT, incident, account, event)
        if not isinstance(judged, Refusal):
            incident, account = judged.incident, judged.account
        incidents[f"i{n}"] = incident
    converter = _outcome_converter(tz)
    records = IncidentRecords({key: record_of(value) for key, value in incidents.items()})
    by_value = {key: converter.unstructure(value) for key, value in incidents.items()}
    assert json.dumps(converter.unstructure(records)) == json.dumps(by_value)
