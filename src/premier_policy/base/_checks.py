"""attrs validators shared by the value objects: the same check, the same message.

Each factory returns a validator raising :class:`~premier_policy.PolicyError` that names
the attribute as its field, and the rule when one is given.

>>> from attrs import field, frozen
>>> @frozen
... class Box:
...     label: str = field(validator=text())
...     size: int = field(validator=whole(1))
>>> Box("a", 0)
Traceback (most recent call last):
...
premier_policy.PolicyError: size: expected a whole number of at least 1, got 0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from attrs import Attribute

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId

__all__ = ["Validator", "instance", "text", "tuple_of", "unwritable", "whole"]

Validator: TypeAlias = Callable[[Any, "Attribute[Any]", Any], None]


def unwritable(value: str) -> str | None:
    r"""Why ``value`` cannot be written as UTF-8 (a lone surrogate), or ``None``.

    Such a string cannot be written in a JSON document or a message, so it is refused
    where it comes in (``input.malformed``), never found half-way through an output.

    >>> unwritable("acme"), unwritable("caf\u00e9"), unwritable("a\ud800")
    (None, None, 'a lone surrogate at position 1 is not text')
    """
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return f"a lone surrogate at position {error.start} is not text"
    return None


def text(*, what: str = "string", rule: RuleId | None = None) -> Validator:
    """A non-empty ``str`` that UTF-8 can write; the message calls it a non-empty ``what``."""

    def check(_: object, attribute: Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or not value:
            raise PolicyError(
                f"expected a non-empty {what}, got {shown(value)}", rule=rule, field=attribute.name
            )
        why = unwritable(value)
        if why is not None:
            raise PolicyError(
                f"expected a {what}, got {shown(value)}: {why}",
                rule=rule or RuleId.INPUT_MALFORMED,
                field=attribute.name,
            )

    return check


def whole(
    minimum: int,
    *,
    unit: str | None = None,
    rule: RuleId | None = None,
    maximum: int | None = None,
) -> Validator:
    """An ``int`` of at least ``minimum``, and at most ``maximum`` when given (``bool``
    is refused: ``True`` is not a count); the message names the ``unit`` counted."""
    expected = "a whole number of" if unit is None else f"a whole number of {unit},"

    def check(_: object, attribute: Attribute[Any], value: object) -> None:
        if type(value) is not int or value < minimum:
            raise PolicyError(
                f"expected {expected} at least {minimum}, got {shown(value)}",
                rule=rule,
                field=attribute.name,
            )
        if maximum is not None and value > maximum:
            raise PolicyError(
                f"expected {expected} at most {maximum}, got {shown(value)}",
                rule=rule,
                field=attribute.name,
            )

    return check


def instance(kind: type) -> Validator:
    """An instance of ``kind``; the message names the type given instead.

    >>> from attrs import field, frozen
    >>> @frozen
    ... class Box:
    ...     inner: int = field(validator=instance(int))
    >>> Box("7")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: inner: expected int, got str
    """
    name = kind.__name__

    def check(_: object, attribute: Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise PolicyError(f"expected {name}, got {type(value).__name__}", field=attribute.name)

    return check


def tuple_of(kind: type, *, what: str) -> Validator:
    """A ``tuple`` (not a list: a value object holds nothing that can change) whose items
    are all instances of ``kind``; the message calls them ``what`` and echoes the value.

    >>> from attrs import field, frozen
    >>> @frozen
    ... class Box:
    ...     names: tuple[str, ...] = field(validator=tuple_of(str, what="names"))
    >>> Box(["a"])
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: names: expected a tuple of names, got ['a']
    """

    def check(_: object, attribute: Attribute[Any], value: object) -> None:
        if type(value) is not tuple or not all(isinstance(each, kind) for each in value):
            raise PolicyError(
                f"expected a tuple of {what}, got {shown(value)}", field=attribute.name
            )

    return check
