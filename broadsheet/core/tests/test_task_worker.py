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


# A stand-in worker that grows to about 120 MB, then waits as an idle worker does, and stops
# on SIGTERM the way both task workers do (after the current task).
BLOATED_WORKER = """
import signal, sys, time
held = bytearray(120 * 1024 * 1024)
for i in range(0, len(held), 4096):
    held[i] = 1
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
print("ready", flush=True)
while True:
    time.sleep(0.2)
"""


def test_an_idle_worker_past_its_memory_limit_is_replaced_at_once():
    import threading

    lines: list[str] = []
    recycling = Supervisor(
        command=[sys.executable, "-c", BLOATED_WORKER],
        log=lines.append,
        recycle_mb=60,
        idle_seconds=1.0,
    )

    def stop_after_one_replacement() -> None:
        deadline = time.monotonic() + DEADLINE
        while time.monotonic() < deadline and recycling.starts < 2:
            time.sleep(0.1)
        recycling.stop()

    watcher = threading.Thread(target=stop_after_one_replacement)
    watcher.start()
    recycling.run()
    watcher.join()
    assert recycling.starts == 2 and recycling.recycled == 1
    replaced = [line for line in lines if "replacing it" in line]
    assert len(replaced) == 1 and re.match(r"worker idle at 1\d\d MB \(over 60\)", replaced[0])
    # Replaced on purpose: started again at once, not after a failure's pause.
    assert not any("restarting in" in line for line in lines)


def test_a_worker_under_its_memory_limit_is_left_alone(monkeypatch):
    lines: list[str] = []
    small = Supervisor(
        command=[sys.executable, "-c", "import time; time.sleep(2.5)"],
        log=lines.append,
        recycle_mb=500,
        idle_seconds=1.0,
        max_restarts=0,
    )
    assert small.run() == 0
    assert small.recycled == 0 and small.starts == 1
