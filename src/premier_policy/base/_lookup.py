"""Looking a rule up by its ID, for callers holding a string.

Apart from the registry because the refusal of an unknown ID is a
:class:`~premier_policy.PolicyError`, and the error type itself names rules.
"""

from __future__ import annotations

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RULES, Rule, RuleId

__all__ = ["rule"]


def rule(rule_id: RuleId | str) -> Rule:
    """Look a rule up by ID.

    >>> rule("hours.schedule").title
    'Business hours'
    >>> rule(RuleId.CREDITS_NO_REFUNDS).group
    'credits'
    >>> rule("no.such")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: rule_id: unknown rule ID 'no.such'
    """
    try:
        return RULES[RuleId(rule_id)]
    except ValueError:
        raise PolicyError(f"unknown rule ID {shown(rule_id)}", field="rule_id") from None
