"""STUB - replaced by the calendar wing (issue 2). Interface only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pendulum
from attrs import field, frozen

from premier_policy._instants import zone


@frozen(kw_only=True)
class Calendar:
    timezone: str = "Europe/Paris"
    tz: pendulum.Timezone = field(init=False, eq=False, repr=False)

    @tz.default
    def _tz(self) -> pendulum.Timezone:
        return zone(self.timezone)

    def is_open(self, t: datetime) -> bool:
        raise NotImplementedError

    def next_open(self, t: datetime) -> pendulum.DateTime:
        raise NotImplementedError

    def add(self, t: datetime, d: timedelta) -> pendulum.DateTime:
        raise NotImplementedError

    def between(self, a: datetime, b: datetime) -> pendulum.Duration:
        raise NotImplementedError
