"""One customer's credits: purchases, consumption, restores, refunds and expiry notices.

Rules ``credits.consume-order``, ``credits.none-available``, ``credits.restore``,
``credits.no-refunds``, ``credits.expiry-notice`` and ``input.duplicate-id`` for
purchases. Every operation returns a new :class:`Account` (or a :class:`Refusal`, which
changes nothing); the engine keeps one account per customer.
"""

from __future__ import annotations

from collections.abc import Iterable

import pendulum
from attrs import field, frozen

from premier_policy.base._checks import text
from premier_policy.base._copies import replaced
from premier_policy.base._echo import shown
from premier_policy.base._errors import PolicyError
from premier_policy.base._events import Purchase, RefundRequest
from premier_policy.base._instants import utc
from premier_policy.base._notifications import Notification, notify
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId
from premier_policy.credits._book import Book
from premier_policy.credits._lots import ExpiryNotice, Lot, valid_until
from premier_policy.terms._policy import Policy

__all__ = ["Account", "Consumed", "Purchased"]


def _book(value: Iterable[Lot]) -> Book:
    """The lots given, checked and indexed (or the library's own index, as it is)."""
    if isinstance(value, Book):
        return value
    try:
        lots = tuple(value)
    except TypeError:
        raise PolicyError(
            f"expected an iterable of lots, got {type(value).__name__}", field="lots"
        ) from None
    ids: set[str] = set()
    for lot in lots:
        if not isinstance(lot, Lot):
            raise PolicyError(f"expected Lot, got {type(lot).__name__}", field="lots")
        if lot.id in ids:
            raise PolicyError(
                f"lot {lot.id} is listed twice", rule=RuleId.INPUT_DUPLICATE_ID, field="lots"
            )
        ids.add(lot.id)
    return Book.of(lots)


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _order(lot: Lot) -> tuple[pendulum.DateTime, pendulum.DateTime, str]:
    """credits.consume-order: soonest expiry, then earlier purchase, then purchase ID."""
    return (lot.expires_at, lot.purchased_at, lot.id)


def _when(policy: Policy, t: pendulum.DateTime, ref: pendulum.DateTime) -> str:
    """``t`` for a sentence about ``ref``: only the time when the day and zone are the same."""
    # Policy.show writes "date time zone", three words whatever the precision.
    date, clock, zone = policy.show(t).split(" ")
    ref_date, _, ref_zone = policy.show(ref).split(" ")
    if (date, zone) == (ref_date, ref_zone):
        return f"at {clock}"
    return f"on {date} {clock} {zone}"


@frozen(kw_only=True)
class Purchased:
    """A purchase accepted: the new account, its new lot, and who to tell."""

    account: Account
    lot: Lot
    notifications: tuple[Notification, ...]


@frozen
class Consumed:
    """A credit taken: the new account and the lot it came from (to restore it later)."""

    account: Account
    lot_id: str


@frozen(repr=False)
class Account:
    """One customer's lots of credits.

    The lots are indexed (persistent search trees, ``credits/_book.py``): taking,
    restoring, buying, the balance and the next timer cost O(log n) in their number.

    >>> policy = Policy()
    >>> at = pendulum.datetime(2026, 11, 27, 10, tz="Europe/Paris")
    >>> bought = Account("acme").purchase(
    ...     policy, Purchase(at=at, customer="acme", id="p1", product="bundle-3"))
    >>> taken = bought.account.consume(policy, at.add(hours=1))
    >>> taken.lot_id, taken.account.balance(at.add(hours=1))
    ('p1', 2)
    >>> taken.account.restore("p1").balance(at.add(hours=1))
    3
    """

    customer: str = field(validator=text())
    _book: Book = field(factory=Book, converter=_book, alias="lots")

    @property
    def lots(self) -> tuple[Lot, ...]:
        """The lots, in purchase order."""
        return self._book.lots

    def __repr__(self) -> str:
        return f"Account(customer={self.customer!r}, lots={self.lots!r})"

    def lot(self, lot_id: str) -> Lot:
        """The lot bought by purchase ``lot_id``."""
        lot = self._book.get(lot_id) if isinstance(lot_id, str) else None
        if lot is None:
            raise PolicyError(f"{self.customer} has no lot {shown(lot_id)}", field="lot")
        return lot

    def _replace(self, new: Lot, policy: Policy | None) -> Account:
        # The same IDs as before: nothing for the lots' checks to find.
        return replaced(self, _book=self._book.put(new, policy))

    def _mine(self, customer: str) -> None:
        if customer != self.customer:
            raise PolicyError(
                f"an event for {shown(customer)} applied to the account of {shown(self.customer)}",
                field="customer",
            )

    def balance(self, at: object) -> int:
        """Usable credits at ``at``: remaining credits of the lots valid then."""
        return self._book.balance(utc(at))

    def purchase(self, policy: Policy, event: Purchase) -> Purchased | Refusal:
        """Record a purchase as one lot of ``credits x count`` credits (``credits.validity``).

        An unknown product is malformed input (:class:`PolicyError`, field ``product``);
        a purchase ID already in this account is refused (``input.duplicate-id``), so a
        retried request never charges twice. The catalog and validity are those of the
        policy version in force at the purchase, which the lot keeps
        (``policy.pinned-terms``).
        """
        if not isinstance(event, Purchase):
            raise PolicyError(f"expected Purchase, got {type(event).__name__}", field="event")
        self._mine(event.customer)
        at = event.at
        base, policy = policy, policy.in_force(at)
        product = policy.catalog.product(event.product)
        known = self._book.get(event.id)
        if known is not None:
            return Refusal(
                RuleId.INPUT_DUPLICATE_ID,
                f"purchase {event.id} was already recorded on "
                f"{policy.show(known.purchased_at)}; it is not charged again",
            )
        lot = Lot(
            id=event.id,
            product=product.name,
            credits=product.credits * event.count,
            remaining=product.credits * event.count,
            purchased_at=at,
            expires_at=valid_until(policy, at),
            # Money is a value: one purchase shares its product's price, not a copy.
            price=product.price if event.count == 1 else product.price * event.count,
            policy_version=policy.version,
        )
        return Purchased(
            account=self._replace(lot, base),  # its ID is new: checked above
            lot=lot,
            notifications=notify("credits_purchased", at, self.customer),
        )

    def consume(self, policy: Policy, at: object) -> Consumed | Refusal:
        """Take one credit at ``at`` from the usable lot that expires first
        (``credits.consume-order``); with none usable, refuse (``credits.none-available``)."""
        t = policy.utc(at)
        chosen = self._book.first_usable(t)
        if chosen is not None:
            return Consumed(self._replace(chosen.take(), policy), chosen.id)
        return Refusal(RuleId.CREDITS_NONE_AVAILABLE, self._none_usable(policy, t))

    def _none_usable(self, policy: Policy, t: pendulum.DateTime) -> str:
        reasons = []
        for lot in sorted(self.lots, key=_order):
            if t < lot.purchased_at:
                reasons.append(f"lot {lot.id} is valid only from {policy.show(lot.purchased_at)}")
            elif t >= lot.expires_at:
                reasons.append(f"lot {lot.id} expired {_when(policy, lot.expires_at, t)}")
            else:
                reasons.append(f"lot {lot.id} is used up")
        why = "; ".join(reasons) or f"{self.customer} has bought no credits"
        return f"no usable credit on {policy.show(t)}: {why}"

    def restore(self, lot_id: str, *, policy: Policy | None = None, at: object = None) -> Account:
        """Give one consumed credit back to lot ``lot_id``, keeping its expiry
        (``credits.restore``): restored into an expired lot, the credit stays expired.

        Given the ``policy`` and the instant ``at`` of the restore, the lot's expiry
        notices due strictly before ``at`` while it held nothing are first dealt with,
        silently, as they were due (see :meth:`advance`): the credit comes back after
        them. One due at ``at`` itself comes after the restore (``input.timers``) and is
        sent. Without them nothing is dealt with: an engine always passes both.
        """
        try:
            lot = self.lot(lot_id)
        except PolicyError as error:
            raise PolicyError(error.detail, rule=RuleId.CREDITS_RESTORE, field="lot") from None
        if policy is not None and not lot.remaining:
            t = policy.utc(at)
            passed = tuple(kind for due, kind in lot.pending(policy) if due < t)
            if passed:
                lot = lot.noticed((*lot.notices, *passed))
        return self._replace(lot.give_back(), policy)

    def refund(self, policy: Policy, event: RefundRequest) -> Refusal:
        """Refuse a refund, always (``credits.no-refunds``), saying what the lot still offers."""
        if not isinstance(event, RefundRequest):
            raise PolicyError(f"expected RefundRequest, got {type(event).__name__}", field="event")
        self._mine(event.customer)
        t = event.at
        lot = self._book.get(event.purchase)
        if lot is None:
            return Refusal(
                RuleId.CREDITS_NO_REFUNDS,
                f"{self.customer} made no purchase {event.purchase}, "
                "and purchased credits are never refunded",
            )
        if t >= lot.expires_at:
            left = f"its credits expired on {policy.show(lot.expires_at)}"
        elif not lot.remaining:
            left = "all its credits are used"
        else:
            unused = _plural(lot.remaining, "unused credit stays", "unused credits stay")
            left = f"its {unused} usable until {policy.show(lot.expires_at)}"
        return Refusal(
            RuleId.CREDITS_NO_REFUNDS,
            f"purchase {lot.id} ({lot.price}) cannot be refunded: purchased credits are "
            f"never refunded; {left}",
        )

    def next_timer_at(self, policy: Policy) -> pendulum.DateTime | None:
        """The earliest expiry notice that will be sent (UTC), or ``None``: the first
        pending notice of a lot that still holds unused credits.

        A lot with nothing left sends no notice (``credits.expiry-notice``), so its
        timers are not named here: a host waking up then would wake for nothing. Its
        pending notices stay pending until the :meth:`restore` that refills it deals
        with those whose time has passed, so a restored credit never brings one back.
        """
        return self._book.next_timer(policy)

    def advance(
        self, policy: Policy, until: object, *, inclusive: bool
    ) -> tuple[Account, tuple[Notification, ...]]:
        """Fire, in time order, the expiry notices due before ``until`` (at or before it
        if ``inclusive``), each once, of the lots that hold unused credits
        (``credits.expiry-notice``).

        A lot with nothing left is left as it is: its notices are not sent, and are dealt
        with silently by the :meth:`restore` that refills it, which is told its instant
        (``input.timers``: those due strictly before the restore passed while the lot was
        empty; one due at the restore's instant comes after it, and is sent). So whether a
        notice is sent depends on its own lot only, never on another lot's timer falling
        at the same instant."""
        end = policy.utc(until, field="until")
        due = self._book.due(policy, end, inclusive=inclusive)
        if not due:
            return self, ()
        lots: dict[str, Lot] = {}
        notices: dict[str, tuple[ExpiryNotice, ...]] = {}
        sent: list[Notification] = []
        for at, kind, lot in due:
            lots[lot.id] = lot
            notices[lot.id] = (*notices.get(lot.id, lot.notices), kind)
            sent.extend(notify(kind, at, self.customer))
        book = self._book
        for lot_id, lot in lots.items():
            book = book.put(lot.noticed(notices[lot_id]), policy)
        return replaced(self, _book=book), tuple(sent)
