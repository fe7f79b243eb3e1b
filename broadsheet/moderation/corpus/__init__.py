"""The project's labelled comment corpus: loading, the fixed-seed split, generated variants.

The corpus is written by the project (one JSONL file per topic area in this folder). Each row
has an id, text, category, expected decision and a kind. `rows()` adds the split:

- train (60%) and dev (20%): the cold-start classifier learns from both; its calibration and
  every threshold are chosen on their out-of-fold scores (coldstart/build.py,
  bench/moderation_thresholds.py);
- heldout (20%): never used to fit, calibrate or tune anything, nor read while writing rules;
  only measured (broadsheet moderation_eval --split heldout).

The split is a hash of the row's group (its own id; a generated variant shares its source's
group, so a disguised copy never lands in another part than its original) with a fixed seed.
Generated disguised copies (`variant()`, see disguise.py) are added to a share of the rows at
load, deterministically; they carry "generated": true.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from broadsheet.moderation.corpus.disguise import disguise_text

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


# Share of written rows that also get a generated disguised copy, by category.
VARIANT_SHARE = {"civil": 0.08}
VARIANT_SHARE_HELD = 0.3
# Words evaders disguise first; other long words are disguised at random too.
TRIGGER_WORDS = frozenset(
    """idiot idiots moron morons fool fools clown clowns troll trolls scum vermin pigs rats
    parasites animals savages filth whore slut bitch bastard cunt fuck fucking shit kill shot
    die dead hang burn rape sexy hot body bed money cash profit bitcoin crypto whatsapp telegram
    invest earn income loan spell""".split()
)


def variant(row: dict) -> dict | None:
    """A disguised copy of a written row, or None: drawn from a generator seeded by its id."""
    rng = random.Random(f"{SEED}:variant:{row['id']}")  # noqa: S311 - test data, not security
    share = VARIANT_SHARE.get(row["category"], VARIANT_SHARE_HELD)
    if rng.random() >= share:
        return None
    text = disguise_text(row["text"], set(TRIGGER_WORDS), rng)
    if text == row["text"]:
        return None
    return {
        **row,
        "id": f"{row['id']}~disguised",
        "text": text,
        "kind": f"{row.get('kind', '')} generated disguise".strip(),
        "generated": True,
    }


@lru_cache(maxsize=1)
def _all_rows() -> tuple[dict, ...]:
    rows = []
    for path in written_files():
        for row in read_jsonl(path):
            row.setdefault("group", row["id"])
            row["split"] = split_of(row["group"])
            rows.append(row)
            copy = variant(row)
            if copy is not None:
                rows.append(copy)
    return tuple(rows)


def rows(splits: Iterable[str] = SPLITS) -> list[dict]:
    """The corpus rows of the given parts (copies: callers may change them)."""
    wanted = set(splits)
    unknown = wanted - set(SPLITS)
    if unknown:
        raise ValueError(f"unknown corpus split(s): {', '.join(sorted(unknown))}")
    return [dict(row) for row in _all_rows() if row["split"] in wanted]
