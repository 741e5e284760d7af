"""An incident's record holds exactly the incident, and names its next timer alike."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given

from premier_policy import Incident, Refusal, Step, advance, apply
from premier_policy.incidents._record import (
    OPENED_AT,
    IncidentRecords,
    incident_of,
    record_due,
    record_of,
    targets_of,
)
from tests._incidents import SHORT, lives


def _incidents(life: tuple[Step, list[tuple[timedelta, object]]]) -> list[Incident]:
    """Every version of the incident a life goes through, timers fired included."""
    step, events = life
    incident, account = step.incident, step.account
    seen = [incident]
    for _, event in events:
        incident, _ = advance(SHORT, incident, event.at, inclusive=False)  # type: ignore[attr-defined]
        judged = apply(SHORT, incident, account, event)  # type: ignore[arg-type]
        if not isinstance(judged, Refusal):
            incident, account = judged.incident, judged.account
        seen.append(incident)
    return seen


@given(lives())
def test_a_record_is_its_incident(life: tuple[Step, list[tuple[timedelta, object]]]) -> None:
    """Record and value convert both ways without loss, keep one target per five fields
    after the incident's own, and name the same next timer."""
    for incident in _incidents(life):
        record = record_of(incident)
        assert incident_of(record) == incident
        assert record_of(incident_of(record)) == record
        assert len(list(targets_of(record))) == len(incident.response_targets)
        assert record_due(record) == incident.next_timer_at(SHORT)
        assert type(record[OPENED_AT]) is datetime


@given(lives())
def test_records_read_as_their_incidents(life: tuple[Step, list[tuple[timedelta, object]]]) -> None:
    """The outcome's view of the engine's records is a mapping of the incidents."""
    incidents = {f"i{n}": incident for n, incident in enumerate(_incidents(life))}
    records = IncidentRecords({key: record_of(value) for key, value in incidents.items()})
    assert dict(records) == incidents
    assert len(records) == len(incidents)
