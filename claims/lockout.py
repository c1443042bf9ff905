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
from axes.helpers import get_client_ip_address, get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def address_failures(request, ip_address: str) -> int:
    attempts = AccessAttempt.objects.filter(ip_address=ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _address_limit() -> int:
    return int(getattr(settings, "AXES_IP_FAILURE_LIMIT", 0) or 0)


def _address_locked(request) -> bool:
    limit = _address_limit()
    if limit <= 0 or request is None:
        return False
    ip_address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    return address_failures(request, ip_address) >= limit


class LoginLockoutHandler(AxesDatabaseHandler):
    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or _address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if _address_locked(request):
            # The failure that reached the address-wide limit answers with the lockout page.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
