"""Request and task ids in every log line, and task counts for the metrics endpoint.

A request gets an id (the caller's ``X-Request-ID`` when it is a sane token, else a
new one), echoed in the response header. A task queued while a request is handled
carries that id in its message headers, so a worker's log lines name the request
that caused them as well as the task's own id.

Task counts and durations are kept where every process can add to them and the web
process can read them: in Redis when the broker is Redis (several workers, several
machines), in this process otherwise (the embedded default runs tasks in-process).
"""

from __future__ import annotations

import contextvars
import logging
import re
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable

from celery.signals import before_task_publish, task_postrun, task_prerun, task_retry
from django.conf import settings
from django.http import HttpRequest, HttpResponse

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
task_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)
task_name_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_name", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")

# Upper bounds of the task duration histogram, in seconds.
DURATION_BUCKETS: tuple[float, ...] = (
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
    60.0,
)


class ContextFilter(logging.Filter):
    """Adds request_id, task_id and task_name to every record (None when absent), and
    ``context``, the same as a short bracket for plain-text logs ("" when there is none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        record.task_name = task_name_var.get()
        parts = [
            f"request={record.request_id}" if record.request_id else "",
            f"task={record.task_id}" if record.task_id else "",
        ]
        shown = " ".join(part for part in parts if part)
        record.context = f" [{shown}]" if shown else ""
        return True


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


# --- Celery: ids into the log context, counts into the store -----------------------

_started: dict[str, float] = {}
_started_lock = threading.Lock()


@before_task_publish.connect
def _carry_request_id(headers: dict | None = None, **kwargs) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id:
        headers.setdefault("request_id", request_id)


@task_prerun.connect
def _task_started(task_id: str | None = None, task=None, **kwargs) -> None:
    if task_id is None:
        return
    task_id_var.set(task_id)
    task_name_var.set(getattr(task, "name", None))
    carried = getattr(getattr(task, "request", None), "request_id", None)
    if isinstance(carried, str) and _SANE_ID.match(carried):
        request_id_var.set(carried)
    with _started_lock:
        _started[task_id] = time.monotonic()


@task_postrun.connect
def _task_finished(task_id: str | None = None, task=None, state: str | None = None, **kwargs) -> None:
    with _started_lock:
        began = _started.pop(task_id, None) if task_id else None
    if task is not None and state in {"SUCCESS", "FAILURE"}:
        task_metrics().record(task.name, state.lower(), None if began is None else time.monotonic() - began)
    task_id_var.set(None)
    task_name_var.set(None)
    if not getattr(getattr(task, "request", None), "is_eager", False):
        request_id_var.set(None)


@task_retry.connect
def _task_retried(sender=None, request=None, **kwargs) -> None:
    name = getattr(sender, "name", None)
    if name:
        task_metrics().record(name, "retry", None)


class TaskMetrics:
    """Counts per (task, outcome) and a duration histogram per task."""

    def record(self, name: str, outcome: str, seconds: float | None) -> None:
        raise NotImplementedError

    def snapshot(self) -> dict[str, dict]:
        """{"counts": {(task, outcome): n}, "durations": {task: {"buckets": [...], "sum": s, "count": n}}}"""
        raise NotImplementedError


def _bucket_index(seconds: float) -> int:
    for index, bound in enumerate(DURATION_BUCKETS):
        if seconds <= bound:
            return index
    return len(DURATION_BUCKETS)  # the +Inf bucket


class LocalTaskMetrics(TaskMetrics):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], int] = defaultdict(int)
        self._buckets: dict[str, list[int]] = defaultdict(lambda: [0] * (len(DURATION_BUCKETS) + 1))
        self._sums: dict[str, float] = defaultdict(float)

    def record(self, name: str, outcome: str, seconds: float | None) -> None:
        with self._lock:
            self._counts[(name, outcome)] += 1
            if seconds is not None:
                self._buckets[name][_bucket_index(seconds)] += 1
                self._sums[name] += seconds

    def snapshot(self) -> dict[str, dict]:
        with self._lock:
            durations = {
                name: {"buckets": list(buckets), "sum": self._sums[name], "count": sum(buckets)}
                for name, buckets in self._buckets.items()
            }
            return {"counts": dict(self._counts), "durations": durations}


class RedisTaskMetrics(TaskMetrics):
    """One Redis hash shared by every worker and web process of a deployment."""

    KEY = "factcheck:metrics:tasks"

    def __init__(self, url: str) -> None:
        import redis

        self._client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def record(self, name: str, outcome: str, seconds: float | None) -> None:
        try:
            pipe = self._client.pipeline(transaction=False)
            pipe.hincrby(self.KEY, f"count|{name}|{outcome}", 1)
            if seconds is not None:
                pipe.hincrby(self.KEY, f"bucket|{name}|{_bucket_index(seconds)}", 1)
                pipe.hincrbyfloat(self.KEY, f"sum|{name}", seconds)
            pipe.execute()
        except Exception:  # metrics never break a task
            logging.getLogger(__name__).warning("task metrics not recorded", exc_info=True)

    def snapshot(self) -> dict[str, dict]:
        raw = {k.decode(): v.decode() for k, v in self._client.hgetall(self.KEY).items()}
        counts: dict[tuple[str, str], int] = {}
        durations: dict[str, dict] = {}
        for field, value in raw.items():
            kind, _, rest = field.partition("|")
            if kind == "count":
                name, _, outcome = rest.rpartition("|")
                counts[(name, outcome)] = int(value)
            elif kind == "bucket":
                name, _, index = rest.rpartition("|")
                entry = durations.setdefault(name, {"buckets": [0] * (len(DURATION_BUCKETS) + 1), "sum": 0.0})
                entry["buckets"][int(index)] = int(value)
            elif kind == "sum":
                entry = durations.setdefault(rest, {"buckets": [0] * (len(DURATION_BUCKETS) + 1), "sum": 0.0})
                entry["sum"] = float(value)
        for entry in durations.values():
            entry["count"] = sum(entry["buckets"])
        return {"counts": counts, "durations": durations}


_store: TaskMetrics | None = None
_store_key: str | None = None


def task_metrics() -> TaskMetrics:
    """The store for this deployment: Redis beside a Redis broker, else this process."""
    global _store, _store_key
    broker = settings.CELERY_BROKER_URL if not settings.CELERY_TASK_ALWAYS_EAGER else ""
    key = broker if broker.startswith(("redis://", "rediss://")) else ""
    if _store is None or key != _store_key:
        _store = RedisTaskMetrics(key) if key else LocalTaskMetrics()
        _store_key = key
    return _store
