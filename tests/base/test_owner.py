"""Who may act: the ``input.owner`` refusal, judged from the event and the owner alone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from premier_policy import (
    Close,
    CustomerReply,
    Event,
    Extend,
    Invalidate,
    LogTime,
    Open,
    Purchase,
    RefundRequest,
    Reopen,
    Resolve,
    RuleId,
    StaffReply,
)
from premier_policy.base._owner import owner_refusal

T = datetime(2026, 11, 30, 9, tzinfo=UTC)


@pytest.mark.parametrize("kind", [CustomerReply, Extend, Close, Reopen])
def test_a_customer_side_event_acts_for_its_owner_or_no_one(
    kind: type[CustomerReply | Extend | Close | Reopen],
) -> None:
    """input.owner: naming the owner, or no one, may act; naming another is refused,
    and the message names only what the event itself names."""
    assert owner_refusal(kind(at=T, incident="i1"), "acme") is None
    assert owner_refusal(kind(at=T, incident="i1", customer="acme"), "acme") is None
    refused = owner_refusal(kind(at=T, incident="i1", customer="globex"), "acme")
    assert refused is not None
    assert refused.rule is RuleId.INPUT_OWNER
    assert refused.message == (
        "incident i1 is not one of the incidents of globex: a customer acts only on their own"
    )


def test_a_refund_request_acts_for_the_purchase_owner() -> None:
    """input.owner: a refund request's customer must be the purchase's."""
    assert owner_refusal(RefundRequest(at=T, customer="acme", purchase="p1"), "acme") is None
    refused = owner_refusal(RefundRequest(at=T, customer="globex", purchase="p1"), "acme")
    assert refused is not None
    assert refused.rule is RuleId.INPUT_OWNER
    assert "acme" not in refused.message


@pytest.mark.parametrize(
    "event",
    [
        StaffReply(at=T, incident="i1"),
        LogTime(at=T, incident="i1", minutes=5),
        Resolve(at=T, incident="i1"),
        Invalidate(at=T, incident="i1", reason="vendor_bug"),
        Purchase(at=T, customer="globex", id="p1", product="single"),
        Open(at=T, customer="globex", id="i1", area="setup"),
    ],
)
def test_staff_events_and_new_ids_name_no_owner(event: Event) -> None:
    """input.owner: staff events name no customer; a purchase or an opening makes an ID
    its sender's and is judged by input.duplicate-id instead."""
    assert owner_refusal(event, "acme") is None


@pytest.mark.parametrize("bad", ["", 7, b"acme"])
def test_the_acting_customer_is_a_name_when_given(bad: object) -> None:
    """input.malformed: the acting customer, when given, is a non-empty string."""
    with pytest.raises(ValueError, match="customer"):
        Extend(at=T, incident="i1", customer=bad)  # type: ignore[arg-type]
