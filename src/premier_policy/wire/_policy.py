"""The scenario's ``policy`` object: overrides of ``Policy()``, field by field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from attrs import frozen
from cattrs.errors import (
    ClassValidationError,
)

from premier_policy.base._echo import named, shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId
from premier_policy.hours._calendar import Calendar
from premier_policy.hours._holidays import PublicHolidays
from premier_policy.hours._openings import Opening
from premier_policy.hours._span import spans
from premier_policy.hours._weekly import WeeklySchedule
from premier_policy.terms._catalog import DEFAULT_PRODUCTS, Catalog
from premier_policy.terms._policy import Policy
from premier_policy.wire._converter import CONVERTER, explain, joined, json_kind, plain

__all__ = ["NUMBERS", "policy_from_dict", "policy_to_dict", "structure_policy"]


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
    holidays: Any = None
    response_target_minutes: int | None = None
    allowance_minutes: int | None = None
    warning_minutes: int | None = None
    validity_years: int | None = None
    expiry_notice_days: int | None = None
    auto_close_days: int | None = None
    reopen_days: int | None = None
    products: Any = None
    currency: str | None = None


NUMBERS: Final = (
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
        raise PolicyError(f"expected an object, got {json_kind(value)}", rule=rule, field=where)
    return value


def _holidays(value: object) -> PublicHolidays | None:
    """``{"country": "FR"}`` or ``{"country": "DE", "subdivision": "BY"}``; null for none."""
    if value is None:
        return None
    doc = _mapping(value, "holidays", RuleId.HOURS_HOLIDAYS)
    unknown = sorted(key for key in doc if key not in ("country", "subdivision"))
    if unknown or "country" not in doc:
        raise PolicyError(
            f"unknown field {shown(unknown[0])}; holidays has country and optionally subdivision"
            if unknown
            else "missing country",
            rule=RuleId.HOURS_HOLIDAYS,
            field="holidays",
        )
    return PublicHolidays(doc["country"], doc.get("subdivision"))


def _clocks(value: object, where: str, rule: RuleId) -> None:
    """Refuse a span's end given other than as ``"HH:MM"`` text: the Python API takes
    minutes of the day, but on the wire ``[[8, 19]]`` would read as 00:08-00:19."""
    if not isinstance(value, list):
        return  # not a list of spans: the reader of spans says so
    for pair in value:
        if isinstance(pair, list):
            for end in pair:
                if not isinstance(end, str):
                    raise PolicyError(
                        f"expected a wall-clock time 'HH:MM' as text, got {shown(end)}",
                        rule=rule,
                        field=where,
                    )


def _calendar(doc: _Overrides) -> Calendar:
    if isinstance(doc.hours, Mapping):
        for day, value in doc.hours.items():
            _clocks(value, f"hours.{named(day)}", RuleId.HOURS_SCHEDULE)
    week = WeeklySchedule.default() if doc.hours is None else _week(doc.hours)
    extra: list[Opening] = []
    if doc.openings is not None:
        for day, value in _mapping(doc.openings, "openings", RuleId.HOURS_CLOSURES).items():
            where = f"openings.{named(day)}"
            _clocks(value, where, RuleId.HOURS_CLOSURES)
            found = spans(value, rule=RuleId.HOURS_CLOSURES, field=where)
            try:
                extra.extend(Opening(day, span) for span in found)
            except PolicyError as error:  # the day, or a span on it, names its own field
                raise PolicyError(error.detail, rule=error.rule, field=where) from None
    holidays = _holidays(doc.holidays)
    try:
        return Calendar(
            timezone=doc.timezone if doc.timezone is not None else Calendar().timezone,
            week=week,
            closures=() if doc.closures is None else doc.closures,
            openings=tuple(extra),
            holidays=holidays,
        )
    except PolicyError as error:  # a week with no open time: on the wire, the hours
        field = "hours" if error.field == "week" else error.field
        raise PolicyError(error.detail, rule=error.rule, field=field) from None


def _week(hours: object) -> WeeklySchedule:
    """``policy.hours`` as a schedule; a day's error names the day under ``hours``
    (``hours.mon``), where the Python API names the argument (``mon``)."""
    try:
        return WeeklySchedule.from_mapping(hours)
    except PolicyError as error:
        inner = None if error.field == "hours" else error.field
        raise PolicyError(error.detail, rule=error.rule, field=joined("hours", inner)) from None


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
            where = f"products.{named(name)}"
            try:
                product = CONVERTER.structure(entry, _Product)
            except ClassValidationError as error:
                raise explain(error, where) from None
            except (AttributeError, TypeError):
                raise PolicyError(
                    f"expected an object with credits and price, got {json_kind(entry)}",
                    rule=RuleId.CREDITS_CATALOG,
                    field=where,
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
    premier_policy.PolicyError: reopen_days: expected a whole number of at least 1, got 0
    """
    if raw is None:
        return Policy()
    plain(_mapping(raw, "policy", RuleId.INPUT_MALFORMED))
    try:
        doc = CONVERTER.structure(raw, _Overrides)
    except ClassValidationError as error:
        raise explain(error, None) from None
    numbers = {name: getattr(doc, name) for name in NUMBERS if getattr(doc, name) is not None}
    return Policy(calendar=_calendar(doc), catalog=_catalog(doc), **numbers)


def policy_to_dict(policy: Policy) -> dict[str, Any]:
    """``policy`` as the scenario's ``policy`` object, every field given: what
    :func:`structure_policy` reads back as an equal policy (a snapshot holds this).

    >>> doc = policy_to_dict(Policy())
    >>> doc["timezone"], doc["hours"]["mon"], doc["products"]["single"]
    ('Europe/Paris', [['08:00', '19:00']], {'credits': 1, 'price': '75.00'})
    >>> structure_policy(doc) == Policy()
    True
    """
    calendar, catalog = policy.calendar, policy.catalog
    openings: dict[str, list[list[str]]] = {}
    for opening in sorted(calendar.openings):
        openings.setdefault(opening.on.isoformat(), []).append(str(opening.span).split("-"))
    return {
        "timezone": calendar.timezone,
        "hours": calendar.week.to_mapping(),
        "closures": sorted(day.isoformat() for day in calendar.closures),
        "openings": openings,
        "holidays": _holidays_to_dict(calendar.holidays),
        **{name: getattr(policy, name) for name in NUMBERS},
        "products": {
            product.name: {"credits": product.credits, "price": product.price.amount_text}
            for product in catalog.products
        },
        "currency": catalog.currency,
    }


def _holidays_to_dict(holidays: PublicHolidays | None) -> dict[str, str] | None:
    if holidays is None:
        return None
    if holidays.subdivision is None:
        return {"country": holidays.country}
    return {"country": holidays.country, "subdivision": holidays.subdivision}


def policy_from_dict(raw: object) -> Policy:
    """A scenario's ``policy`` object as the :class:`Policy` replay applies, read by the
    same converter; an invalid one is a :class:`PolicyError` naming the field as a
    scenario does (``policy.reopen_days``). For hosts that keep policies as JSON files.

    >>> policy_from_dict({"response_target_minutes": 240}).response_target_minutes
    240
    >>> policy_from_dict({"reopen_days": 0})
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: policy.reopen_days: expected a whole number of at least 1, got 0
    """
    try:
        return structure_policy(raw)
    except PolicyError as error:
        # Not an object at all: the field is the policy itself, already named so.
        where = "policy" if error.field == "policy" else joined("policy", error.field)
        raise PolicyError(error.detail, rule=error.rule, field=where) from None
