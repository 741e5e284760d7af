"""premier-policy batch on a real Dask LocalCluster: the report of the in-process what_if,
streamed from a file; the spilling index; the command's output and one-line errors."""

from __future__ import annotations

import io
import json
import logging
import socket
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from premier_policy import PolicyError
from premier_policy.shell.batch import (
    SpillingIndex,
    Transport,
    _at,
    _homes,
    _join,
    _latest,
    _read,
    _read_file,
    connect,
    replay_log,
    table,
)
from premier_policy.shell.cli import main
from premier_policy.whatif import Unreadable, Variant, read_line, what_if
from tests.whatif.test_report import logs

VARIANTS = [Variant("A"), Variant("B", {"response_target_minutes": 240})]


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """One local cluster for the module: 2 worker processes of one thread each."""
    with (
        LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # loopback only, any free port
            silence_logs=logging.CRITICAL,  # shutdown races log tracebacks
        ) as cluster,
        Client(cluster) as made,
    ):
        yield made


def jsonl(log: list[object]) -> bytes:
    """``log`` as the bytes of a JSON-lines file (an Unreadable as a line that is not JSON)."""
    lines = [b"{oops" if isinstance(raw, Unreadable) else json.dumps(raw).encode() for raw in log]
    return b"".join(line + b"\n" for line in lines)


def on_cluster(client: Client, data: bytes, **options: Any) -> Any:
    with tempfile.TemporaryFile() as handle:
        handle.write(data)
        handle.seek(0)
        return replay_log(handle, VARIANTS, client=client, **options)


def address(client: Client) -> str:
    """The address of ``client``'s scheduler."""
    return str(client.scheduler_info()["address"])


# The scheduler's thread uses the random module while Hypothesis draws, which it takes
# for a strategy using it: the strategy does not, so that warning is not ours.
@pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(logs(), st.integers(1, 5), st.integers(1, 4), st.sampled_from(["scatter", "files"]))
def test_the_cluster_gives_the_in_process_report(
    client: Client,
    case: tuple[list[object], dict[str, Any], datetime | None],
    partitions: int,
    buffer_lines: int,
    transport: Transport,
) -> None:
    """Generated logs (strategies' scenarios, interleaved, IDs shared, junk lines) streamed
    from a file into chunks, scattered or written to disk, and replayed on two workers:
    the report of what_if on the parsed lines (itself that of one sorted replay), to the
    last figure."""
    log, _, until = case
    data = jsonl(log)
    expected = what_if([read_line(line) for line in data.splitlines()], VARIANTS, until=until)
    options = {"partitions": partitions, "buffer_lines": buffer_lines, "transport": transport}
    assert on_cluster(client, data, until=until, **options) == expected


def test_chunk_files_hold_any_bytes_and_are_removed_once_read(
    client: Client, tmp_path: Path
) -> None:
    """Through files, a line with tabs and a stray carriage return keeps its bytes and its
    number, and the scratch directory is empty after the run."""
    lines = [json.dumps(e).encode() for e in story(3)]
    data = b"\n".join([lines[0], b'{"type":\t"x\ry"}', *lines[1:]]) + b"\n"
    report = on_cluster(client, data, partitions=2, transport="files", scratch=tmp_path)
    assert report == on_cluster(client, data, partitions=2)
    assert [b.line for b in report.summaries[0].bad_lines] == [2]
    assert list(tmp_path.iterdir()) == []


def test_a_chunk_file_is_read_as_its_lines_and_removed(tmp_path: Path) -> None:
    """What a worker does with a chunk file, run here: the partition of its rows, then
    the file is gone."""
    lines = [json.dumps(e).encode() for e in story(4)]
    path = tmp_path / "chunk.tsv"
    path.write_bytes(b"".join(b"%d\t%s\n" % (n, line) for n, line in enumerate(lines, 1)))
    assert _read_file(str(path)) == _read(list(enumerate(lines, 1)))
    assert not path.exists()


def test_an_unknown_transport_is_refused_before_the_work(client: Client) -> None:
    """A transport that is neither scatter nor files: PolicyError naming the field."""
    with pytest.raises(PolicyError) as info:
        on_cluster(client, b"", transport="pigeon")
    assert info.value.field == "transport"
    assert info.value.detail == "expected 'scatter' or 'files', got 'pigeon'"
    with pytest.raises(PolicyError) as info:  # the echo is bounded, however deep
        on_cluster(client, b"", transport=_deep())
    assert (info.value.field, len(str(info.value)) < 300) == ("transport", True)


def _deep() -> object:
    value: object = []
    for _ in range(100_000):
        value = [value]
    return value


def story(n: int) -> list[dict[str, Any]]:
    """Customer ``c{n}`` buys, opens two incidents and gets replies, on its own day."""
    day = f"2026-11-{2 + n % 25:02d}"
    return [
        {"at": f"{day}T09:00:00+01:00", "type": "purchase", "customer": f"c{n}", "id": f"p{n}", "product": "bundle-3"},
        {"at": f"{day}T10:00:00+01:00", "type": "open", "customer": f"c{n}", "id": f"a{n}", "area": "setup"},
        {"at": f"{day}T10:00:00+01:00", "type": "open", "customer": f"c{n}", "id": f"b{n}", "area": "running"},
        {"at": f"{day}T11:{n % 60:02d}:00+01:00", "type": "staff_reply", "incident": f"a{n}"},
        {"at": f"{day}T{12 + n % 6}:00:00+01:00", "type": "staff_reply", "incident": f"b{n}"},
    ]  # fmt: skip


def test_a_longer_log_with_the_index_on_disk(client: Client) -> None:
    """A thousand lines, replies written before their openings, an index moved to SQLite
    after ten IDs and chunks of 50 lines: still the in-process report."""
    log: list[dict[str, Any]] = []
    for n in range(200):
        mine = story(n)
        log += [mine[3], mine[4], *mine[:3]]  # the replies first in the file
    data = jsonl(log)  # type: ignore[arg-type]
    expected = what_if(log, VARIANTS)
    assert on_cluster(client, data, partitions=7, buffer_lines=50, index_limit=10) == expected
    assert expected.summaries[0].targets_met == 400 - expected.summaries[0].targets_breached


def test_blank_lines_are_skipped_and_bad_lines_keep_their_numbers(client: Client) -> None:
    """Blank lines are not events but keep the count; not JSON, not UTF-8, not an event:
    each refused as input.malformed with its own line number, and the run goes on."""
    lines = [json.dumps(e).encode() for e in story(1)]
    data = b"\n".join([lines[0], b"", b"   ", b"{oops", b'"caf\xe9"', lines[1], b"[]", *lines[2:]])
    report = on_cluster(client, data + b"\r\n", partitions=3)
    summary = report.summaries[0]
    assert summary.refused == {"input.malformed": 3}
    assert [(b.line, b.message[:30]) for b in summary.bad_lines] == [
        (4, "malformed line: not JSON: Expe"),
        (5, "malformed line: not JSON: 'utf"),
        (7, "malformed event: event: an eve"),
    ]
    assert (summary.events_accepted, report.lines) == (5, 8)


def test_the_spilling_index_is_a_mapping_in_memory_then_on_disk(tmp_path: Path) -> None:
    """Up to its limit in a dict, then every entry in SQLite; the same mapping either way."""
    index = SpillingIndex(tmp_path, limit=2)
    index["a"], index["b"], index["a"] = "1", "2", "3"
    assert (index.on_disk, dict(index), len(index)) == (False, {"a": "3", "b": "2"}, 2)
    del index["b"]
    index["b"], index["c"] = "2", "4"
    assert index.on_disk
    index["a"] = "5"
    assert (dict(index), len(index), index.get("z")) == ({"a": "5", "b": "2", "c": "4"}, 3, None)
    del index["a"]
    assert sorted(index) == ["b", "c"]
    with pytest.raises(KeyError):
        del index["a"]
    memory = SpillingIndex(tmp_path / "unused")
    with pytest.raises(KeyError):
        del memory["a"]
    memory.close()
    index.close()
    assert (tmp_path / "index.sqlite").exists()


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    """A small log and two policies on disk."""
    log = [e for n in range(6) for e in story(n)]
    (tmp_path / "log.jsonl").write_bytes(jsonl(log))  # type: ignore[arg-type]
    (tmp_path / "as-sold.json").write_text("{}", encoding="utf-8")
    (tmp_path / "target-4h.json").write_text('{"response_target_minutes": 240}', encoding="utf-8")
    return {name: str(tmp_path / name) for name in ("log.jsonl", "as-sold.json", "target-4h.json")}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_the_command_prints_the_table_and_writes_json_and_a_chart(
    client: Client, files: dict[str, str], tmp_path: Path
) -> None:
    """batch LOG --policy --against --scheduler: the table side by side on stdout, the
    report's data in --json, a PNG in --chart; exit 0."""
    status, out, err = run(
        "batch", files["log.jsonl"], "--policy", files["as-sold.json"],
        "--against", files["target-4h.json"], "--scheduler", address(client),
        "--json", str(tmp_path / "report.json"), "--chart", str(tmp_path / "weekly.png"),
    )  # fmt: skip
    assert (status, err) == (0, "")
    header = out.splitlines()[2].split()
    assert header == ["as-sold", "target-4h"]
    assert "What-if over 30 lines, as of 2026-11-07 17:00 CET" in out
    assert "  breached" in out
    assert "\n2026-W45" in out
    expected = what_if(
        [json.loads(line) for line in Path(files["log.jsonl"]).read_text().splitlines()],
        [Variant("as-sold"), Variant("target-4h", {"response_target_minutes": 240})],
    )
    assert json.loads((tmp_path / "report.json").read_text()) == expected.to_dict()
    assert out == table(expected)
    assert (tmp_path / "weekly.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_command_starts_a_local_cluster_by_default(
    files: dict[str, str], tmp_path: Path
) -> None:
    """--workers N starts a local cluster of N processes for the run; two policy files of
    one name are told apart by their paths."""
    other = tmp_path / "new" / "as-sold.json"
    other.parent.mkdir()
    other.write_text('{"response_target_minutes": 60}', encoding="utf-8")
    status, out, err = run(
        "batch", files["log.jsonl"], "--policy", files["as-sold.json"],
        "--against", str(other), "--workers", "1", "--partitions", "3",
    )  # fmt: skip
    assert (status, err) == (0, "")
    assert out.splitlines()[2].split() == [files["as-sold.json"], str(other)]


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"log.jsonl": "missing.jsonl"}, "LOG: cannot read"),
        ({"as-sold.json": "missing.json"}, "policy: cannot read"),
        ({"as-sold.json": "broken.json"}, "policy: "),
        ({"target-4h.json": "invalid.json"}, "against: "),
        ({"as-sold.json": "latin.json"}, "policy: cannot read"),
    ],
)
def test_unusable_input_exits_2_with_one_line(
    files: dict[str, str], tmp_path: Path, change: dict[str, str], says: str
) -> None:
    """A missing log, a policy file that is missing, not JSON, not UTF-8 or invalid: exit
    2, one line naming the argument, nothing on stdout, no cluster started."""
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    (tmp_path / "invalid.json").write_text('{"reopen_days": 0}', encoding="utf-8")
    (tmp_path / "latin.json").write_bytes(b'{"currency": "\xe9"}')
    chosen = {**files, **{k: str(tmp_path / v) for k, v in change.items()}}
    status, out, err = run(
        "batch", chosen["log.jsonl"], "--policy", chosen["as-sold.json"],
        "--against", chosen["target-4h.json"], "--scheduler", "tcp://127.0.0.1:9",
    )  # fmt: skip
    assert (status, out, err.count("\n")) == (2, "", 1)
    assert err.startswith(f"premier-policy: {says}")
    if "invalid" in str(change.values()):
        assert "against.policy.reopen_days" not in err
        assert "invalid.json: policy.reopen_days: expected a whole number" in err


@pytest.mark.parametrize(
    ("until", "says"),
    [
        ("soon", "until: not an ISO 8601 instant: 'soon'"),
        ("2026-11-02T09:00:00+01:00", "input.out-of-order: until: 2026-11-02 09:00 CET is earlier"),
    ],
)
def test_an_until_the_report_cannot_describe_exits_2(
    client: Client, files: dict[str, str], until: str, says: str
) -> None:
    """--until not an instant, or earlier than an event of the log: exit 2, one line."""
    status, out, err = run(
        "batch", files["log.jsonl"], "--policy", files["as-sold.json"],
        "--scheduler", address(client), "--until", until,
    )  # fmt: skip
    assert (status, out) == (2, "")
    assert err == f"premier-policy: {err.removeprefix('premier-policy: ')}"
    assert says in err


def test_an_until_after_the_log_fires_the_timers_up_to_it(
    client: Client, files: dict[str, str], tmp_path: Path
) -> None:
    """--until later than every event: the report describes that instant."""
    status, out, _ = run(
        "batch", files["log.jsonl"], "--policy", files["as-sold.json"],
        "--scheduler", address(client), "--until", "2027-12-01T00:00:00+01:00",
    )  # fmt: skip
    assert status == 0
    assert "as of 2027-12-01 00:00 CET" in out
    assert "credits expired unused" in out


def test_an_output_that_cannot_be_written_exits_2(
    client: Client, files: dict[str, str], tmp_path: Path
) -> None:
    """--json into a missing directory: exit 2 naming it (the table is printed first)."""
    status, _, err = run(
        "batch", files["log.jsonl"], "--policy", files["as-sold.json"],
        "--scheduler", address(client), "--json", str(tmp_path / "no" / "r.json"),
    )  # fmt: skip
    assert status == 2
    assert err.startswith("premier-policy: json: cannot write")


def test_a_chart_without_matplotlib_exits_2_before_any_work(
    files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--chart with matplotlib missing: exit 2 naming the extra, before reaching a cluster."""
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    status, _, err = run(
        "batch", files["log.jsonl"], "--policy", files["as-sold.json"],
        "--scheduler", "tcp://127.0.0.1:9", "--chart", "x.png",
    )  # fmt: skip
    assert (status, err) == (2, "premier-policy: chart: a chart needs matplotlib: "
                                "pip install 'premier-policy[batch]'\n")  # fmt: skip


def test_an_unreachable_scheduler_is_a_one_line_error() -> None:
    """No scheduler at the address: a PolicyError naming --scheduler, not a traceback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (
        pytest.raises(PolicyError) as info,
        connect(scheduler=f"tcp://127.0.0.1:{port}", timeout=1),
    ):
        pass  # pragma: no cover - never reached
    assert info.value.field == "scheduler"
    assert f"cannot reach a Dask scheduler at tcp://127.0.0.1:{port}" in str(info.value)


def test_the_worker_tasks_read_chunks_into_one_partition() -> None:
    """The tasks the workers run are plain functions: each chunk of (line, bytes) read and
    sorted, the chunks of a group merged in order, and the latest event."""
    late = {"at": "2026-11-30T10:00:00+01:00", "type": "resolve", "incident": "i1"}
    early = {**late, "at": "2026-11-30T09:00:00+01:00"}
    part = _join(
        _read([(1, json.dumps(late).encode())]),
        _read([(2, b"{x"), (3, json.dumps(early).encode())]),
    )
    assert (part.numbers, [n for n, _ in part.unreadable]) == ((3, 1), [2])
    assert _latest(part) == part.latest


def test_partitions_are_spread_over_the_workers_in_turn(client: Client) -> None:
    """Each partition has a home worker, the workers taking turns in the order of their
    addresses: a partition's chunks are read, joined and summarised there."""
    first, second = sorted(client.scheduler_info()["workers"])
    assert _homes(client, 5) == [first, second, first, second, first]


def test_a_cluster_without_workers_leaves_every_partition_homeless() -> None:
    """No worker yet (a scheduler whose workers come later): no partition has a home, and
    its tasks may run on whichever worker comes."""
    with (
        LocalCluster(
            n_workers=0, processes=False, dashboard_address=None, silence_logs=logging.CRITICAL
        ) as cluster,
        Client(cluster) as empty,
    ):
        assert _homes(empty, 3) == [None, None, None]


def test_a_task_whose_home_is_gone_runs_on_another_worker(client: Client) -> None:
    """A home is a preference, not a rule: a task preferring a worker the cluster does not
    have (gone since) runs on one it has, rather than waiting for ever."""
    gone = "tcp://127.0.0.1:9"
    assert gone not in client.scheduler_info()["workers"]
    assert _at(client, gone)(sorted, [2, 1]).result(timeout=30) == [1, 2]


def test_the_table_lists_refusals_by_rule_and_the_bad_lines() -> None:
    """Each rule that refused something has a row; the first bad lines follow the table."""
    log: list[object] = [*story(1), {**story(2)[1], "customer": "nobody"}, "junk"]
    text = table(what_if(log, VARIANTS))
    assert "\n  credits.none-available          " in text
    assert text.count("\n  input.malformed ") == 1
    assert "bad lines (the first ones):\n  line 7: input.malformed: malformed event: event:" in text
    revenue = next(line for line in text.splitlines() if line.startswith("revenue"))
    assert revenue.split() == ["revenue", "225.00", "USD", "225.00", "USD"]
