"""broadsheet task_worker: run the worker the task backend needs, restarted whenever it dies.

`broadsheet task_worker` runs the supervisor before Django loads (broadsheet/__main__.py); this
command is the same supervisor for `broadsheet help` and for callers of call_command().
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from broadsheet.core.supervisor import main


class Command(BaseCommand):
    help = "Run (and keep running) the task worker for TASKS_BACKEND: db_worker or rqworker."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--exit-with-parent",
            action="store_true",
            help="stop when the process that started this one exits (make run uses it)",
        )

    def handle(self, *args, **options) -> None:
        main(["--exit-with-parent"] if options["exit_with_parent"] else [])
