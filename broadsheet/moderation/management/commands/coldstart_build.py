"""`broadsheet coldstart_build`: retrain the shipped cold-start model from the corpus."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from broadsheet.core.progress import Progress
from broadsheet.moderation.coldstart import build


class Command(BaseCommand):
    help = (
        "Train the cold-start moderation model from the corpus's train and dev parts "
        "(deterministically) and write moderation/coldstart/model.npz and model.json."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only say whether the shipped model was built from the corpus as it is now.",
        )
        parser.add_argument(
            "--out-of-fold",
            metavar="PATH",
            help="Also write each train/dev comment's out-of-fold probabilities (JSON), for "
            "choosing thresholds (bench/moderation_thresholds.py).",
        )

    def handle(self, *args, **options):
        if options["check"]:
            if build.is_current():
                self.stdout.write("The shipped cold-start model matches the corpus.")
                return
            self.stderr.write("The corpus changed since the model was built: run coldstart_build.")
            raise SystemExit(1)
        steps = build.FOLDS + 2
        progress = Progress(self.stdout, label="Training", total=steps, unit="steps")

        def step(message: str) -> None:
            progress.label = f"Training ({message})"
            progress.advance()

        arrays, manifest, out_of_fold = build.train(step)
        progress.finish()
        written = build.write(arrays, manifest)
        if options["out_of_fold"]:
            with open(options["out_of_fold"], "w", encoding="utf-8") as handle:
                json.dump(out_of_fold, handle)
        self.stdout.write(
            f"Wrote the model: {written['kept_features']:,} features, {written['bytes']:,} bytes, "
            f"sha256 {written['sha256'][:16]}…"
        )
