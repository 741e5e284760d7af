"""An incident's story: a scenario replayed, told step by step for one incident.

:func:`incident_story` replays a scenario (:func:`~premier_policy.trace`) and keeps, in
order, every step that touched one incident: each event naming it (accepted or refused)
and each timer that fired for it (a response breach, the auto-close). A step holds the
incident before and after, and the facts read off the difference, each naming the rule
behind it: state changes, response targets (the due instant and the business-hour spans
behind it, met or breached, when staff were told), time logged against the allowance
with the warning and exhausted levels, credits taken and restored with their lot, the
auto-close and reopen-window instants, and every refusal with its rule and sentence.

Nothing is decided here: the incidents are the replay's own, and timers are fired with
the lifecycle's own :func:`~premier_policy.incidents._lifecycle.advance`, one instant at
a time, so that each gets its own step. The story's final incident is the outcome's.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any, Literal

import pendulum
from attrs import frozen

from premier_policy.base._events import Event, IncidentEvent, Open
from premier_policy.base._notifications import Notification
from premier_policy.base._refusal import Refusal
from premier_policy.base._rules import RuleId
from premier_policy.engine._replay import Trace, trace
from premier_policy.hours._explain import Deadline
from premier_policy.incidents._incident import Incident
from premier_policy.incidents._lifecycle import advance
from premier_policy.incidents._response import ResponseTarget
from premier_policy.incidents._states import TRANSITIONS, State
from premier_policy.terms._policy import Policy
from premier_policy.wire._events import EVENT_TYPES
from premier_policy.wire._outcome import Outcome, outcome_dict

__all__ = ["IncidentStory", "StoryFact", "StoryStep", "event_kind", "incident_story"]

#: What a fact is about.
FactKind = Literal[
    "state",
    "refused",
    "target_started",
    "target_met",
    "target_breached",
    "target_dropped",
    "allowance_granted",
    "time_logged",
    "allowance_warning",
    "allowance_exhausted",
    "allowance_extended",
    "credit_taken",
    "credit_restored",
    "auto_close_set",
    "closed",
    "reopen_window",
    "notified",
]

_RULE_OF_KIND: dict[str, RuleId] = {row.kind: row.rule for row in TRANSITIONS.rows}
_TYPE_NAMES: dict[type[Event], str] = {cls: name for name, cls in EVENT_TYPES.items()}


def event_kind(event: Event) -> str:
    """The scenario format's type name of ``event`` (``"log_time"``, ...)."""
    return _TYPE_NAMES[type(event)]


def _spans(deadline: Deadline) -> str:
    return ", ".join(
        f"{s.start.format('ddd HH:mm')}-{s.end.format('HH:mm')} ({s.minutes})"
        for s in deadline.spans
    )


@frozen(kw_only=True)
class StoryFact:
    """One thing a step did, the rule behind it, a sentence, and its data (JSON-ready)."""

    kind: FactKind
    rule: RuleId
    text: str
    data: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"kind": self.kind, "rule": self.rule.value, "text": self.text, **self.data}


@frozen(kw_only=True)
class StoryStep:
    """One step of an incident's story: an event naming it, or a timer of its own.

    ``index`` is the event's index in the scenario, None for a timer; ``kind`` the
    event's type or the timer (``response_overdue``, ``auto_close``); ``rule`` the rule
    that moved it (or refused it); ``before`` and ``after`` the incident around it
    (``before`` is None for the opening, both for a refused opening).
    """

    at: pendulum.DateTime
    index: int | None
    kind: str
    rule: RuleId
    before: Incident | None
    after: Incident | None
    refusal: Refusal | None
    facts: tuple[StoryFact, ...]
    notifications: tuple[Notification, ...]

    @property
    def accepted(self) -> bool:
        """Whether the step changed the incident's world (timers always do)."""
        return self.refusal is None

    @property
    def state_before(self) -> State | None:
        """The state before the step."""
        return None if self.before is None else self.before.state

    @property
    def state_after(self) -> State | None:
        """The state after the step."""
        return None if self.after is None else self.after.state


def _target_facts(
    policy: Policy,
    step_rule: RuleId,
    old: tuple[ResponseTarget, ...],
    new: tuple[ResponseTarget, ...],
) -> Iterator[StoryFact]:
    """The targets' facts; a drop names ``step_rule``, the rule of the step that made
    it (``lifecycle.resolve`` or ``lifecycle.invalidate``, the two that drop one)."""
    rule = RuleId.RESPONSE_TARGET
    show = policy.show
    for k, target in enumerate(new):
        if k >= len(old):
            minutes = policy.response_target_minutes
            deadline = policy.calendar.explain_add(target.started_at, timedelta(minutes=minutes))
            yield StoryFact(
                kind="target_started",
                rule=rule,
                text=f"response due {show(target.due_at)}, {minutes} business minutes: "
                f"{_spans(deadline)}",
                data={
                    "started_at": _iso(policy, target.started_at),
                    "due_at": _iso(policy, target.due_at),
                    "spans": [s.as_dict() for s in deadline.spans],
                },
            )
            continue
        was = old[k]
        if target.met_at is not None and was.met_at is None:
            late = "late, the target stays breached" if target.breached else "in time"
            yield StoryFact(
                kind="target_met",
                rule=rule,
                text=f"response posted {show(target.met_at)}, {late} (due {show(target.due_at)})",
                data={"met_at": _iso(policy, target.met_at), "breached": target.breached},
            )
        elif target.breached and not was.breached:
            yield StoryFact(
                kind="target_breached",
                rule=rule,
                text=f"no staff reply by {show(target.due_at)}: breached, staff told "
                f"{show(target.due_at)} (response_overdue)",
                data={
                    "due_at": _iso(policy, target.due_at),
                    "told_at": _iso(policy, target.due_at),
                },
            )
        if target.dropped_at is not None and was.dropped_at is None:
            yield StoryFact(
                kind="target_dropped",
                rule=step_rule,
                text=f"pending response target dropped {show(target.dropped_at)}",
                data={"dropped_at": _iso(policy, target.dropped_at)},
            )


def _allowance_facts(
    policy: Policy, old: Incident | None, new: Incident, sent: tuple[Notification, ...]
) -> Iterator[StoryFact]:
    a = new.allowance
    level = {"warning_minutes": policy.warning_minutes}
    numbers = {"used": a.used, "minutes": a.minutes, "remaining": a.remaining, **level}
    if old is None:
        yield StoryFact(
            kind="allowance_granted",
            rule=RuleId.TIME_ALLOWANCE,
            text=f"time allowance {a.minutes} min (warning at {policy.warning_minutes} min left)",
            data=numbers,
        )
        return
    b = old.allowance
    if a.used > b.used:
        yield StoryFact(
            kind="time_logged",
            rule=RuleId.TIME_ALLOWANCE,
            text=f"{a.used - b.used} min logged: {a.used} of {a.minutes} used, {a.remaining} left",
            data={"logged": a.used - b.used, **numbers},
        )
    kinds = {n.kind for n in sent}
    if "allowance_warning" in kinds:
        yield StoryFact(
            kind="allowance_warning",
            rule=RuleId.TIME_ALLOWANCE_WARNING,
            text=f"warning level: {a.remaining} min left, {policy.warning_minutes} or fewer; "
            "customer told, extension now possible",
            data=numbers,
        )
    if "allowance_exhausted" in kinds:
        yield StoryFact(
            kind="allowance_exhausted",
            rule=RuleId.TIME_ALLOWANCE_EXHAUSTED,
            text=f"allowance exhausted: {a.used} of {a.minutes} min used; customer and staff told",
            data=numbers,
        )
    if a.minutes > b.minutes:
        yield StoryFact(
            kind="allowance_extended",
            rule=RuleId.TIME_EXTENSION,
            text=f"allowance extended {b.minutes} -> {a.minutes} min, {a.remaining} left",
            data=numbers,
        )


def _credit_facts(old: Incident | None, new: Incident) -> Iterator[StoryFact]:
    before = () if old is None else old.lots
    for lot in new.lots[len(before) :]:
        yield StoryFact(
            kind="credit_taken",
            rule=RuleId.CREDITS_CONSUME_ORDER,
            text=f"1 credit taken from lot {lot} (the usable lot that expires first)",
            data={"lot": lot},
        )
    if before and not new.lots:
        for lot in before:
            yield StoryFact(
                kind="credit_restored",
                rule=RuleId.CREDITS_RESTORE,
                text=f"1 credit restored to lot {lot}, keeping its expiry "
                f"(invalidated: {new.invalid_reason})",
                data={"lot": lot, "reason": new.invalid_reason},
            )


def _instant_facts(policy: Policy, old: Incident | None, new: Incident) -> Iterator[StoryFact]:
    show = policy.show
    if new.auto_close_at is not None and (old is None or old.auto_close_at != new.auto_close_at):
        yield StoryFact(
            kind="auto_close_set",
            rule=RuleId.LIFECYCLE_AUTO_CLOSE,
            text=f"closes by itself {show(new.auto_close_at)}, {policy.auto_close_days} days "
            "after resolving, unless reopened",
            data={"auto_close_at": _iso(policy, new.auto_close_at)},
        )
    if new.closed_at is not None and (old is None or old.closed_at != new.closed_at):
        yield StoryFact(
            kind="closed",
            rule=RuleId.LIFECYCLE_AUTO_CLOSE,
            text=f"closed {show(new.closed_at)}",
            data={"closed_at": _iso(policy, new.closed_at)},
        )
    if new.reopen_until is not None and (old is None or old.reopen_until != new.reopen_until):
        yield StoryFact(
            kind="reopen_window",
            rule=RuleId.LIFECYCLE_REOPEN_WINDOW,
            text=f"may be reopened for free until {show(new.reopen_until)}",
            data={"reopen_until": _iso(policy, new.reopen_until)},
        )


def _iso(policy: Policy, t: pendulum.DateTime) -> str:
    return policy.local(t).isoformat()


def facts(
    policy: Policy,
    rule: RuleId,
    old: Incident | None,
    new: Incident,
    sent: tuple[Notification, ...],
) -> tuple[StoryFact, ...]:
    """What moving ``old`` to ``new`` (sending ``sent``) did, fact by fact."""
    found: list[StoryFact] = []
    if old is None or old.state != new.state:
        was = "(new)" if old is None else old.state
        found.append(
            StoryFact(
                kind="state",
                rule=rule,
                text=f"state {was} -> {new.state}",
                data={"before": None if old is None else old.state, "after": new.state},
            )
        )
    found += _credit_facts(old, new)
    found += _allowance_facts(policy, old, new, sent)
    found += _target_facts(
        policy, rule, () if old is None else old.response_targets, new.response_targets
    )
    found += _instant_facts(policy, old, new)
    for n in sent:
        found.append(
            StoryFact(
                kind="notified",
                rule=rule,
                text=f"{n.to} told {policy.show(n.at)}: {n.kind}",
                data={"to": n.to, "notification": n.kind, "at": _iso(policy, n.at)},
            )
        )
    return tuple(found)


@frozen(kw_only=True)
class IncidentStory:
    """The story of incident ``incident_id``: its steps in order and how it ends.

    ``incident`` is the incident at ``as_of`` (the outcome's), None if it never opened.
    """

    policy: Policy
    incident_id: str
    steps: tuple[StoryStep, ...]
    incident: Incident | None
    as_of: pendulum.DateTime | None

    def lines(self) -> tuple[str, ...]:
        """The story for a person: a line per step, an indented line per fact."""
        policy = self.policy
        found = self.incident
        whose = "" if found is None else f" of {found.customer} ({found.area})"
        until = "" if self.as_of is None else f" until {policy.show(self.as_of)}"
        lines = [f"Incident {self.incident_id}{whose}, replayed in {policy.tz.name}{until}"]
        for step in self.steps:
            where = "timer" if step.index is None else f"#{step.index}"
            verdict = "" if step.index is None else (": accepted" if step.accepted else ": REFUSED")
            lines.append(f"{where} {policy.show(step.at)}  {step.kind}{verdict}  [{step.rule}]")
            if step.refusal is not None:
                lines.append(f"    {step.refusal.message}")
                lines.append(f"    state stays {step.state_before or '(not opened)'}")
            lines += (f"    {fact.text}  [{fact.rule}]" for fact in step.facts)
        if found is None:
            lines.append("never opened")
        else:
            lines.append(
                f"final: {found.state}, {found.credits_used} credit(s) held, "
                f"{found.time_used_minutes} of {found.allowance_minutes} min used"
            )
        return tuple(lines)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form; ``final`` is the incident exactly as the outcome writes it."""
        policy = self.policy
        final = None
        if self.incident is not None:
            outcome = Outcome(
                as_of=self.as_of,
                results=(),
                customers={},
                incidents={self.incident_id: self.incident},
                notifications=(),
                next_event_at=None,
            )
            final = outcome_dict(outcome, policy)["incidents"][self.incident_id]
        return {
            "incident": self.incident_id,
            "as_of": None if self.as_of is None else _iso(policy, self.as_of),
            "steps": [
                {
                    "index": step.index,
                    "at": _iso(policy, step.at),
                    "kind": step.kind,
                    "rule": step.rule.value,
                    "accepted": step.accepted,
                    "state_before": step.state_before,
                    "state_after": step.state_after,
                    "refusal": None
                    if step.refusal is None
                    else {"rule": step.refusal.rule.value, "message": step.refusal.message},
                    "facts": [fact.as_dict() for fact in step.facts],
                }
                for step in self.steps
            ],
            "final": final,
        }


def _touches(event: Event, incident_id: str) -> bool:
    if isinstance(event, Open):
        return event.id == incident_id
    return isinstance(event, IncidentEvent) and event.incident == incident_id


def _timers(
    policy: Policy, incident: Incident, until: pendulum.DateTime, *, inclusive: bool
) -> tuple[list[StoryStep], Incident]:
    """Each timer of ``incident`` due before ``until``, as its own step, and the
    incident after them."""
    found: list[StoryStep] = []
    while (at := incident.next_timer_at(policy)) is not None and (
        at < until or (inclusive and at == until)
    ):
        after, sent = advance(policy, incident, at, inclusive=True)
        kind, rule = (
            ("auto_close", RuleId.LIFECYCLE_AUTO_CLOSE)
            if after.state != incident.state
            else ("response_overdue", RuleId.RESPONSE_TARGET)
        )
        step = StoryStep(
            at=at,
            index=None,
            kind=kind,
            rule=rule,
            before=incident,
            after=after,
            refusal=None,
            facts=facts(policy, rule, incident, after, sent),
            notifications=sent,
        )
        found.append(step)
        incident = after
    return found, incident


def horizons_of(done: Trace) -> dict[int, pendulum.DateTime | None]:
    """For each event, the instant the world's clock reaches next: the next accepted
    event's, or the end of the replay."""
    found: dict[int, pendulum.DateTime | None] = {}
    horizon = done.as_of
    for moment in reversed(done.moments):
        found[moment.index] = horizon
        if moment.event is not None and not isinstance(moment.result, Refusal):
            horizon = moment.event.at
    return found


def story_of(done: Trace, incident_id: str) -> IncidentStory:
    """The story of ``incident_id`` in the replay ``done``."""
    policy = done.policy
    steps: list[StoryStep] = []
    current: Incident | None = None
    horizons = horizons_of(done)
    for moment in done.moments:
        event = moment.event
        if event is None:
            continue
        touched = _touches(event, incident_id)
        refused = isinstance(moment.result, Refusal)
        if refused and touched:
            assert isinstance(moment.result, Refusal)
            horizon = horizons[moment.index]
            if current is not None and horizon is not None:
                # The timers due before it, in time order, unless the world's clock will
                # not get that far before its next accepted event.
                fired, current = _timers(policy, current, min(event.at, horizon), inclusive=False)
                steps += fired
            steps.append(
                StoryStep(
                    at=event.at,
                    index=moment.index,
                    kind=event_kind(event),
                    rule=moment.result.rule,
                    before=current,
                    after=current,
                    refusal=moment.result,
                    facts=(),
                    notifications=(),
                )
            )
        if refused:
            continue
        if current is not None:
            fired, current = _timers(policy, current, event.at, inclusive=False)
            steps += fired
        after = moment.world.incidents.get(incident_id)
        if touched and after is not None:
            kind = event_kind(event)
            rule = _RULE_OF_KIND[kind]
            sent = tuple(
                n for n in moment.notifications if n.incident == incident_id and n.at == event.at
            )
            steps.append(
                StoryStep(
                    at=event.at,
                    index=moment.index,
                    kind=kind,
                    rule=rule,
                    before=current,
                    after=after,
                    refusal=None,
                    facts=facts(policy, rule, current, after, sent),
                    notifications=sent,
                )
            )
        current = after
    if current is not None and done.as_of is not None:
        fired, current = _timers(policy, current, done.as_of, inclusive=True)
        steps += fired
    return IncidentStory(
        policy=policy,
        incident_id=incident_id,
        steps=tuple(steps),
        incident=current,
        as_of=done.as_of,
    )


def incident_story(scenario: object, incident_id: str) -> IncidentStory:
    """Replay ``scenario`` (a parsed JSON document) and tell incident ``incident_id``'s
    story; raises :class:`~premier_policy.ScenarioError` like :func:`~premier_policy.replay`.

    >>> story = incident_story({"events": [
    ...     {"at": "2026-11-27T10:00:00+01:00", "type": "purchase", "customer": "acme",
    ...      "id": "p1", "product": "single"},
    ...     {"at": "2026-11-27T18:30:00+01:00", "type": "open", "customer": "acme",
    ...      "id": "i1", "area": "setup"}]}, "i1")
    >>> print("\\n".join(story.lines()[1:5]))
    #1 2026-11-27 18:30 CET  open: accepted  [lifecycle.open]
        state (new) -> waiting_on_staff  [lifecycle.open]
        1 credit taken from lot p1 (the usable lot that expires first)  [credits.consume-order]
        time allowance 240 min (warning at 60 min left)  [time.allowance]
    >>> story.lines()[5]
    '    response due 2026-11-30 09:30 CET, 120 business minutes: Fri 18:30-19:00 (30), Mon 08:00-09:30 (90)  [response.target]'
    """
    return story_of(trace(scenario), incident_id)
