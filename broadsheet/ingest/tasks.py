"""Background tasks: thin wrappers that call a service. The wire desk polls itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

# With no active feed, look again this often: a feed staff add later is picked up without a
# restart.
IDLE_RECHECK = timedelta(minutes=5)
# When the next round is queued for, in the shared cache: how a queue that cannot be searched
# (RQ) still tells `wire_schedule` a cycle is running. It outlives the planned run by a margin,
# so a cycle whose worker died is restarted by the next `make run`.
CYCLE_KEY = "ingest:wire-cycle-next"
CYCLE_MARGIN = timedelta(minutes=10)


def wire_cycle_mark(run_after: datetime) -> None:
    """Note in the cache that a round is queued for run_after."""
    seconds = (run_after - timezone.now() + CYCLE_MARGIN).total_seconds()
    cache.set(CYCLE_KEY, run_after.isoformat(), timeout=max(int(seconds), 1))


@task()
def wire_poll_due() -> int:
    """Poll every due wire feed, then queue the next round; return how many feeds were polled."""
    from broadsheet.ingest.wire import wire_poll_due as poll

    try:
        polled = poll()
    finally:
        # Even a round that failed outright queues the next: the cycle must not die with it.
        wire_cycle_continue()
    return len(polled)


def wire_cycle_continue() -> datetime | None:
    """Queue the next round for when the next feed falls due; None where the queue cannot wait."""
    from broadsheet.ingest.wire import wire_next_due

    backend = wire_poll_due.get_backend()
    if not backend.supports_defer:
        # The immediate backend (tests) would recurse: there the cycle is driven by hand.
        return None
    now = timezone.now()
    due = wire_next_due() or now + IDLE_RECHECK
    run_after = max(due, now + timedelta(seconds=5))
    wire_poll_due.using(run_after=run_after).enqueue()
    wire_cycle_mark(run_after)
    return run_after


def wire_cycle_pending() -> bool:
    """Whether a round of wire polling is already queued: in the database queue, or by the
    mark a queued round left in the cache (any queue)."""
    if cache.get(CYCLE_KEY) is not None:
        return True
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return False
    from django_tasks.base import TaskResultStatus

    if wire_poll_due.get_backend().__class__.__name__ != "DatabaseBackend":
        return False
    return DBTaskResult.objects.filter(
        task_path=wire_poll_due.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).exists()
