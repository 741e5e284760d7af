"""Scenario documents on the wire, valid or broken one field at a time."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import timezone as fixed_offset
from typing import Any

import attrs
import pendulum
from hypothesis import strategies as st

from premier_policy.base._events import (
    Event,
    Open,
    Purchase,
)
from premier_policy.base._rules import RuleId
from premier_policy.engine._world import World
from premier_policy.strategies._events import (
    _INCIDENT_KINDS,
    _NAMES,
    _STEPS,
    _TYPE_NAMES,
    _TYPES,
    _event_lists,
    _product_names,
)
from premier_policy.strategies._instants import _at
from premier_policy.strategies._options import (
    DEFAULT_MAX,
    DEFAULT_MIN,
    ZONES,
    Validity,
    _check,
    _range,
    _sizes,
    _strategy,
)
from premier_policy.strategies._policies import _DATES, _calendars, _overrides, _policies
from premier_policy.strategies._ticks import _DAY_US, _MICROSECOND, _ticks
from premier_policy.terms._policy import Policy

__all__ = ["Breakage", "ScenarioPair", "scenarios"]

_OFFSETS = tuple(minutes for minutes in range(-12 * 60, 14 * 60 + 1, 15) if minutes)
# Wrong values for every field of the format: of another type, or empty.
_GARBAGE: tuple[object, ...] = (None, True, 0, -1, 1.5, 10**30, "", [], {}, ["x"], {"a": 1})
_IDENTIFIERS = ("customer", "id", "purchase", "incident")


def _iso(t: datetime, offset: int | None) -> str:
    """``t`` as the scenario format writes an instant: in its own zone (``offset`` None)
    or at a fixed offset in minutes, 0 written ``Z``: the same instant, another clock."""
    if offset is None:
        return datetime.isoformat(t)
    try:
        text = datetime.isoformat(t.astimezone(fixed_offset(timedelta(minutes=offset))))
    except OverflowError:  # that clock shows a year out of range
        return datetime.isoformat(t)
    return text.replace("+00:00", "Z")


def _local(t: pendulum.DateTime, tz: pendulum.Timezone) -> pendulum.DateTime:
    """``t`` in ``tz``, or in UTC where the zone's clock shows a year out of range."""
    try:
        return t.in_timezone(tz)
    except (OverflowError, ValueError):
        return t


def _wire(draw: st.DrawFn, event: Event, tz: pendulum.Timezone) -> dict[str, Any]:
    """``event`` as the scenario format writes it, its instant in a drawn style."""
    out: dict[str, Any] = {"type": _TYPE_NAMES[type(event)], **attrs.asdict(event, recurse=False)}
    # Half in the policy zone, a quarter as Z, a quarter at another offset.
    style = draw(st.sampled_from(("zone", "zone", "utc", "offset")))
    offset = (
        {"zone": None, "utc": 0}.get(style)
        if style != "offset"
        else draw(st.sampled_from(_OFFSETS))
    )
    out["at"] = _iso(_local(event.at, tz), offset)
    if out.get("customer", "") is None:
        del out["customer"]  # a customer-side event that names no one leaves it out
    if type(event) is Purchase and event.count == 1 and draw(st.booleans()):
        del out["count"]  # the format's default
    return out


@attrs.frozen(kw_only=True)
class Breakage:
    """One deliberately broken event of a scenario, and how the engine must answer it:
    ``index`` is its place in the broken scenario's ``events``, ``rule`` the rule that
    refuses it, ``field`` the field its refusal names (for a malformed event)."""

    index: int
    rule: RuleId
    field: str | None = None


@attrs.frozen(kw_only=True)
class ScenarioPair:
    """A valid scenario, the same with broken events slipped in, and what each breaks.

    Both have the same ``until``, so a law can compare them: the broken events are
    refused and the rest of the outcome is the same (a refusal changes nothing).
    """

    clean: dict[str, Any]
    broken: dict[str, Any]
    breakages: tuple[Breakage, ...]


def _sold(policy: Policy, at: str) -> str:
    """A product the policy version in force at ``at`` sells."""
    return _product_names(policy.in_force(datetime.fromisoformat(at)))[0]


def _template(
    draw: st.DrawFn, clean: list[dict[str, Any]], at: str, fresh: str, policy: Policy
) -> dict[str, Any]:
    """A well-formed event of any type at ``at``, naming customers and incidents of ``clean``."""
    known = [e for e in clean if e["type"] in ("purchase", "open")]
    customer = draw(st.sampled_from([e["customer"] for e in known] or ["acme"]))
    incident = draw(st.sampled_from([e["id"] for e in known if e["type"] == "open"] or [fresh]))
    kind = draw(st.sampled_from(sorted(_TYPES)))
    fields: dict[str, Any] = {
        "purchase": {"customer": customer, "id": fresh, "product": _sold(policy, at), "count": 1},
        "refund_request": {"customer": customer, "purchase": fresh},
        "open": {"customer": customer, "id": fresh, "area": "setup"},
        "log_time": {"incident": incident, "minutes": 1},
        "invalidate": {"incident": incident, "reason": "vendor_bug"},
    }.get(kind, {"incident": incident})  # fmt: skip
    return {"at": at, "type": kind, **fields}


def _owned(policy: Policy, sequence: list[Event]) -> list[tuple[int, str, str]]:
    """What each accepted purchase and opening of ``sequence`` made someone's: (its
    index, ``purchase`` or ``incident``, the ID), with the owner known by the event."""
    owned: list[tuple[int, str, str]] = []
    world = World(policy)
    for index, event in enumerate(sequence):
        applied = world.apply(event)
        world = applied.world
        if applied.accepted and isinstance(event, Purchase | Open):
            owned.append(
                (index, "purchase" if isinstance(event, Purchase) else "incident", event.id)
            )
    return owned


def _stranger(
    draw: st.DrawFn, owned: list[tuple[int, str, str]], k: int, at: str, fresh: str
) -> dict[str, Any] | None:
    """An event at ``at`` by customer ``fresh`` on what another made theirs before event
    ``k`` (``input.owner``), or None when nothing is anyone's yet."""
    mine = [(what, name) for index, what, name in owned if index < k]
    if not mine:
        return None
    what, name = draw(st.sampled_from(mine))
    if what == "purchase":
        return {"at": at, "type": "refund_request", "customer": fresh, "purchase": name}
    kind = draw(st.sampled_from(("customer_reply", "extend", "close", "reopen")))
    return {"at": at, "type": kind, "incident": name, "customer": fresh}


def _malformed(draw: st.DrawFn, event: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """``event`` with exactly one fault that makes it malformed, and the field at fault."""
    extra = {"purchase": ["product", "count"], "invalidate": ["reason"], "log_time": ["minutes"]}
    how = draw(
        st.sampled_from(
            ["missing", "garbage", "type", "at", "empty", *extra.get(event["type"], [])]
        )
    )
    broken = dict(event)
    if how == "missing":
        name = draw(st.sampled_from([name for name in event if name != "count"]))
        del broken[name]
        return broken, name
    if how == "garbage":
        name = draw(st.sampled_from([name for name in event if name not in ("at", "type")]))
        if name in ("minutes", "count"):
            wrong = [g for g in _GARBAGE if not isinstance(g, int) or g is True or g < 1]
        else:  # a string field: only the area may be empty
            wrong = [g for g in _GARBAGE if type(g) is not str or name != "area"]
        broken[name] = draw(st.sampled_from(wrong))
        return broken, name
    if how == "empty":
        name = next(name for name in _IDENTIFIERS if name in event)
        broken[name] = ""
        return broken, name
    values: dict[str, tuple[object, ...]] = {
        "type": ("teleport", "", "Purchase", " open", 7, None),
        # Not an instant at all; a naive instant is refused by its own rule.
        "at": ("", "yesterday", "2026-13-01T00:00:00Z", 1.5e9, None, ["2026"]),
        "count": (0, -1, -(10**30)),
        "minutes": (0, -5),
        "product": ("platinum",),
        "reason": ("bored", "OUT_OF_SCOPE"),
    }
    broken[how] = draw(st.sampled_from(values[how]))
    return broken, how


def _fault(
    draw: st.DrawFn,
    fault: str,
    clean: list[dict[str, Any]],
    at: str,
    fresh: str,
    policy: Policy,
) -> tuple[dict[str, Any], RuleId, str | None]:
    """One broken event of kind ``fault`` at ``at``, the rule refusing it and its field."""
    if fault == "naive":
        wall = datetime.fromisoformat(at).replace(tzinfo=None).isoformat()
        return (
            {**_template(draw, clean, at, fresh, policy), "at": wall},
            RuleId.INPUT_AWARE_ONLY,
            "at",
        )
    if fault == "unknown":
        kind = draw(st.sampled_from(_INCIDENT_KINDS))
        event: dict[str, Any] = {"at": at, "type": kind, "incident": fresh}
        if kind == "log_time":
            event["minutes"] = 1
        elif kind == "invalidate":
            event["reason"] = "vendor_bug"
        return event, RuleId.INPUT_UNKNOWN_INCIDENT, None
    purchases = [e for e in clean if e["type"] == "purchase"]
    first = min((_ticks(datetime.fromisoformat(e["at"])) for e in clean), default=0)
    # Out of order, or a duplicate purchase, only once a purchase came before (in a valid
    # sequence every purchase is accepted); otherwise the event is malformed instead.
    if fault == "order" and purchases and first:
        # Earlier than every valid event, so than the last one applied.
        earliest = _iso(_at(first - 1, policy.tz), None)
        product = _sold(policy, earliest)
        event = {
            "at": earliest,
            "type": "purchase",
            "customer": "acme",
            "id": fresh,
            "product": product,
        }
        return event, RuleId.INPUT_OUT_OF_ORDER, None
    if fault == "duplicate" and purchases:
        return {**draw(st.sampled_from(purchases)), "at": at}, RuleId.INPUT_DUPLICATE_ID, None
    event, name = _malformed(draw, _template(draw, clean, at, fresh, policy))
    return event, RuleId.INPUT_MALFORMED, name


@st.composite
def _pairs(
    draw: st.DrawFn,
    policy: Policy,
    lo: int,
    hi: int,
    sizes: tuple[int, int],
    broken_sizes: tuple[int, int],
) -> ScenarioPair:
    sequence = draw(_event_lists(policy, lo, hi, sizes))
    clean = [_wire(draw, event, policy.tz) for event in sequence]
    head: dict[str, Any] = {}
    if policy != Policy() or draw(st.booleans()):
        head["policy"] = _overrides(policy)
    if policy.changes:
        head["policy_changes"] = [
            {"from": _iso(_local(change.at, policy.tz), None), "policy": _overrides(change.policy)}
            for change in policy.changes
        ]
    last = _ticks(sequence[-1].at) if sequence else draw(st.integers(lo, hi))
    # A broken scenario always gives `until`, so that it describes the same instant as
    # its valid twin whatever instants the broken events carry.
    faults = draw(st.integers(*broken_sizes))
    if faults or draw(st.booleans()):
        later = draw(st.one_of(st.sampled_from(_STEPS), st.integers(0, 400 * _DAY_US)))
        later = later if isinstance(later, int) else later // _MICROSECOND
        head["until"] = _iso(_at(min(last + later, hi), policy.tz), None)
    taken = {e[name] for e in clean for name in _IDENTIFIERS if name in e}
    inserts: list[tuple[int, dict[str, Any], RuleId, str | None]] = []
    owned: list[tuple[int, str, str]] | None = None  # folded once, if an owner fault needs it
    for _ in range(faults):
        k = draw(st.integers(0, len(clean)))
        at = clean[k - 1]["at"] if k else _iso(_at(last, policy.tz), None)
        fault = draw(
            st.sampled_from(("malformed", "naive", "unknown", "order", "duplicate", "owner"))
        )
        fresh = draw(_NAMES)
        while fresh in taken:
            fresh += "'"
        taken.add(fresh)
        if fault == "owner":
            owned = _owned(policy, sequence) if owned is None else owned
            stranger = _stranger(draw, owned, k, at, fresh)
            if stranger is not None:
                inserts.append((k, stranger, RuleId.INPUT_OWNER, None))
                continue
        inserts.append((k, *_fault(draw, fault, clean[:k], at, fresh, policy)))
    inserts.sort(key=lambda insert: insert[0])  # stable: drawn order at one place
    broken: list[dict[str, Any]] = []
    breakages: list[Breakage] = []
    done = 0
    for k, event, rule, name in inserts:
        broken += clean[done:k]
        done = k
        breakages.append(Breakage(index=len(broken), rule=rule, field=name))
        broken.append(event)
    broken += clean[done:]
    return ScenarioPair(
        clean={**head, "events": clean},
        broken={**head, "events": broken},
        breakages=tuple(breakages),
    )


def _scenario_pairs(
    *,
    valid: Validity = "broken",
    policies: st.SearchStrategy[Policy] | None = None,
    min_value: datetime = DEFAULT_MIN,
    max_value: datetime = DEFAULT_MAX,
    min_size: int = 0,
    max_size: int | None = None,
) -> st.SearchStrategy[ScenarioPair]:
    """:func:`scenarios`, with each broken document's valid twin and its breakages."""
    _check(
        valid in ("valid", "broken", "mixed"), f"valid={valid!r}: use 'valid', 'broken' or 'mixed'"
    )
    if policies is None:
        policies = st.one_of(
            st.just(Policy()), _policies(_calendars(st.sampled_from(ZONES), _DATES))
        )
    _strategy("policies", policies)
    lo, hi = _range(min_value, max_value)
    sizes = _sizes(min_size, max_size)
    broken = {"valid": (0, 0), "broken": (1, 3), "mixed": (0, 3)}[valid]
    return policies.flatmap(lambda policy: _pairs(policy, lo, hi, sizes, broken))


def scenarios(
    *,
    valid: Validity = "valid",
    policies: st.SearchStrategy[Policy] | None = None,
    min_value: datetime = DEFAULT_MIN,
    max_value: datetime = DEFAULT_MAX,
    min_size: int = 0,
    max_size: int | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Scenario documents, as :func:`premier_policy.replay` takes them (parsed JSON).

    ``valid="valid"``: the events of :func:`events` in the scenario format, each instant
    written in the policy zone, as ``Z`` or at another offset (the same instant either
    way), ``until`` given half the time. ``valid="broken"``: the same with one to three
    deliberately broken events slipped in, each refused by its own rule: a missing,
    ill-typed or empty field, an unknown type or product, a bad reason or count, an
    unreadable or naive instant, an unknown incident, an event earlier than those
    applied, a duplicate purchase, a customer acting on another's incident or purchase
    (``input.owner``); a broken document always gives ``until``.
    ``valid="mixed"``: either. The document itself is always a scenario.

    ``policies`` draws the policy, written out as the ``policy`` overrides (default:
    ``Policy()`` half the time, often with no overrides, else :func:`policies`); the
    changes of a policy from :func:`timelines` are written as ``policy_changes``, and
    each purchase names a product of the version in force at its instant.
    ``min_size`` and ``max_size`` count the valid events; instants as :func:`events`.

    >>> from hypothesis import find
    >>> doc = find(scenarios(valid="broken"), lambda doc: "policy" not in doc)
    >>> sorted(doc), len(doc["events"])
    (['events', 'until'], 1)
    """
    pairs = _scenario_pairs(
        valid=valid,
        policies=policies,
        min_value=min_value,
        max_value=max_value,
        min_size=min_size,
        max_size=max_size,
    )
    return pairs.map(lambda pair: pair.broken)
