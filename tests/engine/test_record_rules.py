"""The lifecycle's common steps on records agree with the lifecycle on values."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from datetime import datetime, timedelta

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import (
    CustomerReply,
    Invalidate,
    Notification,
    PolicyError,
    Refusal,
    Resolve,
    StaffReply,
    Step,
    advance,
)
from premier_policy.base._instants import as_stored
from premier_policy.base._notifications import Note, notified
from premier_policy.credits._record import AccountForm, account_form, account_of
from premier_policy.engine._record_rules import advance_record, judge_record
from premier_policy.incidents._lifecycle import apply_due
from premier_policy.incidents._record import STATE, Record, record_due, record_of
from tests._incidents import SHORT, lives, opened, paris


def _sent(sent: Iterable[Notification | Note]) -> list[tuple[object, ...]]:
    # A record step sends notes at plain instants: compared as the notifications they are.
    return [(as_stored(n.at), n.kind, n.to, n.customer, n.incident, n.seq) for n in notified(sent)]


def _fired_before(record: Record, at: datetime) -> tuple[Record, tuple[Notification | Note, ...]]:
    # As the engine fires an incident's timers: one due instant at a time, inclusive.
    sent: tuple[Notification | Note, ...] = ()
    while (due := record_due(record)) is not None and due < at:
        record, fired = advance_record(SHORT, record, due)
        sent += fired
    return record, sent


@given(lives(), st.booleans())
def test_a_record_lives_as_its_incident_does(
    life: tuple[Step, list[tuple[timedelta, object]]], account_as_value: bool
) -> None:
    """Event by event and timer by timer, whatever the table and the rules say of each,
    the record's step is the record of the value's step, with the same notifications;
    the account given as a record (the engine's form) or as a value (a large one)."""
    step, events = life
    incident, account = step.incident, step.account
    record = record_of(incident)
    form: AccountForm = account if account_as_value else account_form(account, SHORT)
    for _, event in events:
        incident, fired = advance(SHORT, incident, event.at, inclusive=False)  # type: ignore[attr-defined]
        record, fired_here = _fired_before(record, event.at)  # type: ignore[attr-defined]
        assert record == record_of(incident)
        assert _sent(fired_here) == _sent(fired)
        by_value = apply_due(SHORT, incident, account, event)  # type: ignore[arg-type]
        by_record = judge_record(SHORT, record, form, event)  # type: ignore[arg-type]
        if isinstance(by_value, Refusal):
            assert by_record == by_value
            continue
        assert not isinstance(by_record, Refusal), by_record
        record, form, sent_here = by_record
        incident, account = by_value.incident, by_value.account
        assert (record, account_of(form)) == (record_of(incident), account)
        assert _sent(sent_here) == _sent(by_value.notifications)
    late = events[-1][1].at + timedelta(days=30) if events else incident.opened_at.add(days=30)  # type: ignore[attr-defined]
    incident, fired = advance(SHORT, incident, late, inclusive=False)
    record, fired_here = _fired_before(record, late)
    assert record == record_of(incident)
    assert _sent(fired_here) == _sent(fired)


def test_a_record_the_rules_made_is_left_alone_by_the_collector() -> None:
    """Replies, a breach, a resolution and its auto-close leave a record of plain values
    only, no deeper than one tuple: two passes of the collector stop tracing it (the
    point of the record; a pendulum instant or a nested tuple would keep it traced)."""
    start = paris(2026, 3, 27, 17)
    step = opened(SHORT, start)
    record, account = record_of(step.incident), step.account
    record, _ = _fired_before(record, start.add(hours=80))  # the Monday: breached
    for event in (
        StaffReply(at=start.add(hours=81), incident="i1"),
        CustomerReply(at=start.add(hours=82), incident="i1"),
        Resolve(at=start.add(hours=83), incident="i1"),
    ):
        judged = judge_record(SHORT, record, account, event)
        assert not isinstance(judged, Refusal), judged
        record = judged[0]
    record, sent = _fired_before(record, start.add(days=30))
    assert [n.kind for n in notified(sent)] == ["incident_closed"]
    assert record[STATE] == "closed"
    assert not [field for field in record if isinstance(field, pendulum.DateTime)]
    gc.collect()
    gc.collect()
    assert not gc.is_tracked(record)


def test_an_invalidation_whose_lot_the_account_lacks_is_the_values_to_refuse() -> None:
    """An incident naming a lot its account lacks (no rule makes one; a caller of the
    values could): the credit cannot be given back, and the record path leaves the
    error to the account, which names credits.restore."""
    step = opened(SHORT, paris(2026, 3, 27, 10))
    stranger = attrs.evolve(step.incident, lots=("p9",))
    event = Invalidate(at=paris(2026, 3, 27, 11), incident="i1", reason="vendor_bug")
    form = account_form(step.account, SHORT)
    for judged in (
        lambda: apply_due(SHORT, stranger, step.account, event),
        lambda: judge_record(SHORT, record_of(stranger), form, event),
    ):
        with pytest.raises(PolicyError, match=r"^credits\.restore: lot: ") as info:
            judged()
        assert "p9" in str(info.value)
