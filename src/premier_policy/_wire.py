"""The wire format: scenario documents in, outcome documents out, through cattrs.

One converter structures events and policy overrides and unstructures the outcome; no
class has a hand-written ``to_dict``. Three decisions shape it:

- Types are judged by the value objects' own validators, which name the rule and the
  field: cattrs's default coercions (``str(7) == "7"``, ``int(1.5) == 1``) would turn
  malformed input into wrong input, so strings, ints and literals pass through as given.
- Unknown fields are malformed, not ignored: a misspelt optional field (``"cuont": 3``)
  would otherwise silently buy one credit.
- The outcome's shape is declared once, by the ``*Out`` classes below; their fields are
  filled by name from the value objects (:func:`view`), so a new field is one line.
  Instants are written in the policy zone with their offset; money as ``"225.00"``.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final, Literal, TypeVar, cast, get_origin
from zoneinfo import ZoneInfo

import attrs
import cattrs
import pendulum
from attrs import field, frozen
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
)

from premier_policy._account import Account
from premier_policy._calendar import Calendar
from premier_policy._catalog import DEFAULT_PRODUCTS, Catalog
from premier_policy._errors import PolicyError
from premier_policy._events import (
    Close,
    CustomerReply,
    Event,
    Extend,
    Invalidate,
    LogTime,
    Open,
    Purchase,
    RefundRequest,
    Reopen,
    Resolve,
    StaffReply,
)
from premier_policy._incident import Incident
from premier_policy._instants import parse_instant, zone
from premier_policy._money import Money
from premier_policy._notifications import Notification, NotificationLog
from premier_policy._openings import Opening
from premier_policy._policy import Policy
from premier_policy._rules import RuleId
from premier_policy._span import spans
from premier_policy._weekly import WeeklySchedule

__all__ = [
    "EVENT_TYPES",
    "CustomerOut",
    "IncidentOut",
    "LotOut",
    "Outcome",
    "ResultOut",
    "Scenario",
    "ScenarioError",
    "TargetOut",
    "event_from_dict",
    "event_to_dict",
    "outcome_dict",
    "read_scenario",
    "structure_policy",
    "view",
]

#: The scenario format's event types and the value classes they structure into.
EVENT_TYPES: Mapping[str, type[Event]] = {
    "purchase": Purchase,
    "refund_request": RefundRequest,
    "open": Open,
    "staff_reply": StaffReply,
    "customer_reply": CustomerReply,
    "log_time": LogTime,
    "extend": Extend,
    "resolve": Resolve,
    "close": Close,
    "reopen": Reopen,
    "invalidate": Invalidate,
}
_TYPE_NAMES: Mapping[type[Event], str] = {cls: name for name, cls in EVENT_TYPES.items()}
_SCENARIO_KEYS: Final = ("$schema", "description", "policy", "until", "events")


class ScenarioError(PolicyError):
    """A document that is not a scenario: not an object, no ``events`` list, an unknown
    top-level field, an invalid policy or ``until``. The whole document is refused (the
    CLI exits with status 2); a bad *event* is never this, it is refused on its own.

    >>> str(ScenarioError("expected a list", field="events"))
    'events: expected a list'
    """


def _as_is(value: object, _: object) -> object:
    return value


def _is_literal(kind: object) -> bool:
    return get_origin(kind) is Literal


#: The instants every IANA zone (offsets -12:00 to +14:00) can write within the years
#: 1 to 9999: an event outside them could be accepted and then not written in the
#: policy zone, so it is malformed (``until`` is checked in the policy zone itself).
_WRITABLE: Final = (
    datetime(1, 1, 1, 12, tzinfo=UTC),
    datetime(9999, 12, 31, 10, tzinfo=UTC),
)


def _instant(value: object, _: object) -> pendulum.DateTime:
    t = _utc_instant(value)
    if not _WRITABLE[0] <= t < _WRITABLE[1]:
        raise PolicyError(
            f"{t.isoformat()} is too close to the ends of the years 1 to 9999 to be "
            "written in every time zone",
            rule=RuleId.INPUT_MALFORMED,
            field="at",
        )
    return t


def _utc_instant(value: object) -> pendulum.DateTime:
    # Every event has one: for a plain aware instant, the standard library's C parsing
    # and conversion to UTC (one reading per instant, nothing for pendulum to decide);
    # anything else goes to parse_instant, which says what is wrong.
    if type(value) is str:
        try:
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is not None:
                t = parsed.astimezone(UTC)
                return pendulum.DateTime(
                    t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond,
                    tzinfo=pendulum.UTC,
                )  # fmt: skip
        except (ValueError, OverflowError):
            pass
    return parse_instant(value, pendulum.UTC)


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
    return converter


_CONVERTER: Final = _converter()


def _kind(value: object) -> str:
    """A JSON type name for an error message."""
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return next((name for cls, name in names.items() if isinstance(value, cls)), "a value")


def _joined(*parts: str | None) -> str | None:
    return ".".join(part for part in parts if part) or None


def _attributes(error: BaseException) -> list[str]:
    """The attributes cattrs noted ``error`` arose in (none for a class's own error)."""
    notes = getattr(error, "__notes__", ())
    return [note.name for note in notes if isinstance(note, AttributeValidationNote)]


def _explain(error: BaseException, where: str | None) -> PolicyError:
    """The first problem cattrs found, as one :class:`PolicyError` naming its field path."""
    while isinstance(error, ClassValidationError | ExceptionGroup):
        error = error.exceptions[0]
        where = _joined(where, *_attributes(error))
    if isinstance(error, PolicyError):
        # The validator knows its own field; the path so far knows where it sits.
        inner = error.field or None
        path = where if _attributes(error) else _joined(where, inner)
        return PolicyError(error.detail, rule=error.rule, field=path)
    if isinstance(error, ForbiddenExtraKeysError):
        extra = sorted(error.extra_fields)[0]
        return PolicyError(
            "unknown field", rule=RuleId.INPUT_MALFORMED, field=_joined(where, extra)
        )
    if isinstance(error, KeyError):
        return PolicyError("missing", rule=RuleId.INPUT_MALFORMED, field=where)
    return PolicyError(str(error), rule=RuleId.INPUT_MALFORMED, field=where)


def event_from_dict(raw: object) -> Event:
    """One event of a scenario, or a :class:`PolicyError` naming the rule and field.

    >>> event_from_dict({"at": "2026-11-27T10:00:00+01:00", "type": "staff_reply",
    ...                  "incident": "i1"})
    StaffReply(at=DateTime(2026, 11, 27, 9, 0, 0, tzinfo=Timezone('UTC')), incident='i1')
    >>> event_from_dict({"at": "2026-11-27T10:00:00+01:00", "type": "log_time",
    ...                  "incident": "i1", "minutes": "90"})
    Traceback (most recent call last):
    ...
    premier_policy._errors.PolicyError: input.malformed: minutes: expected a whole number of at least 1, got '90'
    """
    if not isinstance(raw, Mapping):
        raise PolicyError(
            f"an event is an object, got {_kind(raw)}", rule=RuleId.INPUT_MALFORMED, field="event"
        )
    kind = raw.get("type")
    cls = EVENT_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        detail = "missing" if "type" not in raw else f"unknown event type {kind!r}"
        raise PolicyError(
            f"{detail}; expected one of {', '.join(EVENT_TYPES)}",
            rule=RuleId.INPUT_MALFORMED,
            field="type",
        )
    fields = {key: value for key, value in raw.items() if key != "type"}
    try:
        return _CONVERTER.structure(fields, cls)
    except (ClassValidationError, PolicyError) as error:
        raise _explain(error, None) from None


def event_to_dict(event: Event) -> dict[str, Any]:
    """An event as the scenario format writes it (the inverse of :func:`event_from_dict`).

    >>> from datetime import datetime, timedelta, timezone
    >>> event_to_dict(Resolve(at=datetime(2026, 11, 30, 15, tzinfo=timezone(timedelta(hours=1))), incident="i1"))
    {'type': 'resolve', 'at': '2026-11-30T15:00:00+01:00', 'incident': 'i1'}
    """
    name = _TYPE_NAMES.get(type(event))
    if name is None:
        raise PolicyError(
            f"expected an event, got {type(event).__name__}",
            rule=RuleId.INPUT_MALFORMED,
            field="event",
        )
    body: dict[str, Any] = _CONVERTER.unstructure(event)
    return {"type": name, **body}


# --- the policy overrides ---------------------------------------------------------------


@frozen(kw_only=True)
class _Product:
    credits: int
    price: str


@frozen(kw_only=True)
class _Overrides:
    """The ``policy`` object of a scenario; absent fields keep ``Policy()``'s values."""

    timezone: str | None = None
    hours: Any = None
    closures: Any = None
    openings: Any = None
    response_target_minutes: int | None = None
    allowance_minutes: int | None = None
    warning_minutes: int | None = None
    validity_years: int | None = None
    expiry_notice_days: int | None = None
    auto_close_days: int | None = None
    reopen_days: int | None = None
    products: Any = None
    currency: str | None = None


_NUMBERS: Final = (
    "response_target_minutes",
    "allowance_minutes",
    "warning_minutes",
    "validity_years",
    "expiry_notice_days",
    "auto_close_days",
    "reopen_days",
)


def _mapping(value: object, where: str, rule: RuleId) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PolicyError(f"expected an object, got {_kind(value)}", rule=rule, field=where)
    return value


def _calendar(doc: _Overrides) -> Calendar:
    week = WeeklySchedule.default() if doc.hours is None else WeeklySchedule.from_mapping(doc.hours)
    extra: list[Opening] = []
    if doc.openings is not None:
        for day, value in _mapping(doc.openings, "openings", RuleId.HOURS_CLOSURES).items():
            where = f"openings.{day}"
            found = spans(value, rule=RuleId.HOURS_CLOSURES, field=where)
            try:
                extra.extend(Opening(day, span) for span in found)
            except PolicyError as error:  # the day, or a span on it, names its own field
                raise PolicyError(error.detail, rule=error.rule, field=where) from None
    return Calendar(
        timezone=doc.timezone if doc.timezone is not None else Calendar().timezone,
        week=week,
        closures=() if doc.closures is None else doc.closures,
        openings=tuple(extra),
    )


def _catalog(doc: _Overrides) -> Catalog:
    if doc.products is None and doc.currency is None:
        return Catalog()
    currency = "USD" if doc.currency is None else doc.currency
    prices: dict[str, tuple[int, str]] = {
        product.name: (product.credits, product.price.amount_text) for product in DEFAULT_PRODUCTS
    }
    if doc.products is not None:
        prices = {}
        for name, entry in _mapping(doc.products, "products", RuleId.CREDITS_CATALOG).items():
            try:
                product = _CONVERTER.structure(entry, _Product)
            except ClassValidationError as error:
                raise _explain(error, f"products.{name}") from None
            except (AttributeError, TypeError):
                raise PolicyError(
                    f"expected an object with credits and price, got {_kind(entry)}",
                    rule=RuleId.CREDITS_CATALOG,
                    field=f"products.{name}",
                ) from None
            prices[name] = (product.credits, product.price)
    return Catalog.from_prices(currency, prices)


def structure_policy(raw: object) -> Policy:
    """The scenario's ``policy`` overrides as a :class:`Policy`; an invalid one raises a
    :class:`PolicyError` naming the field (the caller makes it a document error).

    >>> policy = structure_policy({"timezone": "America/New_York", "auto_close_days": 7})
    >>> policy.tz.name, policy.auto_close_days, policy.response_target_minutes
    ('America/New_York', 7, 120)
    >>> structure_policy({"reopen_days": 0})
    Traceback (most recent call last):
    ...
    premier_policy._errors.PolicyError: reopen_days: expected a whole number of at least 1, got 0
    """
    if raw is None:
        return Policy()
    _mapping(raw, "policy", RuleId.INPUT_MALFORMED)
    try:
        doc = _CONVERTER.structure(raw, _Overrides)
    except ClassValidationError as error:
        raise _explain(error, None) from None
    numbers = {name: getattr(doc, name) for name in _NUMBERS if getattr(doc, name) is not None}
    return Policy(calendar=_calendar(doc), catalog=_catalog(doc), **numbers)


# --- the scenario -----------------------------------------------------------------------


@frozen(kw_only=True)
class Scenario:
    """A scenario document, read: the policy, ``until`` (UTC) and the raw events, each
    structured on its own when replayed so that one bad event refuses only itself."""

    policy: Policy
    until: pendulum.DateTime | None
    events: tuple[object, ...]


def read_scenario(document: object) -> Scenario:
    """Read the top level of a scenario document; anything wrong there is a
    :class:`ScenarioError` naming the field.

    >>> read_scenario({"events": []}).until is None
    True
    >>> read_scenario({"event": []})
    Traceback (most recent call last):
    ...
    premier_policy._wire.ScenarioError: event: unknown field; a scenario has $schema, description, policy, until, events
    """
    if not isinstance(document, Mapping):
        raise ScenarioError(
            f"a scenario is an object with an events list, got {_kind(document)}",
            field="scenario",
        )
    for key in document:
        if key not in _SCENARIO_KEYS:
            raise ScenarioError(
                f"unknown field; a scenario has {', '.join(_SCENARIO_KEYS)}",
                # An empty or non-string key still needs a visible name.
                field=key if isinstance(key, str) and key else repr(key),
            )
    events = document.get("events")
    if not isinstance(events, list):
        detail = "missing" if "events" not in document else f"expected a list, got {_kind(events)}"
        raise ScenarioError(detail, field="events")
    try:
        policy = structure_policy(document.get("policy"))
    except PolicyError as error:
        raise ScenarioError(
            error.detail, rule=error.rule, field=_joined("policy", error.field)
        ) from None
    until = document.get("until")
    if until is not None:
        try:
            # Read in the policy zone, where the outcome writes it: an instant past the
            # year 9999 there (9999-12-31T23:00Z in Paris) is refused, not overflowed.
            until = policy.utc(parse_instant(until, policy.tz))
        except PolicyError as error:  # named "until" here, whatever the parts call it
            raise ScenarioError(error.detail, rule=error.rule, field="until") from None
    return Scenario(policy=policy, until=until, events=tuple(events))


# --- the outcome ------------------------------------------------------------------------

_FROM: Final = "premier_policy.wire.from"
T = TypeVar("T")


def view(cls: type[T], source: object) -> T:
    """An ``*Out`` value filled from ``source`` by field name, or by the dotted path in
    the field's ``from`` metadata: the wire shape is declared once, by the class."""
    names, fetch = _getter(cast(Any, cls))
    return cls(**dict(zip(names, fetch(source), strict=True)))


@functools.cache
def _getter(cls: Any) -> tuple[tuple[str, ...], Any]:
    fields = attrs.fields(cls)
    names = tuple(each.name for each in fields)
    paths = [each.metadata.get(_FROM, each.name) for each in fields]
    # One attrgetter for all the fields: a single C call per value.
    fetch = operator.attrgetter(*paths)
    return names, (fetch if len(paths) > 1 else lambda source: (fetch(source),))


@frozen(kw_only=True)
class LotOut:
    """A lot on the wire: the purchase's credits and price."""

    id: str
    product: str
    credits: int
    remaining: int
    purchased_at: pendulum.DateTime
    expires_at: pendulum.DateTime
    price: Money
    currency: str = field(metadata={_FROM: "price.currency"})


@frozen(kw_only=True)
class CustomerOut:
    """A customer on the wire: usable credits at ``as_of`` and every lot."""

    balance: int
    lots: tuple[LotOut, ...]


@frozen(kw_only=True)
class TargetOut:
    """A response target on the wire."""

    started_at: pendulum.DateTime
    due_at: pendulum.DateTime
    met_at: pendulum.DateTime | None
    breached: bool


@frozen(kw_only=True)
class IncidentOut:
    """An incident on the wire (its ID is the key it is filed under); the outcome reads
    these names straight from the :class:`~premier_policy.Incident`."""

    customer: str
    area: str
    state: str
    opened_at: pendulum.DateTime
    credits_used: int
    time_used_minutes: int
    allowance_minutes: int
    response_targets: tuple[TargetOut, ...]
    resolved_at: pendulum.DateTime | None
    auto_close_at: pendulum.DateTime | None
    closed_at: pendulum.DateTime | None
    reopen_until: pendulum.DateTime | None
    invalid_reason: str | None


@frozen(kw_only=True)
class ResultOut:
    """One event's result: accepted, or refused with the rule and a sentence."""

    index: int
    accepted: bool
    rule: RuleId | None = None
    message: str | None = None


@frozen(kw_only=True)
class Outcome:
    """The outcome document, in the order SCENARIO-FORMAT.md lists its fields."""

    as_of: pendulum.DateTime | None
    #: A sequence: replay passes a lazy one, so that no view outlives its writing.
    results: Sequence[ResultOut]
    customers: dict[str, CustomerOut]
    incidents: dict[str, Incident]
    #: A tuple, or the replay engine's log (written without a Notification per item).
    notifications: tuple[Notification, ...] | NotificationLog
    next_event_at: pendulum.DateTime | None


def customer_out(account: Account, as_of: pendulum.DateTime | None) -> CustomerOut:
    """An account on the wire; its balance counts the lots usable at ``as_of``."""
    balance = 0 if as_of is None else account.balance(as_of)
    return CustomerOut(balance=balance, lots=tuple(view(LotOut, lot) for lot in account.lots))


class _Instants:
    """Instants as the outcome writes them, in one zone, memoised for one outcome.

    An outcome writes hundreds of thousands of instants, most of them more than once (an
    event's instant in each of its notifications, then in the incident): the standard
    library's C conversion, done once per instant, is an order of magnitude faster than
    pendulum's. The memo is by identity (hashing an aware datetime calls its zone; and
    an autumn fold's two readings hash alike), holds each instant so that its ``id``
    stays its own, and lives for one outcome: :func:`outcome_dict` empties it, so it
    never misses within an outcome however large, and never outlives it.
    """

    __slots__ = ("held", "texts", "zone_info")

    def __init__(self, tz: pendulum.Timezone) -> None:
        self.zone_info = ZoneInfo(tz.name)
        self.texts: dict[int, str] = {}
        self.held: list[datetime] = []

    def __call__(self, t: datetime) -> str:
        text = self.texts.get(id(t))
        if text is None:
            self.held.append(t)
            text = self.texts[id(t)] = self._iso(t)
        return text

    def _iso(self, t: datetime) -> str:
        if t.tzinfo is not pendulum.UTC:
            t = t.astimezone(UTC)
        plain = datetime(
            t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, tzinfo=UTC
        )
        return plain.astimezone(self.zone_info).isoformat()

    def clear(self) -> None:
        """Forget every instant (the end of one outcome)."""
        self.texts.clear()
        self.held.clear()


@functools.lru_cache(maxsize=16)
def _outcome_converter(tz_name: str) -> tuple[cattrs.Converter, _Instants]:
    converter = _CONVERTER.copy()
    iso = _Instants(zone(tz_name))
    converter.register_unstructure_hook(datetime, iso)
    converter.register_unstructure_hook(pendulum.DateTime, iso)
    converter.register_unstructure_hook(
        ResultOut,
        cattrs.gen.make_dict_unstructure_fn(ResultOut, converter, _cattrs_omit_if_default=True),
    )
    # An incident is written in the shape IncidentOut declares, read straight from the
    # Incident (and its targets through TargetOut): every name there is an attribute
    # or property of the value, and 20,000 incidents need no intermediate objects.
    converter.register_unstructure_hook(
        Incident, cattrs.gen.make_dict_unstructure_fn(IncidentOut, converter)
    )

    def log_out(log: NotificationLog) -> list[dict[str, Any]]:
        # The shape cattrs gives a Notification (a test holds the two equal).
        return [
            {"at": iso(at), "kind": kind, "to": to, "customer": customer, "incident": incident}
            for at, kind, to, customer, incident in zip(
                log.at, log.kind, log.to, log.customer, log.incident, strict=True
            )
        ]

    converter.register_unstructure_hook(NotificationLog, log_out)
    return converter, iso


def outcome_dict(outcome: Outcome, policy: Policy) -> dict[str, Any]:
    """The outcome as JSON-ready data, instants in ``policy``'s zone."""
    converter, iso = _outcome_converter(policy.tz.name)
    try:
        data: dict[str, Any] = converter.unstructure(outcome)
    finally:
        iso.clear()
    return data
