"""How an error message echoes a value it refuses: a bounded prefix, never the whole.

A refused value may be anything a caller sends: a string of ten megabytes, an integer
of a million digits, a list nested a hundred thousand deep. Echoing it whole would make
the message as large as the input, or fail while it is built (``repr`` recurses, and
Python refuses to write an integer of more than 4,300 digits). :func:`shown` writes at
most :data:`ECHO_LIMIT` characters of it and at most :data:`ECHO_LEVELS` levels of
nesting, and never raises. What it writes is printable text, escaped where need be: no
line break, and no lone surrogate (which UTF-8 cannot write).

>>> shown("08:00"), shown(7)
("'08:00'", '7')
>>> shown("x" * 10_000_000)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (10000000 characters)"
>>> deep: list[object] = []
>>> for _ in range(100_000):
...     deep = [deep]
>>> shown(deep)
'[[[[...]]]]'
>>> shown(10**5000)
'an integer of 5001 digits'

A key or field name from input goes into a message or a field path through
:func:`named`: itself when it is short printable text, else its bounded echo. So every
message and field can be written as UTF-8, on one line.

>>> named("cuont"), named("x\\ud800"), named(""), named(1)
('cuont', "'x\\\\ud800'", "''", '1')
"""

from __future__ import annotations

import reprlib
from typing import Final

__all__ = ["ECHO_LEVELS", "ECHO_LIMIT", "named", "shown"]

#: The most characters of a refused value a message echoes.
ECHO_LIMIT: Final = 80
#: The most levels of nesting of a refused value a message echoes.
ECHO_LEVELS: Final = 3
_DIGITS: Final = 40


class _Echo(reprlib.Repr):
    def __init__(self) -> None:
        super().__init__()
        self.maxlevel = ECHO_LEVELS
        self.maxstring = ECHO_LIMIT - 30
        self.maxother = ECHO_LIMIT
        self.maxlist = self.maxtuple = self.maxdict = self.maxset = 4
        self.maxfrozenset = self.maxdeque = self.maxarray = 4

    def repr_str(self, x: str, level: int) -> str:
        if len(x) <= self.maxstring:
            return repr(x)
        return f"{repr(x[: self.maxstring - 3])[:-1]}...' ({len(x)} characters)"

    def repr_int(self, x: int, level: int) -> str:
        n = abs(x)
        if n < 10**_DIGITS:
            return repr(x)
        # More digits than shown, perhaps more than str() will write: counted instead.
        digits = int(n.bit_length() * 0.30102999566398114)  # log10(2): one short at most
        return f"an integer of {digits + (n >= 10**digits)} digits"


_ECHO: Final = _Echo()


def shown(value: object) -> str:
    """``value`` as an error message echoes it: a ``repr`` cut to a bounded size."""
    # reprlib names an instance whose own repr fails instead of raising.
    text = _ECHO.repr(value)
    if not text.isprintable():  # a caller's own repr: a line break, a lone surrogate...
        text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= 2 * ECHO_LIMIT else f"{text[: 2 * ECHO_LIMIT - 3]}..."


def named(key: object) -> str:
    """``key``, a key or field name from input, as a message or a field path names it:
    itself when it is short printable text (no lone surrogate, no control character,
    no line break), else its :func:`shown` echo."""
    if type(key) is str and 0 < len(key) <= ECHO_LIMIT and key.isprintable():
        return key
    return shown(key)
