"""Laws of snapshots (``state.snapshot``): a restored world continues exactly as the
world it was taken from, at any cut point, and notification ids survive the cut.

Checked on the worlds :class:`~premier_policy.World` builds and on continued replays
(a scenario's ``state`` and ``return_state``); the scenarios come from the exported
strategies, so DST weekends, instants at 19:00 sharp and timers pending at the cut are
all drawn.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import (
    Event,
    Notification,
    Open,
    Policy,
    PolicyError,
    Purchase,
    RuleId,
    StaffReply,
    World,
    event_from_dict,
    replay,
)
from premier_policy.strategies import scenarios
from premier_policy.wire._policy import structure_policy
from premier_policy.wire._snapshot import digest_of

# Each example replays a scenario three times and snapshots it twice: keep them few.
LAW = settings(max_examples=60)
CUTS = scenarios(valid="mixed", max_size=14).flatmap(
    lambda doc: st.tuples(st.just(doc), st.integers(0, len(doc["events"])))
)


def events_of(doc: dict[str, Any]) -> list[Event]:
    """The scenario's well-formed events, as values."""
    found = []
    for raw in doc["events"]:
        try:
            found.append(event_from_dict(raw))
        except PolicyError:
            continue
    return found


def fold(world: World, events: Sequence[Event]) -> tuple[World, list[Notification]]:
    sent: list[Notification] = []
    for event in events:
        applied = world.apply(event)
        world = applied.world
        sent.extend(applied.notifications)
    return world, sent


@LAW
@given(CUTS)
def test_restoring_at_any_cut_then_applying_the_rest_equals_applying_all(
    case: tuple[dict[str, Any], int],
) -> None:
    """Restore the snapshot taken after the first k events, apply the rest: the same
    accounts, incidents, next_event_at, later notifications (ids included) and final
    snapshot as applying them all."""
    doc, k = case
    events = events_of(doc)
    k = min(k, len(events))
    start = World(structure_policy(doc.get("policy")))
    straight, sent = fold(start, events)
    head, before = fold(start, events[:k])
    snapshot = json.loads(json.dumps(head.snapshot()))  # through real JSON text
    continued, after = fold(World.restore(snapshot), events[k:])
    assert dict(continued.accounts) == dict(straight.accounts)
    assert dict(continued.incidents) == dict(straight.incidents)
    assert continued.next_event_at == straight.next_event_at
    assert continued.at == straight.at
    assert after == sent[len(before) :]
    assert [n.id for n in after] == [n.id for n in sent[len(before) :]]
    assert continued.snapshot() == straight.snapshot()


@LAW
@given(CUTS)
def test_a_continued_replay_equals_the_straight_one(case: tuple[dict[str, Any], int]) -> None:
    """replay(first k events, return_state) then replay(the rest, state) gives the same
    customers, incidents, next_event_at and results as one replay, and exactly its
    notifications after the cut, ids included."""
    doc, k = case
    head = {key: value for key, value in doc.items() if key != "until"}
    full = replay(doc)
    first = replay({**head, "events": doc["events"][:k], "return_state": True})
    rest = {key: value for key, value in doc.items() if key != "policy"}
    second = replay({**rest, "events": doc["events"][k:], "state": first["state"]})
    assert second["customers"] == full["customers"]
    assert second["incidents"] == full["incidents"]
    assert second["next_event_at"] == full["next_event_at"]
    assert second["as_of"] == full["as_of"]
    assert [r["accepted"] for r in first["results"] + second["results"]] == [
        r["accepted"] for r in full["results"]
    ]
    assert [r["index"] for r in second["results"]] == list(range(len(doc["events"]) - k))
    # The first call's view fires the timers due at its last instant; its snapshot does
    # not, so they are the second call's: together, each notification exactly once.
    firsts = replay({**head, "events": doc["events"][:k]})["notifications"]
    seconds = second["notifications"]
    assert full["notifications"][len(full["notifications"]) - len(seconds) :] == seconds
    ids = [n["id"] for n in full["notifications"]]
    assert len(set(ids)) == len(ids)
    assert {n["id"] for n in firsts} <= set(ids)


@LAW
@given(scenarios(valid="mixed", max_size=14))
def test_a_snapshot_survives_restore_unchanged(doc: dict[str, Any]) -> None:
    """restore(w.snapshot()).snapshot() == w.snapshot(), before and after until; the
    digest written (by orjson here) is the documented formula's (the standard library's)."""
    world, _ = fold(World(structure_policy(doc.get("policy"))), events_of(doc))
    snapshot = world.snapshot()
    assert snapshot["digest"] == digest_of(snapshot, fast=False)
    assert World.restore(snapshot).snapshot() == snapshot
    if world.at is not None:
        advanced, _ = world.advance(world.at.add(days=40))
        assert World.restore(advanced.snapshot()).snapshot() == advanced.snapshot()


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> pendulum.DateTime:
    return pendulum.datetime(year, month, day, hour, minute, tz="Europe/Paris")


def opened_friday() -> World:
    """A Friday 18:30 incident (due Monday 09:30) and a staff-free weekend ahead."""
    world = World(Policy())
    world = world.apply(
        Purchase(at=paris(2026, 11, 27, 10), customer="acme", id="p1", product="bundle-3")
    ).world
    return world.apply(
        Open(at=paris(2026, 11, 27, 18, 30), customer="acme", id="i1", area="setup")
    ).world


def test_a_timer_due_at_the_clock_stays_pending_in_the_snapshot() -> None:
    """A snapshot taken after an event at the breach instant keeps the breach pending:
    it fires before the next later event, as in a straight replay, with the same id."""
    due = paris(2026, 11, 30, 9, 30)
    world = (
        opened_friday().apply(Purchase(at=due, customer="acme", id="p2", product="single")).world
    )
    assert world.next_event_at == due  # due at the clock, not fired
    restored = World.restore(world.snapshot())
    assert restored.next_event_at == due
    later = StaffReply(at=paris(2026, 11, 30, 10), incident="i1")
    straight, continued = world.apply(later), restored.apply(later)
    assert [n.kind for n in continued.notifications] == ["response_overdue", "response_posted"]
    assert continued.notifications == straight.notifications
    assert [n.id for n in continued.notifications] == [n.id for n in straight.notifications]


def test_a_snapshot_after_advance_has_fired_everything_due_until_then() -> None:
    """Taken after advance(until), everything due at or before until has fired and an
    event before until is out of order."""
    due = paris(2026, 11, 30, 9, 30)
    world, fired = opened_friday().advance(due)
    assert [n.kind for n in fired] == ["response_overdue"]
    restored = World.restore(world.snapshot())
    assert restored.next_event_at is not None
    assert restored.next_event_at > due
    early = restored.apply(StaffReply(at=paris(2026, 11, 30, 9), incident="i1"))
    assert early.result.rule is RuleId.INPUT_OUT_OF_ORDER  # type: ignore[union-attr]


def test_identical_notifications_at_the_clock_keep_counting_after_a_restore() -> None:
    """Two purchases at one instant send identical notices, numbered 0 and 1; a third at
    the same instant after a restore is number 2, as without the restore."""
    at = paris(2026, 3, 29, 2, 30)  # no such Paris time: the spring-forward gap
    buy = [Purchase(at=at, customer="acme", id=f"p{i}", product="single") for i in range(3)]
    two, _ = fold(World(Policy()), buy[:2])
    straight = two.apply(buy[2])
    continued = World.restore(two.snapshot()).apply(buy[2])
    assert [n.seq for n in continued.notifications] == [2]
    assert continued.notifications[0].id == straight.notifications[0].id
    assert World.restore(two.snapshot()).snapshot()["tally"] == [
        ["credits_purchased", "customer", "acme", None, 2]
    ]
