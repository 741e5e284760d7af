"""The premier-policy command: exit statuses, one-line errors, and what each command prints."""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from premier_policy import RULES, RuleId, replay
from premier_policy.shell.cli import main

ROOT = Path(__file__).resolve().parents[2]
WEEK = ROOT / "examples" / "normal-week.json"


def run(capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = "") -> tuple[int, str, str]:
    status = main(list(argv), stdin=io.StringIO(stdin))
    out, err = capsys.readouterr()
    return status, out, err


def test_replay_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    """replay FILE prints the outcome as JSON and exits 0."""
    status, out, err = run(capsys, "replay", str(WEEK))
    assert (status, err) == (0, "")
    assert json.loads(out) == replay(json.loads(WEEK.read_text(encoding="utf-8")))


def test_replay_standard_input_with_refused_events(capsys: pytest.CaptureFixture[str]) -> None:
    """replay - reads standard input; refused events still mean the document was read."""
    doc = {"events": [{"at": "2026-11-23T09:00:00", "type": "purchase"}]}
    status, out, _ = run(capsys, "replay", "-", stdin=json.dumps(doc))
    assert status == 0
    assert json.loads(out)["results"][0]["rule"] == RuleId.INPUT_AWARE_ONLY.value


@pytest.mark.parametrize(
    ("stdin", "says"),
    [
        ("not json", "standard input is not JSON"),
        ('{"events": [NaN]}', "NaN is not JSON"),
        ("[1, 2]", "scenario: a scenario is an object"),
        ('{"policy": {}}', "events: missing"),
        ('{"events": [], "policy": {"timezone": "Mars/Base"}}', "policy.timezone"),
        ('{"events": [], "until": "tomorrow"}', "until"),
    ],
)
def test_unusable_documents_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], stdin: str, says: str
) -> None:
    """Not JSON or not a scenario: exit 2, one line on stderr naming it, stdout empty."""
    status, out, err = run(capsys, "replay", "-", stdin=stdin)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert err.startswith("premier-policy: ")
    assert says in err


def test_a_file_that_cannot_be_read(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A missing file or one that is not UTF-8: exit 2, one line."""
    status, out, err = run(capsys, "replay", str(tmp_path / "missing.json"))
    assert (status, out) == (2, "")
    assert "cannot read" in err
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"events": [], "description": "caf\xe9"}')
    assert run(capsys, "replay", str(latin))[0] == 2


def test_demo_prints_a_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    """demo: each event with its verdict, who was told what and when, the balances."""
    status, out, _ = run(capsys, "demo")
    assert status == 0
    assert "#0 2026-11-23 09:00 CET  acme buys 1 x bundle-3 (p1): accepted" in out
    assert "to customer acme: credits_purchased" in out
    assert "REFUSED [input.duplicate-id]" in out
    assert "2026-11-23 13:40 CET  to staff: response_overdue (globex/g1)" in out
    assert "#14 malformed: malformed event: minutes:" in out
    assert "balance of acme: 2" in out
    assert "until 2027-01-10 12:00 CET" in out
    assert "next timer: 2027-10-24 09:00 CEST" in out


def test_demo_json_is_the_raw_outcome(capsys: pytest.CaptureFixture[str]) -> None:
    """demo --json prints the bundled scenario's outcome, the one pinned in the goldens."""
    status, out, _ = run(capsys, "demo", "--json")
    assert status == 0
    golden = json.loads((ROOT / "tests" / "golden" / "demo.json").read_text(encoding="utf-8"))
    assert json.loads(out) == golden


def test_due(capsys: pytest.CaptureFixture[str]) -> None:
    """due: Friday 18:30 + 2 business hours is Monday 09:30 (response.target)."""
    status, out, _ = run(capsys, "due", "2026-11-27T18:30:00+01:00")
    assert (status, out) == (0, "2026-11-30T09:30:00+01:00\n")


def test_due_refuses_a_naive_instant(capsys: pytest.CaptureFixture[str]) -> None:
    """input.aware-only: a naive instant is an unusable input, exit 2."""
    status, out, err = run(capsys, "due", "2026-11-27T18:30:00")
    assert (status, out) == (2, "")
    assert RuleId.INPUT_AWARE_ONLY.value in err


def test_quote(capsys: pytest.CaptureFixture[str]) -> None:
    """quote 4: one single and one bundle, 300.00 USD (credits.catalog)."""
    status, out, _ = run(capsys, "quote", "4")
    assert status == 0
    assert out.splitlines() == [
        "1 x single (1 credit, 75.00 USD)",
        "1 x bundle-3 (3 credits, 225.00 USD)",
        "total 300.00 USD for 4 credits",
    ]


@pytest.mark.parametrize("n", ["0", "x", "-3"])
def test_quote_refuses_what_is_not_a_count(capsys: pytest.CaptureFixture[str], n: str) -> None:
    """quote needs a whole number of at least 1: exit 2 otherwise."""
    status, out, err = run(capsys, "quote", n)
    assert (status, out) == (2, "")
    assert err.startswith("premier-policy: ")


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """rules: one line per rule ID, with its summary."""
    status, out, _ = run(capsys, "rules")
    lines = out.splitlines()
    assert status == 0
    assert len(lines) == len(RULES)
    for line, (rule_id, rule) in zip(lines, RULES.items(), strict=True):
        assert line.startswith(rule_id.value)
        assert line.endswith(rule.summary)


def test_usage(capsys: pytest.CaptureFixture[str]) -> None:
    """No command or an unknown one: exit 2; --help: exit 0."""
    assert run(capsys, "frobnicate")[0] == 2
    assert run(capsys)[0] == 2
    status, out, _ = run(capsys, "--help")
    assert status == 0
    assert "replay" in out


class ClosedPipe(io.StringIO):
    """A stdout whose reader has gone, as under ``| head``."""

    def __init__(self, descriptor: int | None) -> None:
        super().__init__()
        self.descriptor = descriptor

    def write(self, text: str) -> int:
        raise BrokenPipeError

    def fileno(self) -> int:
        if self.descriptor is None:
            raise io.UnsupportedOperation("no descriptor")
        return self.descriptor


def test_a_closed_pipe_ends_quietly() -> None:
    """A reader that leaves early (| head) ends the command with status 1, no traceback;
    the descriptor is pointed at the null device so the final flush cannot fail."""
    reading, writing = os.pipe()
    try:
        err = io.StringIO()
        assert main(["rules"], stdout=ClosedPipe(writing), stderr=err) == 1
        assert err.getvalue() == ""
        os.write(writing, b"into the void")  # now the null device: nothing to read
    finally:
        os.close(reading)
        os.close(writing)
    assert main(["rules"], stdout=ClosedPipe(None)) == 1


def test_python_dash_m() -> None:
    """python -m premier_policy runs the same command, in a process of its own."""
    importlib.import_module("premier_policy.__main__")  # importing runs nothing
    done = subprocess.run(
        [sys.executable, "-m", "premier_policy", "due", "2026-11-27T18:30:00+01:00"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "2026-11-30T09:30:00+01:00\n", "")


def test_main_defaults_to_the_process_streams(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without explicit streams, main reads stdin and writes stdout and stderr."""
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"events": []}'))
    assert main(["replay", "-"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert data["results"] == []


def test_a_timeline_without_events_or_until() -> None:
    """The timeline of an empty scenario is just its heading: nothing happened, no instant."""
    from premier_policy import trace
    from premier_policy.shell.cli import _timeline

    out = io.StringIO()
    _timeline(trace({"events": []}), out)
    assert "until" not in out.getvalue()
    assert out.getvalue().startswith("A replay in Europe/Paris")


def _bytes_run(
    argv: list[str], stdin: bytes = b"", encoding: str = "utf-8"
) -> tuple[int, bytes, str]:
    """main with byte streams beneath, as a process has them."""
    out = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    err = io.StringIO()
    status = main(argv, stdout=out, stderr=err, stdin=io.TextIOWrapper(io.BytesIO(stdin)))
    out.flush()
    binary = out.buffer
    assert isinstance(binary, io.BytesIO)
    return status, binary.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "data",
    [b'{"events": []}', b'{"events": [], "description": "\xff"}', b'\xef\xbb\xbf{"events": []}'],
    ids=["utf-8", "invalid-utf-8", "bom"],
)
def test_standard_input_and_a_file_are_read_by_one_rule(tmp_path: Path, data: bytes) -> None:
    """The same bytes give the same verdict from a file and from -: strict UTF-8, no BOM."""
    path = tmp_path / "doc.json"
    path.write_bytes(data)
    from_file = _bytes_run(["replay", str(path)])
    from_stdin = _bytes_run(["replay", "-"], stdin=data)
    assert from_file[:2] == from_stdin[:2]
    assert from_file[2].replace(str(path), "standard input") == from_stdin[2]
    assert (from_file[0] == 0) is (data == b'{"events": []}')


def test_a_lone_surrogate_in_text_standard_input_is_undecodable(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A text stream holding a lone surrogate is refused as undecodable bytes are."""
    status, out, err = run(capsys, "replay", "-", stdin='{"events": [], "description": "\udc80"}')
    assert (status, out) == (2, "")
    assert err.startswith("premier-policy: cannot read standard input:")


def test_a_document_nested_100k_deep_is_a_document_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """JSON nested 100,000 deep exits 2 with one line, not a RecursionError."""
    deep = '{"events": [], "description": ' + "[" * 100_000 + "]" * 100_000 + "}"
    status, out, err = run(capsys, "replay", "-", stdin=deep)
    assert (status, out) == (2, "")
    assert err == "premier-policy: standard input is nested too deep to read\n"


def test_an_unwritable_id_is_refused_at_the_boundary(capsys: pytest.CaptureFixture[str]) -> None:
    """A lone surrogate in an ID is input.malformed; the whole outcome is still written."""
    buy = {"type": "purchase", "at": "2026-11-27T09:00:00+01:00", "customer": "a\ud800"}
    status, out, _ = run(capsys, "replay", "-", stdin=json.dumps({"events": [buy]}))
    assert status == 0
    assert json.loads(out)["results"][0]["rule"] == RuleId.INPUT_MALFORMED


def test_an_outcome_the_output_cannot_encode_writes_nothing(tmp_path: Path) -> None:
    """An outcome stdout cannot encode exits 2 before a byte of it is written."""
    buy = {"type": "purchase", "at": "2026-11-27T09:00:00+01:00", "customer": "caf\u00e9"}
    doc = json.dumps({"events": [{**buy, "id": "p1", "product": "single"}]}).encode()
    status, out, err = _bytes_run(["replay", "-"], stdin=doc, encoding="ascii")
    assert (status, out) == (2, b"")
    assert err.startswith("premier-policy: the output cannot be written in ascii:")


def test_a_policy_number_past_its_bound_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    """A response target of 10**18 minutes is a document error, not an OverflowError."""
    doc = {"policy": {"response_target_minutes": 10**18}, "events": []}
    status, out, err = run(capsys, "replay", "-", stdin=json.dumps(doc))
    assert (status, out) == (2, "")
    assert err.startswith("premier-policy: policy.response_target_minutes: expected a whole")
