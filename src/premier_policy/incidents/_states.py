"""An incident's states and the transition table, as data checked when it is defined.

The lifecycle code asks this table whether an event is allowed in a state and where it
leads; the docs' state diagram is generated from it (:func:`mermaid_diagram`), so the
picture and the behaviour cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, get_args

from attrs import field, frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId

__all__ = [
    "KINDS",
    "STATES",
    "TRANSITIONS",
    "Kind",
    "State",
    "Transition",
    "TransitionTable",
    "mermaid_diagram",
]

State = Literal["waiting_on_staff", "waiting_on_customer", "resolved", "closed", "invalid"]
STATES: tuple[State, ...] = (
    "waiting_on_staff",
    "waiting_on_customer",
    "resolved",
    "closed",
    "invalid",
)

#: What moves an incident: the events of the scenario format, plus ``auto_close``, the
#: one transition time makes by itself (the response breach changes no state).
Kind = Literal[
    "open",
    "staff_reply",
    "customer_reply",
    "log_time",
    "extend",
    "resolve",
    "close",
    "auto_close",
    "reopen",
    "invalidate",
]
KINDS: tuple[Kind, ...] = get_args(Kind)


@frozen(kw_only=True)
class Transition:
    """One row: ``kind`` is allowed from ``sources`` and leads to ``target``.

    ``sources`` is empty for the row that creates an incident; ``target`` is None when
    the incident stays in its state. ``rule`` allows the move; ``refused`` is the rule
    that refuses the kind in any other state that is not final.
    """

    kind: Kind
    sources: tuple[State, ...]
    target: State | None
    rule: RuleId
    refused: RuleId

    def lands(self, source: State) -> State:
        """The state an incident in ``source`` ends in."""
        return source if self.target is None else self.target


def _check(table: TransitionTable) -> State:
    """Check the table; return the state the creating row leads to."""
    kinds = [row.kind for row in table.rows]
    if sorted(kinds) != sorted(KINDS):
        raise PolicyError(
            f"expected one row per kind {KINDS}, got {tuple(kinds)}", field="transitions"
        )
    for row in table.rows:
        unknown = [s for s in (*row.sources, row.target) if s is not None and s not in STATES]
        if unknown:
            raise PolicyError(f"{row.kind}: unknown state {shown(unknown[0])}", field="transitions")
        if table.final in row.sources:
            raise PolicyError(
                f"{row.kind}: {table.final} is final and cannot be left", field="transitions"
            )
    targets = [row.target for row in table.rows if not row.sources]
    if len(targets) != 1 or targets[0] is None:
        raise PolicyError(
            "expected exactly one creating row (no sources) with a target", field="transitions"
        )
    initial = targets[0]
    reached, frontier = {initial}, {initial}
    while frontier:
        frontier = {
            row.lands(s) for row in table.rows for s in row.sources if s in frontier
        } - reached
        reached |= frontier
    if missing := [s for s in STATES if s not in reached]:
        raise PolicyError(f"unreachable states: {', '.join(missing)}", field="transitions")
    return initial


def _moves(table: TransitionTable) -> Mapping[tuple[Kind, State], State | RuleId]:
    # Precomputed so a lookup is one dict access on the hot path.
    moves: dict[tuple[Kind, State], State | RuleId] = {}
    for row in table.rows:
        for state in STATES:
            if state in row.sources:
                moves[row.kind, state] = row.lands(state)
            elif state == table.final:
                moves[row.kind, state] = table.final_rule
            else:
                moves[row.kind, state] = row.refused
    return MappingProxyType(moves)


@frozen(kw_only=True)
class TransitionTable:
    """The rows, the final state and the rule that refuses everything in it.

    Checked when constructed: one row per ``Kind``, known states only, nothing leaves
    the final state, one creating row, and every state reachable from it.
    ``initial`` is the state an incident is created in.

    >>> TRANSITIONS.initial
    'waiting_on_staff'
    """

    rows: tuple[Transition, ...]
    final: State = "invalid"
    final_rule: RuleId = RuleId.LIFECYCLE_FINAL
    initial: State = field(init=False)
    _moves: Mapping[tuple[Kind, State], State | RuleId] = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "initial", _check(self))
        object.__setattr__(self, "_moves", _moves(self))

    def move(self, kind: Kind, state: State) -> State | RuleId:
        """Where ``kind`` leads from ``state``, or the rule that refuses it there.

        >>> TRANSITIONS.move("resolve", "waiting_on_customer")
        'resolved'
        >>> TRANSITIONS.move("resolve", "closed")
        <RuleId.LIFECYCLE_INVALID_TRANSITION: 'lifecycle.invalid-transition'>
        >>> TRANSITIONS.move("customer_reply", "closed")
        <RuleId.LIFECYCLE_CUSTOMER_REPLY: 'lifecycle.customer-reply'>
        >>> TRANSITIONS.move("staff_reply", "invalid")
        <RuleId.LIFECYCLE_FINAL: 'lifecycle.final'>
        """
        return self._moves[kind, state]

    def lands(self, kind: Kind, state: State) -> State:
        """Where ``kind`` leads from ``state``, for a move the caller knows is allowed
        (a timer set only in that state); otherwise a :class:`PolicyError` naming the
        refusing rule.

        >>> TRANSITIONS.lands("auto_close", "resolved")
        'closed'
        >>> TRANSITIONS.lands("auto_close", "closed")
        Traceback (most recent call last):
        ...
        premier_policy.PolicyError: lifecycle.invalid-transition: state: auto_close is not allowed while closed
        """
        move = self._moves[kind, state]
        if isinstance(move, RuleId):
            raise PolicyError(f"{kind} is not allowed while {state}", rule=move, field="state")
        return move


WAITING: tuple[State, ...] = ("waiting_on_staff", "waiting_on_customer")
WORKING: tuple[State, ...] = (*WAITING, "resolved")

#: The incident lifecycle of RULES.md. Refusals in the final state are ``lifecycle.final``.
TRANSITIONS = TransitionTable(
    rows=(
        Transition(
            kind="open",
            sources=(),
            target="waiting_on_staff",
            rule=RuleId.LIFECYCLE_OPEN,
            refused=RuleId.LIFECYCLE_INVALID_TRANSITION,
        ),
        Transition(
            kind="staff_reply",
            sources=WAITING,
            target="waiting_on_customer",
            rule=RuleId.LIFECYCLE_STAFF_REPLY,
            refused=RuleId.LIFECYCLE_INVALID_TRANSITION,
        ),
        Transition(
            kind="customer_reply",
            sources=WAITING,
            target="waiting_on_staff",
            rule=RuleId.LIFECYCLE_CUSTOMER_REPLY,
            refused=RuleId.LIFECYCLE_CUSTOMER_REPLY,
        ),
        Transition(
            kind="log_time",
            sources=WORKING,
            target=None,
            rule=RuleId.TIME_ALLOWANCE,
            refused=RuleId.LIFECYCLE_INVALID_TRANSITION,
        ),
        Transition(
            kind="extend",
            sources=WORKING,
            target=None,
            rule=RuleId.TIME_EXTENSION,
            refused=RuleId.LIFECYCLE_INVALID_TRANSITION,
        ),
        Transition(
            kind="resolve",
            sources=WAITING,
            target="resolved",
            rule=RuleId.LIFECYCLE_RESOLVE,
            refused=RuleId.LIFECYCLE_INVALID_TRANSITION,
        ),
        Transition(
            kind="close",
            sources=("resolved",),
            target="closed",
            rule=RuleId.LIFECYCLE_AUTO_CLOSE,
            refused=RuleId.LIFECYCLE_INVALID_TRANSITION,
        ),
        Transition(
            kind="auto_close",
            sources=("resolved",),
            target="closed",
            rule=RuleId.LIFECYCLE_AUTO_CLOSE,
            refused=RuleId.LIFECYCLE_INVALID_TRANSITION,
        ),
        Transition(
            kind="reopen",
            sources=("resolved", "closed"),
            target="waiting_on_staff",
            rule=RuleId.LIFECYCLE_REOPEN_WINDOW,
            refused=RuleId.LIFECYCLE_INVALID_TRANSITION,
        ),
        Transition(
            kind="invalidate",
            sources=(*WORKING, "closed"),
            target="invalid",
            rule=RuleId.LIFECYCLE_INVALIDATE,
            refused=RuleId.LIFECYCLE_FINAL,
        ),
    )
)


def mermaid_diagram(table: TransitionTable = TRANSITIONS) -> str:
    """The table as a Mermaid state diagram: one arrow per (source, target), its kinds
    as the label in table order; ``[*]`` marks creation and the final state.

    >>> print(mermaid_diagram().splitlines()[1])
        [*] --> waiting_on_staff : open
    """
    if not isinstance(table, TransitionTable):
        raise PolicyError(f"expected a TransitionTable, got {type(table).__name__}", field="table")
    edges: dict[tuple[str, str], list[str]] = {}
    for row in table.rows:
        for source in row.sources or ("[*]",):
            target = row.target if row.target is not None else source
            edges.setdefault((source, target), []).append(row.kind)
    lines = ["stateDiagram-v2"]
    lines += [f"    {s} --> {t} : {', '.join(kinds)}" for (s, t), kinds in edges.items()]
    lines.append(f"    {table.final} --> [*]")
    return "\n".join(lines) + "\n"
