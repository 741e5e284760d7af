"""The time boundary: zones, aware instants, exact durations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import PolicyError, RuleId
from premier_policy.base._instants import (
    as_stored,
    duration,
    instant,
    parse_instant,
    plain,
    stored,
    zone,
)

PARIS = zone("Europe/Paris")


def test_zone_is_cached_and_checked() -> None:
    """The same zone object comes back; unknown or empty names are refused naming the field."""
    assert zone("Europe/Paris") is PARIS
    for bad in ("Nowhere/Land", ""):
        with pytest.raises(PolicyError) as info:
            zone(bad)
        assert info.value.field == "timezone"


def test_naive_datetime_is_refused() -> None:
    """A naive datetime names input.aware-only and the field."""
    with pytest.raises(PolicyError) as info:
        instant(datetime(2026, 1, 1, 9), PARIS, field="t")
    assert info.value.rule is RuleId.INPUT_AWARE_ONLY
    assert info.value.field == "t"


def test_non_datetime_is_refused() -> None:
    """A date or a string is not an instant."""
    for bad, kind in (
        (date(2026, 1, 1), "date"),
        ("2026-01-01T09:00:00+01:00", "str"),
        (None, "NoneType"),
    ):
        with pytest.raises(PolicyError) as info:
            instant(bad, PARIS)
        assert info.value.detail == f"expected an aware datetime, got {kind}"


def test_same_zone_pendulum_instant_passes_through() -> None:
    """A pendulum DateTime already in the zone is returned as is."""
    t = pendulum.DateTime(2026, 3, 29, 3, 0, tzinfo=PARIS)
    assert instant(t, PARIS) is t


def test_fold_is_kept() -> None:
    """The second 02:30 of the autumn change stays the second one (+01:00)."""
    t = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    local = instant(t, PARIS)
    assert local.isoformat() == "2026-10-25T02:30:00+01:00"
    # PEP 495: inter-zone == is always False inside a fold, so compare timestamps.
    assert local.timestamp() == t.timestamp()


@given(st.datetimes(timezones=st.just(UTC), min_value=datetime(1900, 1, 1),
                    max_value=datetime(2100, 1, 1)))  # fmt: skip
def test_instant_preserves_the_moment(t: datetime) -> None:
    """Conversion never moves the instant and always lands in the zone."""
    local = instant(t, PARIS)
    assert local.timestamp() == t.timestamp()
    assert local.tzinfo is PARIS
    assert type(local) is pendulum.DateTime


def test_out_of_range_is_refused() -> None:
    """An instant that has no local equivalent is an error naming the field."""
    edge = datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    with pytest.raises(PolicyError, match="out of range") as info:
        instant(edge, PARIS)
    assert (info.value.rule, info.value.field) == (RuleId.INPUT_MALFORMED, "at")


def test_parse_instant() -> None:
    """ISO strings with offsets parse; bad strings and non-strings are malformed, and a
    string without an offset is input.aware-only, each naming the field."""
    assert parse_instant("2026-06-01T10:00:00+02:00", PARIS).hour == 10
    for bad, detail in (
        ("yesterday", "not an ISO 8601 instant: 'yesterday'"),
        (12, "expected an ISO 8601 string, got int"),
    ):
        with pytest.raises(PolicyError) as info:
            parse_instant(bad, PARIS, field="until")
        assert (info.value.rule, info.value.field, info.value.detail) == (
            RuleId.INPUT_MALFORMED,
            "until",
            detail,
        )
    with pytest.raises(PolicyError) as naive:
        parse_instant("2026-06-01T10:00:00", PARIS, field="until")
    assert (naive.value.rule, naive.value.field) == (RuleId.INPUT_AWARE_ONLY, "until")


def test_duration() -> None:
    """timedelta and exact Durations convert; months and other types are refused."""
    assert duration(timedelta(minutes=90)) == pendulum.duration(minutes=90)
    assert duration(pendulum.duration(days=1, hours=1)).in_hours() == 25
    assert duration(-timedelta(minutes=1)).total_seconds() == -60
    assert duration(-pendulum.duration(hours=1)).total_seconds() == -3600
    assert duration(pendulum.duration(seconds=-1, microseconds=5)).total_seconds() == -0.999995
    with pytest.raises(PolicyError, match="months and years"):
        duration(pendulum.duration(years=1))
    with pytest.raises(PolicyError) as info:
        duration(60, field="d")
    assert str(info.value) == "d: expected a timedelta, got int"


@pytest.mark.parametrize("name", [["Europe/Paris"], {"zone": "UTC"}])
def test_zone_refuses_unhashable_names_naming_the_timezone_field(name: object) -> None:
    """A list or object as a zone name is a PolicyError naming ``timezone``, not the
    cache's TypeError from hashing it."""
    with pytest.raises(PolicyError) as info:
        zone(name)  # type: ignore[arg-type]
    assert info.value.field == "timezone"


@given(
    st.datetimes(
        min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
    ),
    st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), zone("Europe/Paris")]),
)
def test_plain_and_stored_instants_convert_without_loss(moment: datetime, tz: tzinfo) -> None:
    """An aware instant in any zone becomes a plain UTC datetime and back a stored
    instant (pendulum's DateTime in UTC) of the same moment; a stored one is kept."""
    t = moment.astimezone(tz)
    kept = plain(t)
    assert (type(kept), kept.tzinfo, kept) == (datetime, pendulum.UTC, t)
    back = stored(kept)
    assert (type(back), back.tzinfo, back) == (pendulum.DateTime, pendulum.UTC, t)
    assert as_stored(back) is back
    assert as_stored(kept) == back
    assert type(as_stored(t)) is pendulum.DateTime
