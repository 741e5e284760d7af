"""The JSON Schemas shipped in the package: valid, in step with the code, and true.

"True" means: what the scenario schema accepts, the engine reads as well-formed, and
what it rejects, the engine refuses as malformed; every outcome matches the outcome
schema.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import attrs
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import AREAS, INVALID_REASONS, Notification, RuleId, replay
from premier_policy.base._notifications import Audience, NotificationKind
from premier_policy.incidents._states import STATES
from premier_policy.strategies import scenarios
from premier_policy.strategies._scenarios import _scenario_pairs as scenario_pairs
from premier_policy.wire._events import EVENT_TYPES
from premier_policy.wire._outcome import (
    CustomerOut,
    IncidentOut,
    LotOut,
    Outcome,
    ResultOut,
    TargetOut,
)
from premier_policy.wire._policy import _Overrides

ROOT = Path(__file__).resolve().parents[2]


@cache
def schema(name: str) -> dict[str, Any]:
    """A schema as shipped: package data, read the way an installed package reads it."""
    text = resources.files("premier_policy").joinpath(f"schemas/{name}.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name))


def event_validator() -> jsonschema.Draft202012Validator:
    scenario = schema("scenario")
    return jsonschema.Draft202012Validator(
        {"$schema": scenario["$schema"], "$defs": scenario["$defs"], "$ref": "#/$defs/event"}
    )


@pytest.mark.parametrize("name", ["scenario", "outcome"])
def test_schemas_are_valid_draft_2020_12(name: str) -> None:
    """Each schema is itself a valid Draft 2020-12 schema."""
    assert schema(name)["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema(name))


def names(cls: type) -> set[str]:
    return {field.name for field in attrs.fields(cls)}


def test_the_scenario_schema_follows_the_events_and_the_policy() -> None:
    """One schema per event type, with the event class's fields; the policy's fields."""
    defs = schema("scenario")["$defs"]
    variants = [ref["$ref"].split("/")[-1] for ref in defs["event"]["oneOf"]]
    assert variants == list(EVENT_TYPES)
    for kind, cls in EVENT_TYPES.items():
        props = set(defs[kind]["properties"]) - {"type"}
        assert props == names(cls), kind
        required = {f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING}
        assert set(defs[kind]["required"]) == required | {"type"}, kind
    assert defs["invalidate"]["properties"]["reason"]["enum"] == list(INVALID_REASONS)
    assert set(defs["policy"]["properties"]) == names(_Overrides)


def test_the_outcome_schema_follows_the_outcome_classes() -> None:
    """Every object of the outcome has exactly the fields of its *Out class."""
    out = schema("outcome")
    defs = out["$defs"]
    # state is there only when the scenario asks for it (return_state).
    assert set(out["properties"]) - {"state"} == set(out["required"]) == names(Outcome)
    assert set(defs["customer"]["properties"]) == names(CustomerOut)
    assert set(defs["lot"]["properties"]) == set(defs["lot"]["required"]) == names(LotOut)
    assert set(defs["target"]["properties"]) == names(TargetOut)
    assert set(defs["incident"]["properties"]) == names(IncidentOut)
    # On the wire a notification carries its id, which holds its seq.
    assert set(defs["notification"]["properties"]) == names(Notification) - {"seq"} | {"id"}
    refused = defs["result"]["oneOf"][1]["properties"]
    assert set(refused) == names(ResultOut)
    assert set(refused["rule"]["enum"]) == {rule.value for rule in RuleId}
    notification = defs["notification"]["properties"]
    assert notification["kind"]["enum"] == list(get_args(NotificationKind))
    assert notification["to"]["enum"] == list(get_args(Audience))
    assert defs["incident"]["properties"]["state"]["enum"] == list(STATES)
    assert defs["incident"]["properties"]["area"]["enum"] == list(AREAS)


def examples() -> list[Path]:
    return sorted((ROOT / "examples").glob("*.json"))


@pytest.mark.parametrize("path", examples(), ids=lambda p: p.name)
def test_examples_are_valid_scenarios(path: Path) -> None:
    """Every example under examples/ is a valid scenario."""
    validator("scenario").validate(json.loads(path.read_text(encoding="utf-8")))


def test_the_demo_is_valid_but_for_its_malformed_event() -> None:
    """The bundled demo breaks the schema exactly where it shows a malformed event."""
    demo = json.loads(
        resources.files("premier_policy").joinpath("examples/demo.json").read_text("utf-8")
    )
    errors = list(validator("scenario").iter_errors(demo))
    assert [list(error.path) for error in errors] == [["events", 14]]
    assert replay(demo)["results"][14]["rule"] == RuleId.INPUT_MALFORMED.value


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests" / "golden").glob("*.json")), ids=lambda p: p.name
)
def test_golden_outcomes_are_valid_outcomes(path: Path) -> None:
    """Every pinned outcome matches the outcome schema."""
    validator("outcome").validate(json.loads(path.read_text(encoding="utf-8")))


@settings(max_examples=40)
@given(scenarios(valid="valid", max_size=15))
def test_generated_scenarios_and_their_outcomes_match_the_schemas(doc: dict[str, Any]) -> None:
    """What a host sends validates; what replay returns validates."""
    validator("scenario").validate(doc)
    validator("outcome").validate(replay(doc))


MALFORMED = {RuleId.INPUT_MALFORMED.value, RuleId.INPUT_AWARE_ONLY.value}


@settings(max_examples=60)
@given(scenario_pairs(valid="broken", max_size=6), st.data())
def test_the_schema_rejects_exactly_the_malformed_events(pair: Any, data: st.DataObject) -> None:
    """An event fails the event schema exactly when replay refuses it as malformed; the one
    exception is a product the catalog lacks, which only the policy can judge."""
    results = replay(pair.broken)["results"]
    check = event_validator()
    for event, result in zip(pair.broken["events"], results, strict=True):
        refused_as_malformed = result.get("rule") in MALFORMED
        unknown_product = refused_as_malformed and result["message"].startswith(
            "malformed event: product:"
        )
        if not unknown_product:
            assert check.is_valid(event) != refused_as_malformed, (event, result)


def test_a_state_under_a_policy_timeline_matches_both_schemas() -> None:
    """A snapshot of a world under dated changes and holidays, its pinned versions
    included, is a valid outcome's state and a valid scenario's state."""
    events = [
        {"at": "2026-11-23T09:00:00+01:00", "type": "purchase", "customer": "acme",
         "id": "p1", "product": "single"},
        {"at": "2026-11-23T12:00:00+01:00", "type": "open", "customer": "acme", "id": "i1",
         "area": "setup"},
    ]  # fmt: skip
    doc = {
        "policy": {"holidays": {"country": "DE", "subdivision": "BY"}},
        "policy_changes": [
            {"from": "2026-11-23T10:00:00+01:00", "policy": {"response_target_minutes": 240}}
        ],
        "events": events,
        "return_state": True,
    }
    outcome = replay(doc)
    assert outcome["state"]["incidents"][0]["policy_version"] == 1
    assert outcome["state"]["policy_changes"][0]["policy"]["response_target_minutes"] == 240
    validator("outcome").validate(outcome)
    validator("scenario").validate({"state": outcome["state"], "events": []})
