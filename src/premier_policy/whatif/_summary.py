"""Summaries: what one replay under one policy amounted to, as a value that merges exactly.

:func:`summarize` replays one :class:`~premier_policy.whatif.Partition` with
:func:`~premier_policy.replay` and reads the figures off the outcome: every count is a
sum over events, incidents or lots, the weekly table a sum per week, the response times
a histogram of whole minutes, so :func:`merge` adds them and the merged summary of any
split of a log is the summary of the whole. Nothing here judges an event: results,
targets, lots and prices are the library's.

Two figures come from the rules' own definitions rather than from a field:

- credits *consumed* are one per accepted ``open`` (``lifecycle.open``) and ``extend``
  (``time.extension``);
- credits *restored* (``credits.restore``) are those consumed and no longer held by any
  lot: by the conservation law, ``credits = remaining + consumed_and_not_restored``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast

from attrs import field, frozen

from premier_policy.base._rules import RuleId
from premier_policy.engine._replay import replay
from premier_policy.terms._money import Money
from premier_policy.terms._policy import Policy
from premier_policy.whatif._partition import Partition
from premier_policy.whatif._variant import Variant

__all__ = ["BAD_LINES_KEPT", "BadLine", "Quantile", "Summary", "Week", "merge", "summarize"]

#: How many bad lines a summary names (the first ones, by line number); all are counted.
BAD_LINES_KEPT = 20
#: The rules of malformed input: a line refused by one of these is a bad line.
_BAD_RULES = frozenset({RuleId.INPUT_MALFORMED.value, RuleId.INPUT_AWARE_ONLY.value})
_MINUTE = timedelta(minutes=1)
#: A quantile as (numerator, denominator), so that ranks are exact: ``(9, 10)`` is p90.
Quantile = tuple[int, int]


@frozen
class BadLine:
    """A line refused as malformed input: its number, the rule and the message."""

    line: int
    rule: str
    message: str


@frozen
class Week:
    """The response targets started in one ISO week (``2026-W48``, in the policy zone)."""

    week: str
    started: int
    met: int
    breached: int

    @property
    def breach_rate(self) -> float | None:
        """Breached among the targets decided (met in time or breached); None if none.

        >>> Week("2026-W48", started=5, met=3, breached=1).breach_rate
        0.25
        """
        return _rate(self.breached, self.met)


def _rate(breached: int, met: int) -> float | None:
    decided = breached + met
    return breached / decided if decided else None


def _counts(value: Mapping[Any, int]) -> dict[Any, int]:
    """A count table without zeros, sorted by key: equal tables compare equal."""
    return {key: value[key] for key in sorted(value) if value[key]}


@frozen(kw_only=True)
class Summary:
    """The figures of one replay under one policy; add summaries with :func:`merge`.

    ``accepted`` counts accepted events by type, ``refused`` refused ones by rule ID;
    ``bad_lines`` names the first :data:`BAD_LINES_KEPT` malformed lines. Targets are
    counted when started, ``met`` when met in time, ``breached`` when breached (a late
    reply leaves a target breached); ``weeks`` holds (started, met, breached) per ISO week
    of the start; ``first_responses`` counts incidents by the whole business minutes from
    opening to the first staff reply. ``credits_held`` is the credits consumed and not
    restored, ``credits_expired_unused`` those left in lots expired by the report's
    instant; ``revenue`` sums the price of every lot bought.
    """

    lines: int = 0
    accepted: Mapping[str, int] = field(factory=dict, converter=_counts)
    refused: Mapping[str, int] = field(factory=dict, converter=_counts)
    bad_lines: tuple[BadLine, ...] = ()
    targets_started: int = 0
    targets_met: int = 0
    targets_breached: int = 0
    weeks: Mapping[str, tuple[int, int, int]] = field(factory=dict)
    first_responses: Mapping[int, int] = field(factory=dict, converter=_counts)
    credits_bought: int = 0
    credits_held: int = 0
    credits_expired_unused: int = 0
    revenue: Money = field(factory=lambda: Money.zero("USD"))

    @property
    def events_accepted(self) -> int:
        """Events the policy applied."""
        return sum(self.accepted.values())

    @property
    def events_refused(self) -> int:
        """Lines refused, malformed ones included."""
        return sum(self.refused.values())

    @property
    def incidents_opened(self) -> int:
        """Accepted openings."""
        return self.accepted.get("open", 0)

    @property
    def incidents_invalidated(self) -> int:
        """Accepted invalidations."""
        return self.accepted.get("invalidate", 0)

    @property
    def incidents_reopened(self) -> int:
        """Accepted reopenings."""
        return self.accepted.get("reopen", 0)

    @property
    def credits_consumed(self) -> int:
        """Credits taken: one per accepted opening and extension."""
        return self.accepted.get("open", 0) + self.accepted.get("extend", 0)

    @property
    def credits_restored(self) -> int:
        """Credits given back by invalidations: consumed, and no longer held."""
        return self.credits_consumed - self.credits_held

    @property
    def breach_rate(self) -> float | None:
        """Breached among the targets decided (met in time or breached); None if none."""
        return _rate(self.targets_breached, self.targets_met)

    def first_response(self, quantile: Quantile) -> int | None:
        """The ``quantile`` (as a fraction, ``(1, 2)`` for the median) of the business
        minutes to the first response, by nearest rank; None with no response.

        >>> Summary(first_responses={10: 3, 40: 1}).first_response((1, 2))
        10
        >>> Summary(first_responses={10: 3, 40: 1}).first_response((9, 10))
        40
        """
        over, under = quantile
        total = sum(self.first_responses.values())
        rank = -(-over * total // under)  # the ceiling, in whole numbers
        seen = 0
        for minutes, count in self.first_responses.items():
            seen += count
            if seen >= rank:
                return minutes
        return None

    @property
    def weekly(self) -> tuple[Week, ...]:
        """The weeks in order."""
        return tuple(Week(week, *self.weeks[week]) for week in sorted(self.weeks))


def merge(summaries: Iterable[Summary], *, currency: str = "USD") -> Summary:
    """The summary of the union of what ``summaries`` summarise (of one policy).

    ``currency`` is that of an empty merge's revenue.

    >>> one = Summary(lines=2, accepted={"open": 1}, refused={"input.malformed": 1})
    >>> two = Summary(lines=1, accepted={"open": 1, "purchase": 1})
    >>> total = merge([one, two])
    >>> total.lines, total.accepted, total.incidents_opened
    (3, {'open': 2, 'purchase': 1}, 2)
    """
    accepted: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    responses: Counter[int] = Counter()
    weeks: dict[str, tuple[int, int, int]] = {}
    bad: list[BadLine] = []
    lines = started = met = breached = bought = held = expired = 0
    revenue: Money | None = None
    for each in summaries:
        lines += each.lines
        accepted.update(each.accepted)
        refused.update(each.refused)
        responses.update(each.first_responses)
        bad.extend(each.bad_lines)
        started += each.targets_started
        met += each.targets_met
        breached += each.targets_breached
        for week, counts in each.weeks.items():
            before = weeks.get(week, (0, 0, 0))
            weeks[week] = (before[0] + counts[0], before[1] + counts[1], before[2] + counts[2])
        bought += each.credits_bought
        held += each.credits_held
        expired += each.credits_expired_unused
        revenue = each.revenue if revenue is None else revenue + each.revenue
    bad.sort(key=lambda b: (b.line, b.rule, b.message))
    return Summary(
        lines=lines,
        accepted=accepted,
        refused=refused,
        bad_lines=tuple(bad[:BAD_LINES_KEPT]),
        targets_started=started,
        targets_met=met,
        targets_breached=breached,
        weeks=dict(sorted(weeks.items())),
        first_responses=responses,
        credits_bought=bought,
        credits_held=held,
        credits_expired_unused=expired,
        revenue=Money.zero(currency) if revenue is None else revenue,
    )


def _week(text: str) -> str:
    """The ISO week of an instant as the outcome writes it (in the policy zone)."""
    year, week, _ = datetime.fromisoformat(text).isocalendar()
    return f"{year}-W{week:02d}"


def summarize(partition: Partition, variant: Variant, as_of: datetime | None) -> Summary:
    """Replay ``partition`` under ``variant`` up to ``as_of`` (every timer due by then has
    fired; no earlier than the partition's latest event) and summarise the outcome.

    >>> from premier_policy.whatif import Partition
    >>> part = Partition.of(enumerate([
    ...     {"at": "2026-11-30T09:00:00+01:00", "type": "purchase", "customer": "acme",
    ...      "id": "p1", "product": "single"},
    ...     {"at": "2026-11-30T10:00:00+01:00", "type": "open", "customer": "acme",
    ...      "id": "i1", "area": "setup"},
    ...     {"at": "2026-11-30T10:30:00+01:00", "type": "staff_reply", "incident": "i1"},
    ...     {"at": "2026-11-30T11:00:00+01:00", "type": "open", "customer": "acme",
    ...      "id": "i2", "area": "setup"}], start=1))
    >>> done = summarize(part, Variant("A"), part.latest[0])
    >>> done.accepted, done.refused
    ({'open': 1, 'purchase': 1, 'staff_reply': 1}, {'credits.none-available': 1})
    >>> done.targets_met, done.first_response((1, 2)), str(done.revenue)
    (1, 30, '75.00 USD')
    """
    policy = variant.policy
    document: dict[str, Any] = {"policy": variant.overrides, "events": list(partition.events)}
    if as_of is not None:
        document["until"] = as_of.isoformat()
    outcome = replay(document)
    accepted: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    bad: list[BadLine] = []
    for result, number, raw in zip(
        outcome["results"], partition.numbers, partition.events, strict=True
    ):
        if result["accepted"]:
            accepted[cast(Mapping[str, str], raw)["type"]] += 1  # accepted: an event
            continue
        rule = result["rule"]
        refused[rule] += 1
        if rule in _BAD_RULES:
            bad.append(BadLine(number, rule, result["message"]))
    for number, detail in partition.unreadable:
        rule = RuleId.INPUT_MALFORMED.value
        refused[rule] += 1
        bad.append(BadLine(number, rule, f"malformed line: not JSON: {detail}"))
    bad.sort(key=lambda b: (b.line, b.rule, b.message))
    targets = _targets(policy, outcome["incidents"].values())
    return Summary(
        lines=len(partition.events) + len(partition.unreadable),
        accepted=accepted,
        refused=refused,
        bad_lines=tuple(bad[:BAD_LINES_KEPT]),
        **targets,
        **_credits(policy, outcome["customers"].values(), outcome["as_of"]),
    )


def _targets(policy: Policy, incidents: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    started = met = breached = 0
    weeks: dict[str, list[int]] = {}
    responses: Counter[int] = Counter()
    for incident in incidents:
        targets: Sequence[Mapping[str, Any]] = incident["response_targets"]
        for target in targets:
            started += 1
            counts = weeks.setdefault(_week(target["started_at"]), [0, 0, 0])
            counts[0] += 1
            if target["breached"]:
                breached += 1
                counts[2] += 1
            elif target["met_at"] is not None:
                met += 1
                counts[1] += 1
        first = targets[0]
        if first["met_at"] is not None:
            took = policy.calendar.between(
                datetime.fromisoformat(first["started_at"]), datetime.fromisoformat(first["met_at"])
            )
            responses[timedelta.__floordiv__(took, _MINUTE)] += 1
    return {
        "targets_started": started,
        "targets_met": met,
        "targets_breached": breached,
        "weeks": {week: (c[0], c[1], c[2]) for week, c in sorted(weeks.items())},
        "first_responses": responses,
    }


def _credits(
    policy: Policy, customers: Iterable[Mapping[str, Any]], as_of: str | None
) -> dict[str, Any]:
    bought = held = expired = 0
    revenue = Decimal(0)
    end = None if as_of is None else datetime.fromisoformat(as_of)
    for customer in customers:
        for lot in customer["lots"]:
            bought += lot["credits"]
            held += lot["credits"] - lot["remaining"]
            revenue += Decimal(lot["price"])
            if end is not None and datetime.fromisoformat(lot["expires_at"]) <= end:
                expired += lot["remaining"]
    return {
        "credits_bought": bought,
        "credits_held": held,
        "credits_expired_unused": expired,
        "revenue": Money(revenue, policy.catalog.currency),
    }
