"""Copies of frozen values for the library's own transitions, without re-checking them.

A value object checks its fields in its constructor, and ``attrs.evolve`` runs that
constructor again: right for values built from outside, wasted on the transitions the
library makes itself (a lifecycle step, a credit taken), whose new fields are correct
by construction. Those take :func:`replaced`, which copies the fields as they are;
callers and tests still build values through the checked constructor. :func:`maker`
makes a new value alike, from fields the library has just computed.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["maker", "replaced"]

T = TypeVar("T")
_KEEP: Any = object()  # "not given": keep the field as it is


def _written(cls: Any, name: str, parameters: str, value_of: Callable[[str], str]) -> Any:
    """A function ``name(parameters)`` making a new ``cls`` value, each field set to the
    expression ``value_of(field)``: written out per class, one line per field, as attrs
    writes ``__init__`` (this runs on every event)."""
    scope: dict[str, Any] = {"KEEP_": _KEEP, "new_object_": object.__new__, "cls_": cls}
    setters = []
    for n, field in enumerate(each.name for each in attrs.fields(cls)):
        # A slot's own descriptor sets it in one C call; object.__setattr__ looks it up.
        slot = next((kind.__dict__[field] for kind in cls.__mro__ if field in kind.__dict__), None)
        if isinstance(slot, types.MemberDescriptorType):
            scope[f"set{n}_"] = slot.__set__
            setters.append(f"    set{n}_(new_, {value_of(field)})")
        else:
            scope["set_"] = object.__setattr__
            setters.append(f"    set_(new_, {field!r}, {value_of(field)})")
    # Locals end in "_", which no attrs field of this library does.
    lines = [
        f"def {name}({parameters}):",
        "    new_ = new_object_(cls_)",
        *setters,
        "    return new_",
    ]
    # The code is written above from the class's attrs field names, nothing else.
    exec("\n".join(lines), scope)
    return scope[name]


@functools.cache
def _copier(cls: Any) -> Any:
    """A function copying a ``cls`` value with keyword changes."""
    names = ", ".join(f"{each.name}=KEEP_" for each in attrs.fields(cls))
    return _written(
        cls, "copy", f"value_, *, {names}", lambda f: f"value_.{f} if {f} is KEEP_ else {f}"
    )


@functools.cache
def _maker(cls: Any) -> Any:
    """A function making a ``cls`` value from every one of its fields (in field order, or
    by keyword)."""
    names = ", ".join(each.name for each in attrs.fields(cls))
    return _written(cls, "make", names, lambda f: f)


def maker(cls: type[T]) -> Callable[..., T]:
    """A function making a new frozen attrs ``cls`` value from every one of its
    fields (in field order, or by keyword), without its converters, validators or
    post-init checks: only for fields the caller has just computed by the rules, valid
    by construction.

    >>> from attrs import field, frozen
    >>> @frozen
    ... class Box:
    ...     size: int = field(validator=lambda _, __, value: value > 0 or 1 / 0)
    ...     colour: str = "red"
    >>> make_box = maker(Box)
    >>> make_box(size=3, colour="blue")
    Box(size=3, colour='blue')
    >>> make_box(3, "blue") == make_box(size=3, colour="blue")
    True
    >>> make_box(size=3)
    Traceback (most recent call last):
    ...
    TypeError: make() missing 1 required positional argument: 'colour'
    """
    kind: Any = cls
    make: Callable[..., T] = _maker(kind)
    return make


def replaced(value: T, **changes: Any) -> T:
    """A copy of the frozen attrs ``value`` with ``changes`` (keyword per attribute),
    made without running its converters, validators or post-init checks: only for new
    fields the caller knows to be valid. Fields outside ``__init__`` are copied too.

    >>> from attrs import field, frozen
    >>> @frozen
    ... class Box:
    ...     size: int = field(validator=lambda _, __, value: value > 0 or 1 / 0)
    >>> replaced(Box(2), size=3)
    Box(size=3)
    >>> replaced(Box(2), colour="red")
    Traceback (most recent call last):
    ...
    TypeError: copy() got an unexpected keyword argument 'colour'
    """
    kind: Any = type(value)
    copied: T = _copier(kind)(value, **changes)
    return copied
