"""`broadsheet moderation_eval`: measure the referee on labelled comments, per category."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from broadsheet.core.progress import Progress
from broadsheet.moderation import evaluation
from broadsheet.moderation.corpus import SPLITS, rows

DEFAULT_PLOTS = Path("bench") / "results" / "moderation"


class Command(BaseCommand):
    help = (
        "Judge labelled comments (JSONL files with text and category, or the shipped corpus's "
        "--split parts) as dry runs and print recall per corpus category, precision and recall "
        "per referee category and the confusion matrix; draw precision-recall curves, and "
        "optionally write the figures as JSON and a README table."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "files",
            nargs="*",
            metavar="FILE.jsonl",
            help='Labelled comments: one JSON object a line with "text" and "category" '
            '(or the old "label" and "expected").',
        )
        parser.add_argument(
            "--split",
            action="append",
            default=[],
            choices=SPLITS,
            help="Evaluate this part of the shipped corpus (repeatable).",
        )
        parser.add_argument(
            "--plots",
            type=Path,
            default=DEFAULT_PLOTS,
            metavar="DIR",
            help=f"Write the precision-recall PNGs here (default: {DEFAULT_PLOTS}/).",
        )
        parser.add_argument("--no-plots", action="store_true", help="Draw no curves.")
        parser.add_argument("--json", type=Path, metavar="PATH", help="Write every figure here.")
        parser.add_argument(
            "--readme",
            type=Path,
            metavar="PATH",
            help=f"Rewrite the table between {evaluation.README_START} and "
            f"{evaluation.README_END} in this file.",
        )

    def handle(self, *args, **options) -> None:
        files: list[str] = options["files"]
        splits: list[str] = list(dict.fromkeys(options["split"]))
        if not files and not splits:
            raise CommandError("Name a labelled FILE.jsonl or a corpus --split to evaluate.")
        try:
            if options["readme"] is not None:
                evaluation.readme_bounds(options["readme"])  # fail before judging anything
            parts = [(Path(f).stem, evaluation.read_labelled_file(Path(f))) for f in files]
        except evaluation.EvaluationError as exc:
            raise CommandError(str(exc)) from None
        parts += [(split, rows([split])) for split in splits]
        names = [name for name, _ in parts]
        if len(set(names)) != len(names):
            raise CommandError(f"Two evaluated parts share a name: {', '.join(names)}")

        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError(
                "The database is not migrated, and the referee reads its word lists and "
                "policies from it: run broadsheet migrate (make run does) first."
            )
        show_progress = options["verbosity"] > 0
        results: dict[str, dict] = {}
        for name, labelled in parts:
            bar = Progress(
                self.stdout, label=f"Judging {name}", total=len(labelled), unit="comments"
            )
            live = show_progress and bar.tty
            result, _ = evaluation.measure(labelled, progress=bar.update if live else None)
            if live:
                bar.finish()
            results[name] = result
            self.stdout.write("\n".join(evaluation.report_lines(name, result)))
            self.stdout.write("")

        command = shlex.join(
            ["broadsheet", "moderation_eval", *files]
            + [arg for split in splits for arg in ("--split", split)]
        )
        if not options["no_plots"]:
            written = [
                path
                for name, result in results.items()
                for path in evaluation.write_plots(options["plots"], name, result)
            ]
            self.stdout.write(f"Wrote {len(written)} precision-recall plots to {options['plots']}")
        if options["json"] is not None:
            options["json"].parent.mkdir(parents=True, exist_ok=True)
            options["json"].write_text(
                json.dumps({"command": command, "parts": results}, indent=2) + "\n"
            )
            self.stdout.write(f"Wrote the figures to {options['json']}")
        if options["readme"] is not None:
            try:
                evaluation.replace_readme_block(
                    options["readme"], evaluation.readme_table(results, command)
                )
            except evaluation.EvaluationError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Rewrote the figures' table in {options['readme']}")
