"""Settings come from the environment, with safe defaults and strict production checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'broker': s.CELERY_BROKER_URL, 'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE'), "
    "'serializer': s.CELERY_TASK_SERIALIZER, 'accept': s.CELERY_ACCEPT_CONTENT}))"
)


def _env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "HF_HUB_OFFLINE"}}
    return {**keep, **extra}


def _probe(settings_module: str = "factcheck.settings.base", **env: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE=settings_module, **env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_environment_means_sqlite_and_in_process_tasks():
    probe = _probe()
    assert probe["engine"] == "django.db.backends.sqlite3"
    assert probe["eager"] is True
    assert probe["broker"] == ""


def test_database_and_broker_urls_switch_to_postgres_and_redis():
    probe = _probe(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/whatever",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/3",
    )
    assert probe["engine"] == "django.db.backends.postgresql"
    assert probe["conn_max_age"] and probe["conn_max_age"] > 0  # persistent connections
    assert probe["eager"] is False
    assert probe["broker"] == "redis://127.0.0.1:6379/3"
    assert probe["serializer"] == "json"
    assert probe["accept"] == ["json"]


def test_production_refuses_to_start_without_its_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DJANGO_SETTINGS_MODULE="factcheck.settings.production"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("key", ["short", "a" * 60])
def test_production_refuses_a_weak_secret_key(key):
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(
            DJANGO_SETTINGS_MODULE="factcheck.settings.production",
            DJANGO_SECRET_KEY=key,
            DJANGO_ALLOWED_HOSTS="factcheck.example",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "at least 50 random characters" in result.stderr


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(
            DJANGO_SETTINGS_MODULE="factcheck.settings.production",
            DJANGO_SECRET_KEY="k3y-" + "".join(chr(65 + (i * 7) % 26) + str(i % 10) for i in range(40)),
            DJANGO_ALLOWED_HOSTS="factcheck.example",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_celery_app_is_configured_for_reliable_delivery():
    from factcheck.celery import app

    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_concurrency >= 1
    assert conf.beat_scheduler.startswith("django_celery_beat")
