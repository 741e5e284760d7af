"""The one JSON encoding of the shell: what ``premier-policy replay`` prints and what the
HTTP service answers, read and written by the same functions.

Reading refuses what is not JSON (``NaN`` and ``Infinity`` included, and nesting too deep
for the decoder) with a :class:`ValueError` that says why. Writing is the canonical form:
compact separators (``","`` and ``":"``, no spaces), keys in the order the document holds
them (the order the scenario format lists them), UTF-8 characters kept as they are (no
``\\u`` escapes), one final newline, and never a float JSON lacks. ``indent`` lays the same
document out for a reader; only the compact text is canonical.

An outcome, the one large document, is written by :func:`encode_outcome`: the same text,
by `orjson <https://github.com/ijl/orjson>`_ when it is installed (the ``fast`` extra),
by the standard library otherwise. An outcome holds no float (its schema says
``integer`` for every number), the one value the two writers spell differently.
"""

from __future__ import annotations

import json
from typing import Any, Literal, NoReturn

from premier_policy.base._canonical import canonical, fast_writer

__all__ = ["decode", "encode", "encode_outcome", "writer"]


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def writer() -> Literal["orjson", "json"]:
    """Which writer :func:`encode_outcome` uses here: orjson when installed, else the
    standard library's ``json``."""
    return "json" if fast_writer() is None else "orjson"


def decode(text: str) -> Any:
    """The JSON document ``text``; a :class:`ValueError` when it is not JSON.

    >>> decode('{"events": []}')
    {'events': []}
    >>> decode("[NaN]")
    Traceback (most recent call last):
    ...
    ValueError: NaN is not JSON
    """
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise ValueError("nested too deeply to read") from None


def encode(data: Any, *, indent: int | None = None) -> str:
    """``data`` as the canonical JSON text of the shell's answers; ``indent`` spaces a
    level lay it out for a reader instead.

    >>> print(encode({"balance": 2, "customer": "café", "lots": [1, 2]}), end="")
    {"balance":2,"customer":"café","lots":[1,2]}
    >>> print(encode({"balance": 2, "lots": [1]}, indent=2), end="")
    {
      "balance": 2,
      "lots": [
        1
      ]
    }
    """
    if indent is not None:
        return json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False) + "\n"
    return canonical(data, fast=False) + "\n"


def encode_outcome(data: Any, *, by: Literal["fast", "json"] = "fast") -> str:
    """An outcome (a document whose numbers are integers) as the canonical text of
    :func:`encode`, the same text whoever writes it: ``"fast"``, orjson when it is
    installed; ``"json"``, the standard library.

    >>> encode_outcome({"as_of": None, "customer": "café"}, by="json")
    '{"as_of":null,"customer":"café"}\\n'
    """
    return canonical(data, fast=by == "fast") + "\n"
