"""Laws of snapshots (``state.snapshot``): a restored world continues exactly as the
world it was taken from, at any cut point, and notification ids survive the cut.

Checked on the worlds :class:`~premier_policy.World` builds and on continued replays
(a scenario's ``state`` and ``return_state``); the scenarios come from the exported
strategies, so DST weekends, instants at 19:00 sharp and timers pending at the cut are
all drawn.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import Event, Notification, PolicyError, World, event_from_dict, replay
from premier_policy.strategies import scenarios
from premier_policy.wire._policy import structure_policy

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


def fold(world: World, events: list[Event]) -> tuple[World, list[Notification]]:
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
    """restore(w.snapshot()).snapshot() == w.snapshot(), before and after until."""
    world, _ = fold(World(structure_policy(doc.get("policy"))), events_of(doc))
    snapshot = world.snapshot()
    assert World.restore(snapshot).snapshot() == snapshot
    if world.at is not None:
        advanced, _ = world.advance(world.at.add(days=40))
        assert World.restore(advanced.snapshot()).snapshot() == advanced.snapshot()
