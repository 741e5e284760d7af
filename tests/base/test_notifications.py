"""Notifications go to the audiences of their kind."""

from __future__ import annotations

from typing import get_args

import pendulum
from hypothesis import given
from hypothesis import strategies as st

from premier_policy.base._notifications import (
    AUDIENCES,
    Notification,
    NotificationKind,
    NotificationLog,
    notify,
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
    import attrs

    from premier_policy.base._notifications import Notification

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
        st.integers(0, 10_000).map(lambda minutes: AT.add(minutes=minutes)),
        st.sampled_from(["acme", "globex"]),
        st.sampled_from([None, "i1", "i2"]),
    ),
    max_size=6,
)


@given(
    batches=_BATCHES,
    cut=st.integers(0, 20),
    index=st.integers(-15, 15),
    start=st.none() | st.integers(-8, 8),
    stop=st.none() | st.integers(-8, 8),
    step=st.none() | st.integers(-3, 3).filter(bool),
)
def test_log_reads_like_the_list_it_was_given(
    batches: list[tuple[Notification, ...]],
    cut: int,
    index: int,
    start: int | None,
    stop: int | None,
    step: int | None,
) -> None:
    """The engine's log holds the notifications it was given, in order, and truncates
    like deleting a list's tail (what a refused event undoes)."""
    log, model = NotificationLog(), list[Notification]()
    for batch in batches:
        log.extend(batch)
        model.extend(batch)
    assert len(log) == len(model)
    assert list(log) == model
    assert log[start:stop:step] == model[start:stop:step]
    if -len(model) <= index < len(model):
        assert log[index] == model[index]
    log.truncate(cut)
    del model[cut:]
    assert list(log) == model
    assert [log[i] for i in range(len(log))] == model
