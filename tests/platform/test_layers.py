"""Imports run one way: doors (views, api, tasks, commands) -> services -> selectors -> models.

Checked on the source, every ``import`` at any depth (a function-level import is a
circle too, only a later one): services queue tasks by name through
``claims.services.dispatch`` and never import a task module or a door."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted((ROOT / "claims" / "services").glob("*.py"))
DOORS = ("claims.tasks", "claims.api.tasks", "claims.views", "claims.management")


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_services_never_import_tasks_or_views(path):
    bad = sorted(n for n in _imported(path) if n.startswith(DOORS))
    assert bad == [], f"{path.name} imports {bad}; queue tasks through claims.services.dispatch"


def test_the_desk_services_are_split_by_record():
    # One module per record the desk changes; no catch-all "review" module.
    names = {p.stem for p in SERVICES}
    assert {"attributions", "claims", "sources", "ingest_jobs", "articles"} <= names
    assert "review" not in names


def test_dispatch_finds_every_task_the_services_queue_by_name(db):
    from claims.services import dispatch

    queued = set()
    for path in SERVICES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "enqueue"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                queued.add(node.args[0].value)
    assert {"claims.extract_article", "claims.process_ingest_job", "claims.api.webhook_deliver"} <= queued
    for name in queued:
        assert dispatch.task(name).name == name
