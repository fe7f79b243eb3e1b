"""The `broadsheet` command: Django's manage.py with the project's settings preselected."""

import os
import sys


def main() -> None:
    """Run a Django management command with Broadsheet's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
    if sys.argv[1:2] == ["task_worker"] and "--help" not in sys.argv:
        # The supervisor only starts and restarts a worker: it stays small without Django.
        from broadsheet.core.supervisor import main as supervise

        sys.exit(supervise(sys.argv[2:]))
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
