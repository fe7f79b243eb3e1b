"""`broadsheet referee_prepare`: load the referee's models once, so servers start fast.

Writes the toxicity model's plain copy under DATA_DIR (moderation/toxicity_cache.py) when it is
missing, as `make run` does before it starts gunicorn; a missing model is reported, not fatal.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from broadsheet.moderation import toxicity
from broadsheet.moderation.coldstart import model as coldstart


class Command(BaseCommand):
    help = "Load the referee's models once, writing the toxicity model's copy under DATA_DIR."

    def handle(self, *args, **options) -> None:
        for name, load in (("toxicity", toxicity.model), ("cold-start", coldstart.model)):
            try:
                loaded = load()
            except (toxicity.ToxicityUnavailable, coldstart.ColdStartUnavailable) as exc:
                self.stderr.write(f"the {name} model is unavailable: {exc}")
                continue
            seconds = getattr(loaded, "load_seconds", None)
            took = f" in {seconds:.2f} s" if seconds is not None else ""
            self.stdout.write(f"the {name} model is ready{took}")
