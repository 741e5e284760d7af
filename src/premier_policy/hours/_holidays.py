"""Public holidays: the observed holidays of a country (and subdivision), as the
``holidays`` package defines them, for any year (rule ``hours.holidays``).

A calendar asks for one year's dates when it builds that year's table, so the package
runs once per country, subdivision and year (cached here too, shared by every calendar)
and never on the hot path of business-time arithmetic.

The package is imported on first use, not with ``premier_policy``, and its holiday
names are not translated: the names are never used, and translating them would read the
package's message catalogues and the locale environment, which the core never does.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

from attrs import field, frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId

__all__ = ["PublicHolidays"]


def _untranslated(self: Any) -> None:
    # HolidayBase._init_translation, replaced: names stay as written in the package.
    self.tr = str


@functools.cache
def _countries() -> dict[str, Any]:
    """ISO 3166 code -> the package's entity class, loaded lazily by the package."""
    import holidays

    return {code: getattr(holidays, code) for code in holidays.list_supported_countries(False)}


@functools.cache
def _entity(country: str) -> Any:
    """The package's class for ``country``, with translation switched off."""
    base = _countries()[country].get_entity()
    return type(f"Untranslated{country}", (base,), {"_init_translation": _untranslated})


@functools.lru_cache(maxsize=1024)
def _dates(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    entity = _entity(country)(years=year, subdiv=subdivision, observed=True)
    return frozenset(day for day in entity if day.year == year)


def _country(_: object, attribute: Any, value: str) -> None:
    if not isinstance(value, str) or value not in _countries():
        raise PolicyError(
            f"expected a country code the holidays package knows (such as 'FR' or 'DE'), "
            f"got {shown(value)}",
            rule=RuleId.HOURS_HOLIDAYS,
            field="holidays.country",
        )


@frozen
class PublicHolidays:
    """The public holidays of ``country`` (ISO 3166 alpha-2, such as ``"FR"``), or of
    one of its subdivisions (``"BY"``, Bavaria, for ``"DE"``), observed dates included.

    >>> sorted(PublicHolidays("FR").on(2026))[-1]
    datetime.date(2026, 12, 25)
    >>> date(2026, 1, 6) in PublicHolidays("DE", "BY").on(2026), date(2026, 1, 6) in PublicHolidays("DE").on(2026)
    (True, False)
    >>> PublicHolidays("XX")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.holidays: holidays.country: expected a country code the holidays package knows (such as 'FR' or 'DE'), got 'XX'
    >>> PublicHolidays("DE", "XX")
    Traceback (most recent call last):
    ...
    premier_policy.PolicyError: hours.holidays: holidays.subdivision: DE has no subdivision 'XX'; it has BB, BE, BW, BY, HB, HE, HH, MV, NI, NW, RP, SH, SL, SN, ST, TH, Augsburg
    """

    country: str = field(validator=_country)
    subdivision: str | None = field(default=None)

    @subdivision.validator
    def _known(self, _: Any, value: object) -> None:
        if value is None:
            return
        known = _entity(self.country).subdivisions
        if not isinstance(value, str) or value not in known:
            listed = ", ".join(known) if known else "none"
            raise PolicyError(
                f"{self.country} has no subdivision {shown(value)}; it has {listed}",
                rule=RuleId.HOURS_HOLIDAYS,
                field="holidays.subdivision",
            )

    def on(self, year: int) -> frozenset[date]:
        """The holiday dates (observed ones included) of ``year``, computed once."""
        return _dates(self.country, self.subdivision, year)
