"""Notifications go to the audiences of their kind."""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime
from typing import get_args

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy.base._instants import plain
from premier_policy.base._notifications import (
    AUDIENCES,
    Note,
    Notification,
    NotificationKind,
    NotificationLog,
    Tally,
    notification_id,
    notified,
    notify,
    utc_text,
)

AT = pendulum.datetime(2026, 11, 27, 10, tz="Europe/Paris")


def test_every_kind_has_an_audience() -> None:
    """Each kind in the scenario format is sent to someone."""
    assert set(AUDIENCES) == set(get_args(NotificationKind))
    assert all(AUDIENCES[kind] for kind in AUDIENCES)


def test_notify_builds_one_per_audience() -> None:
    """allowance_exhausted goes to customer then staff, with the same facts."""
    sent = notify("allowance_exhausted", AT, "acme", "i1")
    assert [n.to for n in sent] == ["customer", "staff"]
    assert {(n.at, n.kind, n.customer, n.incident) for n in sent} == {
        (AT, "allowance_exhausted", "acme", "i1")
    }


def test_incident_free_notification() -> None:
    """A credit notice names no incident."""
    (sent,) = notify("credits_expired", AT, "acme")
    assert sent.incident is None
    assert sent.to == "customer"


def test_notify_equals_the_constructor() -> None:
    """notify fills the slots directly, which is only sound while construction checks
    nothing: no validator, converter or post-init on Notification."""
    assert all(f.validator is None and f.converter is None for f in attrs.fields(Notification))
    assert not hasattr(Notification, "__attrs_post_init__")
    sent = notify("incident_opened", AT, "acme", "i1")
    assert sent == tuple(
        Notification(AT, "incident_opened", to, "acme", "i1") for to in ("customer", "staff")
    )
    (alone,) = notify("credits_expiring", AT, "acme")
    assert alone == Notification(AT, "credits_expiring", "customer", "acme")
    assert hash(alone) == hash(Notification(AT, "credits_expiring", "customer", "acme"))


_BATCHES = st.lists(
    st.builds(
        notify,
        st.sampled_from(list(AUDIENCES)),
        st.integers(0, 3).map(lambda minutes: AT.add(minutes=minutes)),
        st.sampled_from(["acme", "globex"]),
        st.sampled_from([None, "i1"]),
    ),
    max_size=8,
).map(lambda batches: sorted(batches, key=lambda batch: batch[0].at))


def numbered(batches: list[tuple[Notification, ...]]) -> list[Notification]:
    """The model: each notification's seq counts the identical ones before it (the
    batches come in time order, so those are the ones at its instant)."""
    flat = [n for batch in batches for n in batch]
    return [
        attrs.evolve(n, seq=sum(1 for m in flat[:i] if attrs.evolve(m, seq=0) == n))
        for i, n in enumerate(flat)
    ]


@given(
    batches=_BATCHES,
    cut=st.integers(0, 8),
    index=st.integers(-15, 15),
    start=st.none() | st.integers(-8, 8),
    stop=st.none() | st.integers(-8, 8),
    step=st.none() | st.integers(-3, 3).filter(bool),
    chunk=st.sampled_from((1, 2, 3, NotificationLog.CHUNK)),
    as_notes=st.lists(st.booleans(), min_size=8, max_size=8),
    sealed=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_log_reads_like_the_list_it_was_given(
    batches: list[tuple[Notification, ...]],
    cut: int,
    index: int,
    start: int | None,
    stop: int | None,
    step: int | None,
    chunk: int,
    as_notes: list[bool],
    sealed: list[bool],
) -> None:
    """The engine's log holds the notifications it was given, in order, each numbered
    among the identical ones at its instant, however its rows were sealed (before each
    batch a mark, as the engine takes before firing timers, or a seal, as after an
    accepted step) and whether a batch came as notifications or as the note they stand
    for (at a plain instant, as record steps send them); a rollback takes back the
    notifications and their numbering (what a refused event undoes)."""

    class Log(NotificationLog):
        __slots__ = ()
        CHUNK = chunk

    def sent(n: int) -> tuple[Notification | Note, ...]:
        first = batches[n][0]
        if as_notes[n]:
            return ((first.kind, plain(first.at), first.customer, first.incident),)
        return batches[n]

    log, model = Log(), numbered(batches)
    for n in range(len(batches[:cut])):
        if sealed[n]:
            log.seal()
        else:
            log.mark()
        log.extend(sent(n))
    mark = log.mark()
    for n in range(cut, len(batches)):
        log.extend(sent(n))
    assert list(log) == model
    assert notified(each for n in range(len(batches)) for each in sent(n)) == tuple(
        attrs.evolve(n, seq=0) for n in model
    )
    log.rollback(mark)
    assert list(log) == model[: sum(len(b) for b in batches[:cut])]
    for n in range(cut, len(batches)):
        log.extend(sent(n))
    assert len(log) == len(model)
    assert list(log) == model
    assert log[start:stop:step] == model[start:stop:step]
    if -len(model) <= index < len(model):
        assert log[index] == model[index]
    assert [log[i] for i in range(len(log))] == model
    assert len({n.id for n in log}) == len(model)


def test_tally_numbers_identical_notifications_at_one_instant() -> None:
    """Two identical purchases notices at one instant get seq 0 and 1 and distinct ids;
    a later instant starts again at 0."""
    tally = Tally()
    first = tally.number(notify("credits_purchased", AT, "acme") * 2)
    later = tally.number(notify("credits_purchased", AT.add(seconds=1), "acme"))
    assert [n.seq for n in (*first, *later)] == [0, 1, 0]
    assert first[0].id != first[1].id


def test_tally_counts_each_kind_of_notification_on_its_own() -> None:
    """At one instant, notifications that differ (here by incident) each start at 0,
    and numbering keeps every field of the notification it numbers."""
    batch = (
        *notify("incident_opened", AT, "acme", "i1"),
        *notify("incident_opened", AT, "acme", "i2"),
    )
    numbered = Tally().number(batch)
    assert [n.seq for n in numbered] == [0, 0, 0, 0]
    assert numbered == batch


@pytest.mark.usefixtures("host_in_kolkata")
def test_notification_ids_ignore_the_hosts_time_zone() -> None:
    """An instant of another zone is written in UTC whatever zone the host keeps (here
    +05:30), so two hosts give one notification the same ID."""
    assert time.localtime(0)[3:5] == (5, 30)  # the fixture took effect
    assert utc_text(AT) == "2026-11-27T09:00:00+00:00"


def test_notification_ids_follow_the_documented_recipe() -> None:
    """The id is the first 32 hex digits of the SHA-256 of the compact JSON array, the
    instant in UTC, so a host in another language can compute it."""
    n = Notification(AT, "incident_opened", "staff", "acmé", "i1", seq=2)
    text = '["2026-11-27T09:00:00+00:00","incident_opened","staff","acmé","i1",2]'
    assert n.id == hashlib.sha256(text.encode()).hexdigest()[:32]
    assert notification_id(AT, "incident_opened", "staff", "acmé", "i1", 2) == n.id


@given(
    st.datetimes(timezones=st.just(UTC) | st.timezones()),
    st.text(),
    st.text(),
    st.text(),
    st.none() | st.text(),
    st.integers(min_value=0),
)
def test_notification_ids_are_the_json_array_hashed_whatever_the_text(
    at: datetime, kind: str, to: str, customer: str, incident: str | None, seq: int
) -> None:
    """The ID is the hash of the text json.dumps writes for the array, for any text: quotes,
    control characters, non-ASCII and lone surrogates included."""
    at_utc = at.astimezone(UTC)
    text = json.dumps(
        [at_utc.isoformat(), kind, to, customer, incident, seq],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    assert notification_id(at, kind, to, customer, incident, seq) == digest
    assert utc_text(pendulum.instance(at_utc)) == at_utc.isoformat()


def test_a_rollback_keeps_the_count_of_the_notifications_before_its_mark() -> None:
    """Two identical notices counted, a third taken back: the next one is numbered 2,
    after the two kept, not 0 as if none had been sent at that instant."""
    tally = Tally()
    tally.number(notify("credits_purchased", AT, "acme") * 2)
    mark = tally.mark()
    taken = tally.number(notify("credits_purchased", AT, "acme"))
    tally.rollback(mark, [(n.at, (n.kind, n.to, n.customer, n.incident)) for n in taken])
    assert [n.seq for n in tally.number(notify("credits_purchased", AT, "acme"))] == [2]


def test_a_log_keeps_plain_instants_and_reads_stored_ones() -> None:
    """The log keeps each instant as a plain datetime (one per run of notifications of
    one instant), whatever it was given, and reads every notification back with the
    stored instant it stands for."""
    t = pendulum.datetime(2026, 11, 27, 9)
    log = NotificationLog()
    log.extend(notify("incident_opened", t, "acme", "i1"))
    # A plain instant, as the replay engine's records give it.
    plain_at = datetime(2026, 11, 27, 10, tzinfo=UTC)
    log.extend(notify("credits_expiring", plain_at, "acme"))  # type: ignore[arg-type]
    assert [type(at) for at in log.at] == [datetime] * 3
    assert log.at[0] is log.at[1]
    read = [*log, log[2]]
    assert [type(n.at) for n in read] == [pendulum.DateTime] * 4
    assert [n.at for n in read] == [t, t, t.add(hours=1), t.add(hours=1)]
    assert read[0] == notify("incident_opened", t, "acme", "i1")[0]


def test_a_rollback_to_a_mark_older_than_a_sealing_is_refused() -> None:
    """Rows are sealed only when a mark is taken, so only the latest mark can be rolled
    back to; an older one is refused and the log keeps every row."""

    class Log(NotificationLog):
        __slots__ = ()
        CHUNK = 2

    log = Log()
    old = log.mark()
    log.extend(notify("incident_opened", AT, "acme", "i1"))
    log.mark()  # seals the two rows
    with pytest.raises(ValueError, match="a mark taken before the last sealing"):
        log.rollback(old)
    assert len(log) == 2
