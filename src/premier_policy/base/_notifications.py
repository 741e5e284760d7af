"""Notifications: the effects a host application must send, as data."""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from itertools import chain
from types import MappingProxyType
from typing import Any, ClassVar, Final, Literal, TypeAlias, get_args, overload

import pendulum
from attrs import frozen

from premier_policy.base._copies import maker
from premier_policy.base._instants import as_stored, plain

#: A JSON string as json.dumps(ensure_ascii=False) writes it, quotes included.
_quoted = json.encoder.encode_basestring

__all__ = [
    "AUDIENCES",
    "Audience",
    "Note",
    "Notes",
    "Notification",
    "NotificationKind",
    "NotificationLog",
    "Sent",
    "Tally",
    "TallyKey",
    "id_digest",
    "notification_id",
    "notified",
    "notify",
    "utc_text",
]

Audience = Literal["customer", "staff"]
NotificationKind = Literal[
    "credits_purchased",
    "incident_opened",
    "response_posted",
    "customer_replied",
    "response_overdue",
    "allowance_warning",
    "allowance_exhausted",
    "incident_extended",
    "incident_resolved",
    "incident_closed",
    "incident_reopened",
    "incident_invalidated",
    "credits_expiring",
    "credits_expired",
]

#: Who hears of each kind, in the order the notifications are emitted.
AUDIENCES: Mapping[NotificationKind, tuple[Audience, ...]] = MappingProxyType(
    {
        "credits_purchased": ("customer",),
        "incident_opened": ("customer", "staff"),
        "response_posted": ("customer",),
        "customer_replied": ("staff",),
        "response_overdue": ("staff",),
        "allowance_warning": ("customer",),
        "allowance_exhausted": ("customer", "staff"),
        "incident_extended": ("customer", "staff"),
        "incident_resolved": ("customer",),
        "incident_closed": ("customer",),
        "incident_reopened": ("staff",),
        "incident_invalidated": ("customer",),
        "credits_expiring": ("customer",),
        "credits_expired": ("customer",),
    }
)
assert set(AUDIENCES) == set(get_args(NotificationKind)), "every kind has an audience"


@frozen
class Notification:
    """One message to send: when, what, to whom, about which customer and incident.

    ``seq`` is its position among the identical notifications (same instant, kind,
    recipient, customer and incident) sent before it, counted from 0; with the rest it
    makes :attr:`id`, the same in every replay of the same history.

    >>> at = pendulum.datetime(2026, 11, 27, 9)
    >>> n = Notification(at, "credits_purchased", "customer", "acme")
    >>> n.id
    '0dac3f62ce0051a950580322967ffafb'
    >>> n.id == Notification(at, "credits_purchased", "customer", "acme", seq=1).id
    False
    """

    at: pendulum.DateTime
    kind: NotificationKind
    to: Audience
    customer: str
    incident: str | None = None
    seq: int = 0

    @property
    def id(self) -> str:
        """A stable ID for delivering this notification exactly once: the first 32
        lowercase hex digits of the SHA-256 of the UTF-8 JSON array ``[at, kind, to,
        customer, incident, seq]``, ``at`` in UTC as ``2026-11-27T09:00:00+00:00``,
        written without spaces or ASCII escapes."""
        return notification_id(self.at, self.kind, self.to, self.customer, self.incident, self.seq)


def notification_id(
    at: datetime, kind: str, to: str, customer: str, incident: str | None, seq: int
) -> str:
    """The ID of a notification: the first 32 lowercase hex digits of the SHA-256 of the
    UTF-8 JSON array ``[at, kind, to, customer, incident, seq]`` (``at`` in UTC as
    ``2026-11-27T09:00:00+00:00``, ``incident`` null when about none), written without
    spaces and without escaping non-ASCII characters, so a host in any language can
    compute it too. No counter across notifications: only its own content and its
    position among identical ones at that instant.

    >>> notification_id(pendulum.datetime(2026, 11, 27, 9), "credits_purchased",
    ...                 "customer", "acme", None, 0)
    '0dac3f62ce0051a950580322967ffafb'
    """
    return id_digest(utc_text(at), kind, to, customer, incident, seq)


def utc_text(at: datetime) -> str:
    """``at`` in UTC as a notification ID writes it: ``2026-11-27T09:00:00+00:00``.

    >>> utc_text(pendulum.datetime(2026, 11, 27, 10, tz="Europe/Paris"))
    '2026-11-27T09:00:00+00:00'
    """
    if at.tzinfo is not pendulum.UTC:
        at = at.astimezone(UTC)
    # datetime's own isoformat: pendulum's writes the same text, in Python.
    return datetime.isoformat(at)


def id_digest(
    at_text: str, kind: str, to: str, customer: str, incident: str | None, seq: int
) -> str:
    """The ID of :func:`notification_id` from its instant's :func:`utc_text`."""
    # The array json.dumps(..., separators=(",", ":"), ensure_ascii=False) writes, put
    # together from its own string writer: an outcome computes one ID per notification,
    # and the whole dumps machinery cost more than the hash (a test keeps the two equal).
    # The instant's text is isoformat's, which has nothing to escape; the int is written
    # without a format spec, whose parsing costs more than the writing.
    text = (
        f'["{at_text}",{_quoted(kind)},{_quoted(to)},{_quoted(customer)},'
        f"{'null' if incident is None else _quoted(incident)},{seq}]"
    )
    # surrogatepass: an ID no JSON document can carry still gets an ID of its own.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


#: What makes two notifications at one instant identical: kind, recipient, customer, incident.
TallyKey = tuple[NotificationKind, Audience, str, str | None]


# Notifications are the most numerous values a replay makes (one or two per event), so
# they are made without attrs' frozen __init__ (a bound object.__setattr__ per field).
# Equivalent only while Notification has no validators, converters or post-init (a test
# pins that).
_made: Final[
    Callable[[pendulum.DateTime, NotificationKind, Audience, str, str | None, int], Notification]
] = maker(Notification)
# A plain dict: a mapping proxy's lookup costs a Python-level indirection per call.
_AUDIENCES: dict[NotificationKind, tuple[Audience, ...]] = dict(AUDIENCES)


class Tally:
    """How many identical notifications have been sent at the latest instant, to number
    the next ones (:attr:`Notification.seq`). Notifications come in time order, so only
    the latest instant can see more; a new instant starts a new count.

    Changed in place by :meth:`number`; :meth:`mark` and :meth:`rollback` undo the
    numbering of notifications that were taken back (a refused event's timers).

    >>> at = pendulum.datetime(2026, 11, 27, 9)
    >>> tally = Tally()
    >>> [n.seq for n in tally.number(notify("credits_purchased", at, "acme") * 2)]
    [0, 1]
    >>> [n.seq for n in tally.number(notify("credits_purchased", at.add(seconds=1), "acme"))]
    [0]
    """

    __slots__ = ("at", "counts")

    def __init__(
        self, at: datetime | None = None, counts: dict[TallyKey, int] | None = None
    ) -> None:
        self.at = at
        self.counts: dict[TallyKey, int] = {} if counts is None else counts

    def next_seq(self, at: datetime, key: TallyKey) -> int:
        """The position of a notification ``key`` at ``at``, counted."""
        if at != self.at:
            self.at = at
            self.counts = {}  # a new dict: a mark keeps the old one
        counts = self.counts
        seq = counts.get(key, 0)
        counts[key] = seq + 1
        return seq

    def number(self, batch: Iterable[Notification]) -> tuple[Notification, ...]:
        """``batch`` with each notification's ``seq`` set, counted."""
        return tuple(
            _made(n.at, n.kind, n.to, n.customer, n.incident,
                  self.next_seq(n.at, (n.kind, n.to, n.customer, n.incident)))
            for n in batch
        )  # fmt: skip

    def mark(self) -> tuple[datetime | None, dict[TallyKey, int]]:
        """The state to :meth:`rollback` to."""
        return self.at, self.counts

    def rollback(
        self,
        mark: tuple[datetime | None, dict[TallyKey, int]],
        taken_back: Iterable[tuple[datetime, TallyKey]],
    ) -> None:
        """Undo the counting of ``taken_back`` (``(at, key)`` of each notification
        numbered since ``mark``)."""
        at, counts = mark
        for when, key in taken_back:
            if when == at:
                left = counts[key] - 1
                if left:
                    counts[key] = left
                else:
                    del counts[key]
        self.at, self.counts = at, counts


#: A notification before it is addressed: its kind, instant, customer and incident. It
#: stands for the notifications :func:`notify` makes of these, one per audience of its
#: kind: the replay engine's record steps send notes, which its log writes as rows
#: without making the values.
Note: TypeAlias = tuple[NotificationKind, datetime, str, "str | None"]
Notes: TypeAlias = tuple[Note, ...]
#: What a step sends: notifications, or notes.
Sent: TypeAlias = "tuple[Notification, ...] | Notes"


def notified(sent: Iterable[Notification | Note]) -> tuple[Notification, ...]:
    """The notifications ``sent`` stands for: each note as :func:`notify` makes it, at
    its instant as a stored one.

    >>> at = pendulum.datetime(2026, 11, 27, 10, tz="UTC")
    >>> notified([("incident_opened", at, "acme", "i1")]) == notify("incident_opened", at, "acme", "i1")
    True
    """
    out: list[Notification] = []
    for each in sent:
        if isinstance(each, Notification):
            out.append(each)
        else:
            kind, at, customer, incident = each
            out += notify(kind, as_stored(at), customer, incident)
    return tuple(out)


def notify(
    kind: NotificationKind, at: pendulum.DateTime, customer: str, incident: str | None = None
) -> tuple[Notification, ...]:
    """The notifications of one kind, one per audience of that kind.

    >>> at = pendulum.datetime(2026, 11, 27, 10, tz="Europe/Paris")
    >>> [n.to for n in notify("incident_opened", at, "acme", "i1")]
    ['customer', 'staff']
    """
    audiences = _AUDIENCES[kind]
    if len(audiences) == 1:
        return (_made(at, kind, audiences[0], customer, incident, 0),)
    return tuple([_made(at, kind, to, customer, incident, 0) for to in audiences])


_NEVER: Final = datetime.max.replace(tzinfo=UTC)


class NotificationLog(Sequence[Notification]):
    """Notifications in emission order, kept as six parallel lists, numbered as they
    come (:class:`Tally`).

    The replay engine logs every notification of a replay, a million and more in a long
    one. As :class:`Notification` objects they were the most numerous objects the
    garbage collector traced on each of its passes, so the cost per event grew with the
    length of the replay; as lists of plain instants and strings they add none. A list
    still has each of its items visited on every full pass, though: so the lists hold
    the latest rows only, and every :data:`CHUNK` rows or so are sealed into tuples,
    which the collector leaves alone. Rows are sealed when a :meth:`mark` is taken, so a
    :meth:`rollback` never reaches a sealed one. Reading an item builds its
    :class:`Notification`.

    >>> at = pendulum.datetime(2026, 11, 27, 10, tz="UTC")
    >>> log = NotificationLog()
    >>> log.extend(notify("incident_opened", at, "acme", "i1"))
    >>> len(log), log[-1].to, [n.kind for n in log[:1]]
    (2, 'staff', ['incident_opened'])
    >>> mark = log.mark()
    >>> log.extend(notify("incident_opened", at, "acme", "i1"))
    >>> [n.seq for n in log]
    [0, 0, 1, 1]
    >>> log.rollback(mark)
    >>> list(log) == list(notify("incident_opened", at, "acme", "i1"))
    True
    """

    __slots__ = ("_sealed", "_starts", "at", "customer", "incident", "kind", "seq", "tally", "to")

    #: About how many rows are sealed together.
    CHUNK: ClassVar[int] = 4096

    def __init__(self, tally: Tally | None = None) -> None:
        # The sealed rows: per chunk, its six columns as tuples, and where it starts.
        self._sealed: list[tuple[tuple[Any, ...], ...]] = []
        self._starts: list[int] = []
        self.at: list[datetime] = []
        self.kind: list[NotificationKind] = []
        self.to: list[Audience] = []
        self.customer: list[str] = []
        self.incident: list[str | None] = []
        self.seq: list[int] = []
        self.tally = Tally() if tally is None else tally

    def extend(self, batch: Iterable[Notification | Note]) -> None:
        """Append ``batch``, in order, numbering each notification (its ``seq`` as given
        is replaced by its count); a :data:`Note` adds the notifications it stands for."""
        next_seq = self.tally.next_seq
        # Kept as plain instants, which the garbage collector does not trace (the log
        # is the only holder of most of them), converted once for the notifications
        # of one event or timer, which share an instant.
        last: object = None
        at: datetime = _NEVER
        for each in batch:
            if type(each) is tuple:
                kind, given, customer, incident = each
                audiences = _AUDIENCES[kind]
            else:
                given, kind, customer, incident = each.at, each.kind, each.customer, each.incident  # type: ignore[union-attr]
                audiences = (each.to,)  # type: ignore[union-attr]
            if given is not last:
                last, at = given, given if type(given) is datetime else plain(given)
            for to in audiences:
                self.at.append(at)
                self.kind.append(kind)
                self.to.append(to)
                self.customer.append(customer)
                self.incident.append(incident)
                self.seq.append(next_seq(at, (kind, to, customer, incident)))

    def _columns(self) -> tuple[list[Any], ...]:
        return (self.at, self.kind, self.to, self.customer, self.incident, self.seq)

    def columns(self) -> Iterator[Iterable[Any]]:
        """The six columns (at, kind, to, customer, incident, seq), each in order."""
        for n, column in enumerate(self._columns()):
            yield chain.from_iterable((*(chunk[n] for chunk in self._sealed), column))

    def seal(self) -> None:
        """Seal the rows not yet sealed, once there are :attr:`CHUNK` of them: no mark
        taken before can then be rolled back to. :meth:`mark` seals first."""
        if len(self.at) >= self.CHUNK:
            self._starts.append(self._sealed_size())
            self._sealed.append(tuple(tuple(column) for column in self._columns()))
            for column in self._columns():
                column.clear()

    def mark(self) -> tuple[int, int, tuple[datetime | None, dict[TallyKey, int]]]:
        """The state to :meth:`rollback` to: the chunks sealed, the rows not yet sealed
        and the tally's mark."""
        self.seal()
        return len(self._sealed), len(self.at), self.tally.mark()

    def _sealed_size(self) -> int:
        return self._starts[-1] + len(self._sealed[-1][0]) if self._sealed else 0

    def rollback(self, mark: tuple[int, int, tuple[datetime | None, dict[TallyKey, int]]]) -> None:
        """Take back every notification added since ``mark`` (what a refused event
        undoes), their numbering included."""
        sealed, size, tallied = mark
        if sealed != len(self._sealed):
            # Sealed rows cannot be taken back: only the latest mark can be rolled back to.
            raise ValueError("a mark taken before the last sealing")
        self.tally.rollback(
            tallied,
            zip(
                self.at[size:],
                zip(
                    self.kind[size:],
                    self.to[size:],
                    self.customer[size:],
                    self.incident[size:],
                    strict=True,
                ),
                strict=True,
            ),
        )
        for column in (self.at, self.kind, self.to, self.customer, self.incident, self.seq):
            del column[size:]

    def __len__(self) -> int:
        return self._sealed_size() + len(self.at)

    @overload
    def __getitem__(self, index: int) -> Notification: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Notification]: ...

    def __getitem__(self, index: int | slice) -> Notification | Sequence[Notification]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        position = range(len(self))[index]  # an IndexError as a list's; negatives count back
        sealed = self._sealed_size()
        if position >= sealed:
            columns: tuple[Sequence[Any], ...] = self._columns()
            position -= sealed
        else:
            chunk = bisect_right(self._starts, position) - 1
            columns, position = self._sealed[chunk], position - self._starts[chunk]
        at, kind, to, customer, incident, seq = (column[position] for column in columns)
        return _made(as_stored(at), kind, to, customer, incident, seq)

    def __iter__(self) -> Iterator[Notification]:
        at, *rest = self.columns()
        return map(_made, map(as_stored, at), *rest)
