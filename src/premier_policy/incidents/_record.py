"""An incident's working form in the replay engine: a plain tuple the collector ignores.

The replay engine keeps tens of thousands of incidents for the length of a replay, and
each event makes a new version of one. As :class:`~premier_policy.Incident` values,
every version is an attrs object holding a response-target tuple of attrs objects, an
allowance and up to nine pendulum instants: a dozen objects CPython's cyclic garbage
collector traces, each living until the incident's next event, so each reaches the
oldest generation and its full passes (the cost per event grew with the replay's
length). A record holds the same fields as exact tuples of strings, integers and
standard-library instants in UTC, which the collector stops tracing at its first look.

A record is never given to a caller: :func:`incident_of` builds the value at the
boundary (a snapshot, a story), and the outcome writes records directly
(:class:`IncidentRecords`). :func:`record_of` and :func:`incident_of` are inverse.

>>> from premier_policy.incidents._allowance import Allowance
>>> from premier_policy.incidents._response import ResponseTarget
>>> t = pendulum.datetime(2026, 11, 27, 9, tz="UTC")
>>> incident = Incident(
...     id="i1", customer="acme", area="setup", state="waiting_on_staff", opened_at=t,
...     lots=("p1",), allowance=Allowance(minutes=240),
...     response_targets=(ResponseTarget(started_at=t, due_at=t.add(hours=2)),),
... )
>>> record = record_of(incident)
>>> record[STATE], record[LAST + DUE_AT].hour, type(record[OPENED_AT]).__name__
('waiting_on_staff', 11, 'datetime')
>>> incident_of(record) == incident, record_due(record) == t.add(hours=2)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Final, TypeAlias

import pendulum

from premier_policy.base._copies import maker
from premier_policy.base._instants import plain, stored
from premier_policy.incidents._allowance import Allowance
from premier_policy.incidents._incident import Incident
from premier_policy.incidents._response import ResponseTarget

__all__ = [
    "AREA",
    "AUTO_CLOSE_AT",
    "BREACHED",
    "CLOSED_AT",
    "CUSTOMER",
    "DROPPED_AT",
    "DUE_AT",
    "ID",
    "INVALID_REASON",
    "LAST",
    "LOTS",
    "MET_AT",
    "MINUTES",
    "OPENED_AT",
    "REOPEN_UNTIL",
    "RESOLVED_AT",
    "STARTED_AT",
    "STATE",
    "TARGETS",
    "TARGET_FIELDS",
    "USED",
    "VERSION",
    "WARNED",
    "IncidentRecords",
    "Record",
    "incident_of",
    "record_due",
    "record_of",
    "targets_of",
]

#: An incident as a flat tuple; its fields are named by the indexes below.
Record: TypeAlias = tuple[Any, ...]

# The incident's fields in Incident's order, its allowance spread in place; then its
# response targets, oldest first, five fields each (started_at, due_at, met_at,
# breached, dropped_at), so that the newest is the last five. Flat, because the
# collector stops tracing a tuple only once the tuples in it are untraced, one level
# per pass: a record of nested targets would reach its oldest generation first.
(
    ID, CUSTOMER, AREA, STATE, OPENED_AT, LOTS, MINUTES, USED, WARNED,
    RESOLVED_AT, AUTO_CLOSE_AT, CLOSED_AT, REOPEN_UNTIL, VERSION, INVALID_REASON, TARGETS,
) = range(16)  # fmt: skip
#: The fields of a target, from its start; the newest target's are ``LAST + field``.
STARTED_AT, DUE_AT, MET_AT, BREACHED, DROPPED_AT = range(5)
TARGET_FIELDS: Final = 5
LAST: Final = -TARGET_FIELDS
_DUE, _MET, _BREACHED, _DROPPED = LAST + DUE_AT, LAST + MET_AT, LAST + BREACHED, LAST + DROPPED_AT

_new_incident: Final = maker(Incident)
_new_target: Final = maker(ResponseTarget)
_new_allowance: Final = maker(Allowance)


def _plain_or_none(t: datetime | None) -> datetime | None:
    return None if t is None else plain(t)


def _stored_or_none(t: datetime | None) -> pendulum.DateTime | None:
    return None if t is None else stored(t)


def record_of(incident: Incident) -> Record:
    """The record of ``incident``."""
    allowance = incident.allowance
    fields = [
        incident.id, incident.customer, incident.area, incident.state,
        plain(incident.opened_at), incident.lots,
        allowance.minutes, allowance.used, allowance.warned,
        _plain_or_none(incident.resolved_at), _plain_or_none(incident.auto_close_at),
        _plain_or_none(incident.closed_at), _plain_or_none(incident.reopen_until),
        incident.policy_version, incident.invalid_reason,
    ]  # fmt: skip
    for t in incident.response_targets:
        fields += (
            plain(t.started_at), plain(t.due_at), _plain_or_none(t.met_at), t.breached,
            _plain_or_none(t.dropped_at),
        )  # fmt: skip
    return tuple(fields)


def targets_of(record: Record) -> Iterator[Record]:
    """The response targets of ``record``, oldest first, each as its five fields."""
    for start in range(TARGETS, len(record), TARGET_FIELDS):
        yield record[start : start + TARGET_FIELDS]


def incident_of(record: Record) -> Incident:
    """The :class:`~premier_policy.Incident` value of ``record`` (its fields were checked
    when the value it came from was made, or computed by the rules)."""
    r = record
    return _new_incident(
        r[ID], r[CUSTOMER], r[AREA], r[STATE], stored(r[OPENED_AT]), r[LOTS],
        _new_allowance(r[MINUTES], r[USED], r[WARNED]),
        tuple([
            _new_target(stored(s), stored(d), _stored_or_none(m), b, _stored_or_none(x))
            for s, d, m, b, x in targets_of(r)
        ]),
        _stored_or_none(r[RESOLVED_AT]), _stored_or_none(r[AUTO_CLOSE_AT]),
        _stored_or_none(r[CLOSED_AT]), _stored_or_none(r[REOPEN_UNTIL]),
        r[VERSION], r[INVALID_REASON],
    )  # fmt: skip


def record_due(record: Record) -> datetime | None:
    """As :meth:`Incident.next_timer_at`: the newest target's breach (a pending target
    is neither met nor dropped, and fires unless breached already), else the auto-close."""
    if record[_MET] is None and record[_DROPPED] is None and not record[_BREACHED]:
        return record[_DUE]  # type: ignore[no-any-return]
    return record[AUTO_CLOSE_AT]  # type: ignore[no-any-return]


class IncidentRecords(Mapping[str, Incident]):
    """The replay engine's incidents as the outcome reads them: a mapping of records,
    which reads as :class:`~premier_policy.Incident` values (each built when read) and
    is written straight from the records.

    >>> t = pendulum.datetime(2026, 11, 27, 9, tz="UTC")
    >>> target = (plain(t), plain(t.add(hours=2)), None, False, None)
    >>> records = IncidentRecords({"i1": ("i1", "acme", "setup", "waiting_on_staff",
    ...     plain(t), ("p1",), 240, 0, 0, None, None, None, None, 0, None, *target)})
    >>> list(records), records["i1"].response_targets[0].due_at.hour, len(records)
    (['i1'], 11, 1)
    """

    __slots__ = ("records",)

    def __init__(self, records: Mapping[str, Record]) -> None:
        self.records = records

    def __getitem__(self, key: str) -> Incident:
        return incident_of(self.records[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)
