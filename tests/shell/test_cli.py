"""The premier-policy command: exit statuses, one-line errors, and what each command prints."""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from premier_policy import RULES, RuleId, __version__, replay
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


def test_indent_lays_out_the_same_document(capsys: pytest.CaptureFixture[str]) -> None:
    """--indent N only lays the JSON out: the same values as the compact default."""
    _, compact, _ = run(capsys, "replay", str(WEEK))
    status, laid_out, _ = run(capsys, "replay", "--indent", "2", str(WEEK))
    assert status == 0
    assert "\n" not in compact[:-1]
    assert laid_out.startswith('{\n  "as_of": ')
    assert json.loads(laid_out) == json.loads(compact)
    _, due, _ = run(capsys, "due", "2026-11-27T18:30:00+01:00", "--json", "--indent", "1")
    assert due.startswith('{\n "due_at": "2026-11-30T09:30:00+01:00",\n')


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
    """demo: each event with its verdict, who was told what and when, the balances; a
    timer's notice is marked as fired before the event it is printed under, and the next
    timer says what it will send."""
    status, out, _ = run(capsys, "demo")
    assert status == 0
    assert "#0 2026-11-23 09:00 CET  acme buys 1 x bundle-3 (p1): accepted" in out
    assert "    2026-11-23 09:00 CET  to customer acme: credits_purchased" in out
    assert "REFUSED [input.duplicate-id]" in out
    # The breach of g1 at 13:40 fired by itself, before the time log on i1 at 16:00.
    assert "#7 2026-11-23 16:00 CET  log time on i1" in out
    assert (
        "    2026-11-23 13:40 CET  timer, before #7: to staff: response_overdue (globex/g1)" in out
    )
    assert "    2026-11-23 16:00 CET  to customer acme: allowance_warning (i1)" in out
    assert "#14 2026-11-25 10:00 CET  malformed: malformed event: minutes:" in out
    assert "    2026-11-23 10:00 CET  balance of acme: 2" in out
    assert "#- 2027-01-10 12:00 CET  until:" in out
    assert "    2026-12-26 12:00 CET  timer: to customer acme: incident_closed (i1)" in out
    assert "#- 2027-10-24 09:00 CEST  next timer: the first instant after 2027-01-10 12:00" in out
    assert out.endswith("    2027-10-24 09:00 CEST to customer acme: credits_expiring\n")


def test_every_line_of_the_timeline_has_its_instant(capsys: pytest.CaptureFixture[str]) -> None:
    """demo: below the heading, every line starts with an instant (after #n or an indent)."""
    out = run(capsys, "demo")[1]
    body = out.split("\n\n", 1)[1]
    instant = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} (CET|CEST) "
    lines = [line for line in body.splitlines() if line]
    assert len(lines) > 60
    assert [line for line in lines if not re.match(rf"(#(\d+|-) |    ){instant}", line)] == []


def test_a_timeline_names_what_it_cannot_date_and_a_world_at_rest() -> None:
    """A malformed event with no readable instant says so; with nothing left to happen,
    the next timer is none."""
    from premier_policy import trace
    from premier_policy.shell.cli import _timeline

    doc: dict[str, Any] = {
        "until": "2026-11-30T09:00:00+01:00",
        "events": [{"type": "resolve", "incident": "i1"}, 7, {"at": "2026-11-30T08:00:00"}],
    }
    out = io.StringIO()
    _timeline(trace(doc), out, doc["events"])
    text = out.getvalue()
    assert "#0 (no instant)  malformed: malformed event: at: missing" in text
    assert "#1 (no instant)  malformed:" in text
    assert "#2 (no instant)  malformed:" in text  # naive: never guessed
    assert "#- 2026-11-30 09:00 CET  next timer: none, nothing will happen by itself" in text
    out = io.StringIO()
    _timeline(trace(doc), out)  # without the raw events, no instant to show either
    assert "#0 (no instant)  malformed:" in out.getvalue()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the installed version, alone or before a command, and exits 0."""
    assert run(capsys, "--version") == (0, f"premier-policy {__version__}\n", "")
    assert run(capsys, "--version", "demo") == (0, f"premier-policy {__version__}\n", "")
    done = subprocess.run(
        [sys.executable, "-m", "premier_policy", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"premier-policy {__version__}\n", "")


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


def test_due_explain_prints_the_spans_with_their_rules(capsys: pytest.CaptureFixture[str]) -> None:
    """due --explain: the due instant, then each span counted and stretch skipped, each
    line naming its rule (hours.arithmetic, hours.schedule)."""
    status, out, _ = run(capsys, "due", "2026-11-27T18:30:00+01:00", "--explain")
    assert status == 0
    assert out.splitlines() == [
        "120 business minutes from Fri 2026-11-27 18:30 CET: due Mon 2026-11-30 09:30 CET  [hours.arithmetic]",
        "  counted  Fri 2026-11-27 18:30 CET - 19:00  30 min  [hours.arithmetic]",
        "  skipped  Fri 2026-11-27 19:00 CET - Mon 2026-11-30 08:00 CET  outside the weekly hours  [hours.schedule]",
        "  counted  Mon 2026-11-30 08:00 CET - 09:30  90 min  [hours.arithmetic]",
    ]


def test_due_json_gives_due_at_and_spans_in_the_policy_zone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """due --json --minutes N: the explanation as data, instants in Paris with offset."""
    status, out, _ = run(capsys, "due", "2026-11-27T17:30:00Z", "--minutes", "60", "--json")
    assert status == 0
    found = json.loads(out)
    assert found["due_at"] == "2026-11-30T08:30:00+01:00"
    assert found["spans"] == [
        {"start": "2026-11-27T18:30:00+01:00", "end": "2026-11-27T19:00:00+01:00", "minutes": 30},
        {"start": "2026-11-30T08:00:00+01:00", "end": "2026-11-30T08:30:00+01:00", "minutes": 30},
    ]


def test_due_in_the_year_1_writes_the_mean_time_offset_and_reads_it_back(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """hours.arithmetic, input.aware-only: before 1911 Paris kept mean time (+00:09:21,
    the IANA offset); due writes it to the second, and a scenario reads that back."""
    status, out, _ = run(capsys, "due", "0001-01-01T10:00:00Z")
    assert (status, out) == (0, "0001-01-01T12:09:21+00:09:21\n")
    event = {"at": out.strip(), "type": "purchase", "customer": "a", "id": "p", "product": "single"}
    scenario = tmp_path / "year-1.json"
    scenario.write_text(json.dumps({"events": [event]}))
    status, out, _ = run(capsys, "replay", str(scenario))
    assert status == 0
    assert json.loads(out)["as_of"] == "0001-01-01T12:09:21+00:09:21"


def test_due_minutes_alone_prints_the_instant(capsys: pytest.CaptureFixture[str]) -> None:
    """due --minutes N without --explain prints only the due instant."""
    status, out, _ = run(capsys, "due", "2026-11-27T18:30:00+01:00", "--minutes", "30")
    assert (status, out) == (0, "2026-11-27T19:00:00+01:00\n")


def test_due_explain_refuses_a_negative_duration(capsys: pytest.CaptureFixture[str]) -> None:
    """hours.arithmetic: a negative --minutes cannot be explained: exit 2, one line."""
    status, out, err = run(
        capsys, "due", "2026-11-27T18:30:00+01:00", "--minutes", "-5", "--explain"
    )
    assert (status, out) == (2, "")
    assert RuleId.HOURS_ARITHMETIC.value in err
    assert len(err.splitlines()) == 1


def test_explain_an_incident_tells_its_story(capsys: pytest.CaptureFixture[str]) -> None:
    """explain FILE --incident ID: one line per step and per fact, each with its rule;
    --json gives the same as data, ending in the outcome's incident."""
    status, out, _ = run(capsys, "explain", str(WEEK), "--incident", "i1")
    assert status == 0
    assert out.splitlines()[0].startswith("Incident i1 of acme")
    assert all(line.endswith("]") for line in out.splitlines()[1:-1] if "told" in line)
    status, out, _ = run(capsys, "explain", str(WEEK), "--incident", "i1", "--json")
    doc = json.loads(WEEK.read_text(encoding="utf-8"))
    assert json.loads(out)["final"] == replay(doc)["incidents"]["i1"]


def test_explain_a_customer_lists_the_credits(capsys: pytest.CaptureFixture[str]) -> None:
    """explain FILE --customer ID: the lots and every move with the balance after it,
    from standard input too; --json ends in the outcome's balance."""
    text = WEEK.read_text(encoding="utf-8")
    status, out, _ = run(capsys, "explain", "-", "--customer", "acme", stdin=text)
    assert status == 0
    assert out.splitlines()[0].startswith("Credits of acme")
    assert "[credits.consume-order]" in out
    status, out, _ = run(capsys, "explain", str(WEEK), "--customer", "acme", "--json")
    assert json.loads(out)["balance"] == replay(json.loads(text))["customers"]["acme"]["balance"]


def test_explain_needs_one_of_incident_or_customer(capsys: pytest.CaptureFixture[str]) -> None:
    """explain without --incident or --customer (or with both) is a usage error, exit 2."""
    assert run(capsys, "explain", str(WEEK))[0] == 2
    status, out, err = run(capsys, "explain", str(WEEK), "--incident", "i1", "--customer", "a")
    assert (status, out) == (2, "")
    assert "not allowed with" in err


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


def test_the_http_stack_loads_only_for_serve() -> None:
    """import premier_policy and the command's other subcommands never load starlette or
    uvicorn: the core's import path stays free of the serve extra."""
    probe = (
        "import sys, io, premier_policy, premier_policy.shell.cli as cli;"
        "cli.main(['due', '2026-11-27T18:30:00+01:00'], stdout=io.StringIO());"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'starlette', 'uvicorn', 'anyio'}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


@pytest.mark.parametrize("missing", ["uvicorn", "starlette"])
def test_serve_without_the_extra_says_what_to_install(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    """serve with starlette or uvicorn not installed: exit 2, one line naming the extra."""
    # None in sys.modules makes an import fail, as an absent package does; its submodules
    # too, since the doctests may have imported them already.
    for name in [name for name in sys.modules if name.split(".")[0] == missing]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, missing, None)
    monkeypatch.delitem(sys.modules, "premier_policy.shell.service", raising=False)
    status, out, err = run(capsys, "serve")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "pip install 'premier-policy[serve]'" in err


@pytest.mark.parametrize(
    ("policy", "says"),
    [
        ('{"timezone": "Mars/Base"}', "policy.timezone"),
        ('{"response_target_minutes": 0}', "response_target_minutes"),
        ("[1]", "policy"),
        ("not json", "is not JSON"),
    ],
)
def test_serve_refuses_a_bad_policy_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, policy: str, says: str
) -> None:
    """serve --policy FILE: a file that is not a policy's overrides exits 2 before any
    server starts, one line naming the field."""
    path = tmp_path / "policy.json"
    path.write_text(policy, encoding="utf-8")
    status, out, err = run(capsys, "serve", "--policy", str(path))
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert says in err


def test_serve_refuses_a_body_limit_below_one(capsys: pytest.CaptureFixture[str]) -> None:
    """serve --max-body-bytes 0: exit 2 naming the option, before any server starts."""
    status, _, err = run(capsys, "serve", "--max-body-bytes", "0")
    assert status == 2
    assert "max_body_bytes" in err


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_serve_refuses_what_is_not_a_port(capsys: pytest.CaptureFixture[str], port: str) -> None:
    """serve --port outside 0-65535: exit 2 with one line, not a traceback from bind."""
    status, out, err = run(capsys, "serve", "--port", port)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert "--port" in err


def test_replay_continues_a_returned_state(capsys: pytest.CaptureFixture[str]) -> None:
    """replay with return_state, then replay of the later events with that state: the
    same incidents as one replay, and a damaged state is exit 2 naming its field."""
    doc = json.loads(WEEK.read_text(encoding="utf-8"))
    head = {"events": doc["events"][:6], "return_state": True}
    status, out, _ = run(capsys, "replay", "-", stdin=json.dumps(head))
    state = json.loads(out)["state"]
    rest = {"until": doc["until"], "events": doc["events"][6:], "state": state}
    status, out, err = run(capsys, "replay", "-", stdin=json.dumps(rest))
    assert (status, err) == (0, "")
    assert json.loads(out)["incidents"] == replay(doc)["incidents"]
    damaged = {**rest, "state": {**state, "at": "2026-11-23T15:00:01+00:00"}}
    status, out, err = run(capsys, "replay", "-", stdin=json.dumps(damaged))
    assert (status, out) == (2, "")
    # "state" + ".digest": a field path, not a rule ID, for the traceability scan.
    says = "does not match the content: the snapshot was changed or damaged"
    assert err == f"premier-policy: state.integrity: {'state' + '.digest'}: {says}\n"


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
    assert err == "premier-policy: standard input is not JSON: nested too deeply to read\n"


def test_an_unwritable_id_is_refused_at_the_boundary(capsys: pytest.CaptureFixture[str]) -> None:
    """A lone surrogate in an ID is input.malformed; the whole outcome is still written."""
    buy = {"type": "purchase", "at": "2026-11-27T09:00:00+01:00", "customer": "a\ud800"}
    status, out, _ = run(capsys, "replay", "-", stdin=json.dumps({"events": [buy]}))
    assert status == 0
    assert json.loads(out)["results"][0]["rule"] == RuleId.INPUT_MALFORMED


_BUY = {"type": "purchase", "at": "2026-11-27T09:00:00+01:00", "customer": "acme", "id": "p1"}


@pytest.mark.parametrize(
    ("document", "status"),
    [
        ({"events": [{**_BUY, "product": "single", "x\ud800": 1}]}, 0),
        ({"events": [], "policy": {"products": {"s\ud800": {"credits": 0, "price": "1.00"}}}}, 2),
        ({"events": [], "x\ud800": 1}, 2),
    ],
    ids=["event", "policy", "scenario"],
)
def test_a_lone_surrogate_in_an_unknown_key_is_named_in_writable_text(
    document: dict[str, Any], status: int
) -> None:
    """A key holding a lone surrogate (JSON's \\ud800 escape) is named escaped: in an
    event, a refusal in the whole outcome (exit 0); elsewhere, one line of UTF-8 (exit 2)."""
    code, out, err = _bytes_run(["replay", "-"], stdin=json.dumps(document).encode())
    assert code == status
    if status == 0:
        assert err == ""
        (result,) = json.loads(out)["results"]
        assert (result["rule"], result["message"]) == (
            RuleId.INPUT_MALFORMED,
            "malformed event: 'x\\ud800': unknown field",
        )
    else:
        assert out == b""
        assert err.startswith("premier-policy: ")
        assert err.count("\n") == 1
        assert "'s\\ud800'" in err or "'x\\ud800'" in err
        err.encode("utf-8")


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
