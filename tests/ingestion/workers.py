"""Real Celery worker processes and a TCP proxy for the reliability tests.

Workers run ``celery -A factcheck worker`` against the pytest test database and
the Redis broker, on a queue name unique to the test, and are killed (process
group) when the test ends. The proxy stands between a worker and PostgreSQL so a
test can take "the database" away from that worker without touching the shared
server."""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .helpers import REPO, wait_for

CELERY = REPO / ".venv" / "bin" / "celery"


def database_url(settings_dict: dict, *, port: int | None = None) -> str:
    user = quote(settings_dict.get("USER") or "postgres")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password)}" if password else user
    host = settings_dict.get("HOST") or "127.0.0.1"
    return f"postgres://{auth}@{host}:{port or settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"


@dataclass
class Worker:
    name: str
    process: subprocess.Popen
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.text().splitlines()[-lines:])

    def wait_for_log(self, text: str, *, timeout: float = 60) -> bool:
        """Wait until ``text`` is in this worker's log: a worker writes a task's result
        line after the task's last database write, so polling the database and then
        reading the log once races the worker's own logging."""
        return wait_for(lambda: text in self.text(), timeout=timeout)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


@dataclass
class WorkerPool:
    broker_url: str
    db_settings: dict
    folder: Path
    queue: str = field(default_factory=lambda: f"ingest-test-{uuid.uuid4().hex[:10]}")
    visibility_timeout: int = 3
    workers: list[Worker] = field(default_factory=list)

    def start(self, name: str, *, db_port: int | None = None, ready_timeout: float = 120) -> Worker:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "factcheck.settings.base",
            "DATABASE_URL": database_url(self.db_settings, port=db_port),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_VISIBILITY_TIMEOUT": str(self.visibility_timeout),
            "INGEST_QUEUE": self.queue,
            # The SSRF guard lets the worker fetch from the tests' server on 127.0.0.1 only.
            "FETCH_ALLOWED_HOSTS": "127.0.0.1",
            "HF_HUB_OFFLINE": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
            "LOG_LEVEL": "INFO",
        }
        log = self.folder / f"worker-{name}.log"
        handle = log.open("wb")
        process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "factcheck",
                "worker",
                "-Q",
                self.queue,
                "-n",
                f"{name}-{self.queue}@%h",
                "--concurrency",
                "1",
                "-P",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "INFO",
            ],
            cwd=REPO,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        worker = Worker(name=name, process=process, log=log)
        self.workers.append(worker)
        started = wait_for(
            lambda: " ready." in worker.text() or process.poll() is not None, timeout=ready_timeout
        )
        if not started:
            raise AssertionError(f"worker {name} did not start:\n{worker.tail()}")
        if process.poll() is not None:
            raise AssertionError(f"worker {name} exited with {process.returncode}:\n{worker.tail()}")
        return worker

    def held_deliveries(self) -> list[float]:
        """When each message of this pool's queue that a worker took and never acked was
        delivered (kombu's Redis transport keeps them in ``unacked`` and ``unacked_index``)."""
        import redis

        client = redis.Redis.from_url(self.broker_url)
        held = []
        for tag, score in client.zrange("unacked_index", 0, -1, withscores=True):
            payload = client.hget("unacked", tag)
            if payload is not None and json.loads(payload)[2] == self.queue:
                held.append(score)
        return held

    def wait_until_redeliverable(self, *, timeout: float = 60) -> bool:
        """Wait until every message a killed worker held is past the visibility timeout.

        A worker restores such messages to the queue when it starts, then only every
        ``unacked_restore_interval * unacked_restore_throttle`` seconds (100 by default),
        so the next worker is started once the broker's own record says they are due, not
        after a guessed sleep."""

        def due() -> bool:
            held = self.held_deliveries()
            return bool(held) and all(time.time() - at > self.visibility_timeout + 0.5 for at in held)

        return wait_for(due, timeout=timeout)

    def stop_all(self) -> None:
        for worker in self.workers:
            worker.kill(signal.SIGKILL)


class TCPProxy:
    """A small TCP forwarder on 127.0.0.1 that can be taken down and brought back."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and cut the open ones, as a dead server would."""
        listener, self._listener = self._listener, None
        if listener is not None:
            # shutdown() wakes the thread blocked in accept(); close() alone would not,
            # and the socket would go on accepting.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        pair = {a: b, b: a}
        try:
            while True:
                readable, _, _ = select.select(list(pair), [], [], 1.0)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        raise OSError("closed")
                    pair[sock].sendall(data)
        except (OSError, ValueError):
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.close()
            with self._lock:
                self._sockets.difference_update(pair)


def wait_for_backends_to_leave(cursor, database: str, *, timeout: float = 60) -> None:
    """Wait until no other session uses the test database (so it can be flushed and dropped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        )
        if cursor.fetchone()[0] == 0:
            return
        time.sleep(0.2)
