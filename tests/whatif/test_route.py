"""Routing a log by customer: a stable hash, incident lines to their opener, linked IDs."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import PolicyError
from premier_policy.whatif import Router, partition_of

Line = dict[str, str]


def test_partition_of_is_the_same_in_another_process() -> None:
    """The hash is not Python's salted one: a fresh interpreter agrees, and the values
    are pinned (a change would re-partition every stored log)."""
    keys = ["acme", "globex", "", "é", "\ud800"]
    mine = [partition_of(key, 1000) for key in keys]
    code = (
        "from premier_policy.whatif import partition_of;"
        f"print([partition_of(k, 1000) for k in {keys!r}])"
    )
    theirs = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert theirs.strip() == str(mine)
    assert partition_of("acme", 64) == 1


@given(st.text(), st.integers(1, 500))
def test_partition_of_is_in_range(key: str, partitions: int) -> None:
    """Every key, lone surrogates included, lands in one of the partitions."""
    assert 0 <= partition_of(key, partitions) < partitions


def test_customer_lines_go_to_their_customer() -> None:
    """Purchases, refunds and openings go by customer; incident lines by the opener."""
    router = Router(partitions=16)
    acme = partition_of("acme", 16)
    assert router.route({"type": "purchase", "customer": "acme", "id": "p1"}) == acme
    assert router.route({"type": "refund_request", "customer": "acme", "purchase": "p1"}) == acme
    assert router.route({"type": "open", "customer": "acme", "id": "i1"}) == acme
    assert router.route({"type": "log_time", "incident": "i1", "minutes": 5}) == acme
    assert router.groups() == tuple((p,) for p in range(16))


def test_lines_that_name_no_one_go_to_the_empty_name() -> None:
    """Not an object, or no customer nor incident string: malformed in any partition."""
    router = Router(partitions=16)
    nobody = partition_of("", 16)
    for raw in ("garbage", 7, None, [1], {"type": "purchase"}, {"customer": 5, "incident": 9}):
        assert router.route(raw) == nobody


def test_an_incident_line_before_its_opening_waits_then_settles() -> None:
    """An incident not opened yet (in file order) is put off; settled, it goes to the
    opener once known, else to the incident ID's own partition."""
    router = Router(partitions=16)
    early = {"type": "staff_reply", "incident": "i1"}
    stray = {"type": "staff_reply", "incident": "i9"}
    assert router.route(early) is None
    assert router.route(stray) is None
    router.route({"type": "open", "customer": "globex", "id": "i1"})
    assert router.settle(early) == partition_of("globex", 16)
    assert router.settle(stray) == partition_of("i9", 16)


def names(count: int, partitions: int) -> list[str]:
    """``count`` customer names in distinct partitions."""
    found: dict[int, str] = {}
    n = 0
    while len(found) < count:
        found.setdefault(partition_of(f"c{n}", partitions), f"c{n}")
        n += 1
    return list(found.values())


@pytest.mark.parametrize(
    "claim",
    [
        lambda who: {"type": "purchase", "customer": who, "id": "p1"},
        lambda who: {"type": "open", "customer": who, "id": "i1"},
        lambda who: {"type": "refund_request", "customer": who, "purchase": "p1"},
    ],
    ids=["purchase", "open", "refund"],
)
def test_two_customers_claiming_one_id_replay_together(claim: Callable[[str], Line]) -> None:
    """input.duplicate-id is judged across customers: the partitions of two customers
    claiming one purchase or incident ID are linked, and stay linked transitively."""
    a, b, c = names(3, 8)
    router = Router(partitions=8)
    router.route(claim(a))
    router.route(claim(a))  # the same customer again links nothing
    assert all(len(group) == 1 for group in router.groups())
    router.route(claim(b))
    router.route({"type": "purchase", "customer": c, "id": "q1"})
    router.route({"type": "purchase", "customer": b, "id": "q1"})
    linked = tuple(sorted(partition_of(x, 8) for x in (a, b, c)))
    assert linked in router.groups()
    assert sum(len(group) for group in router.groups()) == 8


def test_claims_need_a_customer_and_an_id() -> None:
    """A claim without a string customer or ID links nothing (the line is malformed)."""
    router = Router(partitions=8)
    for raw in (
        {"type": "purchase", "customer": "a", "id": 1},
        {"type": "purchase", "id": "p1"},
        {"type": "open", "customer": "b"},
        {"type": "refund_request", "customer": "c"},
    ):
        router.route(raw)
    assert all(len(group) == 1 for group in router.groups())


def test_the_index_is_the_callers_mapping() -> None:
    """The index may be any mutable mapping: a spilling one, say; IDs live in it."""
    index: dict[str, str] = {}
    router = Router(partitions=4, index=index)
    router.route({"type": "open", "customer": "acme", "id": "i1"})
    router.route({"type": "purchase", "customer": "acme", "id": "i1"})
    assert index == {"ii1": "acme", "pi1": "acme"}


@pytest.mark.parametrize("partitions", [0, -1, 1.5, True, "8"])
def test_partitions_is_a_whole_number_of_at_least_one(partitions: object) -> None:
    """A bad partition count is a PolicyError naming the field."""
    with pytest.raises(PolicyError) as info:
        Router(partitions=partitions)  # type: ignore[arg-type]
    assert info.value.field == "partitions"


@pytest.mark.parametrize("partitions", [0, -1, True, 2.0, "2"])
def test_a_router_needs_a_whole_number_of_partitions(partitions: object) -> None:
    """Anything but a whole number of at least 1 is refused, naming the field and value."""
    with pytest.raises(PolicyError) as caught:
        Router(partitions=partitions)  # type: ignore[arg-type]
    assert str(caught.value) == (
        f"partitions: expected a whole number of at least 1, got {partitions!r}"
    )
