"""A year of a vendor's Premier Support history, as a JSON-lines log for ``batch``.

The walk-through of ``docs/at-scale.md`` runs on it. Customers buy bundles when they run
out, open incidents mostly in business hours, and staff answer after a business-time
delay that grows in the busy weeks (March and late autumn); customers reply, staff
resolve, some customers close, a few reopen, a few incidents are invalidated, and some
credits are left to expire. Deterministic for a seed.

Run: ``.venv/bin/python tools/what_if_history.py history.jsonl [--customers N]``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from premier_policy import AREAS, Policy

CALENDAR = Policy().calendar
YEAR_START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday
WEEKS = 51


def _busy(week: int) -> float:
    """How much slower staff answer in ``week`` (1.0 is a calm week)."""
    spring = math.exp(-(((week - 11) / 2.0) ** 2))
    autumn = math.exp(-(((week - 46) / 3.0) ** 2))
    return 1.0 + 1.3 * spring + 1.8 * autumn


def _after(at: datetime, minutes: float) -> datetime:
    """``at`` plus that many business minutes (staff work in business hours)."""
    return CALENDAR.add(at, timedelta(minutes=round(minutes)))


def _incident(rng: random.Random, customer: str, key: str, at: datetime) -> list[dict[str, Any]]:
    week = (at - YEAR_START).days // 7
    slow = _busy(week)
    out: list[dict[str, Any]] = [{"at": at, "type": "open", "customer": customer, "id": key,
                                  "area": rng.choice(AREAS)}]  # fmt: skip
    now = _after(at, rng.lognormvariate(math.log(45 * slow), 0.6))
    out.append({"at": now, "type": "staff_reply", "incident": key})
    for _ in range(rng.choice((0, 0, 1, 1, 2))):
        now += timedelta(hours=rng.uniform(1, 30))
        out.append({"at": now, "type": "customer_reply", "incident": key})
        now = _after(now, rng.lognormvariate(math.log(50 * slow), 0.6))
        out.append({"at": now, "type": "staff_reply", "incident": key})
    now += timedelta(minutes=rng.randrange(5, 60))
    out.append({"at": now, "type": "log_time", "incident": key, "minutes": rng.randrange(20, 150)})
    if rng.random() < 0.05:
        now += timedelta(hours=2)
        out.append({"at": now, "type": "invalidate", "incident": key, "reason": "vendor_bug"})
        return out
    now += timedelta(hours=rng.uniform(1, 48))
    out.append({"at": now, "type": "resolve", "incident": key})
    if rng.random() < 0.3:
        now += timedelta(days=rng.uniform(0.5, 5))
        out.append({"at": now, "type": "close", "incident": key})
    if rng.random() < 0.06:
        now += timedelta(days=rng.uniform(1, 10))
        out.append({"at": now, "type": "reopen", "incident": key})
        now = _after(now, rng.lognormvariate(math.log(40 * slow), 0.6))
        out.append({"at": now, "type": "staff_reply", "incident": key})
        now += timedelta(hours=3)
        out.append({"at": now, "type": "resolve", "incident": key})
    return out


def history(customers: int, *, seed: int = 2026) -> list[dict[str, Any]]:
    """Every event of the year, in time order (ties keep generation order)."""
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []
    opened = bought = 0
    for n in range(customers):
        customer = f"customer-{n:04d}"
        credits = 0
        per_year = rng.choice((2, 4, 6, 10, 16))
        for offset in sorted(rng.randrange(WEEKS * 7) for _ in range(per_year)):
            day = YEAR_START + timedelta(days=offset)
            # Mostly in business hours, Paris time; now and then in the evening.
            at = day.replace(hour=rng.choice((7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19)),
                             minute=rng.randrange(60))  # fmt: skip
            if credits == 0:
                bought += 1
                credits += 3
                events.append({"at": at - timedelta(minutes=10), "type": "purchase",
                               "customer": customer, "id": f"p{bought}",
                               "product": "bundle-3"})  # fmt: skip
            opened += 1
            credits -= 1
            events += _incident(rng, customer, f"i{opened}", at)
    events.sort(key=lambda event: event["at"])
    paris = timezone(timedelta(hours=1))
    return [{**event, "at": event["at"].astimezone(paris).isoformat()} for event in events]


def main() -> None:
    """Write the log."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--customers", type=int, default=600)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as log:
        for event in history(args.customers):
            log.write(json.dumps(event) + "\n")


if __name__ == "__main__":
    main()
