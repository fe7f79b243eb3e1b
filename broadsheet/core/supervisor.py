"""Keep the task worker running: start the one the task backend needs, restart it if it dies.

The database backend's worker can die on "database is locked" during a long import on SQLite,
and any worker can die on a bug in a task; neither may stop notification emails or spam
retraining for good. The supervisor restarts its worker with a growing pause (1 s, doubling to
30 s, back to 1 s after a minute of good running), forwards SIGTERM and SIGINT, and, with
`exit_with_parent`, stops when the process that started it is gone (so a `make run` whose shell
died leaves no worker behind to double up on the next start).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0
GOOD_RUN_SECONDS = 60.0
POLL_SECONDS = 0.5


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
    starts: int = 0
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
        while not self._stopping:
            started = time.monotonic()
            # The command is built by worker_command() from settings, never from input.
            self._child = subprocess.Popen(self.command)  # noqa: S603
            self.starts += 1
            self.log(f"worker started (pid {self._child.pid}, start {self.starts})")
            while self._child.poll() is None:
                if self.exit_with_parent and os.getppid() != parent:
                    self.log("the process that started the supervisor is gone: stopping")
                    self.stop()
                time.sleep(POLL_SECONDS)
            code = self._child.returncode
            if self._stopping:
                break
            ran = time.monotonic() - started
            pause = FIRST_PAUSE if ran >= GOOD_RUN_SECONDS else min(pause * 2, LONGEST_PAUSE)
            self.log(f"worker exited with {code} after {ran:.0f} s: restarting in {pause:.0f} s")
            if self.max_restarts is not None and self.starts > self.max_restarts:
                break
            deadline = time.monotonic() + pause
            while time.monotonic() < deadline and not self._stopping:
                time.sleep(min(POLL_SECONDS, pause))
        self._wait_child()
        return code

    def _wait_child(self) -> None:
        if self._child is None or self._child.poll() is not None:
            return
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()
