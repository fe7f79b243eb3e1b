"""The referee's budgets: judge() latency for one comment with every model loaded, load time,
memory.

Run: .venv/bin/python bench/moderation_budget.py
Targets (issue 10): judge() median under 5 ms and p99 under 20 ms for a single comment; every
model loaded in under 1 s; their memory under 200 MB. Uses a throwaway SQLite site with the
default word lists and a site spam model trained from 400 of the corpus's train comments, so
every rule runs. Writes bench/results/moderation_budget.json.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.moderation_eval import setup_django  # noqa: E402

RESULT = ROOT / "bench" / "results" / "moderation_budget.json"
LOAD = """
import os, time, json
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
def rss_mb():
    with open("/proc/self/status") as status:
        line = next(l for l in status if l.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024
import django; django.setup()
before = rss_mb()
started = time.perf_counter()
from broadsheet.moderation import toxicity
from broadsheet.moderation.coldstart import model
toxicity.model(); model.model()
import sklearn.linear_model  # what training the site's spam model needs
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "rss_mb": rss_mb() - before}))
"""


def cold_load() -> dict:
    """Load every model in a fresh interpreter (what a new app process pays), three times."""
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", LOAD], capture_output=True, text=True, check=True, cwd=ROOT
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "seconds_median": round(statistics.median(r["seconds"] for r in runs), 3),
        "memory_mb_median": round(statistics.median(r["rss_mb"] for r in runs), 1),
    }


def train_site_spam_model() -> None:
    from broadsheet.moderation import corpus
    from broadsheet.moderation.services import spam_model_train, training_example_record

    rows = corpus.rows(["train"])
    spam = [r for r in rows if r["category"] == "spam"][:150]
    other = [r for r in rows if r["category"] != "spam"][:250]
    for i, row in enumerate(spam + other):
        training_example_record(
            text=row["text"], is_spam=row["category"] == "spam", object_key=f"bench:{i}"
        )
    spam_model_train()


def judge_latency() -> dict:
    from broadsheet.moderation import corpus, spam
    from broadsheet.moderation.judge import configured_rules, judge
    from broadsheet.moderation.verdicts import Submission

    assert spam.current_model() is not None, "the site spam model should be in use"
    texts = [r["text"] for r in corpus.rows(["heldout"])][:600]
    for text in texts[:20]:  # warm: models loaded, word lists compiled
        judge(Submission(text=text, dry_run=True))
    times = []
    for text in texts:
        started = time.perf_counter()
        judge(Submission(text=text, author_name="reader", ip_hash="x", dry_run=True))
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "comments": len(times),
        "rules": [rule.name for rule in configured_rules()],
        "median_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[int(len(times) * 0.99) - 1], 2),
        "max_ms": round(times[-1], 2),
    }


def main() -> None:
    setup_django()
    train_site_spam_model()
    result = {
        "load": cold_load(),
        "judge": judge_latency(),
        "load_average": os.getloadavg(),
        "peak_rss_mb_this_process": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
    }
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
