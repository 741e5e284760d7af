"""The HTTP service against its peers: a process per question, and replay in process.

``GET /due``: a new TCP connection per call, as a simple client makes one, to
``premier-policy serve`` on a loopback port, against spawning ``premier-policy due`` per
call (what a service does without the server: most of that time is starting Python and
importing). Targets: at least 50x faster, and a median of at most 3 ms.

``POST /replay`` of the 10,000-event scenario of ``bench_replay``, against what the
service does of it in process: decode the JSON text, ``replay``, encode the outcome in
the shell's encoding. Target: within 25% (the HTTP work on top, both bodies over
loopback). Each side is timed several times, alternating, and the best run counts.

The server runs with ``--log-level warning``: at ``info``, uvicorn writes a line per
request, which this benchmark is not about.

Run: ``.venv/bin/python bench/bench_service.py`` (or ``make bench``).
"""

from __future__ import annotations

import http.client
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_replay import scenario

from premier_policy import replay
from premier_policy.shell._encoding import decode, encode

COMMAND = str(Path(sys.executable).with_name("premier-policy"))
INSTANT = "2026-11-27T18:30:00+01:00"
DUE_PATH = "/due?at=2026-11-27T18:30:00%2B01:00"
MIN_SPEEDUP = 50.0
MAX_MEDIAN_MS = 3.0
MAX_REPLAY_RATIO = 1.25


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _request(port: int, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
    """One request on a connection of its own; (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def _start(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [COMMAND, "serve", "--port", str(port), "--log-level", "warning"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _request(port, "GET", "/health")[0] == 200:
                return server
        except OSError:
            time.sleep(0.05)
    server.terminate()
    raise RuntimeError("the server did not answer /health within 30 s")


def _due_over_http(port: int, calls: int) -> list[float]:
    times = []
    for _ in range(calls):
        began = time.perf_counter()
        status, _ = _request(port, "GET", DUE_PATH)
        times.append(time.perf_counter() - began)
        assert status == 200
    return times


def _due_by_process(calls: int) -> list[float]:
    times = []
    for _ in range(calls):
        began = time.perf_counter()
        subprocess.run([COMMAND, "due", INSTANT], capture_output=True, check=True)
        times.append(time.perf_counter() - began)
    return times


def _replays(port: int, body: bytes, repeat: int) -> tuple[float, float]:
    """The best of ``repeat`` runs each way: (in process, over HTTP), in seconds."""
    local = remote = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        expected = encode(replay(decode(body.decode("utf-8")))).encode("utf-8")
        local = min(local, time.perf_counter() - began)
        began = time.perf_counter()
        status, answer = _request(port, "POST", "/replay", body)
        remote = min(remote, time.perf_counter() - began)
        assert (status, answer) == (200, expected), "the service answered otherwise"
    return local, remote


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    port = _free_port()
    server = _start(port)
    try:
        _due_over_http(port, 50)  # warm-up: zone tables, code paths
        http_times = _due_over_http(port, 1_000)
        process_times = _due_by_process(20)
        body = encode(scenario(10_000, 100, 2_000)).encode("utf-8")
        local, remote = _replays(port, body, repeat=5)
    finally:
        server.terminate()
        server.wait(timeout=30)
    http_median = statistics.median(http_times)
    process_median = statistics.median(process_times)
    speedup = process_median / http_median
    ratio = remote / local
    print("GET /due, a new connection per call, against a process per call")
    print(f"  HTTP:    median {http_median * 1e3:6.2f} ms, "
          f"p90 {statistics.quantiles(http_times, n=10)[-1] * 1e3:6.2f} ms "
          f"(1,000 calls; target median <= {MAX_MEDIAN_MS:.0f} ms)")  # fmt: skip
    print(f"  process: median {process_median * 1e3:6.1f} ms (20 calls of premier-policy due)")
    print(f"  HTTP is {speedup:,.0f}x faster (target >= {MIN_SPEEDUP:.0f}x)")
    print(f"POST /replay, 10,000 events ({len(body) / 1e6:.2f} MB in), against in process")
    print(f"  in process (decode, replay, encode): {local:.3f} s; over HTTP: {remote:.3f} s")
    print(f"  HTTP / in process: {ratio:.2f} (target <= {MAX_REPLAY_RATIO:.2f})")
    met = speedup >= MIN_SPEEDUP and http_median * 1e3 <= MAX_MEDIAN_MS
    return 0 if met and ratio <= MAX_REPLAY_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
