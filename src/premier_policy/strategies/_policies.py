"""Calendars (the ``hours`` wing) and policies (the ``terms`` wing)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from premier_policy.hours._calendar import Calendar
from premier_policy.hours._holidays import PublicHolidays
from premier_policy.hours._openings import Opening
from premier_policy.hours._span import MINUTES_PER_DAY, clock
from premier_policy.hours._weekly import WEEKDAYS, WeeklySchedule
from premier_policy.strategies._events import _NAMES
from premier_policy.strategies._options import (
    HOLIDAYS,
    ZONES,
    Holidays,
    _check,
    _strategy,
    _zone,
)
from premier_policy.terms._catalog import Catalog
from premier_policy.terms._policy import Policy
from premier_policy.wire._policy import NUMBERS as _NUMBERS

__all__ = ["calendars", "policies"]

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


def _holidays(option: Holidays) -> st.SearchStrategy[PublicHolidays | None] | None:
    """What ``holidays=option`` draws; None (draw nothing) for ``"none"``."""
    _check(
        option in ("none", "some", "mixed"),
        f"holidays={option!r}: use 'none', 'some' or 'mixed'",
    )
    if option == "none":
        return None
    some = st.sampled_from(HOLIDAYS).map(lambda pair: PublicHolidays(*pair))
    return some if option == "some" else st.one_of(st.none(), some)


@st.composite
def _calendars(
    draw: st.DrawFn,
    timezones: st.SearchStrategy[str],
    dates: st.SearchStrategy[date],
    holidays: st.SearchStrategy[PublicHolidays | None] | None = None,
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
    # Drawn last, and only when asked for: the other parts draw as they always did.
    public = None if holidays is None else draw(holidays)
    return Calendar(
        timezone=timezone,
        week=week,
        closures=closures,
        openings=tuple(extra),
        holidays=public,
    )


def calendars(
    *,
    timezones: st.SearchStrategy[str] | None = None,
    dates: st.SearchStrategy[date] | None = None,
    holidays: Holidays = "none",
) -> st.SearchStrategy[Calendar]:
    """Business calendars: a zone, a weekly schedule, closed dates, extra openings and,
    when asked for, public holidays.

    The schedule is the service's office hours, open around the clock, or any spans on
    any days (touching but never overlapping, edges favouring midnight, 08:00, 19:00 and
    the hours European clocks skip or repeat); a week always has some open time.
    ``timezones`` draws IANA zone names (default: :data:`ZONES`); ``dates`` draws the
    closed dates and the dates of extra openings (default: any date of 2000-2099).
    ``holidays`` says whether the calendar closes on the public holidays of one of
    :data:`HOLIDAYS` (``hours.holidays``): ``"none"`` (the default, as the service
    sells it), ``"some"`` (always) or ``"mixed"`` (either).

    >>> from hypothesis import find
    >>> from hypothesis import strategies as st
    >>> cal = find(calendars(timezones=st.just("Asia/Tokyo")), lambda c: len(c.closures) == 2)
    >>> cal.timezone, len(cal.closures)
    ('Asia/Tokyo', 2)
    >>> find(calendars(holidays="some"), lambda c: c.holidays.subdivision is not None).holidays
    PublicHolidays(country='DE', subdivision='BY')
    """
    timezones = st.sampled_from(ZONES) if timezones is None else timezones
    dates = _DATES if dates is None else dates
    _strategy("timezones", timezones)
    _strategy("dates", dates)
    return _calendars(timezones, dates, _holidays(holidays))


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
        # Null when none: a change's overrides must replace the holidays before it.
        "holidays": None if calendar.holidays is None else _holidays_doc(calendar.holidays),
        **{name: getattr(policy, name) for name in _NUMBERS},  # the wire's one list
        "products": {
            p.name: {"credits": p.credits, "price": p.price.amount_text} for p in catalog.products
        },
        "currency": catalog.currency,
    }


def _holidays_doc(holidays: PublicHolidays) -> dict[str, str]:
    """``holidays`` as the calendar's ``holidays`` option writes it."""
    doc = {"country": holidays.country}
    if holidays.subdivision is not None:
        doc["subdivision"] = holidays.subdivision
    return doc
