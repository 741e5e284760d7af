"""Who may act (``input.owner``): a customer acts only on their own incidents and purchases.

The customer-side incident events (``customer_reply``, ``extend``, ``close``,
``reopen``) may name the acting ``customer``; a refund request always does. When the
incident or purchase belongs to someone else the event is refused, and the refusal
says no more than the event itself does: that the ID is taken, and not the sender's.
Nothing about the owner, the state or the credits of what it names.
"""

from __future__ import annotations

from premier_policy.base._events import CUSTOMER_SIDE, Event, RefundRequest
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId

__all__ = ["owner_refusal"]


def owner_refusal(event: Event, owner: str) -> Refusal | None:
    """The ``input.owner`` refusal of ``event`` acting on what belongs to ``owner``, or
    None when it may act: it names no customer, or ``owner`` itself.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 11, 30, 9, tzinfo=UTC)
    >>> owner_refusal(RefundRequest(at=at, customer="globex", purchase="p1"), "acme").message
    'purchase p1 is not one of the purchases of globex: a customer acts only on their own'
    >>> owner_refusal(RefundRequest(at=at, customer="acme", purchase="p1"), "acme") is None
    True
    """
    acting: str | None
    if isinstance(event, RefundRequest):
        what, name, acting = "purchase", event.purchase, event.customer
    elif isinstance(event, CUSTOMER_SIDE):
        what, name, acting = "incident", event.incident, event.customer
    else:  # staff events and the customer's own purchases and openings name no owner
        return None
    if acting is None or acting == owner:
        return None
    return Refusal(
        RuleId.INPUT_OWNER,
        f"{what} {name} is not one of the {what}s of {acting}: a customer acts only on their own",
    )
