"""Fuzzing: whatever a host throws at the library, it answers with a value or a PolicyError.

Replay and every public operation are fed random and garbage input: wrong types, missing
and unknown fields, huge and negative numbers, unicode and empty IDs, naive instants,
instants in the years 1 and 9999, out-of-order and duplicated events. Nothing may crash
or raise anything but :class:`~premier_policy.PolicyError` (``ScenarioError`` included,
a subclass); a refusal changes nothing; the conservation laws of credits hold after
every accepted event. With ``CI`` set the profile runs 300 examples per property test
(`pytest --hypothesis-show-statistics` shows the counts).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import premier_policy as pp
from premier_policy import (
    Account,
    Calendar,
    Catalog,
    Event,
    Lot,
    Money,
    Opening,
    Policy,
    PolicyError,
    Refusal,
    RuleId,
    ScenarioError,
    Span,
    WeeklySchedule,
    World,
    replay,
)
from premier_policy import strategies as pps
from premier_policy.rules import rule
from premier_policy.strategies import _scenarios as scenarios_strategies

# --------------------------------------------------------------------------- garbage

#: Instants at the ends of the datetime range, in zones that push them past it.
EDGE_INSTANTS = st.sampled_from(
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(1, 1, 1, 23, 59, tzinfo=timezone(timedelta(hours=23, minutes=59))),
        datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(9999, 12, 31, tzinfo=timezone(-timedelta(hours=23, minutes=59))),
        pendulum.datetime(9999, 12, 31, 23, tz="Pacific/Kiritimati"),
        pendulum.datetime(1, 1, 2, tz="America/Los_Angeles"),
    ]
)
#: Aware instants of any kind: pendulum or stdlib, any zone, any year, DST edges.
INSTANTS = st.one_of(
    pps.instants(),
    EDGE_INSTANTS,
    st.datetimes(timezones=st.timezones()),
    st.datetimes(timezones=st.just(UTC)),
)
#: Every scalar a wrong field could hold: naive datetimes, dates and times, durations,
#: huge and negative numbers, NaN and infinities, unicode and empty text, bytes.
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([-(10**30), -1, 0, 10**30, 2**63]),
    st.floats(),
    st.decimals(),
    st.text(),
    st.sampled_from(["", " ", "\x00", "é", "🦄", "acme", "single", "setup", "vendor_bug"]),
    st.binary(max_size=4),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
    st.sampled_from([timedelta.max, timedelta.min, pendulum.duration(months=1)]),
)
GARBAGE = st.one_of(
    SCALARS,
    INSTANTS,
    st.lists(SCALARS, max_size=3),
    st.tuples(SCALARS, SCALARS),
    st.dictionaries(st.text(max_size=3), SCALARS, max_size=3),
    st.builds(object),
)


def maybe(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A valid value, or garbage: each argument on its own, so one bad one at a time too."""
    return st.one_of(valid, GARBAGE)


def survives(call: Callable[[], object]) -> object:
    """Call it: a value or a PolicyError are both answers; anything else fails the test.
    An error says what is wrong (a sentence) and where (a rule, a field or both)."""
    try:
        return call()
    except PolicyError as error:
        caught = error
    explained = isinstance(caught.detail, str) and caught.detail.strip()
    assert explained, repr(caught)
    assert caught.rule is not None or caught.field is not None, repr(caught)
    return caught


# ------------------------------------------------------------------ replay, the engine

JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(),
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=10,
)
STAMPS = st.one_of(
    INSTANTS.map(lambda t: t.isoformat()),
    st.datetimes().map(datetime.isoformat),  # naive
    st.sampled_from(
        [
            "9999-12-31T23:59:59.999999+00:00",
            "9999-12-31T23:00:00Z",
            "0001-01-01T00:00:00+23:59",
            "2026-03-29T02:30:00+01:00",
            "2026-10-25T02:30:00+02:00",
            "2026-13-01T00:00:00Z",
            "yesterday",
            "",
        ]
    ),
)
FIELDS = ("customer", "id", "product", "count", "purchase", "area", "incident", "minutes", "reason")
WIRE_EVENTS = st.fixed_dictionaries(
    {"type": st.sampled_from(["purchase", "open", "staff_reply", "log_time", "extend", "resolve",
                              "close", "reopen", "invalidate", "refund_request", "customer_reply",
                              "teleport"]),
     "at": STAMPS},
    optional={name: st.one_of(JSON, STAMPS, st.integers()) for name in (*FIELDS, "colour")},
)  # fmt: skip
POLICY_DOCS = st.fixed_dictionaries(
    {},
    optional={
        "timezone": st.one_of(st.sampled_from(["UTC", "Pacific/Kiritimati", "Etc/GMT+12"]), JSON),
        "hours": JSON,
        "closures": JSON,
        "openings": JSON,
        "response_target_minutes": st.one_of(st.integers(), JSON),
        "allowance_minutes": st.one_of(st.integers(-5, 10**6), JSON),
        "warning_minutes": st.one_of(st.integers(-5, 10**6), JSON),
        "validity_years": st.one_of(st.integers(-1, 10**4), JSON),
        "expiry_notice_days": st.one_of(st.integers(-1, 10**6), JSON),
        "auto_close_days": st.one_of(st.integers(-1, 10**7), JSON),
        "reopen_days": st.one_of(st.integers(-1, 10**7), JSON),
        "products": JSON,
        "currency": JSON,
        "colour": JSON,
    },
)
DOCUMENTS = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"events": st.lists(st.one_of(WIRE_EVENTS, JSON), max_size=6)},
        optional={"policy": st.one_of(POLICY_DOCS, JSON), "until": st.one_of(STAMPS, JSON)},
    ),
)


def check_outcome(document: object, outcome: dict[str, Any]) -> None:
    """An outcome is JSON, has one result per event, and every refusal is explained."""
    assert json.loads(json.dumps(outcome)) == outcome
    assert isinstance(document, dict)
    results = outcome["results"]
    assert [r["index"] for r in results] == list(range(len(document["events"])))
    for result in results:
        if not result["accepted"]:
            assert RuleId(result["rule"])
            assert result["message"].strip()


@given(DOCUMENTS)
def test_replay_answers_any_json_document(document: object) -> None:
    """Any JSON-shaped document gives an outcome or a ScenarioError, never anything else;
    a document error is raised only when the document is not a scenario."""
    answer = survives(lambda: replay(document))
    if isinstance(answer, PolicyError):
        assert isinstance(answer, ScenarioError)
        assert answer.field is not None  # names where the document is wrong
    else:
        check_outcome(document, answer)  # type: ignore[arg-type]


@given(st.lists(st.one_of(WIRE_EVENTS, JSON), min_size=1, max_size=8))
def test_replay_refuses_bad_events_one_by_one(events: list[object]) -> None:
    """Garbage events never stop a replay: each gets its own result, in input order."""
    outcome = replay({"events": events})
    check_outcome({"events": events}, outcome)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(scenarios_strategies._scenario_pairs(valid="mixed"))
def test_broken_events_change_nothing(pair: scenarios_strategies.ScenarioPair) -> None:
    """Slipping broken events into a valid scenario changes nothing but their own refused
    results: same lots, balances, incidents, notifications, next event. (Replay is also
    a pure function of the document: its JSON round trip gives the same outcome.)"""
    clean, broken = replay(pair.clean), replay(pair.broken)
    assert replay(json.loads(json.dumps(pair.broken))) == broken
    positions = {b.index for b in pair.breakages}
    for breakage in pair.breakages:
        result = broken["results"][breakage.index]
        assert (result["accepted"], result["rule"]) == (False, breakage.rule.value)
        assert breakage.field is None or breakage.field in result["message"]
    others = [r for r in broken["results"] if r["index"] not in positions]
    assert [r | {"index": 0} for r in others] == [r | {"index": 0} for r in clean["results"]]
    del clean["results"], broken["results"]
    assert broken == clean


# ------------------------------------------------------------- the world, event by event


def held(world: World, customer: str) -> Counter[str]:
    """How many credits of each lot the customer's incidents hold now."""
    return Counter(
        lot_id for i in world.incidents.values() if i.customer == customer for lot_id in i.lots
    )


def assert_conserved(world: World) -> None:
    """Credits: every lot keeps credits = remaining + held by incidents, remaining >= 0;
    the balance is the remaining of the lots valid now; bought = remaining + held."""
    for customer, account in world.accounts.items():
        holding = held(world, customer)
        assert set(holding) <= {lot.id for lot in account.lots}
        for lot in account.lots:
            assert 0 <= lot.remaining <= lot.credits
            assert lot.credits == lot.remaining + holding[lot.id]
        assert world.at is not None
        valid_now = [lot for lot in account.lots if lot.purchased_at <= world.at < lot.expires_at]
        assert account.balance(world.at) == sum(lot.remaining for lot in valid_now)
        bought = sum(lot.credits for lot in account.lots)
        assert bought == sum(lot.remaining for lot in account.lots) + sum(holding.values())
    for incident in world.incidents.values():
        assert (incident.state == "invalid") == (not incident.lots)
        assert incident.time_used_minutes <= incident.allowance_minutes


def shuffled_in(data: st.DataObject, sequence: list[Event]) -> list[Event]:
    """The sequence with repeats and late arrivals: duplicated events (same IDs) and
    events moved earlier, as a retrying or lagging host sends them."""
    out = list(sequence)
    for _ in range(data.draw(st.integers(0, 3), label="replays")):
        if out:
            i = data.draw(st.integers(0, len(out) - 1))
            out.insert(data.draw(st.integers(i, len(out))), out[i])
    return out


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), pps.policies())
def test_conservation_after_every_accepted_event(data: st.DataObject, policy: Policy) -> None:
    """After every event, accepted or not, the credit laws hold; a refusal returns the
    very same world and sends nothing; an accepted event moves the clock to its instant."""
    sequence = shuffled_in(data, data.draw(pps.events(policy=policy), label="events"))
    world = World(policy)
    for event in sequence:
        step = world.apply(event)
        if isinstance(step.result, Refusal):
            assert step.world is world
            assert step.notifications == ()
            assert step.result.message.strip()
        else:
            assert step.world.at == policy.utc(event.at)
            world = step.world
            assert_conserved(world)
    if world.at is not None:
        later = world.at.add(days=data.draw(st.integers(0, 800), label="days later"))
        world, _ = world.advance(later)
        assert_conserved(world)


@given(pps.policies(), pps.events(max_size=8), st.data())
def test_the_world_refuses_garbage_and_stays_the_same(
    policy: Policy, sequence: list[Event], data: st.DataObject
) -> None:
    """Garbage given to a world's apply or advance is a PolicyError or a refusal, and the
    world is unchanged by it."""
    world = World(policy)
    for event in sequence:
        world = world.apply(event).world
    before = (dict(world.accounts), dict(world.incidents), world.at, world.notifications)
    answer = survives(lambda: world.apply(data.draw(GARBAGE)))
    assert isinstance(answer, PolicyError) or answer.world is world  # type: ignore[attr-defined]
    survives(lambda: world.advance(data.draw(maybe(INSTANTS))))
    assert (dict(world.accounts), dict(world.incidents), world.at, world.notifications) == before


# ---------------------------------------------------------------- every public operation

TEXT = maybe(st.text())
COUNTS = maybe(st.integers(-5, 10**6))
EVENT_CLASSES = (
    pp.Purchase,
    pp.RefundRequest,
    pp.Open,
    pp.StaffReply,
    pp.CustomerReply,
    pp.LogTime,
    pp.Extend,
    pp.Resolve,
    pp.Close,
    pp.Reopen,
    pp.Invalidate,
)
# A few calendars, built once: their arithmetic is what is fuzzed here (the calendar's
# own tests vary calendars), and each new calendar builds its own tables.
CALENDARS = st.sampled_from(
    [
        Calendar(),
        Calendar(timezone="Australia/Lord_Howe", week=WeeklySchedule.always()),
        Calendar(timezone="Pacific/Kiritimati", closures=["2026-12-25"]),
        Calendar(timezone="America/Santiago", week=WeeklySchedule(sun=[("00:00", "01:00")])),
    ]
)
POLICIES = pps.policies(calendars=CALENDARS)


def an_event(data: st.DataObject) -> object:
    """An event whose every field is valid or garbage, or garbage when that is refused.

    (Missing fields are the wire's business: a Python call without a required
    argument is a ``TypeError`` by the language's own rules.)"""
    kind = data.draw(st.sampled_from(EVENT_CLASSES))
    values = {
        "at": maybe(INSTANTS),
        "minutes": COUNTS,
        "count": COUNTS,
        "reason": maybe(st.sampled_from(pp.INVALID_REASONS)),
        "area": maybe(st.sampled_from(pp.AREAS)),
    }
    names = [field.name for field in attrs.fields(kind)]
    kwargs = {name: data.draw(values.get(name, TEXT), label=name) for name in names}
    answer = survives(lambda: kind(**kwargs))
    return data.draw(GARBAGE) if isinstance(answer, PolicyError) else answer


def calendar_ops(data: st.DataObject) -> None:
    calendar = data.draw(CALENDARS)
    a, b = data.draw(maybe(INSTANTS)), data.draw(maybe(INSTANTS))
    d = data.draw(maybe(st.timedeltas()))
    survives(lambda: calendar.is_open(a))
    survives(lambda: calendar.next_open(a))
    survives(lambda: calendar.add(a, d))
    survives(lambda: calendar.between(a, b))


def calendar_parts(data: st.DataObject) -> None:
    survives(lambda: Span(data.draw(GARBAGE), data.draw(GARBAGE)))
    survives(lambda: Opening(data.draw(maybe(st.dates())), data.draw(GARBAGE)))
    days = st.dictionaries(
        st.sampled_from(["mon", "sun", "monday"]), st.lists(st.lists(maybe(st.text())))
    )
    survives(lambda: WeeklySchedule.from_mapping(data.draw(maybe(days))))
    timezone = data.draw(maybe(st.text()))
    closures, openings = data.draw(GARBAGE), data.draw(GARBAGE)
    survives(lambda: Calendar(timezone=timezone, closures=closures, openings=openings))


def policy_ops(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from([field.name for field in attrs.fields(Policy) if field.init]))
    survives(lambda: Policy(**{name: data.draw(GARBAGE)}))
    policy, t = data.draw(POLICIES), data.draw(maybe(INSTANTS))
    survives(lambda: policy.utc(t))
    survives(lambda: policy.local(t))
    survives(lambda: policy.show(t))
    survives(lambda: policy.response_due(t))


def money_ops(data: st.DataObject) -> None:
    # Within Money's 60 digits (an amount past them is a PolicyError, drawn as garbage
    # below): a Money that cannot be built is no operand.
    bound = Decimal(10) ** 57
    amounts = st.decimals(-bound, bound, places=2, allow_nan=False, allow_infinity=False)
    money = data.draw(st.builds(Money, amounts, st.just("USD")))
    survives(lambda: Money(data.draw(st.decimals(places=2, allow_nan=False)), "USD"))
    survives(lambda: Money(data.draw(GARBAGE), data.draw(TEXT)))
    other = data.draw(
        maybe(st.builds(Money, st.integers(-100, 100), st.sampled_from(["USD", "EUR"])))
    )
    survives(lambda: money + other)
    survives(lambda: money - other)
    survives(lambda: money < other)
    survives(lambda: money >= other)
    survives(lambda: money * data.draw(maybe(st.integers(-(10**70), 10**70))))


def catalog_ops(data: st.DataObject) -> None:
    catalog = data.draw(POLICIES).catalog
    quoted = st.one_of(st.integers(-5, 5_000), st.sampled_from([100_001, 10**12]))
    survives(lambda: catalog.quote(data.draw(maybe(quoted))))
    survives(lambda: catalog.product(data.draw(TEXT)))
    survives(lambda: Catalog(currency=data.draw(TEXT), products=data.draw(GARBAGE)))
    prices = st.dictionaries(
        st.text(max_size=4), st.tuples(maybe(st.integers(-2, 5)), maybe(st.text(max_size=6)))
    )
    survives(lambda: Catalog.from_prices(data.draw(TEXT), data.draw(maybe(prices))))
    name, credits, price = data.draw(TEXT), data.draw(COUNTS), data.draw(GARBAGE)
    survives(lambda: pp.Product(name=name, credits=credits, price=price))


def account_ops(data: st.DataObject) -> None:
    policy, account = data.draw(POLICIES), data.draw(pps.accounts())
    before = account
    at, lot_id, event = data.draw(maybe(INSTANTS)), data.draw(TEXT), an_event(data)
    survives(lambda: account.purchase(policy, event))  # type: ignore[arg-type]
    survives(lambda: account.refund(policy, event))  # type: ignore[arg-type]
    survives(lambda: account.consume(policy, at))
    survives(lambda: account.restore(lot_id))
    survives(lambda: account.balance(at))
    survives(lambda: account.lot(lot_id))
    survives(lambda: account.advance(policy, at, inclusive=data.draw(st.booleans())))
    survives(lambda: account.next_timer_at(policy))
    for lot in account.lots:
        survives(lambda lot=lot: lot.valid_at(at))  # type: ignore[misc]
        survives(lambda lot=lot: lot.usable_at(at))  # type: ignore[misc]
        survives(lambda lot=lot: lot.pending(policy))  # type: ignore[misc]
    assert account == before  # a value: nothing above changed it
    lots = data.draw(st.one_of(st.lists(GARBAGE, max_size=2), st.just(account.lots), GARBAGE))
    survives(lambda: Account(data.draw(TEXT), lots))
    fields = {
        "id": TEXT,
        "product": TEXT,
        "credits": COUNTS,
        "remaining": COUNTS,
        "purchased_at": maybe(INSTANTS),
        "expires_at": maybe(INSTANTS),
        "price": GARBAGE,
    }
    kwargs = {name: data.draw(value, label=name) for name, value in fields.items()}
    survives(lambda: Lot(**kwargs))


def incident_ops(data: st.DataObject) -> None:
    policy = data.draw(POLICIES)
    world = World(policy)
    for earlier in data.draw(pps.events(policy=policy, max_size=8)):
        world = world.apply(earlier).world
    event, until = an_event(data), data.draw(maybe(INSTANTS))
    for account in world.accounts.values():
        survives(lambda account=account: pp.open_incident(policy, account, event))  # type: ignore[misc,arg-type]
    for incident in world.incidents.values():
        account = world.accounts[incident.customer]
        survives(lambda i=incident, a=account: pp.apply(policy, i, a, event))  # type: ignore[misc,arg-type]
        survives(lambda i=incident: pp.advance(policy, i, until, inclusive=True))  # type: ignore[misc]
        survives(lambda i=incident: i.next_timer_at(policy))  # type: ignore[misc]
        for target in incident.response_targets:
            survives(target.breach)
            survives(lambda t=target: t.meet(until))  # type: ignore[misc]
            survives(lambda t=target: t.drop(until))  # type: ignore[misc]


def wire_ops(data: st.DataObject) -> None:
    raw = data.draw(st.one_of(WIRE_EVENTS, JSON))
    answer = survives(lambda: pp.event_from_dict(raw))
    if not isinstance(answer, PolicyError):
        assert pp.event_from_dict(pp.event_to_dict(answer)) == answer  # type: ignore[arg-type]
    document = data.draw(DOCUMENTS)
    survives(lambda: pp.trace(document))


OPERATIONS = [
    calendar_ops,
    calendar_parts,
    policy_ops,
    money_ops,
    catalog_ops,
    account_ops,
    incident_ops,
    wire_ops,
]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.__name__)
@settings(suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_public_operations_answer_garbage_with_policy_errors(
    operation: Callable[[st.DataObject], None], data: st.DataObject
) -> None:
    """Each public operation, given valid or garbage arguments, returns or raises a
    PolicyError that says what is wrong; queries leave their value as it was."""
    operation(data)


# ------------------------------------------------------------------------ fixed bugs

T0 = pendulum.datetime(2026, 1, 1)
TARGET = pp.ResponseTarget(started_at=T0, due_at=T0.add(hours=2))
LOT = Lot(id="p1", product="single", credits=1, remaining=1, purchased_at=T0,
          expires_at=T0.add(years=1), price=Money("75.00", "USD"))  # fmt: skip


def known(call: Callable[[], object], raises: type[BaseException], where: str) -> Any:
    """A reported bug, fixed: it raised ``raises`` in ``where``; kept as a reproducer."""
    return pytest.param(call)


@pytest.mark.parametrize(
    "call",
    [
        known(lambda: replay({"events": [], "until": "9999-12-31T23:00:00Z"}),
              OverflowError, "wire/_outcome.py: outcome writer past 9999"),
        known(lambda: replay({"events": [], "policy": {"timezone": ["Europe/Paris"]}}),
              TypeError, "_instants.py: zone() hashes before it checks"),
        known(lambda: pp.open_incident(Policy(), Account("acme"), None),  # type: ignore[arg-type]
              AttributeError, "_lifecycle.py: open_incident"),
        known(lambda: TARGET.meet(None), TypeError, "_response.py: meet"),  # type: ignore[arg-type]
        known(lambda: TARGET.drop(None), TypeError, "_response.py: drop"),  # type: ignore[arg-type]
        known(lambda: LOT.valid_at(None), TypeError, "_lots.py: covers, now internal"),
        known(lambda: Account("acme", 5), TypeError, "_account.py: lots converter"),  # type: ignore[arg-type]
        known(lambda: pp.Allowance(minutes=240).log(5, warning_minutes="60"),  # type: ignore[arg-type]
              TypeError, "_allowance.py: log"),
        known(lambda: Catalog().quote(10**12), MemoryError, "_catalog.py: quote"),
        known(lambda: pp.event_to_dict(None), KeyError, "wire/_events.py: event_to_dict"),  # type: ignore[arg-type]
        known(lambda: pp.mermaid_diagram(None), AttributeError, "_states.py"),  # type: ignore[arg-type]
        known(lambda: rule("nope"), ValueError, "_rules.py: rule"),
    ],
    ids=[
        "until-9999",
        "zone-unhashable",
        "open-incident-garbage",
        "target-meet-garbage",
        "target-drop-garbage",
        "lot-covers-garbage",
        "account-lots",
        "allowance-garbage",
        "quote-huge",
        "event-to-dict-garbage",
        "mermaid-garbage",
        "rule-unknown",
    ],
)  # fmt: skip
def test_fixed_bugs_stay_fixed(call: Callable[[], object]) -> None:
    """Each reported bug, reproduced: a PolicyError (or a value) is what it gives now.
    A new bug goes here marked xfail(strict=True), and the generic tests step around it
    until it is fixed; none is open today."""
    survives(call)


# ------------------------------------------------------------------- named edge cases


def purchase_at(stamp: str) -> dict[str, Any]:
    return {"at": stamp, "type": "purchase", "customer": "a", "id": "p", "product": "single"}


@pytest.mark.parametrize(
    ("document", "rule_id"),
    [
        ({"events": [purchase_at("9999-12-30T12:00:00Z")]}, RuleId.CREDITS_VALIDITY),
        ({"events": [purchase_at("0001-01-01T00:00:00+01:00")]}, RuleId.INPUT_MALFORMED),
        ({"events": [purchase_at("2026-03-29T02:30:00")]}, RuleId.INPUT_AWARE_ONLY),
        ({"policy": {"validity_years": 9998}, "events": [purchase_at("2026-01-01T00:00:00Z")]},
         RuleId.CREDITS_VALIDITY),
    ],
    ids=["purchase-9999", "purchase-year-1", "naive-in-the-spring-gap", "validity-past-9999"],
)  # fmt: skip
def test_the_ends_of_time_are_refused_by_rule(document: dict[str, Any], rule_id: RuleId) -> None:
    """A purchase whose lot would outlive the year 9999, an instant before the year 1
    and a naive one are refused, each naming its rule, and the replay goes on."""
    outcome = replay(document)
    check_outcome(document, outcome)
    (result,) = outcome["results"]
    assert (result["accepted"], result["rule"]) == (False, rule_id.value)


def test_garbage_reaches_every_kind_of_value() -> None:
    """The garbage is really varied: naive and aware instants, the years 1 and 9999,
    huge and negative numbers, empty and non-ASCII text, containers."""
    seen: list[Any] = []

    @settings(max_examples=500, derandomize=True, database=None)
    @given(GARBAGE)
    def collect(value: Any) -> None:
        seen.append(value)

    collect()
    kinds = {type(v) for v in seen}
    expected = {type(None), bool, int, float, Decimal, str, bytes, list, dict, tuple}
    assert expected | {date, time, timedelta} <= kinds
    instants = [v for v in seen if isinstance(v, datetime)]
    assert any(t.tzinfo is None for t in instants)
    assert any(t.tzinfo is not None for t in instants)
    assert {1, 9999} <= {t.year for t in instants}
    assert any(isinstance(v, int) and v < -(10**18) for v in seen)
    assert any(isinstance(v, str) and not v.isascii() for v in seen)
    assert "" in seen
