"""`broadsheet referee_prepare`: load the referee's models once, so servers start fast.

Writes the toxicity model's plain copy under DATA_DIR (moderation/toxicity_cache.py) when it is
missing, as `make run` does before it starts gunicorn; a missing model is reported, not fatal.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from broadsheet.moderation.coldstart.model import ColdStartUnavailable
from broadsheet.moderation.preload import models_load
from broadsheet.moderation.toxicity import ToxicityUnavailable


class Command(BaseCommand):
    help = "Load the referee's models once, writing the toxicity model's copy under DATA_DIR."

    def handle(self, *args, **options) -> None:
        for name, loaded in models_load():
            if isinstance(loaded, (ToxicityUnavailable, ColdStartUnavailable)):
                self.stderr.write(f"the {name} model is unavailable: {loaded}")
                continue
            if isinstance(loaded, Exception):
                raise loaded
            seconds = getattr(loaded, "load_seconds", None)
            took = f" in {seconds:.2f} s" if seconds is not None else ""
            self.stdout.write(f"the {name} model is ready{took}")
