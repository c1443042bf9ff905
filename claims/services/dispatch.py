"""Queue a Celery task by its registered name, so services never import a task module.

Imports run one way (doors -> services -> selectors -> models): ``claims.tasks``
imports services, and a service that needs a task sends it through here, usually
from ``transaction.on_commit``. The task is looked up in the Celery app's
registry at call time; the task modules are registered when Django starts
(``ClaimsConfig.ready``), so the lookup works in web processes, workers and
eager mode alike."""

from __future__ import annotations

from typing import Any

from celery import current_app


def task(name: str):
    """The registered task called ``name`` (KeyError if no module registered it)."""
    return current_app.tasks[name]


def enqueue(name: str, *args: Any, queue: str | None = None, countdown: float | None = None) -> None:
    """Send the task ``name`` with positional ``args`` (ids only). Raises what the
    broker raises: callers decide whether an outage is fatal or swept up later."""
    options: dict[str, Any] = {"queue": queue or None}
    if countdown is not None:
        options["countdown"] = countdown
    task(name).apply_async(args, **options)


def is_eager() -> bool:
    """Tasks run in-process (no broker: local development, some tests)."""
    return bool(current_app.conf.task_always_eager)
