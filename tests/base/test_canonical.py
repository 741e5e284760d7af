"""The canonical JSON text: one text from both writers, sorted or not, and the standard
library's when orjson is absent or refuses."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy.base._canonical import canonical, canonical_utf8, fast_writer

#: JSON documents without floats, with what orjson refuses: integers past 64 bits,
#: integer keys, lone surrogates; keys beyond the Basic Multilingual Plane, whose order
#: differs between code points and UTF-16.
documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(
            st.text() | st.sampled_from(["\uffff", "\U00010000", "\ud800", "é"]) | st.integers(),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)


def _stdlib(data: Any, sort_keys: bool) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)


@settings(max_examples=300)
@given(documents, st.booleans())
def test_both_writers_write_the_standard_librarys_text(data: Any, sort_keys: bool) -> None:
    """orjson and the standard library write json.dumps's text, sorted or in order."""
    try:
        expected = _stdlib(data, sort_keys)
    except TypeError:  # keys of two types cannot be sorted: both writers refuse alike
        with pytest.raises(TypeError):
            canonical(data, sort_keys=sort_keys)
        with pytest.raises(TypeError):
            canonical_utf8(data, sort_keys=sort_keys)
        return
    assert canonical(data, sort_keys=sort_keys) == expected
    assert canonical(data, sort_keys=sort_keys, fast=False) == expected
    utf8 = expected.encode("utf-8", "surrogatepass")
    assert canonical_utf8(data, sort_keys=sort_keys) == utf8
    assert canonical_utf8(data, sort_keys=sort_keys, fast=False) == utf8


def test_the_fast_writer_is_installed_here() -> None:
    """The dev install has the fast extra, so the test above compares two real writers."""
    assert fast_writer() is not None


@pytest.fixture
def without_orjson(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """orjson cannot be imported (and is looked for again after the test)."""
    monkeypatch.setitem(sys.modules, "orjson", None)
    fast_writer.cache_clear()
    yield
    fast_writer.cache_clear()


@pytest.mark.usefixtures("without_orjson")
def test_without_orjson_the_standard_library_writes() -> None:
    """No orjson installed: no fast writer, and the text is written all the same."""
    assert fast_writer() is None
    assert canonical({"b": [1], "a": "é"}, sort_keys=True) == '{"a":"é","b":[1]}'
    assert canonical_utf8({"b": [1], "a": "é"}) == '{"b":[1],"a":"é"}'.encode()


def test_neither_writer_writes_what_json_cannot_say() -> None:
    """A set is refused by both writers alike, with the standard library's error."""
    for fast in (True, False):
        with pytest.raises(TypeError, match="not JSON serializable"):
            canonical({"ids": {1}}, fast=fast)
        with pytest.raises(TypeError, match="not JSON serializable"):
            canonical_utf8({"ids": {1}}, fast=fast)
