"""The top level of a scenario document: policy, ``until`` and the raw events."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import pendulum
from attrs import frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import parse_instant
from premier_policy.terms._policy import Policy
from premier_policy.wire._converter import ScenarioError, joined, json_kind
from premier_policy.wire._policy import structure_policy

__all__ = ["Scenario", "read_scenario"]

_SCENARIO_KEYS: Final = ("$schema", "description", "policy", "until", "events")


@frozen(kw_only=True)
class Scenario:
    """A scenario document, read: the policy, ``until`` (UTC) and the raw events, each
    structured on its own when replayed so that one bad event refuses only itself."""

    policy: Policy
    until: pendulum.DateTime | None
    events: tuple[object, ...]


def read_scenario(document: object) -> Scenario:
    """Read the top level of a scenario document; anything wrong there is a
    :class:`ScenarioError` naming the field.

    >>> read_scenario({"events": []}).until is None
    True
    >>> read_scenario({"event": []})
    Traceback (most recent call last):
    ...
    premier_policy.ScenarioError: event: unknown field; a scenario has $schema, description, policy, until, events
    """
    if not isinstance(document, Mapping):
        raise ScenarioError(
            f"a scenario is an object with an events list, got {json_kind(document)}",
            field="scenario",
        )
    for key in document:
        if key not in _SCENARIO_KEYS:
            raise ScenarioError(
                f"unknown field; a scenario has {', '.join(_SCENARIO_KEYS)}",
                # An empty or non-string key still needs a visible name.
                field=key if isinstance(key, str) and key else shown(key),
            )
    events = document.get("events")
    if not isinstance(events, list):
        detail = (
            "missing" if "events" not in document else f"expected a list, got {json_kind(events)}"
        )
        raise ScenarioError(detail, field="events")
    try:
        policy = structure_policy(document.get("policy"))
    except PolicyError as error:
        raise ScenarioError(
            error.detail, rule=error.rule, field=joined("policy", error.field)
        ) from None
    until = document.get("until")
    if until is not None:
        try:
            # Read in the policy zone, where the outcome writes it: an instant past the
            # year 9999 there (9999-12-31T23:00Z in Paris) is refused, not overflowed.
            until = policy.utc(parse_instant(until, policy.tz))
        except PolicyError as error:  # named "until" here, whatever the parts call it
            raise ScenarioError(error.detail, rule=error.rule, field="until") from None
    return Scenario(policy=policy, until=until, events=tuple(events))
