"""Reads of the public pages and the partner API from a read replica, when there is one.

With ``DATABASE_REPLICA_URL`` set, the ``replica`` database serves the reads of
safe (GET/HEAD) requests to the public site and the partner API, which only show
published records and tolerate a replica's lag of a second or two. Everything else
reads from the primary: the desk and the admin (an editor must see the change they
just made), every write, every read inside a transaction, and Celery tasks.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse

use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)

REPLICA = "replica"
# Paths whose safe requests read published data only.
REPLICA_PATH_PREFIXES = ("/api/v1/", "/claims/", "/sources/", "/feeds/", "/sitemap.xml")


def _replica_path(path: str) -> bool:
    return path == "/" or path.startswith(REPLICA_PATH_PREFIXES)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        if use_replica.get() and REPLICA in settings.DATABASES and not connections["default"].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model, **hints) -> str:
        return "default"

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == "default"


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD") and _replica_path(request.path_info):
            token = use_replica.set(True)
            try:
                return self.get_response(request)
            finally:
                use_replica.reset(token)
        return self.get_response(request)
