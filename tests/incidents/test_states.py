"""The transition table: the lifecycle of RULES.md as data, checked when it is defined."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from attrs import evolve

from premier_policy import TRANSITIONS, PolicyError, RuleId, Transition, TransitionTable
from premier_policy.incidents._states import KINDS, STATES, WORKING, Kind, State, mermaid_diagram

DOCS = Path(__file__).resolve().parents[2] / "docs" / "incidents.md"

W: State = "waiting_on_staff"
C: State = "waiting_on_customer"
RES: State = "resolved"
CL: State = "closed"
INV: State = "invalid"

# (kind, state) -> where RULES.md says it leads; every pair not listed is refused.
ALLOWED: dict[tuple[Kind, State], State] = {
    ("staff_reply", W): C,  # lifecycle.staff-reply
    ("staff_reply", C): C,
    ("customer_reply", C): W,  # lifecycle.customer-reply
    ("customer_reply", W): W,
    **{("log_time", s): s for s in (W, C, RES)},  # time.allowance
    **{("extend", s): s for s in (W, C, RES)},  # time.extension
    ("resolve", W): RES,  # lifecycle.resolve
    ("resolve", C): RES,
    ("close", RES): CL,  # lifecycle.auto-close: the customer closes early
    ("auto_close", RES): CL,
    ("reopen", RES): W,  # lifecycle.reopen-window
    ("reopen", CL): W,
    **{("invalidate", s): INV for s in (W, C, RES, CL)},  # lifecycle.invalidate
}


@pytest.mark.parametrize("kind", KINDS)
def test_table_matches_the_rules(kind: Kind) -> None:
    """Each event leads where RULES.md says, and is refused in every other state."""
    for state in STATES:
        move = TRANSITIONS.move(kind, state)
        if (kind, state) in ALLOWED:
            assert move == ALLOWED[kind, state]
        else:
            assert isinstance(move, RuleId), (kind, state, move)


def test_refusal_rules() -> None:
    """Invalid refuses everything as lifecycle.final; a customer reply once resolved or
    closed is lifecycle.customer-reply; any other disallowed pair is
    lifecycle.invalid-transition."""
    for kind in KINDS:
        assert TRANSITIONS.move(kind, INV) is RuleId.LIFECYCLE_FINAL
    for state in (RES, CL):
        assert TRANSITIONS.move("customer_reply", state) is RuleId.LIFECYCLE_CUSTOMER_REPLY
    assert TRANSITIONS.move("staff_reply", CL) is RuleId.LIFECYCLE_INVALID_TRANSITION
    assert TRANSITIONS.move("reopen", W) is RuleId.LIFECYCLE_INVALID_TRANSITION
    assert TRANSITIONS.move("close", C) is RuleId.LIFECYCLE_INVALID_TRANSITION
    assert TRANSITIONS.move("log_time", CL) is RuleId.LIFECYCLE_INVALID_TRANSITION


def row(kind: Kind) -> Transition:
    """The row of ``kind`` in TRANSITIONS."""
    (found,) = [r for r in TRANSITIONS.rows if r.kind == kind]
    return found


def test_opening_and_rows() -> None:
    """Opening creates incidents in waiting_on_staff (lifecycle.open); each row names the
    rule that allows its move."""
    assert TRANSITIONS.initial == W
    assert {r.kind: r.rule for r in TRANSITIONS.rows} == {
        "open": RuleId.LIFECYCLE_OPEN,
        "staff_reply": RuleId.LIFECYCLE_STAFF_REPLY,
        "customer_reply": RuleId.LIFECYCLE_CUSTOMER_REPLY,
        "log_time": RuleId.TIME_ALLOWANCE,
        "extend": RuleId.TIME_EXTENSION,
        "resolve": RuleId.LIFECYCLE_RESOLVE,
        "close": RuleId.LIFECYCLE_AUTO_CLOSE,
        "auto_close": RuleId.LIFECYCLE_AUTO_CLOSE,
        "reopen": RuleId.LIFECYCLE_REOPEN_WINDOW,
        "invalidate": RuleId.LIFECYCLE_INVALIDATE,
    }
    assert row("log_time").lands(RES) == RES
    assert row("resolve").lands(C) == RES


def test_lands_follows_the_table_or_raises_the_refusing_rule() -> None:
    """lands() is move() for a move the caller knows is allowed: the state, or a
    PolicyError naming the rule that refuses it (never a silent wrong state)."""
    for (kind, state), target in ALLOWED.items():
        assert TRANSITIONS.lands(kind, state) == target
    for kind, state, rule in (
        ("auto_close", W, RuleId.LIFECYCLE_INVALID_TRANSITION),
        ("auto_close", INV, RuleId.LIFECYCLE_FINAL),
        ("customer_reply", CL, RuleId.LIFECYCLE_CUSTOMER_REPLY),
    ):
        with pytest.raises(PolicyError) as info:
            TRANSITIONS.lands(kind, state)
        assert (info.value.rule, info.value.field) == (rule, "state")


def _rows(**changes: Transition) -> tuple[Transition, ...]:
    return tuple(changes.get(row.kind, row) for row in TRANSITIONS.rows)


def refused(rows: tuple[Transition, ...], **table: Any) -> tuple[str | None, str]:
    """The field and detail of the error defining a table from ``rows`` raises."""
    with pytest.raises(PolicyError) as info:
        TransitionTable(rows=rows, **table)
    return info.value.field, info.value.detail


def test_table_refuses_a_missing_or_repeated_kind() -> None:
    """One row per kind: a missing or doubled kind fails at definition, listing the kinds
    expected and given."""
    assert refused(TRANSITIONS.rows[:-1]) == (
        "transitions",
        f"expected one row per kind {KINDS}, got {KINDS[:-1]}",
    )
    with pytest.raises(PolicyError, match="one row per kind"):
        TransitionTable(rows=(*TRANSITIONS.rows, TRANSITIONS.rows[0]))


def test_table_refuses_unknown_states_and_leaving_the_final_state() -> None:
    """Rows name known states (the first unknown one is named, source or target), and
    none leaves invalid (lifecycle.final)."""
    reopen, staff_reply = row("reopen"), row("staff_reply")
    assert refused(_rows(reopen=evolve(reopen, target="archived"))) == (  # type: ignore[arg-type]
        "transitions",
        "reopen: unknown state 'archived'",
    )
    limbo = evolve(staff_reply, sources=("limbo", "archived"))  # type: ignore[arg-type]
    assert refused(_rows(staff_reply=limbo)) == (
        "transitions",
        "staff_reply: unknown state 'limbo'",
    )
    assert refused(_rows(reopen=evolve(reopen, sources=(CL, INV)))) == (
        "transitions",
        "reopen: invalid is final and cannot be left",
    )


def test_table_needs_one_creating_row_with_a_target() -> None:
    """Exactly one row creates incidents, and it names their first state."""
    expected = ("transitions", "expected exactly one creating row (no sources) with a target")
    assert refused(_rows(open=evolve(row("open"), target=None))) == expected
    assert refused(_rows(close=evolve(row("close"), sources=()))) == expected


def test_table_refuses_unreachable_states() -> None:
    """Every state is reachable from opening: without resolve, nothing reaches resolved."""
    assert refused(_rows(resolve=evolve(row("resolve"), target=None))) == (
        "transitions",
        "unreachable states: resolved, closed",
    )


def test_a_table_defined_now_moves_as_its_rows_say() -> None:
    """A table defined at test time (not only at import) starts in waiting_on_staff and
    answers every (kind, state): where RULES.md says it leads, lifecycle.final in
    invalid, and elsewhere the rule its row refuses with."""
    table = TransitionTable(rows=TRANSITIONS.rows)
    assert table.initial == W
    for kind in KINDS:
        for state in STATES:
            if (kind, state) in ALLOWED:
                assert table.move(kind, state) == ALLOWED[kind, state], (kind, state)
            elif state == INV:
                assert table.move(kind, state) is RuleId.LIFECYCLE_FINAL, kind
            else:
                assert table.move(kind, state) is row(kind).refused, (kind, state)
    assert table.move("customer_reply", CL) is RuleId.LIFECYCLE_CUSTOMER_REPLY
    assert table.move("reopen", W) is RuleId.LIFECYCLE_INVALID_TRANSITION


def test_the_final_state_and_its_rule_are_the_tables_own() -> None:
    """With closed as the final state, nothing may leave closed, every kind there is
    refused with the table's final rule, and invalid is an ordinary state."""
    assert refused(TRANSITIONS.rows, final=CL) == (
        "transitions",
        "reopen: closed is final and cannot be left",
    )
    rows = _rows(
        reopen=evolve(row("reopen"), sources=(RES,)),
        invalidate=evolve(row("invalidate"), sources=WORKING),
    )
    table = TransitionTable(rows=rows, final=CL, final_rule=RuleId.LIFECYCLE_AUTO_CLOSE)
    assert {table.move(kind, CL) for kind in KINDS} == {RuleId.LIFECYCLE_AUTO_CLOSE}
    assert table.move("staff_reply", INV) is RuleId.LIFECYCLE_INVALID_TRANSITION
    assert table.move("invalidate", RES) == INV


def test_diagram_draws_every_move_of_the_table() -> None:
    """The generated diagram has one arrow per (source, target) carrying exactly the kinds
    that make that move, creation from [*], and invalid ending at [*]."""
    lines = mermaid_diagram().splitlines()
    assert lines[0] == "stateDiagram-v2"
    arrows = {}
    for line in lines[1:]:
        source, target, *label = re.split(r" --> | : ", line.strip())
        arrows[source, target] = label[0].split(", ") if label else []
    expected: dict[tuple[str, str], list[str]] = {("[*]", W): ["open"], (INV, "[*]"): []}
    for (kind, state), target in ALLOWED.items():
        expected.setdefault((state, target), []).append(kind)
    assert {k: sorted(v) for k, v in arrows.items()} == {k: sorted(v) for k, v in expected.items()}
    assert len(arrows) == len(lines) - 1


def test_docs_diagram_is_the_generated_one() -> None:
    """docs/incidents.md shows exactly mermaid_diagram(): regenerate it when the table
    changes (paste the output of mermaid_diagram() into the ```{mermaid} block)."""
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"^```\{mermaid\}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)
    assert blocks == [mermaid_diagram()]


def test_mermaid_diagram_refuses_a_non_table_naming_the_table_field() -> None:
    """Anything but a TransitionTable is a PolicyError naming ``table``."""
    with pytest.raises(PolicyError) as info:
        mermaid_diagram("table")  # type: ignore[arg-type]
    assert (info.value.field, info.value.detail) == (
        "table",
        "expected a TransitionTable, got str",
    )
