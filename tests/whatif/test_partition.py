"""Reading a partition: JSON lines, the library's instants, a stable sort, the latest event."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import PolicyError, event_from_dict
from premier_policy.strategies import scenarios
from premier_policy.whatif import Partition, Unreadable, read_line


def test_read_line_takes_json_and_names_what_is_not() -> None:
    """A line is one JSON value; not JSON, NaN or not UTF-8 is Unreadable with the reason."""
    assert read_line('{"a": [1, 2.5, null]}') == {"a": [1, 2.5, None]}
    assert read_line(b'"x"') == "x"
    assert read_line("{} {}") == Unreadable("Extra data: line 1 column 4 (char 3)")
    assert read_line("Infinity") == Unreadable("Infinity is not JSON")
    bad = read_line(b"\xff{}")
    assert isinstance(bad, Unreadable)
    assert "utf-8" in bad.detail


def test_a_line_of_bytes_is_read_as_json_loads_reads_it() -> None:
    """A lone surrogate written by an encoder that lets it through (surrogatepass) is
    read back, as json.loads reads the same bytes, in UTF-8, -16 or -32."""
    for encoding in ("utf-8", "utf-16-le", "utf-32-be"):
        line = '["\ud800", "é"]'.encode(encoding, "surrogatepass")
        assert read_line(line) == json.loads(line) == ["\ud800", "é"]


def instant(raw: object) -> Any:
    try:
        return event_from_dict(raw).at
    except PolicyError:
        return None


@settings(max_examples=100)
@given(scenarios(valid="mixed", max_size=14), st.randoms(use_true_random=False))
def test_the_order_is_a_stable_sort_by_the_librarys_instant(
    doc: dict[str, Any], rng: random.Random
) -> None:
    """Shuffled and numbered, the events come back sorted by instant, ties in line order
    (Python's stable sort of the lines); those the library cannot read come last, by line."""
    lines = list(enumerate(doc["events"], start=1))
    rng.shuffle(lines)
    part = Partition.of(lines)
    by_line = dict(lines)
    readable = sorted(
        (n for n in sorted(by_line) if instant(by_line[n]) is not None),
        key=lambda n: instant(by_line[n]),
    )
    rest = [n for n in sorted(by_line) if instant(by_line[n]) is None]
    assert list(part.numbers) == readable + rest
    assert list(part.events) == [by_line[n] for n in part.numbers]
    if readable:
        last = max(instant(by_line[n]) for n in readable)
        assert part.latest == (last, max(n for n in readable if instant(by_line[n]) == last))
    else:
        assert part.latest is None


def test_equal_instants_keep_line_order_whatever_the_offset() -> None:
    """Two writings of one instant tie, and keep line order; the latest names its line."""
    paris = {"at": "2026-11-30T10:00:00+01:00", "type": "resolve", "incident": "i1"}
    utc = {"at": "2026-11-30T09:00:00Z", "type": "close", "incident": "i1"}
    earlier = {"at": "2026-11-30T08:59:59.999999Z", "type": "reopen", "incident": "i1"}
    part = Partition.of([(7, utc), (3, paris), (9, earlier)])
    assert part.numbers == (9, 3, 7)
    assert part.latest is not None
    assert (part.latest[0].isoformat(), part.latest[1]) == ("2026-11-30T09:00:00+00:00", 7)


def test_unreadable_lines_are_kept_apart_by_line() -> None:
    """Lines that are not JSON are not events: kept with their reason, in line order."""
    part = Partition.of([(5, Unreadable("b")), (2, Unreadable("a")), (4, "text")])
    assert part.unreadable == ((2, "a"), (5, "b"))
    assert (part.numbers, part.events, part.latest) == ((4,), ("text",), None)


@settings(max_examples=100)
@given(scenarios(valid="mixed", max_size=14), st.lists(st.integers(0, 3)))
def test_joining_chunks_read_apart_is_reading_them_together(
    doc: dict[str, Any], where: list[int]
) -> None:
    """Lines dealt into chunks in any way, each read on its own, then joined: the
    partition of all of them read at once."""
    lines: list[tuple[int, object]] = list(enumerate(doc["events"], start=1))
    lines.append((len(lines) + 1, Unreadable("x")))
    chunks: list[list[tuple[int, object]]] = [[], [], [], []]
    for i, line in enumerate(lines):
        chunks[where[i] if i < len(where) else 0].append(line)
    joined = Partition.join(Partition.of(chunk) for chunk in chunks)
    assert joined == Partition.of(lines)
