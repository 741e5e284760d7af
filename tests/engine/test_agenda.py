"""The agendas behave as maps with a min-timer, persistent or in place, hashes aside."""

from __future__ import annotations

import copy
import gc
import pickle
from typing import Any

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy.engine._agenda import Agenda, DraftAgenda, Entries, _Bucket, _leaves, _Node

T0 = pendulum.datetime(2027, 1, 4, 9)
KEYS = st.sampled_from([f"k{n}" for n in range(40)])
DUES = st.one_of(st.none(), st.integers(0, 50).map(lambda h: T0.add(hours=h)))


class Unordered:
    """A value with equality but no order, as an Incident or an Account: an agenda must
    never compare two values, not even a key's new value with its old one."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unordered) and other.n == self.n

    def __hash__(self) -> int:
        return self.n

    def __repr__(self) -> str:
        return f"Unordered({self.n})"


OPS = st.lists(st.tuples(KEYS, st.integers(0, 3).map(Unordered), DUES), max_size=120)


class Clash:
    """A key whose hash every other Clash shares: the trie must still tell them apart."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __hash__(self) -> int:
        return 12345

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Clash) and other.name == self.name

    def __repr__(self) -> str:
        return f"Clash({self.name!r})"


def model_first(model: dict[Any, tuple[Any, Any, int]]) -> tuple[Any, int, Any] | None:
    """The earliest (due, order, key) of a plain dict model."""
    timed = [(due, order, key) for key, (_, due, order) in model.items() if due is not None]
    return min(timed, default=None)


def run(agenda: Entries[Any, Any], ops: list[tuple[Any, int, Any]]) -> Entries[Any, Any]:
    """Apply ``ops`` to ``agenda`` and to a model, checking both agree after each."""
    model: dict[Any, tuple[Any, Any, int]] = {}
    for n, (key, value, due) in enumerate(ops):
        agenda = agenda.set(key, value, due=due, order=n)
        order = model[key][2] if key in model else n
        model[key] = (value, due, order)
        assert agenda.first == model_first(model)
    assert dict(agenda) == {key: value for key, (value, _, _) in model.items()}
    assert list(agenda) == list(model)  # first-set order
    assert len(agenda) == len(model)
    return agenda


@given(OPS)
def test_agenda_is_a_map_with_its_earliest_timer(ops: list[tuple[str, int, Any]]) -> None:
    """Agenda: values by key, the earliest timer (ties by first-set order), insertion order."""
    run(Agenda(), ops)


@given(OPS)
def test_draft_agenda_agrees_with_the_agenda(ops: list[tuple[str, int, Any]]) -> None:
    """DraftAgenda (in place, lazy heap) answers exactly as the persistent Agenda does."""
    draft = run(DraftAgenda(), ops)
    assert draft.first == run(Agenda(), ops).first


@given(OPS, st.integers(0, 51).map(lambda h: T0.add(hours=h)))
def test_a_draft_agenda_says_no_timer_is_due_only_when_none_is(
    ops: list[tuple[str, int, Any]], t: Any
) -> None:
    """due_before(t) reads the heap's top unvalidated: it is True whenever a live timer
    is due before t (the engine skips firing only on False), and exact once first has
    dropped the stale entries above the earliest live timer."""
    draft: DraftAgenda[str, Any] = DraftAgenda()
    model: dict[Any, tuple[Any, Any, int]] = {}
    for n, (key, value, due) in enumerate(ops):
        draft.set(key, value, due=due, order=n)
        model[key] = (value, due, model[key][2] if key in model else n)
        earliest = model_first(model)
        due_before = earliest is not None and earliest[0] < t
        if due_before:
            assert draft.due_before(t)
        if n % 2:  # now and then, as the engine does when it fires
            assert draft.first == earliest
            assert draft.due_before(t) is due_before


@given(OPS, OPS)
def test_an_agenda_never_changes(first: list[Any], then: list[Any]) -> None:
    """Setting returns a new agenda; the old one keeps its entries and its first timer."""
    before = run(Agenda(), first)
    snapshot, earliest = dict(before), before.first
    after = before
    for n, (key, value, due) in enumerate(then):
        after = after.set(key, value, due=due, order=len(first) + n)
    assert dict(before) == snapshot
    assert before.first == earliest


def test_equal_hashes_share_a_bucket() -> None:
    """Keys with one hash are kept apart, updated and found; the earliest timer still wins."""
    a, b, c = Clash("a"), Clash("b"), Clash("c")
    agenda: Agenda[Clash, int] = Agenda()
    agenda = agenda.set(a, 1, due=T0.add(hours=3), order=0)
    agenda = agenda.set(b, 2, due=T0.add(hours=1), order=1)
    agenda = agenda.set(c, 3, due=None, order=2)
    assert len(agenda) == 3  # c joined the bucket
    agenda = agenda.set(a, 4, due=T0, order=9)
    assert dict(agenda) == {a: 4, b: 2, c: 3}
    assert len(agenda) == 3  # a was replaced in it
    assert agenda.first == (T0, 0, a)
    assert Clash("d") not in agenda
    with pytest.raises(KeyError) as info:
        agenda[Clash("d")]
    assert info.value.args == (Clash("d"),)


def test_keys_sharing_a_long_hash_prefix_split_deeper() -> None:
    """Two keys whose hashes agree on their low bits go down to where they differ."""
    agenda: Agenda[int, str] = Agenda()
    agenda = agenda.set(1, "one", due=None, order=0).set(1 + (1 << 40), "far", due=T0, order=1)
    assert agenda[1] == "one"
    assert agenda[1 + (1 << 40)] == "far"
    assert agenda.first == (T0, 1, 1 + (1 << 40))


def test_lookups_that_miss() -> None:
    """Missing keys raise KeyError; unhashable ones are simply not there."""
    agenda = Agenda[str, int]().set("x", 1, due=None, order=0)
    draft = DraftAgenda[str, int]().set("x", 1, due=None, order=0)
    for each in (agenda, draft):
        with pytest.raises(KeyError):
            each["y"]
        assert "y" not in each
        assert each.get("y") is None
        assert each.get("y", 0) == 0
    unhashable: object = []
    assert unhashable not in agenda
    assert agenda.first is None
    assert repr(agenda) == "Agenda({'x': 1})"


#: What a dict can change about itself, each refused by a DraftAgenda.
DICT_CHANGES: dict[str, Any] = {
    "[]=": lambda d: d.__setitem__("b", 2),
    "del": lambda d: d.__delitem__("a"),
    "pop": lambda d: d.pop("a"),
    "popitem": lambda d: d.popitem(),
    "setdefault": lambda d: d.setdefault("b", 2),
    "update": lambda d: d.update(b=2),
    "clear": lambda d: d.clear(),
    "|=": lambda d: d.__ior__({"b": 2}),
    "copy": lambda d: copy.copy(d),
    "pickle": lambda d: pickle.loads(pickle.dumps(d)),
    "fromkeys": lambda d: DraftAgenda.fromkeys(["b"]),
}


@pytest.mark.parametrize("change", DICT_CHANGES.values(), ids=DICT_CHANGES.keys())
def test_a_draft_agenda_changes_only_through_set(change: Any) -> None:
    """The dict's own changes would leave its timers behind (a deleted key still first
    due): each is refused, and the agenda is as it was."""
    t = pendulum.datetime(2027, 1, 5, 9)
    d = DraftAgenda[str, int]().set("a", 1, due=t, order=0)
    with pytest.raises(TypeError, match="only through set"):
        change(d)
    assert (dict(d), d.first, d.ordered()) == ({"a": 1}, (t, 0, "a"), [("a", 1, 0)])


def test_draft_agenda_skips_stale_timers() -> None:
    """A moved timer leaves a stale heap entry behind; first never returns it."""
    draft = DraftAgenda[str, str]()
    draft.set("i1", "open", due=T0, order=0)
    draft.set("i1", "later", due=T0.add(hours=5), order=0)
    draft.set("i2", "open", due=T0.add(hours=2), order=1)
    assert draft.first == (T0.add(hours=2), 1, "i2")
    draft.set("i2", "done", due=None, order=1)
    assert draft.first == (T0.add(hours=5), 0, "i1")
    draft.set("i1", "done", due=None, order=0)
    assert draft.first is None


def test_lookups_by_slot() -> None:
    """Ints hash to themselves: an empty slot, a leaf of another key, the key itself."""
    agenda = Agenda[int, str]().set(1, "one", due=None, order=0)
    assert 2 not in agenda  # the root's slot 2 is empty
    assert 33 not in agenda  # slot 1 holds the leaf of key 1
    assert agenda[1] == "one"
    agenda = agenda.set(33, "thirty-three", due=None, order=1)
    assert (agenda[1], agenda[33], 65 in agenda) == ("one", "thirty-three", False)


def test_a_moved_earliest_timer_hands_over_to_the_next_slot() -> None:
    """Ints hash to themselves: keys 1, 2, 3 sit in the root's slots 1, 2, 3. When key 1's
    timer moves past the others, the root's earliest is rescanned and is key 2's, the
    slot right after the one replaced."""
    agenda = Agenda[int, str]()
    for key in (1, 2, 3):
        agenda = agenda.set(key, "open", due=T0.add(hours=key), order=key)
    agenda = agenda.set(1, "later", due=T0.add(hours=9), order=4)
    assert agenda.first == (T0.add(hours=2), 2, 2)


@given(st.lists(st.tuples(KEYS, st.integers(), DUES), max_size=60, unique_by=lambda op: op[0]))
def test_an_agenda_built_in_one_pass_equals_one_set_in_turn(
    ops: list[tuple[str, int, Any]],
) -> None:
    """Agenda.of gives the map, the earliest timer, the order and the later changes that
    setting each entry in turn gives (restore builds its tries this way)."""
    entries = [(key, value, due, n) for n, (key, value, due) in enumerate(ops)]
    built = Agenda.of(entries)
    one_by_one: Agenda[str, int] = Agenda()
    for key, value, due, n in entries:
        one_by_one = one_by_one.set(key, value, due=due, order=n)
    assert built.ordered() == one_by_one.ordered()
    assert (dict(built), built.first, len(built)) == (
        dict(one_by_one),
        one_by_one.first,
        len(one_by_one),
    )
    later = built.set("k0", -1, due=T0, order=len(entries))
    assert later.ordered() == one_by_one.set("k0", -1, due=T0, order=len(entries)).ordered()


def shape(kid: object) -> object:
    """A trie's shape: nodes as tuples of their kids, leaves and buckets by their keys."""
    if type(kid) is _Node:
        return tuple(shape(each) for each in kid.kids)
    if type(kid) is _Bucket:
        return sorted(repr(leaf[2]) for leaf in kid.leaves)
    return None if kid is None else repr(kid[2])  # type: ignore[index]


def test_an_agenda_built_in_one_pass_keeps_equal_hashes_apart() -> None:
    """Keys with one hash land in one bucket, each still found, the earliest first."""
    built = Agenda.of(
        [(Clash("a"), 1, T0.add(hours=2), 0), (Clash("b"), 2, T0, 1), ("x", 3, None, 2)]
    )
    assert (built[Clash("a")], built[Clash("b")], built["x"]) == (1, 2, 3)
    assert built.first == (T0, 1, Clash("b"))
    one_by_one: Agenda[object, int] = Agenda()
    for key, value, due, n in [(Clash("a"), 1, T0.add(hours=2), 0), (Clash("b"), 2, T0, 1)]:
        one_by_one = one_by_one.set(key, value, due=due, order=n)
    one_by_one = one_by_one.set("x", 3, due=None, order=2)
    assert shape(built._root) == shape(one_by_one._root)  # the bucket at the same depth
    draft: DraftAgenda[str, int] = DraftAgenda()
    assert draft.set("k", 1, due=None, order=0).ordered() == [("k", 1, 0)]


def test_a_draft_heap_stays_near_its_live_timers() -> None:
    """Thousands of moves of a few timers leave a heap of about twice the live ones, and
    the earliest is still the earliest live timer."""
    t = pendulum.datetime(2027, 1, 5, 9)
    draft: DraftAgenda[str, int] = DraftAgenda()
    for n in range(5_000):
        key = f"k{n % 7}"
        draft.set(key, n, due=None if n % 11 == 0 else t.add(minutes=n % 97), order=n % 7)
    live = {key: due for key, due in draft._dues.items() if due is not None}
    assert len(draft._heap) <= 2 * len(live) + 64
    earliest = min(live.items(), key=lambda each: (each[1], draft._orders[each[0]]))
    assert draft.first == (earliest[1], draft._orders[earliest[0]], earliest[0])


@pytest.mark.parametrize("kind", [Agenda, DraftAgenda])
def test_ordered_follows_first_set_order_not_keys(kind: type[Entries[str, int]]) -> None:
    """ordered() lists entries in the order they were first set (what a snapshot keeps),
    whatever the keys' own order: set "b" before "a" and "b" comes first."""
    agenda: Entries[str, int] = kind()
    agenda = agenda.set("b", 1, due=None, order=0).set("a", 2, due=T0, order=1)
    agenda = agenda.set("b", 3, due=T0, order=9)  # a key keeps its first order
    assert agenda.ordered() == [("b", 3, 0), ("a", 2, 1)]


def test_a_key_set_again_with_its_timer_keeps_its_place() -> None:
    """A key holding the earliest timer, set again with the same timer and a new value
    that has no order, keeps the earliest place; its new value is the one found."""
    old, new = Unordered(1), Unordered(2)
    agenda: Agenda[str, Unordered] = Agenda()
    agenda = agenda.set("a", old, due=T0, order=0).set("b", old, due=T0.add(hours=1), order=1)
    agenda = agenda.set("a", new, due=T0, order=0)
    assert (agenda["a"], agenda.first) == (new, (T0, 0, "a"))
    assert agenda.set("a", old, due=T0.add(hours=2), order=0).first == (T0.add(hours=1), 1, "b")


def test_timerless_entries_of_plain_values_are_not_traced() -> None:
    """The leaves of entries without a timer whose keys and values are plain (a purchase
    index) hold nothing the garbage collector traces, so it drops them from its passes."""
    agenda = Agenda.of([(f"p{n}", f"c{n % 7}", None, n) for n in range(500)])
    timed = agenda.set("p1", "c1", due=T0, order=1)
    gc.collect()
    leaves = list(_leaves(timed._root))
    assert len(leaves) == 500
    assert [leaf[2] for leaf in leaves if gc.is_tracked(leaf)] == ["p1"]


def test_an_unpickled_agenda_keeps_its_timers_and_their_absence() -> None:
    """A pickled agenda comes back equal, with the same earliest timer and order; one
    without timers still has none (not the far-future instant that stands for none)."""
    for agenda in (
        Agenda[str, int](),
        Agenda.of([("a", 1, None, 0), ("b", 2, None, 1)]),
        Agenda.of([("a", 1, None, 0), ("b", 2, T0, 1)]),
        # Ints hash to themselves: every slot of the root holds a timerless entry, so
        # no empty slot's "none" stands in for theirs.
        Agenda.of([(n, n, None, n) for n in range(32)]),
    ):
        again = pickle.loads(pickle.dumps(agenda))
        assert (dict(again), again.first, again.ordered()) == (
            dict(agenda),
            agenda.first,
            agenda.ordered(),
        )
