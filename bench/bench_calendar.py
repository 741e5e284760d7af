"""Business-hours arithmetic: our Calendar against businesstimedelta and pandas, one process.

Workloads (the issue's):

- ``add``: +2 business hours on 20,000 random instants over 2026-2027 (seeded RNG; the
  same instants for everyone), Monday-Friday 08:00-19:00 Paris.
- ``between``: business time over spans of 1, 30, 365 and 3,650 days.

Fairness. Every library gets the same instants, converted *before* the clock starts
into the form it takes best, and must produce the same answers (checked and printed):

- ours: aware stdlib datetimes in UTC; results are pendulum ``DateTime`` in Paris.
- ``businesstimedelta``: the same aware UTC datetimes, with a ``WorkDayRule`` in the
  pytz Paris zone; results are aware datetimes in Paris.
- pandas ``CustomBusinessHour`` has no time zone: it gets *naive Paris wall-clock*
  ``Timestamp`` inputs (the zone conversion, which we and businesstimedelta do inside
  the call, is done for it up front and not timed) and gives naive wall-clock results.
  It rolls a result that lands exactly on closing time to the next opening (Friday
  17:00 + 2 h is Monday 08:00 for pandas, Friday 19:00 for us): the same business
  time, so the check accepts either. pandas has no "business time between", so the
  ``between`` table shows n/a for it.

Our calendar's tables are warm when timed (a calendar is built once and reused); the
cold first call, which builds the year's table, is printed separately.

Run: ``.venv/bin/python bench/bench_calendar.py`` (or ``make bench``).
"""

from __future__ import annotations

import operator
import random
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import businesstimedelta
import pandas as pd
import pendulum
import pytz  # type: ignore[import-untyped]

from premier_policy import Calendar

INSTANTS = 20_000
SEED = 2026
FIRST, LAST = datetime(2026, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC)
TWO_HOURS = timedelta(hours=2)
SPANS_DAYS = (1, 30, 365, 3_650)
PARIS = ZoneInfo("Europe/Paris")
ADD_TARGET = 10.0  # at least this many times faster than businesstimedelta
BETWEEN_TARGET = 2.0  # 3,650 days at most this many times our 1-day cost
CHUNKS = 10  # libraries take turns chunk by chunk (see timed)


def random_instants(count: int, rng: random.Random) -> list[datetime]:
    """``count`` aware UTC instants, uniform over 2026-2027, to the second."""
    seconds = int((LAST - FIRST).total_seconds())
    return [FIRST + timedelta(seconds=rng.randrange(seconds)) for _ in range(count)]


def timed(
    runs: dict[str, tuple[Callable[..., Any], Sequence[Any], Sequence[Any]]], *, rounds: int
) -> dict[str, tuple[float, list[Any]]]:
    """µs per call of each library's two-argument function over its argument columns,
    and its results (calls go through ``map``, so no harness code runs between them).

    Each library's inputs are cut into :data:`CHUNKS` chunks; the libraries take turns
    chunk by chunk, and each chunk counts with its best of ``rounds`` runs. A burst of
    load on the machine then hits every library alike instead of skewing one figure.
    """
    best = {name: [float("inf")] * CHUNKS for name in runs}
    results: dict[str, list[Any]] = {name: [] for name in runs}
    for round_ in range(rounds):
        for chunk in range(CHUNKS):
            for name, (call, first, second) in runs.items():
                size = -(-len(first) // CHUNKS)
                part = slice(chunk * size, (chunk + 1) * size)
                began = time.perf_counter()
                out = list(map(call, first[part], second[part]))
                best[name][chunk] = min(best[name][chunk], time.perf_counter() - began)
                if round_ == 0:
                    results[name] += out
    return {name: (sum(best[name]) / len(results[name]) * 1e6, results[name]) for name in runs}


def peers() -> tuple[Any, Any, Any]:
    """businesstimedelta's rule and +2 h delta, and pandas's +2 h offset, for the service."""
    rule = businesstimedelta.WorkDayRule(
        start_time=clock(8),
        end_time=clock(19),
        working_days=[0, 1, 2, 3, 4],
        tz=pytz.timezone("Europe/Paris"),
    )
    delta = businesstimedelta.BusinessTimeDelta(rule, hours=2)
    offset = pd.offsets.CustomBusinessHour(
        n=2, start="08:00", end="19:00", weekmask="Mon Tue Wed Thu Fri"
    )
    return rule, delta, offset


def agreement(
    calendar: Calendar,
    ours: Sequence[pendulum.DateTime],
    btd: Sequence[datetime],
    pandas: Sequence[Any],
) -> tuple[int, int]:
    """How many results businesstimedelta and pandas share with ours (pandas: on the wall
    clock, its closing-time roll to the next opening counting as the same)."""
    same_btd = sum(a.timestamp() == b.timestamp() for a, b in zip(ours, btd, strict=True))
    same_pandas = 0
    for mine, theirs in zip(ours, pandas, strict=True):
        rolled = calendar.next_open(mine)
        same_pandas += theirs.to_pydatetime() in {mine.naive(), rolled.naive()}
    return same_btd, same_pandas


def bench_add(calendar: Calendar, rng: random.Random) -> tuple[float, list[str]]:
    """+2 business hours on the same 20,000 instants for each library."""
    _, delta, offset = peers()
    starts = random_instants(INSTANTS, rng)
    naive_paris = [pd.Timestamp(t.astimezone(PARIS).replace(tzinfo=None)) for t in starts]

    began = time.perf_counter()
    calendar.add(starts[0], TWO_HOURS)  # the run's first call: it builds the year's table
    cold_ms = (time.perf_counter() - began) * 1e3

    found = timed(
        {
            "ours": (calendar.add, starts, [TWO_HOURS] * INSTANTS),
            "btd": (operator.add, starts, [delta] * INSTANTS),
            "pandas": (operator.add, naive_paris, [offset] * INSTANTS),
        },
        rounds=3,
    )
    (us_ours, ours), (us_btd, btd), (us_pandas, pandas) = found.values()
    same_btd, same_pandas = agreement(calendar, ours, btd, pandas)
    ratio = us_btd / us_ours
    lines = [
        f"add: +2 business hours on {INSTANTS:,} random instants, 2026-2027 (seed {SEED})",
        f"  {'library':<36}{'µs/call':>9}{'vs ours':>10}{'same result':>13}",
        f"  {'premier_policy Calendar':<36}{us_ours:>9.2f}{1.0:>9.1f}x{INSTANTS:>13,}",
        f"  {'businesstimedelta (pytz Paris)':<36}{us_btd:>9.2f}{ratio:>9.1f}x{same_btd:>13,}",
        f"  {'pandas CustomBusinessHour (naive)':<36}{us_pandas:>9.2f}"
        f"{us_pandas / us_ours:>9.1f}x{same_pandas:>13,}",
        f"  the first call (builds the year's table, then cached): {cold_ms:.2f} ms",
        f"  target: >= {ADD_TARGET:.0f}x faster than businesstimedelta -> {ratio:.1f}x "
        f"{'OK' if ratio >= ADD_TARGET else 'MISSED'}",
    ]
    return ratio, lines


def bench_between(calendar: Calendar, rng: random.Random) -> tuple[float, list[str]]:
    """Business time over spans of 1 to 3,650 days, ours against businesstimedelta."""
    rule, _, _ = peers()
    starts = random_instants(2_000, rng)
    lines = [
        "between: business time over a span starting at random instants in 2026-2027",
        f"  {'span':>11}{'ours µs':>10}{'vs 1 day':>10}{'btd µs':>14}{'btd/ours':>10}",
    ]
    one_day = longest = 0.0
    for days in SPANS_DAYS:
        ends = [t + timedelta(days=days) for t in starts]
        # businesstimedelta walks day by day: a handful of calls is plenty at 10 years.
        few = max(3, 2_000 // days)
        found = timed(
            {
                "ours": (calendar.between, starts, ends),
                "btd": (rule.difference, starts[:few], ends[:few]),
            },
            rounds=3,
        )
        (mine, durations), (theirs, deltas) = found.values()
        same = sum(a == b.timedelta for a, b in zip(durations, deltas, strict=False))
        if same != few:
            raise AssertionError(f"between disagrees with businesstimedelta over {days} days")
        one_day = one_day or mine
        longest = mine / one_day
        lines.append(
            f"  {days:>6,} days{mine:>10.2f}{mine / one_day:>9.2f}x"
            f"{theirs:>14.1f}{theirs / mine:>9,.0f}x"
        )
    lines.append("  pandas CustomBusinessHour: n/a (no business-time difference)")
    lines.append(
        f"  target: 3,650 days within {BETWEEN_TARGET:.0f}x of our 1-day cost -> "
        f"{longest:.2f}x {'OK' if longest <= BETWEEN_TARGET else 'MISSED'}"
    )
    return longest, lines


def main() -> int:
    """Print both tables; exit 1 when a target is missed."""
    rng = random.Random(SEED)
    calendar = Calendar()
    add_ratio, add_lines = bench_add(calendar, rng)
    between_ratio, between_lines = bench_between(calendar, rng)
    print("\n".join([*add_lines, "", *between_lines]))
    return 0 if add_ratio >= ADD_TARGET and between_ratio <= BETWEEN_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
