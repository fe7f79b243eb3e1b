"""The supervised task worker: the real worker, killed, comes back; the supervisor stops cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest

from broadsheet.core import supervisor
from broadsheet.core.supervisor import Supervisor, worker_command
from broadsheet.core.tests.servers import BIN, NOT_DEFAULT, broadsheet_command, server_env

DEADLINE = 60


def test_the_rq_worker_uses_the_job_class_that_runs_django_tasks():
    command = worker_command("rq")
    assert command[-6:-1] == [
        "rqworker",
        "default",
        "--job-class",
        "django_tasks_rq.backend.Job",
        "--with-scheduler",
    ]
    assert worker_command("database")[-4:] == ["db_worker", "--interval", "1", "--skip-checks"]
    assert worker_command("immediate") is None


def test_a_worker_that_keeps_failing_is_restarted_with_growing_pauses(monkeypatch):
    monkeypatch.setattr(supervisor, "FIRST_PAUSE", 0.05)
    lines: list[str] = []
    failing = Supervisor(
        command=[sys.executable, "-c", "raise SystemExit(3)"], log=lines.append, max_restarts=3
    )

    assert failing.run() == 3
    assert failing.starts == 4
    pauses = [float(m) for m in re.findall(r"restarting in ([\d.]+) s", "\n".join(lines))]
    assert len(pauses) == 4 and pauses == sorted(pauses)


def _wait_for(process: subprocess.Popen, pattern: str, seen: list[str]) -> re.Match:
    deadline = time.monotonic() + DEADLINE
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        found = re.search(pattern, line)
        if found:
            return found
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"never saw {pattern!r} in {''.join(seen)}")


def test_the_database_worker_killed_with_sigkill_is_started_again(tmp_path):
    env = server_env(data_dir=str(tmp_path), drop=NOT_DEFAULT, TASKS_BACKEND="database")
    broadsheet_command(env, "migrate", "--noinput", "-v0")
    process = subprocess.Popen(
        [str(BIN / "broadsheet"), "task_worker"],
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen: list[str] = []
    try:
        first = int(_wait_for(process, r"worker started \(pid (\d+), start 1\)", seen).group(1))
        os.kill(first, signal.SIGKILL)
        second = int(_wait_for(process, r"worker started \(pid (\d+), start 2\)", seen).group(1))
        assert second != first
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=DEADLINE) == 0
        with pytest.raises(ProcessLookupError):
            os.kill(second, 0)  # the worker went with its supervisor
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
