"""The site's own spam classifier: a logistic regression trained on its moderators' decisions.

It reads the same hashed n-gram counts as the cold-start model (counted once per comment by
the referee's Context), weighted by an idf learned from the site's own decisions. A model is
stored in the database as plain arrays (an .npz, never a pickle, so loading runs no code) and
signed with an HMAC of the site's secret key, so only models this site wrote are used.
"""

from __future__ import annotations

import hmac
import io
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.utils.crypto import salted_hmac

from broadsheet.moderation.coldstart import features
from broadsheet.moderation.normalize import normalize

log = logging.getLogger(__name__)
SALT = "broadsheet.moderation.spam-model"
# How long a process trusts its idea of which stored model is current before asking the
# database again (the process that trains a model sees it at once).
RECHECK_SECONDS = 5.0


@dataclass(frozen=True)
class SpamWeights:
    """A fitted model: weights of the n-gram columns seen in training, and their idf."""

    columns: np.ndarray  # sorted hashed column numbers
    idf: np.ndarray
    coef: np.ndarray
    default_idf: float  # the idf of a column never seen in training
    intercept: float

    def logit(self, counted: tuple[np.ndarray, np.ndarray]) -> float:
        """The raw score of one text's (columns, counts)."""
        text_columns, counts = counted
        if not len(text_columns):
            return self.intercept
        where = np.minimum(np.searchsorted(self.columns, text_columns), len(self.columns) - 1)
        known = self.columns[where] == text_columns
        idf = np.where(known, self.idf[where], self.default_idf)
        # Columns never seen in training weigh nothing but still count in the text's length.
        weights = features.scaled(text_columns, np.log1p(counts) * idf)
        return self.intercept + float(weights[known] @ self.coef[where[known]])


def fit(texts: Sequence[str], labels: Sequence[bool]) -> SpamWeights:
    """Fit a class-balanced logistic regression; both classes must be present."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ValueError("the spam model needs both spam and non-spam examples")
    raw = features.counts([normalize(t) for t in texts])
    df = np.asarray((raw > 0).sum(axis=0)).ravel()
    n = len(texts)
    idf = features.smoothed_idf(df, n)
    classifier = LogisticRegression(class_weight="balanced", max_iter=1000)
    classifier.fit(features.weigh(raw, idf), [int(label) for label in labels])
    seen = np.flatnonzero(df)
    return SpamWeights(
        columns=seen.astype(np.int64),
        idf=idf[seen],
        coef=classifier.coef_[0][seen].astype(np.float32),
        default_idf=float(features.smoothed_idf(np.zeros(1), n)[0]),
        intercept=float(classifier.intercept_[0]),
    )


def sign(blob: bytes) -> str:
    """The HMAC that proves this site wrote the blob."""
    return salted_hmac(SALT, blob, algorithm="sha256").hexdigest()


def dump(model: SpamWeights) -> tuple[bytes, str]:
    """The model as compressed arrays, and its signature."""
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        columns=model.columns,
        idf=model.idf,
        coef=model.coef,
        scalars=np.array([model.default_idf, model.intercept], dtype=np.float64),
    )
    blob = buffer.getvalue()
    return blob, sign(blob)


def load(blob: bytes | memoryview, signature: str) -> SpamWeights:
    """Read a stored model if its signature is this site's; else raise ValueError."""
    blob = bytes(blob)
    if not hmac.compare_digest(sign(blob), signature):
        raise ValueError("the spam model's signature does not match this site's secret key")
    if not blob.startswith(b"PK"):
        raise ValueError("the spam model is in an older format; it is retrained on new decisions")
    with np.load(io.BytesIO(blob), allow_pickle=False) as data:
        default_idf, intercept = (float(x) for x in data["scalars"])
        return SpamWeights(data["columns"], data["idf"], data["coef"], default_idf, intercept)


def spam_probability(
    model: SpamWeights,
    texts: Sequence[str],
    *,
    normalized: Sequence[str] | None = None,
    counted: Sequence[tuple[np.ndarray, np.ndarray]] | None = None,
) -> list[float]:
    """Probability of spam for each text (pass what the caller has computed already)."""
    if counted is None:
        canonical = list(normalized) if normalized is not None else [normalize(t) for t in texts]
        counted = [features.single_counts(text) for text in canonical]
    return [float(1.0 / (1.0 + np.exp(-model.logit(c)))) for c in counted]


_cache: dict[str, object] = {}
_lock = threading.Lock()


def forget() -> None:
    """Make this process ask the database for the current model on the next comment."""
    with _lock:
        _cache.pop("checked_at", None)


def current_model() -> SpamWeights | None:
    """The latest usable stored model (loaded once per process per version), or None."""
    now = time.monotonic()
    checked_at = _cache.get("checked_at")
    if isinstance(checked_at, float) and now - checked_at < RECHECK_SECONDS:
        return _cache.get("model")  # type: ignore[return-value]
    from broadsheet.moderation import conf
    from broadsheet.moderation.models import SpamModel

    row = SpamModel.objects.only("id", "examples", "spam_examples").first()
    minimum = int(conf.get("MODERATION_SPAM_MIN_EXAMPLES"))
    with _lock:
        if row is None or row.examples < minimum or row.spam_examples in (0, row.examples):
            _cache.update(id=None, model=None, checked_at=now)
            return None
        if _cache.get("id") != row.pk:
            stored = SpamModel.objects.get(pk=row.pk)
            try:
                _cache["model"] = load(stored.blob, stored.signature)
            except (ValueError, KeyError, OSError) as exc:
                log.warning("spam model #%s not loaded: %s", row.pk, exc)
                _cache["model"] = None
            _cache["id"] = row.pk
        _cache["checked_at"] = now
        return _cache["model"]  # type: ignore[return-value]
