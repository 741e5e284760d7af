"""Event sequences a host would really send, drawn against a model of the world."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

import attrs
import pendulum
from hypothesis import strategies as st

from premier_policy.base._events import (
    AREAS,
    CUSTOMER_SIDE,
    INVALID_REASONS,
    Event,
    Invalidate,
    LogTime,
    Open,
    Purchase,
    RefundRequest,
)
from premier_policy.incidents._states import KINDS, STATES, TRANSITIONS, Kind, State
from premier_policy.strategies._instants import _at, instants
from premier_policy.strategies._options import (
    DEFAULT_MAX,
    DEFAULT_MIN,
    _policy_option,
    _range,
    _sizes,
)
from premier_policy.strategies._ticks import _DAY_US, _MICROSECOND, _from_ticks, _ticks
from premier_policy.terms._policy import Policy
from premier_policy.wire._events import EVENT_TYPES

__all__ = ["events"]

#: Event classes by the ``type`` the scenario format gives them: the wire's own table.
_TYPES: Mapping[str, type[Event]] = EVENT_TYPES
_TYPE_NAMES = {cls: name for name, cls in _TYPES.items()}
#: Events that name an incident: every transition kind but opening and the timer's.
_INCIDENT_KINDS: tuple[Kind, ...] = tuple(k for k in KINDS if k not in ("open", "auto_close"))
# Plain names half the time, so that events meet on the same customer; any non-empty
# text otherwise, because IDs are opaque strings, unicode included.
_NAMES = st.one_of(st.sampled_from(("acme", "globex", "initech")), st.text(min_size=1, max_size=8))
# Steps between two events that land beside a boundary.
_STEPS = tuple(
    timedelta(**{unit: n})
    for unit, n in (
        ("microseconds", 1),
        ("minutes", 1),
        ("minutes", 59),
        ("hours", 1),
        ("hours", 2),
        ("days", 1),
        ("days", 3),
        ("days", 7),
    )
)


def _usually(draw: st.DrawFn, n: int) -> bool:
    """True but one time in ``n``; shrinks to False."""
    return draw(st.integers(0, n - 1)) > 0


def _product_names(policy: Policy) -> tuple[str, ...]:
    return tuple(product.name for product in policy.catalog.products)


@attrs.define
class _Tracked:
    """What the generator believes about one incident, to aim at events it accepts."""

    customer: str
    allowance: int
    state: State = "waiting_on_staff"
    credits: int = 1
    used: int = 0
    auto_close_at: int | None = None


@attrs.define
class _Model:
    """The generator's rough picture of the world: enough to aim, never to judge."""

    policy: Policy
    ticks: int
    known: set[str] = attrs.Factory(set)
    customers: list[str] = attrs.Factory(list)
    credits: dict[str, int] = attrs.Factory(dict)
    purchases: list[tuple[str, str]] = attrs.Factory(list)
    incidents: dict[str, _Tracked] = attrs.Factory(dict)

    def fresh(self, draw: st.DrawFn) -> str:
        """An ID no purchase or incident has yet."""
        name = draw(_NAMES)
        while name in self.known:
            name += "'"
        self.known.add(name)
        return name

    def customer(self, draw: st.DrawFn) -> str:
        """A known customer three times in four, else a new (or any) name."""
        if self.customers and _usually(draw, 4):
            return draw(st.sampled_from(self.customers))
        name = draw(_NAMES)
        if name not in self.customers:
            self.customers.append(name)
        return name

    def wall(self, *, days: int = 0, years: int = 0, due: bool = False) -> int | None:
        """Now plus wall-clock days or years in the policy zone, or the response due
        instant; None where that leaves the datetime range."""
        try:
            if due:
                return _ticks(self.policy.response_due(_from_ticks(self.ticks)))
            local = self.policy.local(_from_ticks(self.ticks)).add(years=years, days=days)
            return _ticks(local)
        except (OverflowError, ValueError):  # PolicyError is a ValueError
            return None


def _later(draw: st.DrawFn, model: _Model, hi: int) -> int:
    """When the next event comes: the same instant, a step beside a boundary, any time
    within ten days, or exactly one of the policy's periods from now."""
    policy, now = model.policy, model.ticks
    roll = draw(st.integers(0, 11))
    if roll < 3:
        later: int | None = now
    elif roll < 7:
        later = now + draw(st.sampled_from(_STEPS)) // _MICROSECOND
    elif roll < 10:
        later = now + draw(st.integers(0, 10 * _DAY_US))
    else:
        # Where a response falls due, an auto-close, the end of a reopen window and the
        # expiry notices land when the previous event started the clock.
        days, years = draw(
            st.sampled_from(
                (
                    (0, 0),
                    (policy.auto_close_days, 0),
                    (policy.auto_close_days + policy.reopen_days, 0),
                    (-policy.expiry_notice_days, policy.validity_years),
                    (0, policy.validity_years),
                )
            )
        )
        later = model.wall(days=days, years=years, due=not (days or years))
        nudge = draw(st.sampled_from((timedelta(0), -_MICROSECOND, -timedelta(minutes=1))))
        later = None if later is None else later + nudge // _MICROSECOND
    return hi if later is None or later > hi else max(later, now)


def _step(draw: st.DrawFn, model: _Model) -> Event:
    at = _at(model.ticks, model.policy.tz)
    for incident in model.incidents.values():
        if incident.auto_close_at is not None and incident.auto_close_at <= model.ticks:
            incident.state, incident.auto_close_at = "closed", None
    # Weights out of ten; shrinking goes towards purchases, where every story starts.
    roll = draw(st.integers(0, 9))
    if not model.incidents:
        choice = "purchase" if roll < 5 else "open"
    else:
        choice = "purchase" if roll < 2 else "open" if roll < 4 else "incident"
        if roll == 4 and model.purchases:
            choice = "refund_request"
    if choice == "purchase":
        customer, pid = model.customer(draw), model.fresh(draw)
        terms = model.policy.in_force(at)  # the version in force sells (policy.changes)
        product = draw(st.sampled_from(_product_names(terms)))
        count = draw(st.integers(1, 3))
        model.purchases.append((customer, pid))
        credits = count * terms.catalog.product(product).credits
        model.credits[customer] = model.credits.get(customer, 0) + credits
        return Purchase(at=at, customer=customer, id=pid, product=product, count=count)
    if choice == "refund_request":
        customer, pid = draw(st.sampled_from(model.purchases))
        return RefundRequest(at=at, customer=customer, purchase=pid)
    if choice == "open":
        funded = [name for name in model.customers if model.credits.get(name, 0) > 0]
        if funded and _usually(draw, 4):
            customer = draw(st.sampled_from(funded))
        else:
            customer = model.customer(draw)
        iid = model.fresh(draw)
        # Now and then an area the scope rules refuse.
        area = draw(st.sampled_from((*AREAS, "custom_development", "billing")))
        if area in AREAS and model.credits.get(customer, 0) > 0:
            model.credits[customer] -= 1
            model.incidents[iid] = _Tracked(customer, model.policy.in_force(at).allowance_minutes)
        return Open(at=at, customer=customer, id=iid, area=area)
    # Mostly incidents that can still change: nothing changes an invalid one.
    live = [iid for iid, tracked in model.incidents.items() if tracked.state != "invalid"]
    iid = draw(st.sampled_from(live if live and _usually(draw, 8) else list(model.incidents)))
    return _incident_event(draw, model, iid, at)


def _incident_event(draw: st.DrawFn, model: _Model, iid: str, at: pendulum.DateTime) -> Event:
    policy, incident = model.policy, model.incidents[iid]
    left = incident.allowance - incident.used
    allowed = [
        kind
        for kind in _INCIDENT_KINDS
        if TRANSITIONS.move(kind, incident.state) in STATES
        and (kind != "extend" or left <= policy.warning_minutes)
    ]
    if "invalidate" in allowed and _usually(draw, 3):
        allowed.remove("invalidate")  # else it ends most stories early
    # One time in eight any event at all: refusals belong in a sequence too.
    kind = draw(st.sampled_from(allowed if allowed and _usually(draw, 8) else _INCIDENT_KINDS))
    target = TRANSITIONS.move(kind, incident.state)
    moves = target in STATES
    if kind == "log_time":
        exact = sorted({1, max(1, left - policy.warning_minutes), max(1, left)})
        minutes = draw(st.one_of(st.sampled_from(exact), st.integers(1, max(1, left + 1))))
        if moves and minutes <= left:
            incident.used += minutes
        return LogTime(at=at, incident=iid, minutes=minutes)
    if kind == "invalidate":
        if moves:
            credits = model.credits.get(incident.customer, 0)
            model.credits[incident.customer] = credits + incident.credits
            incident.state, incident.credits = "invalid", 0
        return Invalidate(at=at, incident=iid, reason=draw(st.sampled_from(INVALID_REASONS)))
    if kind == "extend":
        if moves and left <= policy.warning_minutes and model.credits.get(incident.customer):
            model.credits[incident.customer] -= 1
            incident.credits += 1
            incident.allowance += policy.allowance_minutes
    elif moves:
        assert target in STATES
        incident.state = target  # type: ignore[assignment]
        closes = model.wall(days=policy.auto_close_days) if kind == "resolve" else None
        incident.auto_close_at = closes
    cls = _TYPES[kind]
    if cls in CUSTOMER_SIDE and _usually(draw, 4):
        # A host that relays what customers send names the sender (input.owner).
        return cls(at=at, incident=iid, customer=incident.customer)
    made: Event = cls(at=at, incident=iid)  # type: ignore[call-arg]
    return made


@st.composite
def _event_lists(
    draw: st.DrawFn, policy: Policy, lo: int, hi: int, sizes: tuple[int, int]
) -> list[Event]:
    start = draw(
        instants(timezone=policy.tz.name, min_value=_from_ticks(lo), max_value=_from_ticks(hi))
    )
    model = _Model(policy=policy, ticks=_ticks(start))
    sequence: list[Event] = []
    while _another(draw, len(sequence), *sizes):
        # Every item draws the same shape, a gap then a step, so that deleting one
        # leaves the others' draws in place (the first event keeps the drawn start).
        later = _later(draw, model, hi)
        model.ticks = later if sequence else model.ticks
        sequence.append(_step(draw, model))
    return sequence


def _another(draw: st.DrawFn, done: int, least: int, most: int) -> bool:
    """Whether a list of ``done`` items gets another: always below ``least``, never at
    ``most``, else nine times in ten. Asked before each item, so that the shrinker can
    delete any item with its own draws, as it does in ``st.lists``."""
    if done >= most:
        return False
    return done < least or draw(st.integers(0, 9)) > 0


def events(
    *,
    policy: Policy | None = None,
    min_value: datetime = DEFAULT_MIN,
    max_value: datetime = DEFAULT_MAX,
    min_size: int = 0,
    max_size: int | None = None,
) -> st.SearchStrategy[list[Event]]:
    """Lists of well-formed events in time order, for one world under ``policy``.

    The events are what an honest host sends: fields well typed, instants aware and
    never going back in time (several may share one), purchase and incident IDs unique,
    customers and IDs any non-empty text; the customer-side incident events name the
    incident's own customer three times in four, and no one otherwise, as
    ``input.owner`` allows. They aim to be accepted, so that they reach
    deep states (extensions, auto-close, reopening, invalidation, expiry), yet business
    refusals happen too: an open without credit or out of scope, a late reopen, a
    refund request. Gaps between events favour the policy's boundaries: the same
    instant, a microsecond or a minute, the response due instant, and exactly the
    auto-close and reopen periods and the validity year on the policy's wall clock.

    ``policy`` defaults to ``Policy()``; instants lie in ``[min_value, max_value]``, are
    drawn on the policy zone's wall clock and stored in UTC, as every event stores them;
    lists hold ``min_size`` to ``max_size``
    events (``max_size`` defaults to ``min_size + 20``).

    >>> from hypothesis import find
    >>> from premier_policy import Open, Purchase
    >>> bought, opened = find(events(), lambda es: [type(e) for e in es] == [Purchase, Open])
    >>> bought.customer == opened.customer, bought.at <= opened.at
    (True, True)
    """
    policy = _policy_option(policy)
    lo, hi = _range(min_value, max_value)
    return _event_lists(policy, lo, hi, _sizes(min_size, max_size))
