"""The top level of a scenario document: policy, its dated changes, ``until`` and the
raw events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import pendulum
from attrs import evolve, frozen

from premier_policy.base._echo import named, shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import parse_instant
from premier_policy.base._rules import RuleId
from premier_policy.terms._policy import Policy, PolicyChange
from premier_policy.wire._converter import ScenarioError, joined, json_kind
from premier_policy.wire._policy import policy_to_dict, structure_policy
from premier_policy.wire._snapshot import Parts, read_snapshot

__all__ = ["Scenario", "read_scenario"]

_SCENARIO_KEYS: Final = (
    "$schema",
    "description",
    "policy",
    "policy_changes",
    "until",
    "state",
    "return_state",
    "events",
)


@frozen(kw_only=True)
class Scenario:
    """A scenario document, read: the policy, ``until`` (UTC) and the raw events, each
    structured on its own when replayed so that one bad event refuses only itself;
    ``state``, the world to continue (None: an empty one), and whether the outcome
    carries the snapshot it ends with."""

    policy: Policy
    until: pendulum.DateTime | None
    events: tuple[object, ...]
    state: Parts | None = None
    return_state: bool = False


def _state(document: Mapping[str, object]) -> tuple[Policy, Parts | None]:
    """The policy and the world to continue: with ``state``, the snapshot's policy, which
    a ``policy`` given beside it must equal (``state.integrity``)."""
    try:
        policy = structure_policy(document.get("policy"))
    except PolicyError as error:
        raise ScenarioError(
            error.detail, rule=error.rule, field=joined("policy", error.field)
        ) from None
    if "state" not in document:
        return policy, None
    try:
        parts = read_snapshot(document["state"])
    except PolicyError as error:
        field = "state" if error.field in (None, "state") else f"state.{error.field}"
        raise ScenarioError(error.detail, rule=error.rule, field=field) from None
    if "policy" in document and policy != evolve(parts.policy, changes=()):
        raise ScenarioError(
            "differs from the snapshot's policy; a continued world keeps its policy "
            "(leave policy out, or give the snapshot's)",
            rule=RuleId.STATE_INTEGRITY,
            field="policy",
        )
    return parts.policy, parts


def read_scenario(document: object) -> Scenario:
    """Read the top level of a scenario document; anything wrong there is a
    :class:`ScenarioError` naming the field.

    >>> read_scenario({"events": []}).until is None
    True
    >>> read_scenario({"event": []})
    Traceback (most recent call last):
    ...
    premier_policy.ScenarioError: input.malformed: event: unknown field; a scenario has $schema, description, policy, policy_changes, until, state, return_state, events
    """
    if not isinstance(document, Mapping):
        raise ScenarioError(
            f"a scenario is an object with an events list, got {json_kind(document)}",
            field="scenario",
        )
    for key in document:
        if type(key) is not str:  # as in an event or the policy: the mapping is named
            raise ScenarioError(
                f"expected string keys, got the key {shown(key)}",
                rule=RuleId.INPUT_MALFORMED,
                field="scenario",
            )
        if key not in _SCENARIO_KEYS:
            raise ScenarioError(
                f"unknown field; a scenario has {', '.join(_SCENARIO_KEYS)}",
                rule=RuleId.INPUT_MALFORMED,
                field=named(key),  # an empty key too has a visible name
            )
    events = document.get("events")
    if not isinstance(events, list):
        detail = (
            "missing" if "events" not in document else f"expected a list, got {json_kind(events)}"
        )
        raise ScenarioError(detail, field="events")
    policy, state = _state(document)
    return_state = document.get("return_state", False)
    if type(return_state) is not bool:
        raise ScenarioError(
            f"expected true or false, got {json_kind(return_state)}", field="return_state"
        )
    policy = _with_changes(policy, document.get("policy"), document.get("policy_changes"), state)
    if state is not None:  # the world continues under the extended timeline
        state = evolve(state, policy=policy)
    until = document.get("until")
    if until is not None:
        try:
            # Read in the policy zone, where the outcome writes it: an instant past the
            # year 9999 there (9999-12-31T23:00Z in Paris) is refused, not overflowed.
            until = policy.utc(parse_instant(until, policy.tz))
        except PolicyError as error:  # named "until" here, whatever the parts call it
            raise ScenarioError(error.detail, rule=error.rule, field="until") from None
    return Scenario(
        policy=policy, until=until, events=tuple(events), state=state, return_state=return_state
    )


def _with_changes(base: Policy, raw_base: object, raw: object, state: Parts | None) -> Policy:
    """``policy_changes`` (``policy.changes``): each entry's ``policy`` overrides the
    overrides before it, from its instant on; instants strictly increasing, one zone.
    With ``state`` they extend the snapshot's timeline, after its clock."""
    if raw is None:
        return base
    if not isinstance(raw, list):
        raise ScenarioError(
            f"expected a list, got {json_kind(raw)}",
            rule=RuleId.POLICY_CHANGES,
            field="policy_changes",
        )
    overrides: dict[Any, Any] = dict(raw_base) if isinstance(raw_base, Mapping) else {}
    changes: list[PolicyChange] = []
    if state is not None:  # the versions in force so far, then these
        changes = list(base.changes)
        overrides = policy_to_dict(changes[-1].policy if changes else base)
    for index, entry in enumerate(raw):
        where = f"policy_changes[{index}]"
        if not isinstance(entry, Mapping) or set(entry) != {"from", "policy"}:
            raise ScenarioError(
                'expected an object with exactly "from" and "policy", got '
                + (json_kind(entry) if not isinstance(entry, Mapping) else "other fields"),
                rule=RuleId.POLICY_CHANGES,
                field=where,
            )
        if not isinstance(entry["policy"], Mapping):
            raise ScenarioError(
                f"expected an object, got {json_kind(entry['policy'])}",
                rule=RuleId.POLICY_CHANGES,
                field=f"{where}.policy",
            )
        overrides = {**overrides, **entry["policy"]}
        try:
            policy = structure_policy(overrides)
        except PolicyError as error:
            raise ScenarioError(
                error.detail, rule=error.rule, field=joined(f"{where}.policy", error.field)
            ) from None
        if policy.calendar.timezone != base.calendar.timezone:
            raise ScenarioError(
                f"the time zone never changes: {policy.calendar.timezone} after "
                f"{base.calendar.timezone}",
                rule=RuleId.POLICY_CHANGES,
                field=f"{where}.policy.timezone",
            )
        try:
            at = base.utc(parse_instant(entry["from"], base.tz))
        except PolicyError as error:
            raise ScenarioError(error.detail, rule=error.rule, field=f"{where}.from") from None
        if state is not None and state.at is not None and at <= state.at:
            raise ScenarioError(
                f"a change given with state comes after the snapshot's clock, "
                f"{base.show(state.at)}; got {base.show(at)}",
                rule=RuleId.POLICY_CHANGES,
                field=f"{where}.from",
            )
        if changes and at <= changes[-1].at:
            raise ScenarioError(
                f"changes come in strictly increasing time order: {base.show(at)} is not "
                f"after {base.show(changes[-1].at)}",
                rule=RuleId.POLICY_CHANGES,
                field=f"{where}.from",
            )
        changes.append(PolicyChange(at, policy))
    return evolve(base, changes=tuple(changes))
