"""``premier-policy batch``: a what-if replay of a whole event log on a Dask cluster.

The pure steps live in :mod:`premier_policy.whatif`; this module does the I/O around
them. The client streams the log once, routing each line
(:class:`~premier_policy.whatif.Router`) into per-partition chunks that it sends to
the cluster as they fill (as files of its scratch directory for a local cluster, so
that it never waits on a worker), where workers read and sort them while the client
streams on, each partition on its own home worker (:func:`_homes`);
the log is never held whole in the client. Lines naming an
incident not opened yet wait in a file of the scratch directory until the end. The
incident and purchase index lives in :class:`SpillingIndex`, in memory up to a size and
in SQLite on disk past it. Then the cluster merges the chunks of each group of
partitions (:class:`~premier_policy.whatif.Partition`), the client settles the instant the report
describes, and each group is summarised under each policy on a worker; only the
summaries come back, to be merged.

Dask is imported by this module only, and :mod:`premier_policy.shell.cli` imports it only
when ``batch`` runs; matplotlib only when a chart is asked for.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal, NoReturn, TextIO

from distributed import Client, Future, LocalCluster

from premier_policy import PolicyError
from premier_policy.base._echo import shown
from premier_policy.whatif import (
    Partition,
    Report,
    Router,
    Summary,
    Unreadable,
    Variant,
    check_variants,
    merge,
    read_line,
    report_as_of,
    summarize,
)

__all__ = [
    "SpillingIndex",
    "Transport",
    "chart",
    "connect",
    "replay_log",
    "run",
    "table",
]

#: Lines the client holds before sending them to the cluster (about 10 MB), at least;
#: 512 a partition when there are more partitions, so that chunks stay worth a task.
BUFFER_LINES = 65_536
#: Index entries kept in memory before the index moves to disk (about 200 MB).
INDEX_LIMIT = 1_000_000

#: How chunks reach the workers: ``"scatter"`` sends their bytes (any cluster);
#: ``"files"`` writes them to the scratch directory and sends only their paths, so the
#: client never waits on a round trip (workers that see the client's disk: a local
#: cluster).
Transport = Literal["scatter", "files"]


class SpillingIndex(MutableMapping[str, str]):
    """A string-to-string mapping in a dict up to ``limit`` entries, then in an SQLite
    file in ``directory``: the incident and purchase index grows with IDs, not events,
    and may outgrow memory."""

    def __init__(self, directory: Path, *, limit: int = INDEX_LIMIT) -> None:
        self._memory: dict[str, str] | None = {}
        self._limit = limit
        self._path = directory / "index.sqlite"
        self._db: sqlite3.Connection | None = None

    @property
    def on_disk(self) -> bool:
        """Whether the entries have moved to disk."""
        return self._db is not None

    def _spill(self, memory: dict[str, str]) -> sqlite3.Connection:
        db = sqlite3.connect(self._path)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("CREATE TABLE ids (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO ids VALUES (?, ?)", memory.items())
        self._memory, self._db = None, db
        return db

    def __getitem__(self, key: str) -> str:
        if self._memory is not None:
            return self._memory[key]
        assert self._db is not None
        row = self._db.execute("SELECT value FROM ids WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        found: str = row[0]
        return found

    def __setitem__(self, key: str, value: str) -> None:
        memory = self._memory
        if memory is not None and (len(memory) < self._limit or key in memory):
            memory[key] = value
            return
        db = self._spill(memory) if memory is not None else self._db
        assert db is not None
        db.execute("INSERT OR REPLACE INTO ids VALUES (?, ?)", (key, value))

    def __delitem__(self, key: str) -> None:
        if self._memory is not None:
            del self._memory[key]
            return
        assert self._db is not None
        if not self._db.execute("DELETE FROM ids WHERE key = ?", (key,)).rowcount:
            raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        if self._memory is not None:
            return iter(list(self._memory))
        assert self._db is not None
        return (key for (key,) in self._db.execute("SELECT key FROM ids").fetchall())

    def __len__(self) -> int:
        if self._memory is not None:
            return len(self._memory)
        assert self._db is not None
        (count,) = self._db.execute("SELECT COUNT(*) FROM ids").fetchone()
        return int(count)

    def close(self) -> None:
        """Close the SQLite file, if there is one."""
        if self._db is not None:
            self._db.close()


# --- the tasks the workers run ------------------------------------------------------------


def _read(lines: list[tuple[int, bytes]]) -> Partition:
    """One chunk of a partition's lines, (line, bytes), read and sorted on a worker."""
    return Partition.of((number, read_line(line)) for number, line in lines)


def _read_file(path: str) -> Partition:
    """One chunk written by the client as ``number<TAB>line`` rows, read on a worker
    (and removed: the disk holds only the chunks not read yet)."""
    with open(path, "rb") as rows:
        read = _read([_row(row) for row in rows])
    os.remove(path)
    return read


def _row(row: bytes) -> tuple[int, bytes]:
    head, _, line = row.rstrip(b"\n").partition(b"\t")
    return int(head), line


def _join(*chunks: Partition) -> Partition:
    """The chunks of one group of partitions, merged in replay order."""
    return Partition.join(chunks)


def _latest(partition: Partition) -> tuple[datetime, int] | None:
    return partition.latest


def _homes(client: Client, partitions: int) -> list[str | None]:
    """Each partition's home: the worker that reads its chunks, then merges and
    summarises them, the workers taking turns; None (any worker) when there is none yet.
    Read wherever they fell, half the chunks crossed between workers to be merged, as
    pickles that took each of two workers a tenth of its time."""
    workers = sorted(client.scheduler_info()["workers"])
    return [workers[p % len(workers)] if workers else None for p in range(partitions)]


def _at(client: Client, home: str | None) -> Callable[..., Future[Any]]:
    """``client.submit`` preferring the worker ``home``: a preference, not a rule, so that
    another worker takes the task when its home is gone or busy past its share."""
    return functools.partial(client.submit, pure=False, workers=home, allow_other_workers=True)


# --- the client ---------------------------------------------------------------------------


class _Chunks:
    """Lines routed to each partition, sent to the cluster in rounds: once the buffers
    hold ``budget`` lines in all, every non-empty buffer is scattered as one chunk to
    its partition's home worker (:func:`_homes`), one round trip per worker, and the
    worker reads and sorts the chunk while the client streams on. The client's memory
    is the budget, whatever the length of the log; the chunks live on the workers
    (scattered data, not task arguments, which the scheduler in the client's process
    would keep). With a ``directory`` the chunks are written there instead and the
    workers read them: sending a path costs the client no wait."""

    def __init__(
        self, client: Client, partitions: int, budget: int, directory: Path | None = None
    ) -> None:
        self._client = client
        self._budget = budget
        self._directory = directory
        self._held = 0
        self._rounds = 0
        self.buffers: list[list[tuple[int, bytes]]] = [[] for _ in range(partitions)]
        self.read: list[list[Future[Partition]]] = [[] for _ in range(partitions)]
        self.homes = _homes(client, partitions)

    def add(self, where: int, number: int, line: bytes) -> None:
        self.buffers[where].append((number, line))
        self._held += 1
        if self._held >= self._budget:
            self.flush()

    def flush(self) -> None:
        full = [where for where, buffer in enumerate(self.buffers) if buffer]
        if not full:
            return
        if self._directory is None:
            by_home: dict[str | None, list[int]] = {}
            for where in full:
                by_home.setdefault(self.homes[where], []).append(where)
            for home, wheres in by_home.items():
                scattered = self._client.scatter(
                    [self.buffers[where] for where in wheres], hash=False, workers=home
                )
                for where, chunk in zip(wheres, scattered, strict=True):
                    self.read[where].append(_at(self._client, home)(_read, chunk))
        else:
            for where in full:
                path = self._directory / f"chunk-{self._rounds}-{where}.tsv"
                with path.open("wb") as rows:
                    rows.writelines(b"%d\t%s\n" % row for row in self.buffers[where])
                self.read[where].append(_at(self._client, self.homes[where])(_read_file, str(path)))
            self._rounds += 1
        for where in full:
            self.buffers[where] = []
        self._held = 0


def _lines(log: BinaryIO) -> Iterator[tuple[int, bytes]]:
    """The numbered lines of ``log`` without their line ends; blank lines are skipped."""
    for number, line in enumerate(log, start=1):
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield number, line


def _route(log: BinaryIO, router: Router, chunks: _Chunks, scratch: Path) -> None:
    later = scratch / "later.tsv"
    with later.open("wb") as waiting:
        for number, line in _lines(log):
            where = router.route(read_line(line))
            if where is None:
                waiting.write(b"%d\t%s\n" % (number, line))
            else:
                chunks.add(where, number, line)
    with later.open("rb") as waiting:
        for row in waiting:
            head, _, line = row.rstrip(b"\n").partition(b"\t")
            raw = read_line(line)
            assert isinstance(raw, dict)  # put off only when it names an incident
            chunks.add(router.settle(raw), int(head), line)
    chunks.flush()


def replay_log(
    log: BinaryIO,
    variants: Sequence[Variant],
    *,
    client: Client,
    until: datetime | None = None,
    partitions: int | None = None,
    buffer_lines: int | None = None,
    index_limit: int = INDEX_LIMIT,
    scratch: Path | None = None,
    transport: Transport = "scatter",
) -> Report:
    """The what-if report of the JSON-lines ``log`` (opened in binary) under
    ``variants``, computed on ``client``'s cluster: the same report as
    :func:`~premier_policy.whatif.what_if` of its parsed lines.

    ``partitions`` defaults to eight per worker thread (at least 16); ``buffer_lines``
    is how many lines the client holds before sending them (see :data:`BUFFER_LINES`);
    ``scratch`` is
    the directory for the put-off lines, a spilled index and the chunks when
    ``transport`` is ``"files"`` (a temporary one by default, removed after).
    """
    chosen = check_variants(variants)
    if until is not None:  # an instant no report can describe: refused before the work
        report_as_of(until, [], chosen)
    if partitions is None:
        partitions = max(16, 8 * sum(client.nthreads().values()))
    if transport not in ("scatter", "files"):
        raise PolicyError(
            f"expected 'scatter' or 'files', got {shown(transport)}", field="transport"
        )
    with tempfile.TemporaryDirectory(prefix="premier-batch-", dir=scratch) as where:
        index = SpillingIndex(Path(where), limit=index_limit)
        try:
            router = Router(partitions=partitions, index=index)
            budget = max(BUFFER_LINES, 512 * partitions) if buffer_lines is None else buffer_lines
            files = Path(where) if transport == "files" else None
            chunks = _Chunks(client, partitions, budget, files)
            _route(log, router, chunks, Path(where))
        finally:
            index.close()
        # A group is joined and summarised at the home of its first partition.
        groups = [
            (chunks.homes[group[0]], [f for p in group for f in chunks.read[p]])
            for group in router.groups()
        ]
        homes = [home for home, futures in groups if futures]
        read = [_at(client, home)(_join, *futures) for home, futures in groups if futures]
        del chunks, groups  # the read partitions hold what they need
        # Every chunk file is read once the latest instants are known.
        as_of = report_as_of(until, client.gather(client.map(_latest, read, pure=False)), chosen)
    summaries: list[Summary] = []
    pending = [
        [
            _at(client, home)(summarize, part, variant, as_of)
            for part, home in zip(read, homes, strict=True)
        ]
        for variant in chosen
    ]
    for variant, futures in zip(chosen, pending, strict=True):
        summaries.append(merge(client.gather(futures), currency=variant.policy.catalog.currency))
    return Report(as_of=as_of, variants=chosen, summaries=tuple(summaries))


@contextmanager
def connect(
    *, workers: int | None = None, scheduler: str | None = None, timeout: float = 10.0
) -> Iterator[Client]:
    """A client of the Dask scheduler at ``scheduler``, or of a local cluster of
    ``workers`` processes (one thread each; default: one per core) on the loopback
    interface, closed on exit."""
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as error:
            raise PolicyError(
                f"cannot reach a Dask scheduler at {scheduler}: {error}", field="scheduler"
            ) from None
        with client:
            yield client
        return
    count = workers if workers is not None else (os.cpu_count() or 1)
    with (
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",  # loopback only, any free port
            silence_logs=logging.CRITICAL,  # shutdown races log tracebacks
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


# --- output ---------------------------------------------------------------------------------


def _percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


def _minutes(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def table(report: Report) -> str:
    """The report as a readable table, the variants side by side."""
    summaries, names = report.summaries, [v.name for v in report.variants]
    policy = report.variants[0].policy
    when = "nothing" if report.as_of is None else policy.show(report.as_of)
    rows: list[tuple[str, list[str]]] = []

    def row(label: str, values: Sequence[object]) -> None:
        rows.append((label, [v if isinstance(v, str) else f"{v:,}" for v in values]))

    row("events accepted", [s.events_accepted for s in summaries])
    row("events refused", [s.events_refused for s in summaries])
    for rule in sorted({rule for s in summaries for rule in s.refused}):
        row(f"  {rule}", [s.refused.get(rule, 0) for s in summaries])
    row("incidents opened", [s.incidents_opened for s in summaries])
    row("incidents invalidated", [s.incidents_invalidated for s in summaries])
    row("incidents reopened", [s.incidents_reopened for s in summaries])
    row("response targets started", [s.targets_started for s in summaries])
    row("  met", [s.targets_met for s in summaries])
    row("  breached", [s.targets_breached for s in summaries])
    row("  breach rate", [_percent(s.breach_rate) for s in summaries])
    row("first response, median (business min)", [
        _minutes(s.first_response((1, 2))) for s in summaries
    ])  # fmt: skip
    row("first response, p90 (business min)", [
        _minutes(s.first_response((9, 10))) for s in summaries
    ])  # fmt: skip
    row("credits bought", [s.credits_bought for s in summaries])
    row("credits consumed", [s.credits_consumed for s in summaries])
    row("credits restored", [s.credits_restored for s in summaries])
    row("credits expired unused", [s.credits_expired_unused for s in summaries])
    row("revenue", [f"{s.revenue.amount:,.2f} {s.revenue.currency}" for s in summaries])
    label_width = max(len(label) for label, _ in rows)
    widths = [
        max(len(name), *(len(values[i]) for _, values in rows)) for i, name in enumerate(names)
    ]
    lines = [f"What-if over {report.lines:,} lines, as of {when}", ""]
    lines.append(
        " " * label_width + "".join(f"  {n:>{w}}" for n, w in zip(names, widths, strict=True))
    )
    for label, values in rows:
        cells = "".join(f"  {v:>{w}}" for v, w in zip(values, widths, strict=True))
        lines.append(f"{label:<{label_width}}{cells}")
    bad = summaries[0].bad_lines
    if bad:
        lines += ["", "bad lines (the first ones):"]
        lines += [f"  line {b.line}: {b.rule}: {b.message}" for b in bad]
    lines += ["", "weekly breach rate (targets started that week)"]
    weeks = sorted({week.week for s in summaries for week in s.weekly})
    rates = [{week.week: week.breach_rate for week in s.weekly} for s in summaries]
    lines.append("week    " + "".join(f"  {n:>{w}}" for n, w in zip(names, widths, strict=True)))
    for week in weeks:
        cells = "".join(
            f"  {_percent(r.get(week)):>{w}}" for r, w in zip(rates, widths, strict=True)
        )
        lines.append(f"{week}{cells}")
    return "\n".join(lines) + "\n"


def chart(report: Report, path: Path) -> None:
    """A PNG at ``path`` of the weekly breach rate, one line per variant."""
    from matplotlib.figure import Figure  # only when a chart is asked for

    weeks = sorted({week.week for s in report.summaries for week in s.weekly})
    figure = Figure(figsize=(10, 4.5), layout="constrained")
    axes = figure.subplots()
    for variant, summary in zip(report.variants, report.summaries, strict=True):
        rates = {week.week: week.breach_rate for week in summary.weekly}
        values = [rates.get(week) for week in weeks]
        axes.plot(
            range(len(weeks)),
            [float("nan") if v is None else 100 * v for v in values],
            marker="o",
            markersize=3,
            label=variant.name,
        )
    step = max(1, len(weeks) // 12)
    axes.set_xticks(range(0, len(weeks), step), weeks[::step], rotation=45, ha="right")
    axes.set_ylabel("breached, % of targets decided")
    axes.set_ylim(bottom=0)
    axes.set_title("Weekly breach rate of the response target, by policy")
    axes.grid(alpha=0.3)
    axes.legend()
    figure.savefig(path, dpi=100)


# --- the command -------------------------------------------------------------------------------


def _fail(field: str, detail: str) -> NoReturn:
    raise PolicyError(detail, field=field)


def _policy_file(path: str, field: str) -> Variant:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        _fail(field, f"cannot read {path}: {error}")
    raw = read_line(text)
    if isinstance(raw, Unreadable):
        _fail(field, f"{path} is not JSON: {raw.detail}")
    try:
        return Variant(Path(path).stem, raw)  # type: ignore[arg-type] # Variant checks it
    except PolicyError as error:
        _fail(field, f"{path}: {error}")


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        _fail("until", f"not an ISO 8601 instant: {text!r}")


def run(
    *,
    log: str,
    policy: str,
    against: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    until: str | None = None,
    partitions: int | None = None,
    json_out: str | None = None,
    chart_out: str | None = None,
    out: TextIO,
) -> None:
    """The ``batch`` command: read the policies, replay ``log`` on the cluster, print
    the table, write the JSON and the chart if asked. Input it cannot use is a
    :class:`~premier_policy.PolicyError` naming the argument, before any work."""
    variants = [_policy_file(policy, "policy")]
    if against is not None:
        variants.append(_policy_file(against, "against"))
        if variants[1].name == variants[0].name:  # two files of one name: say which
            variants = [
                Variant(path, v.overrides)
                for path, v in zip((policy, against), variants, strict=True)
            ]
    at = _instant(until)
    if chart_out is not None:
        try:
            import matplotlib.figure  # noqa: F401 - checked before the work, used by chart()
        except ImportError:
            _fail("chart", "a chart needs matplotlib: pip install 'premier-policy[batch]'")
    try:
        handle = open(log, "rb")  # noqa: SIM115 - closed below, after the cluster
    except OSError as error:
        _fail("LOG", f"cannot read {log}: {error}")
    # A local cluster's workers read the chunks from the client's disk; others get bytes.
    transport: Transport = "scatter" if scheduler is not None else "files"
    with handle, connect(workers=workers, scheduler=scheduler) as client:
        report = replay_log(
            handle, variants, client=client, until=at, partitions=partitions, transport=transport
        )
    out.write(table(report))
    if json_out is not None:
        _write(json_out, "json", lambda path: path.write_text(
            json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        ))  # fmt: skip
    if chart_out is not None:
        _write(chart_out, "chart", lambda path: chart(report, path))


def _write(where: str, field: str, write: Callable[[Path], object]) -> None:
    try:
        write(Path(where))
    except OSError as error:
        _fail(field, f"cannot write {where}: {error}")
