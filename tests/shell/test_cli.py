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


def test_the_core_and_the_command_load_no_dask_nor_matplotlib() -> None:
    """Importing the library, its what-if part or the command loads neither Dask nor
    matplotlib: only running ``batch`` does."""
    code = (
        "import sys, premier_policy, premier_policy.whatif, premier_policy.shell.cli;"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'dask', 'distributed', 'matplotlib'}))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_batch_without_its_extra_names_the_install(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """batch with Dask missing: exit 2, one line naming the extra to install."""
    import premier_policy.shell

    monkeypatch.delitem(sys.modules, "premier_policy.shell.batch", raising=False)
    monkeypatch.delattr(premier_policy.shell, "batch", raising=False)
    monkeypatch.setitem(sys.modules, "distributed", None)
    status, out, err = run(capsys, "batch", "log.jsonl", "--policy", "a.json")
    assert (status, out) == (2, "")
    assert err == (
        "premier-policy: batch needs the batch extra (distributed is missing): "
        "pip install 'premier-policy[batch]'\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["batch", "log.jsonl"],
        ["batch", "log.jsonl", "--policy", "a.json", "--workers", "0"],
        ["batch", "log.jsonl", "--policy", "a.json", "--partitions", "many"],
        ["batch", "log.jsonl", "--policy", "a.json", "--workers", "2", "--scheduler", "tcp://x"],
    ],
    ids=["no policy", "no workers", "partitions not a number", "workers and scheduler"],
)
def test_batch_arguments_it_cannot_use_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    """A missing --policy, a count below 1 or not a number, --workers with --scheduler:
    exit 2 with one line, before anything runs."""
    status, out, err = run(capsys, *argv)
    assert (status, out, err.count("\n")) == (2, "", 1)
