"""What the HTTP benchmarks share: a bench database, gunicorn on a free port, and a
bounded, threaded keep-alive load generator with its summary.

Load only ever goes to 127.0.0.1, and every phase stops after a bounded number of
requests and seconds."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
MAX_SECONDS_PER_PHASE = 20.0


def recreate_database(name: str) -> None:
    """Drop and create the bench's own database (raises when PostgreSQL is unreachable)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def cache_prefix(bench: str) -> str:
    """A key prefix of this run's own for the page cache, so that the bench deletes
    what it wrote and nothing else in a Redis db it shares with others."""
    return f"{bench}-{os.getpid()}-{int(time.time())}"


def delete_prefixed(redis_url: str, prefix: str) -> int:
    """Delete the cache keys under ``prefix`` (Django writes ``prefix:version:key``); never FLUSHDB."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])
    return len(keys)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(
    port: int, proc: subprocess.Popen, path: str = "/bench/trivial/", timeout: float = 30.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("gunicorn exited before it was ready")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer in time")


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, threads: int = 1
) -> Iterator[tuple[int, subprocess.Popen]]:
    """gunicorn serving the project on a free loopback port; stopped on exit."""
    port = free_port()
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "factcheck.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *(["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []),
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_ready(port, proc)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def server_cpu_seconds(master_pid: int) -> float:
    """User + system CPU time of gunicorn's workers so far (Linux /proc). Throughput on a
    shared two-core machine moves with whatever else runs; CPU time per request does not."""
    ticks = os.sysconf("SC_CLK_TCK")
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return 0.0
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def run_phase(
    port: int,
    paths: list[str],
    total: int,
    *,
    concurrency: int,
    headers: dict[str, str] | None = None,
    master_pid: int = 0,
    salt: str = "",
) -> dict:
    """``total`` GET requests (or MAX_SECONDS_PER_PHASE) over ``concurrency`` threads, each on
    its own keep-alive connection (http.client reconnects when a sync worker closes it).
    ``{n}`` in a path becomes ``salt`` plus the request number, to make cache misses."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + MAX_SECONDS_PER_PHASE
    headers = headers or {}

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < deadline:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            path = paths[n % len(paths)].replace("{n}", f"{salt}{n:06d}")
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - t0)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    # The client threads share one GIL: with the default 5 ms switch interval a thread whose
    # answer has arrived can wait several intervals to read it, which would be counted as
    # server latency. A short interval keeps the client's own queueing out of p99.
    previous_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    cpu_before = server_cpu_seconds(master_pid) if master_pid else 0.0
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    sys.setswitchinterval(previous_interval)
    cpu = server_cpu_seconds(master_pid) - cpu_before if master_pid else 0.0
    return {"latencies": latencies, "elapsed": elapsed, "errors": errors[0], "cpu": cpu}


def summarize(runs: list[dict]) -> dict:
    latencies = sorted(x for r in runs for x in r["latencies"])
    elapsed = sum(r["elapsed"] for r in runs)
    n = len(latencies)
    q = statistics.quantiles(latencies, n=100, method="inclusive") if n >= 2 else [0.0] * 99
    return {
        "requests": n,
        "errors": sum(r["errors"] for r in runs),
        "req_per_s": n / elapsed if elapsed else 0.0,
        "p50_ms": q[49] * 1000,
        "p99_ms": q[98] * 1000,
        "server_cpu_ms_per_request": 1000 * sum(r.get("cpu", 0.0) for r in runs) / n if n else 0.0,
    }


def median_round_ratio(rounds: list[dict], baseline_rounds: list[dict]) -> float:
    """Median over interleaved rounds of (req/s of a target) / (req/s of the baseline), so load
    from other processes moves both sides of each ratio alike."""
    ratios = [
        (len(r["latencies"]) / r["elapsed"]) / (len(b["latencies"]) / b["elapsed"])
        for r, b in zip(rounds, baseline_rounds, strict=True)
        if r["elapsed"] and b["elapsed"] and b["latencies"]
    ]
    return statistics.median(ratios) if ratios else 0.0
