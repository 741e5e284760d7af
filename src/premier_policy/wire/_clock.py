"""Instants written as ISO 8601 text in one zone, fast: the outcome writes hundreds of
thousands of them.

``datetime.isoformat`` asks the zone for its offset and formats seven numbers every
time. Within one hour of UTC a zone's offset does not change (no zone changes its offset
twice within an hour, and an hour whose two ends differ is left to ``isoformat``), so
:class:`Clock` looks the offset up once per hour and the date and hour once per local
hour, and writes the minutes and seconds from a table (and the microseconds, when
there are any, as ``isoformat`` does). At an offset of whole hours (most zones, most of
the time) the local minutes and seconds are UTC's, so an hour seen once is one lookup.
An instant in an hour the lookup cannot place is written by ``isoformat`` itself: the
text is the same.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from typing import Final

from premier_policy.base._instants import EPOCH, NAIVE_EPOCH, UTC_EPOCH

__all__ = ["Clock"]

#: ``"MM:SS"`` for each second of an hour.
_MINUTES_SECONDS: Final = tuple(f"{s // 60:02d}:{s % 60:02d}" for s in range(3600))
#: ``"000"`` to ``"999"``: microseconds are written as two of these, by lookups (a
#: ``:06d`` format takes twice as long, and most instants of a replay have them).
_THOUSANDS: Final = tuple(f"{n:03d}" for n in range(1000))
_HOUR: Final = 3600
_minus: Final = datetime.__sub__
#: An hour of UTC at whose two ends the zone's offsets differ.
_CHANGING: Final = (0, "")


class Clock:
    """Aware instants as ``isoformat`` writes them in ``zone``, by table lookups.

    >>> import pendulum
    >>> from zoneinfo import ZoneInfo
    >>> clock = Clock(ZoneInfo("Europe/Paris"))
    >>> clock.text(pendulum.datetime(2026, 3, 29, 0, 59, 59)), clock.text(pendulum.datetime(2026, 3, 29, 1))
    ('2026-03-29T01:59:59+01:00', '2026-03-29T03:00:00+02:00')
    """

    __slots__ = ("_hours", "_offsets", "_whole", "zone")

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        #: UTC hour -> (offset in seconds, its text), or _CHANGING.
        self._offsets: dict[int, tuple[int, str]] = {}
        #: local hour -> ``"YYYY-MM-DDTHH:"``.
        self._hours: dict[int, str] = {}
        #: UTC hour at a whole number of hours' offset -> (its local ``"YYYY-MM-DDTHH:"``,
        #: its offset's text): the minutes and seconds are UTC's, one lookup per instant.
        self._whole: dict[int, tuple[str, str]] = {}

    def text(self, t: datetime) -> str:
        """``t`` (aware) in the zone, as ``t.astimezone(zone).isoformat()`` writes it."""
        since = _minus(t, EPOCH)  # datetime's: pendulum's makes an Interval
        seconds = since.days * 86400 + since.seconds
        whole = self._whole.get(seconds // _HOUR)
        if whole is None:
            return self._text(t, since, seconds)
        micro = since.microseconds
        if micro:
            return (
                f"{whole[0]}{_MINUTES_SECONDS[seconds % _HOUR]}"
                f".{_THOUSANDS[micro // 1000]}{_THOUSANDS[micro % 1000]}{whole[1]}"
            )
        return f"{whole[0]}{_MINUTES_SECONDS[seconds % _HOUR]}{whole[1]}"

    def with_utc(self, t: datetime) -> tuple[str, str]:
        """``t`` (aware) as :meth:`text` writes it, and in UTC as ``isoformat`` writes
        it there (``+00:00``): a notification's instant and the one its ID hashes, from
        one subtraction. At a whole number of hours' offset, the two texts share their
        minutes and seconds.

        >>> import pendulum
        >>> from zoneinfo import ZoneInfo
        >>> Clock(ZoneInfo("Europe/Paris")).with_utc(pendulum.datetime(2026, 12, 31, 23, 30))
        ('2027-01-01T00:30:00+01:00', '2026-12-31T23:30:00+00:00')
        """
        since = _minus(t, EPOCH)
        seconds = since.days * 86400 + since.seconds
        hour = seconds // _HOUR
        whole = self._whole.get(hour)
        utc_hour = _UTC._hours.get(hour)  # UTC's local hours are its UTC hours
        if whole is None or utc_hour is None:
            return self.text(t), _UTC.text(t)  # which fill both tables
        minutes_seconds = _MINUTES_SECONDS[seconds % _HOUR]
        micro = since.microseconds
        if micro:
            minutes_seconds = (
                f"{minutes_seconds}.{_THOUSANDS[micro // 1000]}{_THOUSANDS[micro % 1000]}"
            )
        return f"{whole[0]}{minutes_seconds}{whole[1]}", f"{utc_hour}{minutes_seconds}+00:00"

    def _text(self, t: datetime, since: timedelta, seconds: int) -> str:
        hour = seconds // _HOUR
        offset = self._offsets.get(hour)
        if offset is None:
            offset = self._offsets[hour] = self._offset(hour)
        if offset is _CHANGING:
            return self._slow(t)
        local = seconds + offset[0]
        local_hour = local // _HOUR
        prefix = self._hours.get(local_hour)
        if prefix is None:
            prefix = self._hours[local_hour] = (
                NAIVE_EPOCH + timedelta(hours=local_hour)
            ).isoformat()[:14]
        if not offset[0] % _HOUR:
            self._whole[hour] = (prefix, offset[1])
        micro = since.microseconds
        if micro:
            return f"{prefix}{_MINUTES_SECONDS[local % _HOUR]}.{micro:06d}{offset[1]}"
        return f"{prefix}{_MINUTES_SECONDS[local % _HOUR]}{offset[1]}"

    def _offset(self, hour: int) -> tuple[int, str]:
        start = (UTC_EPOCH + timedelta(hours=hour)).astimezone(self.zone)
        end = (UTC_EPOCH + timedelta(hours=hour, seconds=_HOUR - 1)).astimezone(self.zone)
        offset = start.utcoffset()
        if offset is None or offset != end.utcoffset() or offset.microseconds:
            return _CHANGING
        return int(offset.total_seconds()), start.isoformat()[19:]

    def _slow(self, t: datetime) -> str:
        # datetime's own conversion and text, of a plain datetime: converting a pendulum
        # DateTime into a ZoneInfo zone goes through pendulum's arithmetic, which in an
        # hour holding a change of offset came back naive and wrong (Lord Howe's spring
        # change at 15:30 UTC read "16:00:00", with no offset).
        return (UTC_EPOCH + _minus(t, EPOCH)).astimezone(self.zone).isoformat()


#: UTC's own clock, whose table of hours :meth:`Clock.with_utc` reads.
_UTC: Final = Clock(UTC)
