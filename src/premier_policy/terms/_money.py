"""Money: an exact decimal amount with its currency, two places, never a float.

An amount is a ``Decimal``, an ``int`` or a plain decimal string (``"75"``, ``"75.00"``,
``"-3.5"``); floats, ``NaN``, infinities, exponents and more than two significant decimal
places are refused rather than rounded, because a price that silently changes is a bug
nobody sees (rule ``credits.catalog``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Context, Decimal, Inexact, InvalidOperation
from typing import Any, TypeAlias

from attrs import Attribute, field, frozen

from premier_policy.base._echo import ECHO_LIMIT, shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId

__all__ = ["Amount", "Money"]

#: What ``Money`` accepts as an amount; ``float`` is deliberately absent.
Amount: TypeAlias = Decimal | int | str

_CENT = Decimal("0.01")
_PLAIN = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_CURRENCY = re.compile(r"[A-Z]{3}")
# Every operation runs in this context: a result that would need rounding raises
# instead. 60 digits hold any realistic total many times over.
_EXACT = Context(prec=60, traps=[Inexact, InvalidOperation])


def _error(detail: str, name: str) -> PolicyError:
    return PolicyError(detail, rule=RuleId.CREDITS_CATALOG, field=name)


def _written(value: Decimal) -> str:
    """``value`` as a message writes it: whole when short, else its first digits and
    its length (a refused amount may be a megabyte of digits)."""
    text = str(value)
    if len(text) <= ECHO_LIMIT:
        return text
    return f"{text[: ECHO_LIMIT - 30]}... ({len(text)} characters)"


def _exact(value: Decimal) -> Decimal:
    """``value`` with exactly two places; refuses it if that would change its value."""
    if not value.is_finite():
        raise _error(f"expected a finite amount, got {value}", "amount")
    try:
        exact = value.quantize(_CENT, context=_EXACT)
    except Inexact:
        raise _error(f"more than two decimal places in {_written(value)}", "amount") from None
    except InvalidOperation:
        raise _error(f"{_written(value)} has too many digits to hold exactly", "amount") from None
    # Negative zero would print as "-0.00".
    return exact.copy_abs() if exact.is_zero() else exact


def _calc(op: Callable[[Decimal, Decimal], Decimal], a: Decimal, b: Decimal) -> Decimal:
    try:
        return op(a, b)
    except (Inexact, InvalidOperation):
        raise _error(f"the result of {a} and {b} has too many digits", "amount") from None


def _amount(value: Amount) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        # bool is an int subclass, and True dollars is a bug, not an amount.
        raise _error(
            f"expected a Decimal, an int or a decimal string, got {type(value).__name__}",
            "amount",
        )
    if isinstance(value, str):
        if not _PLAIN.fullmatch(value):
            raise _error(f"expected a plain decimal like '75.00', got {shown(value)}", "amount")
        return _exact(Decimal(value))
    if isinstance(value, int):
        return _exact(Decimal(value))
    return _exact(value)


def _currency(_: object, __: Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise _error(
            f"expected a 3-letter uppercase code like 'USD', got {shown(value)}", "currency"
        )


@frozen
class Money:
    """An exact amount of one currency.

    >>> price = Money("75", "USD")
    >>> str(price * 3), price.amount_text
    ('225.00 USD', '75.00')
    >>> Money("225.00", "USD") - price * 2 == Money(75, "USD")
    True
    >>> price + Money("10.00", "EUR")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: credits.catalog: currency: cannot add 75.00 USD and 10.00 EUR
    >>> Money(74.99, "USD")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: credits.catalog: amount: expected a Decimal, an int or a decimal string, got float
    """

    amount: Decimal = field(converter=_amount)
    currency: str = field(validator=_currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        """No money in ``currency``: the start of a sum."""
        return cls(0, currency)

    @property
    def amount_text(self) -> str:
        """The amount as the wire writes it: always two places, no currency."""
        return f"{self.amount:f}"

    def __str__(self) -> str:
        return f"{self.amount_text} {self.currency}"

    def _same(self, other: object, verb: str) -> Money:
        if not isinstance(other, Money):
            raise PolicyError(
                f"cannot {verb} {self} and {type(other).__name__}", rule=RuleId.CREDITS_CATALOG
            )
        if other.currency != self.currency:
            raise _error(f"cannot {verb} {self} and {other}", "currency")
        return other

    def __add__(self, other: Money) -> Money:
        added = self._same(other, "add").amount
        return Money(_calc(_EXACT.add, self.amount, added), self.currency)

    def __sub__(self, other: Money) -> Money:
        taken = self._same(other, "subtract").amount
        return Money(_calc(_EXACT.subtract, self.amount, taken), self.currency)

    def __mul__(self, times: int) -> Money:
        if isinstance(times, bool) or not isinstance(times, int):
            raise PolicyError(
                f"money is multiplied by a whole number, not {type(times).__name__}",
                rule=RuleId.CREDITS_CATALOG,
            )
        return Money(_calc(_EXACT.multiply, self.amount, Decimal(times)), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount
