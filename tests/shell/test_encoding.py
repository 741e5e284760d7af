"""The shell's one JSON encoding: what it refuses to read, and one text for both faces."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from premier_policy import replay
from premier_policy.shell._encoding import decode, encode
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


def test_encode_is_indented_utf8_with_a_final_newline() -> None:
    """The canonical form: two-space indent, non-ASCII kept as is, one newline at the end."""
    assert encode({"who": "Zoë", "n": [1]}) == '{\n  "who": "Zoë",\n  "n": [\n    1\n  ]\n}\n'


def test_the_cli_prints_the_canonical_encoding(capsys: pytest.CaptureFixture[str]) -> None:
    """premier-policy replay prints exactly encode(outcome): the text the service sends."""
    document = json.loads((ROOT / "examples" / "normal-week.json").read_text(encoding="utf-8"))
    assert main(["replay", "-"], stdin=io.StringIO(json.dumps(document))) == 0
    assert capsys.readouterr().out == encode(replay(document))
