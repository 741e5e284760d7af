"""The world: every customer's account and every incident under one policy, as a value.

``world.apply(event)`` judges one event and returns an :class:`Applied`: the new world,
the result (:data:`ACCEPTED` or a :class:`~premier_policy.Refusal`) and the
notifications to send. The rules of time order it follows (``input.out-of-order``,
``input.timers``, ``input.duplicate-id``, ``input.unknown-incident``) are in
:mod:`premier_policy.engine._time_order`, shared with the replay engine.

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

Cost: accounts and incidents live in :class:`~premier_policy.engine._agenda.Agenda` tries, which
also index every entity's next timer, and notifications in a linked log; applying an
event costs O(log n) plus the rules' own work, never a copy of the world or a scan of
its timers, and every earlier world stays valid. The replay engine (:class:`~premier_policy.engine._fold.Fold`) runs
the very same rules over mutable working copies it never hands out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pendulum
from attrs import Attribute, field, frozen

from premier_policy.base._errors import PolicyError
from premier_policy.base._events import (
    Event,
)
from premier_policy.base._instants import as_stored
from premier_policy.base._notifications import Notification, TallyKey, _made
from premier_policy.base._refusal import Refusal
from premier_policy.credits._account import Account
from premier_policy.engine._agenda import Agenda
from premier_policy.engine._time_order import (
    ACCEPTED,
    Accepted,
    check_event,
    fire,
    next_due,
    precheck,
    refusal_for,
    step,
    until_instant,
)
from premier_policy.incidents._incident import Incident
from premier_policy.terms._policy import Policy
from premier_policy.wire._snapshot import Parts, read_snapshot, write_snapshot

__all__ = ["Applied", "World"]

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

    def __reduce__(self) -> tuple[Any, tuple[tuple[Notification, ...]]]:
        # Pickled flat, as one batch: a chain of batches would recurse once per batch.
        return _flat_log, (tuple(self),)


def _flat_log(batch: tuple[Notification, ...]) -> _Log:
    return _Log(batch, None)


def _logged(log: _Log | None, batch: tuple[Notification, ...]) -> _Log | None:
    return _Log(batch, log) if batch else log


#: Identical notifications counted at one instant (see Tally): persistent, so that every
#: world keeps its own count at O(log n) a notification.
_Counts = Agenda[TallyKey, int]


def _numbered(
    batch: list[Notification], at: pendulum.DateTime | None, counts: _Counts
) -> tuple[tuple[Notification, ...], pendulum.DateTime | None, _Counts]:
    """``batch`` with each notification's position among identical ones at its instant."""
    out = []
    for n in batch:
        if n.at != at:
            at, counts = n.at, Agenda()
        key = (n.kind, n.to, n.customer, n.incident)
        seq = counts.get(key, 0)
        counts = counts.set(key, seq + 1, due=None, order=len(counts))
        out.append(_made(n.at, n.kind, n.to, n.customer, n.incident, seq))
    return tuple(out), at, counts


def _policy(_: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, Policy):
        raise PolicyError(f"expected a Policy, got {type(value).__name__}", field=attribute.name)


def _not_evolved(_: object, __: Attribute[Any], value: object) -> None:
    # attrs.evolve passes every constructor argument of the old world, this one included:
    # a new world is built without it.
    if value is not None:
        raise PolicyError(
            "a world's policy cannot be replaced: attrs.evolve would build an empty world, "
            "dropping every account and incident; give the policy its changes "
            "(Policy(changes=...)) and replay the events, or restore a snapshot",
            field="policy",
        )


@frozen
class World:
    """Every account and incident under ``policy``, and the instant the world has reached.

    Build one with ``World(policy)`` and feed it events in time order; a world is never
    changed, each step returns a new one.

    >>> from datetime import datetime, timedelta, timezone
    >>> from premier_policy import Open, Purchase
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
    _tally_at: pendulum.DateTime | None = field(init=False, default=None, repr=False)
    _tally: _Counts = field(init=False, factory=Agenda, repr=False)
    #: Set to the policy once built: what tells attrs.evolve's call from a new world's.
    _evolved_from: Policy | None = field(
        default=None, alias="_evolved_from", validator=_not_evolved, repr=False, eq=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_evolved_from", self.policy)

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
        due = next_due(self._accounts, self._incidents)
        return None if due is None else as_stored(due)

    def _with(
        self,
        accounts: Agenda[str, Account],
        incidents: Agenda[str, Incident],
        purchases: Agenda[str, str],
        at: pendulum.DateTime | None,
        sent: list[Notification],
    ) -> tuple[World, tuple[Notification, ...]]:
        # Private fields are not constructor arguments (a world is built empty, by its
        # own steps or from a snapshot), so set them the way attrs' frozen __init__ does.
        batch, tally_at, tally = _numbered(sent, self._tally_at, self._tally)
        new = _built(self.policy, accounts, incidents, purchases, at, (tally_at, tally))
        object.__setattr__(new, "_log", _logged(self._log, batch))
        return new, batch

    def snapshot(self) -> dict[str, Any]:
        """This world as a JSON-shaped document (``state.snapshot``): everything it needs
        to continue exactly, without the notification history. :meth:`restore` reads it.

        Taken after an event at t, it holds the timers due at t that have not fired yet
        (they fire before the next later event, as in a straight replay); taken after
        :meth:`advance`, everything due up to the clock has fired.

        >>> from datetime import datetime, timezone
        >>> from premier_policy import Purchase
        >>> world = World(Policy()).apply(Purchase(
        ...     at=datetime(2026, 11, 27, 9, tzinfo=timezone.utc), customer="acme", id="p1",
        ...     product="single")).world
        >>> doc = world.snapshot()
        >>> doc["format"], doc["version"], doc["at"], list(doc)[-1]
        ('premier-policy/world', 1, '2026-11-27T09:00:00+00:00', 'digest')
        >>> World.restore(doc).snapshot() == doc
        True
        """
        return write_snapshot(
            self.policy,
            self._at,
            self._accounts.ordered(),
            self._incidents.ordered(),
            self._purchases.ordered(),
            (self._tally_at, ((key, count) for key, count, _ in self._tally.ordered())),
        )

    @classmethod
    def restore(cls, document: object) -> World:
        """The world a :meth:`snapshot` describes, every part checked again; a document
        of another format or version, with a digest that does not match, or whose
        content breaks an invariant is a :class:`~premier_policy.PolicyError`
        (``state.integrity``) naming the field. Nothing is guessed or repaired.

        >>> World.restore({"format": "premier-policy/world", "version": 2})
        Traceback (most recent call last):
        ...
        premier_policy.PolicyError: state.integrity: version: unknown version 2; this library reads 1
        """
        return cls._from_parts(read_snapshot(document))

    @classmethod
    def _from_parts(cls, parts: Parts) -> World:
        """The world of a snapshot read and checked (:func:`read_snapshot`)."""
        policy = parts.policy
        accounts: Agenda[str, Account] = Agenda.of(
            (account.customer, account, account.next_timer_at(policy), order)
            for account, order in zip(parts.accounts, parts.account_orders, strict=True)
        )
        incidents: Agenda[str, Incident] = Agenda.of(
            (incident.id, incident, incident.next_timer_at(policy), order)
            for incident, order in zip(parts.incidents, parts.incident_orders, strict=True)
        )
        purchases: Agenda[str, str] = Agenda.of(
            (purchase, customer, None, order)
            for order, (purchase, customer) in enumerate(parts.purchases)
        )
        tally: _Counts = Agenda.of(
            (key, count, None, order) for order, (key, count) in enumerate(parts.tally.items())
        )
        return _built(policy, accounts, incidents, purchases, parts.at, (parts.at, tally))

    def advance(self, until: object) -> tuple[World, tuple[Notification, ...]]:
        """Let time pass up to ``until`` (an aware datetime): fire every timer due at or
        before it, in time order (``input.timers``), and move the clock there. ``until``
        earlier than :attr:`at` is a :class:`~premier_policy.PolicyError`
        (``input.out-of-order``)."""
        t = until_instant(self.policy, until, self._at)
        fired: list[Notification] = []
        accounts, incidents = fire(
            self.policy, self._accounts, self._incidents, t, fired, inclusive=True
        )
        return self._with(accounts, incidents, self._purchases, t, fired)

    def apply(self, event: Event) -> Applied:
        """Judge ``event`` and apply it if accepted (see the module notes for the rules)."""
        policy = self.policy
        at = check_event(event).at
        refused = precheck(policy, event, at, self._at, self._incidents, self._purchases)
        if refused is not None:
            return Applied(world=self, result=refused, notifications=())
        sent: list[Notification] = []
        try:
            accounts, incidents, purchases, result = step(
                policy, self._accounts, self._incidents, self._purchases, event, at, sent
            )
        except PolicyError as error:  # a timer past the year 9999 cannot fire
            result = refusal_for(error)
        if isinstance(result, Refusal):
            return Applied(world=self, result=result, notifications=())
        world, batch = self._with(accounts, incidents, purchases, at, sent)
        return Applied(world=world, result=result, notifications=batch)


def _built(
    policy: Policy,
    accounts: Agenda[str, Account],
    incidents: Agenda[str, Incident],
    purchases: Agenda[str, str],
    at: pendulum.DateTime | None,
    tally: tuple[pendulum.DateTime | None, _Counts],
) -> World:
    new = object.__new__(World)
    set_ = object.__setattr__
    set_(new, "policy", policy)
    set_(new, "_accounts", accounts)
    set_(new, "_incidents", incidents)
    set_(new, "_purchases", purchases)
    set_(new, "_at", at)
    set_(new, "_log", None)
    set_(new, "_tally_at", tally[0])
    set_(new, "_tally", tally[1])
    set_(new, "_evolved_from", policy)
    return new
