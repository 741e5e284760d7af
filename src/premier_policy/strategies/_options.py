"""Options shared by the strategies, and the checks that refuse a bad one at once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import pendulum
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from premier_policy.base._errors import PolicyError
from premier_policy.base._instants import zone
from premier_policy.strategies._ticks import _ticks
from premier_policy.terms._policy import Policy

__all__ = [
    "DEFAULT_MAX",
    "DEFAULT_MIN",
    "HOLIDAYS",
    "ZONES",
    "Bias",
    "Holidays",
    "Terms",
    "Validity",
]

#: What :func:`instants` favours: DST changes and business edges, or nothing.
Bias = Literal["dst-and-edges", "uniform"]
#: What :func:`scenarios` draws: valid documents, broken ones, or both.
Validity = Literal["valid", "broken", "mixed"]
#: Whether :func:`calendars` close on public holidays: never, always, or either.
Holidays = Literal["none", "some", "mixed"]
#: What the changes of :func:`timelines` override: commercial terms (products, prices,
#: currency, validity, expiry notice), incident terms (response target, allowance,
#: warning, auto-close and reopen windows), hours (week, closures, openings, holidays),
#: or any of them.
Terms = Literal["any", "commercial", "incident", "hours"]

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
#: The public holidays :func:`calendars` draws: (country, subdivision or None), as the
#: ``holidays`` package names them; observed dates and subdivisions included.
HOLIDAYS: tuple[tuple[str, str | None], ...] = (
    ("FR", None),
    ("DE", "BY"),
    ("DE", None),
    ("GB", "SCT"),
    ("US", "NY"),
    ("JP", None),
)


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
