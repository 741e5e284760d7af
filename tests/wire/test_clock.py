"""The outcome's clock: the text isoformat writes, by table lookups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy.wire._clock import Clock

#: Zones with odd offsets: half hours, 45 minutes, a local mean time with seconds, a
#: change of 30 minutes in the middle of a UTC hour (Lord Howe), a date-line jump, and
#: whole hours behind UTC (New York: the one-lookup path with negative offsets).
ZONES = [
    "Europe/Paris", "UTC", "Asia/Kolkata", "Asia/Kathmandu", "Australia/Lord_Howe",
    "Europe/Amsterdam", "Pacific/Apia", "America/St_Johns", "Africa/Monrovia",
    "America/New_York",
]  # fmt: skip


@given(
    st.datetimes(
        min_value=datetime(1800, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(ZONES),
)
def test_the_clock_writes_what_isoformat_writes(t: datetime, name: str) -> None:
    """Any instant in any of these zones, microseconds included: isoformat's text."""
    zone = ZoneInfo(name)
    clock = Clock(zone)
    instant = pendulum.instance(t).in_timezone(pendulum.UTC)
    assert clock.text(instant) == t.astimezone(zone).isoformat()
    assert clock.text(t) == t.astimezone(zone).isoformat()  # a second time, from the tables


@given(
    st.lists(
        st.datetimes(
            min_value=datetime(1800, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(ZONES),
)
def test_with_utc_writes_the_zones_text_and_utcs(instants: list[datetime], name: str) -> None:
    """with_utc: the text in the zone and the text in UTC (a notification ID's), for
    instants in the hours the tables have seen and in those they have not."""
    clock = Clock(ZoneInfo(name))
    for t in [*instants, *instants]:
        expected = (t.astimezone(ZoneInfo(name)).isoformat(), t.isoformat())
        assert clock.with_utc(pendulum.instance(t).in_timezone(pendulum.UTC)) == expected
        assert clock.with_utc(t) == expected


@pytest.mark.parametrize("name", ZONES)
def test_every_second_around_each_change_is_written_as_isoformat_does(name: str) -> None:
    """Around every change of offset in 2026 and 1900, every 7 seconds of its hour and
    its edges."""
    zone = ZoneInfo(name)
    clock = Clock(zone)
    for year in (1900, 2026):
        t = datetime(year, 1, 1, tzinfo=UTC)
        while t.year == year:
            step = t + timedelta(hours=1)
            if t.astimezone(zone).utcoffset() != step.astimezone(zone).utcoffset():
                for s in (*range(-5, 3605, 7), 3599, 3600):
                    u = t + timedelta(seconds=s)
                    expected = u.astimezone(zone).isoformat()
                    assert clock.text(u) == expected, (name, u)
                    # The engine's instants are pendulum's, which the hour's slow path
                    # must convert as plain datetimes.
                    assert clock.text(pendulum.instance(u)) == expected, (name, u)
            t = step


def test_an_hour_whose_offset_changes_is_left_to_isoformat() -> None:
    """St John's springs forward at 05:30 UTC: that hour is written instant by instant."""
    clock = Clock(ZoneInfo("America/St_Johns"))
    before = datetime(2026, 3, 8, 5, 29, tzinfo=UTC)
    after = datetime(2026, 3, 8, 5, 31, tzinfo=UTC)
    assert clock.text(before) == "2026-03-08T01:59:00-03:30"
    assert clock.text(after) == "2026-03-08T03:01:00-02:30"
    assert clock.text(pendulum.instance(after)) == "2026-03-08T03:01:00-02:30"


def test_lord_howes_olympic_spring_change_is_written_with_its_offset() -> None:
    """Lord Howe sprang forward half an hour at 15:30 UTC on 2000-08-26 (early, for the
    Sydney games): an event at that instant, a pendulum DateTime as the engine holds it,
    is 02:30 at +11:00, not the naive "2000-08-26T16:00:00" it once was."""
    clock = Clock(ZoneInfo("Australia/Lord_Howe"))
    assert clock.text(pendulum.datetime(2000, 8, 26, 15, 30)) == "2000-08-27T02:30:00+11:00"
    assert clock.text(pendulum.datetime(2000, 8, 26, 15, 29)) == "2000-08-27T01:59:00+10:30"


def test_an_instant_in_another_zone_is_written_in_the_clocks() -> None:
    """The instant counts, not the zone it was given in."""
    clock = Clock(ZoneInfo("Europe/Paris"))
    t = datetime(2026, 7, 1, 12, 0, 0, 5, tzinfo=timezone(timedelta(hours=-5)))
    assert clock.text(t) == "2026-07-01T19:00:00.000005+02:00"
