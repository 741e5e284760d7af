"""The world: time order, timers first, known IDs, and refusals that change nothing."""

from __future__ import annotations

import pickle
import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import (
    ACCEPTED,
    Close,
    CustomerReply,
    Event,
    Extend,
    Invalidate,
    LogTime,
    Open,
    Policy,
    PolicyError,
    Purchase,
    RefundRequest,
    Refusal,
    Reopen,
    Resolve,
    RuleId,
    StaffReply,
    World,
    replay,
    trace,
)
from premier_policy.base._events import AREAS, CUSTOMER_SIDE
from premier_policy.base._notifications import NotificationLog
from premier_policy.engine import _time_order as time_order
from premier_policy.engine import _world as world_module
from premier_policy.engine._fold import Fold
from premier_policy.engine._world import Applied
from premier_policy.strategies import calendars, events, policies, timelines
from premier_policy.wire._scenario import read_scenario

PARIS = timezone(timedelta(hours=1))  # winter: all these instants are in CET


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """An instant in November 2026, Paris winter time (the 23rd is a Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=PARIS)


def utc(t: datetime) -> pendulum.DateTime:
    return Policy().utc(t)


def run(world: World, *events: object) -> list[Applied]:
    """Apply events in order, threading the world; return every step."""
    steps = []
    for event in events:
        step = world.apply(event)  # type: ignore[arg-type]
        steps.append(step)
        world = step.world
    return steps


def bought(customer: str = "acme", key: str = "p1", day: int = 23) -> Purchase:
    return Purchase(at=at(day, 9), customer=customer, id=key, product="bundle-3")


def test_apply_returns_a_new_world_and_keeps_the_old() -> None:
    """A world is a value: applying returns a new one; the old one still reads as before."""
    empty = World()
    first = empty.apply(bought())
    assert first.accepted
    assert first.result is ACCEPTED
    assert len(empty.accounts) == 0
    assert empty.at is None
    assert empty.notifications == ()
    assert first.world.accounts["acme"].balance(at(23, 10)) == 3
    assert first.world.purchases == {"p1": "acme"}
    assert first.world.at == utc(at(23, 9))
    assert [n.kind for n in first.world.notifications] == ["credits_purchased"]


def test_out_of_order_is_refused_and_changes_nothing() -> None:
    """input.out-of-order: earlier than the last applied event is refused; the world is kept."""
    world = World().apply(bought()).world
    late = world.apply(Open(at=at(23, 8), customer="acme", id="i1", area="setup"))
    assert isinstance(late.result, Refusal)
    assert late.result.rule is RuleId.INPUT_OUT_OF_ORDER
    assert "2026-11-23 08:00 CET" in late.result.message
    assert late.world is world
    assert late.notifications == ()


def test_equal_instants_apply_in_the_order_given() -> None:
    """input.out-of-order: an event at the same instant as the last one is fine, in order."""
    same = at(23, 9)
    steps = run(
        World(),
        bought(),
        Open(at=same, customer="acme", id="i1", area="setup"),
        Open(at=same, customer="acme", id="i2", area="setup"),
    )
    assert all(step.accepted for step in steps)
    assert list(steps[-1].world.incidents) == ["i1", "i2"]


def test_timers_before_an_event_fire_first_in_time_order() -> None:
    """input.timers: breaches of several incidents fire before a later event, in time order,
    whichever customer the event is for."""
    steps = run(
        World(),
        bought("acme"),
        bought("globex", "p2"),
        Open(at=at(23, 10), customer="globex", id="g1", area="setup"),  # due 12:00
        Open(at=at(23, 9, 30), customer="acme", id="a1", area="setup"),  # refused: order
        Open(at=at(23, 10, 30), customer="acme", id="a1", area="setup"),  # due 12:30
        Purchase(at=at(23, 13), customer="initech", id="p3", product="single"),
    )
    last = steps[-1]
    assert [(n.kind, n.incident, n.at) for n in last.notifications] == [
        ("response_overdue", "g1", utc(at(23, 12))),
        ("response_overdue", "a1", utc(at(23, 12, 30))),
        ("credits_purchased", None, utc(at(23, 13))),
    ]
    times = [n.at for n in last.world.notifications]
    assert times == sorted(times)


def test_timers_at_the_same_instant_fire_in_creation_order() -> None:
    """input.timers: two breaches due at one instant fire for the incident opened first."""
    steps = run(
        World(),
        bought("acme"),
        bought("globex", "p2"),
        Open(at=at(23, 10), customer="globex", id="g1", area="setup"),
        Open(at=at(23, 10), customer="acme", id="a1", area="setup"),
        Purchase(at=at(23, 12, 1), customer="initech", id="p3", product="single"),
    )
    assert [n.incident for n in steps[-1].notifications[:2]] == ["g1", "a1"]


def test_timers_due_at_the_event_instant_fire_after_it() -> None:
    """input.timers: strictly before. A staff reply at the due instant meets the target,
    and a timer due at the last event's instant is the next event."""
    steps = run(
        World(),
        bought(),
        Open(at=at(23, 10), customer="acme", id="i1", area="setup"),
        Purchase(at=at(23, 12), customer="acme", id="p2", product="single"),
    )
    world = steps[-1].world
    assert world.next_event_at == utc(at(23, 12))
    replied = world.apply(StaffReply(at=at(23, 12), incident="i1"))
    assert replied.accepted
    assert replied.world.incidents["i1"].response_targets[0].breached is False


def test_a_staff_reply_at_the_due_instant_meets_the_target() -> None:
    """response.target: a reply at the due instant itself is in time; the breach timer
    due then does not fire before it, and no response_overdue is sent."""
    outcome = replay(
        {
            "events": [
                {"at": "2026-11-30T09:00:00+01:00", "type": "purchase", "customer": "acme",
                 "id": "p1", "product": "single"},
                {"at": "2026-11-30T09:00:00+01:00", "type": "open", "customer": "acme",
                 "id": "i1", "area": "setup"},
                {"at": "2026-11-30T11:00:00+01:00", "type": "staff_reply", "incident": "i1"},
            ]
        }
    )  # fmt: skip
    (target,) = outcome["incidents"]["i1"]["response_targets"]
    assert target["due_at"] == target["met_at"] == "2026-11-30T11:00:00+01:00"
    assert target["breached"] is False
    assert "response_overdue" not in {n["kind"] for n in outcome["notifications"]}


def test_a_refused_event_fires_no_timer_and_keeps_the_clock() -> None:
    """A refusal changes nothing, time included: the breach due before it fires later, at
    its own instant, and an event earlier than the refused one is still in order."""
    world = run(World(), bought(), Open(at=at(23, 10), customer="acme", id="i1", area="setup"))[
        -1
    ].world
    refused = world.apply(RefundRequest(at=at(23, 15), customer="acme", purchase="p1"))
    assert isinstance(refused.result, Refusal)
    assert refused.result.rule is RuleId.CREDITS_NO_REFUNDS
    assert refused.world is world
    assert refused.notifications == ()
    after = world.apply(StaffReply(at=at(23, 14), incident="i1"))
    assert after.accepted
    assert [(n.kind, n.at) for n in after.notifications] == [
        ("response_overdue", utc(at(23, 12))),
        ("response_posted", utc(at(23, 14))),
    ]


def test_duplicate_ids_are_refused_across_customers() -> None:
    """input.duplicate-id: purchase and incident IDs are global; retrying never charges twice."""
    world = run(
        World(), bought("acme"), Open(at=at(23, 10), customer="acme", id="i1", area="setup")
    )[-1].world
    again = world.apply(bought("globex", "p1", day=24))
    assert isinstance(again.result, Refusal)
    assert again.result.rule is RuleId.INPUT_DUPLICATE_ID
    assert again.world is world
    twice = world.apply(Open(at=at(24, 10), customer="acme", id="i1", area="setup"))
    assert isinstance(twice.result, Refusal)
    assert twice.result.rule is RuleId.INPUT_DUPLICATE_ID
    assert twice.world is world


def test_a_refused_open_leaves_its_id_free() -> None:
    """input.duplicate-id: only applied IDs are known, so a refused open may be retried."""
    steps = run(
        World(),
        Open(at=at(23, 9), customer="acme", id="i1", area="setup"),
        bought(day=23),
        Open(at=at(23, 10), customer="acme", id="i1", area="setup"),
    )
    assert isinstance(steps[0].result, Refusal)
    assert steps[0].result.rule is RuleId.CREDITS_NONE_AVAILABLE
    assert len(steps[0].world.accounts) == 0  # a refusal creates no account either
    assert steps[2].accepted


def test_unknown_incident_is_refused() -> None:
    """input.unknown-incident: every incident event naming an unknown incident is refused."""
    world = World().apply(bought()).world
    for event in (
        StaffReply(at=at(24, 9), incident="nope"),
        CustomerReply(at=at(24, 9), incident="nope"),
        LogTime(at=at(24, 9), incident="nope", minutes=5),
        Resolve(at=at(24, 9), incident="nope"),
        Close(at=at(24, 9), incident="nope"),
        Reopen(at=at(24, 9), incident="nope"),
        Invalidate(at=at(24, 9), incident="nope", reason="vendor_bug"),
    ):
        step = world.apply(event)
        assert isinstance(step.result, Refusal)
        assert step.result.rule is RuleId.INPUT_UNKNOWN_INCIDENT
        assert step.world is world


def test_unknown_product_is_malformed_and_names_the_field() -> None:
    """input.malformed: an unknown product is refused naming the field; nothing changes."""
    world = World()
    step = world.apply(Purchase(at=at(23, 9), customer="acme", id="p1", product="gold"))
    assert isinstance(step.result, Refusal)
    assert step.result.rule is RuleId.INPUT_MALFORMED
    assert step.result.message.startswith("malformed event: product: unknown product 'gold'")
    assert step.world is world


def test_refund_for_a_stranger_is_refused_without_creating_an_account() -> None:
    """credits.no-refunds holds for anyone; a refusal creates nothing."""
    step = World().apply(RefundRequest(at=at(23, 9), customer="nobody", purchase="p9"))
    assert isinstance(step.result, Refusal)
    assert step.result.rule is RuleId.CREDITS_NO_REFUNDS
    assert len(step.world.accounts) == 0


def test_incident_events_reach_the_incident_and_its_account() -> None:
    """Accepted incident events change the incident, and the account when credits move."""
    steps = run(
        World(),
        bought(),
        Open(at=at(23, 10), customer="acme", id="i1", area="setup"),
        LogTime(at=at(23, 11), incident="i1", minutes=200),
        Invalidate(at=at(23, 12), incident="i1", reason="vendor_bug"),
    )
    assert all(step.accepted for step in steps)
    world = steps[-1].world
    assert world.incidents["i1"].state == "invalid"
    assert world.accounts["acme"].balance(at(23, 12)) == 3
    assert steps[2].world.accounts is steps[1].world.accounts  # logging time moves no credit


def test_advance_fires_timers_at_or_before_until_and_moves_the_clock() -> None:
    """input.timers: advance is inclusive; next_event_at is then strictly later."""
    world = run(World(), bought(), Open(at=at(23, 10), customer="acme", id="i1", area="setup"))[
        -1
    ].world
    moved, fired = world.advance(at(23, 12))
    assert [(n.kind, n.at) for n in fired] == [("response_overdue", utc(at(23, 12)))]
    assert moved.at == utc(at(23, 12))
    assert moved.next_event_at is not None
    assert moved.next_event_at > moved.at
    assert moved.notifications[-1] == fired[0]
    assert dict(moved.purchases) == {"p1": "acme"}  # advancing forgets no purchase
    assert world.advance(at(23, 11))[1] == ()


def test_advance_refuses_to_go_back_in_time() -> None:
    """input.out-of-order: advancing to before the clock is a programmer error."""
    world = World().apply(bought()).world
    with pytest.raises(PolicyError) as info:
        world.advance(at(23, 8))
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_OUT_OF_ORDER, "until")
    with pytest.raises(PolicyError) as naive:
        world.advance(datetime(2026, 11, 24, 9))
    assert (naive.value.rule, naive.value.field) == (RuleId.INPUT_AWARE_ONLY, "until")
    with pytest.raises(PolicyError) as naive:
        Fold(Policy()).advance(datetime(2026, 11, 24, 9))  # type: ignore[arg-type]
    assert (naive.value.rule, naive.value.field) == (RuleId.INPUT_AWARE_ONLY, "until")


def test_an_empty_world_has_no_timer() -> None:
    """Nothing bought, nothing open: no timer, and advancing fires nothing."""
    world = World()
    assert world.next_event_at is None
    moved, fired = world.advance(at(23, 9))
    assert fired == ()
    assert moved.at == utc(at(23, 9))
    assert moved.notifications == ()


def test_misuse_raises_policy_error() -> None:
    """A non-event or a non-policy is a programmer error, named."""
    with pytest.raises(PolicyError) as info:
        World().apply("purchase")  # type: ignore[arg-type]
    assert (info.value.field, str(info.value)) == ("event", "event: expected an event, got str")
    with pytest.raises(PolicyError) as bad:
        World("policy")  # type: ignore[arg-type]
    assert (bad.value.field, str(bad.value)) == ("policy", "policy: expected a Policy, got str")


def test_worlds_built_alike_are_equal() -> None:
    """Two worlds from the same events compare equal; a different history does not."""
    events = [bought(), Open(at=at(23, 10), customer="acme", id="i1", area="setup")]
    one = run(World(), *events)[-1].world
    two = run(World(), *events)[-1].world
    assert one == two
    assert one != run(World(), *events[:1])[-1].world
    assert one._log != "log"  # the log compares only with logs


def test_worlds_equal_whatever_the_steps_of_time() -> None:
    """Advancing in two steps or in one fires the same notifications: the worlds are
    equal, though their logs were written in different batches; logs of as many but
    different notifications are not."""
    world = run(World(), bought(), Open(at=at(23, 10), customer="acme", id="i1", area="setup"))[
        -1
    ].world
    end = datetime(2027, 11, 24, tzinfo=PARIS)
    halfway, first = world.advance(at(23, 13))
    two_steps, rest = halfway.advance(end)
    one_step, fired = world.advance(end)
    assert (len(first), len(rest)) == (1, 2)
    assert first + rest == fired
    assert two_steps == one_step
    assert two_steps.notifications == one_step.notifications
    log = world_module._Log
    assert log(fired[1:], log(fired[:1], None)) == log(fired, None)
    assert log(fired[:1], None) != log(fired[1:2], None)


def test_a_date_past_year_9999_is_refused_not_raised() -> None:
    """A purchase whose year of validity would end after 9999 is refused, naming its rule."""
    step = World().apply(
        Purchase(at=datetime(9999, 6, 1, tzinfo=UTC), customer="a", id="p", product="single")
    )
    assert isinstance(step.result, Refusal)
    assert step.result.rule is RuleId.CREDITS_VALIDITY


def far_future() -> tuple[World, Fold]:
    """A world whose incident auto-closes on 9999-12-20, when its reopen window would end
    past the year 9999: that timer cannot fire."""
    z = UTC
    events: list[Event] = [
        Purchase(at=datetime(9998, 12, 25, tzinfo=z), customer="a", id="p", product="single"),
        Open(at=datetime(9999, 11, 1, tzinfo=z), customer="a", id="i", area="setup"),
        StaffReply(at=datetime(9999, 11, 2, tzinfo=z), incident="i"),
        Resolve(at=datetime(9999, 11, 20, tzinfo=z), incident="i"),
    ]
    world, fold = World(), Fold(Policy())
    for event in events:
        step = world.apply(event)
        assert step.accepted, step.result
        world = step.world
        assert fold.apply(event) is ACCEPTED
    return world, fold


def test_a_timer_that_cannot_fire_refuses_the_event_and_changes_nothing() -> None:
    """Both engines refuse an event behind a timer that cannot fire, and keep their state."""
    world, fold = far_future()
    later = StaffReply(at=datetime(9999, 12, 25, tzinfo=UTC), incident="i")
    step = world.apply(later)
    assert isinstance(step.result, Refusal)
    assert step.world is world
    kept = (dict(fold.incidents), list(fold.notifications), fold.at)
    result = fold.apply(later)
    assert isinstance(result, Refusal)
    assert result.rule is RuleId.INPUT_MALFORMED
    assert (dict(fold.incidents), list(fold.notifications), fold.at) == kept


def test_the_fold_undoes_timers_fired_before_a_refusal() -> None:
    """The engine's working copy rolls back the timers (an incident's breach, an account's
    expiry notice) fired before a refused event: it changes nothing either."""
    fold = Fold(Policy())
    for event in (bought(), Open(at=at(23, 10), customer="acme", id="i1", area="setup")):
        assert fold.apply(event) is ACCEPTED
    before = (dict(fold.accounts), dict(fold.incidents), list(fold.notifications))
    next_timer = fold.next_event_at
    a_year_later = datetime(2027, 11, 23, 12, tzinfo=PARIS)  # expiring notice, breach fired
    result = fold.apply(Close(at=a_year_later, incident="i1"))  # still waiting: refused
    assert isinstance(result, Refusal)
    assert result.rule is RuleId.LIFECYCLE_INVALID_TRANSITION
    assert (dict(fold.accounts), dict(fold.incidents), list(fold.notifications)) == before
    assert fold.next_event_at == next_timer
    assert fold.at == utc(at(23, 10))
    assert fold.apply(StaffReply(at=at(23, 11), incident="i1")) is ACCEPTED


def test_accepted_steps_seal_the_log_and_a_later_refusal_still_undoes_its_timers() -> None:
    """An event that fires no timer takes no mark of the log: its step seals the rows once
    a chunk is full, so the open rows stay few, and a refused event that fires timers
    after that still takes them back."""

    class Log(NotificationLog):
        __slots__ = ()
        CHUNK = 2

    fold = Fold(Policy())
    fold.notifications = Log()
    steps: list[Event] = [
        Purchase(at=at(23, 9, n), customer="acme", id=f"p{n}", product="single") for n in range(5)
    ]
    for event in (*steps, Open(at=at(23, 10), customer="acme", id="i1", area="setup")):
        assert fold.apply(event) is ACCEPTED
        assert len(fold.notifications.at) < Log.CHUNK
    before = list(fold.notifications)
    assert [n.kind for n in before] == ["credits_purchased"] * 5 + ["incident_opened"] * 2
    result = fold.apply(Close(at=datetime(2027, 11, 23, 12, tzinfo=PARIS), incident="i1"))
    assert isinstance(result, Refusal)
    assert list(fold.notifications) == before


def test_expiry_notices_fire_in_time_order_with_incident_timers() -> None:
    """input.timers: an account's expiry notices are timers too, interleaved by instant."""
    steps = run(
        World(),
        bought(),
        Open(at=at(23, 10), customer="acme", id="i1", area="setup"),
    )
    world, fired = steps[-1].world.advance(datetime(2027, 11, 24, tzinfo=PARIS))
    assert [(n.kind, n.at) for n in fired] == [
        ("response_overdue", utc(at(23, 12))),
        ("credits_expiring", utc(datetime(2027, 10, 24, 9, tzinfo=timezone(timedelta(hours=2))))),
        ("credits_expired", utc(datetime(2027, 11, 23, 9, tzinfo=PARIS))),
    ]
    assert world.next_event_at is None


def test_a_timer_that_does_not_move_on_is_a_bug(monkeypatch: pytest.MonkeyPatch) -> None:
    """Firing must move an entity's timer later, or the loop would never end."""
    world = run(World(), bought(), Open(at=at(23, 10), customer="acme", id="i1", area="setup"))[
        -1
    ].world
    # An advance that fires nothing leaves the breach due where it was.
    monkeypatch.setattr(
        time_order, "advance", lambda policy, incident, until, inclusive: (incident, ())
    )
    with pytest.raises(AssertionError, match="did not move on"):
        world.advance(at(23, 13))


def test_a_customer_acts_only_on_their_own() -> None:
    """input.owner: a customer-side event naming another customer is refused before any
    state is judged, and a refund of another's purchase too; nothing changes."""
    world = run(
        World(),
        bought("acme"),
        bought("globex", "p2"),
        Open(at=at(23, 10), customer="acme", id="i1", area="setup"),
        LogTime(at=at(23, 11), incident="i1", minutes=200),  # 40 minutes left: may extend
    )[-1].world
    theirs: list[Event] = [
        CustomerReply(at=at(23, 12), incident="i1", customer="globex"),
        Extend(at=at(23, 12), incident="i1", customer="globex"),
        Close(at=at(23, 12), incident="i1", customer="globex"),  # also not resolved
        Reopen(at=at(23, 12), incident="i1", customer="globex"),
        RefundRequest(at=at(23, 12), customer="globex", purchase="p1"),
    ]
    for event in theirs:
        step = world.apply(event)
        assert isinstance(step.result, Refusal), event
        assert step.result.rule is RuleId.INPUT_OWNER, event
        assert "acme" not in step.result.message
        assert step.world is world
    # The owner named, or no one (a host that vouches for the sender): judged as ever.
    own = world.apply(Extend(at=at(23, 12), incident="i1", customer="acme"))
    assert own.accepted
    assert own.world.accounts["acme"].balance(at(23, 12)) == 1
    assert own.world.accounts["globex"].balance(at(23, 12)) == 3
    assert world.apply(Extend(at=at(23, 12), incident="i1")).world == own.world
    mine = world.apply(RefundRequest(at=at(23, 12), customer="acme", purchase="p1"))
    assert isinstance(mine.result, Refusal)
    assert mine.result.rule is RuleId.CREDITS_NO_REFUNDS


_STRANGER = "a stranger"  # longer than any name the strategies draw


@st.composite
def _probes(draw: st.DrawFn, world: World, t: datetime) -> Event | None:
    """An event at ``t`` by a stranger naming an ID someone else made theirs, or None."""
    incidents, purchases = list(world.incidents), list(world.purchases)
    kinds = [k for k, ids in (("incident", incidents), ("purchase", purchases)) if ids]
    if not kinds:
        return None
    if draw(st.sampled_from(kinds)) == "purchase":
        pid = draw(st.sampled_from(purchases))
        if draw(st.booleans()):
            return RefundRequest(at=t, customer=_STRANGER, purchase=pid)
        return Purchase(at=t, customer=_STRANGER, id=pid, product="single")
    iid = draw(st.sampled_from(incidents))
    if draw(st.integers(0, 4)) == 0:
        return Open(at=t, customer=_STRANGER, id=iid, area="setup")
    kind = draw(st.sampled_from(CUSTOMER_SIDE))
    return kind(at=t, incident=iid, customer=_STRANGER)


def _stub(probe: Event) -> World:
    """A world where someone else took the ID ``probe`` names, at its instant, and did
    nothing more."""
    t = probe.at
    if isinstance(probe, RefundRequest | Purchase):
        pid = probe.purchase if isinstance(probe, RefundRequest) else probe.id
        return World().apply(Purchase(at=t, customer="someone", id=pid, product="single")).world
    assert not isinstance(probe, StaffReply | LogTime | Resolve | Invalidate)
    iid = probe.id if isinstance(probe, Open) else probe.incident
    world = World().apply(Purchase(at=t, customer="someone", id="stub", product="single")).world
    return world.apply(Open(at=t, customer="someone", id=iid, area="setup")).world


@settings(max_examples=60)
@given(
    events(
        min_value=datetime(2026, 1, 1, tzinfo=UTC),
        max_value=datetime(2029, 1, 1, tzinfo=UTC),
        max_size=15,
    ),
    st.data(),
)
def test_a_refusal_tells_a_customer_nothing_of_another(
    sequence: list[Event], data: st.DataObject
) -> None:
    """input.owner: what a stranger is told of an ID another customer holds is what they
    would be told had its owner done nothing but take it: "this ID is taken", never the
    owner, state, credits or instants of another's incidents and purchases."""
    world = World()
    for event in sequence:
        world = world.apply(event).world
        probe = data.draw(_probes(world, event.at))
        if probe is None:
            continue
        told = world.apply(probe)
        assert isinstance(told.result, Refusal)
        assert told.world is world
        alone = _stub(probe).apply(probe).result
        assert told.result == alone, probe


@st.composite
def _lived_policies(draw: st.DrawFn) -> tuple[Policy, list[Event]]:
    """The service's policy, any policy with or without public holidays, or a timeline
    of dated changes (hours, holidays and terms), and events under it; the events and
    the changes share a window of 60 days, so that changes fall among the events."""
    start = draw(st.datetimes(datetime(2026, 1, 1), datetime(2027, 12, 1), timezones=st.just(UTC)))
    end = start + timedelta(days=60)
    policy = draw(
        st.one_of(
            st.just(Policy()),
            policies(calendars=calendars(holidays="mixed")),
            timelines(min_size=1, min_value=start, max_value=end),
        )
    )
    return policy, draw(events(policy=policy, max_size=15, min_value=start, max_value=end))


@settings(max_examples=60)
@given(_lived_policies(), st.integers(1, 4))
def test_at_next_event_at_something_fires(drawn: tuple[Policy, list[Event]], wakes: int) -> None:
    """input.timers: a host waking at next_event_at always gets a notification, again and
    again: no reported timer fires nothing (a used-up lot's expiry notices included),
    under any policy, public holidays and dated changes included."""
    policy, sequence = drawn
    world = World(policy)
    for event in sequence:
        world = world.apply(event).world
    for _ in range(wakes):
        due = world.next_event_at
        if due is None:
            break
        world, sent = world.advance(due)
        assert sent
        assert {n.at for n in sent} == {due}


def test_a_used_up_lot_names_no_timer() -> None:
    """credits.expiry-notice: the lot's only credit taken, its notices are not timers."""
    world = World(Policy())
    world = world.apply(Purchase(at=at(23, 9), customer="acme", id="p1", product="single")).world
    world = world.apply(Open(at=at(23, 10), customer="acme", id="i1", area="setup")).world
    world = world.apply(StaffReply(at=at(23, 11), incident="i1")).world
    world = world.apply(Resolve(at=at(23, 12), incident="i1")).world
    world, _ = world.advance(at(23, 12).replace(month=12, day=24))  # auto-closed
    assert world.next_event_at is None


# --- pickling and evolve (#19) -----------------------------------------------------------


def _lived(count: int) -> World:
    """A world after ``count`` accepted events, each adding its own notification batch."""
    world = World(Policy())
    world = world.apply(Purchase(at=at(23, 9), customer="acme", id="p0", product="bundle-3")).world
    for n in range(1, count):
        world = world.apply(
            Purchase(at=at(23, 9) + timedelta(seconds=n), customer="acme", id=f"p{n}",
                     product="single")
        ).world  # fmt: skip
    return world


def test_a_world_pickles_past_the_old_recursion_limit() -> None:
    """A world of 600 log batches (the old limit was about 250) round-trips through pickle, equal and alive."""
    world = _lived(600)
    again = pickle.loads(pickle.dumps(world))
    assert again == world
    assert again.notifications == world.notifications
    assert again.snapshot() == world.snapshot()
    later = Purchase(at=at(24, 9), customer="acme", id="q1", product="single")
    assert again.apply(later).world == world.apply(later).world


def test_an_unpickled_world_without_timers_has_no_next_event() -> None:
    """A world with nothing due, pickled and back, still says nothing is due (its tries
    tell "no timer" by identity, which a plain copy would lose)."""
    expired, _ = _lived(1).advance(datetime(2028, 1, 1, tzinfo=UTC))  # lot and notices past
    for world in (World(Policy()), expired):
        assert world.next_event_at is None
        again = pickle.loads(pickle.dumps(world))
        assert (again.next_event_at, again) == (None, world)


def test_a_world_with_a_log_of_100k_batches_pickles() -> None:
    """The notification log of 100,000 events (one batch each) pickles without recursing."""
    world = _lived(1)
    (first,) = world.notifications
    log = None
    for _ in range(100_000):
        log = world_module._Log((first,), log)
    object.__setattr__(world, "_log", log)
    again = pickle.loads(pickle.dumps(world))
    assert len(again.notifications) == 100_000
    assert again.notifications[-1] == first


#: Paris hours closed on French public holidays; from 1 December 2026, the holidays of
#: Bavaria, Saturday mornings open, a one-hour response target and a dearer single
#: credit: a policy whose every version holds holiday tables, and a timeline of them.
_TIMELINE: dict[str, Any] = {
    "policy": {"holidays": {"country": "FR"}},
    "policy_changes": [
        {
            "from": "2026-12-01T00:00:00+01:00",
            "policy": {
                "holidays": {"country": "DE", "subdivision": "BY"},
                "hours": {day: [["08:00", "19:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
                | {"sat": [["09:00", "12:00"]]},
                "response_target_minutes": 60,
                "products": {
                    "single": {"credits": 1, "price": "80.00"},
                    "bundle-3": {"credits": 3, "price": "225.00"},
                },
            },
        }
    ],
}


@pytest.mark.parametrize("document", [{}, _TIMELINE], ids=["service", "holidays-and-changes"])
def test_public_values_pickle(document: dict[str, Any]) -> None:
    """Steps, refusals, notifications, accounts, incidents, worlds, policies and traces
    round-trip, under a policy with public holidays and dated changes too."""
    world = World(read_scenario({**document, "events": []}).policy)
    bought = world.apply(Purchase(at=at(23, 9), customer="acme", id="p1", product="bundle-3"))
    opened = bought.world.apply(Open(at=at(23, 10), customer="acme", id="i1", area="setup"))
    refused = opened.world.apply(StaffReply(at=at(23, 8), incident="i1"))
    # Christmas Eve, after the change: a target across the holidays of the later version.
    eve = datetime(2026, 12, 24, 18, 30, tzinfo=PARIS)
    later = opened.world.apply(Open(at=eve, customer="acme", id="i2", area="setup"))
    assert later.accepted
    traced = _traced(document)
    for value in (bought, opened, refused, refused.result, opened.notifications[0], later,
                  later.world, later.world.accounts["acme"], later.world.incidents["i2"],
                  later.world.policy, traced):  # fmt: skip
        assert pickle.loads(pickle.dumps(value)) == value
    assert pickle.loads(pickle.dumps(later.world)).snapshot() == later.world.snapshot()


def _traced(document: dict[str, Any]) -> object:
    """A trace of one purchase before the policy's changes and one after."""
    return trace(
        {**document, "events": [
            {"at": "2026-11-23T09:00:00+01:00", "type": "purchase", "customer": "acme",
             "id": "p1", "product": "single"},
            {"at": "2026-12-24T09:00:00+01:00", "type": "purchase", "customer": "acme",
             "id": "p2", "product": "single"}]}
    )  # fmt: skip


def _life(rng: random.Random, customer: str) -> list[tuple[type[Event], dict[str, Any]]]:
    """The events of one incident after its opening, each a class and its fields but
    the instant and the incident: replies, time logged, perhaps an extension, then an
    invalidation, or a resolution perhaps closed, or reopened and resolved again."""
    own = {"customer": customer}  # the customer-side events name their sender
    steps: list[tuple[type[Event], dict[str, Any]]] = [(StaffReply, {})]
    for _ in range(rng.randrange(3)):
        steps += [(CustomerReply, own), (StaffReply, {})]
    steps.append((LogTime, {"minutes": rng.choice((30, 60, 90, 185))}))
    if rng.random() < 0.2:
        steps.append((Extend, own))  # refused unless the warning level is reached
    fate = rng.random()
    if fate < 0.08:
        steps.append((Invalidate, {"reason": "out_of_scope"}))
        return steps
    steps.append((Resolve, {}))
    if fate < 0.3:
        steps.append((Close, own))
    elif fate < 0.45:
        steps += [(Reopen, own), (StaffReply, {}), (Resolve, {})]
    return steps


def _many_events(count: int, *, customers: int = 40, seed: int = 19) -> list[Event]:
    """``count`` events in time order from a seeded generator, over two years from
    November 2026: customers buying credits, opening incidents and living them out
    (:func:`_life`), and now and then a refund request (refused). Timers fire between
    them: response targets, auto-closes, expiry notices, expiring lots."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 2, 7, tzinfo=UTC)
    gap = timedelta(days=730) / count
    credits = dict.fromkeys(range(customers), 0)
    lives: list[tuple[str, list[tuple[type[Event], dict[str, Any]]]]] = []
    purchases = opened = 0
    found: list[Event] = []
    while len(found) < count:
        t = start + gap * len(found)
        roll = rng.random()
        if not lives or roll < 0.2:
            who = rng.randrange(customers)
            if credits[who] == 0:
                purchases += 1
                credits[who] = 3
                found.append(Purchase(at=t, customer=f"c{who}", id=f"p{purchases}",
                                      product="bundle-3"))  # fmt: skip
            else:
                opened += 1
                credits[who] -= 1
                lives.append((f"i{opened}", _life(rng, f"c{who}")))
                found.append(Open(at=t, customer=f"c{who}", id=f"i{opened}",
                                  area=rng.choice(AREAS)))  # fmt: skip
        elif roll < 0.21:
            found.append(RefundRequest(at=t, customer=f"c{rng.randrange(customers)}",
                                       purchase=f"p{rng.randrange(1, purchases + 1)}"))  # fmt: skip
        else:
            slot = rng.randrange(len(lives))
            incident, steps = lives[slot]
            cls, fields = steps.pop(0)
            found.append(cls(at=t, incident=incident, **fields))  # type: ignore[call-arg]
            if not steps:
                del lives[slot]
    return found


def test_a_world_of_thousands_of_generated_events_pickles_whole() -> None:
    """A world that lived 6,000 generated events (a long notification log, timers
    fired, refusals, holidays and a dated change) round-trips through pickle: an
    equal world with an equal snapshot, which goes on as the original does."""
    world = World(read_scenario({**_TIMELINE, "events": []}).policy)
    accepted = 0
    for event in _many_events(6_000):
        step = world.apply(event)
        accepted += step.accepted
        world = step.world
    assert 4_000 < accepted < 6_000
    assert len(world.notifications) > 8_000
    again = pickle.loads(pickle.dumps(world))
    assert again == world
    assert again.notifications == world.notifications
    assert again.snapshot() == world.snapshot()
    last = world.notifications[-1].at + timedelta(days=400)
    assert again.advance(last) == world.advance(last)


def test_evolving_a_worlds_policy_is_refused() -> None:
    """attrs.evolve(world, policy=...) names the policy instead of emptying the world."""
    world = _lived(2)
    with pytest.raises(PolicyError, match="policy cannot be replaced") as caught:
        attrs.evolve(world, policy=Policy(response_target_minutes=60))
    assert str(caught.value) == (
        "policy: a world's policy cannot be replaced: attrs.evolve would build an empty "
        "world, dropping every account and incident; give the policy its changes "
        "(Policy(changes=...)) and replay the events, or restore a snapshot"
    )
    with pytest.raises(PolicyError, match="policy cannot be replaced"):
        attrs.evolve(World(Policy()))
