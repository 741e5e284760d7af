"""How error messages echo refused values: a bounded prefix, whatever the value."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from premier_policy import Calendar, Policy, PolicyError, PublicHolidays, Span, WeeklySchedule
from premier_policy.base._echo import ECHO_LIMIT, _Echo, named, shown
from premier_policy.whatif import Router, Variant


def _nested(depth: int, inner: object) -> object:
    value = inner
    for _ in range(depth):
        value = [value]
    return value


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.binary(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner) | st.tuples(inner, inner),
    max_leaves=20,
)


@given(values, st.sampled_from([0, 3, 100_000]), st.sampled_from([1, 10**5000, "x" * 10**6]))
def test_shown_is_bounded_and_never_raises(value: object, depth: int, big: object) -> None:
    """Any value, nested any depth around a huge leaf, is echoed in a bounded message."""
    for each in (value, _nested(depth, big), [value, big]):
        assert len(shown(each)) <= 2 * ECHO_LIMIT


def test_shown_keeps_short_values_as_their_repr() -> None:
    """A short value reads as its repr: messages about ordinary mistakes do not change."""
    assert [shown(v) for v in ("08:00", 7, None, ["a", 1])] == ["'08:00'", "7", "None", "['a', 1]"]


def test_shown_survives_a_broken_repr() -> None:
    """A caller's class whose repr fails is named, not re-raised."""

    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    assert "Broken" in shown(Broken())


def test_shown_escapes_what_a_callers_repr_cannot_write() -> None:
    """A repr holding a lone surrogate or a line break is escaped: one line of UTF-8."""

    class Odd:
        def __repr__(self) -> str:
            return "odd\ud800\nthing"

    assert shown(Odd()) == "odd\\ud800\\nthing"
    assert shown("café") == "'café'"  # printable text is kept as it is


def test_an_escaped_repr_is_cut_at_twice_the_limit_exactly() -> None:
    """Escaping can make a caller's repr longer than the limit: 2 * ECHO_LIMIT characters
    are kept whole; one more and it is cut to exactly that many, "..." included."""

    class Wordy:
        def __init__(self, text: str) -> None:
            self.text = text

        def __repr__(self) -> str:
            return self.text

    assert shown(Wordy("\n" * ECHO_LIMIT)) == "\\n" * ECHO_LIMIT  # 2 * ECHO_LIMIT long
    cut = shown(Wordy("\n" * (ECHO_LIMIT - 1) + "\ud800"))  # escaped: 4 over
    assert cut == ("\\n" * (ECHO_LIMIT - 1) + "\\ud800")[: 2 * ECHO_LIMIT - 3] + "..."
    assert len(cut) == 2 * ECHO_LIMIT


#: Any key: lone surrogates, control characters and line breaks included.
keys = st.text(st.characters(exclude_categories=()) | st.characters(categories=["Cs"]))


@given(keys | st.integers() | st.none() | st.text(min_size=ECHO_LIMIT - 2))
def test_named_is_one_line_of_utf_8_and_keeps_plain_keys(key: object) -> None:
    """A key is named as itself when short printable text, else by its echo; either way
    the name is printable, bounded, and encodable as UTF-8."""
    name = named(key)
    name.encode("utf-8")
    assert name.isprintable()
    assert 0 < len(name) <= 2 * ECHO_LIMIT
    plain = isinstance(key, str) and 0 < len(key) <= ECHO_LIMIT and key.isprintable()
    assert name == (key if plain else shown(key))


@pytest.mark.parametrize(
    "build",
    [
        lambda v: Calendar(timezone=v),
        lambda v: WeeklySchedule(mon=[v]),
        lambda v: WeeklySchedule(mon=v),
        lambda v: Span(v, "19:00"),
        lambda v: Calendar(changes=v),
        lambda v: Calendar(changes=[v]),
        lambda v: Policy(changes=v),
        lambda v: Policy(changes=[v]),
        lambda v: Policy(calendar=v),
        lambda v: PublicHolidays(country=v),
        lambda v: PublicHolidays(country="FR", subdivision=v),
        lambda v: Router(partitions=v),
        lambda v: Variant(name=v),
    ],
    ids=[
        "timezone",
        "hours-span",
        "hours-day",
        "span-start",
        "calendar-changes",
        "calendar-change",
        "policy-changes",
        "policy-change",
        "policy-calendar",
        "holidays-country",
        "holidays-subdivision",
        "router-partitions",
        "variant-name",
    ],
)
def test_constructors_refuse_deep_values_with_a_bounded_message(build: object) -> None:
    """A value nested 100k deep is refused naming its field, with a short message."""
    assert callable(build)
    with pytest.raises(PolicyError) as caught:
        build(_nested(100_000, "x" * 10**6))
    assert len(str(caught.value)) < 300


def test_an_echo_built_now_keeps_the_documented_bounds() -> None:
    """A fresh echo (the module's is built at import) writes strings up to 50 characters
    whole, four items of any collection, three levels, integers below 10**40 whole, and
    another object's repr cut to 80 characters."""
    from collections import deque

    echo = _Echo()
    assert echo.repr("x" * 50) == repr("x" * 50)
    assert echo.repr("x" * 51) == f"'{'x' * 47}...' (51 characters)"
    five = range(5)
    assert echo.repr(list(five)) == "[0, 1, 2, 3, ...]"
    assert echo.repr(tuple(five)) == "(0, 1, 2, 3, ...)"
    assert echo.repr(set(five)) == "{0, 1, 2, 3, ...}"
    assert echo.repr(frozenset(five)) == "frozenset({0, 1, 2, 3, ...})"
    assert echo.repr(dict.fromkeys(five, 0)) == "{0: 0, 1: 0, 2: 0, 3: 0, ...}"
    assert echo.repr(deque(five)) == "deque([0, 1, 2, 3, ...])"
    assert echo.repr([[[1]]]) == "[[[1]]]"
    assert echo.repr([[[[1]]]]) == "[[[[...]]]]"
    assert echo.repr(10**40 - 1) == "9" * 40
    assert echo.repr(10**40) == "an integer of 41 digits"

    class Wordy:
        def __repr__(self) -> str:
            return "w" * 100

    assert len(echo.repr(Wordy())) == ECHO_LIMIT


@given(st.integers(41, 1200), st.sampled_from([-1, 0, 1]), st.booleans())
def test_a_long_integer_is_shown_with_its_exact_count_of_digits(
    power: int, step: int, negative: bool
) -> None:
    """Next to a power of ten, where the estimate from the bit length is one short or
    already right, the count shown is that of the digits str() writes."""
    n = 10**power + step
    assert _Echo().repr(-n if negative else n) == f"an integer of {len(str(n))} digits"
