"""The one JSON encoding of the shell: what ``premier-policy replay`` prints and what the
HTTP service answers, read and written by the same two functions.

Reading refuses what is not JSON (``NaN`` and ``Infinity`` included, and nesting too deep
for the decoder) with a :class:`ValueError` that says why; writing is the canonical form,
indented, UTF-8 characters kept, one final newline, and never a float JSON lacks.
"""

from __future__ import annotations

import json
from typing import Any, NoReturn

__all__ = ["decode", "encode"]


def _reject_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


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


def encode(data: Any) -> str:
    """``data`` as the canonical JSON text of the shell's answers.

    >>> print(encode({"balance": 2, "customer": "café"}), end="")
    {
      "balance": 2,
      "customer": "café"
    }
    """
    return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
