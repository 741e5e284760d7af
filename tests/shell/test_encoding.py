"""The shell's one JSON encoding: what it refuses to read, one text for both faces, and
the same text from both writers."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import replay
from premier_policy.shell import _encoding
from premier_policy.shell._encoding import decode, encode, encode_outcome, writer
from premier_policy.shell.cli import main

ROOT = Path(__file__).resolve().parents[2]

documents = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=100)
@given(documents)
def test_decode_reads_back_what_encode_writes(document: Any) -> None:
    """Every JSON value survives a trip through the canonical text."""
    assert decode(encode(document)) == document


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_decode_refuses_what_only_python_reads(constant: str) -> None:
    """NaN and the infinities are not JSON, though Python's json module reads them."""
    with pytest.raises(ValueError, match=f"{constant} is not JSON"):
        decode(f"[{constant}]")


def test_decode_refuses_nesting_too_deep_for_the_decoder() -> None:
    """Nesting deeper than the decoder can go is a ValueError, not a RecursionError."""
    with pytest.raises(ValueError, match="nested too deeply"):
        decode("[" * 100_000)


def test_encode_writes_only_json() -> None:
    """A float JSON has no spelling for is refused, not written as Python would."""
    with pytest.raises(ValueError, match="JSON compliant"):
        encode([float("inf")])


def test_encode_is_compact_utf8_in_order_with_a_final_newline() -> None:
    """The canonical form: no spaces, keys as given, non-ASCII kept as is, one newline."""
    assert encode({"who": "Zoë\u2028", "n": [1, None]}) == '{"who":"Zoë\u2028","n":[1,null]}\n'


def test_indent_only_lays_the_same_document_out() -> None:
    """--indent N: N spaces a level, the same values in the same order."""
    assert (
        encode({"who": "Zoë", "n": [1]}, indent=2)
        == '{\n  "who": "Zoë",\n  "n": [\n    1\n  ]\n}\n'
    )


#: What an outcome holds: every JSON value but floats (its numbers are integers).
outcomes = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text() | st.integers(), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200)
@given(outcomes)
def test_both_writers_write_the_same_text(document: Any) -> None:
    """orjson and the standard library write one text for every outcome, integers past
    64 bits, integer keys and lone surrogates (which orjson refuses) included."""
    assert encode_outcome(document) == encode_outcome(document, by="json") == encode(document)


def test_the_fast_writer_is_installed_here() -> None:
    """The dev install has the fast extra, so the tests above compare two real writers."""
    assert writer() == "orjson"


def test_without_orjson_the_standard_library_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """No orjson installed: the standard library writes, and writer() says so."""
    monkeypatch.setattr(_encoding, "fast_writer", lambda: None)
    assert writer() == "json"


def test_neither_writer_writes_what_json_cannot_say() -> None:
    """A datetime is refused by both writers alike, never written as orjson would."""
    writers: tuple[Literal["fast", "json"], ...] = ("fast", "json")
    for by in writers:
        with pytest.raises(TypeError, match="not JSON serializable"):
            encode_outcome({"at": datetime(2026, 1, 1, tzinfo=UTC)}, by=by)


def test_the_cli_prints_the_canonical_encoding(capsys: pytest.CaptureFixture[str]) -> None:
    """premier-policy replay prints exactly encode(outcome): the text the service sends."""
    document = json.loads((ROOT / "examples" / "normal-week.json").read_text(encoding="utf-8"))
    assert main(["replay", "-"], stdin=io.StringIO(json.dumps(document))) == 0
    assert capsys.readouterr().out == encode(replay(document))
