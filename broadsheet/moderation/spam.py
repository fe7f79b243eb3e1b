"""The site's own spam classifier: scikit-learn, trained on its moderators' decisions.

Models are pickled into the database and signed with an HMAC of the site's secret key; a blob
whose signature does not verify is never unpickled, so only models this site wrote are loaded.
"""

from __future__ import annotations

import hmac
import io
import logging
import pickle  # noqa: S403 - only after the HMAC check below
import threading
from collections.abc import Sequence

import numpy as np
from django.utils.crypto import salted_hmac

from broadsheet.moderation.normalize import normalize

log = logging.getLogger(__name__)
SALT = "broadsheet.moderation.spam-model"


def build_pipeline():
    """Word and character n-grams into a class-balanced logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    # Texts arrive normalized (fit() and the referee's Context normalize them once), so the
    # vectorizers do not normalize again.
    features = make_union(
        TfidfVectorizer(lowercase=False, ngram_range=(1, 2), sublinear_tf=True, min_df=1),
        TfidfVectorizer(lowercase=False, analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
    )
    return make_pipeline(features, LogisticRegression(class_weight="balanced", max_iter=1000))


def fit(texts: Sequence[str], labels: Sequence[bool]):
    """Fit a fresh pipeline; both classes must be present."""
    if len(set(labels)) < 2:
        raise ValueError("the spam model needs both spam and non-spam examples")
    pipeline = build_pipeline()
    pipeline.fit([normalize(t) for t in texts], [int(label) for label in labels])
    return pipeline


def sign(blob: bytes) -> str:
    """The HMAC that proves this site wrote the blob."""
    return salted_hmac(SALT, blob, algorithm="sha256").hexdigest()


def dump(pipeline) -> tuple[bytes, str]:
    """Pickle a fitted pipeline and sign it."""
    buffer = io.BytesIO()
    pickle.dump(pipeline, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    blob = buffer.getvalue()
    return blob, sign(blob)


def load(blob: bytes, signature: str):
    """Unpickle a pipeline only if its signature is this site's; else raise ValueError."""
    if not hmac.compare_digest(sign(bytes(blob)), signature):
        raise ValueError("the spam model's signature does not match this site's secret key")
    return pickle.loads(bytes(blob))  # noqa: S301 - signature verified above


def spam_probability(
    pipeline, texts: Sequence[str], *, normalized: Sequence[str] | None = None
) -> list[float]:
    """Probability of spam for each text (pass `normalized` when the caller has it already)."""
    canonical = list(normalized) if normalized is not None else [normalize(t) for t in texts]
    union, classifier = pipeline.steps[0][1], pipeline.steps[-1][1]
    if len(pipeline.steps) != 2 or not hasattr(union, "transformer_list"):
        return [float(p) for p in pipeline.predict_proba(canonical)[:, 1]]
    # The same arithmetic as predict_proba without scikit-learn's per-call input checks, which
    # cost more than the model itself on one comment.
    from scipy import sparse

    features = sparse.hstack([v.transform(canonical) for _, v in union.transformer_list]).tocsr()
    logits = np.asarray(features @ classifier.coef_[0]).ravel() + classifier.intercept_[0]
    return [float(p) for p in 1.0 / (1.0 + np.exp(-logits))]


_cache: dict[str, object] = {}
_lock = threading.Lock()


def current_model():
    """The latest usable stored model (loaded once per process per version), or None."""
    from broadsheet.moderation import conf
    from broadsheet.moderation.models import SpamModel

    row = SpamModel.objects.only("id", "examples", "spam_examples").first()
    minimum = int(conf.get("MODERATION_SPAM_MIN_EXAMPLES"))
    if row is None or row.examples < minimum or row.spam_examples in (0, row.examples):
        return None
    with _lock:
        if _cache.get("id") != row.pk:
            stored = SpamModel.objects.get(pk=row.pk)
            try:
                _cache["model"] = load(stored.blob, stored.signature)
            except (ValueError, pickle.UnpicklingError, AttributeError, ImportError) as exc:
                log.warning("spam model #%s not loaded: %s", row.pk, exc)
                _cache["model"] = None
            _cache["id"] = row.pk
        return _cache["model"]
