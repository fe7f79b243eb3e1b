"""Measure the configured referee on labelled comments: figures, precision-recall curves, README.

Used by `broadsheet moderation_eval`, bench/moderation_eval.py and the tests. A labelled row has
a text and a corpus category (corpus.CATEGORIES); the old labelled sets' rows (a "label" and an
"expected" decision) are read too (`labelled_row`). Every row is judged as a dry run, 64 at a
time through `judge_many`, with a fresh author name so no rule counts one row against another.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from broadsheet.moderation.corpus import CATEGORIES
from broadsheet.moderation.judge import judge_many
from broadsheet.moderation.verdicts import Decision, Submission, Verdict

LABELLED_SET = Path(__file__).resolve().parent / "tests" / "data" / "labelled_comments.jsonl"
ACCEPTABLE = {"civil", "critical"}
BATCH = 64

# A corpus category's referee category (the one a verdict should name); civil names none.
# "other" is a held row of the old format whose kind of abuse is not one of CATEGORIES.
REFEREE_CATEGORY = {
    "civil": "",
    "mild_insult": "insult",
    "insult": "insult",
    "identity_attack": "identity_attack",
    "sexual": "sexual",
    "threat": "threat",
    "spam": "spam",
    "other": "other",
}
REFEREE_CATEGORIES = ("insult", "identity_attack", "sexual", "threat", "spam", "other")
# The categories the cold-start model scores: each gets a precision-recall curve.
SCORED_CATEGORIES = ("insult", "identity_attack", "sexual", "threat", "spam")
VERDICT_COLUMNS = ("allow", *REFEREE_CATEGORIES)
README_START = "<!-- moderation-eval:start -->"
README_END = "<!-- moderation-eval:end -->"
SPLIT_COLUMNS = {
    "train": "train (learned from)",
    "dev": "dev (learned from)",
    "heldout": "held-out (never tuned on)",
}


class EvaluationError(ValueError):
    """A labelled file or README the evaluation cannot use; the message says where and why."""


# Reading labelled rows ---------------------------------------------------------------------


def labelled_row(data: object, *, where: str = "row") -> dict:
    """A row with "text" and a corpus "category", from the corpus format or the old one.

    The old format ("label", "expected") keeps a label that is a corpus category, else maps
    expected allow → civil and hold/reject → "other".
    """
    if not isinstance(data, dict):
        raise EvaluationError(f"{where}: expected a JSON object")
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise EvaluationError(f'{where}: needs a non-empty "text" string')
    if "category" in data:
        category = data["category"]
        if category not in CATEGORIES:
            raise EvaluationError(
                f"{where}: unknown category {category!r} (expected one of {', '.join(CATEGORIES)})"
            )
    elif "expected" in data or "label" in data:
        label, expected = data.get("label"), data.get("expected")
        if label in CATEGORIES:
            category = label
        elif expected == "allow":
            category = "civil"
        elif expected in ("hold", "reject"):
            category = "other"
        else:
            raise EvaluationError(
                f'{where}: unknown label {label!r} with expected {expected!r} (expected "allow", '
                f'"hold" or "reject")'
            )
    else:
        raise EvaluationError(f'{where}: needs a "category" (or the old "label" and "expected")')
    return {**data, "text": text, "category": category}


def read_labelled_file(path: Path) -> list[dict]:
    """Read a labelled JSONL file, naming the file and line of anything it cannot use."""
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError:
        raise EvaluationError(f"{path}: no such file") from None
    except OSError as exc:
        raise EvaluationError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    rows = []
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}, line {number}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvaluationError(f"{where}: bad JSON ({exc.msg})") from None
            rows.append(labelled_row(data, where=where))
    if not rows:
        raise EvaluationError(f"{path}: no rows")
    return rows


def labelled_rows(path: Path = LABELLED_SET) -> list[dict]:
    """Read the old labelled set: one JSON object per line with text, label and expected."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# Judging -----------------------------------------------------------------------------------


def judge_rows(
    rows: Sequence[dict], *, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Verdict], float]:
    """Judge every row's text as a dry run, BATCH at a time; the verdicts and the seconds."""
    verdicts: list[Verdict] = []
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        verdicts += judge_many(
            [
                Submission(text=row["text"], author_name=f"reader{start + i}", dry_run=True)
                for i, row in enumerate(chunk)
            ]
        )
        if progress is not None:
            progress(len(verdicts), len(rows))
    return verdicts, time.perf_counter() - started


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def verdict_column(verdict: Verdict) -> str:
    """The confusion matrix's column for a verdict: allow, or the category it names."""
    if verdict.decision == Decision.ALLOW:
        return "allow"
    category = verdict.category
    return category if category in REFEREE_CATEGORIES else "other"


def category_score(verdict: Verdict, category: str) -> float:
    """How strongly the verdict points at category: the cold-start probability, or 1.0 when a
    holding or rejecting reason named it."""
    probability = float(verdict.scores.get(f"coldstart_{category}", 0.0) or 0.0)
    fired = any(r.decision != Decision.ALLOW and r.category == category for r in verdict.reasons)
    return max(probability, 1.0 if fired else 0.0)


# Figures -----------------------------------------------------------------------------------


def figures(rows: Sequence[dict], verdicts: Sequence[Verdict], *, seconds: float = 0.0) -> dict:
    """Every figure for rows (with a corpus "category") and their verdicts."""
    present = [c for c in (*CATEGORIES, "other") if any(r["category"] == c for r in rows)]
    confusion = {c: dict.fromkeys(VERDICT_COLUMNS, 0) for c in present}
    corpus: dict[str, dict] = {}
    for row, verdict in zip(rows, verdicts, strict=True):
        confusion[row["category"]][verdict_column(verdict)] += 1
    for category in present:
        cells = confusion[category]
        n = sum(cells.values())
        flagged = n - cells["allow"]
        stats: dict = {"n": n, "flagged": flagged}
        stats["false_hold_rate" if category == "civil" else "recall"] = _ratio(flagged, n)
        corpus[category] = stats

    referee: dict[str, dict] = {}
    for category in REFEREE_CATEGORIES:
        truths = [c for c in present if REFEREE_CATEGORY[c] == category]
        named = sum(confusion[c][category] for c in present)
        correct = sum(confusion[c][category] for c in truths)
        n = sum(corpus[c]["n"] for c in truths)
        flagged = sum(corpus[c]["flagged"] for c in truths)
        if not n and not named:
            continue
        referee[category] = {
            "n": n,
            "named": named,
            "precision": _ratio(correct, named),
            "recall_flagged": _ratio(flagged, n),
            "recall_named": _ratio(correct, n),
        }

    held = [c for c in present if c != "civil"]
    held_n = sum(corpus[c]["n"] for c in held)
    held_flagged = sum(corpus[c]["flagged"] for c in held)
    civil = corpus.get("civil", {"n": 0, "flagged": 0})
    spam = corpus.get("spam", {"n": 0, "flagged": 0})
    return {
        "n": len(rows),
        "seconds": round(seconds, 4),
        "ms_per_comment": round(seconds * 1000 / max(len(rows), 1), 3),
        "corpus_categories": corpus,
        "referee_categories": referee,
        "summary": {
            "hold_n": held_n,
            "hold_flagged": held_flagged,
            "hold_recall": _ratio(held_flagged, held_n),
            "spam_n": spam["n"],
            "spam_flagged": spam["flagged"],
            "spam_recall": _ratio(spam["flagged"], spam["n"]),
            "civil_n": civil["n"],
            "civil_held": civil["flagged"],
            "civil_held_rate": _ratio(civil["flagged"], civil["n"]),
        },
        "confusion": {"columns": list(VERDICT_COLUMNS), "rows": confusion},
        "curves": curves(rows, verdicts, referee),
    }


def curves(rows: Sequence[dict], verdicts: Sequence[Verdict], referee: dict) -> dict:
    """Per scored category: the precision-recall curve of category_score, its AP, and the
    referee's operating point (precision and named recall of its decisions)."""
    from sklearn.metrics import average_precision_score, precision_recall_curve

    result = {}
    for category in SCORED_CATEGORIES:
        truth = [REFEREE_CATEGORY[r["category"]] == category for r in rows]
        scores = [category_score(v, category) for v in verdicts]
        point = referee.get(category, {})
        entry: dict = {
            "positives": sum(truth),
            "average_precision": None,
            "precision": [],
            "recall": [],
            "operating_point": {
                "precision": point.get("precision"),
                "recall": point.get("recall_named"),
            },
        }
        if any(truth) and not all(truth):
            precision, recall, _ = precision_recall_curve(truth, scores)
            entry["average_precision"] = round(float(average_precision_score(truth, scores)), 4)
            entry["precision"] = [round(float(p), 4) for p in precision]
            entry["recall"] = [round(float(r), 4) for r in recall]
        result[category] = entry
    return result


def measure(
    rows: Sequence[dict], *, progress: Callable[[int, int], None] | None = None
) -> tuple[dict, list[Verdict]]:
    """Judge labelled rows and return their figures (and the verdicts)."""
    verdicts, seconds = judge_rows(rows, progress=progress)
    return figures(rows, verdicts, seconds=seconds), verdicts


# Output ------------------------------------------------------------------------------------


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def report_lines(name: str, result: dict) -> list[str]:
    """The printed report of one evaluated part."""
    lines = [f"== {name}: {result['n']} comments, {result['ms_per_comment']} ms/comment =="]
    lines.append(f"{'corpus category':18}{'n':>6}{'flagged':>9}  recall")
    for category, stats in result["corpus_categories"].items():
        if category == "civil":
            figure = f"false holds {_percent(stats['false_hold_rate'])}"
        else:
            figure = _percent(stats["recall"])
        lines.append(f"{category:18}{stats['n']:>6}{stats['flagged']:>9}  {figure}")
    lines.append("")
    lines.append(
        f"{'referee category':18}{'n':>6}{'named':>7}{'precision':>11}"
        f"{'recall (flagged)':>18}{'recall (named)':>16}"
    )
    for category, stats in result["referee_categories"].items():
        lines.append(
            f"{category:18}{stats['n']:>6}{stats['named']:>7}{_percent(stats['precision']):>11}"
            f"{_percent(stats['recall_flagged']):>18}{_percent(stats['recall_named']):>16}"
        )
    s = result["summary"]
    lines += [
        "",
        f"hold categories together: recall {_percent(s['hold_recall'])} "
        f"({s['hold_flagged']}/{s['hold_n']})",
        f"spam: recall {_percent(s['spam_recall'])} ({s['spam_flagged']}/{s['spam_n']})",
        f"civil: held {_percent(s['civil_held_rate'])} ({s['civil_held']}/{s['civil_n']})",
        "",
        "confusion (rows: true category; columns: verdict)",
    ]
    columns = result["confusion"]["columns"]
    widths = [max(len(c), 5) + 1 for c in columns]
    lines.append(f"{'':18}" + "".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for category, cells in result["confusion"]["rows"].items():
        lines.append(
            f"{category:18}"
            + "".join(f"{cells[c]:>{w}}" for c, w in zip(columns, widths, strict=True))
        )
    for category, curve in result["curves"].items():
        if curve["average_precision"] is not None:
            lines.append(f"AP {category}: {curve['average_precision']:.3f}")
    return lines


def write_plots(directory: Path, name: str, result: dict) -> list[Path]:
    """One precision-recall PNG per scored category, with the referee's operating point."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for category, curve in result["curves"].items():
        figure = Figure(figsize=(5, 4), dpi=100)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        if curve["recall"]:
            axes.step(curve["recall"], curve["precision"], where="post", label="score threshold")
        point = curve["operating_point"]
        if point["precision"] is not None and point["recall"] is not None:
            axes.plot(
                [point["recall"]], [point["precision"]], "o", color="#D55E00", label="referee"
            )
        ap = curve["average_precision"]
        ap_text = "n/a" if ap is None else f"{ap:.3f}"
        axes.set_title(f"{category}: AP {ap_text} ({name}, {curve['positives']} positives)")
        axes.set_xlabel("recall")
        axes.set_ylabel("precision")
        axes.set_xlim(0, 1.02)
        axes.set_ylim(0, 1.02)
        axes.grid(True, alpha=0.3)
        if axes.get_legend_handles_labels()[0]:
            axes.legend(loc="lower left")
        figure.tight_layout()
        path = directory / f"{name}-{category}.png"
        figure.savefig(path, format="png")
        written.append(path)
    return written


def column_title(name: str) -> str:
    """A README column's heading for an evaluated part."""
    return SPLIT_COLUMNS.get(name, name)


def readme_table(results: dict[str, dict], command: str) -> str:
    """The markdown table: one row per corpus category, recall (civil: held %) per part."""
    names = list(results)
    categories = [
        c
        for c in (*CATEGORIES, "other")
        if any(c in r["corpus_categories"] for r in results.values())
    ]
    lines = [
        "| category | " + " | ".join(column_title(n) for n in names) + " |",
        "|---|" + "---:|" * len(names),
    ]
    for category in categories:
        cells = []
        for name in names:
            stats = results[name]["corpus_categories"].get(category)
            if stats is None:
                cells.append("")
                continue
            figure = stats["false_hold_rate"] if category == "civil" else stats["recall"]
            cells.append(f"{_percent(figure)} ({stats['flagged']}/{stats['n']})")
        title = "civil (held %)" if category == "civil" else category
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    together = []
    for name in names:
        s = results[name]["summary"]
        together.append(f"{_percent(s['hold_recall'])} ({s['hold_flagged']}/{s['hold_n']})")
    lines.append("| **every hold category together** | " + " | ".join(together) + " |")
    lines += ["", f"Produced by `{command}`."]
    return "\n".join(lines)


def readme_bounds(path: Path) -> tuple[list[str], int, int]:
    """The README's lines and the indexes of its start and end marker lines."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise EvaluationError(f"{path}: no such file") from None
    lines = text.splitlines(keepends=True)
    marks = [line.strip() for line in lines]
    if README_START not in marks or README_END not in marks:
        raise EvaluationError(
            f"{path}: needs the lines {README_START} and {README_END} around the figures' block"
        )
    start, end = marks.index(README_START), marks.index(README_END)
    if end < start:
        raise EvaluationError(f"{path}: {README_END} comes before {README_START}")
    return lines, start, end


def replace_readme_block(path: Path, block: str) -> None:
    """Rewrite what stands between README_START and README_END lines in path with block."""
    lines, start, end = readme_bounds(path)
    body = [line + "\n" for line in block.splitlines()]
    path.write_text("".join(lines[: start + 1] + body + lines[end:]), encoding="utf-8")


# The old labelled sets' report (test_evaluation.py, bench) ---------------------------------


def evaluate(rows: Iterable[dict]) -> dict:
    """Judge every row as a dry run and return precision/recall overall and per label.

    Rows have "label" and "expected" (or a corpus "category"). A comment counts as flagged when
    held or rejected; "positive" rows are those whose expected decision is not allow.
    """
    rows = list(rows)
    verdicts, seconds = judge_rows(rows)
    per_label: dict[str, dict] = {}
    tp = fp = fn = tn = 0
    mistakes = []
    for row, verdict in zip(rows, verdicts, strict=True):
        label = row.get("label") or row["category"]
        expected = row.get("expected") or ("allow" if label == "civil" else "hold")
        flagged = verdict.decision != Decision.ALLOW
        positive = expected != "allow"
        tp += flagged and positive
        fp += flagged and not positive
        fn += positive and not flagged
        tn += not positive and not flagged
        stats = per_label.setdefault(label, {"n": 0, "flagged": 0, "rejected": 0})
        stats["n"] += 1
        stats["flagged"] += flagged
        stats["rejected"] += verdict.decision == Decision.REJECT
        if flagged != positive:
            mistakes.append(
                {
                    "text": row["text"],
                    "label": label,
                    "decision": verdict.decision.value,
                    "rules": list(verdict.rules),
                    "toxic": verdict.scores.get("toxic"),
                }
            )
    for label, stats in per_label.items():
        if label in ACCEPTABLE:
            # Every flag on an acceptable comment is a false positive.
            stats["allowed_rate"] = _ratio(stats["n"] - stats["flagged"], stats["n"])
        else:
            stats["recall"] = _ratio(stats["flagged"], stats["n"])
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision and recall else None
    return {
        "n": len(rows),
        "overall": {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "true_positive": tp,
            "false_positive": fp,
            "false_negative": fn,
            "true_negative": tn,
        },
        "per_label": dict(sorted(per_label.items())),
        "seconds": round(seconds, 4),
        "ms_per_comment": round(seconds * 1000 / max(len(rows), 1), 3),
        "mistakes": mistakes,
    }
