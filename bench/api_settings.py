"""Bench-only settings for bench/bench_api.py: the product's settings with a URLconf that
adds one trivial JSON view, the baseline the partner API is compared with. Never used by
the product."""

import os

from factcheck.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
DEBUG = False
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The run's own key prefix, so the bench deletes exactly what it wrote.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "")  # noqa: F405
