"""Prometheus metrics: request latency by view (every worker process), and facts apps report.

With `PROMETHEUS_MULTIPROC_DIR` set (`make run` sets it under DATA_DIR), every gunicorn worker
writes its samples to that folder and a scrape adds them up; without it, each process reports
its own. Apps add gauges read from the database at scrape time (`gauge_register`): the queue's
depth, the task backlog. Nothing here holds personal data: labels are view names and verdicts.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

REQUEST_SECONDS = Histogram(
    "broadsheet_request_seconds",
    "Time to answer a request, by view name and method.",
    ["view", "method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
COMMENTS_POSTED = Counter(
    "broadsheet_comments_posted_total",
    "Comments stored by the referee's verdict (allow, hold, reject).",
    ["verdict"],
)

# name -> (help, read): read() returns [(labels, value)] when scraped.
_GAUGES: dict[str, tuple[str, Callable[[], Iterable[tuple[dict[str, str], float]]]]] = {}


def gauge_register(
    name: str, documentation: str, read: Callable[[], Iterable[tuple[dict[str, str], float]]]
) -> None:
    """Add a gauge read at scrape time (an app's database count, say)."""
    _GAUGES[name] = (documentation, read)


class _Gauges:
    """The registered gauges, as one Prometheus collector."""

    def collect(self):
        for name, (documentation, read) in _GAUGES.items():
            rows = list(read())
            labels = sorted({key for row_labels, _ in rows for key in row_labels})
            family = GaugeMetricFamily(name, documentation, labels=labels)
            for row_labels, value in rows:
                family.add_metric([row_labels.get(key, "") for key in labels], value)
            yield family


def exposition() -> bytes:
    """Every metric in Prometheus's text format, summed over the worker processes."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        from prometheus_client import REGISTRY

        registry = REGISTRY
    output = generate_latest(registry)
    gauges = CollectorRegistry()
    gauges.register(_Gauges())  # type: ignore[arg-type]
    return output + generate_latest(gauges)


class RequestMetricsMiddleware:
    """Time every request into broadsheet_request_seconds, labelled by the view that answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match else "") or "unresolved"
        REQUEST_SECONDS.labels(view=view, method=request.method or "").observe(
            time.perf_counter() - started
        )
        return response
