"""The report of a what-if replay, and the whole pipeline in one process.

:func:`what_if` is the pure function under ``premier-policy batch``: route the events
(:class:`~premier_policy.whatif.Router`), read each group of partitions
(:class:`~premier_policy.whatif.Partition`), settle the instant the report describes
(:func:`report_as_of`), summarise each group under each variant and merge
(:func:`~premier_policy.whatif.summarize`, :func:`~premier_policy.whatif.merge`). The
batch runner does the same steps on a Dask cluster; its partitions live there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from itertools import chain
from typing import Any

from attrs import frozen

from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._rules import RuleId
from premier_policy.whatif._partition import Partition
from premier_policy.whatif._route import Router
from premier_policy.whatif._summary import Summary, merge, summarize
from premier_policy.whatif._variant import Variant

__all__ = ["Report", "check_variants", "report_as_of", "what_if"]


def check_variants(variants: Sequence[Variant]) -> tuple[Variant, ...]:
    """``variants`` as a tuple: at least one, each a :class:`Variant`, names distinct."""
    found = tuple(variants)
    if not found or not all(isinstance(v, Variant) for v in found):
        raise PolicyError("expected one or more Variant values", field="variants")
    names = [v.name for v in found]
    if len(set(names)) != len(names):
        raise PolicyError(f"variant names must differ, got {shown(names)}", field="variants")
    return found


def report_as_of(
    until: datetime | None,
    latest: Iterable[tuple[datetime, int] | None],
    variants: Sequence[Variant],
) -> datetime | None:
    """The instant a report describes (UTC): ``until``, or the instant of the latest
    readable event among the partitions' ``latest``; None when there is neither.

    ``until`` earlier than an event is refused (``input.out-of-order``), as replay
    refuses an ``until`` earlier than an applied event: the report could not describe
    that instant. It must also be an instant every variant's zone can write.
    """
    last = max((each for each in latest if each is not None), default=None)
    if until is None:
        return None if last is None else last[0]
    at = variants[0].policy.utc(until, field="until")
    for variant in variants:
        variant.policy.local(at, field="until")
    if last is not None and at < last[0]:
        shown = variants[0].policy.show
        raise PolicyError(
            f"{shown(at)} is earlier than the event of line {last[1]}, at {shown(last[0])}",
            rule=RuleId.INPUT_OUT_OF_ORDER,
            field="until",
        )
    return at


def _rate(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 6)


def _variant_dict(variant: Variant, summary: Summary) -> dict[str, Any]:
    return {
        "name": variant.name,
        "policy": dict(variant.overrides),
        "events": {
            "lines": summary.lines,
            "accepted": summary.events_accepted,
            "refused": summary.events_refused,
            "accepted_by_type": dict(summary.accepted),
            "refused_by_rule": dict(summary.refused),
            "bad_lines": [
                {"line": bad.line, "rule": bad.rule, "message": bad.message}
                for bad in summary.bad_lines
            ],
        },
        "incidents": {
            "opened": summary.incidents_opened,
            "invalidated": summary.incidents_invalidated,
            "reopened": summary.incidents_reopened,
        },
        "response_targets": {
            "started": summary.targets_started,
            "met": summary.targets_met,
            "breached": summary.targets_breached,
            "breach_rate": _rate(summary.breach_rate),
        },
        "first_response_business_minutes": {
            "responses": sum(summary.first_responses.values()),
            "median": summary.first_response((1, 2)),
            "p90": summary.first_response((9, 10)),
        },
        "credits": {
            "bought": summary.credits_bought,
            "consumed": summary.credits_consumed,
            "restored": summary.credits_restored,
            "expired_unused": summary.credits_expired_unused,
        },
        "revenue": {"amount": summary.revenue.amount_text, "currency": summary.revenue.currency},
        "weekly": [
            {
                "week": week.week,
                "started": week.started,
                "met": week.met,
                "breached": week.breached,
                "breach_rate": _rate(week.breach_rate),
            }
            for week in summary.weekly
        ],
    }


@frozen(kw_only=True)
class Report:
    """What a whole history amounted to under each variant, side by side.

    ``as_of`` is the instant described (UTC; None for a log with no readable event and
    no ``until``); ``summaries[i]`` is the summary under ``variants[i]``.
    """

    as_of: datetime | None
    variants: tuple[Variant, ...]
    summaries: tuple[Summary, ...]

    @property
    def lines(self) -> int:
        """The lines of the log that were judged (blank ones are not lines)."""
        return self.summaries[0].lines

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: ``as_of`` in UTC, each variant's figures.

        Rates are fractions rounded to six places, None when nothing was decided;
        response times are whole business minutes, by nearest rank.
        """
        return {
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "lines": self.lines,
            "variants": [
                _variant_dict(v, s) for v, s in zip(self.variants, self.summaries, strict=True)
            ],
        }


def what_if(
    events: Iterable[object],
    variants: Sequence[Variant],
    *,
    until: datetime | None = None,
    partitions: int = 1,
) -> Report:
    """Replay ``events`` (a log in the scenario's event format, parsed: one JSON value per
    line, customers interleaved) under each variant and report, side by side.

    The events are sorted by instant, stably, as one replay of the whole log would take
    them; the report describes ``until``, or the instant of the latest readable event.
    ``partitions`` splits the work by customer as the batch runner does; the report is
    the same for any number of them.

    >>> log = [
    ...     {"at": "2026-11-30T09:00:00+01:00", "type": "purchase", "customer": "acme",
    ...      "id": "p1", "product": "single"},
    ...     {"at": "2026-11-30T18:00:00+01:00", "type": "open", "customer": "acme",
    ...      "id": "i1", "area": "setup"},
    ...     {"at": "2026-12-01T09:30:00+01:00", "type": "staff_reply", "incident": "i1"},
    ...     "not an event"]
    >>> report = what_if(log, [Variant("2h"), Variant("4h", {"response_target_minutes": 240})])
    >>> [(s.targets_breached, s.first_response((1, 2))) for s in report.summaries]
    [(1, 150), (0, 150)]
    >>> report.summaries[0].bad_lines[0].line, report.summaries[0].refused
    (4, {'input.malformed': 1})
    """
    chosen = check_variants(variants)
    router = Router(partitions=partitions)
    parts: list[list[tuple[int, object]]] = [[] for _ in range(partitions)]
    later: list[tuple[int, Any]] = []
    for number, raw in enumerate(events, start=1):
        where = router.route(raw)
        if where is None:
            later.append((number, raw))
        else:
            parts[where].append((number, raw))
    for number, raw in later:
        parts[router.settle(raw)].append((number, raw))
    groups = [Partition.of(chain(*(parts[p] for p in group))) for group in router.groups()]
    as_of = report_as_of(until, (g.latest for g in groups), chosen)
    summaries = tuple(
        merge(
            (summarize(group, variant, as_of) for group in groups),
            currency=variant.policy.catalog.currency,
        )
        for variant in chosen
    )
    return Report(as_of=as_of, variants=chosen, summaries=summaries)
