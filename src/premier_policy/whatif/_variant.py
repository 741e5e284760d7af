"""A variant: one policy to replay a whole history under, as a named scenario ``policy``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import Attribute, Factory, field, frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.terms._policy import Policy
from premier_policy.wire._policy import policy_from_dict

__all__ = ["Variant"]


def _name(_: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value:
        raise PolicyError(f"expected a non-empty name, got {shown(value)}", field=attribute.name)


@frozen
class Variant:
    """A named policy: ``overrides`` is a scenario's ``policy`` object (the same fields,
    read by the same converter as :func:`~premier_policy.replay`), so a policy kept as a
    JSON file is the variant; an invalid one is a :class:`~premier_policy.PolicyError`
    naming the field. ``policy`` is what it reads as.

    >>> Variant("4h", {"response_target_minutes": 240}).policy.response_target_minutes
    240
    >>> Variant("bad", {"reopen_days": 0})
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: policy.reopen_days: expected a whole number of at least 1, got 0
    """

    name: str = field(validator=_name)
    overrides: Mapping[str, Any] = field(factory=dict)
    policy: Policy = field(
        init=False,
        default=Factory(lambda self: policy_from_dict(self.overrides), takes_self=True),
        repr=False,
    )
