"""The `broadsheet` command: Django's manage.py with the project's settings preselected."""

import os
import sys


def main() -> None:
    """Run a Django management command with Broadsheet's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
