"""A refusal: the value every business rule returns instead of acting."""

from __future__ import annotations

from attrs import frozen

from premier_policy.base._rules import RuleId

__all__ = ["Refusal"]


@frozen
class Refusal:
    """An event the policy refuses: the rule that refuses it and a sentence for the customer.

    A refusal never changes state; whoever got one still holds the value they had.

    >>> r = Refusal(RuleId.CREDITS_NO_REFUNDS, "credits are never refunded")
    >>> r.rule.value, r.message
    ('credits.no-refunds', 'credits are never refunded')
    """

    rule: RuleId
    message: str
