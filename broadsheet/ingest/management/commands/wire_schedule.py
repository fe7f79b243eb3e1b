"""`broadsheet wire_schedule`: start the wire desk's polling cycle unless it is already queued."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils import timezone

from broadsheet.ingest.tasks import wire_cycle_mark, wire_cycle_pending, wire_poll_due


class Command(BaseCommand):
    help = "Queue the periodic wire-polling task once (the task worker then keeps it going)."

    def handle(self, *args, **options) -> None:
        if wire_cycle_pending():
            self.stdout.write("Wire polling is already scheduled.")
            return
        wire_poll_due.enqueue()
        wire_cycle_mark(timezone.now())
        self.stdout.write("Wire polling scheduled.")
