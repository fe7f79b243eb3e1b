"""Create the staff groups (Editors, Moderators) and grant their permissions."""

from django.core.management.base import BaseCommand

from broadsheet.accounts.roles import roles_sync


class Command(BaseCommand):
    """`broadsheet roles_sync`: safe to run again after new models or migrations."""

    help = "Create the Editors and Moderators groups and grant their permissions."

    def handle(self, *args, **options) -> None:
        for name, count in roles_sync().items():
            self.stdout.write(f"{name}: {count} permissions")
