"""Search latency on 10,000 (and 100,000) articles, on SQLite FTS5 and on PostgreSQL.

For each backend and size, a throwaway database is filled with synthetic news articles (a
Zipf-distributed vocabulary, ~400-word bodies, a few names that are rare or common), indexed
with the search app's own rebuild (what `broadsheet search_reindex` runs), then each query is
timed through the search selector (count, ranked page, snippets, the listing's articles) and a
few through the whole results page (Django's test client, template included).

    python -m bench.search                              # 10,000 articles, both backends
    python -m bench.search --sizes 10000,100000         # the full run
    python -m bench.search --backends sqlite --repeat 10
    BENCH_SEARCH_SIZES=2000 python -m bench search      # as part of `make bench`

PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)
where a database of its own is created and dropped; without a server the backend is skipped.
Each backend runs in its own interpreter (Django's settings are per process). Figures:
bench/results/search.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import RESULTS, ROOT, machine, markdown_table, write_results
from bench.plot import bar_chart

DEFAULT_SIZES = os.environ.get("BENCH_SEARCH_SIZES", "10000")
DEFAULT_BACKENDS = os.environ.get("BENCH_SEARCH_BACKENDS", "sqlite,postgresql")
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
).rstrip("/")
SECTIONS = ["World", "Politics", "Business", "Science", "Sport"]
SEED = 20240103

# (label, query, extra selector arguments)
QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("rare name", "Soleimani", {}),
    ("common word", "harbour", {}),
    ("very common word", "council", {}),
    ("two words", "harbour council", {}),
    ("phrase", '"harbour council"', {}),
    ("either word", "ferry OR bridge", {}),
    ("word without another", "harbour -ferry", {}),
    ("common word, page 5", "harbour", {"page": 5}),
    ("common word, newest first", "harbour", {"order": "newest"}),
    ("common word, one section, one year", "harbour", {"section": "world", "year": True}),
    ("malformed", 'AND OR "( harbour NEAR * ^', {}),
    ("no match", "zzyzx", {}),
]
PAGE_QUERIES = ["Soleimani", "harbour", "harbour council"]


# The parent: one worker per backend, figures gathered and written ------------------------------


def main(argv: list[str] | None = None) -> dict:
    """Run a worker per backend, write bench/results/search.json and print a table."""
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated article counts")
    parser.add_argument("--backends", default=DEFAULT_BACKENDS, help="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per query")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv or [])
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    if args.worker:
        print(json.dumps(worker(args.worker, sizes, args.repeat)))
        return {}
    runs: list[dict[str, Any]] = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        print(f"== {backend}: {', '.join(f'{n:,}' for n in sizes)} articles", flush=True)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.search",
                "--worker",
                backend,
                "--sizes",
                ",".join(map(str, sizes)),
                "--repeat",
                str(args.repeat),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        lines = done.stdout.strip().splitlines()
        if done.returncode or not lines:
            print(f"  {backend} failed (exit {done.returncode})", flush=True)
            continue
        result = json.loads(lines[-1])
        if result.get("skipped"):
            print(f"  skipped: {result['skipped']}", flush=True)
            continue
        runs.extend(result["runs"])
    data = {
        "machine": {**machine(), "database": "see each run"},
        "how": "median and p95 of repeated calls of search.selectors.article_search "
        "(count, ranked page of 20, snippets, articles for the listing); 'page' rows time "
        "the whole /search/ page through Django's test client",
        "runs": runs,
    }
    out = write_results("search", data)
    rows = [
        [
            run["backend"],
            f"{run['articles']:,}",
            q["label"],
            f"{q['matches']:,}",
            q["median_ms"],
            q["p95_ms"],
        ]
        for run in runs
        for q in run["queries"]
    ]
    print()
    print(markdown_table(["backend", "articles", "query", "matches", "median ms", "p95 ms"], rows))
    builds = [
        [run["backend"], f"{run['articles']:,}", run["load_seconds"], run["index_seconds"]]
        for run in runs
    ]
    print()
    print(markdown_table(["backend", "articles", "load s", "index (search_reindex) s"], builds))
    chart = plot(runs)
    print(f"\nFigures written to {out}, chart to {chart}")
    return data


def plot(runs: list[dict[str, Any]]) -> Path:
    """Chart every query's median latency, one bar per backend and size."""
    labels = [q["label"] for q in runs[0]["queries"]] if runs else []
    series: dict[str, list[float | None]] = {}
    for run in runs:
        medians = {q["label"]: q["median_ms"] for q in run["queries"]}
        series[f"{run['backend']} {run['articles']:,}"] = [medians.get(label) for label in labels]
    return bar_chart(
        RESULTS / "search.png",
        title="Search latency, median ms (bench/search.py)",
        groups=labels,
        series=series,
        unit="ms",
    )


# A worker: one backend, in its own interpreter ------------------------------------------------


def worker(backend: str, sizes: list[int], repeat: int) -> dict:
    """Set up a throwaway database for `backend`, then build and time each size."""
    data_dir = Path(tempfile.mkdtemp(prefix="broadsheet-bench-search-"))
    database = None
    try:
        env = {
            "DATA_DIR": str(data_dir),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver,127.0.0.1",
            "TASKS_BACKEND": "immediate",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings",
        }
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("DATABASE_URL", None)
        if backend == "postgresql":
            database = f"broadsheet_bench_search_{os.getpid()}"
            reason = _postgres_create(database)
            if reason:
                return {"skipped": reason}
            env["DATABASE_URL"] = f"{POSTGRES_URL.rsplit('/', 1)[0]}/{database}"
        elif backend != "sqlite":
            return {"skipped": f"unknown backend {backend!r}"}
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        runs = []
        built = 0
        for size in sorted(sizes):
            load_seconds = _articles_add(built, size)
            built = size
            runs.append(_measure(backend, size, load_seconds, repeat))
        return {"runs": runs}
    finally:
        if database:
            from django.db import connections

            connections.close_all()
            _postgres_drop(database)
        shutil.rmtree(data_dir, ignore_errors=True)


def _postgres_admin():
    import psycopg

    return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5)


def _postgres_create(name: str) -> str:
    try:
        with _postgres_admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except Exception as exc:
        return f"PostgreSQL at {POSTGRES_URL} is not available: {exc}"
    return ""


def _postgres_drop(name: str) -> None:
    with _postgres_admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Synthetic articles ---------------------------------------------------------------------------

_SYLLABLES = "ka lo mi ra te su no vi da pe bo ri lu sa me ta go ne fi zu".split()
_REAL = (
    "the of and to in a is that for on was with he it as at by from his an were are which "
    "this be has had not but they their said after been more one also new first two people "
    "government city police state minister year officials week report told would could over "
    "council bridge ferry river school budget election market court hospital water road"
).split()


def _vocabulary(rng: random.Random) -> list[str]:
    invented = {
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(6000)
    }
    return _REAL + sorted(invented - set(_REAL))


class _Writer:
    """Zipf-distributed words (the most frequent first), and a few planted names."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.words = _vocabulary(self.rng)
        self.cum_weights = list(
            itertools.accumulate(1 / (rank + 1) for rank in range(len(self.words)))
        )

    def words_(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum_weights, k=n)

    def sentence(self, n: int) -> str:
        words = self.words_(n)
        # A rare name (in about 1 article in 200) and a common word (in about 1 in 8).
        if self.rng.random() < 0.0003:
            words[self.rng.randrange(n)] = "Soleimani"
        if self.rng.random() < 0.006:
            words[self.rng.randrange(n)] = "harbour"
        return " ".join(words).capitalize() + "."


def _articles_add(start: int, end: int) -> float:
    """Add articles start..end-1 straight into the tables (bulk, no per-row signals)."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from broadsheet.newsroom.models import Article, Section

    started = time.perf_counter()
    sections = [
        Section.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]
        for name in SECTIONS
    ]
    writer = _Writer()
    writer.rng.seed(SEED + start)
    now = timezone.now()
    batch: list[Article] = []
    for n in range(start, end):
        paragraphs = [
            " ".join(writer.sentence(writer.rng.randint(12, 28)) for _ in range(4))
            for _ in range(writer.rng.randint(3, 6))
        ]
        when = now - dt.timedelta(minutes=writer.rng.randint(60, 5 * 365 * 24 * 60))
        batch.append(
            Article(
                headline=writer.sentence(writer.rng.randint(6, 12))[:-1],
                slug=f"bench-{n}",
                dek=writer.sentence(writer.rng.randint(14, 24)),
                body="\n\n".join(paragraphs),
                body_html="".join(f"<p>{p}</p>" for p in paragraphs),
                status=Article.Status.PUBLISHED,
                published_at=when,
                section=sections[n % len(sections)],
                created_at=when,
                updated_at=when,
            )
        )
        if len(batch) == 2000:
            with transaction.atomic():
                Article.objects.bulk_create(batch)
            batch = []
    with transaction.atomic():
        Article.objects.bulk_create(batch)
    # A live site's tables have planner statistics; a bulk load has none until this.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return round(time.perf_counter() - started, 1)


# Timing ---------------------------------------------------------------------------------------


def _timed(fn, repeat: int, max_seconds: float = 20.0) -> tuple[list[float], Any]:
    result = fn()  # warm: caches, prepared plans
    times: list[float] = []
    deadline = time.monotonic() + max_seconds
    while len(times) < repeat and time.monotonic() < deadline:
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times), result


def _figures(times: list[float]) -> dict[str, Any]:
    return {
        "runs": len(times),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
    }


def _measure(backend: str, size: int, load_seconds: float, repeat: int) -> dict:
    import datetime as dt

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from broadsheet.newsroom.models import Section
    from broadsheet.search.selectors import article_search
    from broadsheet.search.services import index_rebuild

    started = time.perf_counter()
    index_rebuild(batch_size=2000)
    index_seconds = round(time.perf_counter() - started, 1)
    print(
        f"  {size:,} articles: loaded in {load_seconds} s, indexed in {index_seconds} s",
        file=sys.stderr,
        flush=True,
    )
    world = Section.objects.get(slug="world")
    year_ago = (timezone.now() - dt.timedelta(days=365)).date()
    queries = []
    for label, text, extra in QUERIES:
        kwargs: dict[str, Any] = {"text": text}
        if "page" in extra:
            kwargs["page"] = extra["page"]
        if "order" in extra:
            kwargs["order"] = extra["order"]
        if extra.get("section"):
            kwargs["section"] = world
        if extra.get("year"):
            kwargs["date_from"] = year_ago
        times, results = _timed(lambda kwargs=kwargs: article_search(**kwargs), repeat)
        row = {"label": label, "q": text, "matches": results.total, **_figures(times)}
        queries.append(row)
        print(f"  {label}: {row}", file=sys.stderr, flush=True)
    client = Client()
    for text in PAGE_QUERIES:
        times, response = _timed(lambda text=text: client.get("/search/", {"q": text}), repeat)
        assert response.status_code == 200, response.status_code
        row = {
            "label": f"page: {text}",
            "q": text,
            "matches": article_search(text=text).total,
            **_figures(times),
            "bytes": len(response.content),
        }
        queries.append(row)
        print(f"  page {text}: {row}", file=sys.stderr, flush=True)
    if backend == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} (WAL), FTS5"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}, tsvector + GIN"
    return {
        "backend": backend,
        "database": database,
        "articles": size,
        "load_seconds": load_seconds,
        "index_seconds": index_seconds,
        "queries": queries,
    }


if __name__ == "__main__":
    main(sys.argv[1:])
