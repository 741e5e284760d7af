"""replaced(): unchecked copies of frozen values, for the library's own transitions."""

from __future__ import annotations

import attrs
import pendulum
import pytest
from attrs import evolve

from premier_policy import Incident, PolicyError, ResponseTarget
from premier_policy.base._copies import maker, replaced
from premier_policy.incidents._allowance import Allowance

T = pendulum.datetime(2026, 11, 27, 9, tz="UTC")


def incident() -> Incident:
    return Incident(
        id="i1", customer="acme", area="setup", state="waiting_on_staff", opened_at=T,
        lots=("p1",), allowance=Allowance(minutes=240),
        response_targets=(ResponseTarget(started_at=T, due_at=T.add(hours=2)),),
    )  # fmt: skip


def test_a_copy_equals_the_checked_one_and_leaves_the_original() -> None:
    """replaced() gives what evolve() gives for valid changes; the original is unchanged."""
    before = incident()
    target = before.response_targets[0].meet(T.add(hours=1))
    copy = replaced(before, state="waiting_on_customer", response_targets=(target,))
    assert copy == evolve(before, state="waiting_on_customer", response_targets=(target,))
    assert type(copy) is Incident
    assert copy is not before
    assert (before.state, before.response_targets[0].pending) == ("waiting_on_staff", True)
    assert replaced(before) == before


def test_a_copy_is_not_checked_so_only_valid_changes_belong_in_it() -> None:
    """The constructor's checks are skipped: the price of the speed, paid by callers."""
    with pytest.raises(PolicyError):
        evolve(incident(), state="resolved")
    assert replaced(incident(), state="resolved").state == "resolved"


def test_an_unknown_field_is_an_error() -> None:
    """A name that is not a field of the class is refused, never set."""
    with pytest.raises(TypeError, match="colour"):
        replaced(incident(), colour="red")


@attrs.frozen(slots=False)
class _Loose:
    """A frozen attrs class with a __dict__ rather than slots."""

    size: int
    colour: str = "red"


def test_a_class_without_slots_is_copied_too() -> None:
    """Fields held in a __dict__ (no slot descriptor) are set and kept like slots."""
    copy = replaced(_Loose(2), size=3)
    assert copy == _Loose(3)
    assert copy.colour == "red"


def test_a_made_value_equals_the_checked_one() -> None:
    """maker() makes what the checked constructor makes of valid fields, by position in
    field order or by keyword."""
    fields = attrs.asdict(incident(), recurse=False)
    made = maker(Incident)(**fields)
    assert made == incident()
    assert type(made) is Incident
    assert maker(Incident)(*fields.values()) == made


def test_a_made_value_is_not_checked_and_needs_every_field() -> None:
    """The constructor's checks are skipped, defaults too: every field must be given."""
    fields = attrs.asdict(incident(), recurse=False)
    assert maker(Incident)(**{**fields, "state": "resolved"}).state == "resolved"
    del fields["invalid_reason"]
    with pytest.raises(TypeError, match="invalid_reason"):
        maker(Incident)(**fields)


def test_a_class_without_slots_is_made_too() -> None:
    """maker() sets fields held in a __dict__ (no slot descriptor) like slots."""
    made = maker(_Loose)(3, "blue")
    assert made == _Loose(3, "blue")
    assert type(made) is _Loose
