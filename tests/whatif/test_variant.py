"""Variants: a named scenario policy, read as replay reads it."""

from __future__ import annotations

import pytest

from premier_policy import Policy, PolicyError, policy_from_dict
from premier_policy.whatif import Variant


def test_a_variant_reads_its_policy_as_replay_does() -> None:
    """The overrides give the Policy of policy_from_dict; none is the service as sold."""
    overrides = {"response_target_minutes": 240, "timezone": "America/New_York"}
    assert Variant("4h", overrides).policy == policy_from_dict(overrides)
    assert Variant("as sold").policy == Policy()
    assert Variant("as sold") == Variant("as sold", {})


@pytest.mark.parametrize("name", ["", 7, None])
def test_a_nameless_variant_is_refused_in_words(name: object) -> None:
    """A variant's name is non-empty text; the refusal shows what was given."""
    with pytest.raises(PolicyError) as info:
        Variant(name)  # type: ignore[arg-type]
    assert str(info.value) == f"name: expected a non-empty name, got {name!r}"


@pytest.mark.parametrize(
    ("name", "overrides", "field"),
    [
        ("", {}, "name"),
        (7, {}, "name"),
        ("A", [], "policy"),
        ("A", {"timezone": "Mars/Base"}, "policy.timezone"),
        ("A", {"cuont": 3}, "policy" + ".cuont"),  # a field path, not a rule ID
    ],
)
def test_a_bad_variant_names_the_field(name: object, overrides: object, field: str) -> None:
    """A nameless variant or an invalid policy is a PolicyError naming the field."""
    with pytest.raises(PolicyError) as info:
        Variant(name, overrides)  # type: ignore[arg-type]
    assert info.value.field == field
