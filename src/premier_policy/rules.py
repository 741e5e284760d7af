"""Every rule of the Premier Support specification, by stable ID.

>>> from premier_policy.rules import RULES, RuleId
>>> RULES[RuleId.RESPONSE_TARGET].id
<RuleId.RESPONSE_TARGET: 'response.target'>
>>> len(RULES)
38
"""

from premier_policy.base._lookup import rule
from premier_policy.base._rules import RULES, Rule, RuleGroup, RuleId

__all__ = ["RULES", "Rule", "RuleGroup", "RuleId", "rule"]
