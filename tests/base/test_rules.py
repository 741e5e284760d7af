"""The rule registry matches the specification and is complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from premier_policy import PolicyError
from premier_policy.base._rules import _table
from premier_policy.rules import RULES, RuleId, rule

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs" / "spec"


def spec_ids(name: str) -> set[str]:
    text = (SPEC / name).read_text(encoding="utf-8")
    table_ids = set(re.findall(r"^\| `([a-z]+\.[a-z-]+)` \|", text, flags=re.MULTILINE))
    # Refusal IDs named inside a rule's text, e.g. `time.extension-not-needed`.
    named = set(re.findall(r"refused as `([a-z]+\.[a-z-]+)`", text))
    return table_ids | named


def test_registry_holds_every_rule_of_the_specification() -> None:
    """Every ID of RULES.md is in the registry; the registry holds no ID that neither
    RULES.md nor RULES-NEXT.md has."""
    registry = {r.value for r in RuleId}
    current, upcoming = spec_ids("RULES.md"), spec_ids("RULES-NEXT.md")
    assert len(current) > 30
    assert (sorted(current - registry), sorted(registry - current - upcoming)) == ([], [])


def test_every_rule_has_a_row() -> None:
    """The registry has one row per RuleId, keyed by its own ID, with a summary."""
    assert set(RULES) == set(RuleId)
    for rid, row in RULES.items():
        assert row.id is rid
        assert row.title
        assert row.summary.endswith(".")
        assert rid.value.split(".")[0] in {"input", "hours", "credits", "scope", "lifecycle",
                                           "response", "time", "state", "policy"}  # fmt: skip


def test_lookup_by_string_and_unknown_id() -> None:
    """rule() accepts an ID string and refuses an unknown one."""
    assert rule("input.malformed").id is RuleId.INPUT_MALFORMED
    with pytest.raises(ValueError, match=r"no\.such"):
        rule("no.such-rule")


def test_registry_is_read_only() -> None:
    """Nobody can add a rule at run time."""
    with pytest.raises(TypeError):
        RULES[RuleId.INPUT_MALFORMED] = RULES[RuleId.INPUT_TIMERS]  # type: ignore[index]


def test_table_checks_itself_when_defined() -> None:
    """A table missing a rule fails at definition, naming the missing ID."""
    with pytest.raises(AssertionError, match=r"input\.timers"):
        _table(*[(r.id, r.group, r.title, r.summary) for r in RULES.values()
                 if r.id is not RuleId.INPUT_TIMERS])  # fmt: skip


def test_table_built_now_files_each_row_under_its_id_read_only() -> None:
    """_table, called at test time (not only at import), keeps each row's own group,
    title and summary under its ID, in a mapping nobody can change."""
    rows = [(r.id, r.group, f"title {i}", f"summary {i}.") for i, r in enumerate(RULES.values())]
    table = _table(*rows)
    assert [(r.id, r.group, r.title, r.summary) for r in table.values()] == rows
    assert all(rid is row.id for rid, row in table.items())
    with pytest.raises(TypeError):
        table[RuleId.INPUT_TIMERS] = table[RuleId.INPUT_MALFORMED]  # type: ignore[index]


def test_table_refuses_a_repeated_row_though_no_id_is_missing() -> None:
    """One row per ID, no more: a row given twice fails at definition."""
    rows = [(r.id, r.group, r.title, r.summary) for r in RULES.values()]
    with pytest.raises(AssertionError, match=r"out of step with RuleId: \[\]$"):
        _table(*rows, rows[0])


@pytest.mark.parametrize("rule_id", ["nope", "", 7])
def test_unknown_rule_id_is_a_policy_error_naming_the_rule_id_field(rule_id: object) -> None:
    """An unknown rule ID is a PolicyError (still a ValueError) naming ``rule_id``."""
    with pytest.raises(PolicyError) as info:
        rule(rule_id)  # type: ignore[arg-type]
    assert info.value.field == "rule_id"
