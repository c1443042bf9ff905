"""Login lockouts: per user name and address, and per address across user names.

Axes compares every lockout parameter set against one failure limit. One person
mistyping a password should be stopped after a few tries (``AXES_FAILURE_LIMIT``
for a user name from one address), while an address that tries many user names
(password spraying) is stopped after ``AXES_IP_FAILURE_LIMIT`` failures in the
cool-off window, whatever names it tried. The address is the client's
(claims/clientip.py), so behind a trusted proxy one attacker does not lock out
everyone who shares the proxy."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def address_failures(request, ip_address: str) -> int:
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LoginLockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        limit = int(getattr(settings, "AXES_IP_FAILURE_LIMIT", 0) or 0)
        if limit <= 0 or request is None:
            return False
        ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        return address_failures(request, ip_address) >= limit
