"""What the debug page (DJANGO_DEBUG=1 only) may print.

Django's own filter hides settings and request variables whose names look like keys
or passwords. Connection strings carry passwords too (``DATABASE_URL``,
``CELERY_BROKER_URL``, ``REDIS_URL``, ``CACHES``), and under ``runserver`` the
process environment is part of ``request.META``: hide those as well."""

from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter


class SafeReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        r"API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE|BROKER|REDIS|CACHE|CELERY|DSN|PROXY|_URL$",
        flags=re.IGNORECASE,
    )
