"""`broadsheet moderation_eval` on a small labelled file, judged by the word-list and link rules.

The cold-start model is switched off and only rules with fixed outcomes run, so every figure
below follows from the default word lists, not from a trained model's numbers.
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from broadsheet.moderation.evaluation import evaluate, labelled_row

pytestmark = pytest.mark.django_db

ROWS = [
    {"text": "Thanks for the clear explanation of the new rail fares.", "category": "civil"},
    {"text": "Does anyone know when the council publishes the minutes?", "category": "civil"},
    {"text": "I disagree with the columnist, but the figures are sourced.", "category": "civil"},
    {"text": "I felt like an idiot for missing the last train home.", "category": "civil"},
    {"text": "What an idiotic take on the budget.", "category": "mild_insult"},
    {"text": "You are an idiot and everyone here knows it.", "category": "insult"},
    {"text": "Only a moron would write this garbage.", "category": "insult"},
    {"text": "You clearly never read past the headline, genius.", "category": "insult"},
    {
        "text": "Earn cash from home! http://a.example http://b.example http://c.example",
        "category": "spam",
    },
]
RULES = [
    "broadsheet.moderation.rules.LinkCountRule",
    "broadsheet.moderation.word_lists.WordListRule",
]


@pytest.fixture(autouse=True)
def fixed_rules(monkeypatch):
    """Rules whose outcomes follow from the word lists and link count alone."""
    monkeypatch.setattr("broadsheet.moderation.rules.Context.coldstart", property(lambda s: None))
    with override_settings(MODERATION_RULES=RULES):
        yield


@pytest.fixture
def labelled(tmp_path):
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS) + "\n")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("moderation_eval", *map(str, args), stdout=out)
    return out.getvalue()


def lines_of(output: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines()]


def test_prints_figures_per_category_and_the_confusion_matrix(labelled, tmp_path):
    output = run(labelled, "--plots", tmp_path / "plots")
    rows = lines_of(output)
    assert ["civil", "4", "1", "false", "holds", "25.0%"] in rows
    assert ["mild_insult", "1", "1", "100.0%"] in rows
    assert ["insult", "3", "2", "66.7%"] in rows
    assert ["spam", "1", "1", "100.0%"] in rows
    # Referee categories: n, named, precision, recall (flagged), recall (named).
    assert ["insult", "4", "4", "75.0%", "75.0%", "75.0%"] in rows
    assert ["spam", "1", "1", "100.0%", "100.0%", "100.0%"] in rows
    assert "hold categories together: recall 80.0% (4/5)" in output
    assert "spam: recall 100.0% (1/1)" in output
    assert "civil: held 25.0% (1/4)" in output
    header = "allow insult identity_attack sexual threat spam other".split()
    assert header in rows
    matrix = {r[0]: [int(n) for n in r[1:]] for r in rows[rows.index(header) + 1 :][:4]}
    assert matrix == {
        "civil": [3, 1, 0, 0, 0, 0, 0],
        "mild_insult": [0, 1, 0, 0, 0, 0, 0],
        "insult": [1, 2, 0, 0, 0, 0, 0],
        "spam": [0, 0, 0, 0, 0, 1, 0],
    }


def test_writes_a_precision_recall_png_per_referee_category(labelled, tmp_path):
    plots = tmp_path / "plots"
    run(labelled, "--plots", plots)
    names = sorted(p.name for p in plots.iterdir())
    assert names == [
        f"small-{c}.png" for c in sorted(("insult", "identity_attack", "sexual", "threat", "spam"))
    ]
    for path in plots.iterdir():
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_json_holds_every_figure(labelled, tmp_path):
    target = tmp_path / "out" / "figures.json"
    run(labelled, "--no-plots", "--json", target)
    data = json.loads(target.read_text())
    small = data["parts"]["small"]
    assert small["corpus_categories"]["civil"] == {"n": 4, "flagged": 1, "false_hold_rate": 0.25}
    assert small["referee_categories"]["insult"]["precision"] == 0.75
    assert small["confusion"]["rows"]["insult"]["allow"] == 1
    assert small["curves"]["insult"]["positives"] == 4
    assert small["curves"]["insult"]["operating_point"] == {"precision": 0.75, "recall": 0.75}
    assert data["command"].startswith("broadsheet moderation_eval ")


def test_readme_block_is_replaced(labelled, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Referee\n\nBefore.\n<!-- moderation-eval:start -->\nold table\n"
        "<!-- moderation-eval:end -->\nAfter.\n"
    )
    run(labelled, "--no-plots", "--readme", readme)
    text = readme.read_text()
    assert "old table" not in text
    assert text.startswith("# Referee\n\nBefore.\n<!-- moderation-eval:start -->\n")
    assert text.endswith("<!-- moderation-eval:end -->\nAfter.\n")
    assert "| category | small |" in text
    assert "| civil (held %) | 25.0% (1/4) |" in text
    assert "| insult | 66.7% (2/3) |" in text
    assert f"Produced by `broadsheet moderation_eval {labelled}`." in text


def test_readme_without_markers_fails_before_judging(labelled, tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# Referee\nno markers here\n")
    with pytest.raises(CommandError, match="moderation-eval:start"):
        run(labelled, "--no-plots", "--readme", readme)
    assert readme.read_text() == "# Referee\nno markers here\n"


def test_bad_json_line_names_its_number(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n\n{not json\n")
    with pytest.raises(CommandError, match=r"bad\.jsonl, line 3: bad JSON"):
        run(path, "--no-plots")


def test_unknown_category_and_missing_file_are_clear_errors(tmp_path):
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"text": "Hello.", "category": "rude"}) + "\n")
    with pytest.raises(CommandError, match=r"line 1: unknown category 'rude'"):
        run(path, "--no-plots")
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.jsonl", "--no-plots")
    with pytest.raises(CommandError, match="Name a labelled FILE"):
        run("--no-plots")


def test_old_format_rows_map_expected_to_a_category():
    assert labelled_row({"text": "x", "label": "critical", "expected": "allow"})["category"] == (
        "civil"
    )
    assert labelled_row({"text": "x", "label": "harassment", "expected": "hold"})["category"] == (
        "other"
    )
    assert labelled_row({"text": "x", "label": "threat", "expected": "hold"})["category"] == (
        "threat"
    )


def test_evaluate_still_reports_the_old_labelled_format():
    report = evaluate(
        [
            {"text": ROWS[0]["text"], "label": "civil", "expected": "allow"},
            {"text": ROWS[5]["text"], "label": "insult", "expected": "hold"},
        ]
    )
    assert report["overall"]["precision"] == 1.0
    assert report["overall"]["recall"] == 1.0
    assert report["per_label"]["civil"]["allowed_rate"] == 1.0
