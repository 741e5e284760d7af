"""The rule registry: every rule ID of the specification, as data.

Refusals, errors, the CLI's ``rules`` command and the docs all read this table, so
a rule ID is typed once, here, and everywhere else named through :class:`RuleId`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from attrs import frozen

__all__ = ["RULES", "Rule", "RuleGroup", "RuleId"]

RuleGroup = Literal["time", "policy", "credits", "incidents", "events", "state"]


class RuleId(StrEnum):
    """A stable rule ID of ``RULES.md``; its value is the ID as written there."""

    INPUT_AWARE_ONLY = "input.aware-only"
    HOURS_SCHEDULE = "hours.schedule"
    HOURS_CLOSURES = "hours.closures"
    HOURS_ARITHMETIC = "hours.arithmetic"
    HOURS_HOLIDAYS = "hours.holidays"

    POLICY_CHANGES = "policy.changes"
    POLICY_PINNED_TERMS = "policy.pinned-terms"

    CREDITS_CATALOG = "credits.catalog"
    CREDITS_VALIDITY = "credits.validity"
    CREDITS_CONSUME_ORDER = "credits.consume-order"
    CREDITS_NONE_AVAILABLE = "credits.none-available"
    CREDITS_NO_REFUNDS = "credits.no-refunds"
    CREDITS_RESTORE = "credits.restore"
    CREDITS_EXPIRY_NOTICE = "credits.expiry-notice"

    SCOPE_AREAS = "scope.areas"
    SCOPE_CUSTOM_DEVELOPMENT = "scope.custom-development"
    SCOPE_OUTSIDE_AREAS = "scope.outside-areas"
    LIFECYCLE_OPEN = "lifecycle.open"
    RESPONSE_TARGET = "response.target"
    LIFECYCLE_STAFF_REPLY = "lifecycle.staff-reply"
    LIFECYCLE_CUSTOMER_REPLY = "lifecycle.customer-reply"
    TIME_ALLOWANCE = "time.allowance"
    TIME_ALLOWANCE_WARNING = "time.allowance-warning"
    TIME_ALLOWANCE_EXHAUSTED = "time.allowance-exhausted"
    TIME_ALLOWANCE_EXCEEDED = "time.allowance-exceeded"
    TIME_EXTENSION = "time.extension"
    TIME_EXTENSION_NOT_NEEDED = "time.extension-not-needed"
    LIFECYCLE_RESOLVE = "lifecycle.resolve"
    LIFECYCLE_AUTO_CLOSE = "lifecycle.auto-close"
    LIFECYCLE_REOPEN_WINDOW = "lifecycle.reopen-window"
    LIFECYCLE_INVALIDATE = "lifecycle.invalidate"
    LIFECYCLE_FINAL = "lifecycle.final"
    LIFECYCLE_INVALID_TRANSITION = "lifecycle.invalid-transition"

    INPUT_OUT_OF_ORDER = "input.out-of-order"
    INPUT_TIMERS = "input.timers"
    INPUT_DUPLICATE_ID = "input.duplicate-id"
    INPUT_UNKNOWN_INCIDENT = "input.unknown-incident"
    INPUT_OWNER = "input.owner"
    INPUT_MALFORMED = "input.malformed"

    STATE_SNAPSHOT = "state.snapshot"
    STATE_INTEGRITY = "state.integrity"


@frozen
class Rule:
    """One rule: its ID, the group it belongs to, a short title and a one-line summary."""

    id: RuleId
    group: RuleGroup
    title: str
    summary: str


def _table(*rows: tuple[RuleId, RuleGroup, str, str]) -> Mapping[RuleId, Rule]:
    table = {rid: Rule(rid, group, title, summary) for rid, group, title, summary in rows}
    # Checked when defined: one row per ID, no more, no less.
    missing = set(RuleId) - table.keys()
    if missing or len(table) != len(rows):
        raise AssertionError(f"rule table out of step with RuleId: {sorted(missing)}")
    return MappingProxyType(table)


R = RuleId
RULES: Mapping[RuleId, Rule] = _table(
    (R.INPUT_AWARE_ONLY, "time", "Aware instants only",
     "Every instant carries a UTC offset or zone; a naive datetime is refused, never guessed."),
    (R.HOURS_SCHEDULE, "time", "Business hours",
     "Monday-Friday [08:00, 19:00) Europe/Paris wall-clock time, summer time included."),
    (R.HOURS_CLOSURES, "time", "Closures and extra openings",
     "A calendar may list closed dates and extra opening intervals; the default has none."),
    (R.HOURS_ARITHMETIC, "time", "Business-hours arithmetic",
     "N business hours after t counts only open time, from the next opening if t is "
     "closed; durations are exact."),
    (R.HOURS_HOLIDAYS, "time", "Public holidays",
     "A calendar may close on the public holidays of a country (and subdivision), as the "
     "holidays package defines them, for every year; the default has none."),
    (R.POLICY_CHANGES, "policy", "Dated policy changes",
     "A policy may change at dated instants, strictly increasing; the hours are those in "
     "force at each instant, the time zone never changes, and no change is retroactive."),
    (R.POLICY_PINNED_TERMS, "policy", "Pinned terms",
     "A lot keeps the catalog terms and validity of its purchase; an incident keeps the "
     "incident terms in force when it was opened, through reopens and extensions."),
    (R.CREDITS_CATALOG, "credits", "Catalog and quotes",
     "single (1 credit, USD 75.00) and bundle-3 (3 credits, USD 225.00); a quote is the "
     "cheapest exact combination."),
    (R.CREDITS_VALIDITY, "credits", "Validity",
     "A lot bought at t is valid on [t, t + 1 year), the year added in policy wall-clock time."),
    (R.CREDITS_CONSUME_ORDER, "credits", "Consumption order",
     "A credit comes from the usable lot that expires first (ties: earlier purchase, then ID)."),
    (R.CREDITS_NONE_AVAILABLE, "credits", "No usable credit",
     "With no usable credit at that instant, opening or extending is refused."),
    (R.CREDITS_NO_REFUNDS, "credits", "No refunds",
     "A request to refund purchased credits is always refused."),
    (R.CREDITS_RESTORE, "credits", "Restore on invalidation",
     "An invalidated incident's credits go back to their own lots, keeping those lots' expiry."),
    (R.CREDITS_EXPIRY_NOTICE, "credits", "Expiry notices",
     "The customer is told 30 days before a lot with unused credits expires, and when it does."),
    (R.SCOPE_AREAS, "incidents", "Areas of support",
     "An incident is for configuration, setup, running or minor_tweaking."),
    (R.SCOPE_CUSTOM_DEVELOPMENT, "incidents", "No custom development",
     "Opening for custom_development is refused before any credit is taken."),
    (R.SCOPE_OUTSIDE_AREAS, "incidents", "Outside the areas",
     "Opening for any other area is refused before any credit is taken."),
    (R.LIFECYCLE_OPEN, "incidents", "Opening",
     "Opening consumes one credit and puts the incident in waiting_on_staff."),
    (R.RESPONSE_TARGET, "incidents", "Response target",
     "Each time an incident starts waiting on staff, a reply is due 2 business hours later."),
    (R.LIFECYCLE_STAFF_REPLY, "incidents", "Staff reply",
     "A staff reply moves a waiting incident to waiting_on_customer."),
    (R.LIFECYCLE_CUSTOMER_REPLY, "incidents", "Customer reply",
     "A customer reply moves a waiting incident to waiting_on_staff; refused once resolved "
     "or closed."),
    (R.TIME_ALLOWANCE, "incidents", "Time allowance",
     "Each credit an incident holds gives 4 hours of staff time, logged in positive whole "
     "minutes."),
    (R.TIME_ALLOWANCE_WARNING, "incidents", "Allowance warning",
     "With 1 hour or less of the allowance left, the customer is told once per allowance level."),
    (R.TIME_ALLOWANCE_EXHAUSTED, "incidents", "Allowance exhausted",
     "When logged time reaches the allowance exactly, customer and staff are told."),
    (R.TIME_ALLOWANCE_EXCEEDED, "incidents", "Allowance exceeded",
     "A time log past the allowance is refused, saying how many minutes remain."),
    (R.TIME_EXTENSION, "incidents", "Extension",
     "Extending takes one more credit and adds 4 hours, once the warning level is reached."),
    (R.TIME_EXTENSION_NOT_NEEDED, "incidents", "Extension not needed yet",
     "Extending before the warning level is reached is refused."),
    (R.LIFECYCLE_RESOLVE, "incidents", "Resolving",
     "Staff resolve an incident from either waiting state; a pending target is dropped."),
    (R.LIFECYCLE_AUTO_CLOSE, "incidents", "Auto-close",
     "A resolved incident closes itself 30 days (wall clock) after it was resolved."),
    (R.LIFECYCLE_REOPEN_WINDOW, "incidents", "Reopen window",
     "A resolved incident, or a closed one before closed_at + 30 days, may be reopened for free."),
    (R.LIFECYCLE_INVALIDATE, "incidents", "Invalidation",
     "Staff may invalidate any incident not already invalid, with a reason; credits go back."),
    (R.LIFECYCLE_FINAL, "incidents", "Invalid is final",
     "Nothing changes an invalid incident."),
    (R.LIFECYCLE_INVALID_TRANSITION, "incidents", "Invalid transition",
     "Any other event in a state that does not allow it is refused with the state named."),
    (R.INPUT_OUT_OF_ORDER, "events", "Time order",
     "Events apply in time order; one earlier than the last applied event is refused."),
    (R.INPUT_TIMERS, "events", "Timers first",
     "Everything due strictly before an event's instant happens first, in time order."),
    (R.INPUT_DUPLICATE_ID, "events", "Duplicate IDs",
     "A purchase or incident ID that is already known is refused."),
    (R.INPUT_UNKNOWN_INCIDENT, "events", "Unknown incident",
     "An event that names an unknown incident is refused."),
    (R.INPUT_OWNER, "events", "Who may act",
     "A customer-side event that names its customer acts only on that customer's own "
     "incident or purchase."),
    (R.INPUT_MALFORMED, "events", "Malformed events",
     "A malformed event is refused with a message naming the field."),
    (R.STATE_SNAPSHOT, "state", "Snapshots",
     "A world's snapshot holds everything needed to continue it exactly; it carries no "
     "notification history."),
    (R.STATE_INTEGRITY, "state", "Snapshot integrity",
     "A snapshot of an unknown format or version, a wrong digest or broken content is "
     "refused naming the field."),
)  # fmt: skip
del R
