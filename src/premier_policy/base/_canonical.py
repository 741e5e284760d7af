"""The canonical JSON text, written fast when it can be.

One text: compact separators (``","`` and ``":"``), UTF-8 characters as they are (no
``\\u`` escapes), no ``NaN``, keys in the document's order or sorted. The standard
library's ``json`` defines it; `orjson <https://github.com/ijl/orjson>`_, when installed
(the ``fast`` extra), writes the same bytes five times faster for every document it
accepts **that holds no float** (the two spell some floats differently: ``1e+16`` and
``1e16``). orjson refuses integers past 64 bits, keys that are not strings and lone
surrogates; :func:`canonical` then asks the standard library, so the text never depends
on what is installed. Callers pass only documents they know hold no float: an outcome
(its schema has no float) and a snapshot being written.

orjson is imported on first use, so that nothing which writes no document pays for it.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any, Final

__all__ = ["canonical", "canonical_utf8", "fast_writer"]

_COMPACT: Final = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)
_SORTED: Final = json.JSONEncoder(
    separators=(",", ":"), ensure_ascii=False, allow_nan=False, sort_keys=True
)


@functools.cache
def fast_writer() -> Callable[[Any, bool], bytes] | None:
    """orjson's writer of the canonical text (``(data, sort_keys)`` to UTF-8 bytes), or
    None when orjson is not installed."""
    try:
        import orjson
    except ImportError:
        return None
    dumps = orjson.dumps
    # Only what the standard library writes too: a datetime or a dataclass is its error.
    plain = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
    ordered = plain | orjson.OPT_SORT_KEYS

    def write(data: Any, sort_keys: bool) -> bytes:
        return dumps(data, option=ordered if sort_keys else plain)

    return write


def _written(data: Any, sort_keys: bool, fast: bool) -> bytes | str:
    """orjson's bytes when ``fast`` and orjson writes ``data``, else the standard
    library's text."""
    write = fast_writer() if fast else None
    if write is not None:
        try:
            return write(data, sort_keys)
        except TypeError:  # orjson's refusals are TypeErrors; the standard library decides
            pass
    return (_SORTED if sort_keys else _COMPACT).encode(data)


def canonical(data: Any, *, sort_keys: bool = False, fast: bool = True) -> str:
    """``data``, a JSON document holding no float, as the canonical text; ``fast``:
    orjson writes it when installed. Not JSON data raises as ``json.dumps`` does.

    >>> canonical({"b": 1, "a": ["café", None]}, sort_keys=True)
    '{"a":["café",null],"b":1}'
    >>> canonical({"n": 2**64}) == canonical({"n": 2**64}, fast=False)
    True
    """
    written = _written(data, sort_keys, fast)
    return written if isinstance(written, str) else written.decode("utf-8")


def canonical_utf8(data: Any, *, sort_keys: bool = False, fast: bool = True) -> bytes:
    """:func:`canonical` in UTF-8, a lone surrogate written as its three bytes
    (``surrogatepass``): what a digest hashes, so that no text goes without one.

    >>> canonical_utf8(["\\ud800", "é"], fast=False)
    b'["\\xed\\xa0\\x80","\\xc3\\xa9"]'
    """
    written = _written(data, sort_keys, fast)
    return written if isinstance(written, bytes) else written.encode("utf-8", "surrogatepass")
