"""The project's labelled comment corpus: loading, the fixed-seed split, generated variants.

The corpus is written by the project (one JSONL file per topic area in this folder). Each row
has an id, text, category, expected decision and a kind. `rows()` adds the split:

- train (60%): the cold-start classifier learns from it;
- dev (20%): probability calibration and every threshold are chosen on it;
- heldout (20%): never used to fit, calibrate or tune anything; only measured.

The split is a hash of the row's group (its own id; a generated variant shares its source's
group, so a disguised copy never lands in another part than its original) with a fixed seed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = "broadsheet-corpus-v1"
SPLITS = ("train", "dev", "heldout")
CATEGORIES = ("civil", "mild_insult", "insult", "identity_attack", "sexual", "threat", "spam")


def split_of(group: str) -> str:
    """The part a group belongs to: a fixed-seed hash, so adding rows never moves old ones."""
    bucket = int(hashlib.sha256(f"{SEED}:{group}".encode()).hexdigest()[:8], 16) % 100
    if bucket < 60:
        return "train"
    return "dev" if bucket < 80 else "heldout"


def written_files() -> list[Path]:
    """The hand-written parts, in a stable order."""
    return sorted(HERE.glob("*.jsonl"))


def read_jsonl(path: Path) -> list[dict]:
    """Read one JSONL file (blank lines skipped)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@lru_cache(maxsize=1)
def _all_rows() -> tuple[dict, ...]:
    rows = []
    for path in written_files():
        for row in read_jsonl(path):
            row.setdefault("group", row["id"])
            row["split"] = split_of(row["group"])
            rows.append(row)
    return tuple(rows)


def rows(splits: Iterable[str] = SPLITS) -> list[dict]:
    """The corpus rows of the given parts (copies: callers may change them)."""
    wanted = set(splits)
    unknown = wanted - set(SPLITS)
    if unknown:
        raise ValueError(f"unknown corpus split(s): {', '.join(sorted(unknown))}")
    return [dict(row) for row in _all_rows() if row["split"] in wanted]
