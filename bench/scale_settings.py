"""Bench-only settings for bench/bench_scale.py: the product's settings with the trivial
view's URLconf and the page cache under a key prefix of the run's own, so the bench
can delete exactly what it wrote. Never used by the product."""

import os

from factcheck.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.scale_urls"
DEBUG = False
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "")  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
