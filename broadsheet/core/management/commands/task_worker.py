"""broadsheet task_worker: run the worker the task backend needs, restarted whenever it dies."""

from __future__ import annotations

import signal

from django.core.management.base import BaseCommand

from broadsheet.core.supervisor import Supervisor, worker_command


class Command(BaseCommand):
    help = "Run (and keep running) the task worker for TASKS_BACKEND: db_worker or rqworker."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop when the process that started this one exits (make run uses it)",
        )

    def handle(self, *args, **options) -> None:
        command = worker_command()
        if command is None:
            self.stdout.write("Tasks run inside requests (TASKS_BACKEND=immediate): no worker.")
            return
        supervisor = Supervisor(
            command=command,
            log=lambda line: self.stdout.write(f"task_worker: {line}", ending="\n"),
            exit_with_parent=options["exit_with_parent"],
        )
        signal.signal(signal.SIGTERM, supervisor.stop)
        signal.signal(signal.SIGINT, supervisor.stop)
        supervisor.run()
