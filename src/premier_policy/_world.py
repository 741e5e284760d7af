"""The world: every customer's account and every incident under one policy, as a value.

``world.apply(event)`` judges one event and returns an :class:`Applied`: the new world,
the result (:data:`ACCEPTED` or a :class:`~premier_policy.Refusal`) and the
notifications to send. The rules of time order live here (``input.out-of-order``,
``input.timers``, ``input.duplicate-id``, ``input.unknown-incident``); everything else
is the accounts' and incidents' own business.

Time first, then the event: before an event at t is applied, every timer due strictly
before t fires, in time order across all accounts and incidents (ties: the entity
created first), and the world's clock (:attr:`World.at`) moves to t.

A refused event changes nothing at all, time included: ``applied.world is world``. The
timers due before it are not fired on its account; they fire, at their own instants
and in the same order, before the next accepted event or at the next
:meth:`World.advance`. So a world that received a refused event is exactly the world
that never received it, whatever comes next, and one bad event (say, one dated next
year, or naming an unknown incident) can never stop the events after it. That is also
why an event is out of order when it is earlier than the last *accepted* one: a refused
event was not applied (``input.out-of-order`` says "the last applied event").

Cost: accounts and incidents live in :class:`~premier_policy._agenda.Agenda` tries, which
also index every entity's next timer, and notifications in a linked log; applying an
event costs O(log n) plus the rules' own work, never a copy of the world or a scan of
its timers, and every earlier world stays valid. The replay engine (:class:`Fold`) runs
the very same rules over mutable working copies it never hands out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, Protocol, TypeVar

import pendulum
from attrs import Attribute, field, frozen

from premier_policy._account import Account, Purchased
from premier_policy._agenda import Agenda, DraftAgenda, Entries
from premier_policy._errors import PolicyError
from premier_policy._events import (
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
    StaffReply,
)
from premier_policy._incident import Incident
from premier_policy._lifecycle import Step, advance, apply, open_incident
from premier_policy._notifications import Notification, NotificationLog
from premier_policy._policy import Policy
from premier_policy._refusal import Refusal
from premier_policy._rules import RuleId

__all__ = ["ACCEPTED", "Accepted", "Applied", "Fold", "World", "refusal_for"]

_EVENTS = (
    Purchase,
    RefundRequest,
    Open,
    StaffReply,
    CustomerReply,
    LogTime,
    Extend,
    Resolve,
    Close,
    Reopen,
    Invalidate,
)

_BY_CUSTOMER = (Purchase, RefundRequest, Open)

A = TypeVar("A", bound=Entries[str, Account])
I = TypeVar("I", bound=Entries[str, Incident])  # noqa: E741 - the incidents' type, beside A
P = TypeVar("P", bound=Entries[str, str])


@frozen
class Accepted:
    """The result of an event the policy applied."""

    def __repr__(self) -> str:
        return "ACCEPTED"


#: The one :class:`Accepted` value.
ACCEPTED: Final = Accepted()


def refusal_for(error: PolicyError) -> Refusal:
    """The refusal of an event that is malformed input (``input.malformed``, or
    ``input.aware-only`` for a naive instant), naming the field at fault.

    >>> refusal_for(PolicyError("missing", rule=RuleId.INPUT_MALFORMED, field="at")).message
    'malformed event: at: missing'
    >>> refusal_for(PolicyError("too late", rule=RuleId.CREDITS_VALIDITY, field="at")).message
    'at: too late'
    """
    rule = error.rule if error.rule is not None else RuleId.INPUT_MALFORMED
    # A business rule raised on input that is well formed (a lot that would expire
    # after 9999) is that rule's refusal, not a malformed event.
    lead = "malformed event: " if rule in _MALFORMED else ""
    return Refusal(rule, f"{lead}{error.field}: {error.detail}")


_MALFORMED = frozenset({RuleId.INPUT_MALFORMED, RuleId.INPUT_AWARE_ONLY})


# --- the rules of time order, written once for both kinds of store ----------------------


class _Sink(Protocol):
    """Where the rules of time order put notifications: a list, or the engine's log."""

    def extend(self, batch: Iterable[Notification], /) -> None: ...


#: Undo records of fired timers: (an account's?, key, value before, its due, its order).
_Undo = list[tuple[bool, str, Any, pendulum.DateTime, int]]


def _fire(
    policy: Policy,
    accounts: A,
    incidents: I,
    until: pendulum.DateTime,
    sink: _Sink,
    undo: _Undo | None = None,
    *,
    inclusive: bool,
) -> tuple[A, I]:
    """Fire every timer due before ``until`` (or at it, if ``inclusive``), one entity at a
    time in (instant, creation order), appending the notifications to ``sink`` as they
    come, so that they are in time order; ``undo`` records what each firing replaced."""
    while True:
        a, i = accounts.first, incidents.first
        # Orders are unique across both maps, so these tuples never compare keys.
        nxt = i if a is None or (i is not None and i < a) else a
        if nxt is None or nxt[0] > until or (nxt[0] == until and not inclusive):
            return accounts, incidents
        t, order, key = nxt
        before: Account | Incident
        if nxt is a:
            before = account = accounts[key]
            account, sent = account.advance(policy, t, inclusive=True)
            due = account.next_timer_at(policy)
            accounts = accounts.set(key, account, due=due, order=order)
        else:
            before = incident = incidents[key]
            incident, sent = advance(policy, incident, t, inclusive=True)
            due = incident.next_timer_at(policy)
            incidents = incidents.set(key, incident, due=due, order=order)
        if undo is not None:
            undo.append((nxt is a, key, before, t, order))
        if due is not None and due <= t:
            # A timer that does not move on would fire forever: a bug, never input.
            raise AssertionError(f"the timer of {key!r} at {t} did not move on")
        sink.extend(sent)


def _precheck(
    policy: Policy,
    event: Event,
    at: pendulum.DateTime,
    clock: pendulum.DateTime | None,
    incidents: Mapping[str, Incident],
    purchases: Mapping[str, str],
) -> Refusal | None:
    """The refusals that need no timers: order, malformed product, known IDs."""
    if clock is not None and at < clock:
        return Refusal(
            RuleId.INPUT_OUT_OF_ORDER,
            f"this event at {policy.show(at)} is earlier than the last one applied, at "
            f"{policy.show(clock)}: events must come in time order",
        )
    if isinstance(event, Purchase):
        try:
            policy.catalog.product(event.product)
        except PolicyError as error:
            return refusal_for(error)
        if event.id in purchases:
            return Refusal(
                RuleId.INPUT_DUPLICATE_ID,
                f"purchase {event.id} is already recorded; it is not charged again",
            )
    elif isinstance(event, Open):
        if event.id in incidents:
            return Refusal(
                RuleId.INPUT_DUPLICATE_ID,
                f"incident {event.id} already exists; it is not opened again",
            )
    elif not isinstance(event, RefundRequest) and event.incident not in incidents:
        return Refusal(
            RuleId.INPUT_UNKNOWN_INCIDENT, f"there is no incident {event.incident}; open one first"
        )
    return None


def _step(
    policy: Policy,
    accounts: A,
    incidents: I,
    purchases: P,
    event: Event,
    at: pendulum.DateTime,
    sink: _Sink,
    undo: _Undo | None = None,
) -> tuple[A, I, P, Accepted | Refusal]:
    """Fire the timers due before ``event`` (at ``at``, UTC), then judge it and, if
    accepted, apply it; notifications go to ``sink``. The caller has run
    :func:`_precheck`; on a refusal it discards the maps returned (or undoes the firings
    recorded in ``undo``). A date the rules cannot represent (past the year 9999) in the
    judging is a refusal; a timer that cannot fire raises :class:`PolicyError`."""
    accounts, incidents = _fire(policy, accounts, incidents, at, sink, undo, inclusive=False)
    try:
        step = _judge(policy, accounts, incidents, event)
        if isinstance(step, Refusal):
            return accounts, incidents, purchases, step
        account = step.account
        changed = account is not accounts.get(account.customer)
        account_due = account.next_timer_at(policy) if changed else None
        incident = None if isinstance(step, Purchased) else step.incident
        incident_due = None if incident is None else incident.next_timer_at(policy)
    except PolicyError as error:
        return accounts, incidents, purchases, refusal_for(error)
    # Entities are never removed, so counting them gives a unique creation order.
    if changed:
        order = len(accounts) + len(incidents)
        accounts = accounts.set(account.customer, account, due=account_due, order=order)
    if incident is None:
        assert isinstance(step, Purchased)
        purchases = purchases.set(step.lot.id, account.customer, due=None, order=len(purchases))
    else:
        order = len(accounts) + len(incidents)
        incidents = incidents.set(incident.id, incident, due=incident_due, order=order)
    sink.extend(step.notifications)
    return accounts, incidents, purchases, ACCEPTED


def _judge(
    policy: Policy, accounts: Mapping[str, Account], incidents: Mapping[str, Incident], event: Event
) -> Purchased | Step | Refusal:
    """What the accounts' and incidents' own rules make of ``event``."""
    if isinstance(event, _BY_CUSTOMER):
        account = accounts.get(event.customer) or Account(event.customer)
        if isinstance(event, Purchase):
            return account.purchase(policy, event)
        if isinstance(event, Open):
            return open_incident(policy, account, event)
        return account.refund(policy, event)
    incident = incidents[event.incident]
    return apply(policy, incident, accounts[incident.customer], event)


def _next(
    accounts: Entries[str, Account], incidents: Entries[str, Incident]
) -> pendulum.DateTime | None:
    a, i = accounts.first, incidents.first
    if a is None or (i is not None and i < a):
        a = i
    return None if a is None else a[0]


def _until(policy: Policy, until: object, clock: pendulum.DateTime | None) -> pendulum.DateTime:
    t = policy.utc(until, field="until")
    if clock is not None and t < clock:
        raise PolicyError(
            f"{policy.show(t)} is earlier than the world's clock, {policy.show(clock)} "
            "(its last event or advance)",
            rule=RuleId.INPUT_OUT_OF_ORDER,
            field="until",
        )
    return t


def _check_event(event: object) -> Event:
    if not isinstance(event, _EVENTS):
        raise PolicyError(f"expected an event, got {type(event).__name__}", field="event")
    return event


# --- the world, a value -----------------------------------------------------------------


@frozen(kw_only=True)
class Applied:
    """What applying one event gave: the world after it, the result, what to send.

    ``notifications`` are those of the timers that fired before the event (in time order)
    followed by the event's own; a refused event has none, and ``world`` is the old one.
    """

    world: World
    result: Accepted | Refusal
    notifications: tuple[Notification, ...]

    @property
    def accepted(self) -> bool:
        """Whether the event was applied."""
        return self.result is ACCEPTED


class _Log:
    """Notifications in emission order, as a linked list of batches: O(1) to extend,
    shared between worlds, read back whole only when asked for."""

    __slots__ = ("batch", "previous", "size")

    def __init__(self, batch: tuple[Notification, ...], previous: _Log | None) -> None:
        self.batch = batch
        self.previous = previous
        self.size: int = len(batch) + (previous.size if previous is not None else 0)

    def __iter__(self) -> Iterator[Notification]:
        batches = []
        log: _Log | None = self
        while log is not None:
            batches.append(log.batch)
            log = log.previous
        return (n for batch in reversed(batches) for n in batch)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Log):
            return NotImplemented
        return self.size == other.size and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _logged(log: _Log | None, batch: tuple[Notification, ...]) -> _Log | None:
    return _Log(batch, log) if batch else log


def _policy(_: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, Policy):
        raise PolicyError(f"expected a Policy, got {type(value).__name__}", field=attribute.name)


@frozen
class World:
    """Every account and incident under ``policy``, and the instant the world has reached.

    Build one with ``World(policy)`` and feed it events in time order; a world is never
    changed, each step returns a new one.

    >>> from datetime import datetime, timedelta, timezone
    >>> paris = timezone(timedelta(hours=1))
    >>> world = World(Policy())
    >>> step = world.apply(Purchase(at=datetime(2026, 11, 27, 10, tzinfo=paris),
    ...                             customer="acme", id="p1", product="bundle-3"))
    >>> step.result, [n.kind for n in step.notifications]
    (ACCEPTED, ['credits_purchased'])
    >>> step.world.accounts["acme"].balance(step.world.at), len(world.accounts)
    (3, 0)
    >>> again = step.world.apply(Purchase(at=datetime(2026, 11, 27, 11, tzinfo=paris),
    ...                                   customer="acme", id="p1", product="single"))
    >>> again.result.rule, again.world.accounts == step.world.accounts
    (<RuleId.INPUT_DUPLICATE_ID: 'input.duplicate-id'>, True)
    """

    policy: Policy = field(factory=Policy, validator=_policy)
    _accounts: Agenda[str, Account] = field(init=False, factory=Agenda, repr=False)
    _incidents: Agenda[str, Incident] = field(init=False, factory=Agenda, repr=False)
    _purchases: Agenda[str, str] = field(init=False, factory=Agenda, repr=False)
    _at: pendulum.DateTime | None = field(init=False, default=None)
    _log: _Log | None = field(init=False, default=None, repr=False)

    @property
    def accounts(self) -> Mapping[str, Account]:
        """Each customer's account, by customer, in the order customers first appeared."""
        return self._accounts

    @property
    def incidents(self) -> Mapping[str, Incident]:
        """Every incident, by ID, in the order they were opened."""
        return self._incidents

    @property
    def purchases(self) -> Mapping[str, str]:
        """Every recorded purchase ID, with the customer who made it."""
        return self._purchases

    @property
    def at(self) -> pendulum.DateTime | None:
        """The world's clock (UTC): the instant of the last event it judged in order, or
        of the last :meth:`advance`; None before either."""
        return self._at

    @property
    def notifications(self) -> tuple[Notification, ...]:
        """Every notification so far, in time order."""
        return () if self._log is None else tuple(self._log)

    @property
    def next_event_at(self) -> pendulum.DateTime | None:
        """The earliest instant (UTC) at which a timer will fire by itself, or None.

        Timers due at an event's instant fire after it, so after an event at t this may
        be t itself; after ``advance(until)`` it is always later than ``until``.
        """
        return _next(self._accounts, self._incidents)

    def _with(
        self,
        accounts: Agenda[str, Account],
        incidents: Agenda[str, Incident],
        purchases: Agenda[str, str],
        at: pendulum.DateTime | None,
        batch: tuple[Notification, ...],
    ) -> World:
        # Private fields are not constructor arguments (a world is built empty or by its
        # own steps), so set them the way attrs' frozen __init__ does.
        new = object.__new__(World)
        set_ = object.__setattr__
        set_(new, "policy", self.policy)
        set_(new, "_accounts", accounts)
        set_(new, "_incidents", incidents)
        set_(new, "_purchases", purchases)
        set_(new, "_at", at)
        set_(new, "_log", _logged(self._log, batch))
        return new

    def advance(self, until: object) -> tuple[World, tuple[Notification, ...]]:
        """Let time pass up to ``until`` (an aware datetime): fire every timer due at or
        before it, in time order (``input.timers``), and move the clock there. ``until``
        earlier than :attr:`at` is a :class:`~premier_policy.PolicyError`
        (``input.out-of-order``)."""
        t = _until(self.policy, until, self._at)
        fired: list[Notification] = []
        accounts, incidents = _fire(
            self.policy, self._accounts, self._incidents, t, fired, inclusive=True
        )
        batch = tuple(fired)
        return self._with(accounts, incidents, self._purchases, t, batch), batch

    def apply(self, event: Event) -> Applied:
        """Judge ``event`` and apply it if accepted (see the module notes for the rules)."""
        policy = self.policy
        at = policy.utc(_check_event(event).at)
        refused = _precheck(policy, event, at, self._at, self._incidents, self._purchases)
        if refused is not None:
            return Applied(world=self, result=refused, notifications=())
        sent: list[Notification] = []
        try:
            accounts, incidents, purchases, result = _step(
                policy, self._accounts, self._incidents, self._purchases, event, at, sent
            )
        except PolicyError as error:  # a timer past the year 9999 cannot fire
            result = refusal_for(error)
        if isinstance(result, Refusal):
            return Applied(world=self, result=result, notifications=())
        batch = tuple(sent)
        world = self._with(accounts, incidents, purchases, at, batch)
        return Applied(world=world, result=result, notifications=batch)


class Fold:
    """The replay engine: the rules of :class:`World` over mutable working copies.

    It exists for speed (a dict write and a heap push per change, no copies, no garbage
    for the collector to chase) and never leaves :func:`~premier_policy.replay`, so no
    caller can see it change. Its results are those of folding a :class:`World`.
    """

    __slots__ = ("accounts", "at", "incidents", "notifications", "policy", "purchases")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.accounts: DraftAgenda[str, Account] = DraftAgenda()
        self.incidents: DraftAgenda[str, Incident] = DraftAgenda()
        self.purchases: DraftAgenda[str, str] = DraftAgenda()
        self.at: pendulum.DateTime | None = None
        self.notifications = NotificationLog()

    @property
    def next_event_at(self) -> pendulum.DateTime | None:
        """As :attr:`World.next_event_at`."""
        return _next(self.accounts, self.incidents)

    def apply(self, event: Event) -> Accepted | Refusal:
        """As :meth:`World.apply`, in place; the notifications go to the log. A refusal
        undoes the timers fired before it, so it changes nothing here either."""
        policy = self.policy
        at = policy.utc(event.at)
        refused = _precheck(policy, event, at, self.at, self.incidents, self.purchases)
        if refused is not None:
            return refused
        mark = len(self.notifications)
        undo: _Undo = []
        try:
            *_, result = _step(
                policy,
                self.accounts,
                self.incidents,
                self.purchases,
                event,
                at,
                self.notifications,
                undo,
            )
        except PolicyError as error:  # a timer past the year 9999 cannot fire
            result = refusal_for(error)
        if isinstance(result, Refusal):
            for is_account, key, before, due, order in reversed(undo):
                store: DraftAgenda[str, Any] = self.accounts if is_account else self.incidents
                store.set(key, before, due=due, order=order)
            self.notifications.truncate(mark)
            return result
        self.at = at
        return result

    def advance(self, until: pendulum.DateTime) -> None:
        """As :meth:`World.advance`, in place."""
        self.at = _until(self.policy, until, self.at)
        _fire(
            self.policy, self.accounts, self.incidents, self.at, self.notifications, inclusive=True
        )
