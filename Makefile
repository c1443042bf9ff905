# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON_312 := $(shell command -v python3.12 2>/dev/null || ls /root/.pyenv/versions/3.12.*/bin/python3.12 2>/dev/null | tail -n 1)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: venv run test lint format bench flake worker beat migrate seed chromium clean

$(STAMP): requirements.txt
	@test -n "$(PYTHON_312)" || { echo "Python 3.12 is needed (python3.12 on PATH)"; exit 1; }
	@test -x $(PY) || $(PYTHON_312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Local development only: DEBUG on (static files, template errors). Nothing else
# depends on it: the SSRF guard and the Persian error pages are the same either way.
run: seed
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

# Browser tests drive Debian's chromium; install it once if it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: venv chromium lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

bench: venv
	$(PY) bench/run_all.py $(BENCH)

# The tests that start Celery workers or headless Chromium (markers integration and
# browser), N times in a row: one line per run, every failure, non-zero if any run
# failed. Not part of `make test`. `make flake N=10`; FLAKE='tests/api -k webhook' to pick.
N ?= 5
FLAKE ?=
flake: venv chromium
	.ci/flake $(N) $(FLAKE)

worker: venv
	$(VENV)/bin/celery -A factcheck worker --loglevel=info

beat: migrate
	$(PY) manage.py setup_schedules
	$(VENV)/bin/celery -A factcheck beat --loglevel=info --scheduler django_celery_beat.schedulers:DatabaseScheduler

clean:
	rm -rf $(VENV) db.sqlite3 artifacts
