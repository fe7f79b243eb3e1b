"""What operators and load balancers ask: is the process alive, is it ready, what is it doing."""

from __future__ import annotations

import hmac
import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from broadsheet.core.metrics import exposition
from broadsheet.core.network import client_ip

log = logging.getLogger(__name__)
_migrated = False  # once every migration is applied, it stays so for this process


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """The process answers: nothing else is checked (a liveness probe)."""
    return HttpResponse("ok\n", content_type="text/plain")


def _migrations_applied() -> bool:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return _migrated


def _check(name: str, probe) -> str:
    try:
        return "ok" if probe() else "pending"
    except Exception as exc:  # a readiness probe reports every failure, it never raises
        log.warning("readiness: %s failed: %s", name, exc)
        return "unreachable"


def _database() -> bool:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache() -> bool:
    cache.set("readyz", "1", 10)
    return cache.get("readyz") == "1"


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Database and cache reachable, every migration applied: 200; otherwise 503 and which."""
    checks = {"database": _check("database", _database), "cache": _check("cache", _cache)}
    checks["migrations"] = (
        _check("migrations", _migrations_applied) if checks["database"] == "ok" else "unknown"
    )
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if ready else 503)


def _may_scrape(request: HttpRequest) -> bool:
    if settings.METRICS_TOKEN:
        sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if sent and hmac.compare_digest(sent, settings.METRICS_TOKEN):
            return True
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOW)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus's text format, for a token or an allowed network; 403 for anyone else."""
    if not _may_scrape(request):
        return HttpResponse("Metrics are not public.\n", status=403, content_type="text/plain")
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
