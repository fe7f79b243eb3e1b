"""A plain copy of the BiLSTM's weights and tokenizer under DATA_DIR, read in milliseconds.

Reading the package's pickled Keras tokenizer (through the restricted unpickler) and its HDF5
weights took half a second of every server start. The first start writes what they hold to
DATA_DIR/cache/toxicity-<digest>.npz: arrays only, loaded without pickle, the tokenizer's
words as one array; the digest covers both source files, so another package version or
MODERATION_TOXICITY_MODEL_DIR never reads a stale copy. A copy that cannot be read is
ignored and written again; a DATA_DIR that cannot be written only loses the speed.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

import numpy as np
from django.conf import settings

log = logging.getLogger(__name__)
SOURCES = ("tokenizer.pickle", "model.weights.h5")
# Bump when the copy's layout changes.
LAYOUT = "1"


def path_for(model_dir: Path) -> Path:
    """Where the copy of this folder's model lives (named by the sources' SHA-256)."""
    digest = hashlib.sha256(LAYOUT.encode())
    for name in SOURCES:
        digest.update((model_dir / name).read_bytes())
    return Path(settings.DATA_DIR) / "cache" / f"toxicity-{digest.hexdigest()[:16]}.npz"


def read(path: Path) -> tuple[dict[str, np.ndarray], dict] | None:
    """The arrays and the tokenizer's settings, or None when there is no usable copy."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        tokenizer = json.loads(str(arrays.pop("tokenizer")))
        words = arrays.pop("words")
        ids = arrays.pop("ids")
    except (OSError, ValueError, KeyError) as exc:
        if path.exists():
            log.warning("ignoring the unreadable toxicity model copy %s: %s", path, exc)
        return None
    names = words.tobytes().decode("utf-8").split("\n") if len(ids) else []
    tokenizer["word_index"] = dict(zip(names, ids.tolist(), strict=True))
    return arrays, tokenizer


def write(path: Path, arrays: dict[str, np.ndarray], tokenizer: dict) -> None:
    """Store the copy atomically (a reader never sees half a file); log, never raise."""
    if any("\n" in word for word in tokenizer["word_index"]):
        return  # keras splits on newlines, so none has one; if one did, the copy could not say
    settings_only = {k: v for k, v in tokenizer.items() if k != "word_index"}
    # One UTF-8 buffer of newline-separated words: a fixed-width string array took 14 MB.
    words = np.frombuffer("\n".join(tokenizer["word_index"]).encode("utf-8"), dtype=np.uint8)
    ids = np.array(list(tokenizer["word_index"].values()), dtype=np.int32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as out:
            header = np.array(json.dumps(settings_only))
            # numpy's stubs type **kwds as allow_pickle's bool: here they are arrays by name.
            np.savez(out, tokenizer=header, words=words, ids=ids, **arrays)  # type: ignore[arg-type]
        os.replace(out.name, path)
    except OSError as exc:
        log.warning("could not keep a copy of the toxicity model in %s: %s", path.parent, exc)
