"""Hypothesis strategies for property-testing code that uses ``premier_policy``.

Install the ``strategies`` extra (``pip install premier-policy[strategies]``) and import
this module from your tests only: it needs Hypothesis, which ``import premier_policy``
never loads.

Every option is keyword-only. A bad option raises Hypothesis's
:class:`~hypothesis.errors.InvalidArgument` as soon as the strategy is built, never a
surprise halfway through a test run.

>>> from hypothesis import find
>>> from premier_policy.strategies import instants
>>> t = find(instants(), lambda t: t.hour == 19 and t.minute == 0)
>>> t.tzinfo.name, t.format("HH:mm:ss.SSSSSS")
('Europe/Paris', '19:00:00.000000')
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from datetime import timezone as fixed_offset
from decimal import Decimal
from typing import Any, Literal

import attrs
import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import (
    AREAS,
    INVALID_REASONS,
    Event,
    Invalidate,
    LogTime,
    Open,
    Purchase,
    RefundRequest,
)
from premier_policy.base._instants import instant, zone
from premier_policy.base._rules import RuleId
from premier_policy.credits._account import Account, Consumed, Purchased
from premier_policy.hours._calendar import Calendar
from premier_policy.hours._openings import Opening
from premier_policy.hours._span import MINUTES_PER_DAY, clock
from premier_policy.hours._weekly import WEEKDAYS, WeeklySchedule
from premier_policy.incidents._states import KINDS, STATES, TRANSITIONS, Kind, State
from premier_policy.terms._catalog import Catalog
from premier_policy.terms._policy import Policy
from premier_policy.wire._events import EVENT_TYPES
from premier_policy.wire._policy import NUMBERS as _NUMBERS

__all__ = [
    "DEFAULT_MAX",
    "DEFAULT_MIN",
    "ZONES",
    "Bias",
    "Validity",
    "accounts",
    "calendars",
    "events",
    "instants",
    "policies",
    "scenarios",
]

#: What :func:`instants` favours: DST changes and business edges, or nothing.
Bias = Literal["dst-and-edges", "uniform"]
#: What :func:`scenarios` draws: valid documents, broken ones, or both.
Validity = Literal["valid", "broken", "mixed"]

#: The default earliest instant: the strategies draw from this century, where zone rules
#: are known and a year of validity never runs past the datetime range.
DEFAULT_MIN = datetime(2000, 1, 1, tzinfo=UTC)
#: The default latest instant.
DEFAULT_MAX = datetime(2099, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
#: The zones :func:`calendars` draws by default: Paris first (examples shrink to it),
#: a zone without DST, the US rules, a half-hour DST shift (Lord Howe), changes at
#: midnight (Santiago), +13:45 in summer (Chatham), a half-hour offset, and London.
ZONES = (
    "Europe/Paris",
    "UTC",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Pacific/Chatham",
    "Asia/Kolkata",
    "Europe/London",
)

_EPOCH = datetime(1, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_DAY_US = 86_400 * 1_000_000
# Wall-clock instants where business-hours bugs live: the service's edges and midnight.
_EDGE_TIMES = (time(0), time(8), time(19))
# How far beside an edge or a zone transition a biased instant lands.
_NUDGES = tuple(
    sign * step
    for step in (_MICROSECOND, timedelta(minutes=1), timedelta(minutes=30), timedelta(hours=1))
    for sign in (-1, 1)
)
# Zone rules are scanned for transitions inside these years only; outside them the bias
# keeps to business edges (tzdata's far past is irregular, its far future periodic).
_SCAN_FIRST_YEAR, _SCAN_LAST_YEAR = 1900, 2200


# --------------------------------------------------------------------- option checks


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise InvalidArgument(message)


def _zone(name: object) -> pendulum.Timezone:
    _check(isinstance(name, str), f"timezone={name!r} must be an IANA zone name")
    assert isinstance(name, str)
    try:
        return zone(name)
    except PolicyError as error:
        raise InvalidArgument(f"timezone={name!r}: {error.detail}") from None


def _range(min_value: object, max_value: object) -> tuple[int, int]:
    """The bounds as ticks, checked: aware datetimes, in order."""
    for name, value in (("min_value", min_value), ("max_value", max_value)):
        _check(
            isinstance(value, datetime) and value.utcoffset() is not None,
            f"{name}={value!r} must be an aware datetime",
        )
    assert isinstance(min_value, datetime)
    assert isinstance(max_value, datetime)
    low, high = _ticks(min_value), _ticks(max_value)
    _check(low <= high, f"min_value={min_value!r} is after max_value={max_value!r}")
    return low, high


def _sizes(min_size: object, max_size: object) -> tuple[int, int]:
    for name, value in (("min_size", min_size), ("max_size", max_size)):
        _check(
            (value is None and name == "max_size") or (type(value) is int and value >= 0),
            f"{name}={value!r} must be a non-negative integer",
        )
    assert isinstance(min_size, int)
    most = min_size + 20 if max_size is None else max_size
    assert isinstance(most, int)
    _check(min_size <= most, f"min_size={min_size!r} is more than max_size={max_size!r}")
    return min_size, most


def _policy_option(policy: object) -> Policy:
    if policy is None:
        return Policy()
    _check(isinstance(policy, Policy), f"policy={policy!r} must be a premier_policy.Policy")
    assert isinstance(policy, Policy)
    return policy


def _strategy(name: str, value: object) -> None:
    _check(isinstance(value, st.SearchStrategy), f"{name}={value!r} must be a strategy")


# -------------------------------------------------------------------------- instants


def _ticks(t: datetime) -> int:
    """``t`` as whole microseconds since 0001-01-01 UTC: instants as plain integers."""
    u = t.astimezone(UTC)
    seconds = (u.toordinal() - 1) * 86_400 + u.hour * 3_600 + u.minute * 60 + u.second
    return seconds * 1_000_000 + u.microsecond


def _from_ticks(ticks: int) -> datetime:
    return _EPOCH + ticks * _MICROSECOND


def _at(ticks: int, tz: pendulum.Timezone) -> pendulum.DateTime:
    return instant(_from_ticks(ticks), tz)


@functools.cache
def _transitions(name: str, first_year: int, last_year: int) -> tuple[int, ...]:
    """The instants (as ticks) at which zone ``name`` changes its UTC offset."""
    tz = zone(name)

    def offset(ticks: int) -> timedelta | None:
        return _from_ticks(ticks).astimezone(tz).utcoffset()

    week = 7 * _DAY_US
    start = _ticks(datetime(max(first_year, _SCAN_FIRST_YEAR), 1, 1, tzinfo=UTC))
    stop = _ticks(datetime(min(last_year, _SCAN_LAST_YEAR) + 1, 1, 1, tzinfo=UTC))
    found: list[int] = []
    # Weekly steps, then bisection to the second: offsets change at most a few times a
    # year, never twice in one week in any real zone rule.
    for low in range(start, stop, week):
        high = low + week
        if offset(low) == offset(high):
            continue
        while high - low > 1_000_000:
            middle = (low + high) // 2 // 1_000_000 * 1_000_000
            if offset(middle) == offset(low):
                low = middle
            else:
                high = middle
        found.append(high)
    return tuple(found)


def _wall(tz: pendulum.Timezone, around: int, days: int, at: time, fold: int) -> int | None:
    """The instant a wall clock in ``tz`` shows ``at``, ``days`` after the day of ``around``.

    ``fold`` picks the first or second of two such instants in an autumn fold; a time in
    a spring gap maps to an instant beside the gap. None past the datetime range.
    """
    try:
        day = _from_ticks(around).astimezone(tz).date() + timedelta(days=days)
        local = datetime.combine(day, at, tzinfo=tz).replace(fold=fold)
        return _ticks(local.astimezone(UTC))
    except OverflowError:
        return None


@st.composite
def _biased(
    draw: st.DrawFn, tz: pendulum.Timezone, lo: int, hi: int, transitions: tuple[int, ...]
) -> pendulum.DateTime:
    kinds = ["uniform", "edge"] + (["transition", "dst-weekend"] if transitions else [])
    kind = draw(st.sampled_from(kinds))
    # Half the time exactly on the edge, else just beside it.
    nudge = draw(st.sampled_from(_NUDGES)) // _MICROSECOND if draw(st.booleans()) else 0
    ticks: int | None = None
    if kind == "transition":
        ticks = draw(st.sampled_from(transitions)) + nudge
    elif kind != "uniform":
        if kind == "edge":
            around, days = draw(st.integers(lo, hi)), 0
        else:  # a DST change's weekend: Friday evening to Monday morning, wall clock
            around, days = draw(st.sampled_from(transitions)), draw(st.integers(-2, 1))
        edge, fold = draw(st.sampled_from(_EDGE_TIMES)), draw(st.integers(0, 1))
        wall = _wall(tz, around, days, edge, fold)
        ticks = None if wall is None else wall + nudge
    if ticks is None or not lo <= ticks <= hi:
        ticks = draw(st.integers(lo, hi))
    return _at(ticks, tz)


def instants(
    *,
    timezone: str = "Europe/Paris",
    min_value: datetime = DEFAULT_MIN,
    max_value: datetime = DEFAULT_MAX,
    bias: Bias = "dst-and-edges",
) -> st.SearchStrategy[pendulum.DateTime]:
    """Aware instants in ``[min_value, max_value]``, as pendulum ``DateTime`` in ``timezone``.

    ``bias="dst-and-edges"`` (the default) spends about three quarters of the examples
    where calendar bugs live: on and beside the zone's offset changes (DST), and on and
    beside midnight, 08:00 and 19:00 wall-clock time, often on the weekend of a change
    (in a zone without DST, half the examples go to the edges).
    "Beside" is one microsecond, one minute, half an hour or an hour either way; in an
    autumn fold both readings of a wall-clock time are drawn. ``bias="uniform"`` draws
    any microsecond of the range. Examples shrink towards ``min_value``.

    >>> from hypothesis import find
    >>> spring = find(instants(), lambda t: t.utcoffset() != t.subtract(hours=1).utcoffset())
    >>> spring.month in (3, 10)
    True
    >>> instants(timezone="Mars/Olympus")
    Traceback (most recent call last):
    ...
    hypothesis.errors.InvalidArgument: timezone='Mars/Olympus': unknown IANA time zone 'Mars/Olympus'
    """
    tz = _zone(timezone)
    lo, hi = _range(min_value, max_value)
    _check(bias in ("dst-and-edges", "uniform"), f"bias={bias!r}: use 'dst-and-edges' or 'uniform'")
    if bias == "uniform":
        return st.integers(lo, hi).map(lambda ticks: _at(ticks, tz))
    years = (_from_ticks(lo).year, _from_ticks(hi).year)
    transitions = tuple(t for t in _transitions(tz.name, *years) if lo <= t <= hi)
    return _biased(tz, lo, hi, transitions)


# ------------------------------------------------------------- calendars and policies

# Span boundaries worth hitting: midnight, the hours European clocks skip or repeat,
# the service's edges, the last minute of the day.
_BOUNDARIES = (0, 120, 150, 180, 480, 1140, 1439, 1440)
_DATES = st.dates(date(2000, 1, 1), date(2099, 12, 31))


@st.composite
def _day_spans(draw: st.DrawFn) -> list[tuple[str, str]]:
    minutes = st.one_of(st.sampled_from(_BOUNDARIES), st.integers(0, MINUTES_PER_DAY))
    edges = sorted(draw(st.lists(minutes, max_size=6)))
    # Consecutive pairs of sorted minutes never overlap (they may touch).
    return [(clock(a), clock(b)) for a, b in zip(edges[::2], edges[1::2], strict=False) if a < b]


@st.composite
def _calendars(
    draw: st.DrawFn, timezones: st.SearchStrategy[str], dates: st.SearchStrategy[date]
) -> Calendar:
    timezone = draw(timezones)
    _zone(timezone)
    week = draw(
        st.sampled_from((WeeklySchedule.default(), WeeklySchedule.always(), None))
    ) or WeeklySchedule(**{day: draw(_day_spans()) for day in WEEKDAYS})
    if not week.minutes:
        week = WeeklySchedule.default()  # a calendar must open at some point
    closures = draw(st.frozensets(dates, max_size=4))
    extra: list[Opening] = []
    for on, spans_of_day in draw(st.lists(st.tuples(dates, _day_spans()), max_size=3)):
        if all(other.on != on for other in extra):
            extra += [Opening(on, span) for span in spans_of_day]
    return Calendar(timezone=timezone, week=week, closures=closures, openings=tuple(extra))


def calendars(
    *,
    timezones: st.SearchStrategy[str] | None = None,
    dates: st.SearchStrategy[date] | None = None,
) -> st.SearchStrategy[Calendar]:
    """Business calendars: a zone, a weekly schedule, closed dates and extra openings.

    The schedule is the service's office hours, open around the clock, or any spans on
    any days (touching but never overlapping, edges favouring midnight, 08:00, 19:00 and
    the hours European clocks skip or repeat); a week always has some open time.
    ``timezones`` draws IANA zone names (default: :data:`ZONES`); ``dates`` draws the
    closed dates and the dates of extra openings (default: any date of 2000-2099).

    >>> from hypothesis import find
    >>> from hypothesis import strategies as st
    >>> cal = find(calendars(timezones=st.just("Asia/Tokyo")), lambda c: len(c.closures) == 2)
    >>> cal.timezone, len(cal.closures)
    ('Asia/Tokyo', 2)
    """
    timezones = st.sampled_from(ZONES) if timezones is None else timezones
    dates = _DATES if dates is None else dates
    _strategy("timezones", timezones)
    _strategy("dates", dates)
    return _calendars(timezones, dates)


@st.composite
def _catalogs(draw: st.DrawFn) -> Catalog:
    if draw(st.booleans()):
        return Catalog()
    currency = draw(st.sampled_from(("USD", "EUR", "JPY", "CHF")))
    names = draw(st.lists(_NAMES, min_size=1, max_size=3, unique=True))
    prices = {
        name: (draw(st.integers(1, 12)), f"{Decimal(draw(st.integers(0, 10**7))).scaleb(-2):f}")
        for name in names
    }
    return Catalog.from_prices(currency, prices)


@st.composite
def _policies(draw: st.DrawFn, calendars: st.SearchStrategy[Calendar]) -> Policy:
    def number(usual: int, low: int, high: int) -> int:
        # The service's value half the time: most bugs need only one number changed.
        return draw(st.one_of(st.just(usual), st.integers(low, high)))

    allowance = number(240, 1, 24 * 60)
    return Policy(
        calendar=draw(calendars),
        catalog=draw(_catalogs()),
        response_target_minutes=number(120, 1, 3 * 24 * 60),
        allowance_minutes=allowance,
        warning_minutes=number(min(60, allowance), 0, allowance),
        validity_years=number(1, 1, 5),
        expiry_notice_days=number(30, 0, 400),
        auto_close_days=number(30, 1, 90),
        reopen_days=number(30, 1, 90),
    )


def policies(*, calendars: st.SearchStrategy[Calendar] | None = None) -> st.SearchStrategy[Policy]:
    """Policies: each number the service's half the time and any valid value otherwise
    (the warning never above the allowance), a calendar drawn from ``calendars``
    (default: :func:`calendars`), and the service's catalog or one to three products of
    any name priced in one currency.

    >>> from hypothesis import find
    >>> p = find(policies(), lambda p: p.warning_minutes == p.allowance_minutes)
    >>> p.warning_minutes == p.allowance_minutes
    True
    """
    if calendars is None:
        calendars = _calendars(st.sampled_from(ZONES), _DATES)
    _strategy("calendars", calendars)
    return _policies(calendars)


def _overrides(policy: Policy) -> dict[str, Any]:
    """``policy`` as the ``policy`` object of a scenario, every field given."""
    calendar, catalog = policy.calendar, policy.catalog
    openings: dict[str, list[list[str]]] = {}
    for opening in calendar.openings:
        openings.setdefault(opening.on.isoformat(), []).append(str(opening.span).split("-"))
    return {
        "timezone": calendar.timezone,
        "hours": calendar.week.to_mapping(),
        "closures": sorted(day.isoformat() for day in calendar.closures),
        "openings": openings,
        **{name: getattr(policy, name) for name in _NUMBERS},  # the wire's one list
        "products": {
            p.name: {"credits": p.credits, "price": p.price.amount_text} for p in catalog.products
        },
        "currency": catalog.currency,
    }


# ---------------------------------------------------------------------------- events

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
        product = draw(st.sampled_from(_product_names(model.policy)))
        count = draw(st.integers(1, 3))
        model.purchases.append((customer, pid))
        credits = count * model.policy.catalog.product(product).credits
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
            model.incidents[iid] = _Tracked(customer, model.policy.allowance_minutes)
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
    made: Event = _TYPES[kind](at=at, incident=iid)  # type: ignore[call-arg]
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
    customers and IDs any non-empty text. They aim to be accepted, so that they reach
    deep states (extensions, auto-close, reopening, invalidation, expiry), yet business
    refusals happen too: an open without credit or out of scope, a late reopen, a
    refund request. Gaps between events favour the policy's boundaries: the same
    instant, a microsecond or a minute, the response due instant, and exactly the
    auto-close and reopen periods and the validity year on the policy's wall clock.

    ``policy`` defaults to ``Policy()``; instants lie in ``[min_value, max_value]`` and are
    pendulum ``DateTime`` in the policy zone; lists hold ``min_size`` to ``max_size``
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


# -------------------------------------------------------------------------- accounts


@st.composite
def _accounts(draw: st.DrawFn, policy: Policy, lo: int, hi: int) -> Account:
    customer = draw(_NAMES)
    account = Account(customer)
    start = draw(
        instants(timezone=policy.tz.name, min_value=_from_ticks(lo), max_value=_from_ticks(hi))
    )
    model = _Model(policy=policy, ticks=_ticks(start))
    taken: list[str] = []
    steps = 0
    while _another(draw, steps, 0, 8):
        later = _later(draw, model, hi)  # drawn for the first too: see _event_lists
        model.ticks = later if steps else model.ticks
        steps += 1
        at = _at(model.ticks, policy.tz)
        account, _ = account.advance(policy, at, inclusive=False)
        action = draw(st.sampled_from(("purchase", "consume", "restore")))
        if action == "purchase":
            product = draw(st.sampled_from(_product_names(policy)))
            count = draw(st.integers(1, 3))
            event = Purchase(
                at=at, customer=customer, id=model.fresh(draw), product=product, count=count
            )
            try:
                bought = account.purchase(policy, event)
            except PolicyError:  # a lot that would expire after the year 9999
                continue
            assert isinstance(bought, Purchased)  # fresh IDs and known products
            account = bought.account
        elif action == "consume":
            used = account.consume(policy, at)
            if isinstance(used, Consumed):
                account = used.account
                taken.append(used.lot_id)
        elif taken:
            account = account.restore(taken.pop(draw(st.integers(0, len(taken) - 1))))
    return account


def accounts(
    *,
    policy: Policy | None = None,
    min_value: datetime = DEFAULT_MIN,
    max_value: datetime = DEFAULT_MAX,
) -> st.SearchStrategy[Account]:
    """Credit accounts built through the credits API, the way a host builds them.

    One customer buys, consumes and gets credits restored at instants in
    ``[min_value, max_value]``, in time order with gaps favouring ``policy``'s
    boundaries, expiry notices firing on the way: every lot is one the library made.
    ``policy`` defaults to ``Policy()``.

    >>> from hypothesis import find
    >>> account = find(accounts(), lambda a: any(lot.consumed for lot in a.lots))
    >>> [(lot.credits - lot.remaining, lot.consumed) for lot in account.lots]
    [(1, 1)]
    """
    policy = _policy_option(policy)
    lo, hi = _range(min_value, max_value)
    return _accounts(policy, lo, hi)


# ------------------------------------------------------------------------- scenarios

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


def _wire(draw: st.DrawFn, event: Event) -> dict[str, Any]:
    """``event`` as the scenario format writes it, its instant in a drawn style."""
    out: dict[str, Any] = {"type": _TYPE_NAMES[type(event)], **attrs.asdict(event, recurse=False)}
    # Half in the policy zone, a quarter as Z, a quarter at another offset.
    style = draw(st.sampled_from(("zone", "zone", "utc", "offset")))
    offset = (
        {"zone": None, "utc": 0}.get(style)
        if style != "offset"
        else draw(st.sampled_from(_OFFSETS))
    )
    out["at"] = _iso(event.at, offset)
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


def _template(
    draw: st.DrawFn, clean: list[dict[str, Any]], at: str, fresh: str, policy: Policy
) -> dict[str, Any]:
    """A well-formed event of any type at ``at``, naming customers and incidents of ``clean``."""
    known = [e for e in clean if e["type"] in ("purchase", "open")]
    customer = draw(st.sampled_from([e["customer"] for e in known] or ["acme"]))
    incident = draw(st.sampled_from([e["id"] for e in known if e["type"] == "open"] or [fresh]))
    kind = draw(st.sampled_from(sorted(_TYPES)))
    fields: dict[str, Any] = {
        "purchase": {"customer": customer, "id": fresh, "product": _product_names(policy)[0], "count": 1},
        "refund_request": {"customer": customer, "purchase": fresh},
        "open": {"customer": customer, "id": fresh, "area": "setup"},
        "log_time": {"incident": incident, "minutes": 1},
        "invalidate": {"incident": incident, "reason": "vendor_bug"},
    }.get(kind, {"incident": incident})  # fmt: skip
    return {"at": at, "type": kind, **fields}


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
        product = _product_names(policy)[0]
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
    clean = [_wire(draw, event) for event in sequence]
    head: dict[str, Any] = {}
    if policy != Policy() or draw(st.booleans()):
        head["policy"] = _overrides(policy)
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
    for _ in range(faults):
        k = draw(st.integers(0, len(clean)))
        at = clean[k - 1]["at"] if k else _iso(_at(last, policy.tz), None)
        fault = draw(st.sampled_from(("malformed", "naive", "unknown", "order", "duplicate")))
        fresh = draw(_NAMES)
        while fresh in taken:
            fresh += "'"
        taken.add(fresh)
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
    applied, a duplicate purchase; a broken document always gives ``until``.
    ``valid="mixed"``: either. The document itself is always a scenario.

    ``policies`` draws the policy, written out as the ``policy`` overrides (default:
    ``Policy()`` half the time, often with no overrides, else :func:`policies`).
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
