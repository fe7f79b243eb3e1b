"""Reads from a replica when one is set (DATABASE_REPLICA_URL), never at the cost of a reader's
own writes.

A request reads from the primary when its reader has a session (signed in, or a guest who
posted: they must see their own comment at once), when it is not a GET or HEAD, and, in any
request or task, from its first write on. Everyone else, the anonymous majority whose pages
are shared anyway, reads from the replica. Migrations run on the primary only.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

PRIMARY, REPLICA = "default", "replica"
_use_primary: contextvars.ContextVar[bool] = contextvars.ContextVar("use_primary", default=False)


class ReplicaRouter:
    """Send reads to the replica unless this request must see the primary."""

    def db_for_read(self, model, **hints) -> str:
        return PRIMARY if _use_primary.get() else REPLICA

    def db_for_write(self, model, **hints) -> str:
        _use_primary.set(True)  # read what was just written, for the rest of this request
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two doors

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY


def must_read_primary(request: HttpRequest) -> bool:
    """Whether this request's reader could miss their own writes on a lagging replica."""
    return request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES


class ReplicaMiddleware:
    """Choose the request's read database once, before any view reads."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _use_primary.set(must_read_primary(request))
        try:
            return self.get_response(request)
        finally:
            _use_primary.reset(token)
