"""Snapshots: a world as one JSON-shaped document, and back (``state.snapshot``,
``state.integrity``).

A snapshot holds everything a world needs to continue exactly: the policy (as the
scenario's ``policy`` object), every account with its lots, every incident with its
targets, allowance and timers, the purchase index, the clock, the creation order that
breaks ties between timers due at one instant, and the count of identical notifications
already sent at the clock's instant (so the next one gets the same ``id`` as in a
straight replay). It holds no notification history.

The document starts with ``"format": "premier-policy/world"`` and ``"version"`` and
ends with ``"digest"``: the lowercase hex SHA-256 of the document without ``digest``,
written by ``json.dumps(doc, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` in UTF-8, so a host in any language can check it.

Reading one checks everything again through the value objects' own constructors, then
the invariants that tie them together; any fault is a :class:`PolicyError` of
``state.integrity`` naming the field. Nothing is guessed or repaired.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final, TypeVar, get_args, get_origin

import attrs
import cattrs
import pendulum
from attrs import evolve, frozen
from cattrs.errors import ClassValidationError

from premier_policy.base._canonical import canonical_utf8
from premier_policy.base._echo import named, shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._notifications import AUDIENCES, TallyKey
from premier_policy.base._rules import RuleId
from premier_policy.credits._account import Account
from premier_policy.credits._lots import Lot
from premier_policy.incidents._allowance import Allowance
from premier_policy.incidents._incident import Incident
from premier_policy.incidents._response import ResponseTarget, checked_target
from premier_policy.terms._money import Money
from premier_policy.terms._policy import Policy, PolicyChange
from premier_policy.wire._converter import CONVERTER, explain, json_kind
from premier_policy.wire._policy import policy_to_dict, structure_policy

__all__ = ["FORMAT", "VERSION", "Parts", "digest_of", "read_snapshot", "write_snapshot"]

FORMAT: Final = "premier-policy/world"
VERSION: Final = 1
_KEYS: Final = (
    "format",
    "version",
    "policy",
    "policy_changes",
    "at",
    "accounts",
    "incidents",
    "purchases",
    "tally",
    "digest",
)


@frozen(kw_only=True)
class Parts:
    """What a world is made of, checked: the entities in creation order, each with its
    order beside it (two tuples, not a pair per entity: fewer objects for the collector)."""

    policy: Policy
    at: pendulum.DateTime | None
    accounts: tuple[Account, ...]
    account_orders: tuple[int, ...]
    incidents: tuple[Incident, ...]
    incident_orders: tuple[int, ...]
    purchases: tuple[tuple[str, str], ...]
    tally: dict[TallyKey, int]


def digest_of(document: Mapping[str, Any], *, fast: bool = False) -> str:
    """The digest of a snapshot: SHA-256 of its canonical JSON without ``digest``.
    ``fast``: written by orjson when installed, which only a document holding no float
    may ask (:mod:`~premier_policy.base._canonical`): one this library writes.

    >>> digest_of({"format": "premier-policy/world", "version": 1, "digest": "x"})[:16]
    '19f9c8a8fbf9a76e'
    """
    body = {key: value for key, value in document.items() if key != "digest"}
    # surrogatepass: an ID that no UTF-8 can carry still gets a digest (never a crash).
    return hashlib.sha256(canonical_utf8(body, sort_keys=True, fast=fast)).hexdigest()


def _matches(document: Mapping[str, Any], digest: str) -> bool:
    """Whether ``digest`` is the digest of ``document``. orjson's text, when installed,
    is the standard library's for every document without a float: a match is a match.
    Otherwise the standard library's text decides, so a float (which no field of a
    snapshot takes, and whose spelling the two writers may not share) can at worst pass
    this check to be refused by the field holding it."""
    return digest_of(document, fast=True) == digest or digest_of(document) == digest


def _bad(detail: str, where: str | None) -> PolicyError:
    return PolicyError(detail, rule=RuleId.STATE_INTEGRITY, field=where)


# --- the converter: the wire's, stricter about shapes -----------------------------------


#: The instants of the snapshot being read, by text: a snapshot repeats most of them (an
#: opening is its first target's start), and one value per instant is fewer objects for
#: the garbage collector. Emptied after each reading (read_snapshot), never kept.
_READ: dict[str, pendulum.DateTime] = {}
#: The same for the small frozen values most incidents and lots repeat (an allowance, a
#: price), by the JSON values they were checked and built from, all of exact types: an
#: equal input builds an equal value, so the first one built stands for them all.
_SHARED: dict[tuple[object, ...], Any] = {}


def _instant(value: object, _: object) -> pendulum.DateTime:
    if type(value) is not str:
        raise PolicyError(f"expected an ISO 8601 instant, got {json_kind(value)}")
    found = _READ.get(value)
    if found is None:
        found = _READ[value] = _parsed(value)
    return found


def _parsed(text: str) -> pendulum.DateTime:
    try:
        parsed = datetime.fromisoformat(text)
        t = None if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise PolicyError(f"expected an ISO 8601 instant, got {text[:40]!r}") from None
    if t is None:  # outside the try: a PolicyError is a ValueError too
        raise PolicyError(f"naive instant {text[:40]!r}; a snapshot writes UTC offsets")
    # tzinfo positionally: keyword arguments are slow to parse in C calls.
    return pendulum.DateTime(
        t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, pendulum.UTC
    )


def _boolean(value: object, _: object) -> bool:
    if type(value) is not bool:
        raise PolicyError(f"expected true or false, got {json_kind(value)}")
    return value


def _money(value: object, _: object) -> Money:
    if not isinstance(value, Mapping) or sorted(value) != ["amount", "currency"]:
        raise PolicyError(f"expected an object with amount and currency, got {json_kind(value)}")
    amount = value["amount"]
    if type(amount) is not str:
        # No field of its own: the error names the one holding the money (cattrs notes it).
        raise PolicyError(f"expected a decimal string, got {json_kind(amount)}")
    currency = value["currency"]
    if type(currency) is not str:
        return Money(amount, currency)  # to say what is wrong
    key = ("money", amount, currency)
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = Money(amount, currency)
    return found


def _allowance(raw: Mapping[str, Any]) -> Allowance:
    minutes, used, warned = raw["minutes"], raw["used"], raw["warned"]
    if type(minutes) is not int or type(used) is not int or type(warned) is not int:
        return Allowance(minutes=minutes, used=used, warned=warned)  # to say what is wrong
    key = ("allowance", minutes, used, warned)
    found = _SHARED.get(key)
    if found is None:
        found = _SHARED[key] = Allowance(minutes=minutes, used=used, warned=warned)
    return found


def _is_tuple(kind: object) -> bool:
    return get_origin(kind) is tuple


def _converter(*, detailed: bool) -> cattrs.Converter:
    # The fast one lets extra keys through: its caller checks the keys itself.
    converter = CONVERTER.copy(detailed_validation=detailed, forbid_extra_keys=detailed)
    # For pendulum's DateTime too (a subclass), and with cattrs's own handling of None
    # where an instant is optional.
    converter.register_structure_hook(datetime, _instant)
    converter.register_structure_hook(bool, _boolean)
    converter.register_structure_hook(Money, _money)
    converter.register_unstructure_hook(
        Money, lambda money: {"amount": money.amount_text, "currency": money.currency}
    )

    def tuple_hook(kind: Any) -> Any:
        (item, _) = get_args(kind)
        each_of = converter.get_structure_hook(item)

        def structure(value: object, _: object) -> tuple[Any, ...]:
            # A string is iterable: cattrs would split it into characters.
            if not isinstance(value, list):
                raise PolicyError(f"expected a list, got {json_kind(value)}")
            return tuple([each_of(each, item) for each in value])

        return structure

    converter.register_structure_hook_factory(_is_tuple, tuple_hook)
    return converter


_SNAPSHOT: Final = _converter(detailed=True)
# Without cattrs's notes of where each error arose: a third faster on a good snapshot,
# and a bad one is read again by _SNAPSHOT to name the field.
_FAST: Final = _converter(detailed=False)


_FIELDS: dict[type[Any], frozenset[str]] = {}


def _fields(cls: type[Any]) -> frozenset[str]:
    """The keys a document of ``cls`` may have."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = frozenset(each.name for each in attrs.fields(cls))
    return found


def _structure(
    value: object, cls: type[Any], where: str, *, order: bool = False, fast: bool = True
) -> Any:
    """``value`` as a ``cls``; ``order``: it also has an ``order`` key, not the value's;
    ``fast``: try the converter without cattrs's notes first (if every key is a field)."""
    if not isinstance(value, Mapping):
        raise _bad(f"expected an object, got {json_kind(value)}", where)
    if fast and value.keys() <= _fields(cls):
        try:
            return _FAST.structure(value, cls)
        except Exception:  # whatever it was, the detailed reading says what
            pass
    body = {key: each for key, each in value.items() if key != "order"} if order else value
    try:
        return _SNAPSHOT.structure(body, cls)
    except (ClassValidationError, PolicyError) as error:
        found = explain(error, where)
        raise _bad(found.detail, found.field) from None


# --- writing ------------------------------------------------------------------------------


def write_snapshot(
    policy: Policy,
    at: pendulum.DateTime | None,
    accounts: Iterable[tuple[str, Account, int]],
    incidents: Iterable[tuple[str, Incident, int]],
    purchases: Iterable[tuple[str, str, int]],
    tally: tuple[pendulum.DateTime | None, Iterable[tuple[TallyKey, int]]],
) -> dict[str, Any]:
    """The snapshot document of a world made of these parts (each in creation order)."""
    unstructure = _SNAPSHOT.unstructure
    tally_at, counts = tally
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        # policy_to_dict writes the base version; policy.changes: each later version
        # whole, from its instant on.
        "policy": policy_to_dict(policy),
        "policy_changes": [
            {"from": change.at.isoformat(), "policy": policy_to_dict(change.policy)}
            for change in policy.changes
        ],
        "at": None if at is None else at.isoformat(),
        "accounts": [
            {"customer": account.customer, "order": order, "lots": unstructure(account.lots)}
            for _, account, order in accounts
        ],
        "incidents": [
            {"order": order, **unstructure(incident)} for _, incident, order in incidents
        ],
        "purchases": [[purchase, customer] for purchase, customer, _ in purchases],
        # Only the clock's instant can see more notifications; earlier counts are done.
        "tally": [
            [kind, to, customer, incident, count]
            for (kind, to, customer, incident), count in (counts if tally_at == at else ())
        ],
    }
    # Integers, strings, booleans and nulls only: orjson may write the text.
    doc["digest"] = digest_of(doc, fast=True)
    return doc


# --- reading ------------------------------------------------------------------------------


def _list(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc[key]
    if not isinstance(value, list):
        raise _bad(f"expected a list, got {json_kind(value)}", key)
    return value


def _header(document: object) -> Mapping[str, Any]:
    if not isinstance(document, Mapping):
        raise _bad(f"a snapshot is an object, got {json_kind(document)}", "state")
    if document.get("format") != FORMAT:
        raise _bad(f"unknown format {shown(document.get('format'))}; expected {FORMAT!r}", "format")
    version = document.get("version")
    if type(version) is not int or version != VERSION:
        raise _bad(f"unknown version {shown(version)}; this library reads {VERSION}", "version")
    for key in document:
        if key not in _KEYS:
            raise _bad(f"unknown field; a snapshot has {', '.join(_KEYS)}", named(key))
    for key in _KEYS:
        if key not in document:
            raise _bad("missing", key)
    digest = document["digest"]
    if type(digest) is not str:
        raise _bad(f"expected a hex string, got {json_kind(digest)}", "digest")
    try:
        matches = _matches(document, digest)
    except (TypeError, ValueError) as error:  # not JSON data: no digest can match it
        raise _bad(f"not JSON data: {str(error)[:120]}", "digest") from None
    except RecursionError:  # JSON that no reader of it would get through
        raise _bad("not JSON data: nested too deeply to read", "digest") from None
    if not matches:
        raise _bad("does not match the content: the snapshot was changed or damaged", "digest")
    return document


def _order(value: object, where: str) -> int:
    if type(value) is not int or value < 0:
        raise _bad(f"expected a whole number of at least 0, got {shown(value)}", where)
    return value


def _ordered(raw: object, where: str) -> tuple[Mapping[str, Any], int]:
    if not isinstance(raw, Mapping):
        raise _bad(f"expected an object, got {json_kind(raw)}", where)
    if "order" not in raw:
        raise _bad("missing", f"{where}.order")
    return raw, _order(raw["order"], f"{where}.order")


def _not_after(t: pendulum.DateTime | None, clock: pendulum.DateTime | None, where: str) -> None:
    if t is not None and (clock is None or t > clock):
        told = "there is no clock" if clock is None else f"the clock is {clock.isoformat()}"
        raise _bad(f"{t.isoformat()} is later than the world's clock: {told}", where)


def _accounts(
    doc: Mapping[str, Any], at: pendulum.DateTime | None
) -> tuple[list[Account], list[int]]:
    found: list[Account] = []
    orders: list[int] = []
    customers: set[str] = set()
    lot_ids: set[str] = set()
    for a, raw in enumerate(_list(doc, "accounts")):
        where = f"accounts[{a}]"
        body, order = _ordered(raw, where)
        if sorted(body) != ["customer", "lots", "order"]:
            extra = sorted(set(body) - {"customer", "lots", "order"})
            field = named(extra[0]) if extra else "lots"
            raise _bad("unknown field" if extra else "missing", f"{where}.{field}")
        if not isinstance(body["lots"], list):
            raise _bad(f"expected a list, got {json_kind(body['lots'])}", f"{where}.lots")
        lots = []
        for i, lot_doc in enumerate(body["lots"]):
            lot: Lot = _structure(lot_doc, Lot, f"{where}.lots[{i}]")
            if lot.id in lot_ids:
                raise _bad(f"lot {lot.id} is listed twice", f"{where}.lots[{i}].id")
            lot_ids.add(lot.id)
            _not_after(lot.purchased_at, at, f"{where}.lots[{i}].purchased_at")
            lots.append(lot)
        try:
            account = Account(body["customer"], lots)
        except PolicyError as error:
            raise _bad(error.detail, f"{where}.{error.field}") from None
        if account.customer in customers:
            raise _bad(f"customer {account.customer} is listed twice", f"{where}.customer")
        customers.add(account.customer)
        found.append(account)
        orders.append(order)
    return found, orders


_INSTANTS: Final = ("opened_at", "resolved_at", "closed_at")
_TARGET_INSTANTS: Final = ("started_at", "met_at", "dropped_at")


def _late(incident: Incident, at: pendulum.DateTime | None) -> tuple[str, pendulum.DateTime] | None:
    """The field of ``incident`` holding an instant later than the clock, and it."""
    for name in _INSTANTS:
        t = getattr(incident, name)
        if t is not None and (at is None or t > at):
            return name, t
    for n, target in enumerate(incident.response_targets):
        for name in _TARGET_INSTANTS:
            t = getattr(target, name)
            if t is not None and (at is None or t > at):
                return f"response_targets[{n}].{name}", t
    return None


_INCIDENT_KEYS: Final = frozenset(each.name for each in attrs.fields(Incident)) | {"order"}
_TARGET_KEYS: Final = frozenset(each.name for each in attrs.fields(ResponseTarget))
_ALLOWANCE_KEYS: Final = frozenset(each.name for each in attrs.fields(Allowance))


def _optional_instant(value: object) -> pendulum.DateTime | None:
    return None if value is None else _instant(value, None)


def _target(raw: object) -> ResponseTarget:
    if type(raw) is not dict or raw.keys() != _TARGET_KEYS or type(raw["breached"]) is not bool:
        raise ValueError("not a target as a snapshot writes it")
    return checked_target(
        _instant(raw["started_at"], None),
        _instant(raw["due_at"], None),
        _optional_instant(raw["met_at"]),
        raw["breached"],
        _optional_instant(raw["dropped_at"]),
    )


def _incident(raw: Mapping[str, Any]) -> Incident:
    """An incident as a snapshot writes it (every key, JSON types), through the checked
    constructors of its parts, without cattrs: most of a restore is incidents. Anything
    else raises, and the detailed reading says what is wrong."""
    allowance, lots, targets = raw["allowance"], raw["lots"], raw["response_targets"]
    if (
        raw.keys() != _INCIDENT_KEYS
        or type(allowance) is not dict
        or allowance.keys() != _ALLOWANCE_KEYS
        or type(lots) is not list
        or type(targets) is not list
    ):
        raise ValueError("not an incident as a snapshot writes it")
    return Incident(
        id=raw["id"],
        customer=raw["customer"],
        area=raw["area"],
        state=raw["state"],
        opened_at=_instant(raw["opened_at"], None),
        lots=tuple(lots),
        allowance=_allowance(allowance),
        response_targets=tuple([_target(each) for each in targets]),
        resolved_at=_optional_instant(raw["resolved_at"]),
        auto_close_at=_optional_instant(raw["auto_close_at"]),
        closed_at=_optional_instant(raw["closed_at"]),
        reopen_until=_optional_instant(raw["reopen_until"]),
        policy_version=raw["policy_version"],
        invalid_reason=raw["invalid_reason"],
    )


def _incidents(
    doc: Mapping[str, Any], at: pendulum.DateTime | None, accounts: Mapping[str, Account]
) -> tuple[list[Incident], list[int]]:
    found: list[Incident] = []
    orders: list[int] = []
    ids: set[str] = set()
    held = {customer: {lot.id for lot in account.lots} for customer, account in accounts.items()}
    for n, raw in enumerate(_list(doc, "incidents")):
        # Paths are written only for an error: a snapshot has tens of thousands of these.
        body, order = _ordered(raw, f"incidents[{n}]")
        try:
            incident = _incident(body)
        except Exception:  # whatever it was, the detailed reading says what
            incident = _structure(body, Incident, f"incidents[{n}]", order=True, fast=False)
        if incident.id in ids:
            raise _bad(f"incident {incident.id} is listed twice", f"incidents[{n}].id")
        ids.add(incident.id)
        late = _late(incident, at)
        if late is not None:
            _not_after(late[1], at, f"incidents[{n}].{late[0]}")
        lots = held.get(incident.customer)
        if lots is None:
            raise _bad(f"customer {incident.customer} has no account", f"incidents[{n}].customer")
        for i, lot_id in enumerate(incident.lots):
            if lot_id not in lots:
                raise _bad(
                    f"holds a credit of lot {str(lot_id)[:60]!r}, which {incident.customer} "
                    "does not have",
                    f"incidents[{n}].lots[{i}]",
                )
        found.append(incident)
        orders.append(order)
    return found, orders


def _credits_match(accounts: list[Account], incidents: list[Incident]) -> None:
    """Every consumed credit is held by an incident, and no incident holds more."""
    held: dict[str, int] = {}
    for incident in incidents:
        for lot_id in incident.lots:
            held[lot_id] = held.get(lot_id, 0) + 1
    for a, account in enumerate(accounts):
        for i, lot in enumerate(account.lots):
            if lot.consumed != held.get(lot.id, 0):
                raise _bad(
                    f"lot {lot.id} has {lot.consumed} credits consumed, but incidents hold "
                    f"{held.get(lot.id, 0)}",
                    f"accounts[{a}].lots[{i}].remaining",
                )


def _purchases(doc: Mapping[str, Any], accounts: list[Account]) -> list[tuple[str, str]]:
    owners = {lot.id: account.customer for account in accounts for lot in account.lots}
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for p, entry in enumerate(_list(doc, "purchases")):
        where = f"purchases[{p}]"
        if not isinstance(entry, list) or len(entry) != 2:
            raise _bad(f"expected [purchase, customer], got {json_kind(entry)}", where)
        purchase, customer = entry
        if not isinstance(purchase, str) or purchase in seen or owners.get(purchase) != customer:
            raise _bad(
                f"{str(purchase)[:60]!r} of {str(customer)[:60]!r} is not a lot of that "
                "customer's account, or is listed twice",
                where,
            )
        seen.add(purchase)
        found.append((purchase, customer))
    if len(found) != len(owners):
        missing = sorted(owners.keys() - seen)[0]
        raise _bad(f"lot {missing} is missing from the purchase index", "purchases")
    return found


def _orders(account_orders: list[int], incident_orders: list[int]) -> None:
    orders = sorted(account_orders + incident_orders)
    if orders != list(range(len(orders))):
        raise _bad(
            "the accounts' and incidents' orders must number them 0, 1, 2, ... without "
            "gaps or repeats",
            "order",
        )


def _timers(
    policy: Policy,
    at: pendulum.DateTime | None,
    accounts: list[Account],
    incidents: list[Incident],
) -> None:
    """No timer is due before the clock: it would have fired."""
    if at is not None:
        _none_due(policy, at, "accounts", accounts)
        _none_due(policy, at, "incidents", incidents)


def _none_due(
    policy: Policy, at: pendulum.DateTime, name: str, entities: Sequence[Account | Incident]
) -> None:
    for n, entity in enumerate(entities):
        due = entity.next_timer_at(policy)
        if due is not None and due < at:
            raise _bad(
                f"a timer due at {due.isoformat()}, before the clock {at.isoformat()}, "
                "has not fired",
                f"{name}[{n}]",
            )


_KINDS: Final = frozenset(AUDIENCES)


def _tally(doc: Mapping[str, Any], at: pendulum.DateTime | None) -> dict[TallyKey, int]:
    counts: dict[TallyKey, int] = {}
    for n, entry in enumerate(_list(doc, "tally")):
        where = f"tally[{n}]"
        if at is None or not isinstance(entry, list) or len(entry) != 5:
            raise _bad("expected [kind, to, customer, incident, count] at a clock", where)
        kind, to, customer, incident, count = entry
        if (
            kind not in _KINDS
            or to not in AUDIENCES[kind]
            or not isinstance(customer, str)
            or not (incident is None or isinstance(incident, str))
            or type(count) is not int
            or count < 1
            or (kind, to, customer, incident) in counts
        ):
            raise _bad(f"not a count of notifications: {shown(entry)}", where)
        counts[kind, to, customer, incident] = count
    return counts


def read_snapshot(document: object) -> Parts:
    """The parts of the world ``document`` describes, every one checked; a fault is a
    :class:`PolicyError` of ``state.integrity`` naming the field."""
    try:
        return _read(_header(document))
    finally:
        _READ.clear()
        _SHARED.clear()


def _read(doc: Mapping[str, Any]) -> Parts:
    try:
        policy = structure_policy(doc["policy"])
    except PolicyError as error:
        field = "policy" if error.field in (None, "policy") else f"policy.{error.field}"
        raise _bad(error.detail, field) from None
    policy = _timeline(policy, _list(doc, "policy_changes"))
    raw_at = doc["at"]
    at = None if raw_at is None else _structure({"at": raw_at}, _Clock, "").at
    accounts, account_orders = _accounts(doc, at)
    incidents, incident_orders = _incidents(
        doc, at, {account.customer: account for account in accounts}
    )
    _credits_match(accounts, incidents)
    purchases = _purchases(doc, accounts)
    _orders(account_orders, incident_orders)
    # Without a clock there are no entities: each one's instants are later than none.
    _timers(policy, at, accounts, incidents)
    accounts, account_orders = _in_order(accounts, account_orders)
    incidents, incident_orders = _in_order(incidents, incident_orders)
    return Parts(
        policy=policy,
        at=at,
        accounts=tuple(accounts),
        account_orders=tuple(account_orders),
        incidents=tuple(incidents),
        incident_orders=tuple(incident_orders),
        purchases=tuple(purchases),
        tally=_tally(doc, at),
    )


T = TypeVar("T")


def _in_order(values: list[T], orders: list[int]) -> tuple[list[T], list[int]]:
    """``values`` and their ``orders`` sorted by order (a snapshot writes them so)."""
    by_order = sorted(range(len(orders)), key=orders.__getitem__)
    if by_order == list(range(len(orders))):
        return values, orders
    return [values[n] for n in by_order], [orders[n] for n in by_order]


def _timeline(base: Policy, raw: list[Any]) -> Policy:
    changes: list[PolicyChange] = []
    for index, entry in enumerate(raw):
        where = f"policy_changes[{index}]"
        if not isinstance(entry, Mapping) or sorted(entry) != ["from", "policy"]:
            raise _bad('expected an object with exactly "from" and "policy"', where)
        at = _structure({"at": entry["from"]}, _Clock, where).at
        try:
            later = structure_policy(entry["policy"])
        except PolicyError as error:
            inner = error.field if error.field not in (None, "policy") else None
            raise _bad(error.detail, f"{where}.policy" + (f".{inner}" if inner else "")) from None
        changes.append(PolicyChange(at, later))
    try:
        return evolve(base, changes=tuple(changes))
    except PolicyError as error:  # out of order, or another time zone
        raise _bad(error.detail, "policy_changes") from None


@frozen
class _Clock:
    at: pendulum.DateTime
