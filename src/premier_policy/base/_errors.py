"""The library's one exception type, for misuse and invalid configuration.

Business outcomes are never exceptions: a refused event is a :class:`~premier_policy.Refusal`
value. :class:`PolicyError` is for what a programmer must fix: a naive datetime, a
wrong type, a malformed event, an invalid policy.
"""

from __future__ import annotations

from premier_policy.base._rules import RuleId

__all__ = ["PolicyError"]


class PolicyError(ValueError):
    """Bad input to the library; names the rule it breaks and/or the field at fault.

    >>> err = PolicyError("naive datetime", rule=RuleId.INPUT_AWARE_ONLY, field="at")
    >>> str(err)
    'input.aware-only: at: naive datetime'
    >>> err.rule, err.field
    (<RuleId.INPUT_AWARE_ONLY: 'input.aware-only'>, 'at')
    """

    rule: RuleId | None
    field: str | None
    detail: str

    def __init__(
        self, detail: str, *, rule: RuleId | None = None, field: str | None = None
    ) -> None:
        self.rule = rule
        self.field = field
        self.detail = detail
        prefix = "".join(f"{part}: " for part in (rule, field) if part is not None)
        super().__init__(f"{prefix}{detail}")


# Tracebacks and reprs name the class where users import it, not the private module
# that defines it: the path stays stable however the house is arranged.
PolicyError.__module__ = "premier_policy"
