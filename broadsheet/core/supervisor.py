"""Keep the task worker running: start the one the task backend needs, restart it if it dies.

The database backend's worker can die on "database is locked" during a long import on SQLite,
and any worker can die on a bug in a task; neither may stop notification emails or spam
retraining for good. The supervisor restarts its worker with a growing pause (1 s, doubling to
30 s, back to 1 s after a minute of good running), forwards SIGTERM and SIGINT, and, with
`exit_with_parent`, stops when the process that started it is gone (so a `make run` whose shell
died leaves no worker behind to double up on the next start).

It also replaces a worker that sits idle after growing past TASK_WORKER_RECYCLE_MB of resident
memory (150 by default; 0 never): one topic suggestion imports spaCy and its English pipeline
(about 110 MB) for good, where a fresh worker is back to about 55 MB. It waits for the worker
to have used almost no CPU for IDLE_SECONDS, then sends it SIGTERM, which both task workers
take as "finish the current task, then stop", and starts a new one at once. The first start
waits TASK_WORKER_START_DELAY seconds (2), so that a server starting beside it answers first.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0
GOOD_RUN_SECONDS = 60.0
POLL_SECONDS = 0.5
IDLE_SECONDS = 10.0
# Idle: under this share of one core over IDLE_SECONDS (the database worker polls every second).
IDLE_CPU_SHARE = 0.02
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def recycle_mb() -> float:
    """TASK_WORKER_RECYCLE_MB: the resident size past which an idle worker is replaced."""
    return float(os.environ.get("TASK_WORKER_RECYCLE_MB", "150"))


def resident_mb(pid: int) -> float:
    """A process's resident memory (VmRSS) in MB; 0 when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = [line for line in status.splitlines() if line.startswith("VmRSS:")]
    return int(found[0].split()[1]) / 1024 if found else 0.0


def cpu_seconds(pid: int) -> float:
    """A process's CPU time so far (user and system); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def tasks_backend() -> str:
    """TASKS_BACKEND as settings.py reads it, without loading Django (about 200 MB here)."""
    default = "rq" if os.environ.get("REDIS_URL") else "database"
    return os.environ.get("TASKS_BACKEND") or default


def worker_command(backend: str | None = None) -> list[str] | None:
    """The command that runs tasks for this backend; None when tasks run in the request.

    The site's system checks ran at `migrate`; the worker skips them rather than load every
    model to check it before its first task.
    """
    backend = backend or tasks_backend()
    manage = [sys.executable, "-m", "broadsheet"]
    if backend == "database":
        return [*manage, "db_worker", "--interval", "1", "--skip-checks"]
    if backend == "rq":
        # A plain rqworker fails every task: django-tasks-rq's Job class runs them.
        return [
            *manage,
            "rqworker",
            "default",
            "--job-class",
            "django_tasks_rq.backend.Job",
            "--with-scheduler",
            "--skip-checks",
        ]
    return None


def main(argv: list[str]) -> int:
    """`broadsheet task_worker [--exit-with-parent]`, run before Django is loaded at all."""
    command = worker_command()
    if command is None:
        print("Tasks run inside requests (TASKS_BACKEND=immediate): no worker.", flush=True)
        return 0
    supervisor = Supervisor(
        command=command,
        log=lambda line: print(f"task_worker: {line}", flush=True),
        exit_with_parent="--exit-with-parent" in argv,
        recycle_mb=recycle_mb(),
        start_delay=float(os.environ.get("TASK_WORKER_START_DELAY", "2")),
    )
    signal.signal(signal.SIGTERM, supervisor.stop)
    signal.signal(signal.SIGINT, supervisor.stop)
    supervisor.run()
    return 0


@dataclass
class Supervisor:
    """Run `command` until told to stop; `log` gets one line per start and exit."""

    command: list[str]
    log: Callable[[str], None]
    exit_with_parent: bool = False
    max_restarts: int | None = None
    recycle_mb: float = 0.0
    idle_seconds: float = IDLE_SECONDS
    # Seconds before the first start: the web server, started beside it, gets the CPU first.
    start_delay: float = 0.0
    starts: int = 0
    recycled: int = 0
    _stopping: bool = field(default=False, init=False)
    _child: subprocess.Popen | None = field(default=None, init=False)

    def stop(self, signum: int = signal.SIGTERM, _frame=None) -> None:
        """Stop the worker and then the supervisor."""
        self._stopping = True
        if self._child is not None and self._child.poll() is None:
            self._child.send_signal(signum)

    def run(self) -> int:
        """Supervise until stopped; return the worker's last exit code."""
        parent = os.getppid()
        pause, code = FIRST_PAUSE, 0
        self._sleep(self.start_delay)
        while not self._stopping:
            started = time.monotonic()
            # The command is built by worker_command() from settings, never from input.
            self._child = subprocess.Popen(self.command)  # noqa: S603
            self.starts += 1
            self.log(f"worker started (pid {self._child.pid}, start {self.starts})")
            samples: list[tuple[float, float]] = []
            replacing = False
            while self._child.poll() is None:
                if self.exit_with_parent and os.getppid() != parent:
                    self.log("the process that started the supervisor is gone: stopping")
                    self.stop()
                if not replacing and self._idle_and_big(samples):
                    replacing = True
                    self.recycled += 1
                    size = resident_mb(self._child.pid)
                    self.log(
                        f"worker idle at {size:.0f} MB (over {self.recycle_mb:.0f}): replacing it"
                    )
                    self._child.send_signal(signal.SIGTERM)
                time.sleep(POLL_SECONDS)
            code = self._child.returncode
            if self._stopping:
                break
            if replacing:
                pause = FIRST_PAUSE
                continue
            ran = time.monotonic() - started
            pause = FIRST_PAUSE if ran >= GOOD_RUN_SECONDS else min(pause * 2, LONGEST_PAUSE)
            self.log(f"worker exited with {code} after {ran:.0f} s: restarting in {pause:.0f} s")
            if self.max_restarts is not None and self.starts > self.max_restarts:
                break
            self._sleep(pause)
        self._wait_child()
        return code

    def _sleep(self, seconds: float) -> None:
        """Wait, waking early when told to stop."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._stopping:
            time.sleep(min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def _idle_and_big(self, samples: list[tuple[float, float]]) -> bool:
        """Whether the worker has grown past recycle_mb and used almost no CPU for a while."""
        if not self.recycle_mb or self._child is None:
            return False
        now, used = time.monotonic(), cpu_seconds(self._child.pid)
        samples.append((now, used))
        while len(samples) > 1 and now - samples[1][0] >= self.idle_seconds:
            samples.pop(0)
        first_at, first_used = samples[0]
        watched = now - first_at
        if watched < self.idle_seconds:
            return False
        return (used - first_used) < IDLE_CPU_SHARE * watched and resident_mb(
            self._child.pid
        ) > self.recycle_mb

    def _wait_child(self) -> None:
        if self._child is None or self._child.poll() is not None:
            return
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
