"""Policies that change at dated instants (``policy.changes``): timelines of versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from attrs import evolve
from hypothesis import strategies as st

from premier_policy.strategies._instants import instants
from premier_policy.strategies._options import (
    DEFAULT_MAX,
    DEFAULT_MIN,
    ZONES,
    Terms,
    _check,
    _range,
    _sizes,
    _strategy,
)
from premier_policy.strategies._policies import (
    _DATES,
    _calendars,
    _catalogs,
    _holidays,
    _policies,
)
from premier_policy.strategies._ticks import _from_ticks, _ticks
from premier_policy.terms._policy import Policy, PolicyChange

__all__ = ["timelines"]

_TERMS = ("commercial", "incident", "hours")


def _changed(
    draw: st.DrawFn, previous: Policy, terms: Terms, dates: st.SearchStrategy[date]
) -> Policy:
    """The terms of the next version: ``previous`` with the ``terms`` overridden, each
    number kept half the time (a change rarely touches every field)."""

    def number(kept: int, low: int, high: int) -> int:
        return draw(st.one_of(st.just(kept), st.integers(low, high)))

    chosen = [group for group in _TERMS if draw(st.booleans())] if terms == "any" else [terms]
    fields: dict[str, Any] = {}
    if "commercial" in chosen:
        fields["catalog"] = draw(_catalogs())
        fields["validity_years"] = number(previous.validity_years, 1, 5)
        fields["expiry_notice_days"] = number(previous.expiry_notice_days, 0, 400)
    if "incident" in chosen:
        allowance = number(previous.allowance_minutes, 1, 24 * 60)
        fields["response_target_minutes"] = number(previous.response_target_minutes, 1, 4320)
        fields["allowance_minutes"] = allowance
        fields["warning_minutes"] = number(min(previous.warning_minutes, allowance), 0, allowance)
        fields["auto_close_days"] = number(previous.auto_close_days, 1, 90)
        fields["reopen_days"] = number(previous.reopen_days, 1, 90)
    if "hours" in chosen:
        zone = st.just(previous.calendar.timezone)  # the time zone never changes
        fields["calendar"] = draw(_calendars(zone, dates, _holidays("mixed")))
    return evolve(previous, **fields)


@st.composite
def _timelines(
    draw: st.DrawFn,
    policies: st.SearchStrategy[Policy],
    lo: int,
    hi: int,
    sizes: tuple[int, int],
    terms: Terms,
) -> Policy:
    base = evolve(draw(policies), changes=())
    when = instants(
        timezone=base.tz.name, min_value=_from_ticks(lo), max_value=_from_ticks(hi)
    ).map(_ticks)
    starts = sorted(draw(st.lists(when, min_size=sizes[0], max_size=sizes[1], unique=True)))
    # Closed dates and extra openings of new hours land among the changes.
    first, last = _from_ticks(lo).date(), _from_ticks(hi).date()
    dates = st.dates(first, last)
    changes: list[PolicyChange] = []
    previous = base
    for start in starts:
        previous = _changed(draw, previous, terms, dates)
        changes.append(PolicyChange(_from_ticks(start), previous))
    return evolve(base, changes=changes)


def timelines(
    *,
    policies: st.SearchStrategy[Policy] | None = None,
    min_value: datetime = DEFAULT_MIN,
    max_value: datetime = DEFAULT_MAX,
    min_size: int = 0,
    max_size: int = 3,
    terms: Terms = "any",
) -> st.SearchStrategy[Policy]:
    """Policies with dated changes (``policy.changes``): a base policy drawn from
    ``policies`` (default: :func:`policies` over calendars with public holidays half
    the time; any changes of its own are dropped), then ``min_size`` to ``max_size``
    changes at strictly increasing instants in ``[min_value, max_value]``, favouring
    DST changes and business edges as :func:`instants` does.

    Each change overrides the version before it, in the same time zone: with
    ``terms="commercial"`` its products, prices, currency, validity and expiry notice;
    ``"incident"`` its response target, allowance per credit, warning level,
    auto-close and reopen windows; ``"hours"`` its week, closures, extra openings and
    public holidays (dates among the changes); ``"any"`` (the default) any of these
    groups, or none at all. Each overridden number keeps its value half the time.
    :func:`scenarios` writes such a policy as ``policy`` and ``policy_changes``.

    >>> from hypothesis import find, strategies as st
    >>> from premier_policy import Policy
    >>> p = find(
    ...     timelines(policies=st.just(Policy()), terms="incident", min_size=2),
    ...     lambda p: p.changes[1].policy.reopen_days != 30,
    ... )
    >>> len(p.changes), p.changes[0].at < p.changes[1].at, p.versions[2].reopen_days != 30
    (2, True, True)
    >>> p.changes[1].policy.catalog == p.catalog
    True
    """
    _check(
        terms in ("any", *_TERMS),
        f"terms={terms!r}: use 'any', 'commercial', 'incident' or 'hours'",
    )
    if policies is None:
        policies = _policies(_calendars(st.sampled_from(ZONES), _DATES, _holidays("mixed")))
    _strategy("policies", policies)
    lo, hi = _range(min_value, max_value)
    sizes = _sizes(min_size, max_size)
    _check(
        sizes[0] <= hi - lo + 1,
        f"min_size={min_size!r} changes do not fit between min_value and max_value",
    )
    return _timelines(policies, lo, hi, sizes, terms)
