"""The outcome document: its shape declared once, by the ``*Out`` classes.

Their fields are filled by name from the value objects (:func:`view`), so a new field is
one line. Instants are written in the policy zone with their offset; money as ``"225.00"``.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Final, TypeVar, cast, overload
from zoneinfo import ZoneInfo

import attrs
import cattrs
import pendulum
from attrs import field, frozen

from premier_policy.base._instants import zone
from premier_policy.base._notifications import Notification, NotificationLog, id_digest
from premier_policy.base._rules import RuleId
from premier_policy.credits._account import Account
from premier_policy.credits._record import (
    AMOUNT,
    CREDITS,
    CURRENCY,
    EXPIRES_AT,
    LOT_ID,
    PRODUCT,
    PURCHASED_AT,
    REMAINING,
    AccountForm,
    AccountRecord,
    lots_of,
)
from premier_policy.credits._record import VERSION as LOT_VERSION
from premier_policy.incidents._incident import Incident
from premier_policy.incidents._record import (
    AREA,
    AUTO_CLOSE_AT,
    CLOSED_AT,
    CUSTOMER,
    INVALID_REASON,
    LOTS,
    MINUTES,
    OPENED_AT,
    REOPEN_UNTIL,
    RESOLVED_AT,
    STATE,
    USED,
    VERSION,
    IncidentRecords,
    Record,
    targets_of,
)
from premier_policy.terms._money import Money
from premier_policy.terms._policy import Policy
from premier_policy.wire._clock import Clock
from premier_policy.wire._converter import CONVERTER

__all__ = [
    "CustomerOut",
    "IncidentOut",
    "LotOut",
    "Outcome",
    "ResultLog",
    "ResultOut",
    "TargetOut",
    "customer_out",
    "outcome_dict",
    "view",
]

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
    #: The policy version of the purchase (``policy.pinned-terms``); 0 is the base.
    policy_version: int


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
    #: The policy version in force at the opening (``policy.pinned-terms``); 0 is the base.
    policy_version: int


@frozen(kw_only=True)
class ResultOut:
    """One event's result: accepted, or refused with the rule and a sentence."""

    index: int
    accepted: bool
    rule: RuleId | None = None
    message: str | None = None


class ResultLog(Sequence[ResultOut]):
    """The results of a replay, one per event: kept as the number of events and the
    refusals by index, each as its rule ID's text and its message; every other event was
    accepted. Reading an item builds its :class:`ResultOut`; the outcome writes them
    without one.

    A replay of a million events has a few tens of thousands of refusals: a list of a
    result per event would have each of its items visited by every full pass of the
    garbage collector, and 100,000 results written as ``ResultOut`` values first cost a
    tenth of the whole outcome's writing. A refusal is kept as a pair of strings, which
    the collector stops tracing at its first look: as :class:`~premier_policy.Refusal`
    values, each reached the oldest generation, and their growth alone set off the
    collector's full passes while a long replay ran (seven in a million events).

    >>> results = ResultLog(2, {1: ("credits.no-refunds", "no")})
    >>> len(results), results[0], results[-1].rule.value, [r.index for r in results[1:]]
    (2, ResultOut(index=0, accepted=True, rule=None, message=None), 'credits.no-refunds', [1])
    """

    __slots__ = ("refusals", "size")

    def __init__(self, size: int, refusals: Mapping[int, tuple[str, str]]) -> None:
        self.size = size
        self.refusals = refusals

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> ResultOut: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[ResultOut]: ...

    def __getitem__(self, index: int | slice) -> ResultOut | Sequence[ResultOut]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        position = range(self.size)[index]  # an IndexError as a list's; negatives count back
        refusal = self.refusals.get(position)
        if refusal is not None:
            rule, message = refusal
            return ResultOut(index=position, accepted=False, rule=RuleId(rule), message=message)
        return ResultOut(index=position, accepted=True)


def results_out(log: ResultLog) -> list[dict[str, Any]]:
    """``log`` as the outcome writes it: each :class:`ResultOut` unstructured, its
    defaults left out (a test holds the two equal)."""
    written: list[dict[str, Any]] = [
        {"index": index, "accepted": True} for index in range(log.size)
    ]
    # Then the refusals in place: a few in a hundred, not a lookup per event.
    for index, (rule, message) in log.refusals.items():
        written[index] = {"index": index, "accepted": False, "rule": rule, "message": message}
    return written


@frozen(kw_only=True)
class Outcome:
    """The outcome document, in the order SCENARIO-FORMAT.md lists its fields."""

    as_of: pendulum.DateTime | None
    #: A sequence, or the replay engine's log (written without a ResultOut per item).
    results: tuple[ResultOut, ...] | ResultLog
    #: A dict, or the replay engine's accounts (written without a CustomerOut each).
    customers: dict[str, CustomerOut] | CustomerRecords
    #: A dict, or the replay engine's records (written without an Incident per item).
    incidents: dict[str, Incident] | IncidentRecords
    #: A tuple, or the replay engine's log (written without a Notification per item).
    notifications: tuple[Notification, ...] | NotificationLog
    next_event_at: pendulum.DateTime | None


def customer_out(account: Account, as_of: pendulum.DateTime | None) -> CustomerOut:
    """An account on the wire; its balance counts the lots usable at ``as_of``."""
    balance = 0 if as_of is None else account.balance(as_of)
    return CustomerOut(balance=balance, lots=tuple(view(LotOut, lot) for lot in account.lots))


@frozen
class CustomerRecords:
    """The replay engine's accounts (records, or values past ``Book.SMALL`` lots) as the
    outcome's customers at ``as_of``: written straight from the records, in the shape
    of :class:`CustomerOut` (a test holds the two equal)."""

    accounts: Mapping[str, AccountForm]
    as_of: pendulum.DateTime | None


@functools.lru_cache(maxsize=16)
def _outcome_converter(tz_name: str) -> cattrs.Converter:
    # Instants in the policy zone by table lookups: an outcome writes hundreds of
    # thousands of them, and pendulum's conversion and text cost ten times as much.
    # The clock keeps no state but what its zone's offsets determine, so converters
    # shared between threads write alike.
    clock = Clock(ZoneInfo(zone(tz_name).name))
    iso = clock.text
    converter = CONVERTER.copy()
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

    def record_out(r: Record) -> dict[str, Any]:
        # The shape of the Incident hook above (a test holds the two equal).
        return {
            "customer": r[CUSTOMER],
            "area": r[AREA],
            "state": r[STATE],
            "opened_at": iso(r[OPENED_AT]),
            "credits_used": len(r[LOTS]),
            "time_used_minutes": r[USED],
            "allowance_minutes": r[MINUTES],
            "response_targets": [
                {
                    "started_at": iso(started),
                    "due_at": iso(due),
                    "met_at": None if met is None else iso(met),
                    "breached": breached,
                }
                for started, due, met, breached, _ in targets_of(r)
            ],
            # Inline rather than a helper's call: 20,000 incidents, four each.
            "resolved_at": None if (t := r[RESOLVED_AT]) is None else iso(t),
            "auto_close_at": None if (t := r[AUTO_CLOSE_AT]) is None else iso(t),
            "closed_at": None if (t := r[CLOSED_AT]) is None else iso(t),
            "reopen_until": None if (t := r[REOPEN_UNTIL]) is None else iso(t),
            "invalid_reason": r[INVALID_REASON],
            "policy_version": r[VERSION],
        }

    def records_out(records: IncidentRecords) -> dict[str, Any]:
        return {key: record_out(record) for key, record in records.records.items()}

    converter.register_unstructure_hook(IncidentRecords, records_out)

    def lot_out(f: AccountRecord) -> dict[str, Any]:
        # The shape of LotOut.
        return {
            "id": f[LOT_ID],
            "product": f[PRODUCT],
            "credits": f[CREDITS],
            "remaining": f[REMAINING],
            "purchased_at": iso(f[PURCHASED_AT]),
            "expires_at": iso(f[EXPIRES_AT]),
            "price": f"{f[AMOUNT]:f}",  # Money.amount_text
            "currency": f[CURRENCY],
            "policy_version": f[LOT_VERSION],
        }

    def account_out(form: AccountForm, as_of: pendulum.DateTime | None) -> dict[str, Any]:
        if isinstance(form, Account):
            written: dict[str, Any] = converter.unstructure(customer_out(form, as_of))
            return written
        lots = [f for _, f in lots_of(form)]
        return {
            # Book.balance: the credits left in the lots valid at as_of.
            "balance": 0
            if as_of is None
            else sum(f[REMAINING] for f in lots if f[PURCHASED_AT] <= as_of < f[EXPIRES_AT]),
            "lots": [lot_out(f) for f in lots],
        }

    def customers_out(customers: CustomerRecords) -> dict[str, Any]:
        as_of = customers.as_of
        return {name: account_out(form, as_of) for name, form in customers.accounts.items()}

    converter.register_unstructure_hook(CustomerRecords, customers_out)
    written_in_order = converter.get_unstructure_hook(Outcome)

    def outcome_out(outcome: Outcome) -> dict[str, Any]:
        # The incidents and customers first: their dicts hold lists, which the garbage
        # collector traces, and its passes while they are made then do not visit the
        # lists of results and notifications, which do not exist yet (a million items
        # each in a long replay). The keys keep the documented order.
        if isinstance(outcome.incidents, IncidentRecords):
            early = {
                "customers": converter.unstructure(outcome.customers),
                "incidents": converter.unstructure(outcome.incidents),
            }
            rest: dict[str, Any] = written_in_order(
                attrs.evolve(outcome, customers={}, incidents={})
            )
            return {key: early.get(key, value) for key, value in rest.items()}
        done: dict[str, Any] = written_in_order(outcome)
        return done

    converter.register_unstructure_hook(Outcome, outcome_out)

    def notification_out(n: Notification) -> dict[str, Any]:
        # Its id in place of its seq: a host needs the one, and the other is in it.
        return {
            "id": n.id,
            "at": iso(n.at),
            "kind": n.kind,
            "to": n.to,
            "customer": n.customer,
            "incident": n.incident,
        }

    def log_out(log: NotificationLog) -> list[dict[str, Any]]:
        # The shape of notification_out (a test holds the two equal). The notifications
        # of one event or timer come together and share its instant: its two texts are
        # written once for the run.
        out = []
        with_utc = clock.with_utc
        last: object = None
        local = utc = ""
        for at, kind, to, customer, incident, seq in zip(*log.columns(), strict=True):
            if at is not last:
                last = at
                local, utc = with_utc(at)
            out.append(
                {
                    "id": id_digest(utc, kind, to, customer, incident, seq),
                    "at": local,
                    "kind": kind,
                    "to": to,
                    "customer": customer,
                    "incident": incident,
                }
            )
        return out

    converter.register_unstructure_hook(Notification, notification_out)
    converter.register_unstructure_hook(NotificationLog, log_out)
    converter.register_unstructure_hook(ResultLog, results_out)
    return converter


def outcome_dict(outcome: Outcome, policy: Policy) -> dict[str, Any]:
    """The outcome as JSON-ready data, instants in ``policy``'s zone."""
    data: dict[str, Any] = _outcome_converter(policy.tz.name).unstructure(outcome)
    return data
