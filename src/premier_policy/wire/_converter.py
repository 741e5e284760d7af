"""The one converter of the wire and what it does with cattrs's errors.

One converter structures events and policy overrides and unstructures the outcome; no
class has a hand-written ``to_dict``. Three decisions shape it:

- Types are judged by the value objects' own validators, which name the rule and the
  field: cattrs's default coercions (``str(7) == "7"``, ``int(1.5) == 1``) would turn
  malformed input into wrong input, so strings, ints and literals pass through as given.
- Unknown fields are malformed, not ignored: a misspelt optional field (``"cuont": 3``)
  would otherwise silently buy one credit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final, Literal, get_origin

import cattrs
import cattrs.gen
import pendulum
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
)

from premier_policy.base._echo import named, shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._events import CUSTOMER_SIDE
from premier_policy.base._instants import parse_instant
from premier_policy.base._rules import RuleId
from premier_policy.terms._money import Money


class ScenarioError(PolicyError):
    """A document that is not a scenario: not an object, no ``events`` list, an unknown
    top-level field, an invalid policy or ``until``. The whole document is refused (the
    CLI exits with status 2); a bad *event* is never this, it is refused on its own.

    >>> str(ScenarioError("expected a list", field="events"))
    'events: expected a list'
    """


ScenarioError.__module__ = "premier_policy"  # as PolicyError: the public path


def _as_is(value: object, _: object) -> object:
    return value


def _is_literal(kind: object) -> bool:
    return get_origin(kind) is Literal


#: The instants every IANA zone (offsets -12:00 to +14:00) can write within the years
#: 1 to 9999: an event outside them could be accepted and then not written in the
#: policy zone, so it is malformed (``until`` is checked in the policy zone itself).
#: In pendulum's UTC, the zone of the instants compared with them: two datetimes of one
#: tzinfo compare in C, without asking the zone for its offset (3 us an event saved).
_WRITABLE: Final = (
    pendulum.DateTime(1, 1, 1, 12, tzinfo=pendulum.UTC),
    pendulum.DateTime(9999, 12, 31, 10, tzinfo=pendulum.UTC),
)

__all__ = ["CONVERTER", "MAX_DEPTH", "ScenarioError", "explain", "joined", "json_kind", "plain"]

#: How deep the values of one event or of the policy may nest (``policy.openings``
#: needs 3): deeper is malformed, refused before anything reads it.
MAX_DEPTH: Final = 16
_FLAT: Final = (str, int, float, bool, type(None))


def _instant(value: object, _: object) -> pendulum.DateTime:
    # Every event has one: for a plain aware instant, the standard library's C parsing
    # and conversion to UTC (one reading per instant, nothing for pendulum to decide);
    # anything else goes to parse_instant, which says what is wrong.
    t: pendulum.DateTime | None = None
    if type(value) is str:
        try:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                u = parsed.astimezone(UTC)
                t = pendulum.DateTime(
                    u.year, u.month, u.day, u.hour, u.minute, u.second, u.microsecond,
                    pendulum.UTC,  # positionally: keywords are slow to parse in C calls
                )  # fmt: skip
        except (ValueError, OverflowError):
            pass
    if t is None:
        t = parse_instant(value, pendulum.UTC)
    if not _WRITABLE[0] <= t < _WRITABLE[1]:
        raise PolicyError(
            f"{t.isoformat()} is too close to the ends of the years 1 to 9999 to be "
            "written in every time zone",
            rule=RuleId.INPUT_MALFORMED,
            field="at",
        )
    return t


def _converter() -> cattrs.Converter:
    converter = cattrs.Converter(
        forbid_extra_keys=True, unstruct_collection_overrides={tuple: list}
    )
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _as_is)
    converter.register_structure_hook_func(_is_literal, _as_is)
    converter.register_structure_hook(datetime, _instant)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_unstructure_hook(Money, lambda money: money.amount_text)
    converter.register_unstructure_hook(Decimal, lambda amount: f"{amount:f}")
    # A RuleId is a str already; JSON-ready data holds plain strings.
    converter.register_unstructure_hook(RuleId, lambda rule: rule.value)
    # The acting customer of a customer-side event (input.owner) is optional: an event
    # that names no one is written without it, as it came.
    for cls in CUSTOMER_SIDE:
        converter.register_unstructure_hook(
            cls,
            cattrs.gen.make_dict_unstructure_fn(
                cls, converter, customer=cattrs.gen.override(omit_if_default=True)
            ),
        )
    return converter


CONVERTER: Final = _converter()


def json_kind(value: object) -> str:
    """A JSON type name for an error message."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return next((name for cls, name in names.items() if isinstance(value, cls)), "a value")


def plain(document: Mapping[Any, object], *, holder: str | None = None) -> None:
    """Refuse, as malformed, what JSON cannot say or a scenario never needs: a key that
    is not a string, values nested deeper than :data:`MAX_DEPTH`. Errors name the field
    that holds the problem (``holder`` for a key of ``document`` itself); nothing is
    echoed but a bounded prefix.

    >>> plain({"hours": {"mon": [["08:00", "19:00"]]}})
    >>> plain({"hours": {1: 2}})
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: input.malformed: hours: expected string keys, got the key 1
    >>> plain({1: 2}, holder="policy")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: input.malformed: policy: expected string keys, got the key 1
    """
    for key, value in document.items():
        if type(key) is not str:
            raise PolicyError(
                f"expected string keys, got the key {shown(key)}",
                rule=RuleId.INPUT_MALFORMED,
                field=holder,
            )
        if type(value) in _FLAT:
            continue
        # By hand, not by recursion: the value may be nested far deeper than the stack.
        stack: list[tuple[object, int]] = [(value, 1)]
        while stack:
            item, depth = stack.pop()
            if isinstance(item, Mapping):
                for inner in item:
                    if type(inner) is not str:
                        raise PolicyError(
                            f"expected string keys, got the key {shown(inner)}",
                            rule=RuleId.INPUT_MALFORMED,
                            field=named(key),
                        )
                children: Iterable[object] = item.values()
            elif isinstance(item, list | tuple):
                children = item
            else:
                continue
            if depth >= MAX_DEPTH:
                raise PolicyError(
                    f"nested more than {MAX_DEPTH} levels deep",
                    rule=RuleId.INPUT_MALFORMED,
                    field=named(key),
                )
            stack.extend((child, depth + 1) for child in children if type(child) not in _FLAT)


def joined(*parts: str | None) -> str | None:
    return ".".join(part for part in parts if part) or None


def _attributes(error: BaseException) -> list[str]:
    """The attributes cattrs noted ``error`` arose in (none for a class's own error)."""
    notes = getattr(error, "__notes__", ())
    return [note.name for note in notes if isinstance(note, AttributeValidationNote)]


def explain(error: BaseException, where: str | None) -> PolicyError:
    """The first problem cattrs found, as one :class:`PolicyError` naming its field path."""
    while isinstance(error, ClassValidationError | ExceptionGroup):
        error = error.exceptions[0]
        where = joined(where, *_attributes(error))
    if isinstance(error, PolicyError):
        # The validator knows its own field; the path so far knows where it sits.
        inner = error.field or None
        path = where if _attributes(error) else joined(where, inner)
        return PolicyError(error.detail, rule=error.rule, field=path)
    if isinstance(error, ForbiddenExtraKeysError):
        extra = sorted(error.extra_fields)[0]
        return PolicyError(
            "unknown field", rule=RuleId.INPUT_MALFORMED, field=joined(where, named(extra))
        )
    if isinstance(error, KeyError):
        return PolicyError("missing", rule=RuleId.INPUT_MALFORMED, field=where)
    return PolicyError(str(error), rule=RuleId.INPUT_MALFORMED, field=where)
