"""The task backlog, for /metrics: tasks waiting for a worker, in whichever backend runs them."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings


def task_backlog() -> Iterable[tuple[dict[str, str], float]]:
    """Tasks enqueued and not yet picked up, labelled by backend."""
    backend = settings.TASKS_BACKEND
    if backend == "database":
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY).count()
    elif backend == "rq":
        import django_rq

        waiting = django_rq.get_queue("default").count
    else:
        waiting = 0  # immediate: nothing ever waits
    return [({"backend": backend}, float(waiting))]
